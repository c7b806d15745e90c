/*
 * parent_infusions.h: the classes of the parent_infusions demo, for tests.
 *
 * The app module exports only its formula.  A test that wants to build the
 * tree itself (for instance with mock children) compiles parent_infusions.c
 * into the test program and uses these declarations.
 */
#ifndef PARENT_INFUSIONS_H
#define PARENT_INFUSIONS_H

#include "tasktonic.h"

#if defined(__GNUC__)
#define PI_HIDDEN __attribute__((visibility("hidden")))
#else
#define PI_HIDDEN
#endif

/* The most children a Parent can have. */
#define PI_MAX_CHILDREN 8

/* How a Parent builds its infusions: the init argument of Parent_class
 * (NULL: PI_DEFAULT_CHILDREN children of Child_class). */
typedef struct pi_config {
    int n_children;             /* 0..PI_MAX_CHILDREN */
    const tt_class *child_class;/* must have ttsc__work(int64_t item) */
} pi_config;

#define PI_DEFAULT_CHILDREN 3

/* Parent: hands work items 1..n to its children round-robin
 * (`ttsc__run(n)`) and sums what comes back in
 * `ttse__on_child_done(child, item, result)`. */
PI_HIDDEN extern const tt_class Parent_class;
/* Child: `ttsc__work(item)` reports item * item to its base. */
PI_HIDDEN extern const tt_class Child_class;

#endif

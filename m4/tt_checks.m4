# tt_checks.m4: configure checks for ttdb's dependencies.
#
# Every required dependency is looked up with pkg-config when its Debian
# package ships a .pc file, with a plain library check as fallback.  A
# missing dependency stops configure with one line naming the Debian
# package to install.

# TT_MISSING(DEBIAN-PACKAGE, [WHAT])
# ----------------------------------
# Stop configure: DEBIAN-PACKAGE (providing WHAT) is not installed.
AC_DEFUN([TT_MISSING],
[AC_MSG_ERROR([$1 is missing]m4_ifval([$2], [[ ($2 not found)]])[: apt-get install $1])])

# TT_REQUIRE_PKG(VARIABLE-PREFIX, PKG-MODULE, HEADER, FUNCTION, LIBRARY,
#                DEBIAN-PACKAGE, [HEADER-PROLOGUE])
# ---------------------------------------------------------------------
# Set and substitute VARIABLE-PREFIX_CFLAGS and VARIABLE-PREFIX_LIBS for
# PKG-MODULE.  Without a .pc file, fall back to checking that HEADER
# compiles and FUNCTION links with -lLIBRARY.  Stop with a message naming
# DEBIAN-PACKAGE when neither works.
AC_DEFUN([TT_REQUIRE_PKG],
[PKG_CHECK_MODULES([$1], [$2], [tt_found_$1=yes], [tt_found_$1=no])
AS_IF([test "x$tt_found_$1" = xno],
  [AC_CHECK_LIB([$5], [$4],
     [$1_CFLAGS=${$1_CFLAGS-}; $1_LIBS="-l$5"; tt_found_$1=yes],
     [TT_MISSING([$6], [$2])])])
tt_save_CPPFLAGS=$CPPFLAGS
CPPFLAGS="$CPPFLAGS $$1_CFLAGS"
AC_CHECK_HEADER([$3], [], [TT_MISSING([$6], [header $3])], [$7])
CPPFLAGS=$tt_save_CPPFLAGS
AC_SUBST([$1_CFLAGS])
AC_SUBST([$1_LIBS])])

# TT_CHECK_CURSES
# ---------------
# Find wide-character ncurses (ncursesw, else ncurses) and set CURSES_CFLAGS
# and CURSES_LIBS.  When the wide-character functions (add_wch, wget_wch)
# link, CURSES_CFLAGS also gets -DNCURSES_WIDECHAR=1 (declares them) and
# -DTT_HAVE_WIDE_CURSES=1.
AC_DEFUN([TT_CHECK_CURSES],
[tt_curses=
PKG_CHECK_MODULES([CURSES], [ncursesw], [tt_curses=ncursesw],
  [PKG_CHECK_MODULES([CURSES], [ncurses], [tt_curses=ncurses], [tt_curses=])])
AS_IF([test -z "$tt_curses"],
  [AC_CHECK_LIB([ncursesw], [initscr], [CURSES_LIBS=-lncursesw; tt_curses=ncursesw],
    [AC_CHECK_LIB([ncurses], [initscr], [CURSES_LIBS=-lncurses; tt_curses=ncurses],
      [TT_MISSING([libncurses-dev], [ncursesw])])])])
tt_save_CPPFLAGS=$CPPFLAGS
tt_save_LIBS=$LIBS
CPPFLAGS="$CPPFLAGS $CURSES_CFLAGS"
LIBS="$CURSES_LIBS $LIBS"
AC_CHECK_HEADER([curses.h], [], [TT_MISSING([libncurses-dev], [header curses.h])])
AC_CACHE_CHECK([whether curses has wide-character functions], [tt_cv_wide_curses],
  [AC_LINK_IFELSE([AC_LANG_PROGRAM([[#define NCURSES_WIDECHAR 1
#include <curses.h>]], [[wint_t c; cchar_t cc; (void)cc; return wget_wch(stdscr, &c);]])],
    [tt_cv_wide_curses=yes], [tt_cv_wide_curses=no])])
AS_IF([test "x$tt_cv_wide_curses" = xyes],
  [CURSES_CFLAGS="$CURSES_CFLAGS -DNCURSES_WIDECHAR=1 -DTT_HAVE_WIDE_CURSES=1"])
CPPFLAGS=$tt_save_CPPFLAGS
LIBS=$tt_save_LIBS
AC_SUBST([CURSES_CFLAGS])
AC_SUBST([CURSES_LIBS])])

# TT_CHECK_READLINE
# -----------------
# Find GNU readline (readline.pc, else -lreadline) with the callback
# interface ttdb uses; set READLINE_CFLAGS and READLINE_LIBS.
AC_DEFUN([TT_CHECK_READLINE],
[AC_REQUIRE([TT_CHECK_CURSES])
PKG_CHECK_MODULES([READLINE], [readline], [tt_readline=yes], [tt_readline=no])
AS_IF([test "x$tt_readline" = xno],
  [AC_CHECK_LIB([readline], [rl_callback_handler_install],
     [READLINE_LIBS=-lreadline],
     [AC_CHECK_LIB([readline], [rl_callback_read_char],
        [READLINE_LIBS="-lreadline $CURSES_LIBS"],
        [TT_MISSING([libreadline-dev], [GNU readline])], [$CURSES_LIBS])])])
tt_save_CPPFLAGS=$CPPFLAGS
tt_save_LIBS=$LIBS
CPPFLAGS="$CPPFLAGS $READLINE_CFLAGS"
LIBS="$READLINE_LIBS $LIBS"
AC_CHECK_HEADER([readline/readline.h], [],
  [TT_MISSING([libreadline-dev], [header readline/readline.h])],
  [#include <stdio.h>])
AC_CHECK_FUNC([rl_callback_read_char], [],
  [TT_MISSING([libreadline-dev], [readline callback interface])])
CPPFLAGS=$tt_save_CPPFLAGS
LIBS=$tt_save_LIBS
AC_SUBST([READLINE_CFLAGS])
AC_SUBST([READLINE_LIBS])])

# TT_CHECK_PTHREAD
# ----------------
# Set PTHREAD_CFLAGS and PTHREAD_LIBS (-pthread with GCC and Clang).
AC_DEFUN([TT_CHECK_PTHREAD],
[AC_CACHE_CHECK([how to build with POSIX threads], [tt_cv_pthread],
  [tt_cv_pthread=no
   for tt_flag in -pthread -lpthread; do
     tt_save_CFLAGS=$CFLAGS
     tt_save_LIBS=$LIBS
     AS_CASE([$tt_flag], [-pthread], [CFLAGS="$CFLAGS -pthread"])
     LIBS="$tt_flag $LIBS"
     AC_LINK_IFELSE([AC_LANG_PROGRAM([[#include <pthread.h>
static void *f(void *a) { return a; }]],
         [[pthread_t t; if (pthread_create(&t, 0, f, 0)) return 1; return pthread_join(t, 0);]])],
       [tt_cv_pthread=$tt_flag])
     CFLAGS=$tt_save_CFLAGS
     LIBS=$tt_save_LIBS
     test "x$tt_cv_pthread" != xno && break
   done])
AS_CASE([$tt_cv_pthread],
  [-pthread], [PTHREAD_CFLAGS=-pthread; PTHREAD_LIBS=-pthread],
  [-lpthread], [PTHREAD_CFLAGS=; PTHREAD_LIBS=-lpthread],
  [TT_MISSING([libc6-dev], [POSIX threads])])
AC_SUBST([PTHREAD_CFLAGS])
AC_SUBST([PTHREAD_LIBS])])

# TT_CHECK_DL
# -----------
# Set DL_LIBS to what dlopen needs (empty with glibc >= 2.34).
AC_DEFUN([TT_CHECK_DL],
[tt_save_LIBS=$LIBS
AC_SEARCH_LIBS([dlopen], [dl], [], [TT_MISSING([libc6-dev], [dlopen])])
AS_CASE([$ac_cv_search_dlopen],
  ["none required"], [DL_LIBS=],
  [DL_LIBS=$ac_cv_search_dlopen])
LIBS=$tt_save_LIBS
AC_CHECK_HEADER([dlfcn.h], [], [TT_MISSING([libc6-dev], [header dlfcn.h])])
AC_SUBST([DL_LIBS])])

# TT_CHECK_LIBM
# -------------
# Set LIBM to what the math functions need (-lm).
AC_DEFUN([TT_CHECK_LIBM],
[tt_save_LIBS=$LIBS
AC_SEARCH_LIBS([floor], [m], [], [TT_MISSING([libc6-dev], [libm])])
AS_CASE([$ac_cv_search_floor],
  ["none required"], [LIBM=],
  [LIBM=$ac_cv_search_floor])
LIBS=$tt_save_LIBS
AC_SUBST([LIBM])])

# TT_CHECK_CFLAG(FLAG, [ACTION-IF-OK], [ACTION-IF-NOT])
# -----------------------------------------------------
# Whether $CC accepts FLAG (compiling and linking, warnings as errors).
AC_DEFUN([TT_CHECK_CFLAG],
[AS_VAR_PUSHDEF([tt_var], [tt_cv_cflag_$1])
AC_CACHE_CHECK([whether $CC accepts $1], [tt_var],
  [tt_save_CFLAGS=$CFLAGS
   CFLAGS="$CFLAGS -Werror $1"
   AC_LINK_IFELSE([AC_LANG_PROGRAM([], [])],
     [AS_VAR_SET([tt_var], [yes])], [AS_VAR_SET([tt_var], [no])])
   CFLAGS=$tt_save_CFLAGS])
AS_VAR_IF([tt_var], [yes], [$2], [$3])
AS_VAR_POPDEF([tt_var])])

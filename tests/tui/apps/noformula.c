/*
 * noformula.c: a loadable module without the tt_formula entry point; ttdb
 * must refuse it with one clear line.
 */
int ttdb_test_not_an_app(void);

/* Something to export, so that the module is not empty. */
int ttdb_test_not_an_app(void)
{
    return 42;
}

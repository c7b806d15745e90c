/*
 * screen-dump.c: the text of the screen, one line per row, trailing spaces
 * removed (`dump-screen FILE`, for tests that do not run under tmux).
 */
#include "screen.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* Write the screen's text to f. */
int screen_dump(FILE *f)
{
    if (!screen_active())
        return -1;
    int cols = COLS;
#ifdef TT_HAVE_WIDE_CURSES
    wchar_t *row = xcalloc((size_t)cols + 1, sizeof *row);
    char *mb = xmalloc((size_t)cols * MB_CUR_MAX + 1);
    for (int y = 0; y < LINES; y++) {
        int n = mvwinnwstr(curscr, y, 0, row, cols);
        if (n < 0)
            n = 0;
        row[n] = L'\0';
        size_t len = wcstombs(mb, row, (size_t)cols * MB_CUR_MAX);
        if (len == (size_t)-1)
            len = 0;
        while (len > 0 && mb[len - 1] == ' ')
            len--;
        fprintf(f, "%.*s\n", (int)len, mb);
    }
    free(mb);
    free(row);
#else
    char *row = xmalloc((size_t)cols + 1);
    for (int y = 0; y < LINES; y++) {
        int n = mvwinnstr(curscr, y, 0, row, cols);
        if (n < 0)
            n = 0;
        row[n] = '\0';
        while (n > 0 && row[n - 1] == ' ')
            row[--n] = '\0';
        fprintf(f, "%s\n", row);
    }
    free(row);
#endif
    return 0;
}

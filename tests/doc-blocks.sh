#!/bin/sh
# doc-blocks.sh: build and run the code blocks of the documentation (TAP).
#
# Every fenced code block in doc/*.md and README.md (and the marked examples
# of the manual pages, below) is read in page order.
# What happens to a block depends on its info string (the words after the
# opening ```), so that the docs cannot rot:
#
#   ```c file=NAME        Write NAME into the page's work folder (replacing
#                         it).  A NAME ending in .c is then compiled alone
#                         (cc -c) against the built library: test "compiles".
#   ```c file=NAME nocompile
#                         Only write it (a file that needs a later one).
#   ```c fragment         Compile the block alone as a file of its own, after
#   ```c                  `#include <tasktonic.h>` and the usual C headers
#                         (syntax and types only; unused things allowed).
#                         An unmarked c block is a fragment.
#   ```c fragment=body    The same, inside the body of
#                         `void fragment(tt_catalyst *cat, tt_tonic *self)`.
#   ```json               Must be valid JSON.
#   ```LANG file=NAME     Any other language with file=: write NAME (json is
#                         also checked), e.g. ```json file=contract.json or
#                         ```ttdb file=kettle.ttdb.
#   ```sh run             Run the block with `sh -e` in the page's work
#                         folder; it must exit 0.  Its output (stdout and
#                         stderr) is kept for the next `expect` block.
#   ```sh run status=N    The same, but it must exit with status N.
#   ```sh run needs=ttdb  Skipped (TAP SKIP) while ttdb is not built.
#   ```LANG expect        The output of the last `sh run` block, exactly
#                         (but for trailing blanks on a line, which editors
#                         strip).
#   ```LANG expect=times  The same, with wall-clock values masked on both
#                         sides: "@", "start@", "end@" timestamps, "(N us)"
#                         durations and "wall N s".
#   anything else         (```text, ```sh without run, untagged, ...) is
#                         prose: not run.
#
# Manual pages (doc/*.[1-8]) take part too: an example between .EX and .EE
# whose preceding line is the comment `.\" doc-block: INFO` is treated as a
# block with info string INFO (e.g. `c file=door.c`), after undoing the
# groff escapes \e, \-, \(dq, \(aq and \&; other examples are prose.
#
# The blocks of one page share a work folder, tests/doc-blocks.d/PAGE/ in the
# build tree, emptied first; blocks of different pages never see each
# other's files.  The commands run as a reader would type them, with PATH
# and PKG_CONFIG_PATH pointing at the build tree:
#   cc          the configured compiler with -Werror (and the sanitizer flags
#               of a --enable-sanitizers build, so programs can load the
#               instrumented library);
#   pkg-config  finds tasktonic-uninstalled.pc: -I$top_srcdir/src and
#               -I$top_srcdir/plugins (the installed headers tasktonic.h
#               and ttdb-plugin.h), -L$top_builddir/src/.libs -ltasktonic
#               (and LD_LIBRARY_PATH);
#   ttrun, ttdb the built ones (under $VALGRIND when set).
# Each block runs under `timeout 120` when that exists.  The reader's
# environment has no CMOCKA_MESSAGE_OUTPUT, so it is unset for the blocks.
#
# Environment (from the harness): top_srcdir, top_builddir, TTDB, VALGRIND,
# and TTDB_PLUGIN_PATH (passed on: ttdb finds the built exporters with it).

: "${top_srcdir:?run me from make check (top_srcdir unset)}"
: "${top_builddir:?run me from make check (top_builddir unset)}"

work=$top_builddir/tests/doc-blocks.d
if ! { rm -rf "$work" && mkdir -p "$work/bin" "$work/pc"; }; then
    echo "Bail out! cannot create $work"
    exit 1
fi

n=0
failed=0

# ok|not ok with a description; extra lines become TAP comments.
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() {
    n=$((n + 1)); failed=$((failed + 1))
    echo "not ok $n - $1"
    if [ -n "${2:-}" ] && [ -f "$2" ]; then
        sed -n '1,60s/^/#   /p' "$2"
    fi
}
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }

# ---------------------------------------------------------------------------
# The tools a reader would have: cc, pkg-config, ttrun, ttdb
# ---------------------------------------------------------------------------
mkvar() { sed -n "s/^$1 = //p" "$top_builddir/Makefile" | head -n 1; }
CC_CONF=$(mkvar CC)
SAN_CFLAGS=$(mkvar SAN_CFLAGS)
SAN_LDFLAGS=$(mkvar SAN_LDFLAGS)
libdir=$top_builddir/src/.libs

cat >"$work/bin/cc" <<EOF
#!/bin/sh
# cc as the docs use it: the configured compiler, warnings are errors.
exec ${CC_CONF:-cc} $SAN_CFLAGS $SAN_LDFLAGS -Werror "\$@"
EOF
cat >"$work/bin/ttrun" <<EOF
#!/bin/sh
exec \$VALGRIND "$top_builddir/src/ttrun" "\$@"
EOF
have_ttdb=no
if [ -n "${TTDB:-}" ] && [ -x "$TTDB" ]; then
    have_ttdb=yes
    cat >"$work/bin/ttdb" <<EOF
#!/bin/sh
exec \$VALGRIND "$TTDB" "\$@"
EOF
fi
chmod +x "$work/bin/"*

cat >"$work/pc/tasktonic-uninstalled.pc" <<EOF
Name: tasktonic
Description: TaskTonic runtime and Distiller (build tree)
Version: 0
Requires.private: libffi jansson
Libs: -L$libdir -ltasktonic
Cflags: -I$top_srcdir/src -I$top_srcdir/plugins
EOF

PATH=$work/bin:$PATH
PKG_CONFIG_PATH=$work/pc${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
LD_LIBRARY_PATH=$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
unset PKG_CONFIG_DISABLE_UNINSTALLED
export PATH PKG_CONFIG_PATH LD_LIBRARY_PATH
# The reader's environment, not the harness's: cmocka prints its own format.
unset CMOCKA_MESSAGE_OUTPUT

if ! pkg-config --exists tasktonic 2>/dev/null; then
    echo "Bail out! pkg-config cannot find the build tree's tasktonic (is pkg-config installed?)"
    exit 1
fi
if [ ! -f "$libdir/libtasktonic.so" ]; then
    echo "Bail out! $libdir/libtasktonic.so is missing: run make first"
    exit 1
fi
TT_CFLAGS=$(pkg-config --cflags tasktonic)

if command -v timeout >/dev/null 2>&1; then
    limit="timeout 120"
else
    limit=
fi

# A JSON checker built from jansson (a dependency of the library anyway).
cat >"$work/jsoncheck.c" <<'EOF'
#include <jansson.h>
#include <stdio.h>
int main(int argc, char **argv)
{
    json_error_t e;
    json_t *j = json_load_file(argc > 1 ? argv[1] : "/dev/stdin", JSON_DECODE_ANY, &e);
    if (!j) {
        printf("line %d, column %d: %s\n", e.line, e.column, e.text);
        return 1;
    }
    json_decref(j);
    return 0;
}
EOF
if ! cc -o "$work/jsoncheck" "$work/jsoncheck.c" $(pkg-config --cflags --libs jansson) \
        >"$work/jsoncheck.log" 2>&1; then
    echo "Bail out! cannot build the JSON checker (jansson): $(head -n 1 "$work/jsoncheck.log")"
    exit 1
fi

# ---------------------------------------------------------------------------
# Extract the blocks of one page: DIR/N.info (info string), DIR/N.line (line
# of the opening fence), DIR/N.body; DIR/count holds the number of blocks.
# A fence is three or more backticks at the start of a line; it is closed by
# a line of at least as many backticks and nothing else.
# ---------------------------------------------------------------------------
extract() {
    awk -v dir="$2" '
    function fence_len(s,   k) { k = 0; while (substr(s, k + 1, 1) == "`") k++; return k }
    BEGIN { inside = 0; count = 0 }
    {
        if (!inside) {
            k = fence_len($0)
            if (k >= 3) {
                inside = 1; flen = k; count++
                info = substr($0, k + 1)
                sub(/^[ \t]+/, "", info); sub(/[ \t]+$/, "", info)
                print info > (dir "/" count ".info"); close(dir "/" count ".info")
                print NR > (dir "/" count ".line"); close(dir "/" count ".line")
                body = dir "/" count ".body"
                printf "" > body
            }
            next
        }
        k = fence_len($0)
        rest = substr($0, k + 1); sub(/[ \t]+$/, "", rest)
        if (k >= flen && rest == "") { inside = 0; close(body); next }
        print > body
    }
    END {
        print count > (dir "/count")
        if (inside) print "unclosed" > (dir "/unclosed")
    }' "$1"
}

# The same for a manual page: .EX/.EE examples marked by a preceding
# `.\" doc-block: INFO` comment (others get the info string "text").
extract_man() {
    awk -v dir="$2" '
    function unescape(s) {
        gsub(/\\\(dq/, "\"", s); gsub(/\\\(aq/, "\047", s)
        gsub(/\\-/, "-", s); gsub(/\\&/, "", s); gsub(/\\e/, "\\", s)
        return s
    }
    BEGIN { inside = 0; count = 0; prev = "" }
    {
        if (!inside) {
            if ($0 == ".EX") {
                inside = 1; count++
                info = "text"
                if (prev ~ /^\.\\" doc-block: /) {
                    info = prev; sub(/^\.\\" doc-block: /, "", info)
                }
                print info > (dir "/" count ".info"); close(dir "/" count ".info")
                print NR > (dir "/" count ".line"); close(dir "/" count ".line")
                body = dir "/" count ".body"
                printf "" > body
            }
            prev = $0
            next
        }
        if ($0 == ".EE") { inside = 0; close(body); prev = $0; next }
        print unescape($0) > body
    }
    END {
        print count > (dir "/count")
        if (inside) print "unclosed" > (dir "/unclosed")
    }' "$1"
}

# The value of KEY=VALUE in an info string ("" when absent); `has WORD`.
attr() { printf '%s\n' "$1" | tr ' \t' '\n\n' | sed -n "s/^$2=//p" | head -n 1; }
has() { printf '%s\n' "$1" | tr ' \t' '\n\n' | grep -qx "$2"; }

# Mask wall-clock values (expect=times).
mask_times() {
    sed -E -e 's/"(@|start@|end@)": [0-9][0-9.e+-]*/"\1": T/g' \
        -e 's/\([0-9][0-9.]* us\)/(T us)/g' \
        -e 's/wall [0-9][0-9.]* s/wall T s/g' "$1"
}

# Drop trailing blanks (expect).
strip_blanks() { sed -e 's/[ 	]*$//' "$1"; }

# Compile a C file alone (-c) with the library's flags.
compile_c() {
    (cd "$pagedir" && $limit cc -std=gnu11 -Wall -Wextra $TT_CFLAGS $2 -c -o /dev/null "$1") \
        >"$blk.log" 2>&1
}

# ---------------------------------------------------------------------------
# One page
# ---------------------------------------------------------------------------
run_page() {
    page=$1                      # doc/tutorial.md (for messages)
    src=$top_srcdir/$page
    name=$(printf '%s' "$page" | sed 's|/|_|g; s|\.|_|g')
    pagedir=$work/$name
    blocks=$work/$name.blocks
    mkdir -p "$pagedir" "$blocks"
    case "$page" in
    *.md) extract "$src" "$blocks" ;;
    *) extract_man "$src" "$blocks" ;;
    esac
    if [ -f "$blocks/unclosed" ]; then
        notok "$page: a code block is not closed"
    fi
    last_out=                    # output file of the last `sh run` block
    last_state=none              # none | ran | skipped
    total=$(cat "$blocks/count")
    i=0
    while [ "$i" -lt "$total" ]; do
        i=$((i + 1))
        blk=$blocks/$i
        info=$(cat "$blk.info")
        line=$(cat "$blk.line")
        lang=${info%%[ 	]*}
        where="$page:$line"
        file=$(attr "$info" file)
        if has "$info" run && [ "$lang" = sh ]; then
            status=$(attr "$info" status)
            status=${status:-0}
            needs=$(attr "$info" needs)
            if [ "$needs" = ttdb ] && [ "$have_ttdb" = no ]; then
                skip "$where: sh block runs" "ttdb is not built"
                last_state=skipped
                continue
            fi
            cp "$blk.body" "$blk.sh"
            (cd "$pagedir" && $limit sh -e "$blk.sh") >"$blk.out" 2>&1
            rc=$?
            last_out=$blk.out
            last_state=ran
            if [ "$rc" -eq "$status" ]; then
                ok "$where: sh block runs (status $rc)"
            else
                echo "# exit status $rc, expected $status; output:" >"$blk.log"
                cat "$blk.out" >>"$blk.log"
                notok "$where: sh block runs (status $rc, expected $status)" "$blk.log"
            fi
        elif has "$info" expect || [ -n "$(attr "$info" expect)" ]; then
            if [ "$last_state" = skipped ]; then
                skip "$where: output as shown" "its command was skipped"
                continue
            fi
            if [ "$last_state" = none ]; then
                notok "$where: an expect block with no sh run block before it"
                continue
            fi
            if [ "$(attr "$info" expect)" = times ]; then
                mask_times "$blk.body" >"$blk.want1"
                mask_times "$last_out" >"$blk.got1"
            else
                cp "$blk.body" "$blk.want1"
                cp "$last_out" "$blk.got1"
            fi
            strip_blanks "$blk.want1" >"$blk.want"
            strip_blanks "$blk.got1" >"$blk.got"
            if diff -u "$blk.want" "$blk.got" >"$blk.log" 2>&1; then
                ok "$where: output as shown"
            else
                notok "$where: output differs from the page (- page, + actual)" "$blk.log"
            fi
        elif [ -n "$file" ]; then
            mkdir -p "$pagedir/$(dirname "$file")"
            cp "$blk.body" "$pagedir/$file"
            case "$lang:$file" in
            c:*.c)
                if has "$info" nocompile; then
                    ok "$where: $file written"
                elif compile_c "$file" ""; then
                    ok "$where: $file compiles"
                else
                    notok "$where: $file does not compile" "$blk.log"
                fi
                ;;
            json:*)
                if "$work/jsoncheck" "$pagedir/$file" >"$blk.log" 2>&1; then
                    ok "$where: $file is valid JSON"
                else
                    notok "$where: $file is not valid JSON" "$blk.log"
                fi
                ;;
            *)
                ok "$where: $file written"
                ;;
            esac
        elif [ "$lang" = c ]; then
            frag=$pagedir/fragment-$line.c
            {
                echo '#include <stdbool.h>'
                echo '#include <stddef.h>'
                echo '#include <stdint.h>'
                echo '#include <stdio.h>'
                echo '#include <stdlib.h>'
                echo '#include <string.h>'
                echo '#include <tasktonic.h>'
                if [ "$(attr "$info" fragment)" = body ]; then
                    echo 'void fragment(tt_catalyst *cat, tt_tonic *self);'
                    echo 'void fragment(tt_catalyst *cat, tt_tonic *self)'
                    echo '{'
                    echo "#line $((line + 1)) \"$page\""
                    cat "$blk.body"
                    echo '}'
                else
                    echo "#line $((line + 1)) \"$page\""
                    cat "$blk.body"
                fi
            } >"$frag"
            if compile_c "fragment-$line.c" "-Wno-unused-function -Wno-unused-variable -Wno-unused-parameter -Wno-unused-but-set-variable"; then
                ok "$where: c fragment compiles"
            else
                notok "$where: c fragment does not compile" "$blk.log"
            fi
        elif [ "$lang" = json ]; then
            if "$work/jsoncheck" "$blk.body" >"$blk.log" 2>&1; then
                ok "$where: json block is valid JSON"
            else
                notok "$where: json block is not valid JSON" "$blk.log"
            fi
        fi
    done
}

pages=
for p in "$top_srcdir"/doc/*.md "$top_srcdir/README.md" "$top_srcdir"/doc/*.[1-8]; do
    [ -f "$p" ] || continue
    pages="$pages ${p#"$top_srcdir"/}"
done
for page in $pages; do
    run_page "$page"
done

echo "1..$n"
[ "$failed" -eq 0 ]

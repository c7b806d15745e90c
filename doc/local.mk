# doc/local.mk: the manual pages and the documentation.
# Included by the top Makefile.am; paths are relative to the top.
#
# tasktonic(7) is installed by `make install`; the Markdown pages are
# distributed.  tests/doc-blocks.sh builds and runs the code blocks of every
# doc/*.md page and of README.md under `make check` (its header explains the
# info-string conventions), so the examples in the docs cannot rot.

dist_man_MANS += doc/tasktonic.7

EXTRA_DIST += \
	doc/tutorial.md \
	doc/trace-format.md \
	doc/contracts.md \
	doc/differences.md \
	doc/performance.md \
	doc/attach.md \
	doc/hacking.md

# --- doc-blocks: every code block of the docs, built or run ----------------
TESTS += tests/doc-blocks.sh
EXTRA_DIST += tests/doc-blocks.sh
# (The library and ttrun it needs are built by `all`, which check runs first.)

clean-local: clean-local-doc
clean-local-doc:
	-rm -rf tests/doc-blocks.d
.PHONY: clean-local-doc

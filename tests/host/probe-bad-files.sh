#!/bin/bash
# probe -x on what is not a usable ELF file fails at once with one line that
# says what it is: a FIFO (which used to block forever in open), a directory,
# a truncated or damaged ELF (which used to read as "stripped"); control
# characters in a probe argument are named, escaped. No uprobe is added.
. "$(dirname "$0")/../lib.sh"
need_tracefs
[ -e $T/uprobe_events ] || skip "this kernel has no uprobe events"
prog=$TOP/tests/progs/probe_nopie
[ -x "$prog" ] || make -s -C "$TOP" tests/progs/probe_nopie >&2 || skip "cannot build tests/progs/probe_nopie"

# Probes are added by other tests at the same time: look only for ours, named after our files.
ours() { grep -c "sidetest_$$\|$TEST_TMP" $T/uprobe_events; }

expect_error() { # WHAT EXPECTED-TEXT ARGS...
	local what=$1 text=$2 rc
	shift 2
	# A hang must fail the test rather than block the tier.
	timeout -k 2 10 "$SIDETRACE" probe "$@" >"$TEST_TMP/out" 2>"$TEST_TMP/err"
	rc=$?
	[ $rc = 124 ] && fail "$what: still blocked after 10 s"
	[ $rc != 0 ] || fail "$what: exit status 0"
	[ "$(wc -l <"$TEST_TMP/err")" = 1 ] || fail "$what: not one line of error: $(cat "$TEST_TMP/err")"
	grep -qF "sidetrace probe: $text" "$TEST_TMP/err" ||
		fail "$what: message '$(cat "$TEST_TMP/err")' lacks '$text'"
	[ -s "$TEST_TMP/out" ] && fail "$what: printed on stdout: $(cat "$TEST_TMP/out")"
	[ "$(ours)" = 0 ] || fail "$what: a probe was added"
	note "$what: $(cat "$TEST_TMP/err")"
}

mkfifo "$TEST_TMP/fifo" || fail "mkfifo failed"
expect_error "a FIFO" "$TEST_TMP/fifo: a FIFO, not an ELF file" -x "$TEST_TMP/fifo" main
expect_error "a FIFO, listing functions" "$TEST_TMP/fifo: a FIFO, not an ELF file" -x "$TEST_TMP/fifo" -F
expect_error "a directory" "$TEST_TMP: a directory, not an ELF file" -x "$TEST_TMP" main

size=$(stat -c %s "$prog")
head -c $((size / 2)) "$prog" >"$TEST_TMP/half"
expect_error "a truncated ELF" \
	"$TEST_TMP/half: not a valid ELF file: its section headers lie past the end of the file" \
	-x "$TEST_TMP/half" main
# The symbol table's offset (the Elf64_Shdr field at +0x18) pointed far outside the file.
python3 - "$prog" "$TEST_TMP/badsym" <<'EOF' || fail "cannot damage a copy of $prog"
import struct, sys
b = bytearray(open(sys.argv[1], 'rb').read())
shoff, = struct.unpack_from('<Q', b, 0x28)
shentsize, shnum = struct.unpack_from('<HH', b, 0x3a)
for i in range(shnum):
    at = shoff + i * shentsize
    if struct.unpack_from('<I', b, at + 4)[0] == 2:	# SHT_SYMTAB
        struct.pack_into('<Q', b, at + 0x18, 0xffffffff0)
open(sys.argv[2], 'wb').write(b)
EOF
expect_error "a damaged symbol table" "$TEST_TMP/badsym: not a valid ELF file: cannot read its symbols (" \
	-x "$TEST_TMP/badsym" main

expect_error "a control character in an argument" \
	"probe argument 'a\\x01b': control character at 2" -x "$prog" "sidetest_$$=main a"$'\x01'"b"
expect_error "an escape sequence in the point" \
	"probe point 'sidetest_$$=main\\x1b[2J': control character at" -x "$prog" "sidetest_$$=main"$'\x1b'"[2J"
exit 0

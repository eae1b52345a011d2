# sidetrace: GNU Make build. `make` builds ./sidetrace, `make check` runs every test tier.
VERSION    := 0.1.0
PREFIX     ?= /usr/local
CC         ?= cc
PKGS       := libtracefs libtraceevent libelf libzstd zlib libbpf libdw
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# libbpf, libdw and libelf (BTF, DWARF and ELF for probe and --files) are linked
# in from their -dev packages' archives: as shared libraries, with liblzma and
# libbz2 behind them, mapping and relocating them took a millisecond of every
# command's start-up, a twentieth of a short report. libtraceevent stays shared:
# its plugins call into it.
STATIC_PKGS := libbpf libdw libelf
STATIC_LIBS := $(shell pkg-config --libs-only-l $(STATIC_PKGS) 2>/dev/null)
STATIC_DEPS := $(filter-out $(STATIC_LIBS),$(shell pkg-config --static --libs-only-l $(STATIC_PKGS) 2>/dev/null))
PKG_LIBS   := $(shell pkg-config --libs $(filter-out $(STATIC_PKGS),$(PKGS)) 2>/dev/null) \
	      -Wl,-Bstatic $(STATIC_LIBS) -Wl,-Bdynamic $(STATIC_DEPS)

CFLAGS   ?= -O2 -g
CFLAGS   += -std=gnu11 -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare -fno-strict-aliasing
# Where `make install` puts the plugins: with PREFIX=/usr, the directory of
# Debian's libtraceevent (/usr/lib/<multiarch>/traceevent/plugins), which
# trace-cmd searches; sidetrace itself also finds them under another PREFIX.
MULTIARCH  := $(shell $(CC) -print-multiarch 2>/dev/null)
PLUGINDIR  ?= $(PREFIX)/lib/$(if $(MULTIARCH),$(MULTIARCH)/)traceevent/plugins

CPPFLAGS += -DSIDETRACE_PLUGIN_DIR='"$(PLUGINDIR)"'
# report.c holds PLUGINDIR: rebuilt when `make install PREFIX=...` changes it.
PLUGINDIR_STAMP := build/plugindir
$(shell mkdir -p build && (echo '$(PLUGINDIR)' | cmp -s - $(PLUGINDIR_STAMP) || \
	echo '$(PLUGINDIR)' >$(PLUGINDIR_STAMP)))
CPPFLAGS += -D_GNU_SOURCE -DSIDETRACE_VERSION='"$(VERSION)"' -Ilib -Icmd $(PKG_CFLAGS)
# Each object gets a dependency file from the compiler: it is rebuilt when a header it includes changes.
DEPFLAGS  = -MMD -MP
LDLIBS   += $(PKG_LIBS) -lpthread -ldl

# lib/ (util.c and one folder per module) is libsidetrace.a; cmd/ is the command-line
# layer on top of it. cmd/main.c only holds main(), so unit tests link the other
# cmd/ objects and the library, and call the commands' parsers directly.
LIB_SRCS  := $(wildcard lib/*.c lib/*/*.c)
LIB_OBJS  := $(LIB_SRCS:.c=.o)
CMD_SRCS  := $(filter-out cmd/main.c,$(wildcard cmd/*.c))
CMD_OBJS  := $(CMD_SRCS:.c=.o)
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:.c=)
TEST_HELPERS := $(patsubst %.c,%,$(wildcard tests/progs/*.c))
# libtraceevent plugins (plugins/): shared objects that trace-cmd, KernelShark and
# `sidetrace report` load to print sidetrace's own events.
PLUGIN_SRCS := $(wildcard plugins/*.c)
PLUGINS     := $(PLUGIN_SRCS:.c=.so)
MAN_SRCS  := $(wildcard Documentation/*.scd)
MAN_PAGES := $(MAN_SRCS:.scd=)

.PHONY: all deps check check-unit check-host check-vm check-asan check-fuzz check-layout demo clean \
	install uninstall bench man fuzz plugins
all: sidetrace plugins man
plugins: $(PLUGINS)
man: $(MAN_PAGES)

# Man pages are written in scdoc (Documentation/NAME.SECTION.scd).
Documentation/%: Documentation/%.scd
	scdoc < $< > $@

sidetrace: cmd/main.o $(CMD_OBJS) libsidetrace.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

libsidetrace.a: $(LIB_OBJS)
	$(AR) rcs $@ $^

%.o: %.c
	$(CC) $(CPPFLAGS) $(DEPFLAGS) $(CFLAGS) -c -o $@ $<

# The syscall names of the target architecture, from the C library's <asm/unistd.h>
# (lib/syscall/sc_names.c pairs each with its __NR_ number).
SC_LIST := build/gen/syscall/sc_list.h
CPPFLAGS += -Ibuild/gen
$(SC_LIST):
	@mkdir -p $(dir $@)
	echo '#include <asm/unistd.h>' | $(CC) -dM -E - | \
		sed -n 's/^#define __NR_\([a-z0-9_]*\) .*/SC(\1)/p' | LC_ALL=C sort >$@.tmp
	mv $@.tmp $@
lib/syscall/sc_names.o build/asan/lib/syscall/sc_names.o build/fuzz/lib/syscall/sc_names.o: $(SC_LIST)

lib/report/report.o build/asan/lib/report/report.o build/fuzz/lib/report/report.o: $(PLUGINDIR_STAMP)

# A plugin links nothing of ours: libtraceevent resolves its tep_* calls when it loads it.
plugins/%.so: plugins/%.c
	$(CC) $(CPPFLAGS) $(DEPFLAGS) $(CFLAGS) -fPIC -shared $(LDFLAGS) -o $@ $<

tests/unit/test_%: tests/unit/test_%.c $(CMD_OBJS) libsidetrace.a
	$(CC) $(CPPFLAGS) $(DEPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(CMD_OBJS) libsidetrace.a $(LDLIBS) -lcmocka

# The unit tests again under AddressSanitizer and UndefinedBehaviorSanitizer: objects in
# build/asan/ so that they never mix with the normal build's, programs in tests/unit/asan/
# (the tests find the top directory from their path).
ASAN_DIR    := build/asan
ASAN_CFLAGS := $(filter-out -O2,$(CFLAGS)) -O1 -fsanitize=address,undefined \
	-fno-omit-frame-pointer -fno-sanitize-recover=undefined
ASAN_OBJS   := $(addprefix $(ASAN_DIR)/,$(LIB_OBJS))
ASAN_CMD_OBJS := $(addprefix $(ASAN_DIR)/,$(CMD_OBJS))
ASAN_UNIT_BINS := $(patsubst tests/unit/%,tests/unit/asan/%,$(UNIT_BINS))

$(ASAN_DIR)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(DEPFLAGS) $(ASAN_CFLAGS) -c -o $@ $<

$(ASAN_DIR)/libsidetrace.a: $(ASAN_OBJS)
	$(AR) rcs $@ $^

tests/unit/asan/test_%: tests/unit/test_%.c $(ASAN_CMD_OBJS) $(ASAN_DIR)/libsidetrace.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(DEPFLAGS) $(ASAN_CFLAGS) $(LDFLAGS) -o $@ $< $(ASAN_CMD_OBJS) $(ASAN_DIR)/libsidetrace.a $(LDLIBS) -lcmocka

tests/progs/%: tests/progs/%.c
	$(CC) -O1 -g -o $@ $<

# Frame pointers: the kernel's user stack walk (record --stack) follows them.
tests/progs/stack_chain: tests/progs/stack_chain.c
	$(CC) -O1 -g -fno-omit-frame-pointer -o $@ $<

# The probe tests need a non-PIE executable too (its symbols are not file offsets).
tests/progs/probe_nopie: tests/progs/probe_nopie.c tests/progs/probe_pie.c
	$(CC) -O1 -g -no-pie -o $@ $<

# The fanotify file-set tests: a static program that opens by raw syscalls, and
# one that opens through io_uring (liburing-dev).
tests/progs/files_raw_openat: tests/progs/files_raw_openat.c
	$(CC) -O1 -g -static -o $@ $<
tests/progs/files_uring: tests/progs/files_uring.c
	$(CC) -O1 -g -o $@ $< -luring

# Installs the Debian packages the build and the tests need, only when one is missing.
deps:
	@scripts/install-deps

# The fuzz tier needs clang's libFuzzer; without it tests/run says SKIP.
check: deps
	$(MAKE) all $(UNIT_BINS) $(TEST_HELPERS) $(ASAN_UNIT_BINS)
	if scripts/have-libfuzzer; then $(MAKE) fuzz/fuzz_tracedat; fi
	tests/run all

check-unit: all $(UNIT_BINS)
	tests/run unit
check-host: all $(TEST_HELPERS)
	tests/run host
check-vm: all $(TEST_HELPERS)
	tests/run vm
check-asan: $(ASAN_UNIT_BINS)
	tests/run asan
# Includes point from higher modules to lower ones only (also run by the unit tier).
check-layout:
	scripts/check-layout

check-fuzz: tests/unit/test_tracedat
	if scripts/have-libfuzzer; then $(MAKE) fuzz/fuzz_tracedat; fi
	tests/run fuzz

# What the README's first command runs after installing: a real trace and its report.
demo:
	scripts/quickstart

bench: all $(TEST_HELPERS)
	bench/record-events
	bench/report

# Where `make install` puts each file; `make uninstall` (same PREFIX and DESTDIR)
# removes exactly these files and leaves the directories, which others share.
BINDIR  := $(PREFIX)/bin
MAN1DIR := $(PREFIX)/share/man/man1
COMPDIR := $(PREFIX)/share/bash-completion/completions
MAN1_PAGES := $(filter %.1,$(MAN_PAGES))

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MAN1DIR) $(DESTDIR)$(COMPDIR)
	install -m 755 sidetrace $(DESTDIR)$(BINDIR)/sidetrace
	install -m 644 $(MAN1_PAGES) $(DESTDIR)$(MAN1DIR)/
	install -m 644 contrib/completion/sidetrace.bash $(DESTDIR)$(COMPDIR)/sidetrace
	install -d $(DESTDIR)$(PLUGINDIR)
	install -m 644 $(PLUGINS) $(DESTDIR)$(PLUGINDIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/sidetrace $(DESTDIR)$(COMPDIR)/sidetrace \
		$(addprefix $(DESTDIR)$(MAN1DIR)/,$(notdir $(MAN1_PAGES))) \
		$(addprefix $(DESTDIR)$(PLUGINDIR)/,$(notdir $(PLUGINS)))

# libFuzzer harness for trace.dat files (clang, libclang-rt): the whole library,
# built with the fuzzer's coverage and ASan/UBSan in build/fuzz/, under a
# harness that runs report, -R, --graph, the exports and --files on each input.
# `fuzz/run [SECONDS]` fuzzes; `tests/run fuzz` (make check) runs it briefly.
FUZZ_DIR    := build/fuzz
FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
FUZZ_OBJS   := $(addprefix $(FUZZ_DIR)/,$(LIB_OBJS))
fuzz: fuzz/fuzz_tracedat
$(FUZZ_DIR)/%.o: %.c
	@mkdir -p $(dir $@)
	clang $(CPPFLAGS) $(DEPFLAGS) $(FUZZ_CFLAGS) -c -o $@ $<
fuzz/fuzz_tracedat: fuzz/fuzz_tracedat.c $(FUZZ_OBJS)
	clang $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJS) $(LDLIBS)

clean:
	rm -f fuzz/fuzz_tracedat sidetrace libsidetrace.a $(MAN_PAGES) $(UNIT_BINS) $(TEST_HELPERS)
	rm -f cmd/*.[od] lib/*.[od] lib/*/*.[od] plugins/*.[od] plugins/*.so tests/unit/*.d
	rm -rf tests/logs $(ASAN_DIR) $(FUZZ_DIR) tests/unit/asan build/gen

-include $(wildcard cmd/*.d lib/*.d lib/*/*.d plugins/*.d tests/unit/*.d $(ASAN_DIR)/*/*.d $(ASAN_DIR)/*/*/*.d \
	tests/unit/asan/*.d $(FUZZ_DIR)/*/*.d $(FUZZ_DIR)/*/*/*.d)

// SPDX-License-Identifier: LGPL-2.1
/*
 * record --files: probes and events for file-set derivation (record_files.h).
 *
 * The probes share as few events as the kernel allows, because disabling an
 * event costs a grace period or two per event (40-90 ms here), not per probe:
 * the uprobe backend puts every path hook in one event, "path", whose "kind"
 * argument (an enum fs_kind, fileset.h) tells the analysis which syscall
 * result the path belongs to, and dlopen's result in "dlopenret_dlopen"; the
 * kprobe backend puts its getname probes in one event, "any_getname".
 */
#include "elf/ldsearch.h"
#include "fileset/fileset.h"
#include "probe/probe.h"
#include "record/record_fanotify.h"
#include "record/record_targets.h"
#include "record/record_files.h"
#include "tracedat/tracedat.h"
#include "tracefs/tracefs_names.h"
#include "tracefs/tracefs_undo.h"
#include "util.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <tracefs.h>

enum hook_lib { HOOK_LIBC, HOOK_LD };

/* A C library or loader function whose argument is a path. */
struct user_hook {
	enum hook_lib lib;
	const char *func;
	enum fs_kind kind;
	const char *fetch;	/* the path argument's register */
};

/* The events the probes are in (see the top of this file). */
#define PATH_EVENT "path"
#define DLOPENRET_EVENT "dlopenret_dlopen"
#define GETNAME_EVENT "any_getname"

/*
 * Wrappers that call a probed function (__open_2, __openat64_2 and creat64
 * call open64/openat64) are not probed themselves: each trap costs the
 * traced program a few microseconds.
 */
static const struct user_hook user_hooks[] = {
	{ HOOK_LIBC, "open64", FS_K_OPEN, "%di" },
	{ HOOK_LIBC, "__open64_nocancel", FS_K_OPEN, "%di" },
	{ HOOK_LIBC, "openat64", FS_K_OPEN, "%si" },
	{ HOOK_LIBC, "__openat64_nocancel", FS_K_OPEN, "%si" },
	{ HOOK_LIBC, "execve", FS_K_EXEC, "%di" },
	{ HOOK_LIBC, "execveat", FS_K_EXEC, "%si" },
	{ HOOK_LIBC, "fstatat64", FS_K_STAT, "%si" },
	{ HOOK_LIBC, "statx", FS_K_STAT, "%si" },
	{ HOOK_LIBC, "access", FS_K_ACCESS, "%di" },
	{ HOOK_LIBC, "faccessat", FS_K_ACCESS, "%si" },
	{ HOOK_LIBC, "readlink", FS_K_READLINK, "%di" },
	{ HOOK_LIBC, "readlinkat", FS_K_READLINK, "%si" },
	{ HOOK_LIBC, "chdir", FS_K_CHDIR, "%di" },
	{ HOOK_LIBC, "dlopen", FS_K_DLOPEN, "%di" },
	{ HOOK_LIBC, "dlopen", FS_K_DLOPENRET, NULL },	/* its result */
	{ HOOK_LD, "__open64_nocancel", FS_K_OPEN, "%di" },
	{ HOOK_LD, "__access", FS_K_ACCESS, "%di" },
};

/* Syscalls whose enter (arguments) and exit (result) events the analysis reads. */
static const char *const syscalls[] = {
	"open", "openat", "openat2", "creat", "execve", "execveat",
	"newstat", "newlstat", "newfstatat", "statx",
	"access", "faccessat", "faccessat2", "readlink", "readlinkat",
	"chdir", "fchdir", "close", "dup", "dup2", "dup3", "fcntl",
};

static const char *const task_events[][2] = {
	{ "sched", "sched_process_fork" }, { "sched", "sched_process_exec" },
	{ "sched", "sched_process_exit" }, { "task", "task_newtask" },
	{ "io_uring", "io_uring_create" },
};

static const char blind_others[] =
	"descriptors inherited from the launcher or passed over sockets; files that other "
	"processes (daemons) open on the command's behalf";

struct record_files {
	bool probes;		/* a probe backend is used (kprobe or uprobe) */
	bool quiet;
	bool kprobe;
	struct fan_recorder *fan;	/* the fanotify backend, or NULL */
	char *group;
	char *libc;		/* uprobe: the C library probed */
	char *ld;		/* uprobe: the dynamic loader */
	bool libc_open_hooked;	/* open64 was found */
	bool ld_hooked;		/* the loader's open function was found */
	char *missing;		/* uprobe: functions not found, comma-separated */
};

static const char *const backend_names[] = {
	[RF_AUTO] = "auto", [RF_KPROBE] = "kprobe", [RF_UPROBE] = "uprobe",
	[RF_FANOTIFY] = "fanotify", [RF_COMBINED] = "combined",
};

int record_files_backend_from_name(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(backend_names); i++)
		if (!strcmp(name, backend_names[i]))
			return (int)i;
	st_set_error("--files: unknown backend '%s' (auto, kprobe, uprobe, fanotify or combined)",
		     name);
	return -1;
}

static const char *probe_backend(const struct record_files *rf)
{
	return rf->kprobe ? "kprobe" : "uprobe";
}

const char *record_files_backend(const struct record_files *rf)
{
	if (!rf->fan)
		return probe_backend(rf);
	if (!rf->probes)
		return "fanotify";
	return rf->kprobe ? "kprobe+fanotify" : "uprobe+fanotify";
}

void record_files_free(struct record_files *rf)
{
	if (!rf)
		return;
	free(rf->group);
	free(rf->libc);
	free(rf->ld);
	free(rf->missing);
	fan_recorder_free(rf->fan);
	free(rf);
}

/* Add a probe (line) to the event group/event, and the event to the targets. */
static int create_probe(struct st_undo *undo, struct record_targets *t, bool kernel,
			const char *group, const char *event, const char *line)
{
	bool first = !record_targets_has(t, group, event);

	if (probe_add_to_event(undo, kernel, group, event, line, first) < 0)
		return -1;
	if (first)
		record_targets_add(t, group, event, NULL);
	return 0;
}

static void add_sys_events(struct record_targets *t, bool syscall_events)
{
	char name[64];

	for (size_t i = 0; syscall_events && i < ARRAY_SIZE(syscalls); i++) {
		for (int exit = 0; exit < 2; exit++) {
			snprintf(name, sizeof(name), "sys_%s_%s", exit ? "exit" : "enter",
				 syscalls[i]);
			if (tracefs_event_file_exists(NULL, "syscalls", name, "format"))
				record_targets_add(t, "syscalls", name, NULL);
		}
	}
	for (size_t i = 0; i < ARRAY_SIZE(task_events); i++)
		if (tracefs_event_file_exists(NULL, task_events[i][0], task_events[i][1], "format"))
			record_targets_add(t, task_events[i][0], task_events[i][1], NULL);
}

/*
 * Return probes on the kernel's getname family: every path a syscall passes
 * becomes a struct filename there. getname() and getname_uflags() may have
 * getname_flags() inlined (6.1 does), so each gets its own probe; a nested
 * pair names the same string twice, which the analysis takes once.
 */
static int setup_kprobe(struct record_files *rf, struct st_undo *undo, struct record_targets *t)
{
	static const char *const funcs[] = { "getname_flags", "getname", "getname_uflags" };
	int created = 0;

	for (size_t i = 0; i < ARRAY_SIZE(funcs); i++) {
		char *line = xasprintf("r:%s/%s %s path=+0(+0($retval)):string", rf->group,
				       GETNAME_EVENT, funcs[i]);

		if (create_probe(undo, t, true, rf->group, GETNAME_EVENT, line) == 0)
			created++;
		free(line);
	}
	if (!created)
		st_set_error("--files: cannot probe the kernel's getname functions");
	return created ? 0 : -1;
}

/* The dynamic loader: sidetrace's own PT_INTERP, as every dynamic program here has it. */
static char *find_loader(void)
{
	char *interp = NULL, real[PATH_MAX];
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	Elf *elf;
	size_t n;

	elf_version(EV_CURRENT);
	elf = fd >= 0 ? elf_begin(fd, ELF_C_READ, NULL) : NULL;
	if (elf && elf_getphdrnum(elf, &n) == 0) {
		for (size_t i = 0; i < n && !interp; i++) {
			GElf_Phdr ph;
			size_t len;
			char *raw = elf_rawfile(elf, &len);

			if (gelf_getphdr(elf, i, &ph) && ph.p_type == PT_INTERP && raw &&
			    ph.p_offset < len && ph.p_filesz <= len - ph.p_offset)
				interp = xasprintf("%.*s", (int)ph.p_filesz, raw + ph.p_offset);
		}
	}
	if (elf)
		elf_end(elf);
	if (fd >= 0)
		close(fd);
	if (!interp)
		interp = xstrdup("/lib64/ld-linux-x86-64.so.2");
	if (realpath(interp, real)) {
		free(interp);
		interp = xstrdup(real);
	}
	return interp;
}

static void note_missing(struct record_files *rf, const char *what)
{
	char *s = xasprintf("%s%s%s", rf->missing ? rf->missing : "", rf->missing ? ", " : "",
			    what);

	free(rf->missing);
	rf->missing = s;
}

static int hook_one(struct record_files *rf, struct st_undo *undo, struct record_targets *t,
		    const struct user_hook *h)
{
	const char *lib = h->lib == HOOK_LIBC ? rf->libc : rf->ld;
	bool ret_probe = h->kind == FS_K_DLOPENRET;
	const char *event = ret_probe ? DLOPENRET_EVENT : PATH_EVENT;
	struct uprobe_target ut = { 0 };
	char *line, *args;
	int ret;

	if (probe_resolve_uprobe(lib, h->func, ret_probe, &ut) < 0) {
		char *what = xasprintf("%s in %s", h->func, lib);

		note_missing(rf, what);
		free(what);
		return 0;	/* a missing function is a blind spot, not an error */
	}
	args = ret_probe ? xstrdup("ret=$retval:x64") :
			   xasprintf("kind=\\%d:u8 path=+0(%s):string", h->kind, h->fetch);
	line = xasprintf("%c:%s/%s %s:0x%llx %s", ret_probe ? 'r' : 'p', rf->group, event, ut.path,
			 (unsigned long long)ut.offset, args);
	ret = create_probe(undo, t, false, rf->group, event, line);
	if (ret == 0 && h->kind == FS_K_OPEN) {
		if (h->lib == HOOK_LD)
			rf->ld_hooked = true;
		else if (!strcmp(h->func, "open64"))
			rf->libc_open_hooked = true;
	}
	free(line);
	free(args);
	uprobe_target_free(&ut);
	return ret;
}

static int setup_uprobe(struct record_files *rf, struct st_undo *undo, struct record_targets *t)
{
	rf->libc = ld_find_library("libc.so.6");
	if (!rf->libc) {
		st_set_error("--files: no kprobes on this kernel and no C library to probe: %s",
			     st_last_error());
		return -1;
	}
	rf->ld = find_loader();
	for (size_t i = 0; i < ARRAY_SIZE(user_hooks); i++)
		if (hook_one(rf, undo, t, &user_hooks[i]) < 0)
			return -1;
	if (!rf->libc_open_hooked) {
		st_set_error("--files: cannot probe open64 in %s", rf->libc);
		return -1;
	}
	return 0;
}

static int check_probe_events(void)
{
	if (!tracefs_file_exists(NULL, "uprobe_events") && !probe_kernel_has_kprobes()) {
		st_set_error("--files: this kernel has neither kprobe nor uprobe events");
		return -1;
	}
	return 0;
}

/* The probe group's name, free on this kernel. */
static int name_group(struct record_files *rf)
{
	char *events_dir;
	bool exists;

	rf->group = st_name(ST_NAME_FILES_GROUP, getpid());
	events_dir = xasprintf("events/%s", rf->group);
	exists = tracefs_dir_exists(NULL, events_dir);
	free(events_dir);
	if (exists) {
		st_set_error("--files: probe group %s exists already (see sidetrace reset)",
			     rf->group);
		return -1;
	}
	return 0;
}

/* The strongest probe backend: kprobes, else (or when getname cannot be probed) uprobes. */
static int setup_best_probes(struct record_files *rf, struct st_undo *undo,
			     struct record_targets *t)
{
	rf->kprobe = probe_kernel_has_kprobes();
	if (rf->kprobe && setup_kprobe(rf, undo, t) == 0)
		return 0;
	/* A kernel without getname_flags (renamed or inlined): uprobes then. */
	rf->kprobe = false;
	return setup_uprobe(rf, undo, t);
}

static int setup_probes(struct record_files *rf, struct st_undo *undo, struct record_targets *t,
			enum record_files_backend backend)
{
	rf->probes = true;
	if (check_probe_events() < 0)
		return -1;
	switch (backend) {
	case RF_KPROBE:
		if (!probe_kernel_has_kprobes()) {
			st_set_error("--files=kprobe: this kernel has no kprobe events "
				     "(use auto, uprobe, fanotify or combined)");
			return -1;
		}
		rf->kprobe = true;
		return setup_kprobe(rf, undo, t);
	case RF_UPROBE:
		return setup_uprobe(rf, undo, t);
	default:
		return setup_best_probes(rf, undo, t);
	}
}

/* auto: kprobes where present, else fanotify and uprobes, else uprobes alone. */
static enum record_files_backend choose_auto(bool quiet)
{
	if (probe_kernel_has_kprobes())
		return RF_KPROBE;
	if (fan_check() == 0)
		return RF_COMBINED;
	if (!quiet)
		st_warn("--files: %s; using uprobes alone", st_last_error());
	return RF_UPROBE;
}

struct record_files *record_files_setup(struct st_undo *undo, struct record_targets *targets,
					enum record_files_backend backend, pid_t root, bool quiet)
{
	struct record_files *rf = xcalloc(1, sizeof(*rf));
	bool auto_kprobe = false;

	rf->quiet = quiet;
	if (backend == RF_AUTO) {
		backend = choose_auto(quiet);
		auto_kprobe = backend == RF_KPROBE;
	} else if (backend == RF_PROBES) {
		auto_kprobe = true;	/* kprobes where present, else uprobes */
	}
	if (name_group(rf) < 0)
		goto fail;
	if (backend != RF_FANOTIFY &&
	    setup_probes(rf, undo, targets, auto_kprobe ? RF_AUTO : backend) < 0)
		goto fail;
	if ((backend == RF_FANOTIFY || backend == RF_COMBINED) &&
	    !(rf->fan = fan_recorder_start(root)))
		goto fail;
	add_sys_events(targets, rf->probes);
	return rf;
fail:
	record_files_free(rf);
	return NULL;
}

/* One "key=value" line; newlines and backslashes in value are escaped. */
static void put_line(void *ctx, const char *key, const char *value)
{
	FILE *out = ctx;

	fprintf(out, "%s=", key);
	for (const char *v = value; *v; v++) {
		if (*v == '\n' || *v == '\\') {
			fputc('\\', out);
			fputc(*v == '\n' ? 'n' : '\\', out);
		} else {
			fputc(*v, out);
		}
	}
	fputc('\n', out);
}

static void out_of_memory(void)
{
	fputs("sidetrace: out of memory\n", stderr);
	abort();
}

static char *uprobe_blind_spots(const struct record_files *rf)
{
	char *s, *t;

	s = xasprintf("opens that bypass the functions of %s: static binaries, Go and other "
		      "raw-syscall runtimes, other C libraries, direct syscall(2) calls and the "
		      "library's own raw syscalls (fexecve); files opened through io_uring",
		      rf->libc);
	if (!rf->ld_hooked) {
		t = xasprintf("%s; the dynamic loader's own opens (/etc/ld.so.cache, DT_NEEDED "
			      "libraries of dlopen'ed objects): %s has no symbols for its open "
			      "function (install libc6-dbg, or use report --with-deps)", s, rf->ld);
		free(s);
		s = t;
	}
	return s;
}

static char *probe_blind_spots(const struct record_files *rf)
{
	char *s, *t;

	s = rf->kprobe ? xstrdup("files opened through io_uring") : uprobe_blind_spots(rf);
	t = xasprintf("%s; %s", s, blind_others);
	free(s);
	return t;
}

static const char fanotify_blind[] =
	"failed opens and lookups that open nothing (stat, access, readlink, chdir); the path as "
	"the program wrote it (symbolic links come resolved); files on filesystems that refuse a "
	"mark, or that were mounted after the recording started or only in another mount "
	"namespace";

static char *fanotify_blind_spots(void)
{
	return xasprintf("%s; %s", fanotify_blind, blind_others);
}

/* What no backend of the recording sees. */
static char *blind_spots(const struct record_files *rf)
{
	if (!rf->fan)
		return probe_blind_spots(rf);
	if (!rf->probes)
		return fanotify_blind_spots();
	if (rf->kprobe)
		return xasprintf("files on filesystems fanotify did not mark, opened through "
				 "io_uring; %s", blind_others);
	return xasprintf("for programs that bypass the C library's functions (static binaries, "
			 "Go, other C libraries, raw syscalls, io_uring): their failed opens and "
			 "their lookups that open nothing, and their opens on filesystems "
			 "fanotify did not mark; %s", blind_others);
}

void record_files_add_option(struct record_files *rf, struct td_meta *meta, pid_t root,
			     char *const *command)
{
	char *text = NULL, *blind = blind_spots(rf), num[32], cwd[PATH_MAX];
	const char *llp = getenv("LD_LIBRARY_PATH");
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	if (!out)
		out_of_memory();
	fan_recorder_stop(rf->fan);
	if (rf->fan && !rf->quiet)
		fan_recorder_print_summary(rf->fan, stderr);
	put_line(out, "version", "1");
	put_line(out, "backend", record_files_backend(rf));
	put_line(out, "group", rf->group);
	put_line(out, "cannot_see", blind);
	free(blind);
	if (rf->probes) {
		blind = probe_blind_spots(rf);
		put_line(out, rf->kprobe ? "cannot_see_kprobe" : "cannot_see_uprobe", blind);
		free(blind);
	}
	if (rf->fan) {
		blind = fanotify_blind_spots();
		put_line(out, "cannot_see_fanotify", blind);
		free(blind);
	}
	if (rf->missing)
		put_line(out, "missing", rf->missing);
	if (getcwd(cwd, sizeof(cwd)))
		put_line(out, "cwd", cwd);
	snprintf(num, sizeof(num), "%d", (int)root);
	put_line(out, "root_pid", num);
	for (int i = 0; command && command[i]; i++)
		put_line(out, "argv", command[i]);
	if (llp)
		put_line(out, "ld_library_path", llp);
	if (rf->fan)
		fan_recorder_put_lines(rf->fan, put_line, out);
	if (fclose(out) != 0)
		out_of_memory();
	td_meta_add_option(meta, TD_OPT_FILES, text, len + 1);
	free(text);
}

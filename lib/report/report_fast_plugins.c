// SPDX-License-Identifier: LGPL-2.1
/*
 * Native printers of libtraceevent's own plugin handlers, the INFO of the
 * events they print written without tep_print_event():
 *   plugin_sched_switch  sched:sched_switch, sched:sched_wakeup, sched:sched_wakeup_new
 *   plugin_hrtimer       timer:hrtimer_expire_entry, timer:hrtimer_start
 *   plugin_futex         syscalls:sys_enter_futex
 * Byte for byte what those handlers of libtraceevent 1.7.1 print, side effect
 * included: the sched handlers register the comms they print
 * (tep_register_comm()), so this does too.
 *
 * A native printer stands in only for the handler the event really has: it
 * must live in the plugin file of that name in libtraceevent's own plugin
 * directory (the directory of the library, then traceevent/plugins), and
 * that plugin must have no options (an option could change its text). A
 * plugin of the same name loaded from elsewhere (TRACEEVENT_PLUGIN_DIR,
 * ~/.local) replaces the handler, and libtraceevent prints. So do records the
 * handler would print oddly (a futex op it does not know, a record too
 * short) and, as for every compiled format, report.c compares the first
 * records with libtraceevent's text.
 */
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <traceevent/event-parse.h>

#include "report/report_fast_priv.h"
#include "tracedat/tracedat.h"
#include "util.h"

enum native_kind { SCHED_SWITCH, SCHED_WAKEUP, HRTIMER_EXPIRE, HRTIMER_START, FUTEX };

#define MAX_FIELDS 7
#define COMM_MAX 256		/* longer comm fields go to libtraceevent */
#define PID_BITS (1 << 22)	/* pids remembered as registered (PID_MAX_LIMIT) */

/* The fields a handler reads, in the order its printer names them. */
struct native_spec {
	const char *system, *event, *plugin;
	enum native_kind kind;
	const char *fields[MAX_FIELDS];
	unsigned int optional;	/* bit per field: the handler prints without it */
	unsigned int strings;	/* bit per field: a char array (comm), not a number */
};

static const struct native_spec specs[] = {
	{ "sched", "sched_switch", "plugin_sched_switch.so", SCHED_SWITCH,
	  { "prev_comm", "prev_pid", "prev_prio", "prev_state", "next_comm", "next_pid",
	    "next_prio" }, 0, 1 << 0 | 1 << 4 },
	{ "sched", "sched_wakeup", "plugin_sched_switch.so", SCHED_WAKEUP,
	  { "comm", "pid", "prio", "success", "target_cpu" }, 1 << 3, 1 << 0 },
	{ "sched", "sched_wakeup_new", "plugin_sched_switch.so", SCHED_WAKEUP,
	  { "comm", "pid", "prio", "success", "target_cpu" }, 1 << 3, 1 << 0 },
	{ "timer", "hrtimer_expire_entry", "plugin_hrtimer.so", HRTIMER_EXPIRE,
	  { "hrtimer", "now", "function" }, 0, 0 },
	{ "timer", "hrtimer_start", "plugin_hrtimer.so", HRTIMER_START,
	  { "hrtimer", "function", "expires", "softexpires" }, 0, 0 },
	{ "syscalls", "sys_enter_futex", "plugin_futex.so", FUTEX,
	  { "uaddr", "op", "val", "utime", "uaddr2", "val3" }, 0, 0 },
};

struct native_field {
	int offset, size;	/* size 0: the event has no such (optional) field */
};

struct fast_native {
	enum native_kind kind;
	struct native_field f[MAX_FIELDS];
	int end;		/* the record must be this long */
};

void fast_native_free(struct fast_native *n)
{
	free(n);
}

/* ------------------------------------------------------------------------- */
/* Is ev's handler libtraceevent's own plugin? */

static char *resolved_dir(const char *path, size_t len, const char *more)
{
	char *dir = xasprintf("%.*s%s", (int)len, path, more);
	char *real = realpath(dir, NULL);

	free(dir);
	return real;
}

/*
 * Whether the plugin has options (TEP_PLUGIN_OPTIONS). The three replaced
 * here have none in libtraceevent 1.7.1; a later one that has could print
 * differently under -O. (tep_plugin_list_options() would also show options
 * registered at load time, but 1.7.1's writes past its allocation.)
 */
static bool plugin_has_options(const char *path)
{
	void *handle = dlopen(path, RTLD_LAZY | RTLD_NOLOAD);
	bool found;

	if (!handle)
		return true;
	found = dlsym(handle, TEP_PLUGIN_OPTIONS_NAME) != NULL;
	dlclose(handle);
	return found;
}

static bool libtraceevent_plugin(tep_event_handler_func handler, const char *file)
{
	Dl_info in_plugin, in_lib;
	const char *base, *lib_base;
	char *dir, *own_dir;
	bool same;

	if (!dladdr((void *)handler, &in_plugin) || !in_plugin.dli_fname ||
	    !dladdr((void *)tep_alloc, &in_lib) || !in_lib.dli_fname)
		return false;
	base = strrchr(in_plugin.dli_fname, '/');
	lib_base = strrchr(in_lib.dli_fname, '/');
	if (!base || !lib_base || strcmp(base + 1, file))
		return false;
	dir = resolved_dir(in_plugin.dli_fname, base - in_plugin.dli_fname, "");
	own_dir = resolved_dir(in_lib.dli_fname, lib_base - in_lib.dli_fname, "/traceevent/plugins");
	same = dir && own_dir && !strcmp(dir, own_dir);
	free(dir);
	free(own_dir);
	return same && !plugin_has_options(in_plugin.dli_fname);
}

/* ------------------------------------------------------------------------- */
/* Compiling: where the handler's fields are */

static bool number_size(int size)
{
	return size == 1 || size == 2 || size == 4 || size == 8;
}

static struct fast_native *native_fields(struct tep_event *ev, const struct native_spec *spec)
{
	struct fast_native *n = xcalloc(1, sizeof(*n));

	n->kind = spec->kind;
	for (int i = 0; i < MAX_FIELDS && spec->fields[i]; i++) {
		bool string = spec->strings & (1u << i);
		/* as the handlers look them up: comms anywhere, numbers among the event's own */
		struct tep_format_field *f = string ? tep_find_any_field(ev, spec->fields[i]) :
						      tep_find_field(ev, spec->fields[i]);

		if (!f) {
			if (spec->optional & (1u << i))
				continue;
			goto fail;
		}
		if (string ? (f->size <= 0 || f->size > COMM_MAX || (f->flags & TEP_FIELD_IS_DYNAMIC))
			   : !number_size(f->size))
			goto fail;
		if (f->offset < 0 || f->offset > INT_MAX - f->size)
			goto fail;
		n->f[i].offset = f->offset;
		n->f[i].size = f->size;
		if (f->offset + f->size > n->end)
			n->end = f->offset + f->size;
	}
	/* the hrtimer handlers prefer a field called timer, which these events lack */
	if ((spec->kind == HRTIMER_EXPIRE || spec->kind == HRTIMER_START) &&
	    tep_find_field(ev, "timer"))
		goto fail;
	return n;
fail:
	free(n);
	return NULL;
}

/* Everything a printer writes fits: numbers of 20 digits, the comms, the function. */
static size_t native_max_len(const struct fast_native *n)
{
	size_t len = 256;

	for (int i = 0; i < MAX_FIELDS; i++)
		len += n->f[i].size + 24;
	return len;
}

struct fast_fmt *fast_native_compile(struct report_fast *f, struct tep_event *ev)
{
	struct fast_native *n = NULL;
	struct fast_fmt *ff;
	struct fast_op *op;

	if (!ev->handler || (ev->flags & TEP_EVENT_FL_NOHANDLE) || !ev->system || !ev->name)
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(specs) && !n; i++)
		if (!strcmp(ev->system, specs[i].system) && !strcmp(ev->name, specs[i].event) &&
		    libtraceevent_plugin(ev->handler, specs[i].plugin))
			n = native_fields(ev, &specs[i]);
	if (!n)
		return NULL;
	ff = fast_fmt_alloc(f);
	op = fast_add_op(ff, OP_NATIVE);
	op->native = n;
	ff->max_len = native_max_len(n);
	return ff;
}

/* ------------------------------------------------------------------------- */
/* Printing */

static const struct fast_op lld = { .conv = 'd', .is_long = true };
static const struct fast_op d32 = { .conv = 'd' };
static const struct fast_op llu = { .conv = 'u', .is_long = true };
static const struct fast_op llx = { .conv = 'x', .is_long = true };
static const struct fast_op llx08 = { .conv = 'x', .is_long = true, .zero = true, .width = 8 };
static const struct fast_op llu03 = { .conv = 'u', .is_long = true, .zero = true, .width = 3 };

struct native_ctx {
	const struct fast_native *n;
	struct report_fast *f;
	bool swap;
	bool checking;		/* the caller also prints the record through libtraceevent */
	const char *data;
};

static unsigned long long field_val(const struct native_ctx *c, int i)
{
	return fast_read_number(c->f->tep, c->swap, c->data + c->n->f[i].offset, c->n->f[i].size);
}

static char *put_lit(char *p, const char *s)
{
	size_t len = strlen(s);

	memcpy(p, s, len);
	return p + len;
}

/* Remembered: tep_register_comm() has pid, a second call would change nothing. */
static bool comm_known(const struct report_fast *f, int pid)
{
	return pid > 0 && pid < PID_BITS && f->comm_known &&
	       (f->comm_known[pid >> 3] & (1u << (pid & 7)));
}

static void set_comm_known(struct report_fast *f, int pid)
{
	if (pid <= 0 || pid >= PID_BITS)
		return;
	if (!f->comm_known)
		f->comm_known = xcalloc(PID_BITS / 8, 1);
	f->comm_known[pid >> 3] |= 1u << (pid & 7);
}

/*
 * The plugin's tep_register_comm(). Once libtraceevent's comm list is its
 * sorted array (a lookup of a task's comm makes it so), a registration keeps
 * the first comm of a pid and ignores pid 0: pids seen once need no call.
 * Before, each call appends to its list: then every call is made.
 */
static void register_comm(struct report_fast *f, const char *comm, int pid)
{
	if (f->cmdlines_ready && (!pid || comm_known(f, pid)))
		return;
	errno = 0;
	if (tep_register_comm(f->tep, comm, pid) == 0)
		f->comms_changed = true;
	else if (errno != EEXIST)
		return;
	if (f->cmdlines_ready)
		set_comm_known(f, pid);
}

/*
 * The comm as the sched handlers print it ("%.*s" of the whole field), then
 * registered with the pid, as they do. Not while the format is still being
 * checked: the caller prints the record through libtraceevent too, whose
 * plugin registers it (twice would add a second entry before the array).
 */
static char *put_comm(char *p, const struct native_ctx *c, int i, int pid)
{
	const char *comm = c->data + c->n->f[i].offset;
	size_t len = strnlen(comm, c->n->f[i].size);
	char name[COMM_MAX + 1];

	memcpy(p, comm, len);
	if (!c->checking) {
		memcpy(name, comm, len);
		name[len] = '\0';
		register_comm(c->f, name, pid);
	}
	return p + len;
}

/*
 * Once a record of a task other than the idle one (pid 0) comes, its comm
 * has been looked up for its line (in trace-cmd too): libtraceevent's comm
 * list is an array from then on. The lookup is repeated here to be sure.
 */
static void note_comm_lookup(struct report_fast *f, const struct tep_record *rec)
{
	int pid;

	if (f->cmdlines_ready)
		return;
	pid = tep_data_pid(f->tep, (struct tep_record *)rec);
	if (!pid)
		return;
	tep_data_comm_from_pid(f->tep, pid);
	f->cmdlines_ready = true;
}

/* plugin_sched_switch's state letters: a bit each, '|' between, 'R' for none. */
static char *put_state(char *p, int state)
{
	static const char letters[] = "SDTtZXxW";
	bool any = false;

	for (int i = 0; i < 8; i++) {
		if (!(state & (1 << i)))
			continue;
		if (any)
			*p++ = '|';
		*p++ = letters[i];
		any = true;
	}
	if (!any)
		*p++ = 'R';
	return p;
}

/* "prev_comm:prev_pid [prev_prio] STATE ==> next_comm:next_pid [next_prio]" */
static char *print_sched_switch(char *p, const struct native_ctx *c)
{
	unsigned long long pid = field_val(c, 1);

	p = put_comm(p, c, 0, (int)pid);
	*p++ = ':';
	p = fast_put_number(p, &lld, pid);
	p = put_lit(p, " [");
	p = fast_put_number(p, &d32, field_val(c, 2));
	p = put_lit(p, "] ");
	p = put_state(p, (int)field_val(c, 3));
	p = put_lit(p, " ==> ");
	pid = field_val(c, 5);
	p = put_comm(p, c, 4, (int)pid);
	*p++ = ':';
	p = fast_put_number(p, &lld, pid);
	p = put_lit(p, " [");
	p = fast_put_number(p, &d32, field_val(c, 6));
	return put_lit(p, "]");
}

/* "comm:pid [prio]", " success=N" when the event has it, " CPU:NNN" */
static char *print_sched_wakeup(char *p, const struct native_ctx *c)
{
	unsigned long long pid = field_val(c, 1);

	p = put_comm(p, c, 0, (int)pid);
	*p++ = ':';
	p = fast_put_number(p, &lld, pid);
	p = put_lit(p, " [");
	p = fast_put_number(p, &lld, field_val(c, 2));
	*p++ = ']';
	if (c->n->f[3].size) {
		p = put_lit(p, " success=");
		p = fast_put_number(p, &lld, field_val(c, 3));
	}
	p = put_lit(p, " CPU:");
	return fast_put_number(p, &llu03, field_val(c, 4));
}

/*
 * tep_print_func_field()'s text: "NAME/0xOFFSET" with the offset the
 * function's start minus the address (so usually a wrapped negative), cut at
 * 127 bytes; "0x%08llx" of the address when no function has it.
 */
static char *put_func_field(char *p, const struct native_ctx *c, int i)
{
	unsigned long long addr = field_val(c, i), start;
	const char *name = fast_find_function(c->f, addr, &start);
	char text[128 + 24], *end;
	size_t len;

	if (!name)
		return fast_put_number(put_lit(p, "0x"), &llx08, addr);
	len = strnlen(name, 127);
	memcpy(text, name, len);
	end = fast_put_number(put_lit(text + len, "/0x"), &llx, start - addr);
	len = end - text > 127 ? 127 : end - text;
	memcpy(p, text, len);
	return p + len;
}

/* "hrtimer=0xADDR now=NOW function=F" */
static char *print_hrtimer_expire(char *p, const struct native_ctx *c)
{
	p = fast_put_number(put_lit(p, "hrtimer=0x"), &llx, field_val(c, 0));
	p = fast_put_number(put_lit(p, " now="), &llu, field_val(c, 1));
	return put_func_field(put_lit(p, " function="), c, 2);
}

/* "hrtimer=0xADDR function=F expires=E softexpires=S" */
static char *print_hrtimer_start(char *p, const struct native_ctx *c)
{
	p = fast_put_number(put_lit(p, "hrtimer=0x"), &llx, field_val(c, 0));
	p = put_func_field(put_lit(p, " function="), c, 1);
	p = fast_put_number(put_lit(p, " expires="), &llu, field_val(c, 2));
	return fast_put_number(put_lit(p, " softexpires="), &llu, field_val(c, 3));
}

/* plugin_futex's table: which arguments each command shows, and how. */
enum futex_fmt { NONE, HEX, DEC };

static const struct {
	const char *name;
	enum futex_fmt val, utime, uaddr2, val3;
} futex_ops[] = {
	{ "FUTEX_WAIT", HEX, HEX, NONE, NONE },
	{ "FUTEX_WAKE", DEC, NONE, NONE, NONE },
	{ "FUTEX_FD", DEC, NONE, NONE, NONE },
	{ "FUTEX_REQUEUE", DEC, DEC, HEX, NONE },
	{ "FUTEX_CMP_REQUEUE", DEC, DEC, HEX, HEX },
	{ "FUTEX_WAKE_OP", DEC, DEC, HEX, HEX },
	{ "FUTEX_LOCK_PI", NONE, HEX, NONE, NONE },
	{ "FUTEX_UNLOCK_PI", NONE, NONE, NONE, NONE },
	{ "FUTEX_TRYLOCK_PI", NONE, NONE, NONE, NONE },
	{ "FUTEX_WAIT_BITSET", HEX, HEX, NONE, HEX },
	{ "FUTEX_WAKE_BITSET", DEC, NONE, NONE, HEX },
	{ "FUTEX_WAIT_REQUEUE_PI", HEX, HEX, HEX, HEX },
	{ "FUTEX_CMP_REQUEUE_PI", DEC, DEC, HEX, HEX },
};

#define FUTEX_PRIVATE 128
#define FUTEX_REALTIME 256

static char *put_futex_arg(char *p, const char *label, enum futex_fmt how, unsigned long long v)
{
	if (how == NONE)
		return p;
	p = put_lit(p, label);
	if (how == DEC)
		return fast_put_number(p, &llu, v);
	return fast_put_number(put_lit(p, "0x"), &llx08, v);
}

/* "op=NAME[|FUTEX_PRIVATE_FLAG][|FUTEX_CLOCK_REALTIME] uaddr=0x..." and the op's arguments */
static char *print_futex(char *p, const struct native_ctx *c)
{
	unsigned long long op = field_val(c, 1);
	unsigned long long cmd = op & ~(unsigned long long)(FUTEX_PRIVATE | FUTEX_REALTIME);

	if (cmd >= ARRAY_SIZE(futex_ops))
		return NULL;	/* the handler gives up: libtraceevent prints the format */
	p = put_lit(put_lit(p, "op="), futex_ops[cmd].name);
	if (op & FUTEX_PRIVATE)
		p = put_lit(p, "|FUTEX_PRIVATE_FLAG");
	if (op & FUTEX_REALTIME)
		p = put_lit(p, "|FUTEX_CLOCK_REALTIME");
	p = put_futex_arg(p, " uaddr=", HEX, field_val(c, 0));
	/* utime is val2 for the commands that print it as a number */
	p = put_futex_arg(p, " val=", futex_ops[cmd].val, field_val(c, 2));
	p = put_futex_arg(p, futex_ops[cmd].utime == DEC ? " val2=" : " utime=",
			  futex_ops[cmd].utime, field_val(c, 3));
	p = put_futex_arg(p, " uaddr2=", futex_ops[cmd].uaddr2, field_val(c, 4));
	return put_futex_arg(p, " val3=", futex_ops[cmd].val3, field_val(c, 5));
}

int fast_native_print(const struct fast_native *n, struct report_fast *f, bool swap,
		      bool checking, const struct tep_record *rec, char *buf)
{
	struct native_ctx c = { .n = n, .f = f, .swap = swap, .checking = checking,
				.data = rec->data };
	char *end = NULL;

	if (!td_in_record(0, n->end, rec->size))
		return -1;
	switch (n->kind) {
	case SCHED_SWITCH:
		note_comm_lookup(f, rec);
		end = print_sched_switch(buf, &c);
		break;
	case SCHED_WAKEUP:
		note_comm_lookup(f, rec);
		end = print_sched_wakeup(buf, &c);
		break;
	case HRTIMER_EXPIRE:
		end = print_hrtimer_expire(buf, &c);
		break;
	case HRTIMER_START:
		end = print_hrtimer_start(buf, &c);
		break;
	case FUTEX:
		end = print_futex(buf, &c);
		break;
	}
	return end ? end - buf : -1;
}

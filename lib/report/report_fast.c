// SPDX-License-Identifier: LGPL-2.1
/*
 * Compiled print formats: the INFO text of simple events without going
 * through libtraceevent's printf machinery, which is most of a report's run
 * time (raw_syscalls, syscalls:*, many sched and irq events).
 *
 * An event qualifies when it has no handler (an event printed by one of
 * libtraceevent's own plugins may get a native printer instead, see
 * report_fast_plugins.c), parsed cleanly, and its print format uses only:
 *   - literal text, with the backslash escapes libtraceevent knows (\n \t \r
 *     \\, any other character stands for itself), and "%%";
 *   - %d %i %u %x %X with an optional 'l', "ll" or 'L', flags '-', '0', '#',
 *     and a width (no precision, no '*');
 *   - %s, optional '-' and width; a bare %p (no width, no extension);
 *   - %ps %pf (a kernel function's name) and %pS %pF (and "+0x" its offset),
 *     bare: "0x" and the address when no function has it;
 * with numeric arguments that are a numeric field (REC->x), an element of a
 * numeric array field (REC->x[N]), a number, a cast, or the operators
 * libtraceevent evaluates (+ - * / % & | && || << >> ! ~ and comparisons)
 * of those, in 64-bit unsigned arithmetic, dividing and shifting only by
 * constants it survives; string arguments that are a char array field
 * or __get_str(); or for %s __print_symbolic() and __print_flags() of a
 * number: each name printed with the conversion's width, "0x%llx" for what no
 * name covers, table values read as libtraceevent's eval_flag() reads them
 * (a number, a softirq or hrtimer-restart name, -1 for any other name); and
 * for %s NUMBER ? A : B, each side a string or such a table. Numbers may also take 'h' or "hh" (printf
 * converts the value to a short or a char).
 *
 * The values follow libtraceevent 1.7.1: a field is read as an unsigned number
 * of its size (no sign extension); a cast masks to its type's width
 * (eval_type_str(): 8, 16 or 32 bits, else nothing); %d-family conversions
 * then cast to int without 'l' and to long with it.
 * Anything else, or a record too short for its fields, goes to libtraceevent.
 * report.c also prints the first records of every compiled event both ways
 * and drops the compiled form at the first difference.
 */
#include "report/report_fast.h"
#include "report/report_fast_priv.h"

#include <stdlib.h>
#include <string.h>

#include <traceevent/event-parse.h>

#include "report/report_fmt.h"
#include "tracedat/tracedat.h"
#include "util.h"

#define VERIFY_RECORDS 8
#define FUNC_NAME_MAX 256	/* longer %ps names go to libtraceevent */

static void init_hex_pairs(void);
static char hex_pairs[2][512];

struct report_fast *report_fast_new(struct tep_handle *tep)
{
	struct report_fast *f = xcalloc(1, sizeof(*f));

	if (!hex_pairs[0][1])
		init_hex_pairs();
	f->tep = tep;
	f->fmts = st_sparse_alloc(TD_NR_TYPES * sizeof(*f->fmts));
	f->state = st_sparse_alloc(TD_NR_TYPES);
	f->max_id = -1;
	return f;
}

static void expr_free(struct fast_expr *e)
{
	if (!e)
		return;
	expr_free(e->left);
	expr_free(e->right);
	free(e);
}

static void op_free_parts(struct fast_op *op)
{
	free(op->syms);
	free((char *)(op->kind == OP_LIT ? op->lit : NULL));
	expr_free(op->expr);
	fast_native_free(op->native);
	for (int i = 0; i < 2; i++) {
		if (op->branch[i])
			op_free_parts(op->branch[i]);
		free(op->branch[i]);
	}
}

static void fast_fmt_free(struct fast_fmt *ff)
{
	if (!ff)
		return;
	for (int i = 0; i < ff->nr_ops; i++)
		op_free_parts(&ff->ops[i]);
	free(ff->ops);
	free(ff);
}

void report_fast_free(struct report_fast *f)
{
	if (!f)
		return;
	for (int i = 0; i <= f->max_id; i++)
		fast_fmt_free(f->fmts[i]);
	st_sparse_free(f->fmts, TD_NR_TYPES * sizeof(*f->fmts));
	st_sparse_free(f->state, TD_NR_TYPES);
	free(f->comm_known);
	free(f);
}

struct fast_fmt *fast_fmt_alloc(struct report_fast *f)
{
	struct fast_fmt *ff = xcalloc(1, sizeof(*ff));

	ff->owner = f;
	return ff;
}

struct fast_op *fast_add_op(struct fast_fmt *ff, enum op_kind kind)
{
	struct fast_op *op;

	ff->ops = xrealloc(ff->ops, (ff->nr_ops + 1) * sizeof(*ff->ops));
	op = &ff->ops[ff->nr_ops++];
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	op->mask = ~0ULL;
	return op;
}

bool report_fast_comms_changed(struct report_fast *f)
{
	bool changed = f->comms_changed;

	f->comms_changed = false;
	return changed;
}

const char *fast_find_function(struct report_fast *f, unsigned long long addr,
			       unsigned long long *start)
{
	struct func_slot *s = &f->funcs[(addr ^ (addr >> 12)) & (FUNC_SLOTS - 1)];

	if (!s->valid || s->addr != addr) {
		s->addr = addr;
		s->name = tep_find_function(f->tep, addr);
		s->start = s->name ? tep_find_function_address(f->tep, addr) : 0;
		s->valid = true;
	}
	*start = s->start;
	return s->name;
}

static bool plain_number_field(const struct tep_format_field *f)
{
	if (!f || (f->flags & (TEP_FIELD_IS_ARRAY | TEP_FIELD_IS_DYNAMIC | TEP_FIELD_IS_STRING)))
		return false;
	return f->size == 1 || f->size == 2 || f->size == 4 || f->size == 8;
}

/* What libtraceevent's eval_type_str() keeps of a value cast to type: a mask. */
static uint64_t cast_mask(const char *type)
{
	static const struct { const char *type; uint64_t mask; } fixed[] = {
		{ "u8", 0xff }, { "u16", 0xffff }, { "u32", 0xffffffff },
		{ "s8", 0xff }, { "s16", 0xffff }, { "s32", 0xffffffff },
	}, plain[] = {
		{ "char", 0xff }, { "short", 0xffff }, { "int", 0xffffffff },
	};
	size_t len = strlen(type);

	/* pointers and structs are kept whole */
	if (!len || type[len - 1] == '*' || !strncmp(type, "struct", 6))
		return ~0ULL;
	for (size_t i = 0; i < ARRAY_SIZE(fixed); i++)
		if (!strcmp(type, fixed[i].type))
			return fixed[i].mask;
	/* signed or not, the same mask: the conversion makes the sign */
	if (!strncmp(type, "unsigned ", 9))
		type += 9;
	for (size_t i = 0; i < ARRAY_SIZE(plain); i++)
		if (!strcmp(type, plain[i].type))
			return plain[i].mask;
	return ~0ULL;
}

static struct tep_format_field *field_of(struct tep_event *ev, struct tep_print_arg *arg)
{
	if (!arg->field.field)
		arg->field.field = tep_find_any_field(ev, arg->field.name);
	return arg->field.field;
}

/* REC->x[N] of a numeric array: where the element is; -1 if not one. */
static int array_element(struct tep_event *ev, struct tep_print_arg *arg, int *offset, int *size)
{
	struct tep_format_field *f;
	unsigned long idx;
	char *end;

	if (arg->type != TEP_PRINT_OP || strcmp(arg->op.op, "[") || !arg->op.left ||
	    !arg->op.right || arg->op.left->type != TEP_PRINT_FIELD ||
	    arg->op.right->type != TEP_PRINT_ATOM)
		return -1;
	idx = strtoul(arg->op.right->atom.atom, &end, 0);
	f = field_of(ev, arg->op.left);
	if (*end || !f || !(f->flags & TEP_FIELD_IS_ARRAY) ||
	    (f->flags & (TEP_FIELD_IS_DYNAMIC | TEP_FIELD_IS_STRING)) ||
	    !(f->elementsize == 1 || f->elementsize == 2 || f->elementsize == 4 ||
	      f->elementsize == 8) || idx >= f->arraylen ||
	    (uint64_t)f->offset + (uint64_t)idx * f->elementsize > INT32_MAX)
		return -1;
	*offset = f->offset + idx * f->elementsize;
	*size = f->elementsize;
	return 0;
}

/* The operators eval_num_arg() knows, spelled as its parser leaves them. */
static bool known_op(const char *op)
{
	static const char *const ops[] = { "+", "-", "*", "/", "%", "&", "|", "&&", "||", "<<",
					   ">>", "<", ">", "<=", ">=", "==", "!=", "!", "~" };

	for (size_t i = 0; i < ARRAY_SIZE(ops); i++)
		if (!strcmp(op, ops[i]))
			return true;
	return false;
}

/*
 * An argument as a computed number (fields, constants, casts and operators),
 * evaluated as eval_num_arg() does; NULL for anything else. lo/hi grow to the
 * span of the fields read.
 */
static struct fast_expr *compile_expr(struct tep_event *ev, struct tep_print_arg *arg, int *lo,
				      int *hi, int depth)
{
	struct fast_expr *e;
	struct tep_format_field *f;
	int offset, size;
	char *end;

	if (!arg || depth > 32)
		return NULL;
	e = xcalloc(1, sizeof(*e));
	switch (arg->type) {
	case TEP_PRINT_NULL:	/* the missing left side of a unary operator */
		e->kind = EX_CONST;
		return e;
	case TEP_PRINT_ATOM:
		/* a number only: libtraceevent's strtoull() would make a name 0 */
		e->kind = EX_CONST;
		e->value = strtoull(arg->atom.atom, &end, 0);
		if (arg->atom.atom[0] < '0' || arg->atom.atom[0] > '9' || *end)
			goto fail;
		return e;
	case TEP_PRINT_FIELD:
		f = field_of(ev, arg);
		if (!plain_number_field(f))
			goto fail;
		offset = f->offset;
		size = f->size;
		break;
	case TEP_PRINT_TYPE:
		e->kind = EX_MASK;
		e->value = cast_mask(arg->typecast.type);
		e->left = compile_expr(ev, arg->typecast.item, lo, hi, depth + 1);
		if (!e->left)
			goto fail;
		return e;
	case TEP_PRINT_OP:
		if (array_element(ev, arg, &offset, &size) == 0)
			break;
		if (!known_op(arg->op.op) || !arg->op.left || !arg->op.right)
			goto fail;
		e->kind = EX_OP;
		strcpy(e->op, arg->op.op);
		e->left = compile_expr(ev, arg->op.left, lo, hi, depth + 1);
		e->right = compile_expr(ev, arg->op.right, lo, hi, depth + 1);
		if (!e->left || !e->right)
			goto fail;
		/* libtraceevent would die dividing by zero or shift by 64 or more */
		if ((!strcmp(e->op, "/") || !strcmp(e->op, "%")) &&
		    (e->right->kind != EX_CONST || !e->right->value))
			goto fail;
		if ((!strcmp(e->op, "<<") || !strcmp(e->op, ">>")) &&
		    (e->right->kind != EX_CONST || e->right->value >= 64))
			goto fail;
		return e;
	default:
		goto fail;
	}
	e->kind = EX_FIELD;
	e->offset = offset;
	e->size = size;
	if (*lo < 0 || offset < *lo)
		*lo = offset;
	if (offset + size > *hi)
		*hi = offset + size;
	return e;
fail:
	expr_free(e);
	return NULL;
}

static unsigned long long eval_expr(const struct fast_expr *e, struct tep_handle *tep, bool swap,
				    const char *data)
{
	unsigned long long l, r;

	switch (e->kind) {
	case EX_CONST:
		return e->value;
	case EX_FIELD:
		return fast_read_number(tep, swap, data + e->offset, e->size);
	case EX_MASK:
		return eval_expr(e->left, tep, swap, data) & e->value;
	case EX_OP:
		break;
	}
	l = eval_expr(e->left, tep, swap, data);
	r = eval_expr(e->right, tep, swap, data);
	switch (e->op[0]) {
	case '+': return l + r;
	case '-': return l - r;
	case '*': return l * r;
	case '/': return l / r;
	case '%': return l % r;
	case '~': return ~r;
	case '!': return e->op[1] ? l != r : !r;
	case '=': return l == r;
	case '&': return e->op[1] ? l && r : l & r;
	case '|': return e->op[1] ? l || r : l | r;
	case '<': return e->op[1] == '<' ? l << r : e->op[1] ? l <= r : l < r;
	case '>': return e->op[1] == '>' ? l >> r : e->op[1] ? l >= r : l > r;
	}
	return 0;
}

/* Where a numeric argument's value is, or how it is computed; -1 if not one we handle. */
static int compile_num_arg(struct tep_event *ev, struct tep_print_arg *arg, struct fast_op *op)
{
	struct tep_print_arg *item = arg;
	struct tep_format_field *f;
	int lo = -1, hi = 0;

	/* the common forms, read straight: REC->x, REC->x[N], and a cast of those */
	if (item->type == TEP_PRINT_TYPE)
		item = item->typecast.item;
	if (item->type == TEP_PRINT_FIELD && plain_number_field(f = field_of(ev, item))) {
		op->offset = f->offset;
		op->size = f->size;
	} else if (array_element(ev, item, &op->offset, &op->size) < 0) {
		op->expr = compile_expr(ev, arg, &lo, &hi, 0);
		if (!op->expr)
			return -1;
		op->offset = lo < 0 ? 0 : lo;
		op->size = hi - op->offset;
		return 0;
	}
	if (item != arg)
		op->mask = cast_mask(arg->typecast.type);
	return 0;
}

static int compile_str_arg(struct tep_event *ev, struct tep_print_arg *arg, struct fast_op *op)
{
	struct tep_format_field *f;

	if (arg->type == TEP_PRINT_STRING) {
		f = arg->string.field;
		if (!f)
			f = arg->string.field = tep_find_any_field(ev, arg->string.string);
		if (!f || f->size != 4 || (f->flags & TEP_FIELD_IS_RELATIVE))
			return -1;
		op->offset = f->offset;
		op->size = 4;
		op->data_loc = true;
		return 0;
	}
	if (arg->type == TEP_PRINT_FIELD) {
		f = field_of(ev, arg);
		/* a char array; libtraceevent shows a long-sized non-array as a pointer */
		if (!f || !(f->flags & TEP_FIELD_IS_ARRAY) || (f->flags & TEP_FIELD_IS_DYNAMIC) ||
		    f->elementsize != 1 || f->size <= 0 || !strstr(f->type, "char"))
			return -1;
		op->offset = f->offset;
		op->size = f->size;
		return 0;
	}
	return -1;
}

/* Parse "%[flags][width][l|ll]conv" at *pp; fills op, moves *pp past it. */
static int parse_conversion(const char **pp, struct fast_op *op)
{
	const char *p = *pp + 1;

	for (;; p++) {
		if (*p == '-')
			op->left = true;
		else if (*p == '0')
			op->zero = true;
		else if (*p == '#')
			op->alt = true;
		else
			break;
	}
	while (*p >= '0' && *p <= '9') {
		op->width = op->width * 10 + (*p - '0');
		if (op->width > 256)
			return -1;
		p++;
	}
	if (*p == 'l') {
		op->is_long = true;
		p++;
		if (*p == 'l')
			p++;
	} else if (*p == 'L') {
		op->is_long = true;
		p++;
	} else if (*p == 'h') {
		op->short_bits = 16;
		p++;
		if (*p == 'h') {
			op->short_bits = 8;
			p++;
		}
	}
	switch (*p) {
	case 'd':
	case 'i':
		op->conv = 'd';
		break;
	case 'u':
	case 'x':
	case 'X':
		op->conv = *p;
		break;
	case 's':
		if (op->is_long || op->short_bits || op->zero || op->alt)
			return -1;
		op->conv = 's';
		break;
	case 'p':
		/* %ps %pf: a function's name; %pS %pF: and the offset in it (no flags, no width) */
		if (p[1] && strchr("sSfF", p[1]) && !op->is_long && !op->short_bits && !op->zero &&
		    !op->alt && !op->left && !op->width) {
			op->kind = OP_FUNC;
			op->conv = p[1] == 's' || p[1] == 'f' ? 'f' : 'F';
			p++;
			break;
		}
		/* else a bare %p only: the other extensions need libtraceevent */
		if ((p[1] >= 'a' && p[1] <= 'z') || (p[1] >= 'A' && p[1] <= 'Z') ||
		    (p[1] >= '0' && p[1] <= '9') || p[1] == '_' || op->is_long || op->short_bits ||
		    op->zero || op->alt || op->left || op->width)
			return -1;
		op->conv = 'p';
		break;
	default:
		return -1;
	}
	*pp = p + 1;
	return 0;
}

/*
 * Literal text up to the next '%' (or the end), escapes resolved as
 * libtraceevent prints them; -1 for a backslash ending the format.
 */
static int add_literal(struct fast_fmt *ff, const char **pp)
{
	const char *p = *pp;
	char *text = xmalloc(strlen(p) + 1);
	int n = 0;
	struct fast_op *op;

	while (*p && *p != '%') {
		char c = *p++;

		if (c == '\\') {
			if (!*p) {
				free(text);
				return -1;
			}
			c = *p++;
			c = c == 'n' ? '\n' : c == 't' ? '\t' : c == 'r' ? '\r' : c;
		}
		text[n++] = c;
	}
	*pp = p;
	if (!n) {
		free(text);
		return 0;
	}
	op = fast_add_op(ff, OP_LIT);
	op->lit = text;
	op->lit_len = n;
	ff->max_len += n;
	return 0;
}

/*
 * A table value as libtraceevent's eval_flag() reads it: strtoull() of what
 * starts with a digit; else the few names it knows (softirqs, hrtimer
 * restarts), and -1 for any other name (an enum the kernel left unresolved).
 */
static long long sym_value(const char *s)
{
	static const struct { const char *name; long long value; } known[] = {
		{ "HI_SOFTIRQ", 0 }, { "TIMER_SOFTIRQ", 1 }, { "NET_TX_SOFTIRQ", 2 },
		{ "NET_RX_SOFTIRQ", 3 }, { "BLOCK_SOFTIRQ", 4 }, { "IRQ_POLL_SOFTIRQ", 5 },
		{ "TASKLET_SOFTIRQ", 6 }, { "SCHED_SOFTIRQ", 7 }, { "HRTIMER_SOFTIRQ", 8 },
		{ "RCU_SOFTIRQ", 9 }, { "HRTIMER_NORESTART", 0 }, { "HRTIMER_RESTART", 1 },
	};

	if (s[0] >= '0' && s[0] <= '9')
		return (long long)strtoull(s, NULL, 0);
	for (size_t i = 0; i < ARRAY_SIZE(known); i++)
		if (!strcmp(s, known[i].name))
			return known[i].value;
	return -1;
}

/* __print_symbolic() / __print_flags() for a %s: the table and the value's place. */
static int compile_table_arg(struct tep_event *ev, struct tep_print_arg *arg, struct fast_op *op,
			     size_t *max_len)
{
	struct tep_print_flag_sym *sym;
	struct tep_print_arg *value;
	size_t longest = 0, total = 0;

	if (arg->type == TEP_PRINT_SYMBOL) {
		op->kind = OP_SYMBOLIC;
		sym = arg->symbol.symbols;
		value = arg->symbol.field;
	} else if (arg->type == TEP_PRINT_FLAGS) {
		op->kind = OP_FLAGS;
		sym = arg->flags.flags;
		value = arg->flags.field;
		op->delim = arg->flags.delim;
	} else {
		return -1;
	}
	if (!value || compile_num_arg(ev, value, op) < 0)
		return -1;
	for (; sym; sym = sym->next) {
		struct fast_sym *fs;
		long long v;

		if (!sym->str || !sym->value)
			return -1;
		v = sym_value(sym->value);
		op->syms = xrealloc(op->syms, (op->nr_syms + 1) * sizeof(*op->syms));
		fs = &op->syms[op->nr_syms++];
		fs->value = v;
		fs->name = sym->str;
		fs->len = strlen(sym->str);
		total += fs->len + op->width + (op->delim ? strlen(op->delim) : 0);
		if ((size_t)fs->len > longest)
			longest = fs->len;
	}
	/* symbolic: one name or "0x" and 16 digits; flags: every name, delimiters, the rest */
	*max_len = (op->kind == OP_SYMBOLIC ? longest + op->width : total) + 24 +
		   (op->delim ? strlen(op->delim) : 0);
	return 0;
}

/*
 * %s of COND ? A : B, chosen by a number: each side a literal string, or a
 * table printed with the same conversion (as sched_switch's prev_state).
 */
static int compile_choice_arg(struct tep_event *ev, struct tep_print_arg *arg,
			      struct fast_op *op, size_t *max_len)
{
	struct tep_print_arg *alt, *side;
	const char **strs[2] = { &op->yes, &op->no };

	if (arg->type != TEP_PRINT_OP || strcmp(arg->op.op, "?") || !arg->op.left ||
	    !(alt = arg->op.right) || alt->type != TEP_PRINT_OP || strcmp(alt->op.op, ":") ||
	    !alt->op.left || !alt->op.right)
		return -1;
	op->kind = OP_CHOICE;
	if (compile_num_arg(ev, arg->op.left, op) < 0)
		return -1;
	*max_len = 0;
	for (int i = 0; i < 2; i++) {
		size_t len;

		side = i ? alt->op.right : alt->op.left;
		if (side->type == TEP_PRINT_ATOM) {
			*strs[i] = side->atom.atom;
			len = strlen(side->atom.atom) + op->width;
		} else {
			struct fast_op *b = op->branch[i] = xcalloc(1, sizeof(*b));

			b->mask = ~0ULL;
			b->conv = 's';
			b->left = op->left;
			b->width = op->width;
			if (compile_table_arg(ev, side, b, &len) < 0)
				return -1;
		}
		if (len > *max_len)
			*max_len = len;
	}
	return 0;
}

static struct fast_fmt *compile(struct report_fast *f, struct tep_event *ev)
{
	struct fast_fmt *ff = fast_fmt_alloc(f);
	const char *p = ev->print_fmt.format;
	struct tep_print_arg *arg = ev->print_fmt.args;

	if (!p)
		goto fail;
	while (*p) {
		struct fast_op *op;
		size_t table_len;

		if (add_literal(ff, &p) < 0)
			goto fail;
		if (!*p)
			break;
		if (p[1] == '%') {
			op = fast_add_op(ff, OP_LIT);
			op->lit = xstrdup("%");
			op->lit_len = 1;
			ff->max_len++;
			p += 2;
			continue;
		}
		op = fast_add_op(ff, OP_NUM);
		if (parse_conversion(&p, op) < 0 || !arg)
			goto fail;
		if (op->conv == 's' && (compile_table_arg(ev, arg, op, &table_len) == 0 ||
					(op->kind == OP_NUM &&
					 compile_choice_arg(ev, arg, op, &table_len) == 0))) {
			ff->max_len += table_len;
		} else if (op->conv == 's') {
			if (op->kind != OP_NUM)
				goto fail;	/* a table libtraceevent must print */
			op->kind = OP_STR;
			if (compile_str_arg(ev, arg, op) < 0)
				goto fail;
			/* a __data_loc string is at most 64 KiB long (16-bit length) */
			ff->max_len += (op->data_loc ? 65536 : op->size) + op->width;
		} else {
			if (compile_num_arg(ev, arg, op) < 0)
				goto fail;
			ff->max_len += (op->kind == OP_FUNC ? FUNC_NAME_MAX : 0) + 24 + op->width;
		}
		arg = arg->next;
	}
	if (arg)
		goto fail;	/* more arguments than conversions: not a simple format */
	return ff;
fail:
	fast_fmt_free(ff);
	return NULL;
}

struct fast_fmt *report_fast_get(struct report_fast *f, struct tep_event *ev)
{
	if (ev->id < 0 || ev->id >= TD_NR_TYPES)
		return NULL;
	if (!f->state[ev->id]) {
		struct fast_fmt *ff = NULL;

		if (ev->flags & (TEP_EVENT_FL_FAILED | TEP_EVENT_FL_PRINTRAW) ||
		    tep_get_long_size(f->tep) != 8)
			ff = NULL;
		else if (ev->handler)
			ff = fast_native_compile(f, ev);
		else
			ff = compile(f, ev);
		if (ff)
			ff->swap = tep_is_file_bigendian(f->tep) != tep_is_local_bigendian(f->tep);
		f->fmts[ev->id] = ff;
		f->state[ev->id] = ff ? 1 : 2;
		if (ev->id > f->max_id)
			f->max_id = ev->id;
	}
	return f->fmts[ev->id];
}

size_t report_fast_max_len(const struct fast_fmt *ff)
{
	return ff->max_len;
}

bool report_fast_trusted(const struct fast_fmt *ff)
{
	return !ff->failed && ff->checked >= VERIFY_RECORDS;
}

bool report_fast_usable(const struct fast_fmt *ff)
{
	return !ff->failed;
}

void report_fast_verdict(struct fast_fmt *ff, bool same)
{
	if (same)
		ff->checked++;
	else
		ff->failed = true;
}

/* ------------------------------------------------------------------------- */
/* Formatting, as glibc's printf does for these conversions */

static char *pad(char *p, int n, char c)
{
	while (n-- > 0)
		*p++ = c;
	return p;
}

/* "00".."ff" and "00".."FF": two hex digits per step. */
static void init_hex_pairs(void)
{
	for (int i = 0; i < 256; i++) {
		hex_pairs[0][2 * i] = "0123456789abcdef"[i >> 4];
		hex_pairs[0][2 * i + 1] = "0123456789abcdef"[i & 15];
		hex_pairs[1][2 * i] = "0123456789ABCDEF"[i >> 4];
		hex_pairs[1][2 * i + 1] = "0123456789ABCDEF"[i & 15];
	}
}

/* v's digits in base 10 or 16, written backwards from end; their number. */
static int to_digits(char *end, unsigned long long v, int base, bool upper)
{
	const char *pairs = hex_pairs[upper];
	char *p = end;

	if (base == 10)
		return report_u64_digits(end, v);
	while (v >= 256) {
		p -= 2;
		memcpy(p, &pairs[(v & 255) * 2], 2);
		v >>= 8;
	}
	if (v >= 16) {
		p -= 2;
		memcpy(p, &pairs[v * 2], 2);
	} else {
		*--p = pairs[v * 2 + 1];
	}
	return end - p;
}

/* The digits of v (n of them, in base 10 or 16) written where they go. */
static char *put_digits(char *p, int n, unsigned long long v, int base, bool upper)
{
	to_digits(p + n, v, base, upper);
	return p + n;
}

char *fast_put_number(char *p, const struct fast_op *op, unsigned long long val)
{
	const char *prefix = "";
	int base = 16, n, prefix_len = 0, total;
	bool neg = false;

	switch (op->conv) {
	case 'p':	/* glibc's %p of the value as a long */
		if (!val) {
			memcpy(p, "(nil)", 5);
			return p + 5;
		}
		memcpy(p, "0x", 2);
		return put_digits(p + 2, report_hex_len(val), val, 16, false);
	case 'd': {
		long long s = op->is_long ? (long long)(long)val : (long long)(int)val;

		if (op->short_bits)
			s = op->short_bits == 16 ? (short)val : (signed char)val;
		neg = s < 0;
		val = neg ? -(unsigned long long)s : (unsigned long long)s;
		base = 10;
		break;
	}
	case 'u':
		if (op->short_bits)
			val = op->short_bits == 16 ? (unsigned short)val : (unsigned char)val;
		else if (!op->is_long)
			val = (unsigned int)val;
		base = 10;
		break;
	default:
		if (!op->is_long)
			val = (unsigned int)val;
		if (op->short_bits)
			val = op->short_bits == 16 ? (unsigned short)val : (unsigned char)val;
		if (op->alt && val) {
			prefix = op->conv == 'X' ? "0X" : "0x";
			prefix_len = 2;
		}
		break;
	}
	n = base == 10 ? report_dec_len(val) : report_hex_len(val);
	if (neg) {
		prefix = "-";
		prefix_len = 1;
	}
	/* the common case: no width, no prefix */
	if (!op->width && !prefix_len)
		return put_digits(p, n, val, base, op->conv == 'X');
	total = prefix_len + n;

	if (op->left) {
		memcpy(p, prefix, prefix_len);
		p = put_digits(p + prefix_len, n, val, base, op->conv == 'X');
		return pad(p, op->width - total, ' ');
	}
	if (op->zero) {
		memcpy(p, prefix, prefix_len);
		p = pad(p + prefix_len, op->width - total, '0');
	} else {
		p = pad(p, op->width - total, ' ');
		memcpy(p, prefix, prefix_len);
		p += prefix_len;
	}
	return put_digits(p, n, val, base, op->conv == 'X');
}

static char *put_string(char *p, const struct fast_op *op, const char *s, size_t max)
{
	size_t len = strnlen(s, max);

	if (!op->left)
		p = pad(p, op->width - (int)len, ' ');
	memcpy(p, s, len);
	p += len;
	if (op->left)
		p = pad(p, op->width - (int)len, ' ');
	return p;
}

static char *put_hex_value(char *p, unsigned long long v)
{
	static const struct fast_op hex = { .conv = 'x', .is_long = true };

	memcpy(p, "0x", 2);
	return fast_put_number(p + 2, &hex, v);
}

/* As libtraceevent's print_str_arg(): the value is a long long there. */
static char *put_symbolic(char *p, const struct fast_op *op, long long val)
{
	for (int i = 0; i < op->nr_syms; i++)
		if (op->syms[i].value == val)
			return put_string(p, op, op->syms[i].name, op->syms[i].len);
	return put_hex_value(p, val);
}

static char *put_delim(char *p, const struct fast_op *op, bool printed)
{
	if (printed && op->delim) {
		size_t n = strlen(op->delim);

		memcpy(p, op->delim, n);
		p += n;
	}
	return p;
}

static char *put_flags(char *p, const struct fast_op *op, long long val)
{
	bool printed = false;

	for (int i = 0; i < op->nr_syms; i++) {
		long long fval = op->syms[i].value;

		if (!val && fval < 0)
			return put_string(p, op, op->syms[i].name, op->syms[i].len);
		if (fval > 0 && (val & fval) == fval) {
			p = put_delim(p, op, printed);
			p = put_string(p, op, op->syms[i].name, op->syms[i].len);
			printed = true;
			val &= ~fval;
		}
	}
	if (val) {
		p = put_delim(p, op, printed);
		p = put_hex_value(p, val);
	}
	return p;
}

/*
 * %ps/%pS as libtraceevent's print_function(): the name, for %pS/%pF also
 * "+0x" and the offset in it; "0x" and the address when no function has it.
 */
static char *put_function(char *p, const struct fast_op *op, struct report_fast *f,
			  unsigned long long val)
{
	unsigned long long start;
	const char *name = fast_find_function(f, val, &start);
	size_t len;

	if (!name)
		return put_hex_value(p, val);
	len = strlen(name);
	if (len > FUNC_NAME_MAX)
		return NULL;	/* longer than max_len allows: libtraceevent prints it */
	memcpy(p, name, len);
	p += len;
	if (op->conv == 'F') {
		memcpy(p, "+", 1);
		p = put_hex_value(p + 1, val - start);
	}
	return p;
}

/* A table on one side of a choice: its own value, read where it is. */
static char *put_table(const struct fast_op *op, struct tep_handle *tep, bool swap,
		       const struct tep_record *rec, char *p)
{
	unsigned long long val;

	if (!td_in_record(op->offset, op->size, rec->size))
		return NULL;
	if (op->expr)
		val = eval_expr(op->expr, tep, swap, rec->data);
	else
		val = fast_read_number(tep, swap, (const char *)rec->data + op->offset, op->size);
	val &= op->mask;
	if (op->kind == OP_SYMBOLIC)
		return put_symbolic(p, op, (long long)val);
	return put_flags(p, op, (long long)val);
}

/*
 * memcpy() of the short texts between conversions (", buf: 0x"): two
 * fixed-size moves that overlap instead of a library call per piece.
 */
static inline void copy_short(char *p, const char *src, size_t n)
{
	if (n > 16) {
		memcpy(p, src, n);
	} else if (n >= 8) {
		memcpy(p, src, 8);
		memcpy(p + n - 8, src + n - 8, 8);
	} else if (n >= 4) {
		memcpy(p, src, 4);
		memcpy(p + n - 4, src + n - 4, 4);
	} else {
		for (size_t i = 0; i < n; i++)
			p[i] = src[i];
	}
}

int report_fast_format(const struct fast_fmt *ff, struct tep_handle *tep,
		       const struct tep_record *rec, char *buf)
{
	const char *data = rec->data;
	char *p = buf;

	for (int i = 0; i < ff->nr_ops; i++) {
		const struct fast_op *op = &ff->ops[i];
		unsigned long long val;

		if (op->kind == OP_LIT) {
			copy_short(p, op->lit, op->lit_len);
			p += op->lit_len;
			continue;
		}
		if (!td_in_record(op->offset, op->size, rec->size))
			return -1;
		if (op->kind == OP_STR && !op->data_loc) {
			p = put_string(p, op, data + op->offset, op->size);
			continue;
		}
		if (op->kind == OP_NATIVE) {
			int n = fast_native_print(op->native, ff->owner, ff->swap,
						  !report_fast_trusted(ff), rec, p);

			if (n < 0)
				return -1;
			p += n;
			continue;
		}
		if (op->expr)
			val = eval_expr(op->expr, tep, ff->swap, data);
		else
			val = fast_read_number(tep, ff->swap, data + op->offset, op->size);
		if (op->kind == OP_STR) {
			unsigned int off = val & 0xffff, len = val >> 16;

			if (!td_in_record(off, len, rec->size))
				return -1;
			p = put_string(p, op, data + off, len);
			continue;
		}
		val &= op->mask;
		if (op->kind == OP_FUNC) {
			p = put_function(p, op, ff->owner, val);
			if (!p)
				return -1;
			continue;
		}
		if (op->kind == OP_CHOICE && op->branch[!val]) {
			p = put_table(op->branch[!val], tep, ff->swap, rec, p);
			if (!p)
				return -1;
		} else if (op->kind == OP_CHOICE) {
			const char *str = val ? op->yes : op->no;

			p = put_string(p, op, str, strlen(str));
		} else if (op->kind == OP_SYMBOLIC)
			p = put_symbolic(p, op, (long long)val);
		else if (op->kind == OP_FLAGS)
			p = put_flags(p, op, (long long)val);
		else
			p = fast_put_number(p, op, val);
	}
	return p - buf;
}

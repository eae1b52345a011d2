// SPDX-License-Identifier: LGPL-2.1
/*
 * What a stored event format may ask of libtraceevent. A trace.dat comes from
 * another machine, and libtraceevent 1.7 trusts its formats: it parses them by
 * recursive descent without a depth limit, divides by what a record holds,
 * adds field offsets as ints, hands widths to vsnprintf and prints arrays as
 * long as a record field says. So a format is checked twice:
 *
 *  - as text, before tep_parse_event() sees it (td_format_text_problem):
 *    bounded size, ASCII only, bounded nesting and operator count, divisions
 *    by a non-zero literal, every REC->name declared;
 *  - once parsed (td_event_check): every field inside the largest record the
 *    file can hold, widths and precisions bounded, array indexes constant.
 *    What only a record can tell (where its __data_loc data is, how long an
 *    array print is) goes into a guard that td_record_printable() applies to
 *    each record before it is printed.
 *
 * Real kernel formats pass (all 2323 of this machine's 6.18 kernel); the
 * limits are in tracedat.h and Documentation/trace-dat.md.
 */
#include "tracedat/tracedat_priv.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#include <traceevent/event-parse.h>

/* ---- the text ---- */

/*
 * Kernel format files are plain ASCII. libtraceevent's tokenizer takes a 0xff
 * byte for EOF and crashes on it.
 */
static bool format_is_text(const char *text, size_t size)
{
	for (size_t i = 0; i < size; i++) {
		unsigned char ch = text[i];

		if (!ch || ch >= 0x80)
			return false;
	}
	return true;
}

static size_t ident_len(const char *p)
{
	size_t n = 0;

	while ((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z') ||
	       (p[n] >= '0' && p[n] <= '9') || p[n] == '_')
		n++;
	return n;
}

/* Is name (len bytes) declared by a "field:TYPE NAME[...];" line of the format? */
static bool format_has_field(const char *fmt, const char *name, size_t len)
{
	const char *line = fmt;

	while ((line = strstr(line, "field:"))) {
		const char *semi = strchr(line, ';'), *end;

		if (!semi)
			return false;
		end = memchr(line, '[', semi - line);
		if (!end)
			end = semi;
		while (end > line && end[-1] == ' ')
			end--;
		if ((size_t)(end - line) >= len && !memcmp(end - len, name, len) &&
		    ident_len(end - len) == len && (end - len == line || !ident_len(end - len - 1)))
			return true;
		line = semi;
	}
	return false;
}

/* Is p (inside a print fmt) the "->" of "REC->" or "(REC)->" (func_repeats uses that)? */
static bool arrow_follows_rec(const char *start, const char *p)
{
	if (p - start >= 5 && !memcmp(p - 5, "(REC)", 5))
		return true;
	return p - start >= 3 && !memcmp(p - 3, "REC", 3) &&
	       (p - start == 3 || !ident_len(p - 4) || p[-4] == ' ');
}

/*
 * A string or character literal starting at p (a quote): the byte after it.
 * Backslashes escape as in libtraceevent's tokenizer, so both see the same
 * literals.
 */
static const char *skip_literal(const char *p, const char *end)
{
	char quote = *p++;

	while (p < end && *p != quote) {
		if (*p == '\\' && p + 1 < end)
			p++;
		p++;
	}
	return p < end ? p + 1 : end;
}

/*
 * The right operand of a '/' or '%' at p: a non-zero integer literal (maybe in
 * parentheses) or sizeof(...), which td_event_check() evaluates once parsed.
 * libtraceevent folds constant operations while it parses (a zero divisor
 * kills it there) and divides by record fields when it prints.
 */
static bool divisor_ok(const char *p, const char *end)
{
	unsigned long long v;
	int parens = 0;
	char *e;

	while (p < end && (*p == ' ' || *p == '\t' || *p == '(')) {
		if (*p == '(')
			parens++;
		p++;
	}
	if (!parens && end - p > 6 && !memcmp(p, "sizeof", 6) && !ident_len(p + 6))
		return true;
	if (p >= end || *p < '0' || *p > '9')
		return false;
	v = strtoull(p, &e, 0);
	if (!v || e > end)
		return false;
	for (p = e; p < end && strchr("uUlL", *p); p++)
		;
	for (; p < end && parens; p++) {
		if (*p == ')')
			parens--;
		else if (*p != ' ' && *p != '\t')
			return false;
	}
	return !parens;
}

static bool is_operator(char ch)
{
	return ch && strchr("+-*/%&|^<>!=?:~", ch);
}

/* Follow c's effect on the bracket depth; false once it nests deeper than the limit. */
static bool track_nesting(char c, int *depth)
{
	if (c == '(' || c == '[' || c == '{')
		return ++*depth <= TD_MAX_FORMAT_DEPTH;
	if (c == ')' || c == ']' || c == '}')
		--*depth;
	return true;
}

/*
 * Nesting, operators, divisions and REC-> uses of the print fmt's arguments
 * (string literals left out). libtraceevent recurses once per nesting level
 * and once per operator of a chain; it crashes on a "->" not after REC
 * ("R/C->x" divides by zero) and on a field the format does not declare.
 */
static const char *print_args_problem(const char *fmt, const char *p, const char *end)
{
	int depth = 0, ops = 0;

	while (p < end) {
		if (*p == '"' || *p == '\'') {
			p = skip_literal(p, end);
			continue;
		}
		if (!track_nesting(*p, &depth))
			return "its print format nests too deep";
		if (is_operator(*p) && ++ops > TD_MAX_FORMAT_OPS)
			return "its print format has too many operators";
		if ((*p == '/' || *p == '%') && !divisor_ok(p + 1, end))
			return "its print format divides by something else than a non-zero number";
		if (p[0] == '-' && p + 1 < end && p[1] == '>') {
			size_t len = ident_len(p + 2);

			if (!arrow_follows_rec(fmt, p) || !len || !format_has_field(fmt, p + 2, len))
				return "its print format uses a field it does not declare";
			p += 2 + len;
			continue;
		}
		p++;
	}
	return NULL;
}

/* The field lines nest too ("char name[16]"); libtraceevent reads them with the same tokenizer. */
static bool fields_nesting_ok(const char *p, const char *end)
{
	int depth = 0;

	while (p < end) {
		if (*p == '"' || *p == '\'') {
			p = skip_literal(p, end);
			continue;
		}
		if (!track_nesting(*p, &depth))
			return false;
		p++;
	}
	return true;
}

const char *td_format_text_problem(const char *text, size_t size)
{
	const char *end = text + size, *print;

	/* the checks below and libtraceevent's parser stay cheap */
	if (size > TD_MAX_FORMAT_SIZE)
		return "its format is larger than 64 KiB";
	if (!format_is_text(text, size))
		return "its format is not text";
	/* blobs end with a NUL that size does not count (td_blob_set) */
	print = strstr(text, "print fmt:");
	if (!fields_nesting_ok(text, print ? print : end))
		return "its fields nest too deep";
	return print ? print_args_problem(text, print, end) : NULL;
}

/* ---- printk formats ---- */

/*
 * The conversions of a printf format, as libtraceevent goes through them:
 * flags, a width, a precision (each a number or '*', which takes an
 * argument), length letters, the conversion, and for 'p' its suffix letters.
 */
struct conversion {
	long width, precision;		/* -1: none; a number over the limit is kept as limit + 1 */
	bool width_arg, precision_arg;	/* '*' */
	char type;
};

static long read_number(const char **pp)
{
	const char *p = *pp;
	long n = 0;

	while (*p >= '0' && *p <= '9') {
		if (n <= TD_MAX_PRINT_WIDTH)
			n = n * 10 + (*p - '0');
		p++;
	}
	*pp = p;
	return n > TD_MAX_PRINT_WIDTH ? TD_MAX_PRINT_WIDTH + 1 : n;
}

/* The next conversion at or after p (not "%%"); NULL at the end of the format. */
static const char *next_conversion(const char *p, struct conversion *c)
{
	while ((p = strchr(p, '%'))) {
		if (p[1] == '%') {
			p += 2;
			continue;
		}
		memset(c, 0, sizeof(*c));
		c->width = c->precision = -1;
		for (p++; *p && strchr("-+ #0", *p); p++)
			;
		if (*p == '*') {
			c->width_arg = true;
			p++;
		} else if (*p >= '0' && *p <= '9') {
			c->width = read_number(&p);
		}
		if (*p == '.') {
			p++;
			if (*p == '*') {
				c->precision_arg = true;
				p++;
			} else {
				c->precision = read_number(&p);
			}
		}
		while (*p && strchr("hlLqjzt", *p))
			p++;
		c->type = *p;
		if (!*p)
			return p;
		if (*p++ == 'p')
			while (ident_len(p) && *p != '_')
				p++;
		return p;
	}
	return NULL;
}

/*
 * A printk format (the text of one printk_formats line) that trace_printk
 * records are printed with: its widths come from the text, its '*' widths
 * from the record, unchecked, so only a '*' precision of a string is allowed;
 * libtraceevent reads its arguments from the record without looking at the
 * record's size, so their number is bounded too.
 */
static bool printk_format_ok(const char *fmt, const char *end)
{
	char *copy = strndup(fmt, end - fmt);
	const char *p = copy;
	struct conversion c;
	long padding = 0;
	bool ok = true;

	int nr = 0;

	while (ok && (p = next_conversion(p, &c)) && c.type) {
		/* each takes up to 8 bytes of the record, unchecked */
		if (++nr > TD_MAX_PRINTK_ARGS)
			ok = false;
		if (c.width_arg || (c.precision_arg && c.type != 's') ||
		    c.width > TD_MAX_PRINT_WIDTH || c.precision > TD_MAX_PRINT_WIDTH)
			ok = false;
		padding += (c.width > 0 ? c.width : 0) + (c.precision > 0 ? c.precision : 0);
		if (padding > TD_MAX_PRINT_PADDING)
			ok = false;
	}
	free(copy);
	return ok;
}

/*
 * The printk formats without the lines libtraceevent 1.7.1 would read past:
 * tep_parse_printk_formats() copies from two bytes after the first ':' (past
 * the leading ones), beyond the text when a line has no ':' or ends with it,
 * and tep_register_print_string() then looks 3 bytes back from the end of the
 * format (without its opening quote), before it when the format is shorter.
 * Lines whose widths break the limits above are left out too.
 */
char *td_printk_safe_copy(const char *text, int *left_out)
{
	char *out = xmalloc(strlen(text) + 2), *o = out;
	const char *line = text;

	*left_out = 0;
	while (*line) {
		const char *nl = strchr(line, '\n');
		const char *end = nl ? nl : line + strlen(line), *p = line, *colon;

		while (p < end && *p == ':')
			p++;
		colon = memchr(p, ':', end - p);
		p = colon ? colon + 2 : end;
		if (p < end && *p == '"')
			p++;
		if (colon && end - p >= 3 && printk_format_ok(p, end)) {
			memcpy(o, line, end - line);
			o += end - line;
			*o++ = '\n';
		} else if (colon && end - p >= 3) {
			++*left_out;
		}
		line = nl ? nl + 1 : end;
	}
	*o = '\0';
	return out;
}

/* ---- the parsed event ---- */

/* An array print (__print_hex, __print_array): its length is checked on each record. */
struct td_array_print {
	struct tep_print_arg *count;
	struct tep_print_arg *el_size;	/* NULL: bytes */
	struct tep_format_field *field;	/* where the elements are (static or dynamic) */
};

struct td_print_guard {
	const struct tep_event *ev;
	int min_size;			/* a zero-size (rest of the record) field starts here */
	struct tep_format_field **dynamic;	/* __data_loc fields the printer follows */
	int nr_dynamic;
	struct td_array_print *arrays;
	int nr_arrays;
};

struct check {
	struct tep_event *ev;
	uint64_t max_record;
	struct td_print_guard *guard;
	char *why;
};

static bool fail(struct check *c, char *why)
{
	if (!c->why)
		c->why = why;
	else
		free(why);
	return false;
}

static struct tep_format_field *field_of(struct tep_event *ev, struct tep_print_arg *arg)
{
	if (!arg->field.field)
		arg->field.field = tep_find_any_field(ev, arg->field.name);
	return arg->field.field;
}

static uint64_t read_record_number(const struct tep_event *ev, const struct tep_record *rec,
				   int offset, int size)
{
	if (size != 1 && size != 2 && size != 4 && size != 8)
		return 0;	/* tep_read_number() reads other sizes as 0 */
	return tep_read_number(ev->tep, (const char *)rec->data + offset, size);
}

/* Where a __data_loc/__rel_loc field's data is in rec; false if not all inside it. */
static bool dynamic_data(const struct tep_format_field *f, const struct tep_record *rec,
			 uint64_t *offset, uint64_t *len)
{
	uint64_t loc;

	if (!td_in_record(f->offset, f->size, rec->size))
		return false;
	loc = read_record_number(f->event, rec, f->offset, f->size);
	*offset = loc & 0xffff;
	*len = f->size == 2 ? (uint64_t)rec->size - *offset : (loc >> 16) & 0xffff;
	if (f->flags & TEP_FIELD_IS_RELATIVE)
		*offset += f->offset + f->size;
	return *offset <= (uint64_t)rec->size && *len <= rec->size - *offset;
}

/* libtraceevent's casts (eval_type_str): 8-, 16- and 32-bit types mask, the others keep. */
static uint64_t cast(const char *type, uint64_t v)
{
	static const char *const bits8[] = { "u8", "s8", "char", "unsigned char" };
	static const char *const bits16[] = { "u16", "s16", "short", "unsigned short" };
	static const char *const bits32[] = { "u32", "s32", "int", "unsigned int" };

	for (size_t i = 0; i < ARRAY_SIZE(bits8); i++) {
		if (!strcmp(type, bits8[i]))
			return v & 0xff;
		if (!strcmp(type, bits16[i]))
			return v & 0xffff;
		if (!strcmp(type, bits32[i]))
			return v & 0xffffffff;
	}
	return v;
}

static bool eval(struct tep_event *ev, struct tep_print_arg *arg, const struct tep_record *rec,
		 uint64_t *val);

static bool eval_op(struct tep_event *ev, struct tep_print_arg *arg, const struct tep_record *rec,
		    uint64_t *val)
{
	const char *op = arg->op.op;
	uint64_t l, r;

	if (!strcmp(op, "?")) {
		struct tep_print_arg *alt = arg->op.right;

		if (!alt || alt->type != TEP_PRINT_OP || !eval(ev, arg->op.left, rec, &l))
			return false;
		return eval(ev, l ? alt->op.left : alt->op.right, rec, val);
	}
	if (!strcmp(op, "[") || !eval(ev, arg->op.left, rec, &l) ||
	    !eval(ev, arg->op.right, rec, &r))
		return false;
	switch (op[0]) {
	case '!': *val = op[1] == '=' ? l != r : !r; break;
	case '~': *val = ~r; break;
	case '|': *val = op[1] ? l || r : (l | r); break;
	case '&': *val = op[1] ? l && r : (l & r); break;
	case '<': *val = op[1] == '<' ? l << (r & 63) : op[1] == '=' ? l <= r : l < r; break;
	case '>': *val = op[1] == '>' ? l >> (r & 63) : op[1] == '=' ? l >= r : l > r; break;
	case '=': *val = l == r; break;
	case '-': *val = l - r; break;
	case '+': *val = l + r; break;
	case '*': *val = l * r; break;
	case '/':
	case '%':
		if (!r)
			return false;
		*val = op[0] == '/' ? l / r : l % r;
		break;
	default: *val = 0; break;	/* libtraceevent warns and takes 0 ('^' too) */
	}
	return true;
}

/*
 * A number as libtraceevent's eval_num_arg() computes it from rec, for the
 * argument kinds array lengths and widths are made of; rec NULL: only a
 * constant. False if the value cannot be known (or a field is outside rec).
 */
static bool eval(struct tep_event *ev, struct tep_print_arg *arg, const struct tep_record *rec,
		 uint64_t *val)
{
	struct tep_format_field *f;
	uint64_t offset;
	char *end;

	if (!arg)
		return false;
	switch (arg->type) {
	case TEP_PRINT_NULL:
		*val = 0;
		return true;
	case TEP_PRINT_ATOM:
		*val = strtoull(arg->atom.atom, &end, 0);
		return end != arg->atom.atom && arg->atom.atom[0] >= '0' && arg->atom.atom[0] <= '9';
	case TEP_PRINT_FIELD:
		f = field_of(ev, arg);
		if (!rec || !f || !td_in_record(f->offset, f->size, rec->size))
			return false;
		*val = read_record_number(ev, rec, f->offset, f->size);
		return true;
	case TEP_PRINT_TYPE:
		if (!eval(ev, arg->typecast.item, rec, val))
			return false;
		*val = cast(arg->typecast.type, *val);
		return true;
	case TEP_PRINT_DYNAMIC_ARRAY_LEN:
		return rec && arg->dynarray.field &&
		       dynamic_data(arg->dynarray.field, rec, &offset, val);
	case TEP_PRINT_OP:
		return eval_op(ev, arg, rec, val);
	default:
		return false;
	}
}

/* Can eval() compute arg from a record? (Checked once, so that each record can be.) */
static bool evaluable(struct tep_event *ev, struct tep_print_arg *arg)
{
	if (!arg)
		return false;
	switch (arg->type) {
	case TEP_PRINT_NULL:
	case TEP_PRINT_ATOM:
		return true;
	case TEP_PRINT_FIELD:
		return field_of(ev, arg);
	case TEP_PRINT_TYPE:
		return evaluable(ev, arg->typecast.item);
	case TEP_PRINT_DYNAMIC_ARRAY_LEN:
		return arg->dynarray.field;
	case TEP_PRINT_OP:
		if (!strcmp(arg->op.op, "["))
			return false;
		return evaluable(ev, arg->op.left) && evaluable(ev, arg->op.right);
	default:
		return false;
	}
}

static struct td_print_guard *guard_of(struct check *c)
{
	if (!c->guard) {
		c->guard = xcalloc(1, sizeof(*c->guard));
		c->guard->ev = c->ev;
	}
	return c->guard;
}

static void guard_dynamic(struct check *c, struct tep_format_field *f)
{
	struct td_print_guard *g = guard_of(c);

	for (int i = 0; i < g->nr_dynamic; i++)
		if (g->dynamic[i] == f)
			return;
	g->dynamic = xrealloc(g->dynamic, (g->nr_dynamic + 1) * sizeof(*g->dynamic));
	g->dynamic[g->nr_dynamic++] = f;
}

static bool check_arg(struct check *c, struct tep_print_arg *arg);

/* __print_hex(FIELD or __get_dynamic_array(), LEN), __print_array(..., COUNT, EL_SIZE) */
static bool check_array_print(struct check *c, struct tep_print_arg *field,
			      struct tep_print_arg *count, struct tep_print_arg *el_size)
{
	struct td_print_guard *g;
	struct td_array_print *a;
	struct tep_format_field *f;

	/* libtraceevent reads the field of any other kind of argument as a field pointer */
	if (!field || (field->type != TEP_PRINT_FIELD && field->type != TEP_PRINT_DYNAMIC_ARRAY))
		return fail(c, xstrdup("an array print is not of a field"));
	f = field->type == TEP_PRINT_FIELD ? field_of(c->ev, field) : field->dynarray.field;
	if (!f)
		return true;	/* libtraceevent prints nothing for it */
	if (!evaluable(c->ev, count) || (el_size && !evaluable(c->ev, el_size)))
		return fail(c, xstrdup("an array print's length is not a number of the record"));
	g = guard_of(c);
	g->arrays = xrealloc(g->arrays, (g->nr_arrays + 1) * sizeof(*g->arrays));
	a = &g->arrays[g->nr_arrays++];
	a->count = count;
	a->el_size = el_size;
	a->field = f;
	return check_arg(c, count) && (!el_size || check_arg(c, el_size));
}

/* REC->x[N] and __get_dynamic_array(x)[N]: N a constant inside the largest record. */
static bool check_index(struct check *c, struct tep_print_arg *arg)
{
	struct tep_print_arg *left = arg->op.left;
	struct tep_format_field *f = NULL;
	uint64_t idx;

	while (left && left->type == TEP_PRINT_TYPE)
		left = left->typecast.item;
	if (left && left->type == TEP_PRINT_FIELD)
		f = field_of(c->ev, left);
	else if (left && left->type == TEP_PRINT_DYNAMIC_ARRAY)
		f = left->dynarray.field;
	if (!f)
		return check_arg(c, arg->op.left) && check_arg(c, arg->op.right);
	if (!eval(c->ev, arg->op.right, NULL, &idx) ||
	    idx > c->max_record / (f->elementsize ? f->elementsize : 1))
		return fail(c, xasprintf("field '%s' is indexed past the record", f->name));
	return check_arg(c, arg->op.left);
}

static bool check_op(struct check *c, struct tep_print_arg *arg)
{
	const char *op = arg->op.op;
	uint64_t v;

	if (!strcmp(op, "["))
		return check_index(c, arg);
	if ((!strcmp(op, "/") || !strcmp(op, "%")) &&
	    (!eval(c->ev, arg->op.right, NULL, &v) || !v))
		return fail(c, xstrdup("its print format divides by something else than a "
				       "non-zero number"));
	return check_arg(c, arg->op.left) && check_arg(c, arg->op.right);
}

/* A __get_str(), __get_bitmask(), __get_cpumask(): the field must exist and its data is followed. */
static bool check_named_dynamic(struct check *c, const char *name, struct tep_format_field **fp)
{
	if (!*fp)
		*fp = tep_find_any_field(c->ev, name);
	/* libtraceevent dereferences a missing __get_cpumask() field */
	if (!*fp)
		return fail(c, xasprintf("its print format uses a field it does not declare (%s)",
					 name));
	guard_dynamic(c, *fp);
	return true;
}

static bool check_arg(struct check *c, struct tep_print_arg *arg)
{
	struct tep_format_field *f;

	if (!arg)
		return true;
	switch (arg->type) {
	case TEP_PRINT_FIELD:
		f = field_of(c->ev, arg);
		/* a zero-size field is the rest of the record: from its offset on */
		if (f && !f->size && f->offset > 0 && f->offset > guard_of(c)->min_size)
			c->guard->min_size = f->offset;
		return true;
	case TEP_PRINT_FLAGS:
		return check_arg(c, arg->flags.field);
	case TEP_PRINT_SYMBOL:
		return check_arg(c, arg->symbol.field);
	case TEP_PRINT_HEX:
	case TEP_PRINT_HEX_STR:
		return check_array_print(c, arg->hex.field, arg->hex.size, NULL);
	case TEP_PRINT_INT_ARRAY:
		return check_array_print(c, arg->int_array.field, arg->int_array.count,
					 arg->int_array.el_size);
	case TEP_PRINT_TYPE:
		return check_arg(c, arg->typecast.item);
	case TEP_PRINT_STRING:
		return check_named_dynamic(c, arg->string.string, &arg->string.field);
	case TEP_PRINT_BITMASK:
	case TEP_PRINT_CPUMASK:
		return check_named_dynamic(c, arg->bitmask.bitmask, &arg->bitmask.field);
	case TEP_PRINT_DYNAMIC_ARRAY:
	case TEP_PRINT_DYNAMIC_ARRAY_LEN:
		if (arg->dynarray.field)
			guard_dynamic(c, arg->dynarray.field);
		return true;
	case TEP_PRINT_OP:
		return check_op(c, arg);
	case TEP_PRINT_FUNC:
		for (struct tep_print_arg *a = arg->func.args; a; a = a->next)
			if (!check_arg(c, a))
				return false;
		return true;
	default:
		return true;
	}
}

/* A '*' width or precision: a constant within the limit (libtraceevent takes it as an int). */
static bool star_ok(struct check *c, struct tep_print_arg *arg, long *padding)
{
	uint64_t v;

	if (!eval(c->ev, arg, NULL, &v) || (int)v < -TD_MAX_PRINT_WIDTH ||
	    (int)v > TD_MAX_PRINT_WIDTH)
		return false;
	*padding += abs((int)v);
	return true;
}

/*
 * The print format's widths and precisions: each at most TD_MAX_PRINT_WIDTH,
 * all together at most TD_MAX_PRINT_PADDING, so that no record prints more
 * than that beyond its data. A string's precision only shortens it.
 */
static bool check_widths(struct check *c)
{
	struct tep_print_arg *arg = c->ev->print_fmt.args;
	const char *p = c->ev->print_fmt.format;
	struct conversion conv;
	long padding = 0;

	if (!p)
		return true;
	while ((p = next_conversion(p, &conv)) && conv.type) {
		if (conv.width_arg) {
			if (arg && !star_ok(c, arg, &padding))
				return fail(c, xstrdup("its print format takes a width from the "
						       "record"));
			arg = arg ? arg->next : NULL;
		}
		if (conv.precision_arg) {
			if (arg && conv.type != 's' && !star_ok(c, arg, &padding))
				return fail(c, xstrdup("its print format takes a precision from "
						       "the record"));
			arg = arg ? arg->next : NULL;
		}
		if (conv.width > TD_MAX_PRINT_WIDTH || conv.precision > TD_MAX_PRINT_WIDTH)
			return fail(c, xasprintf("its print format has a width or precision "
						 "over %d", TD_MAX_PRINT_WIDTH));
		padding += (conv.width > 0 ? conv.width : 0) +
			   (conv.precision > 0 && conv.type != 's' ? conv.precision : 0);
		if (padding > TD_MAX_PRINT_PADDING)
			return fail(c, xasprintf("its print format pads more than %d bytes",
						 TD_MAX_PRINT_PADDING));
		arg = arg ? arg->next : NULL;
	}
	return true;
}

static bool check_fields(struct check *c, struct tep_format_field *f)
{
	for (; f; f = f->next) {
		if (f->offset < 0 || f->size < 0 ||
		    (uint64_t)f->offset + (uint64_t)f->size > c->max_record)
			return fail(c, xasprintf("field '%s' (offset %d, size %d) ends past the "
						 "largest record the file holds (%llu bytes)",
						 f->name, f->offset, f->size,
						 (unsigned long long)c->max_record));
		if ((f->flags & TEP_FIELD_IS_ARRAY) && f->arraylen > c->max_record)
			return fail(c, xasprintf("field '%s' has %u elements, more than the "
						 "largest record holds", f->name, f->arraylen));
	}
	return true;
}

void td_guard_free(struct td_print_guard *g)
{
	if (!g)
		return;
	free(g->dynamic);
	free(g->arrays);
	free(g);
}

char *td_event_check(struct tep_event *ev, uint64_t max_record, struct td_print_guard **guard)
{
	struct check c = { .ev = ev, .max_record = max_record };

	*guard = NULL;
	if (check_fields(&c, ev->format.common_fields) && check_fields(&c, ev->format.fields) &&
	    check_widths(&c)) {
		for (struct tep_print_arg *a = ev->print_fmt.args; a; a = a->next)
			if (!check_arg(&c, a))
				break;
	}
	if (c.why) {
		td_guard_free(c.guard);
		return c.why;
	}
	if (c.guard && !c.guard->min_size && !c.guard->nr_dynamic && !c.guard->nr_arrays) {
		td_guard_free(c.guard);
		c.guard = NULL;
	}
	*guard = c.guard;
	return NULL;
}

/* ---- each record ---- */

int td_field_number(const struct tep_format_field *f, const struct tep_record *rec,
		    unsigned long long *val)
{
	if (!f || (f->size != 1 && f->size != 2 && f->size != 4 && f->size != 8) ||
	    !td_in_record(f->offset, f->size, rec->size))
		return -1;
	*val = read_record_number(f->event, rec, f->offset, f->size);
	return 0;
}

const void *td_field_bytes(const struct tep_format_field *f, const struct tep_record *rec,
			   int *len)
{
	uint64_t offset = f->offset, size = f->size;

	if ((f->flags & TEP_FIELD_IS_DYNAMIC) ? !dynamic_data(f, rec, &offset, &size)
					      : !td_in_record(offset, size, rec->size))
		return NULL;
	*len = size;
	return (const char *)rec->data + offset;
}

static bool array_print_fits(const struct td_print_guard *g, const struct td_array_print *a,
			     const struct tep_record *rec)
{
	struct tep_event *ev = (struct tep_event *)g->ev;
	uint64_t count, el = 1, offset, len;

	if (!eval(ev, a->count, rec, &count) || (a->el_size && !eval(ev, a->el_size, rec, &el)))
		return false;
	count = (unsigned int)count;	/* libtraceevent counts in an unsigned int */
	if (el != 1 && el != 2 && el != 4 && el != 8)
		el = 1;			/* it prints "BAD SIZE" and goes on byte by byte */
	if (a->field->flags & TEP_FIELD_IS_DYNAMIC) {
		if (!dynamic_data(a->field, rec, &offset, &len))
			return false;
	} else {
		offset = a->field->offset;
	}
	return offset <= (uint64_t)rec->size && count * el <= rec->size - offset;
}

static bool record_fits(const struct td_print_guard *g, const struct tep_record *rec)
{
	uint64_t offset, len;

	if (rec->size < g->min_size)
		return false;
	for (int i = 0; i < g->nr_dynamic; i++)
		if (!dynamic_data(g->dynamic[i], rec, &offset, &len))
			return false;
	for (int i = 0; i < g->nr_arrays; i++)
		if (!array_print_fits(g, &g->arrays[i], rec))
			return false;
	return true;
}

static int guard_cmp(const void *a, const void *b)
{
	const struct td_print_guard *x = *(struct td_print_guard *const *)a;
	const struct td_print_guard *y = *(struct td_print_guard *const *)b;

	return x->ev < y->ev ? -1 : x->ev > y->ev;
}

void td_guards_add(struct td_file *f, struct td_print_guard *g)
{
	f->guards = xrealloc(f->guards, (f->nr_guards + 1) * sizeof(*f->guards));
	f->guards[f->nr_guards++] = g;
	f->guards_sorted = false;
	memset(f->guard_cache_ev, 0, sizeof(f->guard_cache_ev));
}

void td_guards_free(struct td_file *f)
{
	for (int i = 0; i < f->nr_guards; i++)
		td_guard_free(f->guards[i]);
	free(f->guards);
	f->guards = NULL;
	f->nr_guards = 0;
	memset(f->guard_cache_ev, 0, sizeof(f->guard_cache_ev));
}

bool td_record_printable(struct td_file *f, const struct tep_event *ev,
			 const struct tep_record *rec)
{
	struct td_print_guard key = { .ev = ev }, *kp = &key, **g;
	unsigned int slot;

	if (!ev || !f->nr_guards)
		return true;
	if (!f->guards_sorted) {
		qsort(f->guards, f->nr_guards, sizeof(*f->guards), guard_cmp);
		f->guards_sorted = true;
	}
	slot = (unsigned int)ev->id % ARRAY_SIZE(f->guard_cache);
	if (f->guard_cache_ev[slot] != ev) {
		g = bsearch(&kp, f->guards, f->nr_guards, sizeof(*f->guards), guard_cmp);
		f->guard_cache_ev[slot] = ev;
		f->guard_cache[slot] = g ? *g : NULL;
	}
	return !f->guard_cache[slot] || record_fits(f->guard_cache[slot], rec);
}

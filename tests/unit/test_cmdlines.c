// SPDX-License-Identifier: GPL-2.0
/*
 * lib/tracedat/cmdlines.c against libtraceevent's tep_parse_saved_cmdlines():
 * on texts with the cases its rules are about (blank and empty lines, signs,
 * numbers past an int and past a long, comms with blanks, lines without a
 * comm or a number, a NUL inside) and on random texts, both must leave the
 * tep with the same pids and comms, in the same order, and say the same.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <traceevent/event-parse.h>

#include "tracedat/tracedat_priv.h"

static const char *const texts[] = {
	"1 systemd\n2 kthreadd\n120 bash\n",
	"\n\n  7 \t spaced comm  \n\n8 x",
	"+9 plus\n-3 minus\n0 zero\n",
	"2147483648 past_int\n4294967297 wraps\n-2147483649 low\n",
	"9223372036854775807 long_max\n12 after\n",
	"9223372036854775808 past_long\n13 never\n",
	"-9223372036854775808 long_min\n14 after\n",
	"99999999999999999999999 huge\n15 never\n",
	"20 ok\n21\n22 never\n",
	"30 ok\n31 \n32 never\n",
	"40 ok\nabc\n41 never\n",
	"50 ok\n- 51\n52 never\n",
	"60 dup\n60 dup2\n61 x\n",
	"70 a\r\n71 b\r\n",
	"\v80 vt\f\n",
	"90 12abc\n91abc\n",
	"",
	"\n",
};

struct out {
	char *buf;
	size_t len, cap;
};

static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	while (o->len + n + 1 > o->cap)
		o->buf = realloc(o->buf, o->cap = o->cap ? 2 * o->cap : 4096);
	va_start(ap, fmt);
	vsnprintf(o->buf + o->len, n + 1, fmt, ap);
	va_end(ap);
	o->len += n;
}

/* The comms in the tep, each with its pids in order: one line per comm seen in text. */
static char *dump(struct tep_handle *tep, const char *text)
{
	struct out o = { 0 };
	const char *p = text;

	put(&o, "");
	/* every word of the text as a possible comm, every number as a pid */
	while (*p) {
		char word[256];
		int n = 0;

		while (*p && (*p == ' ' || *p == '\n' || *p == '\t'))
			p++;
		while (*p && *p != '\n' && n < 255)
			word[n++] = *p++;
		word[n] = 0;
		for (int skip = 0; skip <= n; skip++) {
			struct tep_cmdline *c = NULL;

			while ((c = tep_data_pid_from_comm(tep, word + skip, c)))
				put(&o, "[%s] %d\n", word + skip, tep_cmdline_pid(tep, c));
		}
	}
	for (int pid = -5; pid < 200; pid++)
		put(&o, "%d=%s\n", pid,
		    tep_is_pid_registered(tep, pid) ? tep_data_comm_from_pid(tep, pid) : "-");
	return o.buf;
}

static void check_text(const char *text)
{
	struct tep_handle *ours = tep_alloc(), *theirs = tep_alloc();
	int r_ours = td_parse_saved_cmdlines(ours, text);
	int r_theirs = tep_parse_saved_cmdlines(theirs, text);
	char *a = dump(ours, text), *b = dump(theirs, text);

	if (strcmp(a, b) || r_ours != r_theirs)
		fail_msg("text \"%s\": ours (%d)\n%s\nlibtraceevent's (%d)\n%s", text, r_ours, a,
			 r_theirs, b);
	free(a);
	free(b);
	tep_free(ours);
	tep_free(theirs);
}

static void test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		check_text(texts[i]);
}

static void test_random(void **state)
{
	static const char alphabet[] = "0123456789 \t\n-+ab\r";
	char text[200];

	(void)state;
	srand(1);
	for (int round = 0; round < 3000; round++) {
		int n = rand() % (sizeof(text) - 1);

		for (int i = 0; i < n; i++)
			text[i] = alphabet[rand() % (sizeof(alphabet) - 1)];
		text[n] = 0;
		check_text(text);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * lib/tracedat/ksyms.c against libtraceevent: for kallsyms texts with the
 * cases its rules are about (symbols sharing an address, absolute symbols,
 * '$' names, modules, blank lines, unsorted lines, tabs), every address in and
 * around the symbols must resolve to the name and start that
 * tep_parse_kallsyms() and tep_find_function_info() give. Texts it does not
 * read are refused (NULL), so that libtraceevent parses them.
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

#include "tracedat/ksyms.h"

static const char *const texts[] = {
	/* sorted, with a module and symbols sharing addresses */
	"ffffffff81000000 T _stext\n"
	"ffffffff81000000 T startup_64\n"
	"ffffffff81000100 t early_idt\n"
	"ffffffff81000200 T do_one\n"
	"ffffffff81000200 W do_one_alias\n"
	"ffffffff81000200 t do_one_local\n"
	"ffffffff81000400 T do_two\n"
	"ffffffffc0000000 t mod_fn\t[some_mod]\n"
	"ffffffffc0000100 t mod_fn2\t[some_mod]\n",
	/* unsorted, absolute symbols, '$' names, blank lines, extra blanks */
	"\n"
	"ffffffff81000400 T b_second\n"
	"0000000000000000 A fixed_percpu_data\n"
	"ffffffff81000000 T a_first\n"
	"\n\n"
	"ffffffff81000300 t $x\n"
	"ffffffff81000200   T  c_spaces\n"
	"0000000000001000 a abs_small\n"
	"ffffffff81000400 t b_second_dup\n"
	"ffffffff81000100 d some_data\n",
	/* an ordered start, then modules out of order, some between and on its addresses */
	"ffffffff81000000 T _stext\n"
	"ffffffff81000100 T core_a\n"
	"ffffffff81000300 T core_b\n"
	"ffffffff81000500 T core_c\n"
	"ffffffffc0000200 t mod_late\t[m1]\n"
	"ffffffff81000100 t mod_same_as_core_a\t[m1]\n"
	"ffffffff81000200 t mod_between\t[m2]\n"
	"ffffffff80000000 t mod_before_all\t[m2]\n"
	"ffffffffc0000100 t mod_early\t[m2]\n",
	/* every blank libtraceevent's %n%*s stops at, ends of names included */
	"\tffffffff81000000\vT\fvt_ff\r\n"
	"ffffffff81000100 t cr_end\r\n"
	"FFFFFFFF81000200 T UPPER_HEX\x01ctl\n"
	"ffffffff81000300\tt\ttabs\t[mod]\n",
	/* one symbol, no final newline */
	"ffffffff81000000 T only",
	/* nothing */
	"",
};

static const char *const refused[] = {
	"0xffffffff81000000 T hexprefix\n",
	"ffffffff81000000 T\n",
	"ffffffff81000000\n",
	"1ffffffff81000000 T seventeen_digits\n",
	"zzz T not_hex\n",
};

static void check_text(const char *text)
{
	struct tep_handle *tep = tep_alloc();
	struct td_ksyms *k = td_ksyms_new(text, strlen(text) + 1);
	uint64_t probes[64];
	int n = 0;

	assert_non_null(tep);
	assert_non_null(k);
	assert_int_equal(tep_parse_kallsyms(tep, text), 0);
	/* addresses: 0, each symbol's, one before and after each, far beyond */
	probes[n++] = 0;
	probes[n++] = ~0ULL;
	for (const char *p = text; *p && n < 60; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : "") {
		unsigned long long a;

		if (sscanf(p, "%llx", &a) == 1) {
			probes[n++] = a;
			probes[n++] = a - 1;
			probes[n++] = a + 1;
		}
	}
	for (int i = 0; i < n; i++) {
		const char *want = NULL, *got = NULL;
		unsigned long long want_start = 0;
		uint64_t got_start = 0;
		int found = tep_find_function_info(tep, probes[i], &want, &want_start, NULL);
		bool ours = td_ksyms_find(k, probes[i], &got, &got_start);

		if (found != ours || (found && (strcmp(want, got) || want_start != got_start)))
			fail_msg("address %llx: libtraceevent %s@%llx, ksyms %s@%llx",
				 (unsigned long long)probes[i], found ? want : "-", want_start,
				 ours ? got : "-", (unsigned long long)got_start);
		/* twice: the second answer comes from the cache */
		assert_int_equal(td_ksyms_find(k, probes[i], &got, &got_start), ours);
	}
	td_ksyms_free(k);
	tep_free(tep);
}

static void test_same_answers(void **state)
{
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		check_text(texts[i]);
}

static void test_refused(void **state)
{
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		struct td_ksyms *k = td_ksyms_new(refused[i], strlen(refused[i]));

		if (k)
			fail_msg("should be left to libtraceevent: %s", refused[i]);
	}
}

/* The size bounds the text even without a NUL. */
static void test_size_bound(void **state)
{
	static const char text[] = "ffffffff81000000 T first\nffffffff81000100 T second\n";
	struct td_ksyms *k = td_ksyms_new(text, 25);
	const char *name;
	uint64_t start;

	assert_non_null(k);
	/* only "first": past the last symbol nothing resolves (libtraceevent's sentinel) */
	assert_false(td_ksyms_find(k, 0xffffffff81000100ULL, &name, &start));
	assert_true(td_ksyms_find(k, 0xffffffff81000000ULL, &name, &start));
	assert_string_equal(name, "first");
	td_ksyms_free(k);
}

/* Far more lines than the table is first sized for (short ones): it grows. */
static void test_many_short_lines(void **state)
{
	char *text = malloc(20000 * 16 + 1), *p = text;
	const char *name;
	uint64_t start;
	struct td_ksyms *k;

	for (int i = 0; i < 20000; i++)
		p += sprintf(p, "%x t s%d\n", (20000 - i) * 16, i);
	k = td_ksyms_new(text, p - text);
	assert_non_null(k);
	assert_true(td_ksyms_find(k, 16 + 3, &name, &start));
	assert_string_equal(name, "s19999");
	assert_int_equal(start, 16);
	assert_true(td_ksyms_find(k, 20000 * 16 - 16, &name, &start));
	assert_string_equal(name, "s1");
	td_ksyms_free(k);
	check_text(text);
	free(text);
}

/* Every address in text (and one either side) resolves as libtraceevent resolves it. */
static void check_every_address(const char *text)
{
	struct tep_handle *tep = tep_alloc();
	struct td_ksyms *k = td_ksyms_new(text, strlen(text) + 1);

	assert_non_null(tep);
	assert_non_null(k);
	assert_int_equal(tep_parse_kallsyms(tep, text), 0);
	for (const char *p = text; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : "") {
		unsigned long long a;

		if (sscanf(p, "%llx", &a) != 1)
			continue;
		for (unsigned long long probe = a - 1; probe != a + 2; probe++) {
			const char *want = NULL, *got = NULL;
			unsigned long long want_start = 0;
			uint64_t got_start = 0;
			int found = tep_find_function_info(tep, probe, &want, &want_start, NULL);
			bool ours = td_ksyms_find(k, probe, &got, &got_start);

			if (found != ours || (found && (strcmp(want, got) || want_start != got_start)))
				fail_msg("address %llx: libtraceevent %s@%llx, ksyms %s@%llx", probe,
					 found ? want : "-", want_start, ours ? got : "-",
					 (unsigned long long)got_start);
		}
	}
	td_ksyms_free(k);
	tep_free(tep);
}

/*
 * The kernel's own form ("%016lx %c %s", read by a shortcut) mixed with lines
 * that only the general parse reads (extra blanks, tabs, short addresses,
 * carriage returns), with shared addresses, '$' names, absolute symbols,
 * modules and an unsorted tail: random texts, the same answers.
 */
static void test_random_kernel_form(void **state)
{
	static const char types[] = "TtWwDdBbRrAaVv";
	char *text = malloc(4000 * 64 + 1);

	srand(1234);
	for (int round = 0; round < 20; round++) {
		unsigned long long addr = 0xffffffff81000000ULL;
		char *p = text;

		for (int i = 0; i < 4000; i++) {
			char type = types[rand() % (sizeof(types) - 1)];
			int shape = rand() % 16;

			if (i > 3000 && rand() % 4 == 0)	/* modules, out of order */
				addr = 0xffffffffc0000000ULL + (rand() % 100000) * 16;
			else if (rand() % 5)
				addr += (rand() % 8) * 16;	/* 0: an address shared */
			switch (shape) {
			case 0:
				p += sprintf(p, "%016llx  %c %s%d\n", addr, type, "two_blanks", i);
				break;
			case 1:
				p += sprintf(p, "%016llx\t%c\ttabbed%d\t[mod]\n", addr, type, i);
				break;
			case 2:
				p += sprintf(p, "%llx %c short%d\n", addr & 0xffffffffULL, type, i);
				break;
			case 3:
				p += sprintf(p, "%016llx %c $x%d\n", addr, type, i);
				break;
			case 4:
				p += sprintf(p, "%016llX %c cr%d\r\n", addr, type, i);
				break;
			case 5:
				p += sprintf(p, "%016llx %c modfn%d\t[m%d]\n", addr, type, i, i % 3);
				break;
			case 6:
				p += sprintf(p, "\n");
				break;
			default:
				p += sprintf(p, "%016llx %c sym%d\n", addr, type, i);
			}
		}
		*p = '\0';
		check_every_address(text);
	}
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_answers),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_size_bound),
		cmocka_unit_test(test_many_short_lines),
		cmocka_unit_test(test_random_kernel_form),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_find_start.c - the prefix anchor search (ps_p_find_start) gives
 * the same offset as the plain search it replaced, which tried the full
 * start check at every byte that can begin a start form.  The plain
 * search lives only here, as the reference. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "ps_parse_int.h"

static size_t reference_find(const char *s, size_t n, bool in_dump)
{
	for (size_t i = 1; i + 3 < n; i++)
		if (s[i] && strchr("pftWgEuc[S", s[i]) && ps_p_is_start(s + i, n - i, in_dump))
			return i;
	return 0;
}

static void same(const char *s, size_t n)
{
	for (int d = 0; d < 2; d++) {
		size_t want = reference_find(s, n, d), got = ps_p_find_start(s, n, d);
		if (want != got)
			fail_msg("in_dump=%d: %zu, want %zu on \"%.*s\"", d, got, want, (int)n, s);
	}
}

/* Every start form, whole and cut short, and near misses. */
static const char *const forms[] = {
	"panic: boom", "fatal error: all goroutines are asleep", "throw: x",
	"WARNING: DATA RACE", "goroutine profile: total 3", "Exception 0xc0000005 0x0",
	"unexpected fault address 0x0", "created by main.main in goroutine 1",
	"[signal SIGSEGV: segmentation violation]", "goroutine 1 [running]:",
	"goroutine 18446744073709551616 [chan receive]:", "SIGQUIT: quit", "SIGSEGV: x",
	"pan", "panic:", "panic ", "fatal", "thro", "WARN", "goroutine ", "goroutine x [",
	"Exc", "unexpected", "created", "[sig", "SIG", "SIG: x", "SIGquit: x", "SIGQUIT:x",
	"path=/api/v1/items", "status=200", "goroutines", "pattern", "[s]", "STATUS",
};

static void test_crafted(void **state)
{
	(void)state;
	static const char *const before[] = {
		"", " ", "x", "ab", "2026-11-02T10:00:00Z ", "Nov 21 23:40:01 host app[12]: ",
		"svc-1  | ", "[pod-a] ", "\t", "pp", "gg", "SS", "[[", "\xff\xfe",
	};
	char line[256];
	size_t hits = 0;
	for (size_t b = 0; b < sizeof(before) / sizeof(before[0]); b++)
		for (size_t f = 0; f < sizeof(forms) / sizeof(forms[0]); f++)
			for (size_t cut = 0; cut <= strlen(forms[f]); cut++) {
				int n = snprintf(line, sizeof(line), "%s%.*s", before[b],
						 (int)cut, forms[f]);
				same(line, (size_t)n);
				hits += ps_p_find_start(line, (size_t)n, true) != 0;
			}
	/* the search finds forms at all, so agreement is not 0 == 0 */
	assert_true(hits > 100);
	/* a NUL byte is no start (the old strchr matched it, then failed) */
	same("a\0panic: x", 10);
	assert_int_equal(ps_p_find_start("a\0panic: x", 10, false), 2);
	/* in-dump forms only in a dump */
	assert_int_equal(ps_p_find_start("> created by main.f", 19, false), 0);
	assert_int_equal(ps_p_find_start("> created by main.f", 19, true), 2);
}

/* Random lines over bytes that begin or continue start forms. */
static void test_random(void **state)
{
	(void)state;
	static const char alpha[] = "pftWgEuc[SanhrAoxeGI: 0123456789ITicsQ]x\t\n";
	uint64_t x = 88172645463325252u;
	char line[96];
	for (int r = 0; r < 200000; r++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		size_t n = (size_t)(x % sizeof(line));
		for (size_t i = 0; i < n; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			line[i] = (x >> 40) % 8 == 0 ? (char)(x >> 48)
						     : alpha[(x >> 32) % (sizeof(alpha) - 1)];
		}
		/* plant a form now and then at a random column */
		if (n > 10 && (x >> 20) % 4 == 0) {
			const char *f = forms[(x >> 8) % (sizeof(forms) / sizeof(forms[0]))];
			size_t at = (size_t)((x >> 28) % (n / 2)), k = strlen(f);
			memcpy(line + at, f, k < n - at ? k : n - at);
		}
		same(line, n);
	}
}

/* ps_cur_hex_u64: up to 64 bits after any run of leading zeros; a
 * 17th significant digit makes the number no value; it stops at the
 * first byte that is no hex digit. */
static void test_hex(void **state)
{
	static const struct {
		const char *s;
		bool ok;
		uint64_t v;
		size_t used;
	} rows[] = {
		{ "0x1f", true, 0x1f, 4 },
		{ "0x1fz", true, 0x1f, 4 },
		{ "0xffffffffffffffff", true, UINT64_MAX, 18 },
		{ "0xffffffffffffffff ", true, UINT64_MAX, 18 },
		{ "0x1ffffffffffffffff", false, 0, 0 },
		{ "0x00000000000000000000001", true, 1, 25 },
		{ "0x0000000000000000000000123456789abcdef0123", false, 0, 0 },
		{ "0x00000000000000000000000123456789abcdef0", true, 0x123456789abcdef0ULL, 41 },
		{ "0x0", true, 0, 3 },
		{ "0x", false, 0, 0 },
		{ "0xg", false, 0, 0 },
		{ "1f", false, 0, 0 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct ps_cursor c = cur_make(rows[i].s, strlen(rows[i].s));
		uint64_t v = 0;
		bool ok = ps_cur_hex_u64(&c, &v);
		if (ok != rows[i].ok)
			fail_msg("%s: ok %d", rows[i].s, ok);
		if (ok && (v != rows[i].v || (size_t)(c.p - rows[i].s) != rows[i].used))
			fail_msg("%s: %llx, %zu bytes", rows[i].s, (unsigned long long)v,
				 (size_t)(c.p - rows[i].s));
		if (!ok && !c.bad)
			fail_msg("%s: cursor not bad", rows[i].s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crafted),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_hex),
	};
	return cmocka_run_group_tests_name("find_start", tests, NULL, NULL);
}

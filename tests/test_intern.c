/* test_intern.c - the interning table (base/intern.c) against the plain
 * facts it promises: one pointer per distinct byte string whatever the
 * table's growth did, the bytes and length kept (NULs included), big
 * strings beside small ones, and ps_intern_move (its copies in the
 * order the strings were stored).  Built twice: as
 * shipped, and with an 8-bit hash tag (test_intern_small_tag), where
 * tags collide often and every doubling past 256 cells hashes the
 * strings again. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ps_base.h"

#define N_SMALL 20000

/* String I: its length varies from 0 to 299 (so across the one-byte
 * length's 127/128 edge), NULs inside, and strings I and I + 1 often
 * differ only in their last bytes. */
static size_t make(char *buf, size_t i)
{
	size_t n = (i * 37) % 300;
	int w = snprintf(buf, 32, "s%zu", i);
	for (size_t k = (size_t)w; k < n; k++)
		buf[k] = (char)(k % 7 == 3 ? '\0' : 'a' + (k + i) % 26);
	if (n < (size_t)w) /* short ones: the number's tail, still distinct */
		return (size_t)snprintf(buf, 32, "%zu", i);
	return n;
}

static void check_same(const char *s, const char *want, size_t n)
{
	assert_int_equal(ps_intern_len(s), n);
	if (n)
		assert_memory_equal(s, want, n);
	assert_int_equal(s[n], '\0');
}

static void test_many_strings(void **state)
{
	(void)state;
	ps_intern *t = ps_intern_new();
	const char **got = malloc(N_SMALL * sizeof(*got));
	char buf[320];
	for (size_t i = 0; i < N_SMALL; i++) {
		size_t n = make(buf, i);
		got[i] = ps_intern_str(t, buf, n);
		check_same(got[i], buf, n);
	}
	assert_int_equal(ps_intern_count(t), N_SMALL);
	/* after every doubling: the same pointers, the same bytes */
	for (size_t i = 0; i < N_SMALL; i++) {
		size_t n = make(buf, i);
		assert_ptr_equal(ps_intern_str(t, buf, n), got[i]);
		check_same(got[i], buf, n);
	}
	/* a string one byte short of an interned one is another string */
	size_t n = make(buf, 12345);
	const char *shorter = ps_intern_str(t, buf, n - 1);
	assert_ptr_not_equal(shorter, got[12345]);
	assert_int_equal(ps_intern_count(t), N_SMALL + 1);
	const char *empty = ps_intern_str(t, "", 0);
	assert_int_equal(ps_intern_len(empty), 0);
	assert_ptr_equal(ps_intern_str(t, "x", 0), empty);
	free(got);
	ps_intern_free(t);
}

/* Strings bigger than a shared block get one of their own; small ones
 * go on filling the shared block, before and after. */
static void test_big_strings(void **state)
{
	(void)state;
	static const size_t sizes[] = { 600 * 1024, 5, 1536 * 1024, 0, 700 * 1024, 9,
					127, 128, 255, 256, 0x80 * 0x100 };
	enum { N = sizeof(sizes) / sizeof(sizes[0]) };
	ps_intern *t = ps_intern_new();
	char *bufs[N];
	const char *got[N];
	for (size_t r = 0; r < 2; r++) {
		for (size_t i = 0; i < N; i++) {
			if (!r) {
				bufs[i] = malloc(sizes[i] + 1);
				for (size_t k = 0; k < sizes[i]; k++)
					bufs[i][k] = (char)('A' + (k * 13 + i) % 50);
				got[i] = ps_intern_str(t, bufs[i], sizes[i]);
			}
			assert_ptr_equal(ps_intern_str(t, bufs[i], sizes[i]), got[i]);
			assert_int_equal(ps_intern_len(got[i]), sizes[i]);
			if (sizes[i])
				assert_memory_equal(got[i], bufs[i], sizes[i]);
			assert_int_equal(got[i][sizes[i]], '\0');
		}
	}
	assert_int_equal(ps_intern_count(t), N);
	for (size_t i = 0; i < N; i++)
		free(bufs[i]);
	ps_intern_free(t);
}

/* The first string of a table is a big one: block 0 is its own. */
static void test_big_first(void **state)
{
	(void)state;
	size_t n = 900 * 1024;
	char *big = calloc(1, n);
	ps_intern *t = ps_intern_new();
	const char *b = ps_intern_str(t, big, n);
	const char *s = ps_intern_str(t, "main.main", 9);
	assert_ptr_equal(ps_intern_str(t, big, n), b);
	assert_ptr_equal(ps_intern_str(t, "main.main", 9), s);
	assert_int_equal(ps_intern_len(b), n);
	assert_string_equal(s, "main.main");
	ps_intern_free(t);
	free(big);
}

/* Every string of SRC, small and big, names DST's equal one, also when
 * asked twice; strings DST had keep their pointer. */
static void test_move_many(void **state)
{
	(void)state;
	ps_intern *dst = ps_intern_new(), *src = ps_intern_new();
	const char **in_src = malloc(N_SMALL * sizeof(*in_src));
	const char **in_dst = calloc(N_SMALL, sizeof(*in_dst));
	char buf[320];
	for (size_t i = 0; i < N_SMALL; i++) {
		size_t n = make(buf, i);
		if (i % 3 == 0)
			in_dst[i] = ps_intern_str(dst, buf, n);
		in_src[i] = ps_intern_str(src, buf, n);
	}
	size_t bn = 800 * 1024;
	char *big = malloc(bn);
	memset(big, 'g', bn);
	const char *src_big = ps_intern_str(src, big, bn);
	ps_intern_move(dst, src);
	for (size_t i = 0; i < N_SMALL; i++) {
		size_t n = make(buf, i);
		const char *d = ps_intern_moved(src, in_src[i]);
		if (in_dst[i])
			assert_ptr_equal(d, in_dst[i]);
		assert_ptr_equal(ps_intern_str(dst, buf, n), d);
		check_same(d, buf, n);
		/* DST's own string is its own copy (a frame moved twice) */
		assert_ptr_equal(ps_intern_moved(src, d), d);
		/* the first byte survives the move: callers tell "" by it */
		assert_int_equal(in_src[i][0], buf[0]);
	}
	const char *dst_big = ps_intern_moved(src, src_big);
	assert_ptr_equal(ps_intern_str(dst, big, bn), dst_big);
	assert_int_equal(ps_intern_count(dst), N_SMALL + 1);
	ps_intern_free(src);
	check_same(dst_big, big, bn);
	free(big);
	free(in_src);
	free(in_dst);
	ps_intern_free(dst);
}

/* A move copies nothing: the strings DST lacked stay where SRC stored
 * them, in the order a range met them, which is the order its argument
 * lists are read in later (copies in hash order made every read a cache
 * miss); one DST had names DST's, long or short. */
static void test_move_keeps_order(void **state)
{
	enum { N = 5000 };
	(void)state;
	ps_intern *dst = ps_intern_new(), *src = ps_intern_new();
	const char *in_src[N];
	char buf[32];
	const char *already = ps_intern_str(dst, "0xc000000000, 0x0?", 18);
	const char *short_dst = ps_intern_str(dst, "0x0", 3);
	const char *long_src = ps_intern_str(src, "0xc000000000, 0x0?", 18);
	const char *short_src = ps_intern_str(src, "0x0", 3);
	for (size_t i = 0; i < N; i++) {
		int n = snprintf(buf, sizeof(buf), "0xc%09zx, 0x%zu?", i * 7919 + 1, i);
		in_src[i] = ps_intern_str(src, buf, (size_t)n);
	}
	ps_intern_move(dst, src);
	for (size_t i = 0; i < N; i++) {
		int n = snprintf(buf, sizeof(buf), "0xc%09zx, 0x%zu?", i * 7919 + 1, i);
		assert_ptr_equal(ps_intern_moved(src, in_src[i]), in_src[i]);
		assert_ptr_equal(ps_intern_str(dst, buf, (size_t)n), in_src[i]);
	}
	assert_ptr_equal(ps_intern_moved(src, long_src), already);
	assert_ptr_equal(ps_intern_moved(src, short_src), short_dst);
	assert_int_equal(ps_intern_count(dst), N + 2);
	ps_intern_free(src); /* its strings are DST's now */
	check_same(in_src[N - 1], buf, strlen(buf));
	ps_intern_free(dst);
}

/* A range that mostly repeats what DST has (a second copy of a dump):
 * its few new strings are copied and SRC's blocks, dead copies by then,
 * go with SRC, so memory follows the distinct strings. */
static void test_move_mostly_known(void **state)
{
	enum { N = 3000, NEW = 10 };
	(void)state;
	ps_intern *dst = ps_intern_new(), *src = ps_intern_new();
	const char *in_dst[N], *in_src[N + NEW];
	char buf[32];
	for (size_t i = 0; i < N + NEW; i++) {
		int n = snprintf(buf, sizeof(buf), "0xc%09zx, 0x%zu?", i * 7919 + 1, i);
		if (i < N)
			in_dst[i] = ps_intern_str(dst, buf, (size_t)n);
		in_src[i] = ps_intern_str(src, buf, (size_t)n);
	}
	ps_intern_move(dst, src);
	const char *fresh[NEW];
	for (size_t i = 0; i < N; i++)
		assert_ptr_equal(ps_intern_moved(src, in_src[i]), in_dst[i]);
	for (size_t i = 0; i < NEW; i++) {
		fresh[i] = ps_intern_moved(src, in_src[N + i]);
		assert_ptr_not_equal(fresh[i], in_src[N + i]); /* a copy */
	}
	assert_int_equal(ps_intern_count(dst), N + NEW);
	ps_intern_free(src); /* its blocks with it */
	for (size_t i = 0; i < NEW; i++) {
		int n = snprintf(buf, sizeof(buf), "0xc%09zx, 0x%zu?", (N + i) * 7919 + 1, N + i);
		check_same(fresh[i], buf, (size_t)n);
		assert_ptr_equal(ps_intern_str(dst, buf, (size_t)n), fresh[i]);
	}
	ps_intern_free(dst);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_many_strings),
		cmocka_unit_test(test_big_strings),
		cmocka_unit_test(test_big_first),
		cmocka_unit_test(test_move_many),
		cmocka_unit_test(test_move_keeps_order),
		cmocka_unit_test(test_move_mostly_known),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

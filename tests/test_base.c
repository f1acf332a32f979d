/* test_base.c - base/base.c's big buffers (ps_big_*) and the arena and
 * vector built on them: bytes kept across every change of kind (malloc
 * below PS_BIG_MIN, a mapping of its own from there on), zero where
 * promised, tables' pages made at once, each kind freed as itself, and
 * no mapping advised for huge pages.  A buffer freed as the wrong kind
 * aborts in free() or leaks a mapping, which the sanitizer passes see. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "ps_base.h"

#define MB ((size_t)1 << 20)

static unsigned char byte_at(size_t i)
{
	return (unsigned char)(i * 131 + (i >> 12));
}

static void fill(unsigned char *p, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		p[i] = byte_at(i);
}

static void check(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != byte_at(i))
			fail_msg("byte %zu of %zu: %u, want %u", i, n, p[i], byte_at(i));
}

static bool all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static void test_sizes(void **state)
{
	(void)state;
	assert_int_equal(ps_big_size(0), 0);
	assert_int_equal(ps_big_size(PS_BIG_MIN - 1), PS_BIG_MIN - 1);
	assert_int_equal(ps_big_size(PS_BIG_MIN), PS_BIG_MIN);
	assert_int_equal(ps_big_size(PS_BIG_MIN + 1), 2 * PS_BIG_MIN);
	assert_int_equal(ps_big_size(5 * MB), 6 * MB);
}

/* Up across the threshold, up inside it, down inside it, down across
 * it: every step keeps the bytes both sizes have. */
static void test_realloc_kinds(void **state)
{
	(void)state;
	static const size_t steps[] = { 100, MB, 3 * MB, 9 * MB, 4 * MB + 1, PS_BIG_MIN,
					PS_BIG_MIN - 1, 64 * 1024, 10 };
	unsigned char *p = NULL;
	size_t n = 0;
	for (size_t k = 0; k < sizeof(steps) / sizeof(steps[0]); k++) {
		size_t m = steps[k];
		p = ps_big_realloc(p, n, m);
		check(p, n < m ? n : m);
		if (m > n)
			fill(p, n, m);
		n = m;
		check(p, n);
	}
	ps_big_free(p, n);
}

static void test_alloc_zero(void **state)
{
	(void)state;
	static const size_t sizes[] = { 1, 4096, PS_BIG_MIN - 1, PS_BIG_MIN, 3 * MB + 5 };
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		unsigned char *p = ps_big_alloc(sizes[k]);
		assert_true(all_zero(p, sizes[k]));
		fill(p, 0, sizes[k]);
		ps_big_free(p, sizes[k]);
	}
	ps_big_free(NULL, 0);
	ps_big_free(NULL, 3 * MB);
}

/* How many of the whole pages inside [P, P + N) are resident. */
static size_t resident_pages(const void *p, size_t n, size_t *whole)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	uintptr_t lo = ((uintptr_t)p + pg - 1) & ~(uintptr_t)(pg - 1);
	uintptr_t hi = ((uintptr_t)p + n) & ~(uintptr_t)(pg - 1);
	size_t count = hi > lo ? (hi - lo) / pg : 0, in = 0;
	unsigned char *vec = calloc(count ? count : 1, 1);
	assert_non_null(vec);
	assert_int_equal(mincore((void *)lo, hi - lo, vec), 0);
	for (size_t i = 0; i < count; i++)
		in += vec[i] & 1;
	free(vec);
	*whole = count;
	return in;
}

/* Tables are read before they are written: ps_big_alloc makes their
 * pages at once (no zero page for a first write to replace), in both
 * kinds; an unzeroed buffer is left to first use. */
static void test_alloc_resident(void **state)
{
	(void)state;
	static const size_t sizes[] = { 256 * 1024, MB, 4 * MB };
	size_t whole;
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		unsigned char *p = ps_big_alloc(sizes[k]);
		size_t in = resident_pages(p, sizes[k], &whole);
		assert_true(whole > 0);
		assert_int_equal(in, whole);
		ps_big_free(p, sizes[k]);
	}
	unsigned char *lazy = ps_big_realloc(NULL, 0, 4 * MB);
	assert_int_equal(resident_pages(lazy, 4 * MB, &whole), 0);
	ps_big_free(lazy, 4 * MB);
}

/* Does /proc/self/smaps flag the mapping at P as advised for huge
 * pages ("hg" in VmFlags)?  -1: no smaps to read. */
static int advised(const void *p)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	int in = 0, found = 0;
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2) { /* a mapping's first line */
			in = (uintptr_t)p >= lo && (uintptr_t)p < hi;
			continue;
		}
		if (in && !strncmp(line, "VmFlags:", 8))
			found = strstr(line, " hg") != NULL;
	}
	fclose(f);
	return found;
}

/* Big buffers are not advised for huge pages (base.c says why); the
 * smaps reader is shown to see the advice on a mapping that has it. */
static void test_no_huge_advice(void **state)
{
	(void)state;
	unsigned char *big = ps_big_alloc(4 * MB);
	unsigned char *lazy = ps_big_realloc(NULL, 0, 4 * MB);
	void *advised_map = mmap(NULL, 4 * MB, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(advised_map != MAP_FAILED);
	big[0] = lazy[0] = 1;
	if (madvise(advised_map, 4 * MB, MADV_HUGEPAGE) != 0 || advised(big) < 0) {
		/* a kernel without THP (or smaps) has nothing to show */
		print_message("no huge-page advice or smaps here: not checked\n");
	} else {
		assert_int_equal(advised(advised_map), 1);
		assert_int_equal(advised(big), 0);
		assert_int_equal(advised(lazy), 0);
	}
	munmap(advised_map, 4 * MB);
	ps_big_free(big, 4 * MB);
	ps_big_free(lazy, 4 * MB);
}

/* A vector past the threshold, stolen into an arena (cut to its length,
 * which crosses back below it for SHORT), then the arena released. */
static void steal_one(size_t elems)
{
	struct ps_vec v;
	struct ps_arena a = { 0 };
	size_t len;
	ps_vec_init(&v, sizeof(uint64_t));
	for (size_t i = 0; i < elems; i++)
		*(uint64_t *)ps_vec_push(&v) = i * 0x9e3779b97f4a7c15ULL;
	uint64_t *out = ps_vec_steal(&v, &a, &len);
	assert_int_equal(len, elems);
	for (size_t i = 0; i < elems; i++)
		if (out[i] != i * 0x9e3779b97f4a7c15ULL)
			fail_msg("element %zu of %zu", i, elems);
	*(uint64_t *)ps_vec_push(&v) = 7; /* still usable */
	ps_vec_release(&v);
	ps_arena_release(&a);
}

static void test_vec_steal(void **state)
{
	(void)state;
	steal_one(300 * 1000);           /* 2.4 MB: a mapping, cut inside it */
	steal_one(PS_BIG_MIN / 8 + 1);   /* just past the threshold */
	steal_one(PS_BIG_MIN / 8 - 1);   /* a capacity past it, a length below */
	steal_one(1000);
}

/* An arena's blocks grow into mappings; what was allocated stays. */
static void test_arena_blocks(void **state)
{
	(void)state;
	struct ps_arena a = { 0 };
	enum { N = 200000 };
	char **s = malloc(N * sizeof(*s));
	for (size_t i = 0; i < N; i++) {
		char buf[32];
		int n = snprintf(buf, sizeof(buf), "string %zu", i);
		s[i] = ps_arena_strndup(&a, buf, (size_t)n);
	}
	unsigned char *huge = ps_arena_alloc(&a, 5 * MB);
	fill(huge, 0, 5 * MB);
	for (size_t i = 0; i < N; i++) {
		char buf[32];
		snprintf(buf, sizeof(buf), "string %zu", i);
		assert_string_equal(s[i], buf);
	}
	check(huge, 5 * MB);
	free(s);
	ps_arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_realloc_kinds),
		cmocka_unit_test(test_alloc_zero),
		cmocka_unit_test(test_alloc_resident),
		cmocka_unit_test(test_no_huge_advice),
		cmocka_unit_test(test_vec_steal),
		cmocka_unit_test(test_arena_blocks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

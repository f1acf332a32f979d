/* text.c - the small text tools of the analysis: printed argument lists
 * split into top-level items, and goroutine id ranges. */
#include "view_int.h"

#include <stdio.h>
#include <stdlib.h>

/* Where the item at S[I..N) ends, DEPTH braces deep: at the next ','
 * outside braces, or N. */
static size_t arg_end(const char *s, size_t n, size_t i, int depth)
{
	/* the bytes that matter, looked up: most bytes are hex digits */
	static const unsigned char special[256] = { ['{'] = 1, ['}'] = 1, [','] = 1 };
	for (;; i++) {
		while (i < n && !special[(unsigned char)s[i]])
			i++;
		if (i >= n)
			break;
		if (s[i] == '{')
			depth++;
		else if (s[i] == '}' && depth > 0)
			depth--;
		else if (s[i] == ',' && depth == 0)
			break;
	}
	return i;
}

static size_t skip_spaces(const char *s, size_t n, size_t i)
{
	while (i < n && s[i] == ' ')
		i++;
	return i;
}

/* ps_view_next_arg, inline where a group's members are walked. */
static inline bool next_item(const char *s, size_t n, size_t *i, size_t *start,
			     size_t *len)
{
	*i = skip_spaces(s, n, *i);
	if (*i >= n)
		return false;
	size_t j = arg_end(s, n, *i, 0);
	*start = *i;
	*len = j - *i;
	*i = j < n ? j + 1 : n;
	return true;
}

bool ps_view_next_arg(const char *s, size_t n, size_t *i, size_t *start,
		      size_t *len)
{
	return next_item(s, n, i, start, len);
}

/* Compares the items starting at A[*IA] and B[*IB] (either may be at
 * its end: no item) in one walk over both, and moves each index past
 * its item and comma.  Equal bytes mean equal depths, so two equal
 * items end at the same step. */
static bool same_item(const char *a, size_t an, size_t *ia,
		      const char *b, size_t bn, size_t *ib)
{
	size_t i = *ia, j = *ib;
	int depth = 0;
	bool same;
	for (;;) {
		bool enda = i >= an || (a[i] == ',' && depth == 0);
		bool endb = j >= bn || (b[j] == ',' && depth == 0);
		if (enda || endb || a[i] != b[j]) {
			same = enda && endb;
			break;
		}
		if (a[i] == '{')
			depth++;
		else if (a[i] == '}' && depth > 0)
			depth--;
		i++;
		j++;
	}
	if (*ia < an) {
		i = arg_end(a, an, i, depth);
		*ia = i < an ? i + 1 : an;
	}
	if (*ib < bn) {
		j = arg_end(b, bn, j, depth);
		*ib = j < bn ? j + 1 : bn;
	}
	return same;
}

/* The bit of the K-th item: from the 64th on they share bit 63. */
static uint64_t item_bit(size_t k)
{
	return (uint64_t)1 << (k < 63 ? k : 63);
}

uint64_t ps_view_args_agree(const char *a, size_t an, const char *b, size_t bn)
{
	uint64_t mask = ~(uint64_t)0;
	size_t ia = 0, ib = 0;

	/* one walk over both lists */
	for (size_t k = 0;; k++) {
		ia = skip_spaces(a, an, ia);
		ib = skip_spaces(b, bn, ib);
		if (ia >= an && ib >= bn)
			break;
		if (!same_item(a, an, &ia, b, bn, &ib))
			mask &= ~item_bit(k);
	}
	return mask;
}

/* Do the braces of the item S[0..N) all close inside it, counted as
 * arg_end counts them (a '}' with none open is no brace)? */
static bool closed(const char *s, size_t n)
{
	int depth = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '{')
			depth++;
		else if (s[i] == '}' && depth > 0)
			depth--;
	}
	return depth == 0;
}

struct ps_view_item *ps_view_items(struct ps_arena *arena, const char *s, size_t n,
				   size_t *count)
{
	size_t i = 0, start, len, k = 0;
	while (ps_view_next_arg(s, n, &i, &start, &len))
		k++;
	struct ps_view_item *items = ps_arena_alloc(arena, (k ? k : 1) * sizeof(*items));
	for (i = 0, k = 0; ps_view_next_arg(s, n, &i, &start, &len); k++)
		items[k] = (struct ps_view_item){ (uint32_t)start, (uint32_t)len,
						  closed(s + start, len) };
	*count = k;
	return items;
}

/* P[0..N) == Q[0..N).  Items are mostly a word ("0x0?", a pointer):
 * one or two loads a side, overlapping, where memcmp was a call. */
static bool same_bytes(const char *p, const char *q, size_t n)
{
	uint64_t a, b, c, d;
	uint32_t e, f, g, h;

	if (n >= 8 && n <= 16) {
		memcpy(&a, p, 8);
		memcpy(&b, q, 8);
		memcpy(&c, p + n - 8, 8);
		memcpy(&d, q + n - 8, 8);
		return ((a ^ b) | (c ^ d)) == 0;
	}
	if (n >= 4 && n < 8) {
		memcpy(&e, p, 4);
		memcpy(&f, q, 4);
		memcpy(&g, p + n - 4, 4);
		memcpy(&h, q + n - 4, 4);
		return ((e ^ f) | (g ^ h)) == 0;
	}
	return memcmp(p, q, n) == 0;
}

/* Is B's item at *I the same as A's closed item AI, found without
 * looking for B's item end?  Then *I moves past it and its comma.  An
 * item holds no comma outside braces, and B's bytes equal to a closed
 * one leave B outside braces too: they end B's item exactly when a
 * comma or B's end follows. */
static bool b_item_same(const char *b, size_t bn, size_t *i, const char *a,
			const struct ps_view_item *ai)
{
	size_t at = skip_spaces(b, bn, *i), end = at + ai->len;
	if (!ai->closed || at >= bn || bn - at < ai->len ||
	    (end < bn && b[end] != ',') || !same_bytes(b + at, a + ai->start, ai->len))
		return false;
	*i = end < bn ? end + 1 : bn;
	return true;
}

uint64_t ps_view_args_agree_items(const char *a, const struct ps_view_item *ai, size_t na,
				  const char *b, size_t bn, uint64_t mask)
{
	size_t i = 0, start, len, k = 0;

	/* A's items are split once for all the members compared with it:
	 * B is scanned for its item ends, each compared whole, and only
	 * where MASK still has its bit (a group's members mostly differ
	 * in the same pointer items) */
	for (;; k++) {
		uint64_t bit = item_bit(k);
		if ((mask & -bit) == 0)
			return mask; /* no bit left from K on: nothing can change */
		if (k < na && b_item_same(b, bn, &i, a, &ai[k]))
			continue;
		if (!next_item(b, bn, &i, &start, &len))
			break;
		if ((mask & bit) &&
		    (k >= na || len != ai[k].len || !same_bytes(b + start, a + ai[k].start, len)))
			mask &= ~bit;
	}
	for (; k < na; k++)
		mask &= ~item_bit(k);
	return mask;
}

/* Merges the sorted runs A[0, MID) and A[MID, N) through TMP. */
static void merge_runs(uint64_t *a, size_t mid, size_t n, uint64_t *tmp)
{
	size_t i = 0, j = mid, k = 0;
	while (i < mid && j < n)
		tmp[k++] = a[j] < a[i] ? a[j++] : a[i++];
	while (i < mid)
		tmp[k++] = a[i++];
	memcpy(a, tmp, k * sizeof(*a)); /* a[j, n) is in place */
}

/* The end of the ascending run of IDS[0, N) that starts at I < N. */
static size_t run_end(const uint64_t *ids, size_t i, size_t n)
{
	for (i++; i < n && ids[i - 1] <= ids[i]; i++)
		;
	return i;
}

/* Sorts IDS[0, N) by merging its ascending runs, two neighbours at a
 * time: a group's members come in dump order, mostly by id already (the
 * 30 groups of a 100,008-goroutine dump hold two or three runs each),
 * so this is a pass or two where qsort took a tenth of the text run. */
static void sort_ids(uint64_t *ids, size_t n)
{
	uint64_t *tmp = NULL;
	for (;;) {
		size_t runs = 0;
		for (size_t i = 0; i < n; runs++) {
			size_t mid = run_end(ids, i, n);
			size_t end = mid < n ? run_end(ids, mid, n) : n;
			if (mid < n) {
				if (!tmp)
					tmp = ps_xmalloc(n * sizeof(*tmp));
				merge_runs(ids + i, mid - i, end - i, tmp);
			}
			i = end;
		}
		if (runs <= 1)
			break;
	}
	free(tmp);
}

const char *ps_view_id_ranges(struct ps_arena *arena,
			      const struct ps_goroutine *const *gs, size_t n,
			      size_t max)
{
	uint64_t *ids = ps_xmalloc((n ? n : 1) * sizeof(*ids));
	struct ps_buf b = { 0 };
	size_t ranges = 0, i = 0;

	for (size_t k = 0; k < n; k++)
		ids[k] = gs[k]->id;
	sort_ids(ids, n);
	while (i < n && ranges < max) {
		size_t j = i;
		while (j + 1 < n && ids[j + 1] <= ids[j] + 1)
			j++;
		ps_buf_printf(&b, ranges ? ",%llu" : "%llu", (unsigned long long)ids[i]);
		if (ids[j] != ids[i])
			ps_buf_printf(&b, "-%llu", (unsigned long long)ids[j]);
		ranges++;
		i = j + 1;
	}
	if (i < n)
		ps_buf_printf(&b, ",… +%zu more", n - i);
	const char *s = ps_arena_strndup(arena, ps_buf_cstr(&b), b.len);
	ps_buf_release(&b);
	free(ids);
	return s;
}

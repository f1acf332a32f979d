/* text.c - the small text tools of the analysis: printed argument lists
 * split into top-level items, and goroutine id ranges. */
#include "view_int.h"

#include <stdio.h>
#include <stdlib.h>

bool ps_view_next_arg(const char *s, size_t n, size_t *i, size_t *start,
		      size_t *len)
{
	int depth = 0;
	size_t j;

	while (*i < n && s[*i] == ' ')
		(*i)++;
	if (*i >= n)
		return false;
	for (j = *i; j < n; j++) {
		if (s[j] == '{')
			depth++;
		else if (s[j] == '}' && depth > 0)
			depth--;
		else if (s[j] == ',' && depth == 0)
			break;
	}
	*start = *i;
	*len = j - *i;
	*i = j < n ? j + 1 : n;
	return true;
}

uint64_t ps_view_args_agree(const char *a, size_t an, const char *b, size_t bn)
{
	uint64_t mask = ~(uint64_t)0;
	size_t ia = 0, ib = 0, k = 0, sa = 0, la = 0, sb = 0, lb = 0;

	for (;; k++) {
		bool ha = ps_view_next_arg(a, an, &ia, &sa, &la);
		bool hb = ps_view_next_arg(b, bn, &ib, &sb, &lb);
		if (!ha && !hb)
			break;
		if (ha != hb || la != lb || memcmp(a + sa, b + sb, la) != 0)
			mask &= ~((uint64_t)1 << (k < 63 ? k : 63));
	}
	return mask;
}

static int cmp_u64(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
	return a < b ? -1 : a > b;
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
	qsort(ids, n, sizeof(*ids), cmp_u64);
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

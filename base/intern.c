/* intern.c - open-addressing string interning table. */
#include "ps_base.h"

#include <stdlib.h>
#include <string.h>

/* Each string is stored right after its entry header, so the header of
 * an interned pointer is found by subtraction (ps_intern_slot). */
struct entry {
	void *slot;
	uint64_t hash;
	size_t len;
	char str[];
};

struct ps_intern {
	struct entry **buckets;
	size_t mask, count;
	struct ps_arena strings;  /* entries */
	struct ps_arena values;   /* user values (ps_intern_arena) */
};

ps_intern *ps_intern_new(void)
{
	ps_intern *t = ps_xcalloc(1, sizeof(*t));
	t->mask = 1023;
	t->buckets = ps_xcalloc(t->mask + 1, sizeof(*t->buckets));
	return t;
}

void ps_intern_free(ps_intern *t)
{
	if (!t)
		return;
	ps_arena_release(&t->strings);
	ps_arena_release(&t->values);
	free(t->buckets);
	free(t);
}

static void grow(ps_intern *t)
{
	size_t nmask = t->mask * 2 + 1;
	struct entry **nb = ps_xcalloc(nmask + 1, sizeof(*nb));
	for (size_t i = 0; i <= t->mask; i++) {
		struct entry *e = t->buckets[i];
		if (!e)
			continue;
		size_t j = e->hash & nmask;
		while (nb[j])
			j = (j + 1) & nmask;
		nb[j] = e;
	}
	free(t->buckets);
	t->buckets = nb;
	t->mask = nmask;
}

const char *ps_intern_str(ps_intern *t, const char *s, size_t n)
{
	uint64_t h = ps_hash_bytes(s, n, PS_HASH_SEED);
	size_t i = h & t->mask;
	struct entry *e;

	while ((e = t->buckets[i])) {
		if (e->hash == h && e->len == n && memcmp(e->str, s, n) == 0)
			return e->str;
		i = (i + 1) & t->mask;
	}
	e = ps_arena_alloc(&t->strings, sizeof(*e) + n + 1);
	e->slot = NULL;
	e->hash = h;
	e->len = n;
	memcpy(e->str, s, n);
	e->str[n] = '\0';
	t->buckets[i] = e;
	if (++t->count * 2 > t->mask)
		grow(t);
	return e->str;
}

void **ps_intern_slot(ps_intern *t, const char *s)
{
	(void)t;
	struct entry *e = (struct entry *)(void *)(s - offsetof(struct entry, str));
	return &e->slot;
}

struct ps_arena *ps_intern_arena(ps_intern *t)
{
	return &t->values;
}

size_t ps_intern_count(const ps_intern *t)
{
	return t->count;
}

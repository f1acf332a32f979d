/* intern.c - string interning on the one hash table (map.c). */
#include "ps_base.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* Each string is stored right after its length.  The hash lives in the
 * map only, and user slots in a map of their own, by string address:
 * few tables use them, and a dump of 10^6 distinct frames interns two
 * million strings.  Once ps_intern_move has copied a string, the length
 * gives way to the address of the copy: one load, right beside the
 * string, per use. */
struct entry {
	union {
		size_t len;
		const char *moved;      /* after ps_intern_move */
	} u;
	char str[];
};

static struct entry *entry_of(const char *s)
{
	return (struct entry *)(void *)(s - offsetof(struct entry, str));
}

struct ps_intern {
	struct ps_map map;        /* content hash -> struct entry */
	struct ps_map slots;      /* string address -> its user slot */
	struct ps_arena strings;  /* entries */
	struct ps_arena values;   /* user slots and values (ps_intern_arena) */
};

ps_intern *ps_intern_new(void)
{
	return ps_xcalloc(1, sizeof(ps_intern));
}

void ps_intern_free(ps_intern *t)
{
	if (!t)
		return;
	ps_arena_release(&t->strings);
	ps_arena_release(&t->values);
	ps_map_release(&t->map);
	ps_map_release(&t->slots);
	free(t);
}

struct key {
	const char *s;
	size_t n;
};

static bool same(const void *value, const void *key)
{
	const struct entry *e = value;
	const struct key *k = key;
	return e->u.len == k->n && memcmp(e->str, k->s, k->n) == 0;
}

const char *ps_intern_str(ps_intern *t, const char *s, size_t n)
{
	struct key k = { s, n };
	uint64_t h = ps_hash_bytes(s, n, PS_HASH_SEED);
	void **slot = ps_map_slot(&t->map, h, same, &k);
	struct entry *e = *slot;

	if (e)
		return e->str;
	e = ps_arena_alloc(&t->strings, sizeof(*e) + n + 1);
	e->u.len = n;
	memcpy(e->str, s, n);
	e->str[n] = '\0';
	*slot = e;
	return e->str;
}

void ps_intern_move(ps_intern *dst, ps_intern *src)
{
	for (size_t i = 0; src->map.cells && i <= src->map.mask; i++) {
		struct entry *e = src->map.cells[i].val;
		if (!e)
			continue;
		/* the hash is SRC's: one probe, no second pass over the bytes */
		size_t len = e->u.len;
		struct key k = { e->str, len };
		void **slot = ps_map_slot(&dst->map, src->map.cells[i].hash, same, &k);
		struct entry *d = *slot;
		if (!d) {
			d = ps_arena_alloc(&dst->strings, sizeof(*d) + len + 1);
			d->u.len = len;
			memcpy(d->str, e->str, len + 1);
			*slot = d;
		}
		e->u.moved = d->str;
	}
}

const char *ps_intern_moved(const ps_intern *src, const char *s)
{
	(void)src; /* the copy's address is kept beside the string */
	return entry_of(s)->u.moved;
}

void **ps_intern_slot(ps_intern *t, const char *s)
{
	/* the address is the whole key: interned strings are unique */
	void **cell = ps_map_slot(&t->slots, (uint64_t)(uintptr_t)s, NULL, s);
	if (!*cell)
		*cell = ps_arena_calloc(&t->values, sizeof(void *));
	return *cell;
}

struct ps_arena *ps_intern_arena(ps_intern *t)
{
	return &t->values;
}

size_t ps_intern_count(const ps_intern *t)
{
	return t->map.len;
}

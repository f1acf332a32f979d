/* map.c - the one open-addressing hash table of the project.
 *
 * Entries are (64-bit hash, non-NULL value pointer).  A caller whose
 * key is a 64-bit number passes it as the hash and no EQ; a caller with
 * longer keys (byte strings, stacks) hashes them and passes EQ, which
 * compares a stored value with the key, so equal hashes never merge
 * different keys. */
#include "ps_base.h"

#include <stdlib.h>
#include <string.h>

void ps_map_grow(struct ps_map *m)
{
	size_t mask = m->mask ? m->mask * 2 + 1 : 63;
	struct ps_map_cell *cells = ps_big_alloc((mask + 1) * sizeof(*cells));

	for (size_t i = 0; m->cells && i <= m->mask; i++) {
		if (!m->cells[i].val)
			continue;
		size_t j = ps_map_home(m->cells[i].hash, mask);
		while (cells[j].val)
			j = (j + 1) & mask;
		cells[j] = m->cells[i];
	}
	ps_big_free(m->cells, (m->mask + 1) * sizeof(*cells));
	m->cells = cells;
	m->mask = mask;
}

void ps_map_release(struct ps_map *m)
{
	ps_big_free(m->cells, (m->mask + 1) * sizeof(*m->cells));
	memset(m, 0, sizeof(*m));
}

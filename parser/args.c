/* args.c - argument lists into trees: "0x1, {0x2, 0x3?}, ...". */
#include "ps_parse_int.h"

#include <stdlib.h>

/* Deeper nesting than Go ever prints (5) is kept, up to this bound, so
 * hostile input cannot exhaust the C stack. */
#define MAX_DEPTH 32

/* The lists being parsed share one stack of nodes, innermost last; a
 * finished list moves to the arena.  It starts in the caller's frame:
 * reports parse a list per distinct frame, so no allocation per list. */
#define LOCAL_NODES 32

struct aparse {
	struct ps_cursor c;
	struct ps_arena *arena;
	bool bad;
	struct ps_arg *nodes;
	size_t len, cap;
	bool heap;              /* NODES was allocated (outgrew the local) */
};

static void push_node(struct aparse *a, const struct ps_arg *node)
{
	if (a->len == a->cap) {
		struct ps_arg *more = ps_xmalloc(a->cap * 2 * sizeof(*more));
		memcpy(more, a->nodes, a->len * sizeof(*more));
		if (a->heap)
			free(a->nodes);
		a->nodes = more;
		a->heap = true;
		a->cap *= 2;
	}
	a->nodes[a->len++] = *node;
}

static void skip_spaces(struct ps_cursor *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
		c->p++;
}

static int parse_list(struct aparse *a, int depth, bool in_group,
		      struct ps_arg **out, uint32_t *n);

/* Skips text that is not a value up to the next separator at this
 * level, keeping it as one PS_ARG_BAD node. */
static void parse_bad(struct aparse *a, struct ps_arg *node)
{
	int level = 0;
	node->kind = PS_ARG_BAD;
	while (a->c.p < a->c.end) {
		char ch = *a->c.p;
		if (ch == '{')
			level++;
		else if (ch == '}' && level-- == 0)
			break;
		else if (ch == ',' && level == 0)
			break;
		a->c.p++;
	}
	a->bad = true;
}

static bool parse_word(struct aparse *a, struct ps_arg *node)
{
	uint64_t v;
	if (!ps_cur_hex_u64(&a->c, &v)) {
		a->c.bad = false;
		return false;
	}
	node->kind = PS_ARG_WORD;
	node->value = v;
	if (a->c.p < a->c.end && *a->c.p == '?') {
		node->unreliable = true;
		a->c.p++;
	}
	return true;
}

static void parse_one(struct aparse *a, int depth, struct ps_arg *node)
{
	const char *start = a->c.p;

	if (*start == '{' && cur_skip(&a->c, "{...}")) {
		node->kind = PS_ARG_DEEP;
	} else if (*start == '.' && cur_skip(&a->c, "...")) {
		node->kind = PS_ARG_ELIDED;
	} else if (*a->c.p == '{' && depth < MAX_DEPTH) {
		a->c.p++;
		node->kind = PS_ARG_GROUP;
		parse_list(a, depth + 1, true, &node->children, &node->n_children);
		if (a->c.p < a->c.end && *a->c.p == '}')
			a->c.p++;
		else
			a->bad = true;
	} else if (*a->c.p == '_' ) {
		node->kind = PS_ARG_BLANK;
		a->c.p++;
	} else if (!parse_word(a, node)) {
		parse_bad(a, node);
	}
	/* Trailing junk after a value ("0x1zz") makes it bad as a whole. */
	skip_spaces(&a->c);
	if (a->c.p < a->c.end && *a->c.p != ',' && *a->c.p != '}') {
		parse_bad(a, node);
	}
	node->raw = start;
	node->raw_len = (uint32_t)(a->c.p - start);
	while (node->raw_len && start[node->raw_len - 1] == ' ')
		node->raw_len--;
}

static int parse_list(struct aparse *a, int depth, bool in_group,
		      struct ps_arg **out, uint32_t *n)
{
	size_t base = a->len, len;

	skip_spaces(&a->c);
	while (a->c.p < a->c.end && *a->c.p != '}') {
		/* built aside: its children's lists grow the stack meanwhile */
		struct ps_arg node = { 0 };
		parse_one(a, depth, &node);
		push_node(a, &node);
		skip_spaces(&a->c);
		if (a->c.p < a->c.end && *a->c.p == ',') {
			a->c.p++;
			skip_spaces(&a->c);
		}
	}
	if (!in_group && a->c.p < a->c.end) {
		/* A stray '}' at top level: keep the rest as one bad node. */
		struct ps_arg node = {
			.kind = PS_ARG_BAD, .raw = a->c.p,
			.raw_len = (uint32_t)(a->c.end - a->c.p),
		};
		push_node(a, &node);
		a->c.p = a->c.end;
		a->bad = true;
	}
	len = a->len - base;
	*out = len ? ps_arena_memdup(a->arena, a->nodes + base, len * sizeof(**out)) : NULL;
	*n = (uint32_t)len;
	a->len = base;
	return 0;
}

int ps_parse_args(const char *raw, size_t len, struct ps_arena *arena,
		  struct ps_arg **out, size_t *n)
{
	struct ps_arg local[LOCAL_NODES];
	struct aparse a = {
		.c = cur_make(raw, len), .arena = arena, .nodes = local, .cap = LOCAL_NODES,
	};
	uint32_t count = 0;

	parse_list(&a, 0, false, out, &count);
	if (a.heap)
		free(a.nodes);
	*n = count;
	return a.bad ? 1 : 0;
}

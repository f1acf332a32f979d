/* args.c - argument lists into trees: "0x1, {0x2, 0x3?}, ...". */
#include "ps_parse_int.h"

/* Deeper nesting than Go ever prints (5) is kept, up to this bound, so
 * hostile input cannot exhaust the C stack. */
#define MAX_DEPTH 32

struct aparse {
	struct ps_cursor c;
	struct ps_arena *arena;
	bool bad;
};

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

	if (cur_skip(&a->c, "{...}")) {
		node->kind = PS_ARG_DEEP;
	} else if (cur_skip(&a->c, "...")) {
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
	struct ps_vec v;
	size_t len;

	ps_vec_init(&v, sizeof(struct ps_arg));
	skip_spaces(&a->c);
	while (a->c.p < a->c.end && *a->c.p != '}') {
		parse_one(a, depth, ps_vec_push(&v));
		skip_spaces(&a->c);
		if (a->c.p < a->c.end && *a->c.p == ',') {
			a->c.p++;
			skip_spaces(&a->c);
		}
	}
	if (!in_group && a->c.p < a->c.end) {
		/* A stray '}' at top level: keep the rest as one bad node. */
		struct ps_arg *node = ps_vec_push(&v);
		node->kind = PS_ARG_BAD;
		node->raw = a->c.p;
		node->raw_len = (uint32_t)(a->c.end - a->c.p);
		a->c.p = a->c.end;
		a->bad = true;
	}
	*out = ps_vec_finish(&v, a->arena, &len);
	*n = (uint32_t)len;
	ps_vec_release(&v);
	return 0;
}

int ps_parse_args(const char *raw, size_t len, struct ps_arena *arena,
		  struct ps_arg **out, size_t *n)
{
	struct aparse a = { cur_make(raw, len), arena, false };
	uint32_t count = 0;

	parse_list(&a, 0, false, out, &count);
	*n = count;
	return a.bad ? 1 : 0;
}

/* json.c - just enough JSON to compare a golden with the current analysis
 * field by field and name the first difference as a path
 * ("dumps[0].goroutines[3].frames[0].func"), nested values first.  Scalars compare by their
 * token text: both sides come from the same writer, so equal values are
 * equal bytes, and a hand edit of a golden shows up as the edit it is. */
#include <stdarg.h>
#include <string.h>

#include "check_int.h"

#define JSON_MAX_DEPTH 200      /* deeper input is refused, not recursed */

enum { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jnode {
	uint8_t type;
	uint32_t line;
	const char *text;       /* scalar token as written (strings with quotes) */
	size_t len;
	const char *key;        /* member name inside its object, quotes off */
	size_t key_len;
	struct jnode *kids;
	size_t n;
};

struct jreader {
	const char *s, *end;
	uint32_t line;
	struct ps_arena *a;
	const char *error;      /* first error, NULL when fine */
	uint32_t error_line;
};

static void skip_ws(struct jreader *r)
{
	for (; r->s < r->end; r->s++) {
		if (*r->s == '\n')
			r->line++;
		else if (*r->s != ' ' && *r->s != '\t' && *r->s != '\r')
			return;
	}
}

static bool fail(struct jreader *r, const char *why)
{
	if (!r->error) {
		r->error = why;
		r->error_line = r->line;
	}
	return false;
}

/* A string token; leaves r->s after the closing quote. */
static bool read_string(struct jreader *r, const char **start, size_t *len)
{
	const char *p = r->s + 1;
	while (p < r->end && *p != '"') {
		if (*p == '\n')
			return fail(r, "newline inside a string");
		p += (*p == '\\' && p + 1 < r->end) ? 2 : 1;
	}
	if (p >= r->end)
		return fail(r, "unterminated string");
	*start = r->s;
	*len = (size_t)(p + 1 - r->s);
	r->s = p + 1;
	return true;
}

static bool read_value(struct jreader *r, struct jnode *out, int depth);

static bool read_members(struct jreader *r, struct jnode *out, int depth, bool obj)
{
	struct ps_vec kids;
	char close = obj ? '}' : ']';
	ps_vec_init(&kids, sizeof(struct jnode));
	r->s++;
	skip_ws(r);
	bool ok = true;
	if (r->s < r->end && *r->s == close) {
		r->s++;
	} else {
		for (;;) {
			struct jnode *k = ps_vec_push(&kids);
			skip_ws(r);
			if (obj) {
				if (r->s >= r->end || *r->s != '"' ||
				    !read_string(r, &k->key, &k->key_len)) {
					ok = fail(r, "expected a member name");
					break;
				}
				k->key++, k->key_len -= 2;
				skip_ws(r);
				if (r->s >= r->end || *r->s++ != ':') {
					ok = fail(r, "expected ':'");
					break;
				}
			}
			if (!(ok = read_value(r, k, depth + 1)))
				break;
			skip_ws(r);
			if (r->s < r->end && *r->s == ',') {
				r->s++;
				continue;
			}
			if (r->s < r->end && *r->s == close) {
				r->s++;
				break;
			}
			ok = fail(r, obj ? "expected ',' or '}'" : "expected ',' or ']'");
			break;
		}
	}
	out->kids = ps_vec_finish(&kids, r->a, &out->n);
	ps_vec_release(&kids);
	return ok;
}

static bool read_value(struct jreader *r, struct jnode *out, int depth)
{
	if (depth > JSON_MAX_DEPTH)
		return fail(r, "nested too deep");
	skip_ws(r);
	if (r->s >= r->end)
		return fail(r, "unexpected end");
	out->line = r->line;
	char c = *r->s;
	if (c == '{' || c == '[') {
		out->type = c == '{' ? J_OBJ : J_ARR;
		return read_members(r, out, depth, c == '{');
	}
	if (c == '"') {
		out->type = J_STR;
		return read_string(r, &out->text, &out->len);
	}
	const char *p = r->s;
	while (p < r->end && (strchr("+-.eE", *p) || (*p >= '0' && *p <= '9') ||
			      (*p >= 'a' && *p <= 'z')))
		p++;
	out->text = r->s;
	out->len = (size_t)(p - r->s);
	r->s = p;
	if (out->len == 4 && !memcmp(out->text, "null", 4))
		out->type = J_NULL;
	else if ((out->len == 4 && !memcmp(out->text, "true", 4)) ||
		 (out->len == 5 && !memcmp(out->text, "false", 5)))
		out->type = J_BOOL;
	else if (out->len && (c == '-' || (c >= '0' && c <= '9')))
		out->type = J_NUM;
	else
		return fail(r, "not a JSON value");
	return true;
}

static bool read_doc(struct jreader *r, struct jnode *root)
{
	if (!read_value(r, root, 0))
		return false;
	skip_ws(r);
	return r->s == r->end || fail(r, "text after the end");
}

/* ---- comparison ---- */

struct jdiff {
	char path[512];
	size_t path_len;
	char *msg;
	size_t msg_size;
	unsigned long line;
};

static void describe(const struct jnode *n, char *buf, size_t size)
{
	if (n->type == J_OBJ)
		snprintf(buf, size, "an object");
	else if (n->type == J_ARR)
		snprintf(buf, size, "an array of %zu", n->n);
	else if (n->len > 60)           /* a cut string keeps its closing quote */
		snprintf(buf, size, "%.55s...%s", n->text, n->type == J_STR ? "\"" : "");
	else
		snprintf(buf, size, "%.*s", (int)n->len, n->text);
}

static bool differ(struct jdiff *d, unsigned long line, const char *fmt, ...)
	PS_PRINTF(3, 4);
static bool differ(struct jdiff *d, unsigned long line, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(d->msg, d->msg_size, "%s", d->path_len ? d->path : "(top level)");
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < d->msg_size)
		vsnprintf(d->msg + n, d->msg_size - (size_t)n, fmt, ap);
	va_end(ap);
	d->line = line;
	return true;
}

/* Appends ".KEY" or "[I]" to the path; returns the old length. */
static size_t push_path(struct jdiff *d, const char *key, size_t key_len, size_t index)
{
	size_t old = d->path_len, room = sizeof(d->path) - old;
	int n = key ? snprintf(d->path + old, room, "%s%.*s", old ? "." : "",
			       (int)key_len, key)
		    : snprintf(d->path + old, room, "[%zu]", index);
	d->path_len = n < 0 || (size_t)n >= room ? sizeof(d->path) - 1 : old + (size_t)n;
	return old;
}

static const struct jnode *member(const struct jnode *obj, const struct jnode *like)
{
	for (size_t i = 0; i < obj->n; i++)
		if (obj->kids[i].key_len == like->key_len &&
		    !memcmp(obj->kids[i].key, like->key, like->key_len))
			return &obj->kids[i];
	return NULL;
}

static bool diff(struct jdiff *d, const struct jnode *cur, const struct jnode *gold);

static bool is_container(const struct jnode *n)
{
	return n->type == J_OBJ || n->type == J_ARR;
}

/* Members holding objects or arrays are compared before scalars: an
 * edited frame then shows as the frame's field, not as the byte count
 * or line total it also changed. */
static bool diff_obj(struct jdiff *d, const struct jnode *cur, const struct jnode *gold)
{
	for (size_t k = 0; k < 2 * cur->n; k++) {
		size_t i = k % cur->n;
		if (is_container(&cur->kids[i]) != (k < cur->n))
			continue;
		const struct jnode *g = member(gold, &cur->kids[i]);
		size_t old = push_path(d, cur->kids[i].key, cur->kids[i].key_len, 0);
		bool found = g ? diff(d, &cur->kids[i], g)
			       : differ(d, gold->line, " is new: not in the golden");
		d->path_len = old, d->path[old] = 0;
		if (found)
			return true;
	}
	for (size_t i = 0; i < gold->n; i++) {
		if (member(cur, &gold->kids[i]))
			continue;
		push_path(d, gold->kids[i].key, gold->kids[i].key_len, 0);
		return differ(d, gold->kids[i].line, " is in the golden but no longer in the analysis");
	}
	return false;
}

static bool diff(struct jdiff *d, const struct jnode *cur, const struct jnode *gold)
{
	char a[80], b[80];
	if (cur->type != gold->type ||
	    (!is_container(cur) &&
	     (cur->len != gold->len || memcmp(cur->text, gold->text, cur->len)))) {
		describe(cur, a, sizeof(a));
		describe(gold, b, sizeof(b));
		return differ(d, gold->line, " is %s now, %s in the golden", a, b);
	}
	if (cur->type == J_OBJ)
		return diff_obj(d, cur, gold);
	if (cur->type != J_ARR)
		return false;
	size_t n = cur->n < gold->n ? cur->n : gold->n;
	for (size_t i = 0; i < n; i++) {
		size_t old = push_path(d, NULL, 0, i);
		bool found = diff(d, &cur->kids[i], &gold->kids[i]);
		d->path_len = old, d->path[old] = 0;
		if (found)
			return true;
	}
	if (cur->n != gold->n)
		return differ(d, gold->line, " has %zu entries now, %zu in the golden",
			      cur->n, gold->n);
	return false;
}

int ck_json_diff(const char *cur, size_t cur_len, const char *gold, size_t gold_len,
		 unsigned long *line, char *msg, size_t msg_size)
{
	struct ps_arena a = { 0 };
	struct jreader rg = { gold, gold + gold_len, 1, &a, NULL, 0 };
	struct jreader rc = { cur, cur + cur_len, 1, &a, NULL, 0 };
	struct jnode g = { 0 }, c = { 0 };
	struct jdiff d = { .msg = msg, .msg_size = msg_size };
	int rv = 0;

	if (!read_doc(&rg, &g)) {
		snprintf(msg, msg_size, "golden is not valid JSON: %s", rg.error);
		*line = rg.error_line;
		rv = -1;
	} else if (!read_doc(&rc, &c)) {
		/* our own writer produced it: a bug, still reported, not hidden */
		snprintf(msg, msg_size, "the current analysis is not valid JSON: %s "
			 "(line %u); please report this", rc.error, rc.error_line);
		*line = 0;
		rv = -1;
	} else if (diff(&d, &c, &g)) {
		*line = d.line;
		rv = 1;
	}
	ps_arena_release(&a);
	return rv;
}

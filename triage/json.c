/* json.c - a reader for the flat JSON objects of jsonl records (the
 * reduce step reads what the map step wrote, and a damaged line must
 * give an error, never a crash or a wrong cluster). */
#include "triage_int.h"

#include <stdlib.h>

struct rd {
	const char *s;
	size_t i, n;
	struct ps_arena *a;
	struct ps_error *err;
};

static void ws(struct rd *r)
{
	while (r->i < r->n && strchr(" \t\r\n", r->s[r->i]) && r->s[r->i])
		r->i++;
}

static int bad(struct rd *r, const char *what)
{
	return ps_error_set(r->err, PS_ERR_IO, "bad record at column %zu: %s", r->i + 1, what);
}

static int hex4(const char *s)
{
	int v = 0;
	for (int k = 0; k < 4; k++) {
		char c = s[k];
		int d = c >= '0' && c <= '9' ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ?
			(c | 0x20) - 'a' + 10 : -1;
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

static size_t utf8(char *o, unsigned cp)
{
	if (cp < 0x80)
		return o[0] = (char)cp, 1;
	if (cp < 0x800)
		return o[0] = (char)(0xc0 | cp >> 6), o[1] = (char)(0x80 | (cp & 0x3f)), 2;
	if (cp < 0x10000)
		return o[0] = (char)(0xe0 | cp >> 12), o[1] = (char)(0x80 | ((cp >> 6) & 0x3f)),
		       o[2] = (char)(0x80 | (cp & 0x3f)), 3;
	o[0] = (char)(0xf0 | cp >> 18);
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* A string literal at r->i into *OUT (arena). */
static int str(struct rd *r, const char **out)
{
	if (r->i >= r->n || r->s[r->i] != '"')
		return bad(r, "string expected");
	size_t start = ++r->i;
	char *o = ps_arena_alloc(r->a, r->n - start + 1), *p = o;
	while (r->i < r->n && r->s[r->i] != '"') {
		char c = r->s[r->i++];
		if (c != '\\') {
			*p++ = c;
			continue;
		}
		if (r->i >= r->n)
			break;
		c = r->s[r->i++];
		const char *simple = strchr("\"\\/bfnrt", c);
		if (simple && c) {
			*p++ = "\"\\/\b\f\n\r\t"[simple - "\"\\/bfnrt"];
			continue;
		}
		int cp;
		if (c != 'u' || r->i + 4 > r->n || (cp = hex4(r->s + r->i)) < 0)
			return bad(r, "bad escape");
		r->i += 4;
		if (cp >= 0xd800 && cp < 0xdc00 && r->i + 6 <= r->n && r->s[r->i] == '\\' &&
		    r->s[r->i + 1] == 'u') {
			int lo = hex4(r->s + r->i + 2);
			if (lo >= 0xdc00 && lo < 0xe000) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				r->i += 6;
			}
		}
		p += utf8(p, (unsigned)cp);
	}
	if (r->i >= r->n)
		return bad(r, "unterminated string");
	r->i++;
	*p = '\0';
	*out = o;
	return 0;
}

static int value(struct rd *r, struct tri_jfield *f)
{
	ws(r);
	if (r->i >= r->n)
		return bad(r, "value expected");
	char c = r->s[r->i];
	if (c == '"') {
		f->type = TRI_J_STR;
		return str(r, &f->str);
	}
	if (c == '[') {
		struct ps_vec v;
		ps_vec_init(&v, sizeof(const char *));
		r->i++;
		ws(r);
		while (r->i < r->n && r->s[r->i] != ']') {
			const char *s;
			if (str(r, &s) < 0) {
				ps_vec_release(&v);
				return -1;
			}
			*(const char **)ps_vec_push(&v) = s;
			ws(r);
			if (r->i < r->n && r->s[r->i] == ',')
				r->i++, ws(r);
		}
		if (r->i >= r->n) {
			ps_vec_release(&v);
			return bad(r, "unterminated array");
		}
		r->i++;
		f->type = TRI_J_ARR;
		f->arr = ps_vec_finish(&v, r->a, &f->n_arr);
		ps_vec_release(&v);
		return 0;
	}
	static const char *const words[] = { "null", "true", "false" };
	for (int w = 0; w < 3; w++) {
		size_t k = strlen(words[w]);
		if (r->n - r->i >= k && !memcmp(r->s + r->i, words[w], k)) {
			r->i += k;
			f->type = w ? TRI_J_BOOL : TRI_J_NULL;
			f->b = w == 1;
			return 0;
		}
	}
	char buf[40];
	size_t k = 0;
	while (r->i + k < r->n && k < sizeof(buf) - 1 && strchr("+-.eE0123456789", r->s[r->i + k]) &&
	       r->s[r->i + k])
		k++;
	if (!k)
		return bad(r, "unknown value");
	memcpy(buf, r->s + r->i, k);
	buf[k] = '\0';
	r->i += k;
	f->type = TRI_J_NUM;
	f->num = strtod(buf, NULL);
	return 0;
}

int tri_json_object(const char *line, size_t len, struct ps_arena *a,
		    struct tri_jfield *fields, size_t max, struct ps_error *err)
{
	struct rd r = { .s = line, .n = len, .a = a, .err = err };
	size_t n = 0;

	ws(&r);
	if (r.i >= r.n || r.s[r.i] != '{')
		return bad(&r, "not a JSON object");
	r.i++;
	ws(&r);
	while (r.i < r.n && r.s[r.i] != '}') {
		struct tri_jfield f = { 0 };
		if (str(&r, &f.key) < 0)
			return -1;
		ws(&r);
		if (r.i >= r.n || r.s[r.i] != ':')
			return bad(&r, "':' expected");
		r.i++;
		if (value(&r, &f) < 0)
			return -1;
		if (n < max)
			fields[n++] = f;
		ws(&r);
		if (r.i < r.n && r.s[r.i] == ',')
			r.i++, ws(&r);
		else if (r.i < r.n && r.s[r.i] != '}')
			return bad(&r, "',' or '}' expected");
	}
	if (r.i >= r.n)
		return bad(&r, "unterminated object");
	return (int)n;
}

const struct tri_jfield *tri_json_get(const struct tri_jfield *f, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(f[i].key, key))
			return &f[i];
	return NULL;
}

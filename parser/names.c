/* names.c - Go symbol names into package, receiver, function, closure
 * and type-argument parts. */
#include <ctype.h>

#include "ps_parse_int.h"

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* The linker escapes '.', '%', '"', controls, space and bytes >= 0x7f in
 * the last import path element as %xx; undo that. */
static const char *pct_decode(struct ps_arena *a, const char *s, size_t n)
{
	char *d = ps_arena_alloc(a, n + 1), *o = d;
	for (size_t i = 0; i < n; i++) {
		int hi, lo;
		if (s[i] == '%' && i + 2 < n && (hi = hexval(s[i + 1])) >= 0 &&
		    (lo = hexval(s[i + 2])) >= 0) {
			*o++ = (char)(hi << 4 | lo);
			i += 2;
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return d;
}

static bool is_digits(const char *s, size_t n)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* Components that only closures and wrappers have: func1, 2, gowrap1,
 * deferwrap1, glob (package-level closures), func·001 (Go <= 1.4). */
static bool closure_component(const char *s, size_t n)
{
	if (is_digits(s, n))
		return true;
	if (n > 4 && memcmp(s, "func", 4) == 0 && (is_digits(s + 4, n - 4) ||
	    (unsigned char)s[4] == 0xc2))
		return true;
	if (n > 6 && memcmp(s, "gowrap", 6) == 0 && is_digits(s + 6, n - 6))
		return true;
	return n > 9 && memcmp(s, "deferwrap", 9) == 0 && is_digits(s + 9, n - 9);
}

/* Splits off a "-range1" / "-fm" suffix of the last component. */
static size_t dash_suffix(const char *s, size_t n)
{
	for (size_t i = n; i-- > 0;) {
		if (s[i] == '-')
			return i;
		if (s[i] == '.' || s[i] == ')')
			break;
	}
	return n;
}

static void split_rest(const char *r, size_t n, struct ps_arena *a,
		       struct ps_funcname *out)
{
	size_t cut = dash_suffix(r, n);
	const char *dash = r + cut;
	size_t dash_n = n - cut;
	n = cut;
	if (n > 2 && r[0] == '(' && r[1] == '*') {
		const char *close = memchr(r, ')', n);
		if (close) {
			out->recv = ps_arena_strndup(a, r + 2, (size_t)(close - r - 2));
			out->recv_ptr = true;
			n -= (size_t)(close - r) + 1;
			r = close + 1;
			if (n && *r == '.')
				r++, n--;
		}
	}
	/* First component, then either a method or closure parts. */
	const char *dot = memchr(r, '.', n);
	size_t first = dot ? (size_t)(dot - r) : n;
	const char *after = dot ? dot + 1 : r + n;
	size_t after_n = dot ? n - first - 1 : 0;
	if (!out->recv_ptr && dot && after_n && *after != '.') {
		const char *dot2 = memchr(after, '.', after_n);
		size_t second = dot2 ? (size_t)(dot2 - after) : after_n;
		if (!closure_component(after, second)) {
			out->recv = ps_arena_strndup(a, r, first);
			r = after, n = after_n;
			dot = dot2;
			first = second;
			after = dot2 ? dot2 + 1 : r + n;
			after_n = dot2 ? n - first - 1 : 0;
		}
	}
	out->func = ps_arena_strndup(a, r, first);
	if (dot || dash_n) {
		size_t cn = (dot ? after_n : 0);
		char *cl = ps_arena_alloc(a, cn + dash_n + 1);
		if (cn)
			memcpy(cl, after, cn);
		if (dash_n)
			memcpy(cl + cn, dash, dash_n);
		cl[cn + dash_n] = '\0';
		out->closure = cl;
	}
}

void ps_parse_funcname(const char *name, size_t len, struct ps_arena *a,
		       struct ps_funcname *out)
{
	char *plain = ps_arena_alloc(a, len + 1);
	size_t pn = 0;
	const char *lb = memchr(name, '[', len);
	const char *rb = NULL;

	out->pkg = out->recv = out->func = out->closure = out->generic = "";
	out->recv_ptr = false;
	out->decoded = pct_decode(a, name, len);
	/* Type arguments: from the first '[' to the last ']'. */
	for (size_t i = len; lb && i-- > (size_t)(lb - name);)
		if (name[i] == ']') {
			rb = name + i;
			break;
		}
	if (lb && rb) {
		out->generic = ps_arena_strndup(a, lb, (size_t)(rb - lb) + 1);
		memcpy(plain, name, (size_t)(lb - name));
		pn = (size_t)(lb - name);
		memcpy(plain + pn, rb + 1, len - (size_t)(rb + 1 - name));
		pn += len - (size_t)(rb + 1 - name);
	} else {
		memcpy(plain, name, len);
		pn = len;
	}
	plain[pn] = '\0';
	/* The package ends at the first '.' after the last '/'; split before
	 * decoding, since %2e decodes to a '.' that is part of the path. */
	const char *slash = NULL;
	for (size_t i = 0; i < pn && plain[i] != '('; i++)
		if (plain[i] == '/')
			slash = plain + i;
	const char *from = slash ? slash + 1 : plain;
	const char *dot = memchr(from, '.', pn - (size_t)(from - plain));
	if (!dot) {
		out->func = out->decoded;
		return;
	}
	out->pkg = pct_decode(a, plain, (size_t)(dot - plain));
	split_rest(dot + 1, pn - (size_t)(dot + 1 - plain), a, out);
}

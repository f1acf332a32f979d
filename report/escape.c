/* escape.c - making arbitrary log bytes safe for JSON, HTML and terminals. */
#include "report_int.h"

#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

static const char hexdig[] = "0123456789abcdef";

/* Length of the valid UTF-8 sequence at S (N bytes left), or 0 when the
 * bytes there are not one (overlong, surrogate, > U+10FFFF, cut short). */
static size_t utf8_len(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len;
	uint32_t c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if ((s[0] & 0xe0) == 0xc0) {
		len = 2, c = s[0] & 0x1f, min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3, c = s[0] & 0x0f, min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4, c = s[0] & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

static void json_u(struct rp_buf *b, unsigned c)
{
	char e[6] = { '\\', 'u', hexdig[(c >> 12) & 15], hexdig[(c >> 8) & 15],
		      hexdig[(c >> 4) & 15], hexdig[c & 15] };
	rp_buf_add(b, e, 6);
}

/* One ASCII byte; returns false when it needs no escape. */
static bool json_ascii_escape(struct rp_buf *b, unsigned char c, unsigned flags)
{
	switch (c) {
	case '"': rp_buf_add(b, "\\\"", 2); return true;
	case '\\': rp_buf_add(b, "\\\\", 2); return true;
	case '\n': rp_buf_add(b, "\\n", 2); return true;
	case '\t': rp_buf_add(b, "\\t", 2); return true;
	case '\r': rp_buf_add(b, "\\r", 2); return true;
	case '<': case '>': case '&':
		if (!(flags & RP_JSON_HTML))
			return false;
		json_u(b, c);
		return true;
	default:
		if (c >= 0x20 && c != 0x7f)
			return false;
		json_u(b, c);
		return true;
	}
}

/* Bytes that are not copied as they are: controls, '"', '\\', DEL and
 * everything >= 0x80 (checked as UTF-8); 2 marks the HTML-only ones. */
static const unsigned char json_special[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

#define ONES 0x0101010101010101u

/* True when none of the 8 bytes at S is special for plain JSON (a
 * control, '"', '\\', DEL or >= 0x80): the common case of a run of
 * printable ASCII, checked a word at a time.  Each test below is exact
 * about whether some byte qualifies, which is all the caller needs. */
static bool json_word_plain(const unsigned char *s)
{
	uint64_t x, q, bs, del;
	memcpy(&x, s, 8);
	q = x ^ (ONES * '"');
	bs = x ^ (ONES * '\\');
	del = x ^ (ONES * 0x7f);
	uint64_t hit = x | ((x - ONES * 0x20) & ~x) | ((q - ONES) & ~q) |
		       ((bs - ONES) & ~bs) | ((del - ONES) & ~del);
	return !(hit & (ONES * 0x80));
}

/* The same for the 16 bytes at S, in a few instructions: a signed
 * byte below 0x20 is a control or one from 0x80.  Every goroutine's
 * header text ("gp=0x... m=nil", 41 bytes) goes through here. */
#ifdef __SSE2__
static bool json_block_plain(const unsigned char *s)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
	__m128i hit = _mm_or_si128(
		_mm_or_si128(_mm_cmplt_epi8(v, _mm_set1_epi8(0x20)),
			     _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7f))),
		_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
			     _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
	return _mm_movemask_epi8(hit) == 0;
}
#endif

void rp_json_str(struct rp_buf *b, const char *str, size_t n, unsigned flags)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char mask = flags & RP_JSON_HTML ? 3 : 1;
	size_t i = 0, run = 0;
	uint32_t cp;

	rp_buf_addc(b, '"');
	while (i < n) {
#ifdef __SSE2__
		if (mask == 1 && n - i >= 16 && json_block_plain(s + i)) {
			i += 16;
			run += 16;
			continue;
		}
#endif
		if (mask == 1 && n - i >= 8 && json_word_plain(s + i)) {
			i += 8;
			run += 8;
			continue;
		}
		if (!(json_special[s[i]] & mask)) {
			i++;
			run++;
			continue;
		}
		size_t l = utf8_len(s + i, n - i, &cp);
		bool sep = (flags & RP_JSON_HTML) && (cp == 0x2028 || cp == 0x2029);
		if (l > 1 && !sep) {            /* valid multi-byte: copy */
			i += l;
			run += l;
			continue;
		}
		rp_buf_add(b, (const char *)s + i - run, run);
		run = 0;
		if (l == 0) {
			json_u(b, 0xfffd);
			i++;
		} else if (l == 1) {
			if (!json_ascii_escape(b, s[i], flags))
				rp_buf_addc(b, (char)s[i]);
			i++;
		} else {
			json_u(b, cp);
			i += l;
		}
	}
	rp_buf_add(b, (const char *)s + i - run, run);
	rp_buf_addc(b, '"');
}

void rp_json_cstr(struct rp_buf *b, const char *s, unsigned flags)
{
	if (!s)
		rp_buf_add(b, "null", 4);
	else
		rp_json_str(b, s, strlen(s), flags);
}

void rp_html_str(struct rp_buf *b, const char *s, size_t n)
{
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		const char *e = NULL;
		switch (s[i]) {
		case '&': e = "&amp;"; break;
		case '<': e = "&lt;"; break;
		case '>': e = "&gt;"; break;
		case '"': e = "&quot;"; break;
		case '\'': e = "&#39;"; break;
		default: run++; continue;
		}
		rp_buf_add(b, s + i - run, run);
		run = 0;
		rp_buf_puts(b, e);
	}
	rp_buf_add(b, s + n - run, run);
}

/* Bytes a terminal may act on are shown as \xNN: C0 controls, DEL and
 * C1 controls, both raw (0x9b is CSI on an 8-bit terminal) and as UTF-8
 * (U+0080..U+009F); so is any byte not part of valid UTF-8, which a
 * Latin-1 terminal would read as C1.  Valid UTF-8 text passes. */
void rp_text_str(struct rp_buf *b, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t run = 0, i = 0;
	while (i < n) {
		unsigned char c = u[i];
		size_t l = 1;
		uint32_t cp = c;
		if (c >= 0x80)
			l = utf8_len(u + i, n - i, &cp);
		bool ok = c < 0x80 ? (c >= 0x20 && c != 0x7f) || c == '\t'
			  : l > 0 && cp > 0x9f;
		if (ok) {
			run += l;
			i += l;
			continue;
		}
		rp_buf_add(b, s + i - run, run);
		run = 0;
		for (size_t k = 0; k < (l ? l : 1); k++, i++) {
			char e[4] = { '\\', 'x', hexdig[u[i] >> 4], hexdig[u[i] & 15] };
			rp_buf_add(b, e, 4);
		}
	}
	rp_buf_add(b, s + n - run, run);
}

void rp_quote_str(struct rp_buf *b, const char *s, size_t n, size_t max)
{
	bool cut = n > max;
	if (cut)
		n = max;
	rp_buf_addc(b, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			rp_buf_addc(b, '\\');
			rp_buf_addc(b, (char)c);
		} else if (c == '\n') {
			rp_buf_add(b, "\\n", 2);
		} else if (c == '\t') {
			rp_buf_add(b, "\\t", 2);
		} else if (c < 0x20 || c >= 0x7f) {
			char e[4] = { '\\', 'x', hexdig[c >> 4], hexdig[c & 15] };
			rp_buf_add(b, e, 4);
		} else {
			rp_buf_addc(b, (char)c);
		}
	}
	rp_buf_addc(b, '"');
	if (cut)
		rp_buf_add(b, "...", 3);
}

size_t rp_width(const char *s, size_t n)
{
	size_t w = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			w++;
	return w;
}

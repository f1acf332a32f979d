/* buf.c - the growable byte buffer every writer builds its output in. */
#include "report_int.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define SPILL_AT (64 * 1024)

void rp_buf_grow(struct rp_buf *b, size_t more)
{
	if (b->len + more + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + more + 1)
		cap *= 2;
	b->p = ps_xrealloc(b->p, cap);
	b->cap = cap;
}

void rp_buf_u64(struct rp_buf *b, uint64_t v)
{
	char tmp[24];
	size_t i = sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	rp_buf_add(b, tmp + i, sizeof(tmp) - i);
}

void rp_buf_i64(struct rp_buf *b, int64_t v)
{
	if (v < 0) {
		rp_buf_addc(b, '-');
		rp_buf_u64(b, (uint64_t)0 - (uint64_t)v);
	} else {
		rp_buf_u64(b, (uint64_t)v);
	}
}

void rp_buf_hex(struct rp_buf *b, uint64_t v)
{
	static const char dig[] = "0123456789abcdef";
	char tmp[20];
	size_t i = sizeof(tmp);

	do {
		tmp[--i] = dig[v & 15];
		v >>= 4;
	} while (v);
	tmp[--i] = 'x';
	tmp[--i] = '0';
	rp_buf_add(b, tmp + i, sizeof(tmp) - i);
}

void rp_buf_printf(struct rp_buf *b, const char *fmt, ...)
{
	va_list ap;
	char small[128];

	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small)) {
		rp_buf_add(b, small, (size_t)n);
		return;
	}
	rp_buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

const char *rp_buf_cstr(struct rp_buf *b)
{
	rp_buf_grow(b, 0);
	b->p[b->len] = '\0';
	return b->p;
}

void rp_buf_release(struct rp_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

void rp_buf_flush(struct rp_buf *b, FILE *f)
{
	if (!f)
		return;
	if (b->len)
		fwrite(b->p, 1, b->len, f);
	b->len = 0;
}

void rp_buf_spill(struct rp_buf *b, FILE *f)
{
	if (b->len > SPILL_AT)
		rp_buf_flush(b, f);
}

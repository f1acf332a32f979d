/* buf.c - the growable byte buffer every writer builds its output in. */
#include "report_int.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define SPILL_AT (64 * 1024)

static void reserve(struct rp_buf *b, size_t more)
{
	if (b->len + more + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + more + 1)
		cap *= 2;
	b->p = ps_xrealloc(b->p, cap);
	b->cap = cap;
}

void rp_buf_add(struct rp_buf *b, const char *s, size_t n)
{
	reserve(b, n);
	if (n)
		memcpy(b->p + b->len, s, n);
	b->len += n;
}

void rp_buf_puts(struct rp_buf *b, const char *s)
{
	rp_buf_add(b, s, strlen(s));
}

void rp_buf_addc(struct rp_buf *b, char c)
{
	reserve(b, 1);
	b->p[b->len++] = c;
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
	reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

const char *rp_buf_cstr(struct rp_buf *b)
{
	reserve(b, 0);
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

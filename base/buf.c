/* buf.c - the growable byte buffer reports, group keys and messages are
 * built in. */
#include "ps_base.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void ps_buf_grow(struct ps_buf *b, size_t more)
{
	if (b->len + more + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + more + 1)
		cap *= 2;
	b->p = ps_xrealloc(b->p, cap);
	b->cap = cap;
}

void ps_buf_printf(struct ps_buf *b, const char *fmt, ...)
{
	va_list ap;
	char small[128];

	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small)) {
		ps_buf_add(b, small, (size_t)n);
		return;
	}
	ps_buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

const char *ps_buf_cstr(struct ps_buf *b)
{
	ps_buf_grow(b, 0);
	b->p[b->len] = '\0';
	return b->p;
}

void ps_buf_release(struct ps_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

/* buf.c - numbers and streaming for the writers' output buffer (the
 * buffer itself is base's ps_buf). */
#include "report_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* How many decimal digits V has: ids and line numbers (at most 8
 * digits) by three compares, not a division per four digits. */
static size_t digits(uint64_t v)
{
	size_t n = 1;

	if (v < 100000000)
		return v < 10000 ? (v < 100 ? 1 + (v >= 10) : 3 + (v >= 1000))
				 : (v < 1000000 ? 5 + (v >= 100000) : 7 + (v >= 10000000));
	for (; v >= 10000; v /= 10000)
		n += 4;
	return n + (v >= 10) + (v >= 100) + (v >= 1000);
}

/* Two digits per division, written in place from the last: ids, lines
 * and counts are most of the numbers a JSON report writes (two per
 * goroutine), and a copy through a scratch array was a memcpy call. */
void rp_buf_u64(struct rp_buf *b, uint64_t v)
{
	static const char pairs[] =
		"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
		"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
		"8081828384858687888990919293949596979899";
	size_t n = digits(v);

	if (b->len + n + 1 > b->cap)
		rp_buf_grow(b, n);
	char *o = b->p + b->len + n;
	b->len += n;
	while (v >= 100) {
		o -= 2;
		memcpy(o, pairs + v % 100 * 2, 2);
		v /= 100;
	}
	if (v >= 10)
		memcpy(o - 2, pairs + v * 2, 2);
	else
		o[-1] = (char)('0' + v);
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

/* Past this, a flush goes to F's descriptor itself.  fwrite of a
 * megabyte through a 4 KiB FILE fills the FILE's buffer first, so every
 * spill was two writes (4 KiB, then the whole blocks of the rest) and
 * 4 KiB of it one more copy. */
#define DIRECT_AT ((size_t)64 << 10)

/* Writes what it can of P[0..N) to F's descriptor, after what F holds;
 * returns the bytes written.  0 when F has no descriptor (a spool, a
 * memory stream) or any write fails: the caller's fwrite then writes or
 * fails as before, and a failure stays in ferror(F). */
static size_t write_direct(FILE *f, const char *p, size_t n)
{
	int fd = fileno(f);
	size_t done = 0;

	if (fd < 0 || fflush(f) != 0)
		return 0;
	while (done < n) {
		ssize_t w = write(fd, p + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	return done;
}

void rp_buf_flush(struct rp_buf *b, FILE *f)
{
	size_t done = 0;

	if (!f)
		return;
	if (b->len >= DIRECT_AT)
		done = write_direct(f, b->p, b->len);
	if (b->len > done)
		fwrite(b->p + done, 1, b->len - done, f);
	b->len = 0;
}

void rp_buf_spill(struct rp_buf *b, FILE *f)
{
	if (b->len > RP_SPILL_AT)
		rp_buf_flush(b, f);
}

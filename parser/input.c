/* input.c - read a file or a pipe into the parser, and the cursor
 * helpers. */
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ps_parse_int.h"

bool ps_cur_hex_u64(struct ps_cursor *c, uint64_t *out)
{
	uint64_t v = 0;
	const char *s = c->p;
	if (c->bad || cur_left(c) < 3 || s[0] != '0' || s[1] != 'x') {
		c->bad = true;
		return false;
	}
	/* digit values plus one (0: not a digit), looked up: every file
	 * line of a big dump has a pc= and a +0x offset */
	static const unsigned char hex[256] = {
		['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6,
		['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
		['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
		['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
	};
	size_t i = 2, max = cur_left(c);
	while (i < max && s[i] == '0')
		i++;
	/* at most 16 digits after the leading zeros fit: the loop needs
	 * no overflow test of its own */
	size_t lim = max - i > 16 ? i + 16 : max;
	for (; i < lim; i++) {
		int d = hex[(unsigned char)s[i]] - 1;
		if (d < 0)
			break;
		v = v << 4 | (uint64_t)d;
	}
	if (i == lim && i < max && hex[(unsigned char)s[i]]) {
		c->bad = true; /* more than 64 bits: not a value */
		return false;
	}
	if (i == 2) {
		c->bad = true;
		return false;
	}
	c->p += i;
	*out = v;
	return true;
}

bool ps_cur_dec_u64(struct ps_cursor *c, uint64_t *out)
{
	uint64_t v = 0;
	size_t i = 0, max = cur_left(c);
	if (c->bad)
		return false;
	for (; i < max && c->p[i] >= '0' && c->p[i] <= '9'; i++) {
		if (v > (UINT64_MAX - 9) / 10) {
			c->bad = true;
			return false;
		}
		v = v * 10 + (uint64_t)(c->p[i] - '0');
	}
	if (i == 0) {
		c->bad = true;
		return false;
	}
	c->p += i;
	*out = v;
	return true;
}

/* 2 MiB: a window's pages count as resident while it is parsed. */
#define MAP_WINDOW ((uint64_t)2 << 20)

bool ps_p_view_open(struct ps_p_view *v, int fd, uint64_t off, uint64_t n)
{
	long pg = sysconf(_SC_PAGESIZE);
	uint64_t page = pg > 0 ? (uint64_t)pg : 4096;
	uint64_t base = off - off % page;
	v->map_n = (size_t)(n + (off - base));
	v->map = mmap(NULL, v->map_n, PROT_READ, MAP_PRIVATE, fd, (off_t)base);
	if (v->map == MAP_FAILED)
		return false;
	v->s = (const char *)v->map + (off - base);
	v->n = (size_t)n;
	return true;
}

void ps_p_view_close(struct ps_p_view *v)
{
	munmap(v->map, v->map_n);
}

/* Maps a regular file one window at a time, so resident memory stays
 * bounded however large the file is (a whole-file mapping would count
 * every page read in the process's RSS).  A window spans at most
 * MAP_WINDOW bytes from the page it starts on. */
int ps_p_feed_mapped(struct ps_parser *p, int fd, uint64_t start, uint64_t end)
{
	long pg = sysconf(_SC_PAGESIZE);
	uint64_t page = pg > 0 ? (uint64_t)pg : 4096;
	for (uint64_t off = start; off < end;) {
		uint64_t room = MAP_WINDOW - off % page;
		struct ps_p_view v;
		if (!ps_p_view_open(&v, fd, off, end - off < room ? end - off : room))
			return off > start ? 0 : -1; /* a file that shrank: keep what was read */
		madvise(v.map, v.map_n, MADV_SEQUENTIAL);
		ps_parse_feed(p, v.s, v.n);
		ps_p_view_close(&v);
		off += v.n;
	}
	return 0;
}

/* Regular files are mapped and parsed in place; pipes are read in
 * chunks, so memory does not grow with the input. */
int ps_parse_fd(ps_parser *p, int fd, const char *name, struct ps_error *err)
{
	struct stat st;
	int rc = 0;

	ps_parse_set_source(p, name);
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    ps_p_feed_file(p, fd, (uint64_t)st.st_size) == 0) {
		ps_parse_end_input(p);
		return 0;
	}
	static const size_t chunk = 1 << 20;
	char *buf = ps_xmalloc(chunk);
	for (;;) {
		ssize_t r = read(fd, buf, chunk);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno; /* before any other call can change it */
			rc = ps_error_set(err, PS_ERR_IO, "cannot read '%s': %s", name,
					  strerror(e));
			if (err)
				err->sys_errno = e;
			break;
		}
		if (r == 0)
			break;
		ps_parse_feed(p, buf, (size_t)r);
	}
	free(buf);
	ps_parse_end_input(p);
	return rc;
}

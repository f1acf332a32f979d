/* spool.c - the output of dumps that must wait for the end of the input.
 *
 * A report begins with what only the end knows (the JSON's line counts,
 * "=== dump 1 of 16", the HTML page's header of every dump), so the
 * dumps before the last are written here and copied out, in order, once
 * the last one is in.  A spool stays in memory while it is small (the
 * grouped text of a dump is a few KB); past SPOOL_MEM it moves to an
 * unlinked temporary file, so a gigabyte of JSON or --all text costs
 * disk, not memory.  Writers see an ordinary FILE (fopencookie). */
#include "report_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <unistd.h>

#define SPOOL_MEM (4u << 20)
#define COPY_CHUNK (1u << 20)

struct rp_spool {
	FILE *f;                /* what the writers write to */
	struct ps_buf mem;      /* the bytes, until they moved to FD */
	int fd;                 /* the temporary file, or -1 */
	bool no_file;           /* it could not be made: stay in memory */
	uint64_t size;          /* bytes written */
	int err;                /* errno of the first failure, or 0 */
};

/* An unlinked file in $TMPDIR (or /tmp): nothing to clean up after a
 * crash.  -1 when neither way works (the spool then stays in memory). */
const char *rp_spool_dir(void)
{
	const char *dir = getenv("TMPDIR");
	return dir && *dir ? dir : "/tmp";
}

static int temp_fd(void)
{
	const char *dir = rp_spool_dir();
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
	size_t n = strlen(dir);
	char *path = ps_xmalloc(n + sizeof("/panicscope.XXXXXX"));
	memcpy(path, dir, n);
	memcpy(path + n, "/panicscope.XXXXXX", sizeof("/panicscope.XXXXXX"));
	fd = mkstemp(path);
	if (fd >= 0)
		unlink(path);
	free(path);
	return fd;
}

static bool write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

static ssize_t spool_write(void *cookie, const char *p, size_t n)
{
	struct rp_spool *s = cookie;
	if (s->fd < 0 && !s->no_file && s->mem.len + n > SPOOL_MEM) {
		s->fd = temp_fd();
		s->no_file = s->fd < 0;
		if (s->fd >= 0 && !write_all(s->fd, s->mem.p, s->mem.len))
			s->err = errno ? errno : EIO;
		if (s->fd >= 0)
			ps_buf_release(&s->mem);
	}
	if (s->fd < 0)
		ps_buf_add(&s->mem, p, n);
	else if (!write_all(s->fd, p, n) && !s->err)
		s->err = errno ? errno : EIO;
	s->size += n;
	return (ssize_t)n;
}

rp_spool *rp_spool_new(void)
{
	static const cookie_io_functions_t io = { .write = spool_write };
	struct rp_spool *s = ps_xcalloc(1, sizeof(*s));
	s->fd = -1;
	s->f = fopencookie(s, "w", io);
	if (!s->f) {
		free(s);
		return NULL;
	}
	setvbuf(s->f, NULL, _IONBF, 0); /* the writers buffer already */
	return s;
}

FILE *rp_spool_file(rp_spool *s)
{
	return s->f;
}

uint64_t rp_spool_size(rp_spool *s)
{
	fflush(s->f);
	return s->size;
}

/* Sends what it can of [OFF, END) of the temporary file to OUT's
 * descriptor in the kernel; returns the offset reached (OFF when OUT is
 * no plain descriptor), from which the caller copies the rest. */
static uint64_t send_range(int fd, uint64_t off, uint64_t end, FILE *out)
{
	int ofd = fileno(out);
	off_t o = (off_t)off;
	if (ofd < 0 || fflush(out) != 0)
		return off;
	while ((uint64_t)o < end) {
		uint64_t left = end - (uint64_t)o;
		ssize_t n = sendfile(ofd, fd, &o, left > COPY_CHUNK ? COPY_CHUNK : left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
	}
	return (uint64_t)o;
}

int rp_spool_copy(rp_spool *s, uint64_t off, uint64_t end, FILE *out)
{
	fflush(s->f);
	if (s->err) {
		errno = s->err;
		return -1;
	}
	if (s->fd < 0) {
		if (end > off)
			fwrite(s->mem.p + off, 1, (size_t)(end - off), out);
		return 0;
	}
	off = send_range(s->fd, off, end, out);
	if (off >= end)
		return 0;
	char *buf = ps_xmalloc(COPY_CHUNK);
	while (off < end) {
		uint64_t left = end - off;
		ssize_t n = pread(s->fd, buf, left > COPY_CHUNK ? COPY_CHUNK : left, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			free(buf);
			errno = n < 0 ? errno : EIO;
			return -1;
		}
		fwrite(buf, 1, (size_t)n, out);
		off += (uint64_t)n;
	}
	free(buf);
	return 0;
}

void rp_spool_free(rp_spool *s)
{
	if (!s)
		return;
	fclose(s->f);
	if (s->fd >= 0)
		close(s->fd);
	ps_buf_release(&s->mem);
	free(s);
}

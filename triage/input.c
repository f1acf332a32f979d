/* input.c - files, directories, stdin, compressed files and archives as
 * in-memory inputs.  Plain files are mapped read-only; anything
 * compressed or archived is read with libarchive (.gz .zst .xz .bz2,
 * .tar .tar.gz .zip), never with a decoder of our own. */
#include "triage_int.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define MEMBER_MAX ((size_t)1 << 30)    /* a decompression bomb stops here */
#define NEST_MAX 2                      /* a .gz inside a .tar, not deeper */

static void fail(const struct ps_triage_sink *k, const char *name, const char *fmt,
		 const char *detail)
{
	char why[320];
	snprintf(why, sizeof(why), fmt, detail);
	k->fail(k->ctx, name, why);
}

/* Compressed or archived, by magic number (not by file name). */
static bool packed(const unsigned char *b, size_t n)
{
	if (n >= 2 && b[0] == 0x1f && b[1] == 0x8b)
		return true;                            /* gzip */
	if (n >= 4 && !memcmp(b, "\x28\xb5\x2f\xfd", 4))
		return true;                            /* zstd */
	if (n >= 6 && !memcmp(b, "\xfd" "7zXZ\0", 6))
		return true;                            /* xz */
	if (n >= 4 && !memcmp(b, "BZh", 3) && b[3] >= '1' && b[3] <= '9')
		return true;                            /* bzip2 */
	if (n >= 4 && !memcmp(b, "PK\x03\x04", 4))
		return true;                            /* zip */
	return n >= 262 && !memcmp(b + 257, "ustar", 5);   /* tar */
}

static void deliver(const char *name, const char *buf, size_t len, int64_t mtime,
		    const struct ps_triage_sink *k, int depth);

/* Reads the current entry's data into a heap buffer (*BUF, *LEN). */
static int read_member(struct archive *ar, char **buf, size_t *len, const char **why)
{
	size_t cap = 1 << 16, n = 0;
	char *b = ps_xmalloc(cap);
	for (;;) {
		if (n == cap) {
			if (cap >= MEMBER_MAX) {
				free(b);
				*why = "larger than 1 GiB uncompressed";
				return -1;
			}
			cap *= 2;
			b = ps_xrealloc(b, cap);
		}
		la_ssize_t r = archive_read_data(ar, b + n, cap - n);
		if (r == 0)
			break;
		if (r < 0) {
			free(b);
			*why = archive_error_string(ar);
			return -1;
		}
		n += (size_t)r;
	}
	*buf = b;
	*len = n;
	return 0;
}

static void unpack(const char *name, const char *buf, size_t len, int64_t mtime,
		   const struct ps_triage_sink *k, int depth)
{
	struct archive *ar = archive_read_new();
	struct archive_entry *e;
	int r;

	archive_read_support_filter_all(ar);
	archive_read_support_format_all(ar);
	archive_read_support_format_raw(ar);   /* a single compressed log */
	if (archive_read_open_memory(ar, buf, len) != ARCHIVE_OK) {
		fail(k, name, "cannot open archive: %s", archive_error_string(ar));
		archive_read_free(ar);
		return;
	}
	while ((r = archive_read_next_header(ar, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
		bool raw = archive_format(ar) == ARCHIVE_FORMAT_RAW;
		const char *member = archive_entry_pathname(e);
		char *full, *data;
		size_t n;
		const char *why = NULL;

		if (!raw && archive_entry_filetype(e) != AE_IFREG)
			continue;
		full = raw ? ps_xstrndup(name, strlen(name)) :
		       ps_xmalloc(strlen(name) + strlen(member ? member : "") + 2);
		if (!raw)
			sprintf(full, "%s:%s", name, member ? member : "");
		if (read_member(ar, &data, &n, &why) < 0) {
			fail(k, full, "cannot decompress: %s", why ? why : "damaged data");
			free(full);
			break;
		}
		int64_t mt = archive_entry_mtime_is_set(e) ? (int64_t)archive_entry_mtime(e) : mtime;
		deliver(full, data, n, mt, k, depth + 1);
		free(data);
		free(full);
	}
	if (r != ARCHIVE_EOF && r != ARCHIVE_OK && r != ARCHIVE_WARN)
		fail(k, name, "damaged archive: %s", archive_error_string(ar));
	archive_read_free(ar);
}

static void deliver(const char *name, const char *buf, size_t len, int64_t mtime,
		    const struct ps_triage_sink *k, int depth)
{
	if (depth < NEST_MAX && packed((const unsigned char *)buf, len))
		unpack(name, buf, len, mtime, k, depth);
	else
		k->input(k->ctx, name, buf, len, mtime);
}

/* A pipe, FIFO or device: read to the end. */
static void walk_stream(const char *name, int fd, const struct ps_triage_sink *k)
{
	size_t cap = 1 << 16, n = 0;
	char *b = ps_xmalloc(cap);
	for (;;) {
		if (n == cap)
			b = ps_xrealloc(b, cap *= 2);
		ssize_t r = read(fd, b + n, cap - n);
		if (r == 0)
			break;
		if (r < 0) {
			if (errno == EINTR)
				continue;
			fail(k, name, "cannot read: %s", strerror(errno));
			break;
		}
		n += (size_t)r;
	}
	deliver(name, b, n, -1, k, 0);
	free(b);
}

static void walk_file(const char *path, int fd, const struct stat *st,
		      const struct ps_triage_sink *k)
{
	size_t len = (size_t)st->st_size;
	if (!len) {
		k->input(k->ctx, path, "", 0, (int64_t)st->st_mtime);
		return;
	}
	void *m = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	if (m == MAP_FAILED) {
		fail(k, path, "cannot map: %s", strerror(errno));
		return;
	}
	madvise(m, len, MADV_SEQUENTIAL);
	deliver(path, m, len, (int64_t)st->st_mtime, k, 0);
	munmap(m, len);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The entries of directory PATH, sorted (the walk is reproducible),
 * as heap strings; NULL on error. */
static char **list_dir(const char *path, size_t *n, const struct ps_triage_sink *k)
{
	DIR *d = opendir(path);
	struct dirent *de;
	struct ps_vec v;

	if (!d) {
		if (k)
			fail(k, path, "cannot open directory: %s", strerror(errno));
		return NULL;
	}
	ps_vec_init(&v, sizeof(char *));
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			*(char **)ps_vec_push(&v) = ps_xstrndup(de->d_name, strlen(de->d_name));
	closedir(d);
	qsort(v.data, v.len, sizeof(char *), by_name);
	*n = v.len;
	/* the caller frees the list: a malloc'd copy, as a vector's array
	 * may be a mapping (ps_big_alloc) */
	char **out = ps_xmalloc((v.len ? v.len : 1) * sizeof(char *));
	if (v.len)
		memcpy(out, v.data, v.len * sizeof(char *));
	ps_vec_release(&v);
	return out;
}

static char *join(const char *dir, const char *name)
{
	size_t dl = strlen(dir);
	bool slash = dl && dir[dl - 1] == '/';
	char *p = ps_xmalloc(dl + strlen(name) + 2);
	sprintf(p, "%s%s%s", dir, slash ? "" : "/", name);
	return p;
}

static void walk(const char *path, const struct ps_triage_sink *k, bool top);

static void walk_dir(const char *path, const struct ps_triage_sink *k)
{
	size_t n = 0;
	char **names = list_dir(path, &n, k);
	if (!names)
		return;
	for (size_t i = 0; i < n; i++) {
		char *p = join(path, names[i]);
		walk(p, k, false);
		free(p);
		free(names[i]);
	}
	free(names);
}

/* TOP: named on the command line (a symlink to a directory is walked
 * there, never inside a walk, so a loop cannot recurse). */
static void walk(const char *path, const struct ps_triage_sink *k, bool top)
{
	struct stat st;
	if ((top ? stat(path, &st) : lstat(path, &st)) < 0) {
		fail(k, path, "cannot open: %s", strerror(errno));
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		walk_dir(path, k);
		return;
	}
	if (S_ISLNK(st.st_mode) && (stat(path, &st) < 0 || !S_ISREG(st.st_mode)))
		return;   /* dangling link or a link to a directory inside a walk */
	if (!S_ISREG(st.st_mode) && !top)
		return;   /* sockets, FIFOs found while walking */
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fail(k, path, "cannot open: %s", strerror(errno));
		return;
	}
	if (!S_ISREG(st.st_mode)) {
		walk_stream(path, fd, k);   /* a FIFO or device named explicitly */
	} else {
		walk_file(path, fd, &st, k);
	}
	close(fd);
}

void ps_triage_walk(const char *path, const struct ps_triage_sink *sink)
{
	if (!strcmp(path, "-"))
		walk_stream("-", STDIN_FILENO, sink);
	else
		walk(path, sink, true);
}

uint64_t ps_triage_count(const char *path)
{
	struct stat st;
	uint64_t n = 0;
	size_t k = 0;

	if (!strcmp(path, "-") || stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
		return 1;
	char **names = list_dir(path, &k, NULL);
	for (size_t i = 0; names && i < k; i++) {
		char *p = join(path, names[i]);
		struct stat ls;
		if (lstat(p, &ls) == 0)
			n += S_ISDIR(ls.st_mode) ? ps_triage_count(p) : 1;
		free(p);
		free(names[i]);
	}
	free(names);
	return n;
}

/* out.c - report files that replace their target only when complete.
 *
 * A report written straight over `-o PATH` destroys the previous report
 * the moment the file is opened, and a full disk then leaves half of the
 * new one.  Writing to a temporary file in the same directory and
 * renaming it over PATH after a successful flush and close keeps either
 * the old file or the whole new one. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ps_base.h"

static bool is_stdout(const char *path)
{
	return !path || strcmp(path, "-") == 0;
}

FILE *ps_out_open(struct ps_out *o, const char *path, struct ps_error *err)
{
	memset(o, 0, sizeof(*o));
	if (is_stdout(path)) {
		o->f = stdout;
		return o->f;
	}
	/* Only a regular file (or a new one) is replaced by rename: a device,
	 * FIFO or /proc file is written in place, as the user asked. */
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		o->path = ps_xstrndup(path, strlen(path));
		o->f = fopen(path, "w");
		if (!o->f) {
			int e = errno;
			ps_error_set(err, PS_ERR_IO, "cannot write '%s': %s", path, strerror(e));
			err->sys_errno = e;
			ps_out_abort(o);
		}
		return o->f;
	}
	size_t n = strlen(path);
	o->path = ps_xstrndup(path, n);
	o->tmp = ps_xmalloc(n + sizeof(".tmp.XXXXXX"));
	memcpy(o->tmp, path, n);
	memcpy(o->tmp + n, ".tmp.XXXXXX", sizeof(".tmp.XXXXXX"));
	int fd = mkstemp(o->tmp);
	if (fd < 0) {
		int e = errno;
		ps_error_set(err, PS_ERR_IO, "cannot write '%s': %s", path, strerror(e));
		err->sys_errno = e;
		ps_out_abort(o);
		return NULL;
	}
	/* mkstemp makes 0600; a report is an ordinary file (0666 & ~umask). */
	mode_t um = umask(0);
	umask(um);
	(void)fchmod(fd, 0666 & ~um);
	o->f = fdopen(fd, "w");
	if (!o->f) {
		int e = errno;
		close(fd);
		ps_error_set(err, PS_ERR_IO, "cannot write '%s': %s", path, strerror(e));
		err->sys_errno = e;
		ps_out_abort(o);
		return NULL;
	}
	return o->f;
}

int ps_out_commit(struct ps_out *o, struct ps_error *err)
{
	const char *name = o->path ? o->path : "standard output";
	int bad = ferror(o->f);
	int e = bad ? EIO : 0;
	if (fflush(o->f) != 0 && !e)
		e = errno;
	if (o->f != stdout) {
		if (fclose(o->f) != 0 && !e)
			e = errno;
		o->f = NULL;
		if (!e && o->tmp && rename(o->tmp, o->path) != 0)
			e = errno;
	}
	if (e) {
		ps_error_set(err, PS_ERR_IO, "cannot write '%s': %s", name, strerror(e));
		err->sys_errno = e;
		ps_out_abort(o);
		return -1;
	}
	free(o->tmp);
	free(o->path);
	memset(o, 0, sizeof(*o));
	return 0;
}

void ps_out_abort(struct ps_out *o)
{
	if (o->f && o->f != stdout)
		fclose(o->f);
	if (o->tmp)
		unlink(o->tmp);
	free(o->tmp);
	free(o->path);
	memset(o, 0, sizeof(*o));
}

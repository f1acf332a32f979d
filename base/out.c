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

static FILE *open_failed(struct ps_out *o, const char *why, int e,
			 struct ps_error *err)
{
	ps_error_set(err, PS_ERR_IO, "cannot write '%s': %s%s", o->path, why,
		     strerror(e));
	if (err != NULL)
		err->sys_errno = e;
	ps_out_abort(o);
	return NULL;
}

/* Only an existing regular file, or a new name, is replaced by rename: a
 * device, FIFO or /proc file is written in place, as the user asked, and
 * so is a dangling link (the file it names is created). */
static bool write_in_place(const char *path, const char *target)
{
	struct stat st;
	if (stat(target, &st) == 0)
		return !S_ISREG(st.st_mode);
	return lstat(path, &st) == 0 && S_ISLNK(st.st_mode);
}

FILE *ps_out_open(struct ps_out *o, const char *path, struct ps_error *err)
{
	struct stat st;

	memset(o, 0, sizeof(*o));
	if (is_stdout(path)) {
		o->f = stdout;
		return o->f;
	}
	o->path = ps_xstrndup(path, strlen(path));
	/* Renaming over a link would replace the link by a plain file and
	 * leave its target stale: the report goes where the link points. */
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
		o->target = realpath(path, NULL);
	if (o->target == NULL)
		o->target = ps_xstrndup(path, strlen(path));
	if (write_in_place(path, o->target)) {
		o->f = fopen(o->target, "w");
		return o->f ? o->f : open_failed(o, "", errno, err);
	}
	size_t n = strlen(o->target);
	o->tmp = ps_xmalloc(n + sizeof(".tmp.XXXXXX"));
	memcpy(o->tmp, o->target, n);
	memcpy(o->tmp + n, ".tmp.XXXXXX", sizeof(".tmp.XXXXXX"));
	int fd = mkstemp(o->tmp);
	if (fd < 0) {
		free(o->tmp);
		o->tmp = NULL;  /* nothing to unlink */
		return open_failed(o, "cannot create a file beside it: ", errno, err);
	}
	/* mkstemp makes 0600; a report is an ordinary file (0666 & ~umask),
	 * and a report replacing one keeps that file's mode. */
	mode_t um = umask(0);
	umask(um);
	(void)fchmod(fd, stat(o->target, &st) == 0 ? st.st_mode & 07777 : 0666 & ~um);
	o->f = fdopen(fd, "w");
	if (!o->f) {
		int e = errno;
		close(fd);
		return open_failed(o, "", e, err);
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
		if (!e && o->tmp && rename(o->tmp, o->target) != 0)
			e = errno;
	}
	if (e) {
		ps_error_set(err, PS_ERR_IO, "cannot write '%s': %s", name, strerror(e));
		if (err != NULL)
			err->sys_errno = e;
		ps_out_abort(o);
		return -1;
	}
	free(o->tmp);
	free(o->target);
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
	free(o->target);
	free(o->path);
	memset(o, 0, sizeof(*o));
}

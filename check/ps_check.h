/*
 * ps_check.h - verify Go crash-log fixtures: `panicscope check`.
 *
 * A fixture must hold at least one complete Go dump, and every sign of
 * damage the parser noticed while reading it (struct ps_repair: tabs
 * turned into spaces, hard wraps, CRLF, truncation, hand-edited
 * locations, unknown lines) is a problem unless a `.panicscope-check`
 * file allows it for that path.  Where FIXTURE.golden.json sits next to
 * FIXTURE, the current JSON analysis must equal it.  The library never
 * prints: problems go to the caller's callback as (file, line, message).
 * docs/check.md is the user's description of all of it.
 */
#ifndef PS_CHECK_H
#define PS_CHECK_H

#include "ps_base.h"

struct ps_check_opts {
	bool update;            /* write or rewrite FIXTURE.golden.json */
	bool filter;            /* apply the walk patterns to named files too */
	/* One problem: FILE:LINE: MSG (LINE 0: no line, print FILE: MSG). */
	void (*problem)(void *ctx, const char *file, unsigned long line,
			const char *msg);
	/* A path that could not be read (ERR names it). */
	void (*unreadable)(void *ctx, const struct ps_error *err);
	void *ctx;
};

struct ps_check_stats {
	uint64_t files;         /* fixtures checked */
	uint64_t problems;      /* problems reported */
	uint64_t bad_files;     /* fixtures with at least one */
	uint64_t unreadable;    /* paths that could not be read */
	uint64_t goldens;       /* goldens compared (or written with update) */
};

typedef struct ps_check ps_check;

/* Never NULL (OOM hook).  OPTS is copied. */
ps_check *ps_check_new(const struct ps_check_opts *opts);

/* Checks PATH: a file (checked whatever its name unless opts.filter,
 * but never when its config excludes it),
 * or a directory (walked in byte order of names, dot-entries skipped,
 * files kept by the include/exclude patterns of their config).  A named
 * FIXTURE.golden.json checks FIXTURE.  Problems and unreadable paths go
 * to the callbacks; the return is 0, or -1 when something was
 * unreadable. */
int ps_check_path(ps_check *c, const char *path);

const struct ps_check_stats *ps_check_stats(const ps_check *c);
void ps_check_free(ps_check *c);

#endif

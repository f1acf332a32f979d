/*
 * ps_history.h - the triage history database (SQLite).  Placeholder copy
 * of the interface agreed with the `history` branch, which implements it
 * in triage/history.c and replaces this file when merged.
 */
#ifndef PS_HISTORY_H
#define PS_HISTORY_H

#include "ps_base.h"

typedef struct ps_hist ps_hist;
enum ps_hist_status { PS_HIST_NEW, PS_HIST_KNOWN, PS_HIST_REGRESSED };
struct ps_hist_cluster {            /* what this run saw of one signature */
	const char *signature;          /* the full hex id */
	const char *title;              /* kind, message class, top frames (one line) */
	const char *kind;
	uint64_t count;
	int64_t first_seen, last_seen;  /* unix seconds from log timestamps/mtime, -1 unknown */
	const char *const *go_versions; size_t n_go_versions;
	const char *const *examples; size_t n_examples;   /* example files */
};
struct ps_hist_info {               /* what the db knows after recording */
	enum ps_hist_status status;
	uint64_t total_count;
	int64_t first_seen, last_seen;
	const char *note;               /* or NULL */
	bool resolved; const char *fixed_in;   /* or NULL */
};
ps_hist *ps_hist_open(const char *path, struct ps_error *err);   /* NULL: corrupt/foreign/newer db (exit 3) */
/* One BEGIN IMMEDIATE transaction for the whole run; INFO[i] for C[i] (strings live until ps_hist_close). */
int ps_hist_record(ps_hist *h, const struct ps_hist_cluster *c, size_t n, struct ps_hist_info *info,
		   struct ps_error *err);
int ps_hist_note(ps_hist *h, const char *id_or_prefix, const char *text, struct ps_error *err);
int ps_hist_resolve(ps_hist *h, const char *id_or_prefix, const char *fixed_in /* or NULL */,
		    struct ps_error *err);
void ps_hist_close(ps_hist *h);

#endif

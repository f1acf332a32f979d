/*
 * ps_history.h - the crash-signature history kept by `panicscope triage
 * --db PATH`: one SQLite database remembering, per signature, when it was
 * first and last seen, how often, under which Go versions, a few example
 * files, a free-text note and whether it is resolved (and in which
 * version).  Each run marks every cluster it saw as new, known or
 * regressed (seen again after being resolved; recording reopens it).
 *
 * Concurrency: several processes may open one db at once.  The db is in
 * WAL mode and every write is one BEGIN IMMEDIATE transaction with a busy
 * timeout, so concurrent runs serialise instead of losing counts, and a
 * run's records commit together or not at all.
 *
 * Errors: functions fill ERR and return -1 (NULL for ps_hist_open).  An
 * unusable db (not SQLite, corrupt, truncated, another program's SQLite
 * db, a newer schema than this build knows, read-only, locked for longer
 * than the busy timeout) gives PS_ERR_IO, which the command turns into
 * exit 3; so does a path that is not a regular file.  An unknown or
 * ambiguous signature ID, and an empty or ":memory:" path, give
 * PS_ERR_USAGE (exit 2).
 * ERR->file is the db path as passed to ps_hist_open (borrowed).  A db
 * that fails ps_hist_open is left exactly as it was.
 *
 * The schema is documented at the top of triage/history.c and in
 * docs/triage-history.md.
 */
#ifndef PS_HISTORY_H
#define PS_HISTORY_H

#include "ps_base.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ps_hist ps_hist;

/* Caps, so a db stays proportional to the number of signatures. */
#define PS_HIST_MAX_EXAMPLES 5       /* example files kept per signature */
#define PS_HIST_MAX_GO_VERSIONS 32   /* distinct Go versions kept per signature */
#define PS_HIST_MAX_NOTE 4096        /* bytes of a note */
#define PS_HIST_MAX_ID 128           /* hex digits of a signature id */

enum ps_hist_status { PS_HIST_NEW, PS_HIST_KNOWN, PS_HIST_REGRESSED };

/* What this run saw of one signature (all strings borrowed for the call). */
struct ps_hist_cluster {
	const char *signature;          /* the full hex id */
	const char *title;              /* kind, message class, top frames (one line) */
	const char *kind;
	uint64_t count;
	int64_t first_seen, last_seen;  /* unix seconds from log timestamps/mtime, -1 unknown */
	const char *const *go_versions; size_t n_go_versions;
	const char *const *examples; size_t n_examples;   /* example files */
};

/* What the db knows after recording (strings live until ps_hist_close). */
struct ps_hist_info {
	enum ps_hist_status status;     /* as of before this run */
	uint64_t total_count;           /* over every run, this one included */
	int64_t first_seen, last_seen;  /* over every run, -1 unknown */
	const char *note;               /* or NULL */
	bool resolved;                  /* false after recording: a regressed one is open again */
	const char *fixed_in;           /* or NULL; kept after a regression (the fix that failed) */
};

/*
 * Opens PATH, creating an empty history db when PATH does not exist or is
 * empty, and migrating an older schema.  Returns NULL with ERR filled when
 * the file is not a usable panicscope history db; the file is then left
 * untouched.
 */
ps_hist *ps_hist_open(const char *path, struct ps_error *err);

/*
 * Records one run: for each C[i], adds its count, widens first/last seen,
 * adds its Go versions and examples (capped as above: the first Go
 * versions seen stay, the latest run's examples push out the oldest; NULL
 * or empty strings are skipped) and fills INFO[i].  One BEGIN IMMEDIATE
 * transaction for the whole run: on error nothing of it is stored.  The
 * same signature twice in C gets the same status both times.  A cluster
 * with an empty or non-hex signature is an error (PS_ERR_INTERNAL).
 * INFO's strings live until ps_hist_close; after an error INFO's
 * contents are meaningless.
 */
int ps_hist_record(ps_hist *h, const struct ps_hist_cluster *c, size_t n, struct ps_hist_info *info,
		   struct ps_error *err);

/*
 * Sets the note of the one signature whose id starts with ID_OR_PREFIX
 * (hex, any case; an id equal to it wins over longer ones); an empty or
 * NULL TEXT clears it.  No match or several matches: -1 with PS_ERR_USAGE
 * naming the prefix.  Its own write transaction, like ps_hist_resolve.
 */
int ps_hist_note(ps_hist *h, const char *id_or_prefix, const char *text, struct ps_error *err);

/*
 * Marks that signature resolved, fixed in FIXED_IN (or NULL: unknown).
 * Seeing it again in a later run reports it REGRESSED and reopens it.
 */
int ps_hist_resolve(ps_hist *h, const char *id_or_prefix, const char *fixed_in /* or NULL */,
		    struct ps_error *err);

/*
 * Looks up the one signature whose id starts with ID_OR_PREFIX without
 * recording anything; INFO->status is the status of the latest run that
 * saw it.  0 found; -1 with PS_ERR_USAGE when no or several ids match.
 */
int ps_hist_get(ps_hist *h, const char *id_or_prefix, struct ps_hist_info *info,
		struct ps_error *err);

/* The lists kept for one signature (strings live until ps_hist_close). */
struct ps_hist_lists {
	const char *const *go_versions; size_t n_go_versions;  /* in byte order */
	const char *const *examples; size_t n_examples;        /* latest first */
};

/*
 * Fills OUT with the Go versions and example files kept for the one
 * signature whose id starts with ID_OR_PREFIX.  0 found; -1 with
 * PS_ERR_USAGE when no or several ids match.
 */
int ps_hist_lists(ps_hist *h, const char *id_or_prefix, struct ps_hist_lists *out,
		  struct ps_error *err);

/* How long a write waits for another process's transaction (default
 * 30000 ms) before failing with "locked". */
void ps_hist_set_busy_timeout(ps_hist *h, int ms);

/* Closes the db and frees every string handed out.  NULL is fine. */
void ps_hist_close(ps_hist *h);

/* Schema version this build writes (older ones are migrated on open). */
int ps_hist_schema_version(void);

#endif

/* history.c - the SQLite crash-signature history behind `triage --db`.
 *
 * Schema, version 1 (docs/triage-history.md says the same for users):
 *
 *   panicscope_schema(version INTEGER NOT NULL)      exactly one row
 *   run(id INTEGER PRIMARY KEY, at INTEGER NOT NULL,  one row per recorded run;
 *       clusters INTEGER NOT NULL)                    at = unix seconds
 *   signature(id TEXT PRIMARY KEY,                    full lowercase hex id
 *       title TEXT NOT NULL, kind TEXT NOT NULL,      latest run's wording
 *       count INTEGER NOT NULL,                       crashes over all runs
 *       first_seen INTEGER, last_seen INTEGER,        unix seconds, NULL unknown
 *       first_run INTEGER NOT NULL, last_run INTEGER NOT NULL,   run.id
 *       last_status INTEGER NOT NULL,                 0 new, 1 known, 2 regressed in last_run
 *       note TEXT,                                    NULL: none
 *       resolved INTEGER NOT NULL, fixed_in TEXT,     1 resolved; version or NULL
 *       resolved_at INTEGER,                          unix seconds of --resolve
 *       regressions INTEGER NOT NULL)                 times seen again after a resolve
 *   go_version(sig TEXT, version TEXT,                at most PS_HIST_MAX_GO_VERSIONS
 *       PRIMARY KEY(sig, version))                    per sig, the first ones seen
 *   example(sig TEXT, path TEXT, run INTEGER,         at most PS_HIST_MAX_EXAMPLES
 *       pos INTEGER, PRIMARY KEY(sig, path))          per sig, the latest runs' first files
 *
 * PRAGMA application_id marks the file as ours.  Version N of the schema
 * is reached by running migrations[0..N-1] in order, inside the BEGIN
 * IMMEDIATE transaction that opening takes, so version 2 is one more
 * function in that table and a concurrent opener never sees half a
 * migration.
 *
 * Nothing is written before the file has been checked: a corrupt,
 * foreign or newer db is reported and left byte for byte as it was.
 */
#include "ps_history.h"

#include <ctype.h>
#include <stdarg.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define APP_ID 0x50534831        /* "PSH1" */
#define BUSY_TIMEOUT_MS 30000
#define MAX_FIXED_IN 256

/* A cap from ps_history.h as SQL text, so the header stays the one place. */
#define CAP_(n) #n
#define CAP(n) CAP_(n)

/* Prepared once per session, in the order of the enum. */
enum stmt {
	ST_BEGIN, ST_COMMIT, ST_ROLLBACK, ST_RUN_ADD, ST_SIG_GET, ST_SIG_ADD,
	ST_SIG_UPDATE, ST_GOV_ADD, ST_EX_ADD, ST_EX_PRUNE, ST_INFO, ST_PREFIX,
	ST_NOTE, ST_RESOLVE, ST_GOV_LIST, ST_EX_LIST, ST__N
};

static const char *const stmt_sql[ST__N] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_RUN_ADD] = "INSERT INTO run(at, clusters) VALUES (?1, ?2)",
	[ST_SIG_GET] = "SELECT count, resolved, last_run, last_status FROM signature WHERE id = ?1",
	[ST_SIG_ADD] = "INSERT INTO signature(id, title, kind, count, first_seen, last_seen,"
		" first_run, last_run, last_status, resolved, regressions)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, 0, 0, 0)",
	/* min()/max() are NULL when either side is: coalesce keeps the known one. */
	[ST_SIG_UPDATE] = "UPDATE signature SET title = ?2, kind = ?3, count = count + ?4,"
		" first_seen = coalesce(min(first_seen, ?5), first_seen, ?5),"
		" last_seen = coalesce(max(last_seen, ?6), last_seen, ?6),"
		" last_run = ?7, last_status = ?8, resolved = 0,"
		" regressions = regressions + ?9 WHERE id = ?1",
	[ST_GOV_ADD] = "INSERT OR IGNORE INTO go_version(sig, version) SELECT ?1, ?2"
		" WHERE (SELECT count(*) FROM go_version WHERE sig = ?1) < " CAP(PS_HIST_MAX_GO_VERSIONS),
	[ST_EX_ADD] = "INSERT INTO example(sig, path, run, pos) VALUES (?1, ?2, ?3, ?4)"
		" ON CONFLICT(sig, path) DO UPDATE SET run = excluded.run, pos = excluded.pos",
	[ST_EX_PRUNE] = "DELETE FROM example WHERE sig = ?1 AND path NOT IN"
		" (SELECT path FROM example WHERE sig = ?1 ORDER BY run DESC, pos"
		" LIMIT " CAP(PS_HIST_MAX_EXAMPLES) ")",
	[ST_INFO] = "SELECT count, first_seen, last_seen, note, resolved, fixed_in, last_status"
		" FROM signature WHERE id = ?1",
	/* Ids are lowercase hex, so [prefix, prefix-with-last-digit+1) is
	 * exactly the ids starting with prefix, and uses the primary key. */
	[ST_PREFIX] = "SELECT id FROM signature WHERE id >= ?1 AND id < ?2 ORDER BY id LIMIT 2",
	[ST_NOTE] = "UPDATE signature SET note = ?2 WHERE id = ?1",
	[ST_GOV_LIST] = "SELECT version FROM go_version WHERE sig = ?1 ORDER BY version",
	[ST_EX_LIST] = "SELECT path FROM example WHERE sig = ?1 ORDER BY run DESC, pos",
	[ST_RESOLVE] = "UPDATE signature SET resolved = 1, fixed_in = ?2, resolved_at = ?3"
		" WHERE id = ?1",
};

struct ps_hist {
	sqlite3 *db;
	const char *path;               /* the caller's, for error messages */
	sqlite3_stmt *st[ST__N];
	struct ps_arena strings;        /* ps_hist_info strings */
	int busy_ms;                    /* for the "locked" message */
};

/* ---- errors ---------------------------------------------------------- */

/* SQLite's integrity reports span lines; an error is one line. */
static int one_line(struct ps_error *err, int rc)
{
	for (char *p = err ? err->msg : NULL; p && *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	return rc;
}

/* Fills ERR about the db: one line, ERR->file the db's path. */
static int hist_fail(const ps_hist *h, struct ps_error *err, enum ps_err code, const char *fmt,
		     ...) PS_PRINTF(4, 5);
static int hist_fail(const ps_hist *h, struct ps_error *err, enum ps_err code, const char *fmt,
		     ...)
{
	va_list ap;
	if (!err)
		return -1;
	err->code = code;
	err->file = h->path;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return one_line(err, -1);
}

/* One line naming the db and what SQLite said, with the common causes
 * spelled out so the user knows what to do. */
static int db_error(const ps_hist *h, int rc, const char *what, struct ps_error *err)
{
	const char *p = h->path;
	int e = rc & 0xff;
	int wait_ms = h->busy_ms;
	if (e == SQLITE_BUSY || e == SQLITE_LOCKED)
		return hist_fail(h, err, PS_ERR_IO, "history db '%s' is locked by another process"
				    " (gave up after %d ms)", p, wait_ms);
	if (e == SQLITE_NOTADB)
		return hist_fail(h, err, PS_ERR_IO, "'%s' is not an SQLite database", p);
	if (e == SQLITE_CORRUPT)
		return hist_fail(h, err, PS_ERR_IO, "history db '%s' is corrupt (%s)", p,
				    sqlite3_errmsg(h->db));
	if (e == SQLITE_READONLY || e == SQLITE_PERM || e == SQLITE_CANTOPEN)
		return hist_fail(h, err, PS_ERR_IO, "cannot write history db '%s': %s", p,
				    sqlite3_errmsg(h->db));
	return hist_fail(h, err, PS_ERR_IO, "history db '%s': %s: %s", p, what,
			    h->db ? sqlite3_errmsg(h->db) : sqlite3_errstr(rc));
}

/* ---- statements ------------------------------------------------------ */

static sqlite3_stmt *stmt(ps_hist *h, enum stmt s, struct ps_error *err)
{
	if (!h->st[s]) {
		int rc = sqlite3_prepare_v3(h->db, stmt_sql[s], -1, SQLITE_PREPARE_PERSISTENT,
					    &h->st[s], NULL);
		if (rc != SQLITE_OK) {
			db_error(h, rc, "prepare", err);
			return NULL;
		}
	}
	sqlite3_reset(h->st[s]);
	sqlite3_clear_bindings(h->st[s]);
	return h->st[s];
}

/* Steps a statement that returns no rows (or whose rows are ignored). */
static int run_done(ps_hist *h, sqlite3_stmt *q, struct ps_error *err)
{
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		;
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? 0 : db_error(h, rc, sqlite3_sql(q), err);
}

static int exec_simple(ps_hist *h, enum stmt s, struct ps_error *err)
{
	sqlite3_stmt *q = stmt(h, s, err);
	return q ? run_done(h, q, err) : -1;
}

/* Runs BODY inside one BEGIN IMMEDIATE transaction: it commits only when
 * BODY succeeds, so a failure anywhere leaves the db as it was. */
typedef int (*txn_body)(ps_hist *h, void *arg, struct ps_error *err);

static int write_txn(ps_hist *h, txn_body body, void *arg, struct ps_error *err)
{
	if (exec_simple(h, ST_BEGIN, err) < 0)
		return -1;
	if (body(h, arg, err) == 0 && exec_simple(h, ST_COMMIT, err) == 0)
		return 0;
	exec_simple(h, ST_ROLLBACK, NULL);
	return -1;
}

/* Binds a time, -1 (unknown) as NULL. */
static void bind_time(sqlite3_stmt *q, int i, int64_t t)
{
	if (t < 0)
		sqlite3_bind_null(q, i);
	else
		sqlite3_bind_int64(q, i, t);
}

static int64_t column_time(sqlite3_stmt *q, int i)
{
	return sqlite3_column_type(q, i) == SQLITE_NULL ? -1 : sqlite3_column_int64(q, i);
}

static const char *column_str(ps_hist *h, sqlite3_stmt *q, int i)
{
	const unsigned char *s = sqlite3_column_text(q, i);
	return s ? ps_arena_strndup(&h->strings, (const char *)s,
				    (size_t)sqlite3_column_bytes(q, i)) : NULL;
}

/* ---- schema and migrations ------------------------------------------- */

static const char schema_v1[] =
	"CREATE TABLE panicscope_schema(version INTEGER NOT NULL);"
	"CREATE TABLE run(id INTEGER PRIMARY KEY, at INTEGER NOT NULL,"
	" clusters INTEGER NOT NULL);"
	"CREATE TABLE signature(id TEXT PRIMARY KEY, title TEXT NOT NULL, kind TEXT NOT NULL,"
	" count INTEGER NOT NULL, first_seen INTEGER, last_seen INTEGER,"
	" first_run INTEGER NOT NULL, last_run INTEGER NOT NULL, last_status INTEGER NOT NULL,"
	" note TEXT, resolved INTEGER NOT NULL, fixed_in TEXT, resolved_at INTEGER,"
	" regressions INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE go_version(sig TEXT NOT NULL, version TEXT NOT NULL,"
	" PRIMARY KEY(sig, version)) WITHOUT ROWID;"
	"CREATE TABLE example(sig TEXT NOT NULL, path TEXT NOT NULL, run INTEGER NOT NULL,"
	" pos INTEGER NOT NULL, PRIMARY KEY(sig, path)) WITHOUT ROWID;"
	"INSERT INTO panicscope_schema(version) VALUES (1);";

static int exec_script(ps_hist *h, const char *sql, struct ps_error *err)
{
	int rc = sqlite3_exec(h->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : db_error(h, rc, "migration", err);
}

static int migrate_to_1(ps_hist *h, struct ps_error *err)
{
	return exec_script(h, schema_v1, err);
}

#ifdef PS_HIST_TEST_V2
/* Only in the test build ps_history_v2test: the shape a real version 2
 * takes, so tests/history/migrate.sh can prove the path from 1 to 2 and a
 * version-1 build's refusal of a real version-2 db. */
static int migrate_to_2(ps_hist *h, struct ps_error *err)
{
	return exec_script(h, "ALTER TABLE signature ADD COLUMN test_v2 TEXT;"
			   "UPDATE panicscope_schema SET version = 2;", err);
}
#endif

/* migrations[i] takes the schema from version i to i + 1 and writes the
 * new version number. */
typedef int (*migration_fn)(ps_hist *h, struct ps_error *err);
static const migration_fn migrations[] = {
	migrate_to_1,
#ifdef PS_HIST_TEST_V2
	migrate_to_2,
#endif
};
#define SCHEMA_VERSION ((int)(sizeof(migrations) / sizeof(migrations[0])))

int ps_hist_schema_version(void)
{
	return SCHEMA_VERSION;
}

/* What the file holds, read without writing anything. */
struct db_state {
	int version;                    /* 0: empty file, -1: not ours */
	int64_t app_id;
};

static int query_int(ps_hist *h, const char *sql, int64_t *out, struct ps_error *err)
{
	sqlite3_stmt *q;
	int rc = sqlite3_prepare_v2(h->db, sql, -1, &q, NULL);
	if (rc != SQLITE_OK)
		return db_error(h, rc, sql, err);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(q, 0);
	else if (rc == SQLITE_DONE)
		*out = -1;
	sqlite3_finalize(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_error(h, rc, sql, err);
}

/* Runs a pragma whose first row must read WANT; anything else is
 * reported as "history db 'PATH' COMPLAINT (what it said)". */
/* Runs the one-row pragma SQL and wants WANT back.  *BUSY (when not
 * NULL) tells a lock from any other failure. */
static int pragma_is_busy(ps_hist *h, const char *sql, const char *want, const char *complaint,
			  bool *busy, struct ps_error *err)
{
	sqlite3_stmt *q;
	int rc = sqlite3_prepare_v2(h->db, sql, -1, &q, NULL);
	if (rc != SQLITE_OK)
		return db_error(h, rc, sql, err);
	rc = sqlite3_step(q);
	const unsigned char *got = rc == SQLITE_ROW ? sqlite3_column_text(q, 0) : NULL;
	int ok = got && strcmp((const char *)got, want) == 0;
	if (!ok && got) {
		hist_fail(h, err, PS_ERR_IO, "history db '%s' %s (%s)", h->path, complaint,
			  (const char *)got);
	} else if (!ok) {
		db_error(h, rc, sql, err);
		if (busy)
			*busy = (rc & 0xff) == SQLITE_BUSY;
	}
	sqlite3_finalize(q);
	return ok ? 0 : -1;
}

static int pragma_is(ps_hist *h, const char *sql, const char *want, const char *complaint,
		     struct ps_error *err)
{
	return pragma_is_busy(h, sql, want, complaint, NULL, err);
}

/* quick_check reads every page, so a truncated or scribbled db is found
 * here and not halfway through a run; the db is one row per signature,
 * so this is milliseconds for thousands of them. */
static int check_integrity(ps_hist *h, struct ps_error *err)
{
	return pragma_is(h, "PRAGMA quick_check(1)", "ok", "is corrupt", err);
}

/* What the file is; INTEGRITY also reads every page (the first look at
 * a file, not the second one under the lock a moment later). */
static int inspect(ps_hist *h, struct db_state *s, bool integrity, struct ps_error *err)
{
	int64_t n_objects, has_table, v;
	if (query_int(h, "PRAGMA application_id", &s->app_id, err) < 0 ||
	    query_int(h, "SELECT count(*) FROM sqlite_schema", &n_objects, err) < 0 ||
	    (integrity && check_integrity(h, err) < 0) ||
	    query_int(h, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
		      " AND name = 'panicscope_schema'", &has_table, err) < 0)
		return -1;
	if (n_objects == 0 && s->app_id == 0) {
		s->version = 0;
		return 0;
	}
	if (!has_table || (s->app_id != 0 && s->app_id != APP_ID)) {
		s->version = -1;
		return 0;
	}
	if (query_int(h, "SELECT CASE count(*) WHEN 1 THEN max(version) ELSE -1 END"
		      " FROM panicscope_schema", &v, err) < 0)
		return -1;
	if (v < 1 || v > 1000000) {
		return hist_fail(h, err, PS_ERR_IO, "history db '%s' is corrupt (bad schema"
				    " version row)", h->path);
	}
	s->version = (int)v;
	return 0;
}

/* Refuses what this build must not write to; a newer schema may hold
 * facts this build would lose. */
static int check_usable(ps_hist *h, const struct db_state *s, struct ps_error *err)
{
	if (s->version < 0)
		return hist_fail(h, err, PS_ERR_IO, "'%s' is an SQLite database of another program,"
				    " not a panicscope history db", h->path);
	if (s->version > SCHEMA_VERSION)
		return hist_fail(h, err, PS_ERR_IO, "history db '%s' has schema version %d; this"
				    " panicscope knows up to %d (use a newer panicscope)",
				    h->path, s->version, SCHEMA_VERSION);
	if (sqlite3_db_readonly(h->db, "main") == 1)
		return hist_fail(h, err, PS_ERR_IO, "cannot write history db '%s': read-only",
				    h->path);
	return 0;
}

/* Under the write lock: another process may have created or migrated the
 * db since inspect(), so look again before changing anything. */
static int upgrade(ps_hist *h, void *unused, struct ps_error *err)
{
	struct db_state s;
	if (inspect(h, &s, false, err) < 0 || check_usable(h, &s, err) < 0)
		return -1;
	if (s.version == 0) {
		char sql[64];
		snprintf(sql, sizeof(sql), "PRAGMA application_id = %d", APP_ID);
		if (exec_script(h, sql, err) < 0)
			return -1;
	}
	for (int v = s.version; v < SCHEMA_VERSION; v++) {
		if (migrations[v](h, err) < 0)
			return -1;
	}
	return 0;
}

/* Inside a write transaction: a newer panicscope may have migrated the
 * db since it was opened, and this build must not write into a schema it
 * does not know. */
static int still_ours(ps_hist *h, struct ps_error *err)
{
	struct db_state s;
	if (inspect(h, &s, false, err) < 0 || check_usable(h, &s, err) < 0)
		return -1;
	if (s.version != SCHEMA_VERSION)
		return hist_fail(h, err, PS_ERR_IO, "history db '%s' changed schema while open",
				 h->path);
	return 0;
}

/* SQLite answers a journal-mode change that another connection's lock
 * blocks with SQLITE_BUSY at once, without calling the busy handler:
 * two processes creating one db lost about one run in 30 of
 * tests/history/concurrent.sh that way.  So this wait is ours, in
 * growing naps, for as long as the busy timeout. */
static int set_wal(ps_hist *h, struct ps_error *err)
{
	long waited_ms = 0;
	for (long nap_ms = 1;; nap_ms = nap_ms < 64 ? nap_ms * 2 : 64) {
		bool busy = false;
		if (pragma_is_busy(h, "PRAGMA journal_mode = WAL", "wal",
				   "cannot use WAL mode, journal mode", &busy, err) == 0)
			return 0;
		if (!busy || waited_ms >= h->busy_ms)
			return -1;
		struct timespec nap = { 0, nap_ms * 1000000L };
		nanosleep(&nap, NULL);
		waited_ms += nap_ms;
	}
}

/* SQLite would take "" or ":memory:" as a db that vanishes on close and
 * a device or FIFO as a file; a history needs a regular file. */
static int check_path(ps_hist *h, struct ps_error *err)
{
	struct stat st;
	if (!*h->path || strcmp(h->path, ":memory:") == 0)
		return hist_fail(h, err, PS_ERR_USAGE, "--db needs a file name");
	if (stat(h->path, &st) == 0 && !S_ISREG(st.st_mode))
		return hist_fail(h, err, PS_ERR_IO, "history db '%s' is not a regular file",
				 h->path);
	return 0;
}

ps_hist *ps_hist_open(const char *path, struct ps_error *err)
{
	ps_hist *h = ps_xcalloc(1, sizeof(*h));
	struct db_state s;
	h->path = path ? path : "";
	if (check_path(h, err) < 0)
		goto fail;
	int rc = sqlite3_open_v2(path, &h->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		hist_fail(h, err, PS_ERR_IO, "cannot open history db '%s': %s", path,
			     h->db ? sqlite3_errmsg(h->db) : sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_extended_result_codes(h->db, 1);
	ps_hist_set_busy_timeout(h, BUSY_TIMEOUT_MS);
	if (inspect(h, &s, true, err) < 0 || check_usable(h, &s, err) < 0 || set_wal(h, err) < 0)
		goto fail;
	/* Only creating or migrating needs the write lock. */
	if (s.version < SCHEMA_VERSION && write_txn(h, upgrade, NULL, err) < 0)
		goto fail;
	return h;
fail:
	ps_hist_close(h);
	return NULL;
}

void ps_hist_close(ps_hist *h)
{
	if (!h)
		return;
	for (int i = 0; i < ST__N; i++)
		sqlite3_finalize(h->st[i]);
	sqlite3_close(h->db);
	ps_arena_release(&h->strings);
	free(h);
}

/* ---- recording a run ------------------------------------------------- */

/* Lowercase hex, 1..PS_HIST_MAX_ID digits, copied into OUT. */
static bool normalise_id(const char *id, char out[PS_HIST_MAX_ID + 1])
{
	size_t n = id ? strlen(id) : 0;
	if (n == 0 || n > PS_HIST_MAX_ID)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!isxdigit((unsigned char)id[i]))
			return false;
		out[i] = (char)tolower((unsigned char)id[i]);
	}
	out[n] = '\0';
	return true;
}

static int check_clusters(const struct ps_hist_cluster *c, size_t n, struct ps_error *err)
{
	char id[PS_HIST_MAX_ID + 1];
	for (size_t i = 0; i < n; i++) {
		if (!normalise_id(c[i].signature, id))
			return ps_error_set(err, PS_ERR_INTERNAL, "history: cluster %zu has no valid"
					    " hex signature", i);
		if (c[i].count > INT64_MAX)
			return ps_error_set(err, PS_ERR_INTERNAL, "history: cluster %zu count %llu"
					    " out of range", i, (unsigned long long)c[i].count);
	}
	return 0;
}

/* The row as it was before this cluster (exists == false: not in db). */
struct sig_row {
	bool exists, resolved;
	int64_t count, last_run;
	int last_status;
};

static int sig_get(ps_hist *h, const char *id, struct sig_row *r, struct ps_error *err)
{
	sqlite3_stmt *q = stmt(h, ST_SIG_GET, err);
	if (!q)
		return -1;
	sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	memset(r, 0, sizeof(*r));
	if (rc == SQLITE_ROW) {
		r->exists = true;
		r->count = sqlite3_column_int64(q, 0);
		r->resolved = sqlite3_column_int64(q, 1) != 0;
		r->last_run = sqlite3_column_int64(q, 2);
		r->last_status = (int)sqlite3_column_int64(q, 3);
		rc = SQLITE_DONE;
	}
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? 0 : db_error(h, rc, "read signature", err);
}

/* Status relative to the db before this run: a signature met twice in
 * one run keeps the status its first meeting gave. */
static enum ps_hist_status status_of(const struct sig_row *r, int64_t run)
{
	if (!r->exists)
		return PS_HIST_NEW;
	if (r->last_run == run)
		return (enum ps_hist_status)r->last_status;
	return r->resolved ? PS_HIST_REGRESSED : PS_HIST_KNOWN;
}

static void bind_cluster(sqlite3_stmt *q, const char *id, const struct ps_hist_cluster *c,
			 int64_t run)
{
	sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, c->title ? c->title : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, c->kind ? c->kind : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 4, (int64_t)c->count);
	bind_time(q, 5, c->first_seen);
	bind_time(q, 6, c->last_seen);
	sqlite3_bind_int64(q, 7, run);
}

static int sig_write(ps_hist *h, const char *id, const struct ps_hist_cluster *c,
		     const struct sig_row *r, int64_t run, enum ps_hist_status st,
		     struct ps_error *err)
{
	if (r->exists && (uint64_t)r->count > (uint64_t)INT64_MAX - c->count)
		return hist_fail(h, err, PS_ERR_IO, "history db '%s': count of %s overflows",
				    h->path, id);
	sqlite3_stmt *q = stmt(h, r->exists ? ST_SIG_UPDATE : ST_SIG_ADD, err);
	if (!q)
		return -1;
	bind_cluster(q, id, c, run);
	if (r->exists) {
		sqlite3_bind_int(q, 8, (int)st);
		sqlite3_bind_int(q, 9, st == PS_HIST_REGRESSED && r->last_run != run);
	}
	return run_done(h, q, err);
}

/* Adds up to N non-empty strings of LIST with statement S, bound as
 * (?1 id, ?2 string, ?3 run, ?4 its position); a statement that does
 * not use ?3/?4 ignores them. */
static int list_add(ps_hist *h, enum stmt s, const char *id, const char *const *list, size_t n,
		    int64_t run, struct ps_error *err)
{
	for (size_t i = 0; i < n; i++) {
		if (!list[i] || !*list[i])
			continue;
		sqlite3_stmt *q = stmt(h, s, err);
		if (!q)
			return -1;
		sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, list[i], -1, SQLITE_STATIC);
		(void)sqlite3_bind_int64(q, 3, run);
		(void)sqlite3_bind_int64(q, 4, (int64_t)i);
		if (run_done(h, q, err) < 0)
			return -1;
	}
	return 0;
}

static int lists_write(ps_hist *h, const char *id, const struct ps_hist_cluster *c, int64_t run,
		       struct ps_error *err)
{
	size_t n_ex = c->n_examples < PS_HIST_MAX_EXAMPLES ? c->n_examples : PS_HIST_MAX_EXAMPLES;
	if (list_add(h, ST_GOV_ADD, id, c->go_versions, c->n_go_versions, run, err) < 0 ||
	    list_add(h, ST_EX_ADD, id, c->examples, n_ex, run, err) < 0)
		return -1;
	if (n_ex == 0)
		return 0;
	sqlite3_stmt *q = stmt(h, ST_EX_PRUNE, err);
	if (!q)
		return -1;
	sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
	return run_done(h, q, err);
}

static int info_read(ps_hist *h, const char *id, struct ps_hist_info *info,
		     struct ps_error *err)
{
	sqlite3_stmt *q = stmt(h, ST_INFO, err);
	if (!q)
		return -1;
	sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
	int st = 0, rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		info->total_count = (uint64_t)sqlite3_column_int64(q, 0);
		info->first_seen = column_time(q, 1);
		info->last_seen = column_time(q, 2);
		info->note = column_str(h, q, 3);
		info->resolved = sqlite3_column_int64(q, 4) != 0;
		info->fixed_in = column_str(h, q, 5);
		st = sqlite3_column_int(q, 6);
		info->status = (enum ps_hist_status)st;
	}
	sqlite3_reset(q);
	/* The status is an enum the caller switches on: never pass on a value
	 * some other writer left. */
	if (rc == SQLITE_ROW && (st < PS_HIST_NEW || st > PS_HIST_REGRESSED))
		return hist_fail(h, err, PS_ERR_IO, "history db '%s' is corrupt (status %d of %s)",
				 h->path, st, id);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? ps_error_set(err, PS_ERR_INTERNAL, "history: %s vanished", id)
				 : db_error(h, rc, "read signature", err);
}

static int record_one(ps_hist *h, const struct ps_hist_cluster *c, int64_t run,
		      struct ps_hist_info *info, struct ps_error *err)
{
	char id[PS_HIST_MAX_ID + 1];
	struct sig_row r;
	normalise_id(c->signature, id);         /* checked by check_clusters */
	if (sig_get(h, id, &r, err) < 0)
		return -1;
	enum ps_hist_status st = status_of(&r, run);
	if (sig_write(h, id, c, &r, run, st, err) < 0 || lists_write(h, id, c, run, err) < 0)
		return -1;
	memset(info, 0, sizeof(*info));
	return info_read(h, id, info, err);
}

static int run_add(ps_hist *h, size_t n, int64_t *run, struct ps_error *err)
{
	sqlite3_stmt *q = stmt(h, ST_RUN_ADD, err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, (int64_t)time(NULL));
	sqlite3_bind_int64(q, 2, (int64_t)n);
	if (run_done(h, q, err) < 0)
		return -1;
	*run = sqlite3_last_insert_rowid(h->db);
	return 0;
}

struct run_args {
	const struct ps_hist_cluster *c;
	size_t n;
	struct ps_hist_info *info;
};

static int record_all(ps_hist *h, void *arg, struct ps_error *err)
{
	struct run_args *a = arg;
	int64_t run;
	if (still_ours(h, err) < 0 || run_add(h, a->n, &run, err) < 0)
		return -1;
	for (size_t i = 0; i < a->n; i++) {
		if (record_one(h, &a->c[i], run, &a->info[i], err) < 0)
			return -1;
	}
	return 0;
}

int ps_hist_record(ps_hist *h, const struct ps_hist_cluster *c, size_t n, struct ps_hist_info *info,
		   struct ps_error *err)
{
	struct run_args a = { c, n, info };
	if (check_clusters(c, n, err) < 0)
		return -1;
	return write_txn(h, record_all, &a, err);
}

/* ---- note and resolve ------------------------------------------------ */

/* The one id starting with PREFIX, into ID; PS_ERR_USAGE when none or
 * several do (an id equal to PREFIX wins over longer ones).  Runs inside
 * the caller's transaction. */
static int find_id(ps_hist *h, const char *prefix, char id[PS_HIST_MAX_ID + 1],
		   struct ps_error *err)
{
	char lo[PS_HIST_MAX_ID + 1], hi[PS_HIST_MAX_ID + 1];
	char got[2][PS_HIST_MAX_ID + 1];
	if (!normalise_id(prefix, lo))
		return ps_error_set(err, PS_ERR_USAGE, "'%s' is not a signature id (hex digits)",
				    prefix ? prefix : "");
	size_t n = strlen(lo);
	memcpy(hi, lo, n + 1);
	hi[n - 1]++;                            /* '9'+1 = ':' < 'a', 'f'+1 = 'g' */
	sqlite3_stmt *q = stmt(h, ST_PREFIX, err);
	if (!q)
		return -1;
	sqlite3_bind_text(q, 1, lo, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, hi, -1, SQLITE_STATIC);
	int found = 0, rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW && found < 2) {
		const char *s = (const char *)sqlite3_column_text(q, 0);
		snprintf(got[found++], sizeof(got[0]), "%s", s ? s : "");
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_error(h, rc, "find signature", err);
	if (found == 0)
		return hist_fail(h, err, PS_ERR_USAGE, "no signature '%s' in history db '%s'",
				    prefix, h->path);
	/* Rows come in id order, so an exact match is the first. */
	if (found == 2 && strcmp(got[0], lo) != 0)
		return hist_fail(h, err, PS_ERR_USAGE, "signature id '%s' is ambiguous: it starts"
				    " %s and %s (give more digits)", prefix, got[0], got[1]);
	memcpy(id, got[0], sizeof(got[0]));
	return 0;
}

struct update_args {
	const char *prefix;
	enum stmt s;                    /* ST_NOTE or ST_RESOLVE */
	const char *text;               /* the note or fixed-in; NULL or "" stores NULL */
};

/* The shared shape of note and resolve: find the id, then update it. */
static int update_one(ps_hist *h, void *arg, struct ps_error *err)
{
	struct update_args *a = arg;
	char id[PS_HIST_MAX_ID + 1];
	sqlite3_stmt *q;
	if (still_ours(h, err) < 0 || find_id(h, a->prefix, id, err) < 0 ||
	    !(q = stmt(h, a->s, err)))
		return -1;
	sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
	if (a->text && *a->text)
		sqlite3_bind_text(q, 2, a->text, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, 2);
	if (a->s == ST_RESOLVE)
		sqlite3_bind_int64(q, 3, (int64_t)time(NULL));
	return run_done(h, q, err);
}

int ps_hist_note(ps_hist *h, const char *id_or_prefix, const char *text, struct ps_error *err)
{
	if (text && strlen(text) > PS_HIST_MAX_NOTE)
		return ps_error_set(err, PS_ERR_USAGE, "note longer than %d bytes", PS_HIST_MAX_NOTE);
	struct update_args a = { id_or_prefix, ST_NOTE, text };
	return write_txn(h, update_one, &a, err);
}

int ps_hist_resolve(ps_hist *h, const char *id_or_prefix, const char *fixed_in,
		    struct ps_error *err)
{
	if (fixed_in && strlen(fixed_in) > MAX_FIXED_IN)
		return ps_error_set(err, PS_ERR_USAGE, "--fixed-in longer than %d bytes",
				    MAX_FIXED_IN);
	struct update_args a = { id_or_prefix, ST_RESOLVE, fixed_in };
	return write_txn(h, update_one, &a, err);
}

/* Column 0 of every row of S for ID, as an arena array of strings. */
static int read_list(ps_hist *h, enum stmt s, const char *id, const char *const **out,
		     size_t *n, struct ps_error *err)
{
	struct ps_vec v;
	int rc;
	sqlite3_stmt *q = stmt(h, s, err);
	if (!q)
		return -1;
	ps_vec_init(&v, sizeof(const char *));
	sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		*(const char **)ps_vec_push(&v) = column_str(h, q, 0);
	sqlite3_reset(q);
	*out = ps_vec_finish(&v, &h->strings, n);
	ps_vec_release(&v);
	return rc == SQLITE_DONE ? 0 : db_error(h, rc, "read list", err);
}

struct read_args {
	const char *prefix;
	struct ps_hist_info *info;      /* or NULL */
	struct ps_hist_lists *lists;    /* or NULL */
};

static int read_one(ps_hist *h, void *arg, struct ps_error *err)
{
	struct read_args *a = arg;
	char id[PS_HIST_MAX_ID + 1];
	if (find_id(h, a->prefix, id, err) < 0)
		return -1;
	if (a->info && info_read(h, id, a->info, err) < 0)
		return -1;
	if (!a->lists)
		return 0;
	struct ps_hist_lists *l = a->lists;
	if (read_list(h, ST_GOV_LIST, id, &l->go_versions, &l->n_go_versions, err) < 0)
		return -1;
	return read_list(h, ST_EX_LIST, id, &l->examples, &l->n_examples, err);
}

/* A read transaction, so the id found is the row read. */
static int read_txn(ps_hist *h, struct read_args *a, struct ps_error *err)
{
	if (sqlite3_exec(h->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return db_error(h, sqlite3_errcode(h->db), "begin", err);
	int r = read_one(h, a, err);
	exec_simple(h, ST_ROLLBACK, NULL);
	return r;
}

int ps_hist_get(ps_hist *h, const char *id_or_prefix, struct ps_hist_info *info,
		struct ps_error *err)
{
	struct read_args a = { id_or_prefix, info, NULL };
	memset(info, 0, sizeof(*info));
	return read_txn(h, &a, err);
}

int ps_hist_lists(ps_hist *h, const char *id_or_prefix, struct ps_hist_lists *out,
		  struct ps_error *err)
{
	struct read_args a = { id_or_prefix, NULL, out };
	memset(out, 0, sizeof(*out));
	return read_txn(h, &a, err);
}

void ps_hist_set_busy_timeout(ps_hist *h, int ms)
{
	sqlite3_busy_timeout(h->db, ms);
	h->busy_ms = ms;
}

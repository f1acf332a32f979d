/* test_history.c - triage/ps_history on real SQLite files in a temporary
 * directory: statuses across runs, seen times, capped lists, id prefixes,
 * unusable files left untouched, and a failed run storing nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ps_history.h"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

/* ---- helpers ---- */

struct tmp {
	char dir[64];
	char db[128];
};

static int setup_tmp(void **state)
{
	struct tmp *t = calloc(1, sizeof(*t));
	strcpy(t->dir, "/tmp/ps_hist_XXXXXX");
	if (!mkdtemp(t->dir))
		return -1;
	snprintf(t->db, sizeof(t->db), "%s/h.db", t->dir);
	*state = t;
	return 0;
}

static int teardown_tmp(void **state)
{
	struct tmp *t = *state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->dir);
	int rc = system(cmd);
	free(t);
	return rc == 0 ? 0 : -1;
}

static ps_hist *open_ok(const char *path)
{
	struct ps_error err = {0};
	ps_hist *h = ps_hist_open(path, &err);
	if (!h)
		fail_msg("open '%s': %s", path, err.msg);
	return h;
}

static struct ps_hist_cluster cl(const char *sig, uint64_t count, int64_t first, int64_t last)
{
	return (struct ps_hist_cluster){ .signature = sig, .title = "t", .kind = "k",
					 .count = count, .first_seen = first, .last_seen = last };
}

static struct ps_hist_info record1(ps_hist *h, struct ps_hist_cluster c)
{
	struct ps_error err = {0};
	struct ps_hist_info info;
	if (ps_hist_record(h, &c, 1, &info, &err) != 0)
		fail_msg("record %s: %s", c.signature, err.msg);
	return info;
}

/* One integer from SQL run on PATH by a separate connection. */
static int64_t sql_int(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *q;
	int64_t v = -999;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
	if (sqlite3_step(q) == SQLITE_ROW)
		v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return v;
}

static void sql_exec(const char *path, const char *sql)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	sqlite3_close(db);
}

/* ---- statuses ---- */

static void test_new_known_regressed(void **state)
{
	struct tmp *t = *state;
	struct ps_error err = {0};
	ps_hist *h = open_ok(t->db);

	struct ps_hist_info a = record1(h, cl("aa01", 3, -1, -1));
	assert_int_equal(a.status, PS_HIST_NEW);
	assert_int_equal(a.total_count, 3);
	assert_false(a.resolved);

	a = record1(h, cl("aa01", 2, -1, -1));
	assert_int_equal(a.status, PS_HIST_KNOWN);
	assert_int_equal(a.total_count, 5);

	assert_int_equal(ps_hist_resolve(h, "aa01", "v1.4.2", &err), 0);
	assert_int_equal(ps_hist_get(h, "aa", &a, &err), 0);
	assert_true(a.resolved);
	assert_string_equal(a.fixed_in, "v1.4.2");

	/* Resolved and seen again: regressed, open again, the failed fix kept. */
	a = record1(h, cl("aa01", 1, -1, -1));
	assert_int_equal(a.status, PS_HIST_REGRESSED);
	assert_false(a.resolved);
	assert_string_equal(a.fixed_in, "v1.4.2");
	assert_int_equal(a.total_count, 6);
	/* A signature that was never resolved is only known. */
	struct ps_hist_info b = record1(h, cl("bb02", 1, -1, -1));
	assert_int_equal(b.status, PS_HIST_NEW);
	b = record1(h, cl("bb02", 1, -1, -1));
	assert_int_equal(b.status, PS_HIST_KNOWN);

	/* The next run sees an open bug again: known, not regressed twice. */
	a = record1(h, cl("aa01", 1, -1, -1));
	assert_int_equal(a.status, PS_HIST_KNOWN);
	ps_hist_close(h);
	assert_int_equal(sql_int(t->db, "SELECT regressions FROM signature WHERE id='aa01'"), 1);

	/* Statuses survive closing: a new session knows both. */
	h = open_ok(t->db);
	a = record1(h, cl("AA01", 1, -1, -1));          /* ids are case-insensitive */
	assert_int_equal(a.status, PS_HIST_KNOWN);
	assert_int_equal(a.total_count, 8);
	ps_hist_close(h);
}

/* The same signature twice in one run: one status for both, counts summed. */
static void test_duplicate_in_one_run(void **state)
{
	struct tmp *t = *state;
	struct ps_error err = {0};
	ps_hist *h = open_ok(t->db);
	struct ps_hist_cluster c[3] = { cl("cc", 2, -1, -1), cl("dd", 1, -1, -1),
					cl("cc", 5, -1, -1) };
	struct ps_hist_info info[3];
	assert_int_equal(ps_hist_record(h, c, 3, info, &err), 0);
	assert_int_equal(info[0].status, PS_HIST_NEW);
	assert_int_equal(info[2].status, PS_HIST_NEW);
	assert_int_equal(info[2].total_count, 7);

	record1(h, cl("cc", 1, -1, -1));
	assert_int_equal(ps_hist_resolve(h, "cc", NULL, &err), 0);
	assert_int_equal(ps_hist_record(h, c, 3, info, &err), 0);
	assert_int_equal(info[0].status, PS_HIST_REGRESSED);
	assert_int_equal(info[2].status, PS_HIST_REGRESSED);
	assert_int_equal(info[1].status, PS_HIST_KNOWN);
	assert_null(info[0].fixed_in);
	ps_hist_close(h);
	assert_int_equal(sql_int(t->db, "SELECT regressions FROM signature WHERE id='cc'"), 1);
	assert_int_equal(sql_int(t->db, "SELECT count(*) FROM run"), 3);
}

/* first/last seen widen over runs; unknown (-1) never overwrites a time. */
struct seen_row {
	int64_t first, last;            /* this run's */
	int64_t want_first, want_last;  /* the db's after it */
};

static void test_seen_times(void **state)
{
	static const struct seen_row rows[] = {
		{ -1, -1, -1, -1 },
		{ 100, 200, 100, 200 },
		{ -1, -1, 100, 200 },
		{ 50, 150, 50, 200 },
		{ 120, 300, 50, 300 },
		{ 60, -1, 50, 300 },
	};
	struct tmp *t = *state;
	ps_hist *h = open_ok(t->db);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct ps_hist_info a = record1(h, cl("ee", 1, rows[i].first, rows[i].last));
		if (a.first_seen != rows[i].want_first || a.last_seen != rows[i].want_last)
			fail_msg("row %zu: got first %lld last %lld, expected %lld %lld", i,
				 (long long)a.first_seen, (long long)a.last_seen,
				 (long long)rows[i].want_first, (long long)rows[i].want_last);
	}
	ps_hist_close(h);
}

/* ---- capped lists ---- */

/* The lists test_lists_capped stored, read back through the API. */
static void check_lists_read_back(ps_hist *h)
{
	struct ps_error err = {0};
	/* Latest run's files first, in its order. */
	struct ps_hist_lists l;
	assert_int_equal(ps_hist_lists(h, "FF", &l, &err), 0);
	assert_int_equal(l.n_examples, PS_HIST_MAX_EXAMPLES);
	static const char *const want_ex[] = { "r2_0.log", "r2_1.log", "r2_2.log",
					       "r1_0.log", "r1_1.log" };
	for (size_t i = 0; i < l.n_examples; i++)
		assert_string_equal(l.examples[i], want_ex[i]);
	assert_int_equal(l.n_go_versions, PS_HIST_MAX_GO_VERSIONS);
	assert_string_equal(l.go_versions[0], "go1.0");
	/* A signature without lists has empty ones; an unknown id fails. */
	record1(h, cl("fe", 1, -1, -1));
	assert_int_equal(ps_hist_lists(h, "fe", &l, &err), 0);
	assert_int_equal(l.n_examples + l.n_go_versions, 0);
	assert_int_equal(ps_hist_lists(h, "f0", &l, &err), -1);
	assert_int_equal(err.code, PS_ERR_USAGE);
}

static void test_lists_capped(void **state)
{
	struct tmp *t = *state;
	struct ps_error err = {0};
	ps_hist *h = open_ok(t->db);
	/* room for any int: gcc -O1's -Wformat-truncation cannot see r < 3 */
	char names[3][8][32], vers[40][16];
	const char *ex[3][8], *gv[40];
	for (int r = 0; r < 3; r++)
		for (int i = 0; i < 8; i++) {
			snprintf(names[r][i], sizeof names[r][i], "r%d_%d.log", r, i);
			ex[r][i] = names[r][i];
		}
	for (int i = 0; i < 40; i++) {
		snprintf(vers[i], 16, "go1.%d", i);
		gv[i] = vers[i];
	}
	for (int r = 0; r < 3; r++) {
		struct ps_hist_cluster c = cl("ff", 1, -1, -1);
		c.examples = ex[r];
		c.n_examples = r == 0 ? 8 : 3;
		c.go_versions = gv;
		c.n_go_versions = r == 0 ? 3 : 40;     /* 3 first, then 37 more */
		struct ps_hist_info info;
		assert_int_equal(ps_hist_record(h, &c, 1, &info, &err), 0);
	}
	check_lists_read_back(h);
	ps_hist_close(h);
	assert_int_equal(sql_int(t->db, "SELECT count(*) FROM example"), PS_HIST_MAX_EXAMPLES);
	/* The latest run's files first, then the one before it's first ones. */
	assert_int_equal(sql_int(t->db, "SELECT count(*) FROM example WHERE path LIKE 'r2_%'"), 3);
	assert_int_equal(sql_int(t->db, "SELECT count(*) FROM example WHERE path IN"
				 " ('r1_0.log','r1_1.log')"), 2);
	assert_int_equal(sql_int(t->db, "SELECT count(*) FROM go_version"),
			 PS_HIST_MAX_GO_VERSIONS);
	/* The first versions seen are the ones kept. */
	assert_int_equal(sql_int(t->db, "SELECT count(*) FROM go_version WHERE version"
				 " IN ('go1.0','go1.1','go1.2','go1.31')"), 4);
	assert_int_equal(sql_int(t->db, "SELECT count(*) FROM go_version WHERE version"
				 " = 'go1.32'"), 0);
}

/* ---- id prefixes ---- */

struct prefix_row {
	const char *prefix;
	int want_rc;                    /* 0, or -1 with PS_ERR_USAGE */
	const char *want_note_of;       /* id whose note changes */
	const char *msg_part;           /* in the error message */
};

static void test_prefixes(void **state)
{
	static const struct prefix_row rows[] = {
		{ "abc12", 0, "abc123", NULL },
		{ "ABD", 0, "abd456", NULL },
		{ "ab", -1, NULL, "ambiguous" },
		{ "abc", -1, NULL, "ambiguous" },
		{ "abc1", 0, "abc1", NULL },       /* exact id wins over abc123 */
		{ "8", -1, NULL, "no signature '8'" },
		{ "9", 0, "9a", NULL },
		{ "abd4567", -1, NULL, "no signature" },
		{ "xyz", -1, NULL, "not a signature id" },
		{ "", -1, NULL, "not a signature id" },
		{ "f", 0, "f9", NULL },            /* the bound after 'f' is 'g' */
		{ "fa", -1, NULL, "no signature" },
	};
	struct tmp *t = *state;
	ps_hist *h = open_ok(t->db);
	const char *ids[] = { "abc123", "abd456", "abc1", "f9", "9a" };
	for (size_t i = 0; i < 5; i++)
		record1(h, cl(ids[i], 1, -1, -1));
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct ps_error err = {0};
		char text[32];
		snprintf(text, sizeof(text), "note %zu", i);
		int rc = ps_hist_note(h, rows[i].prefix, text, &err);
		if (rc != rows[i].want_rc)
			fail_msg("row %zu '%s': got %d (%s), expected %d", i, rows[i].prefix, rc,
				 err.msg, rows[i].want_rc);
		if (rc < 0) {
			assert_int_equal(err.code, PS_ERR_USAGE);
			if (!strstr(err.msg, rows[i].msg_part))
				fail_msg("row %zu: '%s' lacks '%s'", i, err.msg, rows[i].msg_part);
			continue;
		}
		struct ps_hist_info info;
		assert_int_equal(ps_hist_get(h, rows[i].want_note_of, &info, &err), 0);
		assert_string_equal(info.note, text);
	}
	/* An empty text clears the note; a failed call changed nothing. */
	struct ps_error err = {0};
	struct ps_hist_info info;
	assert_int_equal(ps_hist_note(h, "abd", "", &err), 0);
	assert_int_equal(ps_hist_get(h, "abd", &info, &err), 0);
	assert_null(info.note);
	assert_int_equal(ps_hist_resolve(h, "ab", "v2", &err), -1);
	assert_int_equal(ps_hist_get(h, "abc12", &info, &err), 0);
	assert_false(info.resolved);
	ps_hist_close(h);
}

/* ---- unusable files ---- */

struct bad_row {
	const char *name;
	void (*make)(const char *path);
	const char *msg_part;
};

static void write_bytes(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static void make_random(const char *path)
{
	unsigned char b[5000];
	uint32_t x = 12345;
	for (size_t i = 0; i < sizeof(b); i++) {
		x = x * 1103515245u + 12345u;
		b[i] = (unsigned char)(x >> 16);
	}
	write_bytes(path, b, sizeof(b));
}

static void make_text(const char *path)
{
	write_bytes(path, "goroutine 1 [running]:\n", 23);
}

/* A real history db with a few pages of rows. */
static void make_history(const char *path)
{
	struct ps_error err = {0};
	ps_hist *h = open_ok(path);
	static char ids[300][8];
	struct ps_hist_cluster c[300];
	struct ps_hist_info info[300];
	for (int i = 0; i < 300; i++) {
		snprintf(ids[i], sizeof(ids[i]), "%04x", i);
		c[i] = cl(ids[i], 1, -1, -1);
		c[i].title = "a title long enough to fill some pages of the signature table ......";
	}
	assert_int_equal(ps_hist_record(h, c, 300, info, &err), 0);
	ps_hist_close(h);
}

static void make_truncated_to(const char *path, off_t n)
{
	make_history(path);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_size > n);
	assert_int_equal(truncate(path, n), 0);
}

static void make_trunc_half(const char *path) { make_truncated_to(path, 16384); }
static void make_trunc_header(const char *path) { make_truncated_to(path, 60); }

static void make_foreign(const char *path)
{
	sql_exec(path, "CREATE TABLE users(name TEXT); INSERT INTO users VALUES ('x')");
}

static void make_foreign_appid(const char *path)
{
	ps_hist_close(open_ok(path));
	sql_exec(path, "PRAGMA application_id = 7");
}

static void make_newer(const char *path)
{
	ps_hist_close(open_ok(path));
	sql_exec(path, "UPDATE panicscope_schema SET version = version + 1");
}

static void make_two_versions(const char *path)
{
	ps_hist_close(open_ok(path));
	sql_exec(path, "INSERT INTO panicscope_schema VALUES (1)");
}

static void make_scribbled(const char *path)
{
	make_history(path);
	FILE *f = fopen(path, "r+b");
	assert_non_null(f);
	char junk[4096];
	memset(junk, 0x5a, sizeof(junk));
	assert_int_equal(fseek(f, 2 * 4096, SEEK_SET), 0);
	assert_int_equal(fwrite(junk, 1, sizeof(junk), f), sizeof(junk));
	assert_int_equal(fclose(f), 0);
}

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *buf = malloc(1 << 22);
	*n = fread(buf, 1, 1 << 22, f);
	fclose(f);
	return buf;
}

static bool exists(const char *path, const char *suffix)
{
	char p[256];
	snprintf(p, sizeof(p), "%.200s%s", path, suffix);
	return access(p, F_OK) == 0;
}

static void test_unusable_files_untouched(void **state)
{
	static const struct bad_row rows[] = {
		{ "random", make_random, "is not an SQLite database" },
		{ "text", make_text, "is not an SQLite database" },
		{ "truncated", make_trunc_half, "corrupt" },
		{ "truncated-header", make_trunc_header, "corrupt" },
		{ "scribbled", make_scribbled, "corrupt" },
		{ "foreign", make_foreign, "another program" },
		{ "foreign-appid", make_foreign_appid, "another program" },
		{ "newer", make_newer, "schema version 2" },
		{ "two-versions", make_two_versions, "corrupt" },
	};
	struct tmp *t = *state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char path[160];
		snprintf(path, sizeof(path), "%s/%s.db", t->dir, rows[i].name);
		rows[i].make(path);
		struct stat before, after;
		size_t n0, n1;
		assert_int_equal(stat(path, &before), 0);
		char *b0 = slurp(path, &n0);

		struct ps_error err = {0};
		ps_hist *h = ps_hist_open(path, &err);
		if (h)
			fail_msg("%s: opened", rows[i].name);
		assert_int_equal(err.code, PS_ERR_IO);
		if (!strstr(err.msg, rows[i].msg_part) || !strstr(err.msg, path) ||
		    strchr(err.msg, '\n'))
			fail_msg("%s: message '%s' lacks '%s' or the path", rows[i].name, err.msg,
				 rows[i].msg_part);
		assert_string_equal(err.file, path);

		char *b1 = slurp(path, &n1);
		assert_int_equal(stat(path, &after), 0);
		if (n0 != n1 || memcmp(b0, b1, n0) != 0 ||
		    before.st_mtim.tv_nsec != after.st_mtim.tv_nsec ||
		    before.st_mtim.tv_sec != after.st_mtim.tv_sec)
			fail_msg("%s: file changed", rows[i].name);
		if (exists(path, "-wal") || exists(path, "-shm") || exists(path, "-journal"))
			fail_msg("%s: left a journal file", rows[i].name);
		free(b0);
		free(b1);
	}
}

/* Writes a copy of GOOD with 64 bytes at OFF flipped to PATH and opens
 * it: refused (returns 1) leaving the file as it was, or opened and then
 * recorded into or refused cleanly (returns 0).  SQLite has no page
 * checksums, so flipped row contents can only be caught by the second
 * path's not crashing; flipped structure must be refused. */
static int open_damaged(const char *path, const char *good, size_t n0, size_t off)
{
	size_t n1;
	char *b = malloc(n0);
	memcpy(b, good, n0);
	for (size_t i = 0; i < 64 && off + i < n0; i++)
		b[off + i] = (char)(b[off + i] ^ (0x5a + i));
	write_bytes(path, b, n0);
	struct ps_error err = {0};
	ps_hist *h = ps_hist_open(path, &err);
	if (!h) {
		assert_int_equal(err.code, PS_ERR_IO);
		char *b1 = slurp(path, &n1);
		if (n1 != n0 || memcmp(b, b1, n0) != 0)
			fail_msg("offset %zu refused but changed", off);
		free(b1);
	} else {
		struct ps_hist_cluster c = cl("0001", 1, -1, -1);
		struct ps_hist_info info;
		int rc = ps_hist_record(h, &c, 1, &info, &err);
		assert_true(rc == 0 || err.code == PS_ERR_IO);
		ps_hist_close(h);
	}
	free(b);
	unlink(path);
	return h == NULL;
}

static void test_damage_sweep(void **state)
{
	struct tmp *t = *state;
	char path[160];
	size_t n0;
	make_history(t->db);
	char *good = slurp(t->db, &n0);
	int64_t page = sql_int(t->db, "PRAGMA page_size");
	snprintf(path, sizeof(path), "%s/damaged.db", t->dir);
	/* The file header and every b-tree page header. */
	for (size_t off = 0; off < n0; off += (size_t)page)
		if (!open_damaged(path, good, n0, off))
			fail_msg("page header at %zu damaged but opened", off);
	/* Anywhere at all: no crash, no change to a refused file. */
	for (size_t off = 100; off < n0; off += 997)
		open_damaged(path, good, n0, off);
	free(good);
}

/* The true side of the checks above: a missing or empty file becomes a
 * version-1 db marked as ours, in WAL mode, and reopening it is fine. */
static void test_fresh_and_empty_files(void **state)
{
	struct tmp *t = *state;
	char empty[160];
	snprintf(empty, sizeof(empty), "%s/empty.db", t->dir);
	write_bytes(empty, "", 0);
	const char *paths[] = { t->db, empty };
	for (int i = 0; i < 2; i++) {
		ps_hist_close(open_ok(paths[i]));
		ps_hist_close(open_ok(paths[i]));
		assert_int_equal(sql_int(paths[i], "SELECT version FROM panicscope_schema"),
				 ps_hist_schema_version());
		assert_int_equal(sql_int(paths[i], "SELECT count(*) FROM panicscope_schema"), 1);
		assert_int_equal(sql_int(paths[i], "PRAGMA application_id"), 0x50534831);
	}
	ps_hist *h = open_ok(t->db);
	record1(h, cl("ab", 1, -1, -1));
	/* WAL: while this session is open the -wal file exists. */
	assert_true(exists(t->db, "-wal"));
	ps_hist_close(h);
	struct ps_error err = {0};
	char missing_dir[200];
	snprintf(missing_dir, sizeof(missing_dir), "%s/no/such/dir.db", t->dir);
	assert_null(ps_hist_open(missing_dir, &err));
	assert_int_equal(err.code, PS_ERR_IO);
	assert_non_null(strstr(err.msg, "cannot open history db"));
	/* Not a regular file, or no file at all: refused before SQLite sees it. */
	static const struct { const char *path; enum ps_err code; const char *part; } odd[] = {
		{ "/dev/null", PS_ERR_IO, "not a regular file" },
		{ "/tmp", PS_ERR_IO, "not a regular file" },
		{ "", PS_ERR_USAGE, "needs a file name" },
		{ ":memory:", PS_ERR_USAGE, "needs a file name" },
	};
	for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
		memset(&err, 0, sizeof(err));
		if (ps_hist_open(odd[i].path, &err))
			fail_msg("'%s' opened", odd[i].path);
		assert_int_equal(err.code, odd[i].code);
		assert_non_null(strstr(err.msg, odd[i].part));
	}
}

/* ---- a failed run stores nothing ---- */

static void test_failed_run_stores_nothing(void **state)
{
	struct tmp *t = *state;
	struct ps_error err = {0};
	const char *ex[] = { "x.log" }, *gv[] = { "go1.26.8" };
	ps_hist *h = open_ok(t->db);
	record1(h, cl("a1", 4, 10, 20));
	ps_hist_close(h);
	/* A trigger makes the third cluster's insert fail, after the first two
	 * were written inside the run's transaction. */
	sql_exec(t->db, "CREATE TRIGGER boom BEFORE INSERT ON signature"
		 " WHEN NEW.id = 'dead' BEGIN SELECT RAISE(ABORT, 'forced failure'); END");
	h = open_ok(t->db);
	struct ps_hist_cluster c[3] = { cl("a1", 5, 1, 30), cl("b2", 1, -1, -1),
					cl("dead", 1, -1, -1) };
	c[0].examples = ex;
	c[0].n_examples = 1;
	c[0].go_versions = gv;
	c[0].n_go_versions = 1;
	struct ps_hist_info info[3];
	assert_int_equal(ps_hist_record(h, c, 3, info, &err), -1);
	assert_int_equal(err.code, PS_ERR_IO);
	assert_non_null(strstr(err.msg, "forced failure"));
	/* The session still works and sees the db as before the run. */
	struct ps_hist_info a;
	assert_int_equal(ps_hist_get(h, "a1", &a, &err), 0);
	assert_int_equal(a.total_count, 4);
	assert_int_equal(a.first_seen, 10);
	assert_int_equal(ps_hist_get(h, "b2", &a, &err), -1);
	ps_hist_close(h);
	/* A status no panicscope writes is reported, not passed on. */
	sql_exec(t->db, "UPDATE signature SET last_status = 7 WHERE id = 'a1'");
	h = open_ok(t->db);
	memset(&err, 0, sizeof(err));
	assert_int_equal(ps_hist_get(h, "a1", &a, &err), -1);
	assert_non_null(strstr(err.msg, "corrupt (status 7"));
	ps_hist_close(h);
	sql_exec(t->db, "UPDATE signature SET last_status = 1 WHERE id = 'a1'");
	assert_int_equal(sql_int(t->db, "SELECT count(*) FROM run"), 1);
	assert_int_equal(sql_int(t->db, "SELECT count(*) FROM example"), 0);
	assert_int_equal(sql_int(t->db, "SELECT count(*) FROM go_version"), 0);

	/* A bad cluster anywhere in the list: refused before anything is written. */
	h = open_ok(t->db);
	c[2] = cl("not hex!", 1, -1, -1);
	assert_int_equal(ps_hist_record(h, c, 3, info, &err), -1);
	assert_int_equal(err.code, PS_ERR_INTERNAL);
	ps_hist_close(h);
	assert_int_equal(sql_int(t->db, "SELECT count FROM signature WHERE id = 'a1'"), 4);
}

/* Another process holding the write lock past the timeout: a clear
 * "locked" error and nothing stored; once it lets go, the run succeeds. */
static void test_locked_db(void **state)
{
	struct tmp *t = *state;
	struct ps_error err = {0};
	ps_hist *h = open_ok(t->db);
	record1(h, cl("a1", 1, -1, -1));
	sqlite3 *other;
	assert_int_equal(sqlite3_open(t->db, &other), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	ps_hist_set_busy_timeout(h, 200);
	struct ps_hist_cluster c = cl("a1", 1, -1, -1);
	struct ps_hist_info info;
	assert_int_equal(ps_hist_record(h, &c, 1, &info, &err), -1);
	assert_int_equal(err.code, PS_ERR_IO);
	assert_non_null(strstr(err.msg, "locked by another process"));
	assert_int_equal(sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(other);
	info = record1(h, c);
	assert_int_equal(info.total_count, 2);
	ps_hist_close(h);
}

/* A newer panicscope migrating the db while this session has it open:
 * the next write refuses rather than writing the old shape into it. */
static void test_schema_changed_while_open(void **state)
{
	struct tmp *t = *state;
	struct ps_error err = {0};
	ps_hist *h = open_ok(t->db);
	record1(h, cl("a1", 1, -1, -1));
	sql_exec(t->db, "UPDATE panicscope_schema SET version = version + 1");
	struct ps_hist_cluster c = cl("a1", 1, -1, -1);
	struct ps_hist_info info;
	assert_int_equal(ps_hist_record(h, &c, 1, &info, &err), -1);
	assert_int_equal(err.code, PS_ERR_IO);
	assert_non_null(strstr(err.msg, "schema version 2"));
	assert_int_equal(ps_hist_note(h, "a1", "x", &err), -1);
	ps_hist_close(h);
	assert_int_equal(sql_int(t->db, "SELECT count FROM signature"), 1);
	assert_int_equal(sql_int(t->db, "SELECT count(*) FROM signature WHERE note IS NULL"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup_tmp, teardown_tmp)
		T(test_new_known_regressed),
		T(test_duplicate_in_one_run),
		T(test_seen_times),
		T(test_lists_capped),
		T(test_prefixes),
		T(test_unusable_files_untouched),
		T(test_damage_sweep),
		T(test_fresh_and_empty_files),
		T(test_failed_run_stores_nothing),
		T(test_locked_db),
		T(test_schema_changed_while_open),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* check.c - one fixture at a time: read, parse, report what the parser
 * noticed minus what the config allows, compare or write the golden;
 * directories are walked in byte order so output is the same anywhere. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_int.h"

#define GOLDEN_SUFFIX ".golden.json"

struct ps_check {
	struct ps_check_opts opts;
	struct ps_check_stats stats;
	ck_confs *confs;
	struct ps_arena scratch;        /* per fixture */
	struct ps_vec probs;            /* per fixture, struct ck_problem */
	ps_intern *done;                /* paths checked, so none twice */
};

ps_check *ps_check_new(const struct ps_check_opts *opts)
{
	ps_check *c = ps_xcalloc(1, sizeof(*c));
	c->opts = *opts;
	c->confs = ck_confs_new(opts, &c->stats.problems);
	ps_vec_init(&c->probs, sizeof(struct ck_problem));
	c->done = ps_intern_new();
	return c;
}

void ps_check_free(ps_check *c)
{
	if (!c)
		return;
	ck_confs_free(c->confs);
	ps_arena_release(&c->scratch);
	ps_vec_release(&c->probs);
	ps_intern_free(c->done);
	free(c);
}

const struct ps_check_stats *ps_check_stats(const ps_check *c)
{
	return &c->stats;
}

static void problem(ps_check *c, const char *file, unsigned long line, const char *msg)
{
	c->stats.problems++;
	if (c->opts.problem)
		c->opts.problem(c->opts.ctx, file, line, msg);
}

static void failed(ps_check *c, const struct ps_error *err)
{
	c->stats.unreadable++;
	if (c->opts.unreadable)
		c->opts.unreadable(c->opts.ctx, err);
}

static void unreadable(ps_check *c, const char *path, const char *what)
{
	struct ps_error err = { 0 };
	ps_error_set(&err, PS_ERR_IO, "cannot read '%s': %s", path, what);
	err.file = path;
	failed(c, &err);
}

/* The whole file, mapped (or NULL with *LEN 0 for an empty file). */
struct text {
	const char *s;
	size_t len;
	bool mapped;
};

static int read_text(ps_check *c, const char *path, struct text *t)
{
	struct stat st;
	/* O_NONBLOCK: a FIFO named as a fixture must not hang the hook */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	memset(t, 0, sizeof(*t));
	if (fd < 0 || fstat(fd, &st) != 0) {
		unreadable(c, path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		unreadable(c, path, "not a regular file");
		close(fd);
		return -1;
	}
	if (st.st_size > 0) {
		void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (m == MAP_FAILED) {
			unreadable(c, path, strerror(errno));
			close(fd);
			return -1;
		}
		t->s = m, t->len = (size_t)st.st_size, t->mapped = true;
	}
	close(fd);
	return 0;
}

static void drop_text(struct text *t)
{
	if (t->mapped)
		munmap((void *)t->s, t->len);
}

/* ---- goldens ---- */

static void write_golden(ps_check *c, const char *gpath, const char *cur, size_t len)
{
	struct ps_error err = { 0 };
	struct ps_out o;
	FILE *f = ps_out_open(&o, gpath, &err);
	if (!f) {
		failed(c, &err);
		return;
	}
	if (fwrite(cur, 1, len, f) != len) {
		ps_out_abort(&o);
		ps_error_set(&err, PS_ERR_IO, "cannot write '%s'", gpath);
		failed(c, &err);
		return;
	}
	if (ps_out_commit(&o, &err) < 0)
		failed(c, &err);
}

/* Compares the analysis CUR with the golden OLD: the first differing
 * field, or (same fields, other bytes) a request to rewrite it. */
static void compare_golden(ps_check *c, const char *gpath, const char *cur, size_t len,
			   const struct text *old)
{
	char msg[400];
	unsigned long line = 0;
	if (ck_json_diff(cur, len, old->s, old->len, &line, msg, sizeof(msg)) == 0)
		snprintf(msg, sizeof(msg), "same fields as the analysis but written "
			 "differently: rewrite it with --update");
	problem(c, gpath, line ? line : 1, msg);
}

static void golden(ps_check *c, const char *path, const struct ps_doc *doc)
{
	const char *gpath = ps_arena_printf(&c->scratch, "%s" GOLDEN_SUFFIX, path);
	struct ps_error err = { 0 };
	struct text old = { 0 };
	bool have = access(gpath, F_OK) == 0;
	char *cur = NULL;
	size_t len = 0;

	if (!have && !c->opts.update)
		return;
	if (ck_golden_render(doc, &cur, &len, &err) < 0) {
		problem(c, path, 1, err.msg);
		return;
	}
	c->stats.goldens++;
	if (have && read_text(c, gpath, &old) < 0)
		have = false;
	bool same = have && old.len == len && (!len || !memcmp(old.s, cur, len));
	if (c->opts.update && !same)
		write_golden(c, gpath, cur, len);
	else if (!c->opts.update && have && !same)
		compare_golden(c, gpath, cur, len, &old);
	drop_text(&old);
	free(cur);
}

/* ---- one fixture ---- */

static int by_line(const void *a, const void *b)
{
	const struct ck_problem *x = a, *y = b;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;  /* stable */
}

static void judge(ps_check *c, const char *path, const char *rel, const struct ck_conf *conf,
		  const char *base)
{
	struct ck_match m;
	ck_kinds seen = 0;
	ck_conf_match(conf, rel, base, &m);
	if (c->probs.len > 1)
		qsort(c->probs.data, c->probs.len, sizeof(struct ck_problem), by_line);
	for (size_t i = 0; i < c->probs.len; i++) {
		const struct ck_problem *p = ps_vec_at(&c->probs, i);
		seen |= 1u << p->kind;
		if (!(m.allow & (1u << p->kind)))
			problem(c, path, p->line, p->msg);
	}
	/* an expected kind that is not there: the fixture is not what its
	 * config says, so it would pass for the wrong reason */
	for (unsigned k = 0; k < CK_KIND__COUNT; k++)
		if (m.expect & ~seen & (1u << k)) {
			const char *msg = ps_arena_printf(&c->scratch,
				"expects %s in '%s', but the parser found none", ck_kind_name(k), rel);
			problem(c, conf->path, m.expect_rule[k]->line, msg);
		}
}

static void check_file(ps_check *c, const char *path, const char *dir, const char *base)
{
	const char *absdir;
	const struct ck_conf *conf = ck_conf_for(c->confs, dir, &absdir);
	const char *rel = absdir ? ck_conf_rel(conf, absdir, base, &c->scratch) : base;
	struct text t;

	if (read_text(c, path, &t) < 0)
		return;
	c->stats.files++;
	uint64_t before = c->stats.problems;
	ps_parser *p = ps_parse_new(NULL);
	ps_parse_set_source(p, path);   /* goldens leave it out (portable) */
	ps_parse_feed(p, t.s, t.len);
	ps_parse_end_input(p);
	struct ps_doc *doc = ps_parse_finish(p);
	ck_msg_collect(doc, t.s, t.len, &c->scratch, &c->probs);
	judge(c, path, rel, conf, base);
	golden(c, path, doc);
	c->stats.bad_files += c->stats.problems > before;
	ps_doc_free(doc);
	drop_text(&t);
	c->probs.len = 0;
	ps_arena_release(&c->scratch);
}

/* ---- paths and walking ---- */

static bool first_time(ps_check *c, const char *path)
{
	void **slot = ps_intern_slot(c->done, ps_intern_str(c->done, path, strlen(path)));
	if (*slot)
		return false;
	*slot = c;
	return true;
}

/* Splits PATH into its directory (in A) and base name. */
static const char *split(const char *path, const char **base, struct ps_arena *a)
{
	const char *slash = strrchr(path, '/');
	*base = slash ? slash + 1 : path;
	if (!slash)
		return ".";
	return slash == path ? "/" : ps_arena_strndup(a, path, (size_t)(slash - path));
}

/* Whether the config of DIR keeps BASE: never when excluded; files only
 * when INCLUDE is set and their name matches an include pattern. */
static bool wanted(ps_check *c, const char *dir, const char *base, bool include,
		   struct ps_arena *a)
{
	const char *absdir;
	const struct ck_conf *conf = ck_conf_for(c->confs, dir, &absdir);
	const char *rel = absdir ? ck_conf_rel(conf, absdir, base, a) : base;
	if (ck_conf_excluded(conf, rel, base))
		return false;
	return !include || ck_conf_included(conf, base);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk(ps_check *c, const char *dir)
{
	struct ps_arena a = { 0 };
	struct ps_vec names;
	struct dirent *e;
	DIR *d = opendir(dir);

	if (!d) {
		unreadable(c, dir, strerror(errno));
		return;
	}
	ps_vec_init(&names, sizeof(char *));
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			*(char **)ps_vec_push(&names) = ps_arena_strndup(&a, e->d_name,
									 strlen(e->d_name));
	closedir(d);
	qsort(names.data, names.len, sizeof(char *), by_name);
	size_t dl = strlen(dir);
	bool slash = dl && dir[dl - 1] == '/';
	for (size_t i = 0; i < names.len; i++) {
		const char *name = *(char **)ps_vec_at(&names, i);
		const char *path = ps_arena_printf(&a, "%s%s%s", dir, slash ? "" : "/", name);
		struct stat st;
		size_t nl = strlen(name), sl = strlen(GOLDEN_SUFFIX);
		if (lstat(path, &st) != 0)
			continue;               /* vanished while walking */
		if (S_ISDIR(st.st_mode)) {
			if (wanted(c, dir, name, false, &a))
				walk(c, path);
		} else if ((S_ISREG(st.st_mode) || (S_ISLNK(st.st_mode) &&
			    stat(path, &st) == 0 && S_ISREG(st.st_mode))) &&
			   !(nl > sl && !strcmp(name + nl - sl, GOLDEN_SUFFIX)) &&
			   wanted(c, dir, name, true, &a) && first_time(c, path)) {
			check_file(c, path, dir, name);
		}
	}
	ps_vec_release(&names);
	ps_arena_release(&a);
}

int ps_check_path(ps_check *c, const char *path)
{
	uint64_t before = c->stats.unreadable;
	struct ps_arena a = { 0 };
	struct stat st;
	size_t n = strlen(path), sl = strlen(GOLDEN_SUFFIX);
	const char *base, *dir;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		walk(c, path);
		return c->stats.unreadable > before ? -1 : 0;
	}
	if (n > sl && !strcmp(path + n - sl, GOLDEN_SUFFIX)) {
		/* a golden named alone (an edited one): check its fixture */
		const char *fixture = ps_arena_strndup(&a, path, n - sl);
		if (access(fixture, F_OK) != 0) {
			problem(c, path, 1, "golden without its fixture (no such file beside it)");
			ps_arena_release(&a);
			return 0;
		}
		path = fixture;
	}
	dir = split(path, &base, &a);
	if (wanted(c, dir, base, c->opts.filter, &a) && first_time(c, path))
		check_file(c, path, dir, base);
	ps_arena_release(&a);
	return c->stats.unreadable > before ? -1 : 0;
}

/* conf.c - .panicscope-check files: which names a walk keeps and which
 * damage is on purpose.  Each file is read once; each directory's
 * governing config is looked up once (memoised in interning tables). */
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check_int.h"

#define CK_CONF_NAME ".panicscope-check"
#define CK_CONF_MAX (1u << 20)  /* a config is a few lines; refuse more */

static const char *const default_include[] = { "*.log", "*.txt", "*.panic", "*.trace" };

struct ck_confs {
	ps_intern *by_abs;      /* absolute dir -> const struct ck_conf * */
	ps_intern *by_dir;      /* dir as given -> its absolute path */
	struct ck_conf defaults;
	struct ps_arena arena;  /* configs and their strings */
	struct ps_check_opts opts;
	char *cwd;              /* absolute, to name configs relative to it */
	uint64_t *problems;     /* the check's count: config mistakes fail it */
};

const char *ck_kind_name(unsigned kind)
{
	return kind == CK_NO_DUMP ? "no_dump" : kind == CK_MORE_REPAIRS ? "more_repairs"
		: ps_repair_kind_name(kind);
}

ck_confs *ck_confs_new(const struct ps_check_opts *opts, uint64_t *problems)
{
	ck_confs *cs = ps_xcalloc(1, sizeof(*cs));
	cs->problems = problems;
	cs->by_abs = ps_intern_new();
	cs->by_dir = ps_intern_new();
	cs->opts = *opts;
	cs->cwd = realpath(".", NULL);
	cs->defaults.path = "";
	cs->defaults.dir = "/";
	cs->defaults.include = (const char **)default_include;
	cs->defaults.n_include = sizeof(default_include) / sizeof(default_include[0]);
	return cs;
}

void ck_confs_free(ck_confs *cs)
{
	if (!cs)
		return;
	ps_intern_free(cs->by_abs);
	ps_intern_free(cs->by_dir);
	ps_arena_release(&cs->arena);
	free(cs->cwd);
	free(cs);
}

/* ---- parsing one file ---- */

struct conf_parse {
	ck_confs *cs;
	struct ck_conf *c;
	struct ps_vec include, exclude, rules;
	long section;           /* index of the current [section], -1 before */
	unsigned line;
};

static void conf_problem(struct conf_parse *cp, const char *fmt, const char *what)
{
	char msg[320];
	snprintf(msg, sizeof(msg), fmt, what);
	(*cp->cs->problems)++;
	if (cp->cs->opts.problem)
		cp->cs->opts.problem(cp->cs->opts.ctx, cp->c->path, cp->line, msg);
}

static int kind_of(const char *w, size_t n)
{
	char name[32];
	if (n >= sizeof(name))
		return -1;
	for (size_t i = 0; i < n; i++)
		name[i] = w[i] == '-' ? '_' : (char)tolower((unsigned char)w[i]);
	name[n] = 0;
	for (unsigned k = 0; k < CK_KIND__COUNT; k++)
		if (!strcmp(name, ck_kind_name(k)))
			return (int)k;
	return -1;
}

/* Calls ONE for each word of V (separated by blanks or commas). */
static void words(struct conf_parse *cp, const char *v,
		  void (*one)(struct conf_parse *, const char *, size_t, void *), void *arg)
{
	while (*v) {
		while (*v == ',' || isspace((unsigned char)*v))
			v++;
		size_t n = strcspn(v, ", \t");
		if (n)
			one(cp, v, n, arg);
		v += n;
	}
}

static void add_kind(struct conf_parse *cp, const char *w, size_t n, void *arg)
{
	int k = kind_of(w, n);
	if (k < 0) {
		char tmp[64];
		snprintf(tmp, sizeof(tmp), "%.*s", (int)(n < 40 ? n : 40), w);
		conf_problem(cp, "unknown kind '%s' (spaces_for_tab, wrapped, crlf, "
			     "bad_location, unknown_line, truncated, duplicate_id, number_overflow, "
			     "no_dump, more_repairs)", tmp);
		return;
	}
	*(ck_kinds *)arg |= 1u << k;
}

static void add_pattern(struct conf_parse *cp, const char *w, size_t n, void *arg)
{
	*(const char **)ps_vec_push(arg) = ps_arena_strndup(&cp->cs->arena, w, n);
}

/* Starts a rule for PAT; returns its index (the vector may move). */
static size_t new_rule(struct conf_parse *cp, const char *pat, size_t n)
{
	struct ck_rule *r = ps_vec_push(&cp->rules);
	r->pattern = ps_arena_strndup(&cp->cs->arena, pat, n);
	r->line = cp->line;
	return cp->rules.len - 1;
}

static void conf_line(struct conf_parse *cp, char *s)
{
	char *hash = strchr(s, '#');
	if (hash && (hash == s || isspace((unsigned char)hash[-1])))
		*hash = 0;
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = 0;
	if (!n)
		return;
	if (s[0] == '[') {
		if (s[n - 1] != ']' || n < 3) {
			conf_problem(cp, "'%s' is not a [PATTERN] section", s);
			return;
		}
		cp->section = (long)new_rule(cp, s + 1, n - 2);
		return;
	}
	char *colon = strchr(s, ':');
	if (!colon) {
		conf_problem(cp, "'%s' is not 'key: value' (include, exclude, allow, expect)", s);
		return;
	}
	*colon = 0;
	const char *v = colon + 1;
	if (!strcmp(s, "allow") || !strcmp(s, "expect")) {
		/* at the top level: a rule for every file */
		size_t i = cp->section >= 0 ? (size_t)cp->section : new_rule(cp, "*", 1);
		struct ck_rule *r = ps_vec_at(&cp->rules, i);
		if (s[0] == 'e')
			r->line = cp->line;     /* where a missing kind is reported */
		words(cp, v, add_kind, s[0] == 'a' ? &r->allow : &r->expect);
	} else if (!strcmp(s, "include") || !strcmp(s, "exclude")) {
		if (cp->section >= 0) {
			conf_problem(cp, "'%s' belongs before the first [PATTERN] section", s);
			return;
		}
		words(cp, v, add_pattern, s[0] == 'i' ? &cp->include : &cp->exclude);
	} else {
		conf_problem(cp, "unknown key '%s' (include, exclude, allow, expect)", s);
	}
}

/* Reads PATH (a .panicscope-check in ABSDIR) into a new config. */
static struct ck_conf *conf_read(ck_confs *cs, const char *path, const char *absdir)
{
	struct ck_conf *c = ps_arena_calloc(&cs->arena, sizeof(*c));
	struct conf_parse cp = { .cs = cs, .c = c, .section = -1 };
	c->path = ps_arena_strndup(&cs->arena, path, strlen(path));
	c->dir = absdir;
	ps_vec_init(&cp.include, sizeof(const char *));
	ps_vec_init(&cp.exclude, sizeof(const char *));
	ps_vec_init(&cp.rules, sizeof(struct ck_rule));

	FILE *f = fopen(path, "re");
	if (!f) {
		conf_problem(&cp, "cannot read this config: %s", strerror(errno));
	} else {
		char *buf = NULL;
		size_t cap = 0, total = 0;
		ssize_t n;
		while ((n = getline(&buf, &cap, f)) >= 0 && total <= CK_CONF_MAX) {
			total += (size_t)n;
			cp.line++;
			conf_line(&cp, buf);
		}
		if (total > CK_CONF_MAX)
			conf_problem(&cp, "config longer than %s bytes: the rest is ignored", "1 MiB");
		free(buf);
		fclose(f);
	}
	if (cp.include.len) {
		c->include = ps_vec_finish(&cp.include, &cs->arena, &c->n_include);
	} else {
		c->include = cs->defaults.include;
		c->n_include = cs->defaults.n_include;
	}
	c->exclude = ps_vec_finish(&cp.exclude, &cs->arena, &c->n_exclude);
	c->rules = ps_vec_finish(&cp.rules, &cs->arena, &c->n_rules);
	for (size_t i = 0; i < c->n_rules; i++)
		c->rules[i].allow |= c->rules[i].expect;
	ps_vec_release(&cp.include);
	ps_vec_release(&cp.exclude);
	ps_vec_release(&cp.rules);
	return c;
}

static bool exists(const char *dir, const char *name, bool *is_dir)
{
	char p[PATH_MAX];
	struct stat st;
	if ((size_t)snprintf(p, sizeof(p), "%s/%s", dir, name) >= sizeof(p))
		return false;
	if (stat(p, &st) != 0)
		return false;
	if (is_dir)
		*is_dir = S_ISDIR(st.st_mode);
	return true;
}

/* Reads the .panicscope-check of absolute directory ABS, naming it
 * relative to the working directory when it lies below it. */
static const struct ck_conf *conf_here(ck_confs *cs, const char *abs)
{
	char path[PATH_MAX];
	size_t n = strlen(abs), cn = cs->cwd ? strlen(cs->cwd) : 0;
	const char *shown = abs;
	if (cn > 1 && !strncmp(abs, cs->cwd, cn) && (abs[cn] == '/' || !abs[cn]))
		shown = abs[cn] ? abs + cn + 1 : "";
	snprintf(path, sizeof(path), "%s%s%s", n > 1 ? shown : "",
		 *shown && n > 1 ? "/" : n > 1 ? "" : "/", CK_CONF_NAME);
	return conf_read(cs, path, abs);
}

/* The config for absolute directory ABS (interned in by_abs): its own
 * file, else the nearest above, stopping at a repository root or "/".
 * A loop, not recursion: paths can be thousands of levels deep.  Every
 * directory passed on the way is memoised with the answer. */
static const struct ck_conf *conf_at(ck_confs *cs, const char *abs)
{
	struct ps_vec passed;
	const struct ck_conf *c;
	const char *d = abs;
	bool is_dir;

	ps_vec_init(&passed, sizeof(const char *));
	for (;;) {
		void *known = *ps_intern_slot(cs->by_abs, d);
		if (known) {
			c = known;
			break;
		}
		*(const char **)ps_vec_push(&passed) = d;
		size_t n = strlen(d);
		if (exists(d, CK_CONF_NAME, &is_dir) && !is_dir) {
			c = conf_here(cs, d);
			break;
		}
		if (n <= 1 || exists(d, ".git", NULL)) {
			c = &cs->defaults;
			break;
		}
		const char *slash = strrchr(d, '/');
		d = ps_intern_str(cs->by_abs, d, slash == d ? 1 : (size_t)(slash - d));
	}
	for (size_t i = 0; i < passed.len; i++)
		*ps_intern_slot(cs->by_abs, *(const char **)ps_vec_at(&passed, i)) = (void *)c;
	ps_vec_release(&passed);
	return c;
}

const struct ck_conf *ck_conf_for(ck_confs *cs, const char *dir, const char **absdir)
{
	if (!*dir)
		dir = ".";
	const char *key = ps_intern_str(cs->by_dir, dir, strlen(dir));
	void **slot = ps_intern_slot(cs->by_dir, key);
	if (!*slot) {
		char *abs = realpath(dir, NULL);
		*slot = abs ? (void *)ps_intern_str(cs->by_abs, abs, strlen(abs)) : (void *)"";
		free(abs);
	}
	*absdir = *(const char *)*slot ? *slot : NULL;
	return *absdir ? conf_at(cs, *absdir) : &cs->defaults;
}

const char *ck_conf_rel(const struct ck_conf *c, const char *absdir, const char *base,
			struct ps_arena *a)
{
	size_t n = strlen(c->dir);
	const char *rest = absdir;
	if (!strncmp(absdir, c->dir, n) && (absdir[n] == '/' || !absdir[n]))
		rest = absdir + n + (absdir[n] == '/');
	if (n == 1)                     /* the config sits in "/" */
		rest = absdir + 1;
	return *rest ? ps_arena_printf(a, "%s/%s", rest, base) : base;
}

static bool pattern_hits(const char *pat, const char *rel, const char *base)
{
	return strchr(pat, '/') ? fnmatch(pat, rel, FNM_PATHNAME | FNM_PERIOD) == 0
				: fnmatch(pat, base, FNM_PERIOD) == 0;
}

bool ck_conf_excluded(const struct ck_conf *c, const char *rel, const char *base)
{
	for (size_t i = 0; i < c->n_exclude; i++)
		if (pattern_hits(c->exclude[i], rel, base))
			return true;
	return false;
}

bool ck_conf_included(const struct ck_conf *c, const char *base)
{
	for (size_t i = 0; i < c->n_include; i++)
		if (fnmatch(c->include[i], base, FNM_PERIOD) == 0)
			return true;
	return false;
}

void ck_conf_match(const struct ck_conf *c, const char *rel, const char *base,
		   struct ck_match *m)
{
	memset(m, 0, sizeof(*m));
	for (size_t i = 0; i < c->n_rules; i++) {
		const struct ck_rule *r = &c->rules[i];
		if (!pattern_hits(r->pattern, rel, base))
			continue;
		m->allow |= r->allow;
		m->expect |= r->expect;
		for (unsigned k = 0; k < CK_KIND__COUNT; k++)
			if (r->expect & (1u << k) && !m->expect_rule[k])
				m->expect_rule[k] = r;
	}
}

/* check_int.h - internals of ps_check, shared by its modules (prefix ck_). */
#ifndef CHECK_INT_H
#define CHECK_INT_H

#include "ps_check.h"
#include "ps_parse.h"

/* What a config can allow or expect: the parser's repair kinds, then the
 * checks of `check` itself. */
enum {
	CK_NO_DUMP = PS_REPAIR__COUNT,  /* no complete Go dump in the file */
	CK_MORE_REPAIRS,                /* repairs past the parser's cap */
	CK_KIND__COUNT
};
typedef uint32_t ck_kinds;              /* bit per kind */
const char *ck_kind_name(unsigned kind);

/* ---- conf.c: .panicscope-check files ---- */

struct ck_rule {
	const char *pattern;    /* fnmatch; with '/': the path relative to the
				   config's directory, else the base name */
	ck_kinds allow, expect; /* expect implies allow */
	unsigned line;          /* its section, or its last expect: line */
};

struct ck_conf {
	const char *path;       /* the file, as "DIR/.panicscope-check"; ""
				   for the built-in defaults */
	const char *dir;        /* its absolute directory */
	const char **include;   /* base-name patterns walked directories keep */
	size_t n_include;
	const char **exclude;   /* paths never checked (as rule patterns) */
	size_t n_exclude;
	struct ck_rule *rules;
	size_t n_rules;
};

/* The verdict of one config for one file. */
struct ck_match {
	ck_kinds allow, expect;
	const struct ck_rule *expect_rule[CK_KIND__COUNT];  /* who expects it */
};

typedef struct ck_confs ck_confs;
/* OPTS->problem reports mistakes in config files (once per file), each
 * counted in *PROBLEMS. */
ck_confs *ck_confs_new(const struct ps_check_opts *opts, uint64_t *problems);
void ck_confs_free(ck_confs *cs);
/* The config governing files in directory DIR (as given, "" = "."):
 * the nearest .panicscope-check in DIR or above it, not above the
 * repository root (a directory holding .git); else the defaults.  Sets
 * *ABSDIR to DIR's absolute path (NULL when DIR cannot be resolved). */
const struct ck_conf *ck_conf_for(ck_confs *cs, const char *dir,
				  const char **absdir);
/* REL: the file's path relative to C's directory; BASE: its base name. */
bool ck_conf_excluded(const struct ck_conf *c, const char *rel, const char *base);
bool ck_conf_included(const struct ck_conf *c, const char *base);
void ck_conf_match(const struct ck_conf *c, const char *rel, const char *base,
		   struct ck_match *m);
/* REL of the file named BASE in ABSDIR, relative to C's directory. */
const char *ck_conf_rel(const struct ck_conf *c, const char *absdir,
			const char *base, struct ps_arena *a);

/* ---- json.c: a minimal JSON reader and a field-by-field comparison ---- */

/* Compares CUR (the current analysis) with GOLD (the golden's bytes).
 * Returns 0 when equal; 1 with *LINE (line in GOLD) and MSG filled at the
 * first difference ("dumps[0].goroutines[3].frames[0].func is \"x\" now,
 * \"y\" in the golden"); -1 when GOLD is not JSON (MSG says why, *LINE
 * where). */
int ck_json_diff(const char *cur, size_t cur_len, const char *gold, size_t gold_len,
		 unsigned long *line, char *msg, size_t msg_size);

/* ---- golden.c ---- */

/* The golden analysis of DOC: the JSON report with no machine-specific
 * key.  Malloc'd in *OUT, length *LEN; 0, or -1 with ERR filled. */
int ck_golden_render(const struct ps_doc *doc, char **out, size_t *len,
		     struct ps_error *err);

/* ---- msg.c: what the parser noticed, as one-line messages ---- */

struct ck_problem {
	uint32_t line;
	uint8_t kind;           /* CK kind, for allow/expect */
	uint32_t seq;           /* order found, to sort stably */
	char *msg;              /* from the check's scratch arena */
};

/* Appends to PROBS (a vec of ck_problem) every sign of damage in DOC,
 * parsed from TEXT[0..LEN), in line order. */
void ck_msg_collect(const struct ps_doc *doc, const char *text, size_t len,
		    struct ps_arena *a, struct ps_vec *probs);

#endif

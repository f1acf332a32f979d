/*
 * report_int.h - private pieces shared by the report writers.
 *
 * ps_report_write() first turns each dump into a struct rp_dump: the
 * goroutines that pass the -m/-x filters, their groups (ordered for
 * display), findings, path-shortening rules and the argument-decoding
 * decision.  The four writers (json.c, text.c, html.c, markdown.c) only
 * read that analysis; none of them loops over goroutines more than once.
 */
#ifndef PS_REPORT_INT_H
#define PS_REPORT_INT_H

#include <string.h>

#include "ps_report.h"

/* ---- growable byte buffer (buf.c) ---------------------------------- */

struct rp_buf {
	char *p;
	size_t len, cap;
};
void rp_buf_grow(struct rp_buf *b, size_t more);   /* room for MORE + NUL */

/* The hot paths of every writer: inline, one check for room. */
static inline void rp_buf_add(struct rp_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap)
		rp_buf_grow(b, n);
	if (n)
		memcpy(b->p + b->len, s, n);
	b->len += n;
}

static inline void rp_buf_addc(struct rp_buf *b, char c)
{
	if (b->len + 2 > b->cap)
		rp_buf_grow(b, 1);
	b->p[b->len++] = c;
}

static inline void rp_buf_puts(struct rp_buf *b, const char *s)
{
	rp_buf_add(b, s, strlen(s));
}

/* Decimal and "0x" hex numbers without printf. */
void rp_buf_u64(struct rp_buf *b, uint64_t v);
void rp_buf_i64(struct rp_buf *b, int64_t v);
void rp_buf_hex(struct rp_buf *b, uint64_t v);
void rp_buf_printf(struct rp_buf *b, const char *fmt, ...) PS_PRINTF(2, 3);
const char *rp_buf_cstr(struct rp_buf *b);     /* NUL-ends, keeps len */
void rp_buf_release(struct rp_buf *b);
/* Writes B to F and empties it once it holds more than 64 KiB (F NULL:
 * keeps accumulating), so writers stream without holding the report. */
void rp_buf_spill(struct rp_buf *b, FILE *f);
/* Writes all of B to F and empties it. */
void rp_buf_flush(struct rp_buf *b, FILE *f);

/* ---- escaping (escape.c) -------------------------------------------- */

enum rp_json_flags {
	RP_JSON_HTML = 1 << 0,  /* also escape < > & U+2028 U+2029 (<script>) */
};
/* Writes S[0..N) as a JSON string literal with quotes.  Invalid UTF-8
 * bytes become U+FFFD so the output is valid JSON for any input. */
void rp_json_str(struct rp_buf *b, const char *s, size_t n, unsigned flags);
void rp_json_cstr(struct rp_buf *b, const char *s, unsigned flags); /* NULL -> null */
/* HTML text/attribute escaping (& < > " '). */
void rp_html_str(struct rp_buf *b, const char *s, size_t n);
/* Terminal-safe text: control bytes (ESC included) shown as \xNN, so a
 * log cannot drive the user's terminal. */
void rp_text_str(struct rp_buf *b, const char *s, size_t n);
/* Go-style quoted string, at most MAX bytes of S then "...". */
void rp_quote_str(struct rp_buf *b, const char *s, size_t n, size_t max);
/* Display width of UTF-8 text S[0..N) (code points, not bytes). */
size_t rp_width(const char *s, size_t n);

/* ---- frame classes and paths (paths.c) ------------------------------ */

enum rp_class {
	RP_USER,        /* the program's own code */
	RP_DEP,         /* module cache, vendor/, C code */
	RP_STD,         /* GOROOT: runtime and standard library */
};

struct rp_paths {
	const char *goroot;     /* ".../go" (no trailing /src/), or NULL */
	size_t goroot_len;
	const char *common;     /* directory prefix shared by user files */
	size_t common_len;
};

void rp_paths_find_goroot(struct rp_paths *p, const struct ps_dump *d);
enum rp_class rp_frame_class(const struct rp_paths *p, const char *func,
			     const char *file, enum ps_frame_kind kind);
/* Adds FILE (a user file) to the common-prefix computation. */
void rp_paths_add_user(struct rp_paths *p, const char *file);
/* The display form of FILE (a suffix of FILE, or FILE itself). */
const char *rp_short_path(const struct rp_paths *p, const char *file,
			  enum rp_class cls);
/* Length of the package part of a Go function name ("net/http" for
 * "net/http.(*conn).serve"). */
size_t rp_func_pkg_len(const char *func);

/* ---- filters (filter.c) --------------------------------------------- */

typedef struct rp_filter rp_filter;
/* Compiles MATCH and EXCLUDE (either may be NULL).  NULL with ERR filled
 * on a bad pattern; a filter with neither pattern is still returned. */
rp_filter *rp_filter_new(const char *match, const char *exclude,
			 struct ps_error *err);
/* true when G passes: matches MATCH (if any) and not EXCLUDE (if any). */
bool rp_filter_pass(rp_filter *f, const struct ps_goroutine *g);
bool rp_filter_active(const rp_filter *f);
void rp_filter_free(rp_filter *f);

/* ---- groups and findings (group.c, findings.c) ---------------------- */

struct rp_group {
	const struct ps_goroutine *rep;         /* first member; its frames shown */
	const struct ps_goroutine **members;    /* in dump order */
	size_t n_members;
	uint64_t count;         /* goroutines (pprof debug=1 counts added) */
	int wait_min, wait_max; /* -1 when no member printed minutes */
	size_t locked;          /* members locked to a thread */
	bool crashed;
	bool extra_same;        /* every member printed the rep's header_extra
				   (labels), so the group header shows it */
	enum rp_class cls;      /* the most "user" class among its frames */
	bool *args_same;        /* per rep frame: every member printed same args */
	uint64_t *arg_mask;     /* per rep frame: bit K set when every member
				   printed the same K-th top-level argument
				   (arguments from the 64th on share bit 63) */
	size_t first;           /* index of the rep in the dump: stable order */
};

enum rp_finding_kind {
	RP_FIND_LEAK,
	RP_FIND_DEADLOCK,
	RP_FIND_MUTEX,
	RP_FIND_MAP,
	RP_FIND_TEST,           /* go test timeout: where each running test waits */
};
const char *rp_finding_name(enum rp_finding_kind k);

struct rp_finding {
	enum rp_finding_kind kind;
	const char *message;                    /* one line, in the dump arena */
	const struct rp_group *group;           /* the group concerned, or NULL */
	const struct ps_frame *site;            /* where it waits, or NULL */
	const struct ps_goroutine *other;       /* holder / other writer, or NULL */
	const struct ps_frame *other_site;
};

struct rp_dump {
	const struct ps_dump *dump;
	const struct ps_goroutine **gs;         /* passing the filters */
	size_t n_gs;
	uint64_t n_goroutines;                  /* sum of counts of gs */
	size_t n_filtered_out;
	struct rp_group *groups;                /* display order */
	size_t n_groups;
	struct rp_finding *findings;
	size_t n_findings;
	struct rp_paths paths;
	enum ps_arg_format fmt;                 /* resolved */
	bool decode;                            /* decode args with the binary */
	const char *mismatch;                   /* binary/dump mismatch, or NULL */
	size_t n_undecoded;                     /* user frames the binary lacks */
	const char *first_undecoded;            /* the first such function */
	struct ps_arena arena;                  /* groups, findings, decoded args */
};

/* Groups D->gs per OPTS (exact or not) into D->groups, ordered. */
void rp_group_dump(struct rp_dump *d, bool exact);
/* The directory prefix shared by the user files that will be shown
 * (group representatives, or every goroutine with ALL). */
void rp_common_prefix(struct rp_dump *d, bool all);
/* Fills D->findings from the groups. */
void rp_find(struct rp_dump *d);
/* "1-5,7,9-12" for sorted-or-not ids; at most MAX ranges then ",…+N". */
void rp_id_ranges(struct rp_buf *b, const struct ps_goroutine *const *gs,
		  size_t n, size_t max);
/* The frame to name a goroutine by: its first user frame, else its first
 * dependency frame, else its entry function (last frame before goexit). */
const struct ps_frame *rp_site(const struct rp_paths *p,
			       const struct ps_goroutine *g);
/* What of a goroutine header's extras to show: everything with ALL,
 * else only its labels ("labels:{...}" in Go 1.26, "{...}" in 1.27),
 * as gp=/m= differ between goroutines.  NULL: nothing. */
const char *rp_header_labels(const char *extra, bool all);
/* true if a state is a blocking wait (not running/runnable/syscall...). */
bool rp_state_blocked(const char *state);

/* ---- the context handed to writers ---------------------------------- */

struct rp_ctx {
	const struct ps_doc *doc;
	const struct ps_report_opts *opts;
	struct rp_dump *dumps;
	size_t n_dumps;
	size_t n_filtered_out;                  /* over all dumps */
};

/* Decodes FRAME's args for D into OUT from ARENA; false when the report
 * shows raw args (no binary, mismatch, or unknown function). */
bool rp_decode(const struct rp_ctx *c, struct rp_dump *d,
	       const struct ps_frame *f, struct ps_arena *arena,
	       struct ps_abi_frame *out);
/* One-line rendering of decoded args: `slice []string len=2 cap=4`. */
void rp_abi_args_text(struct rp_buf *b, const struct ps_abi_frame *af);
/* The same, with "name=…" for arguments whose printed words are not all
 * in MASK (top-level items as rp_args_agree numbers them; WORDS: the
 * Go <= 1.16 format, one item per word). */
void rp_abi_args_text_masked(struct rp_buf *b, const struct ps_abi_frame *af,
			     uint64_t mask, bool words);

/* ---- printed argument lists as top-level items (args.c) ---- */

/* Bit K set when the K-th top-level items of A and B are equal. */
uint64_t rp_args_agree(const char *a, size_t an, const char *b, size_t bn);
/* A printed argument list with the items not in MASK shown as "…". */
void rp_args_masked(struct rp_buf *out, const char *s, size_t n, uint64_t mask);

/* The JSON "args" array of decoded arguments (ARG objects of CONTRACT.md). */
void rp_json_abi_args(struct rp_buf *b, const struct ps_abi_frame *af);

int rp_write_json(FILE *out, const struct rp_ctx *c);
int rp_write_text(FILE *out, const struct rp_ctx *c);
int rp_write_markdown(FILE *out, const struct rp_ctx *c);
int rp_write_html(FILE *out, const struct rp_ctx *c);

#endif

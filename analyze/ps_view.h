/*
 * ps_view.h - the analysis of one crash dump, worked out once and read by
 * every presentation (the four report writers, triage, check).
 *
 *	struct ps_error err = { 0 };
 *	struct ps_view_opts o = { .abi = abi };        // zero: defaults
 *	ps_view *v = ps_view_build(doc, i, &o, &err);  // dump i of doc
 *	if (!v) ... err.msg (bad -m/-x pattern) ...
 *	const struct ps_goroutine *g = ps_view_crashed(v);
 *	...
 *	ps_view_free(v);
 *
 * A view holds, for one dump: the goroutines that pass the -m/-x
 * filters, their groups in display order, the crashed goroutine, the
 * class of every frame (the program's code, a dependency, the standard
 * library), the findings, the headline lines, every frame's decoded
 * arguments (through one decode context per dump) and the warnings, each
 * stated once.  Writers format it; none of them decides anything.
 *
 * Everything a view returns is read-only and lives until ps_view_free;
 * goroutines and frames point into DOC, which must outlive the view.
 */
#ifndef PS_VIEW_H
#define PS_VIEW_H

#include "ps_abi.h"
#include "ps_base.h"
#include "ps_parse.h"

typedef struct ps_view ps_view;

struct ps_view_opts {
	bool all;                     /* --all: paths judged over every goroutine */
	bool group_exact;             /* --group exact: reliable small args split */
	/* -m/-x: PCRE2 patterns (multi-line mode) matched against each
	 * goroutine as text: "goroutine ID [STATE]\n", then one line
	 * "FUNC(ARGS) FILE:LINE" per frame and "created by FUNC FILE:LINE".
	 * Kept: matches MATCH (if set) and not EXCLUDE (if set). */
	const char *match;
	const char *exclude;
	ps_abi *abi;                  /* NULL: no decoding */
	enum ps_arg_format arg_format;/* requested --arg-format */
	bool trust_binary;            /* decode despite a line-table mismatch */
	/* Threads that group a large dump's goroutines (0 or 1: the calling
	 * thread alone), each a share of at least SPLIT_MIN of them (0: the
	 * default, 16,384; tests cut every dump with 1).  The view is the
	 * same for every count. */
	unsigned jobs;
	size_t split_min;
};

/* Builds the view of DOC->dumps[INDEX].  NULL with ERR filled on a bad
 * pattern (PS_ERR_BAD_REGEX) or an INDEX out of range (PS_ERR_USAGE).
 * A binary that does not match the dump is not an error: it is a
 * warning, and arguments stay undecoded unless OPTS->trust_binary. */
ps_view *ps_view_build(const struct ps_doc *doc, size_t index,
		       const struct ps_view_opts *opts, struct ps_error *err)
	PS_WUR;
/* The same for dump D of DOC, which need not be in DOC->dumps (a dump
 * handed out by ps_parse_opts.on_dump); D must outlive the view. */
ps_view *ps_view_build_dump(const struct ps_doc *doc, const struct ps_dump *d,
			    const struct ps_view_opts *opts, struct ps_error *err)
	PS_WUR;
void ps_view_free(ps_view *v);

const struct ps_dump *ps_view_dump(const ps_view *v);

/* ---- goroutines ---------------------------------------------------- */

/* The goroutines that passed the filters, in dump order. */
const struct ps_goroutine *const *ps_view_goroutines(const ps_view *v, size_t *n);
uint64_t ps_view_goroutine_count(const ps_view *v);   /* pprof counts summed */
size_t ps_view_filtered_out(const ps_view *v);
/* The goroutine that panicked or faulted, or NULL (SIGQUIT, profiles,
 * or filtered out). */
const struct ps_goroutine *ps_view_crashed(const ps_view *v);

/* ---- frame classes and paths ---------------------------------------- */

enum ps_view_class {
	PS_VIEW_USER,   /* the program's own code */
	PS_VIEW_DEP,    /* module cache, vendor/, C code */
	PS_VIEW_STD,    /* GOROOT: runtime and standard library */
};
const char *ps_view_class_name(enum ps_view_class c); /* "user" "dep" "std" */

enum ps_view_class ps_view_frame_class(const ps_view *v, const struct ps_frame *f);
enum ps_view_class ps_view_created_class(const ps_view *v,
					 const struct ps_created_by *cb);
/* The display form of FILE of class CLS: GOROOT/src/, module cache and
 * vendor/ prefixes and the directory shared by the program's files cut
 * off (a suffix of FILE, or FILE itself). */
const char *ps_view_short_path(const ps_view *v, const char *file,
			       enum ps_view_class cls);
/* The directory prefix shared by the program's shown files ("/src/app/",
 * with its slash), or NULL when there is none worth cutting. */
const char *ps_view_common_dir(const ps_view *v, size_t *len);
/* The frame to name a goroutine by: its first user frame, else its first
 * dependency frame, else its entry function (last frame before goexit). */
const struct ps_frame *ps_view_site(const ps_view *v, const struct ps_goroutine *g);

/* ---- groups ---------------------------------------------------------- */

/* Goroutines with the same state and stack (and created-by).  Display
 * order: the crashed goroutine's group, then groups with the program's
 * code, dependencies, standard library only; bigger first; dump order. */
struct ps_view_group {
	const struct ps_goroutine *rep;         /* first member; its frames shown */
	const struct ps_goroutine *const *members; /* in dump order */
	size_t n_members;
	uint64_t count;         /* goroutines (pprof debug=1 counts added) */
	int wait_min, wait_max; /* minutes; -1 when no member printed any */
	size_t locked;          /* members locked to a thread */
	bool crashed;           /* holds the crashed goroutine */
	bool extra_same;        /* every member printed the rep's header_extra */
	enum ps_view_class cls; /* the most "user" class among its frames */
	const bool *args_same;  /* per rep frame: every member printed same args */
	const uint64_t *arg_mask; /* per rep frame: bit K set when every member
				   printed the same K-th top-level argument
				   (arguments from the 64th on share bit 63);
				   NULL when the group has one member */
	size_t first;           /* index of the rep among the goroutines */
};
const struct ps_view_group *ps_view_groups(const ps_view *v, size_t *n);
/* The group of the goroutine *G alone (--all lists every goroutine this
 * way): G points into ps_view_goroutines' array.  args_same and arg_mask
 * are NULL: one member agrees with itself. */
struct ps_view_group ps_view_single(const ps_view *v, const struct ps_goroutine *const *g);
/* The group with the most goroutines blocked in a wait (chan receive,
 * sync.Mutex.Lock, ...), or NULL: what a SIGQUIT or timeout dump is
 * most likely about when nothing crashed. */
const struct ps_view_group *ps_view_dominant_blocked(const ps_view *v);

/* ---- findings -------------------------------------------------------- */

enum ps_view_finding_kind {
	PS_VIEW_FIND_LEAK,
	PS_VIEW_FIND_DEADLOCK,
	PS_VIEW_FIND_MUTEX,
	PS_VIEW_FIND_MAP,
	PS_VIEW_FIND_TEST,      /* go test timeout: where a running test waits */
};
/* "leak", "deadlock", "mutex contention", "concurrent map access",
 * "hung test" (the JSON names). */
const char *ps_view_finding_name(enum ps_view_finding_kind k);

/* One finding per site: goroutines parked at the same place in several
 * groups (recursion depths, callers) make one finding with the sum. */
struct ps_view_finding {
	enum ps_view_finding_kind kind;
	const char *message;                    /* one line, plain text */
	const struct ps_view_group *group;      /* the biggest group concerned */
	const struct ps_frame *site;            /* where they wait, or NULL */
	uint64_t count;                         /* goroutines concerned */
	size_t n_groups;                        /* groups summed */
	/* The other party, only on evidence from the dump (the goroutine in
	 * map code for concurrent map writes); NULL when the dump cannot
	 * show it, which the message then says. */
	const struct ps_goroutine *other;
	const struct ps_frame *other_site;
};
const struct ps_view_finding *ps_view_findings(const ps_view *v, size_t *n);

/* ---- headline -------------------------------------------------------- */

enum ps_view_line_kind {
	PS_VIEW_LINE_PANIC,     /* "panic: X [recovered, repanicked]", a chain
				   line after the first is shown indented */
	PS_VIEW_LINE_CRASH,     /* "fatal error: X", a race, a timeout... */
	PS_VIEW_LINE_SIGNAL,    /* "[signal SIGSEGV: ... addr=0x0 pc=0x..]" */
	PS_VIEW_LINE_FATAL_SIGNAL, /* "SIGQUIT: quit" with no panic line */
	PS_VIEW_LINE_REGS,      /* "PC=0x... sigcode=0" */
	PS_VIEW_LINE_RUNTIME,   /* "runtime: ..." diagnostics */
	PS_VIEW_LINE_TESTS,     /* "running tests: TestA (10m0s)" */
	PS_VIEW_LINE_SUMMARY,   /* "3 goroutines in 2 groups · exit status 2" */
};

/* TEXT is plain (unescaped) UTF-8 as it came from the dump; a message of
 * several lines holds '\n'. */
struct ps_view_line {
	enum ps_view_line_kind kind;
	const char *text;
};
const struct ps_view_line *ps_view_headline(const ps_view *v, size_t *n);

/* ---- arguments and warnings ------------------------------------------ */

/* The argument format in effect (AUTO resolved). */
enum ps_arg_format ps_view_arg_format(const ps_view *v);
/* The decoded arguments of frame I of ST, or NULL when they are shown
 * as printed (no binary, a mismatching binary, a function the binary
 * lacks).  ST is the stack of a goroutine of the view (or a copy of it).
 * Decoded on first use and kept until ps_view_free: for the frames a
 * presentation shows (representatives, findings); not thread-safe. */
const struct ps_abi_frame *ps_view_args(const ps_view *v, const struct ps_stack *st,
					size_t i);
/* That frame's decoding attempt even when not decoded (its note says
 * why), or NULL without a decoding binary. */
const struct ps_abi_frame *ps_view_args_tried(const ps_view *v, const struct ps_stack *st,
					      size_t i);
/* The same decoding into OUT from the caller's ARENA, kept nowhere: for
 * writers that stream every goroutine (JSON), so memory stays that of
 * one goroutine.  Returns OUT->decoded (false without a decoding binary). */
bool ps_view_decode(const ps_view *v, const struct ps_stack *st, size_t i,
		    struct ps_arena *arena, struct ps_abi_frame *out);
/* The binary/dump mismatch message, or NULL. */
const char *ps_view_mismatch(const ps_view *v);
/* One-line warnings for the user (stderr), each once, in order. */
const char *const *ps_view_warnings(const ps_view *v, size_t *n);

/* ---- helpers for presentations ---------------------------------------- */

/* "1-5,7,9-12" for the ids of GS (any order), at most MAX ranges then
 * ",… +N more"; the text comes from ARENA. */
const char *ps_view_id_ranges(struct ps_arena *arena,
			      const struct ps_goroutine *const *gs, size_t n,
			      size_t max);
/* The next top-level item of the printed argument list S[*I..N) (a word,
 * a {...} group, "..."): its start and length; moves *I past the comma.
 * false at the end. */
bool ps_view_next_arg(const char *s, size_t n, size_t *i, size_t *start,
		      size_t *len);
/* Bit K set when the K-th top-level items of the printed argument lists
 * A and B are equal (items from the 64th on share bit 63). */
uint64_t ps_view_args_agree(const char *a, size_t an, const char *b, size_t bn);
/* The top-level items of the list S (ps_view_next_arg's, offsets into
 * S), from ARENA; *COUNT gets how many. */
struct ps_view_item {
	uint32_t start, len;
	bool closed;            /* its braces all close inside it
				   (ps_view_args_agree_items) */
};
struct ps_view_item *ps_view_items(struct ps_arena *arena, const char *s, size_t n,
				   size_t *count);
/* MASK & ps_view_args_agree, with A's NA items split already
 * (ps_view_items): for the members of a group, all compared with one
 * representative, each narrowing the group's mask.  Only items whose bit
 * is still in MASK are compared. */
uint64_t ps_view_args_agree_items(const char *a, const struct ps_view_item *ai, size_t na,
				  const char *b, size_t bn, uint64_t mask);
/* What of a goroutine header's extras to show: everything with ALL,
 * else only its labels ("labels:{...}" in Go 1.26, "{...}" in 1.27),
 * as gp=/m= differ between goroutines.  NULL: nothing. */
const char *ps_view_header_labels(const char *extra, bool all);
/* true if STATE is a blocking wait (not running/runnable/syscall...). */
bool ps_view_state_blocked(const char *state);

#endif

/*
 * ps_parse.h - the parsed model of Go crash output and the parser that
 * builds it.
 *
 * The model is a read-only tree: document -> dumps -> goroutines ->
 * frames.  Every node and string of one dump lives in that dump's arena,
 * except the strings that recur across goroutines (function names, file
 * paths, states, argument texts): those are interned once in the
 * document's table and compare equal by pointer.  All pointers stay valid until
 * ps_doc_free().  Report and ABI code walk these structs directly.
 */
#ifndef PS_PARSE_H
#define PS_PARSE_H

#include "ps_base.h"

/* ---- function names ------------------------------------------------ */

/* A Go symbol name split into its parts.  All strings are NUL-terminated
 * and decoded (%2e -> '.'); absent parts are "" (never NULL). */
struct ps_funcname {
	const char *pkg;        /* import path: "gopkg.in/yaml.v2", "main" */
	const char *recv;       /* receiver type without '*': "parser" */
	bool recv_ptr;          /* (*T).M */
	const char *func;       /* function or method: "parse" */
	const char *closure;    /* "func1.2", "gowrap1", "-range1", "-fm" */
	const char *generic;    /* type arguments as printed: "[...]" */
	const char *decoded;    /* whole name, percent-decoded */
};

/* Splits NAME (as printed in a frame) into OUT, strings from ARENA.
 * Never fails: an unusual name ends up in .func whole. */
void ps_parse_funcname(const char *name, size_t len, struct ps_arena *arena,
		       struct ps_funcname *out);

/* ---- argument lists ------------------------------------------------ */

enum ps_arg_kind {
	PS_ARG_WORD,    /* a hex value: 0x1f, possibly with '?' */
	PS_ARG_GROUP,   /* { ... } (Go >= 1.17 aggregates) */
	PS_ARG_ELIDED,  /* "..." : the rest was not printed */
	PS_ARG_DEEP,    /* "{...}" : aggregate nested too deep */
	PS_ARG_BLANK,   /* "_" : value at an unencodable offset */
	PS_ARG_BAD,     /* text that is none of the above (kept raw) */
};

struct ps_arg {
	enum ps_arg_kind kind;
	bool unreliable;        /* printed with a '?' suffix */
	uint64_t value;         /* PS_ARG_WORD */
	const char *raw;        /* this node's text as printed (not NUL-ended) */
	uint32_t raw_len;
	uint32_t n_children;    /* PS_ARG_GROUP */
	struct ps_arg *children;
};

/* Parses an argument list ("0x1, {0x2, 0x3}, 0x4?, ...", without the
 * outer parentheses) into a tree.  Nodes come from ARENA; RAW must outlive
 * them.  Sets *OUT and *N.  Returns 0, or 1 when some text did not parse (it
 * is kept as PS_ARG_BAD nodes).  Never reads outside RAW[0..LEN). */
int ps_parse_args(const char *raw, size_t len, struct ps_arena *arena,
		  struct ps_arg **out, size_t *n);

/* ---- frames, goroutines, dumps ------------------------------------- */

enum ps_frame_kind {
	PS_FRAME_GO,
	PS_FRAME_C,             /* cgo traceback frame ("non-Go function") */
};

/* One call site of a stack, 32 bytes: one goroutine can hold a million
 * distinct ones, so the flags are bits beside the pc, and the parts of
 * the name are not kept (the few readers that need them call
 * ps_parse_funcname on .func).  The argument text is not a frame's: the
 * words differ from goroutine to goroutine where the calls do not, so a
 * stack keeps them beside its frames (ps_stack_args), and goroutines
 * whose calls are identical share one frames array: memory follows the
 * distinct call stacks. */
#define PS_FRAME_PC_MAX ((UINT64_C(1) << 56) - 1) /* user space, any arch */
struct ps_frame {
	const char *func;               /* interned, as printed */
	const char *file;               /* interned; "" when absent */
	uint64_t pc : 56;               /* "pc=0x.." (traceback level 2), or 0;
					   a larger one is 0 and flagged */
	uint8_t kind : 1;               /* enum ps_frame_kind */
	bool has_pc_offset : 1;
	bool inlined : 1;               /* printed as "f(...)" with no +0x */
	bool has_file : 1;              /* file line was present */
	bool has_meta : 1;              /* fp=/sp=/pc= were printed (fp, sp
					   are not kept) */
	uint32_t line;                  /* 0 when absent */
	uint32_t pc_offset;             /* "+0x1d" */
};
_Static_assert(sizeof(struct ps_frame) == 32, "ps_frame grew: 10^6 frames pay for it");

struct ps_created_by {
	const char *func;               /* interned */
	const char *file;               /* interned; "" when the line is missing */
	uint32_t line;
	uint64_t pc_offset;
	bool has_pc_offset;
	bool has_goroutine;             /* "in goroutine N" (Go 1.21+) */
	uint64_t goroutine;
};

/* A stack: frames, their argument texts and how it was cut (32 bytes).
 * FRAMES is shared by every stack with the same calls; ARGS (the text
 * inside each frame's parens, interned, NULL where a frame has none) by
 * runs of goroutines with the same words, so a dump of a pool's 100,000
 * parked goroutines stores its call stack once and one array of argument
 * pointers per distinct argument list.  Counts are 32-bit: a stack has
 * fewer frames than the input has lines; a larger elision count than
 * that is kept as UINT32_MAX and flagged. */
struct ps_stack {
	struct ps_frame *frames;
	const char *const *args;        /* n_frames entries; NULL: no frames */
	uint32_t n_frames;
	uint32_t elided_count;          /* "...N frames elided..." (0 = unknown) */
	uint32_t elided_at;             /* index of the first frame after it */
	bool elided;                    /* an elision marker was printed */
};

/* The argument text of ST's frame I (inside the parens, interned), or
 * NULL when it has none. */
static inline const char *ps_stack_args(const struct ps_stack *st, size_t i)
{
	return st->args ? st->args[i] : NULL;
}

/* The length of ST's frame I's argument text (0 when there is none). */
static inline size_t ps_stack_args_len(const struct ps_stack *st, size_t i)
{
	const char *a = ps_stack_args(st, i);
	return a ? ps_intern_len(a) : 0;
}

/* A tracebackancestors block ("[originating from goroutine N]:"). */
struct ps_ancestor {
	uint64_t id;
	struct ps_stack stack;
	struct ps_created_by *created_by;
};

/* The role of a "runtime stack:" (g0) block: a stack, not a goroutine. */
#define PS_ROLE_RUNTIME_STACK "runtime stack"

/* What few goroutines have: a role (race report stacks, "runtime
 * stack:"), a profile count, ancestors.  One record per distinct
 * content, and none (NULL) for the rest: read it with the accessors
 * below, which give the defaults. */
struct ps_goroutine_rare {
	const char *role;               /* race: "Write at 0x.. by goroutine 7",
					   PS_ROLE_RUNTIME_STACK, or "" */
	uint64_t count;                 /* pprof debug=1 count; 0: 1 */
	struct ps_ancestor *ancestors;
	size_t n_ancestors;
};

/* One goroutine, 88 bytes: a SIGQUIT dump holds 100,000 and more, so
 * what few have sits in the shared rare record, the flags are bits and
 * gp=/mp= are kept only as text (header_extra). */
struct ps_goroutine {
	uint64_t id;                    /* meaningful only when has_id */
	const char *state;              /* interned: "chan receive", "running" */
	const char *header_extra;       /* gp=/m=/mp=/labels/synctest text or "" */
	struct ps_stack stack;
	struct ps_created_by *created_by;  /* shared by equal ones */
	const struct ps_goroutine_rare *rare;  /* NULL: none of it */
	int32_t wait_minutes;           /* -1 when not printed */
	int32_t m;                      /* -1 when not printed or m=nil */
	uint32_t src_line;
	bool has_id : 1;                /* an id was printed: false for
					   "runtime stack:", exception and
					   pprof stacks (JSON: null, not 0) */
	bool locked_to_thread : 1;
	bool scan : 1;                  /* "(scan)" */
	bool crashed : 1;               /* the goroutine that panicked/faulted */
	bool no_stack : 1;              /* "goroutine running on other thread" */
	bool truncated : 1;             /* the input ended or broke inside it */
	bool has_header : 1;            /* false for Windows exception stacks,
					   race access stacks, "runtime stack:" */
};

/* G's role, or "" (never NULL). */
static inline const char *ps_goroutine_role(const struct ps_goroutine *g)
{
	return g->rare && g->rare->role ? g->rare->role : "";
}

/* How many goroutines G stands for: its pprof count, else 1. */
static inline uint64_t ps_goroutine_count(const struct ps_goroutine *g)
{
	return g->rare && g->rare->count ? g->rare->count : 1;
}

/* G's ancestors (tracebackancestors); *N gets how many. */
static inline const struct ps_ancestor *ps_goroutine_ancestors(const struct ps_goroutine *g,
							       size_t *n)
{
	*n = g->rare ? g->rare->n_ancestors : 0;
	return *n ? g->rare->ancestors : NULL;
}

enum ps_dump_kind {
	PS_DUMP_PANIC,
	PS_DUMP_FATAL,          /* fatal error: */
	PS_DUMP_SIGNAL,         /* fatal signal without a panic line */
	PS_DUMP_SIGQUIT,        /* SIGQUIT: quit / SIGABRT ... */
	PS_DUMP_RACE,
	PS_DUMP_TIMEOUT,        /* go test timeout */
	PS_DUMP_GOROUTINES,     /* plain goroutine dump / profile */
};
const char *ps_dump_kind_name(enum ps_dump_kind k);  /* CONTRACT names */

/* One line of a panic chain: "panic: X [recovered]" or "\tpanic: Y". */
struct ps_panic_line {
	const char *message;    /* value text, continuation lines joined by \n */
	bool recovered;
	bool repanicked;        /* [recovered, repanicked] (Go 1.25+) */
	bool goexit;            /* "panic: ... goexit" text */
	bool fatal;             /* "fatal error:" nested in a chain (1.26) */
};

struct ps_signal {
	const char *name;       /* "SIGSEGV", or "0xb" in Go <= 1.6 */
	const char *desc;       /* "segmentation violation" or "" */
	const char *code;       /* "0x1" or "" (strings as printed) */
	const char *addr;
	const char *pc;
};

struct ps_register {
	const char *name;
	uint64_t value;
};

/* Race detector report: each access/creation stack is a goroutine
 * entry with has_header=false and role set. */

/* Damage the parser noticed and repaired (or could only report) while
 * reading a dump: what copy-paste, editors and truncation do to a log.
 * `panicscope check` reports each as FILE:LINE; the JSON lists them per
 * dump under "repairs".  Lines are 1-based input lines of the dump's
 * source. */
enum ps_repair_kind {
	PS_REPAIR_SPACES_FOR_TAB,  /* a tab Go prints arrived as spaces
				      (detail: how many) */
	PS_REPAIR_WRAPPED,         /* a hard-wrapped line was rejoined
				      (detail: the wrap column; line2: the
				      continuation line) */
	PS_REPAIR_CRLF,            /* CR line ending among LF lines */
	PS_REPAIR_BAD_LOCATION,    /* a file:line line that Go cannot print */
	PS_REPAIR_UNKNOWN_LINE,    /* a line inside a trace that is no Go form */
	PS_REPAIR_TRUNCATED,       /* the dump ends inside a goroutine's stack
				      (goroutine: its id, when it had one) */
	PS_REPAIR_DUPLICATE_ID,    /* a goroutine id printed twice in one dump */
	PS_REPAIR_PREFIX,          /* a per-line log prefix was stripped */
	PS_REPAIR_NUMBER_OVERFLOW, /* a goroutine id, line or +0x offset
				      too large for what Go prints: kept as
				      far as it fits, flagged here */
	PS_REPAIR__COUNT
};
/* The JSON/`check` name: "spaces_for_tab", "wrapped", "crlf", ... */
const char *ps_repair_kind_name(enum ps_repair_kind k);

struct ps_repair {
	uint8_t kind;                   /* enum ps_repair_kind */
	uint32_t line;                  /* where it was noticed */
	uint32_t line2;                 /* second line involved, or 0 */
	uint32_t detail;                /* kind-specific number, or 0 */
	uint64_t goroutine;             /* goroutine concerned, or 0 */
	bool has_goroutine;
};

/* A damaged 2 GB file must not grow the list without bound. */
#define PS_REPAIR_KEEP 1000

struct ps_dump {
	enum ps_dump_kind kind;
	const char *message;            /* the first (outermost) message */
	struct ps_panic_line *panics;   /* the chain, oldest first */
	size_t n_panics;
	bool recovered;                 /* the first panic was recovered */
	struct ps_signal *signal;       /* NULL when none */
	const char **runtime_lines;     /* "runtime: ..." diagnostics */
	size_t n_runtime_lines;
	const char **running_tests;     /* go test timeout list */
	size_t n_running_tests;
	struct ps_register *registers;
	size_t n_registers;
	struct ps_goroutine *goroutines;
	size_t n_goroutines;
	uint64_t total_goroutines;      /* pprof "total N", else n_goroutines */
	int exit_status;                /* "exit status N", -1 when absent */
	/* Goroutines printed twice (two threads throwing at once, per-thread
	 * blocks of GOTRACEBACK=crash): the copies are dropped, counted here
	 * with the file lines they held. */
	uint32_t repeated_goroutines;
	uint32_t repeated_file_lines;
	bool structured_args;           /* any '{' '}' or '?' seen in args */
	bool truncated;                 /* input ended inside the dump */
	const char *prefix;             /* log prefix stripped, or "" */
	const char *source;             /* input name ("-" for stdin) or "" */
	uint32_t first_line, last_line; /* input line range */
	const struct ps_repair *repairs;/* what was repaired, in line order */
	size_t n_repairs;
	uint64_t n_repairs_dropped;     /* past the first PS_REPAIR_KEEP */
	struct ps_arena arena;          /* owns everything above */
};

/* ---- the document and the parser ----------------------------------- */

/* Lines the parser could not place.  Only the first few numbers kept. */
#define PS_SKIP_KEEP 8
struct ps_skipped {
	uint64_t count;
	uint32_t first[PS_SKIP_KEEP];
	size_t n_first;
};

struct ps_doc {
	struct ps_dump **dumps;
	size_t n_dumps;
	struct ps_arena shared;         /* frames arrays, shared by identical
					   stacks across goroutines and dumps */
	struct ps_skipped skipped;      /* junk lines outside any dump */
	struct ps_skipped bad;          /* lines inside a dump that broke it */
	size_t n_streamed;              /* dumps handed to ps_parse_opts.on_dump
					   (not in DUMPS) */
	uint64_t lines;                 /* total input lines */
	uint64_t bytes;
	ps_intern *names;               /* interned functions/files/states */
	/* A fault of the parser itself (a built-in pattern that did not
	 * compile: prefixes of that shape are then not recognised);
	 * code PS_OK when none.  The command prints it as a warning. */
	struct ps_error error;
	/* How opts.jobs went: parts whose goroutines another thread parsed
	 * and were merged, parts the calling thread read again (they held
	 * more than goroutines, or the dump before them was not a plain
	 * run of goroutines).  For tests and benchmarks; no report shows
	 * them. */
	uint32_t ranges_merged, ranges_reread;
};

/* A finished dump handed out while the input is still being read (see
 * ps_parse_opts.on_dump).  D is the document's INDEX-th dump; MORE is
 * true when another dump has begun after it, false for the last one,
 * which comes from ps_parse_finish once DOC's totals (lines, bytes,
 * skipped) are final.  D and everything in its arena are freed when the
 * call returns; DOC's interned names and shared frames stay valid. */
typedef void ps_dump_fn(void *ctx, const struct ps_doc *doc,
			const struct ps_dump *d, size_t index, bool more);

struct ps_parse_opts {
	bool keep_junk_goroutines;      /* reserved; zero for defaults */
	/* Threads that read one large regular file (ps_parse_fd): it is
	 * cut at goroutine boundaries and each part parsed apart, the
	 * document the same as one thread's.  0 or 1: the calling thread
	 * alone.  Pipes are always read on the calling thread. */
	unsigned jobs;
	/* The smallest part worth a thread, in bytes (0: 1 MiB).  Tests
	 * set 1 so that small logs are cut too. */
	size_t range_min;
	/* NULL: every dump is kept in the document.  Set: each dump goes to
	 * ON_DUMP as soon as it is final (when the next one begins: a
	 * trailing "exit status N" can still reach it until then) and is
	 * freed afterwards, so memory holds one dump at a time. */
	ps_dump_fn *on_dump;
	void *on_dump_ctx;
};

typedef struct ps_parser ps_parser;

/* Creates a parser.  OPTS may be NULL.  Never NULL (OOM hook). */
ps_parser *ps_parse_new(const struct ps_parse_opts *opts);

/* Feeds bytes; lines may be split across calls.  Never fails. */
void ps_parse_feed(ps_parser *p, const char *buf, size_t len);

/* Ends the input and returns the document (owned by the caller, free
 * with ps_doc_free) and frees the parser. */
struct ps_doc *ps_parse_finish(ps_parser *p);

/* Convenience: parse a whole buffer. */
struct ps_doc *ps_parse_buffer(const char *buf, size_t len);

/* Reads FD (a file: mmapped, a large one on opts.jobs threads; a pipe:
 * streamed on the calling thread) to the end into P, as
 * input named NAME (recorded in each dump's .source).  A dump never
 * spans two inputs.  0 on success; -1 with ERR filled on a read error
 * (what was read is kept). */
int ps_parse_fd(ps_parser *p, int fd, const char *name, struct ps_error *err)
	PS_WUR;

/* Names the input that the following ps_parse_feed calls come from. */
void ps_parse_set_source(ps_parser *p, const char *name);

/* Ends the current input: a partial last line is parsed, an open dump
 * is closed.  ps_parse_fd calls it; call it between buffers that are
 * separate inputs. */
void ps_parse_end_input(ps_parser *p);

void ps_doc_free(struct ps_doc *doc);

#endif

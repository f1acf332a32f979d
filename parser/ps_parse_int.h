/* ps_parse_int.h - parser internals shared by the parser's .c files. */
#ifndef PS_PARSE_INT_H
#define PS_PARSE_INT_H

#include <string.h>

#include "ps_parse.h"

/* Keeps a rare path out of its caller, which then saves only the
 * registers its hot path needs. */
#define PS_NOINLINE __attribute__((noinline))

/* A bounded cursor over one line: never reads past END, never assumes a
 * NUL.  BAD is sticky: once a read fails every later read fails too, so
 * callers check it once per line. */
struct ps_cursor {
	const char *p, *end;
	bool bad;
};

static inline struct ps_cursor cur_make(const char *s, size_t n)
{
	struct ps_cursor c = { s, s + n, false };
	return c;
}

static inline size_t cur_left(const struct ps_cursor *c)
{
	return (size_t)(c->end - c->p);
}

/* Consumes the literal LIT when the cursor starts with it. */
static inline bool cur_skip(struct ps_cursor *c, const char *lit)
{
	size_t n = strlen(lit);
	if (c->bad || cur_left(c) < n || memcmp(c->p, lit, n) != 0)
		return false;
	c->p += n;
	return true;
}

static inline bool cur_starts(const struct ps_cursor *c, const char *lit)
{
	size_t n = strlen(lit);
	return !c->bad && cur_left(c) >= n && memcmp(c->p, lit, n) == 0;
}

/* Moves *S, *N past the literal LIT when the text starts with it: no
 * hand-counted lengths next to a literal. */
static inline bool skip_prefix(const char **s, size_t *n, const char *lit)
{
	size_t k = strlen(lit);
	if (*n < k || memcmp(*s, lit, k) != 0)
		return false;
	*s += k;
	*n -= k;
	return true;
}

bool ps_cur_hex_u64(struct ps_cursor *c, uint64_t *out);  /* "0x1f" */
bool ps_cur_dec_u64(struct ps_cursor *c, uint64_t *out);  /* "123" */
/* Inline: they run several times on every input line, nearly always
 * with a literal LIT, whose strlen and memcmp the compiler then folds. */
static inline bool ps_mem_starts(const char *s, size_t n, const char *lit)
{
	size_t k = strlen(lit);
	return n >= k && memcmp(s, lit, k) == 0;
}

static inline bool ps_mem_ends(const char *s, size_t n, const char *lit)
{
	size_t k = strlen(lit);
	return n >= k && memcmp(s + n - k, lit, k) == 0;
}

/* ---- log prefixes (prefix.c) ---- */

typedef struct ps_prefixer ps_prefixer;
/* ERR gets a built-in pattern that does not compile (the others work). */
ps_prefixer *ps_prefixer_new(struct ps_error *err);
void ps_prefixer_free(ps_prefixer *px);
/* A prefixer's first member: whether a prefix is active.  Every input
 * line asks, and nearly every log has none: read inline, where a call
 * was a fortieth of a big dump's instructions. */
struct ps_prefixer_pub {
	bool prefixed;
};
/* Strips the active prefix from *LINE and *LEN.  Returns true when the
 * line carried it (or no prefix is active), false when the line lacks
 * the active prefix (then the line is left unchanged). */
bool ps_prefixer_strip_active(ps_prefixer *px, const char **line, size_t *len);
static inline bool ps_prefixer_active(const ps_prefixer *px)
{
	return ((const struct ps_prefixer_pub *)(const void *)px)->prefixed;
}
static inline bool ps_prefixer_strip(ps_prefixer *px, const char **line, size_t *len)
{
	return !ps_prefixer_active(px) || ps_prefixer_strip_active(px, line, len);
}
/* Makes LINE[0..OFF) the active prefix: as a known shape when one
 * matches it whole, else literally. */
void ps_prefixer_adopt(ps_prefixer *px, const char *line, size_t off);
void ps_prefixer_clear(ps_prefixer *px);
/* The active prefix as text, for the report ("" when none). */
const char *ps_prefixer_describe(const ps_prefixer *px);

/* ---- the parser (parse.c, dump.c, goroutine.c) ---- */

enum pstate {
	ST_OUTSIDE,     /* between dumps */
	ST_HEADER,      /* panic/fatal/signal lines before the goroutines */
	ST_GOROUTINE,   /* inside a goroutine, expecting a function line */
	ST_FILE,        /* after a function line, expecting its file line */
	ST_CREATED,     /* after "created by", expecting its file line */
	ST_TAIL,        /* after the goroutines: registers, exit status */
};

/* Which line grammar the open dump uses. */
enum pmode {
	MODE_TRACE,     /* Go tracebacks */
	MODE_RACE,      /* race detector report */
	MODE_PPROF,     /* debug=1 goroutine profile */
};

/* Lines longer than this are cut: nothing Go prints comes close, and it
 * bounds memory on binary garbage without newlines. */
#define PS_MAX_LINE (256 * 1024)

/* The input line held back by the wrap detector (wrap.c). */
struct ps_hold {
	char *text;                 /* raw line, CR removed, joined pieces */
	size_t len, cap;
	uint32_t line, line2;       /* its input line; last continuation */
	uint32_t wrap_at;           /* length at the first join */
	uint32_t wraps;             /* continuations appended */
	size_t raw_len, raw_cols;   /* width of the last input line in it */
	int cls;                    /* its wrap.c class, -1 not known yet */
	bool full, cr;
};

/* The goroutine being built; frames collect in a vector and move into
 * the dump's arena when it ends. */
struct gbuild {
	bool open;
	struct ps_goroutine g;
	struct ps_vec frames;       /* struct ps_frame */
	struct ps_vec args;         /* const char *: each frame's argument text */
	struct ps_vec ancestors;    /* struct ps_ancestor */
	bool in_ancestor;           /* frames go to the last ancestor */
	bool discard;               /* a repeat in a per-thread block */
	struct ps_created_by cb;    /* the goroutine's created-by, being built */
	struct ps_goroutine_rare rare; /* its rare fields, shared when it ends */
};

struct ps_parser {
	struct ps_parse_opts opts;
	struct ps_doc *doc;
	struct ps_dump *dump;       /* open dump or NULL */
	enum pstate st;
	enum pmode mode;
	struct gbuild gb;
	struct ps_vec goroutines;   /* struct ps_goroutine */
	struct ps_vec panics;       /* struct ps_panic_line */
	struct ps_vec runtime_lines;/* const char * */
	struct ps_vec tests;        /* const char * */
	struct ps_vec registers;    /* struct ps_register */
	struct ps_vec pending;      /* runtime: lines seen before a dump */
	struct ps_vec dumps;        /* struct ps_dump * */
	ps_dump_fn *on_dump;        /* ps_parse_opts.on_dump, or NULL */
	void *on_dump_ctx;
	uint64_t *idset;            /* open-addressing set of the ids the
				       bitmap does not cover */
	size_t idset_mask, idset_count;
	uint64_t *idbits;           /* ids below idbits_n, a bit each */
	size_t idbits_n, ids_count; /* bits covered; ids in both */
	ps_prefixer *px;
	uint32_t lineno;
	uint32_t last_good;          /* last line the state machine took */
	uint32_t last_skip;          /* last line counted as skipped */
	uint32_t pending_line;      /* line of the first pending line */
	int msg_lines;              /* continuation lines of the message */
	bool after_separator;       /* "-----" between per-M blocks */
	bool c_tentative;           /* last frame is a bare C name */
	uint32_t c_line;            /* its input line */
	struct stack_entry *stacks; /* distinct frames arrays (hash set) */
	size_t stacks_mask, stacks_count;
	bool per_m_blocks;          /* the open dump has had a "-----" */
	struct ps_dump *last_dump;  /* for a trailing "exit status N" */
	uint32_t last_dump_end;
	char *carry;                /* partial line between feeds */
	size_t carry_len, carry_cap;
	bool carry_overflow;        /* current line is longer than we keep */
	const char *source;         /* interned input name */
	bool saw_esc;               /* an ESC byte was fed: lines may hold
				       colours (parse.c) */
	char *scratch;              /* ANSI-stripped copy of a line */
	size_t scratch_cap;
	char *untab;                /* copy with spaces turned back into a tab */
	size_t untab_cap;
	struct ps_vec repairs;      /* struct ps_repair of the open dump */
	uint64_t repairs_dropped;
	uint32_t cr_lines, first_cr;/* CR-ended lines of the open dump */
	bool prefix_noted;          /* PREFIX already recorded for it */
	/* Foreign lines right after a stack usually mean the dump is over;
	 * they are damage only when the stack goes on below them, so the
	 * latest run is held until a stack line confirms it. */
	uint32_t unk_first, unk_last, unk_count;
	struct ps_hold hold;        /* wrap.c */
	bool hold_next;             /* hold the next line even when nothing
				       can continue it (its reader looks) */
	uint32_t rawno;             /* input lines read (lineno: processed) */
	size_t wrap_col;            /* the wrap column, once one was seen */
	uint32_t wrap_line2, wrap_at; /* the line being parsed was joined */
	int next_cls;               /* class of input line next_cls_line */
	uint32_t next_cls_line;
	int join_cls;               /* class of held + next line */
	bool join_wide;             /* the held line was as wide as a wrap */
	char *join;                 /* scratch: held + next line */
	size_t join_cap;
	struct ps_line_memo *memo;  /* recent frame and file lines (goroutine.c) */
	uint32_t memo_wait;         /* frame lines parsed before it was made */
};


/* ---- the wrap repair's test of the usual line (wrap.c), inline in the
 * line splitter's loop: nearly every line passes it, and a call per
 * line was a tenth of the driver's instructions ---- */

/* Lines shorter than this are not wrapped by anyone. */
#define PS_WRAP_MIN 40
/* The widest of the usual wrap columns (ps_p_usual_width). */
#define PS_WRAP_WIDEST 132
/* LEAD of a line that has a TAB past its leading ones: its columns are
 * to be counted. */
#define PS_LEAD_MEASURE ((size_t)-1)

/* The columns of an N-byte line whose only TABs are its LEAD leading
 * ones: each is 8 columns, not 1. */
static inline size_t ps_p_lead_cols(size_t n, size_t lead)
{
	return n + 7 * lead;
}

/* Is W one of the columns people wrap at?  A byte per column: one load
 * and one test, on every line of 40 bytes or more. */
static inline bool ps_p_usual_width(size_t w)
{
	static const unsigned char usual[PS_WRAP_WIDEST + 1] = {
		[64] = 1, [72] = 1, [76] = 1, [78] = 1, [79] = 1, [80] = 1,
		[100] = 1, [120] = 1, [PS_WRAP_WIDEST] = 1,
	};
	return w <= PS_WRAP_WIDEST && usual[w];
}

/* Is an input line of N bytes, COLS columns as wide as a wrap?  Once
 * one wrap was seen its column is the answer; before that, the columns
 * people wrap at.  Most lines have no TAB, their columns are their
 * bytes: one look at the table. */
static inline bool ps_p_wrap_width(const struct ps_parser *p, size_t n, size_t cols)
{
	if (p->wrap_col)
		return n == p->wrap_col || cols == p->wrap_col;
	return ps_p_usual_width(n) || (cols != n && ps_p_usual_width(cols));
}

/* A constant-time guess that S is a whole Go line (a frame, a file line,
 * a header): such a line is only joined when it is as wide as a wrap,
 * which spares classifying nearly every line. */
static inline bool ps_p_looks_whole(const char *s, size_t n)
{
	return n && (s[n - 1] == ')' || s[0] == '\t' ||
		     (s[n - 1] == ':' && ps_mem_starts(s, n, "goroutine ")));
}

/* ps_p_wrap_take's common case, true when line S (as there) is parsed
 * now: nothing held, and the line too short for a wrap, or a whole Go
 * line no wrap's width, its columns known from the splitter.  That is
 * what may_continue (wrap.c) would answer, without a class (a line
 * that looks whole is never asked for one).  Columns of a line wider
 * than a wrap are exact here, where wrap.c's width_of gives at least
 * its bytes: no width test tells them apart. */
static inline bool ps_p_wrap_passes(const struct ps_parser *p, const char *s, size_t n,
				    size_t lead)
{
	return !p->hold.full && !p->hold_next &&
	       (n < PS_WRAP_MIN ||
		(lead != PS_LEAD_MEASURE && ps_p_looks_whole(s, n) &&
		 !ps_p_wrap_width(p, n, ps_p_lead_cols(n, lead))));
}

/* S[0..N) less its trailing CRs and LFs; *CR set when there was a CR. */
static inline size_t ps_p_strip_eol(const char *s, size_t n, bool *cr)
{
	while (n && (s[n - 1] == '\r' || s[n - 1] == '\n'))
		*cr |= s[--n] == '\r';
	return n;
}

/* parse.c: one cleaned input line (CR removed) through the parser */
void ps_p_line(struct ps_parser *p, const char *line, size_t len, bool cr);

/* wrap.c: lines pass through here first */
void ps_p_wrap_feed(struct ps_parser *p, const char *s, size_t n);
/* Takes input line S (N bytes, CR removed, CR whether one was; the
 * caller counted it in p->rawno) into the wrap repair: holds it, or
 * joins it to the held line, which is parsed first when S does not
 * continue it.  LEAD: S's leading TABs when no other TAB follows (the
 * line splitter saw), else PS_LEAD_MEASURE.  False when S is to be
 * parsed now, as line p->rawno, by the caller.  Right for any line, and
 * out of line: the splitter asks ps_p_wrap_passes first, which answers
 * nearly every line without a call. */
bool ps_p_wrap_take(struct ps_parser *p, const char *s, size_t n, bool cr, size_t lead);
void ps_p_wrap_flush(struct ps_parser *p);

/* dump.c */
/* Records damage R (line, kind, ...) in the open dump; bounded. */
void ps_p_repair(struct ps_parser *p, const struct ps_repair *r);
void ps_p_skip(struct ps_parser *p);
void ps_p_skip_line(struct ps_parser *p, uint32_t line);
void ps_p_drop_pending(struct ps_parser *p);
bool ps_p_dump_line(struct ps_parser *p, const char *s, size_t n);
bool ps_p_start_line(struct ps_parser *p, const char *s, size_t n);
/* S begins a dump (or, IN_DUMP, a line of one that may follow a prefix). */
bool ps_p_is_start(const char *s, size_t n, bool in_dump);
/* Offset of the first such form past column 0 of S, or 0. */
size_t ps_p_find_start(const char *s, size_t n, bool in_dump);
void ps_p_end_dump(struct ps_parser *p);
/* Hands the finished dumps to the on_dump callback (MORE: another dump
 * has begun) and frees them; nothing without a callback. */
void ps_p_hand_out(struct ps_parser *p, bool more);
struct ps_dump *ps_p_open_dump(struct ps_parser *p, enum ps_dump_kind kind);
bool ps_p_race_line(struct ps_parser *p, const char *s, size_t n);
bool ps_p_pprof_line(struct ps_parser *p, const char *s, size_t n);
bool ps_p_tail_line(struct ps_parser *p, const char *s, size_t n);
bool ps_p_outside_line(struct ps_parser *p, const char *s, size_t n);
bool ps_p_register_line(struct ps_parser *p, const char *s, size_t n);
bool ps_p_any_dump_line(struct ps_parser *p, const char *s, size_t n);

/* goroutine.c */
bool ps_p_goroutine_header(struct ps_parser *p, const char *s, size_t n);
bool ps_p_stack_line(struct ps_parser *p, const char *s, size_t n);
void ps_p_end_goroutine(struct ps_parser *p);
void ps_p_drop_tentative(struct ps_parser *p);
void ps_p_begin_headerless(struct ps_parser *p, const char *role, bool crashed);
bool ps_p_is_goroutine_header(const char *s, size_t n);
bool ps_p_frame_line(struct ps_parser *p, const char *s, size_t n);
/* Side-effect-free forms of the two (for the wrap detector). */
bool ps_p_is_frame_line(const char *s, size_t n);
bool ps_p_is_file_line(const char *s, size_t n);
/* S is a frame line the memo holds (then ps_p_is_frame_line is true);
 * a hit moves up in its set, as a parse would have moved it. */
bool ps_p_known_frame_line(struct ps_parser *p, const char *s, size_t n);
/* S is an indented file line whose head the memo holds under the
 * function it is now due under, and its other tokens are Go's (then
 * ps_p_is_file_line is true). */
bool ps_p_known_file_line(struct ps_parser *p, const char *s, size_t n);
bool ps_p_file_line(struct ps_parser *p, const char *s, size_t n);
/* A file:line reference; INDENTED requires the leading TAB/spaces. */
bool ps_p_file_ref(struct ps_parser *p, const char *s, size_t n, bool indented);
struct ps_frame *ps_p_add_frame(struct ps_parser *p, const char *name,
				size_t name_n, const char *args, size_t args_n);
const char *ps_p_intern(struct ps_parser *p, const char *s, size_t n);
/* The open dump's goroutine ids: add ID (true when it was there), or
 * only look (chunk.c checks a range's ids before it adds any). */
bool ps_p_id_seen(struct ps_parser *p, uint64_t id);
void ps_p_ids_clear(struct ps_parser *p);  /* a new dump's ids start */
bool ps_p_id_known(const struct ps_parser *p, uint64_t id);
/* The document's one copy of the BYTES at F (a frames array, a
 * created-by): equal content, equal pointer. */
void *ps_p_share(struct ps_parser *p, const void *f, size_t bytes);
/* The same, F itself becoming the copy when it is new: F must live as
 * long as the document's shared arena (chunk.c hands that arena the
 * blocks F is in). */
void *ps_p_share_kept(struct ps_parser *p, void *f, size_t bytes);

/* input.c: a read-only mapping of bytes [OFF, OFF + N) of FD, page-
 * aligned underneath: S[0..N) are the bytes.  False when mmap fails. */
struct ps_p_view {
	void *map;
	size_t map_n;
	const char *s;
	size_t n;
};
bool ps_p_view_open(struct ps_p_view *v, int fd, uint64_t off, uint64_t n);
void ps_p_view_close(struct ps_p_view *v);

/* input.c: feeds bytes [START, END) of the regular file FD, mapped a
 * window at a time; -1 when the first window cannot be mapped. */
int ps_p_feed_mapped(struct ps_parser *p, int fd, uint64_t start, uint64_t end);

/* chunk.c: feeds the SIZE bytes of the regular file FD, on opts.jobs
 * threads when it is large enough; -1 as ps_p_feed_mapped. */
int ps_p_feed_file(struct ps_parser *p, int fd, uint64_t size);
void ps_p_memo_free(struct ps_parser *p);
/* The dump ends: what the memos keep of its own memory goes (a streamed
 * dump's arena is released once it is handed out). */
void ps_p_memo_end_dump(struct ps_parser *p);
void ps_p_stacks_free(struct ps_parser *p);  /* the shared stacks' table */

#endif

/*
 * report_int.h - private pieces shared by the report writers.
 *
 * The report builds the analysis of each dump (ps_view.h):
 * the goroutines that pass the -m/-x filters, their groups (ordered for
 * display), findings, path classes, the headline and decoded arguments.
 * The four writers (json.c, text.c, html.c, markdown.c) only format that
 * view; none of them decides anything or loops over goroutines twice.
 */
#ifndef PS_REPORT_INT_H
#define PS_REPORT_INT_H

#include <string.h>

#include "ps_report.h"

/* ---- the output buffer: base's ps_buf ------------------------------- */

/* The writers' rp_buf names are aliases of ps_buf (base/buf.c), kept so
 * that report/escape.c, edited on another branch, needs no change now;
 * a mechanical rp_buf -> ps_buf rename can drop them after the merge. */
#define rp_buf ps_buf
#define rp_buf_grow ps_buf_grow
#define rp_buf_add ps_buf_add
#define rp_buf_addc ps_buf_addc
#define rp_buf_puts ps_buf_puts
#define rp_buf_printf ps_buf_printf
#define rp_buf_cstr ps_buf_cstr
#define rp_buf_release ps_buf_release

/* Decimal and "0x" hex numbers without printf. */
void rp_buf_u64(struct rp_buf *b, uint64_t v);
void rp_buf_i64(struct rp_buf *b, int64_t v);
void rp_buf_hex(struct rp_buf *b, uint64_t v);
/* Writes B to F and empties it once it holds more than RP_SPILL_AT bytes
 * (F NULL: keeps accumulating), so writers stream without holding the
 * report.  A megabyte, not less: a 4 KiB stdio FILE turns each spill
 * into a 4 KiB write and one of the rest, and the page cache (ext4,
 * Linux 6.18) sizes its folios by the write: 202 MB of JSON cost 0.079 s
 * of system time written as 4 KiB + 60 KiB, 0.051 s as 4 KiB + 1020 KiB. */
#define RP_SPILL_AT ((size_t)1 << 20)
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

/* ---- JSON written once per shared parsed piece (memo.c) ------------- */

/* A key names parsed data that never changes: pointers into it (a
 * shared frames array, interned strings) and the numbers that go with
 * them, zero-filled.  Equal keys stand for equal bytes as long as what
 * the caller formats depends on nothing else.  A zeroed rp_memo is
 * empty; its fields are private. */
#define RP_MEMO_WORDS 4
struct rp_memo_key {
	uint64_t w[RP_MEMO_WORDS];
};
struct rp_memo {
	struct ps_map map;
	struct ps_arena arena;
	size_t bytes;
	uint32_t *seen;                 /* tags of keys met once */
	size_t n_seen, n_notes;
};
/* What memo.c keeps for a key. */
struct rp_memo_entry {
	struct rp_memo_key key;
	const char *json;
	size_t len;
};
/* Both written out word by word: gcc -O2 kept them loops, and the JSON
 * of the 100k-goroutine dump calls them a million times. */
_Static_assert(RP_MEMO_WORDS == 4, "rp_memo_entry_is and rp_memo_hash read 4 words");

static inline bool rp_memo_entry_is(const void *value, const void *key)
{
	const struct rp_memo_entry *e = value;
	const struct rp_memo_key *k = key;
	return ((e->key.w[0] ^ k->w[0]) | (e->key.w[1] ^ k->w[1]) |
		(e->key.w[2] ^ k->w[2]) | (e->key.w[3] ^ k->w[3])) == 0;
}

static inline uint64_t rp_memo_hash(const struct rp_memo_key *k)
{
	const uint64_t m = 0x9e3779b97f4a7c15ULL;
	uint64_t h = k->w[0] * m;

	h = (h ^ k->w[1]) * m;
	h = (h ^ k->w[2]) * m;
	h = (h ^ k->w[3]) * m;
	return h ^ h >> 29;
}

/* Appends K's kept bytes to B: true, or false when none are kept (the
 * caller formats them into B from START and calls rp_memo_keep).  H is
 * rp_memo_hash(K), computed once by the caller for both calls.
 * Inline, with the two above: the JSON asks once or twice per frame
 * written, and a call cost a fifth of each answer. */
static inline bool rp_memo_copy(struct rp_memo *m, const struct rp_memo_key *k,
				uint64_t h, struct rp_buf *b)
{
	const struct rp_memo_entry *e = ps_map_get(&m->map, h, rp_memo_entry_is, k);

	if (!e)
		return false;
	rp_buf_add(b, e->json, e->len);
	return true;
}
/* B[START..) is K's JSON (K not kept): noted the first time, kept the
 * second. */
void rp_memo_keep(struct rp_memo *m, const struct rp_memo_key *k, uint64_t h,
		  const struct rp_buf *b, size_t start);
void rp_memo_release(struct rp_memo *m);

/* ---- the context handed to writers ---------------------------------- */

struct rp_ctx {
	const struct ps_doc *doc;       /* its totals (lines, skipped) are
					   final only in head (when
					   COUNT_KNOWN) and tail */
	const struct ps_report_opts *opts;
	size_t n_dumps;                 /* dumps so far, the current one
					   included; in head and tail all */
	bool more;                      /* in body: another dump follows */
	/* false with opts->stream once dumps go out before the input
	 * ends: N_DUMPS and the totals are then not known before the
	 * tail, and there are at least two dumps. */
	bool count_known;
};

/* What a dump's header needs once the dump itself is freed. */
struct rp_dump_info {
	const char *source;             /* interned in the document */
	uint32_t first_line, last_line;
};

/* A writer's output in the parts the input decides at different times
 * (report.c calls them; each part writes to OUT and leaves nothing in
 * the writer's buffer):
 *   note       (may be NULL) a dump's share of the head, kept small;
 *   body       a dump's own output, as soon as the dump is final;
 *   head       once, before the first dump's output: may need what only
 *              the end knows (JSON's line counts, HTML's page header);
 *   dump_head  before each dump's body: may need the count of dumps;
 *   tail       once at the end, then frees the writer.
 * Bodies of dumps that come before the end are spooled (spool.c) and
 * written after head, so the output is the same as if the whole input
 * had been read first. */
struct rp_writer {
	void *(*open)(const struct rp_ctx *c);
	void (*note)(void *w, const ps_view *v, size_t index);
	void (*body)(void *w, const ps_view *v, size_t index, FILE *out);
	void (*head)(void *w, FILE *out);
	void (*dump_head)(void *w, const struct rp_dump_info *d, size_t index,
			  FILE *out);
	void (*tail)(void *w, FILE *out);
};
extern const struct rp_writer rp_text_writer, rp_json_writer,
	rp_markdown_writer, rp_html_writer;

/* ---- the spool (spool.c) ---- */

typedef struct rp_spool rp_spool;
rp_spool *rp_spool_new(void);           /* NULL: out of memory */
const char *rp_spool_dir(void);         /* $TMPDIR, else /tmp */
FILE *rp_spool_file(rp_spool *s);       /* write the bytes here */
uint64_t rp_spool_size(rp_spool *s);    /* bytes written so far */
/* Copies bytes [OFF, END) to OUT; -1 with errno when the spool lost
 * bytes (its temporary file could not be written). */
int rp_spool_copy(rp_spool *s, uint64_t off, uint64_t end, FILE *out);
void rp_spool_free(rp_spool *s);

/* One-line rendering of decoded args: `slice []string len=2 cap=4`. */
void rp_abi_args_text(struct rp_buf *b, const struct ps_abi_frame *af);
/* The same, with "name=…" for arguments whose printed words are not all
 * in MASK (top-level items as ps_view_next_arg numbers them; WORDS: the
 * Go <= 1.16 format, one item per word). */
void rp_abi_args_text_masked(struct rp_buf *b, const struct ps_abi_frame *af,
			     uint64_t mask, bool words);

/* ---- printed argument lists as top-level items (args.c) ---- */

/* A printed argument list with the items not in MASK shown as "…". */
void rp_args_masked(struct rp_buf *out, const char *s, size_t n, uint64_t mask);

/* The JSON "args" array of undecoded argument text S[0..N) (ARG objects
 * with "raw" and "reliable"): Go's own layout in one pass (json.c's
 * flat_items), any other text through ps_parse_args's tree; TREE takes
 * the tree for every text (tests compare the two ways). */
void rp_json_raw_args(struct rp_buf *b, const char *s, size_t n,
		      struct ps_arena *scratch, bool tree);

/* The JSON "args" array of decoded arguments (ARG objects of CONTRACT.md). */
void rp_json_abi_args(struct rp_buf *b, const struct ps_abi_frame *af);

#endif

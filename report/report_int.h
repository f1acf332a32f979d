/*
 * report_int.h - private pieces shared by the report writers.
 *
 * ps_report_write() first builds the analysis of each dump (ps_view.h):
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
/* Appends K's kept bytes to B: true, or false when none are kept (the
 * caller formats them into B from START and calls rp_memo_keep). */
bool rp_memo_copy(struct rp_memo *m, const struct rp_memo_key *k, struct rp_buf *b);
/* B[START..) is K's JSON (K not kept): noted the first time, kept the
 * second. */
void rp_memo_keep(struct rp_memo *m, const struct rp_memo_key *k,
		  const struct rp_buf *b, size_t start);
void rp_memo_release(struct rp_memo *m);

/* ---- the context handed to writers ---------------------------------- */

struct rp_ctx {
	const struct ps_doc *doc;
	const struct ps_report_opts *opts;
	ps_view **views;                        /* one per dump */
	size_t n_dumps;
	size_t n_filtered_out;                  /* over all dumps */
};

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

/* The JSON "args" array of decoded arguments (ARG objects of CONTRACT.md). */
void rp_json_abi_args(struct rp_buf *b, const struct ps_abi_frame *af);

int rp_write_json(FILE *out, const struct rp_ctx *c);
int rp_write_text(FILE *out, const struct rp_ctx *c);
int rp_write_markdown(FILE *out, const struct rp_ctx *c);
int rp_write_html(FILE *out, const struct rp_ctx *c);

#endif

/* json.c - the JSON report (CONTRACT.md "JSON of panicscope -f json").
 * Keys named there are never renamed; extra keys are additions.  Output
 * is streamed through a buffer that spills every megabyte (RP_SPILL_AT). */
#include "report_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct jw {
	struct rp_buf b;
	FILE *out;
	const struct rp_ctx *c;
	const ps_view *d;
	struct ps_arena scratch;        /* per goroutine: parsed/decoded args */
	/* JSON of the current dump's shared pieces (memo.c) */
	struct rp_memo wheres;          /* a frame's func, file, line, offset */
	struct rp_memo args;            /* undecoded args, by argument text */
	struct rp_memo stacks;          /* frames arrays */
	struct rp_memo creators;        /* created-by lines */
	struct rp_memo heads;           /* a goroutine's state and flags */
};

/* K is one of this file's key names: plain ASCII, nothing to escape.
 * KEY: K a literal, written in one piece (keys of every frame). */
#define KEY(w, k) rp_buf_add(&(w)->b, "\"" k "\":", sizeof(k) + 2)

static void key(struct jw *w, const char *k)
{
	rp_buf_addc(&w->b, '"');
	rp_buf_puts(&w->b, k);
	rp_buf_add(&w->b, "\":", 2);
}

/* LIT (JSON text up to a value) and then V: no printf per value. */
static void lit_bool(struct jw *w, const char *lit, bool v)
{
	rp_buf_puts(&w->b, lit);
	rp_buf_puts(&w->b, v ? "true" : "false");
}

static void lit_u64(struct jw *w, const char *lit, uint64_t v)
{
	rp_buf_puts(&w->b, lit);
	rp_buf_u64(&w->b, v);
}

static void str_or_null(struct jw *w, const char *s)
{
	rp_json_cstr(&w->b, s, 0);
}

static void hex(struct jw *w, uint64_t v)
{
	rp_buf_addc(&w->b, '"');
	rp_buf_hex(&w->b, v);
	rp_buf_addc(&w->b, '"');
}

static void bool_(struct jw *w, bool v)
{
	rp_buf_puts(&w->b, v ? "true" : "false");
}

static void int_or_null(struct jw *w, long long v, bool present)
{
	if (present)
		rp_buf_i64(&w->b, v);
	else
		rp_buf_puts(&w->b, "null");
}

static void comma(struct jw *w, size_t i)
{
	if (i)
		rp_buf_addc(&w->b, ',');
}

/* ---- undecoded arguments: one ARG per printed word or group ---- */

static bool tree_reliable(const struct ps_arg *a)
{
	if (a->unreliable || a->kind == PS_ARG_BAD || a->kind == PS_ARG_DEEP ||
	    a->kind == PS_ARG_BLANK || a->kind == PS_ARG_ELIDED)
		return false;
	for (uint32_t i = 0; i < a->n_children; i++)
		if (!tree_reliable(&a->children[i]))
			return false;
	return true;
}

/* PLAIN: the whole argument text needed no escape, so neither does a
 * piece of it (pieces start and end at ASCII separators, never inside a
 * UTF-8 sequence). */
static void raw_arg(struct jw *w, const struct ps_arg *a, bool plain)
{
	size_t n = a->raw_len;

	/* the '?' is reported as reliable:false, not kept in the value */
	if (a->kind == PS_ARG_WORD && n && a->raw[n - 1] == '?')
		n--;
	rp_buf_add(&w->b, "{\"raw\":", 7);
	if (plain && a->raw) {
		rp_buf_addc(&w->b, '"');
		rp_buf_add(&w->b, a->raw, n);
		rp_buf_addc(&w->b, '"');
	} else {
		rp_json_str(&w->b, a->raw ? a->raw : "", a->raw ? n : 0, 0);
	}
	rp_buf_add(&w->b, ",\"reliable\":", 12);
	bool_(w, tree_reliable(a));
	if (a->kind == PS_ARG_ELIDED)
		rp_buf_puts(&w->b, ",\"elided\":true");
	rp_buf_addc(&w->b, '}');
}

/* Top-level items of an argument text that is all in Go's own layout:
 * "0x..." words (at most 16 digits) with an optional '?', "{...}" groups
 * of at least one item, "..." items, all joined by ", " and nothing else.
 * For such text ps_parse_args's top-level nodes span exactly these items,
 * an item is unreliable exactly when it holds a '?' or a "..." (elided or
 * too deep), and no byte needs a JSON escape; most frames' texts are
 * unique (pointers), so this one pass, no tree, is the JSON run's
 * commonest work.  Any other text (or more than FLAT_MAX items) is the
 * parser's. */
#define FLAT_MAX 32
#define FLAT_DEPTH 8

static const bool flat_digit[256] = {
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1,
	['7'] = 1, ['8'] = 1, ['9'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1,
	['e'] = 1, ['f'] = 1,
};

/* The end of the word at S[I] (a '0' with 3 bytes or more from it),
 * past its '?' (then *UNSURE), or 0. */
static size_t flat_word(const char *s, size_t n, size_t i, bool *unsure)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t d = i + 2, lim;

	if (s[i + 1] != 'x')    /* the caller saw '0' and 3 bytes left */
		return 0;
	/* 17 digits are looked at: a 17th makes it not a 64-bit word */
	lim = n - d > 17 ? d + 17 : n;
	if (lim - d >= 2 && flat_digit[u[d]] && !flat_digit[u[d + 1]]) {
		d++;    /* one digit: "0x0" is half of all words */
	} else {
		/* pointers have 12 digits: four looked up at a time first */
		while (lim - d >= 4 && (flat_digit[u[d]] & flat_digit[u[d + 1]] &
					flat_digit[u[d + 2]] & flat_digit[u[d + 3]]))
			d += 4;
		while (d < lim && flat_digit[u[d]])
			d++;
	}
	if (d == i + 2 || d - i - 2 > 16)
		return 0;
	if (d < n && s[d] == '?') {
		*unsure = true;
		return d + 1;
	}
	return d;
}

/* N bytes of S at O; returns the end.  N a constant: no call. */
static inline char *put(char *o, const char *s, size_t n)
{
	memcpy(o, s, n);
	return o + n;
}
#define PUT(o, lit) put((o), (lit), sizeof(lit) - 1)

/* The ARG of item IT[0..LEN) at O: at most LEN + FLAT_ITEM_MORE bytes. */
#define FLAT_ITEM_MORE (sizeof(",{\"raw\":\"\",\"reliable\":false,\"elided\":true}") - 1)

/* LEN bytes of IT at O, where IT has AVAIL bytes of its text left: a
 * short item (most: "0x0", a pointer) goes as one 16-byte move, the
 * bytes past it overwritten by what follows, instead of a memcpy call
 * per item.  O has room for it (flat_args grew the buffer by 16 bytes
 * more than any item needs). */
static inline char *put_item(char *o, const char *it, size_t len, size_t avail)
{
	if (len <= 16 && avail >= 16) {
		memcpy(o, it, 16);
		return o + len;
	}
	return put(o, it, len);
}

static char *flat_item(char *o, size_t k, const char *it, size_t len, size_t avail,
		       bool unsure)
{
	if (k)
		*o++ = ',';
	o = PUT(o, "{\"raw\":\"");
	/* the '?' is reported as reliable:false, not kept in the value */
	o = put_item(o, it, it[len - 1] == '?' ? len - 1 : len, avail);
	if (!unsure)
		return PUT(o, "\",\"reliable\":true}");
	if (len == 3 && it[0] == '.')
		return PUT(o, "\",\"reliable\":false,\"elided\":true}");
	return PUT(o, "\",\"reliable\":false}");
}

/* Appends the "args" array of S[0..N) when the text is flat, each item
 * as soon as it ends; false, B's length as it was, when it is not. */
static bool flat_args(struct rp_buf *b, const char *s, size_t n)
{
	size_t i = 0, k = 0, from = 0;
	int depth = 0;
	bool unsure = false;
	char *o;

	/* room for the longest output at once: no check per byte (and no
	 * call when the buffer has it, as it mostly has) */
	size_t most = n + 2 + FLAT_MAX * FLAT_ITEM_MORE + 16;
	if (b->len + most + 1 > b->cap)
		rp_buf_grow(b, most);
	o = b->p + b->len;
	*o++ = '[';
	for (;;) {
		/* an item's start: any '{' that open it (FLAT_DEPTH at most),
		 * then a word (the common case, tried first) or "..." */
		while (i < n && s[i] == '{') {
			if (depth == FLAT_DEPTH)
				return false;
			i++, depth++;
		}
		if (n - i >= 3 && s[i] == '0') {
			if (!(i = flat_word(s, n, i, &unsure)))
				return false;
		} else if (n - i >= 3 && s[i] == '.' && s[i + 1] == '.' && s[i + 2] == '.') {
			i += 3;
			unsure = true;
		} else {
			return false;
		}
		/* after it: the '}' it closes, then ", " or the end */
		while (i < n && s[i] == '}' && depth)
			i++, depth--;
		if (depth == 0) {
			if (k == FLAT_MAX)
				return false;
			o = flat_item(o, k++, s + from, i - from, n - from, unsure);
			unsure = false;
			from = i + 2;
		}
		if (i == n)
			break;
		if (n - i < 3 || s[i] != ',' || s[i + 1] != ' ')
			return false;
		i += 2;
	}
	if (depth)
		return false;
	*o++ = ']';
	b->len = (size_t)(o - b->p);
	return true;
}

static void tree_args(struct jw *w, const struct ps_arg *args, size_t n, bool plain)
{
	rp_buf_addc(&w->b, '[');
	for (size_t i = 0; i < n; i++) {
		comma(w, i);
		raw_arg(w, &args[i], plain);
	}
	rp_buf_addc(&w->b, ']');
}

/* Through ps_parse_args's tree (flat text went out by flat_args): the
 * argument text RAW (interned, or NULL) of frame F. */
static void raw_args(struct jw *w, const struct ps_frame *f, const char *raw, bool plain)
{
	struct ps_arg *args = NULL;
	size_t n = 0;

	/* an inlined frame prints "(...)": no arguments, not elided ones */
	if (raw && ps_intern_len(raw) && !f->inlined)
		(void)ps_parse_args(raw, ps_intern_len(raw), &w->scratch, &args, &n);
	tree_args(w, args, n, plain);
}

/* ---- decoded arguments: ARG and VALUE of CONTRACT.md ---- */

static void abi_arg(struct jw *w, const struct ps_abi_arg *a);

static void number(struct jw *w, double f)
{
	/* JSON has no NaN or infinities: name them as strings */
	if (isnan(f))
		rp_buf_puts(&w->b, "\"NaN\"");
	else if (isinf(f))
		rp_buf_puts(&w->b, f > 0 ? "\"+Inf\"" : "\"-Inf\"");
	else
		rp_buf_printf(&w->b, "%.17g", f);
}

static void fields(struct jw *w, const char *k, const struct ps_abi_value *v)
{
	rp_buf_addc(&w->b, '{');
	key(w, k);
	rp_buf_addc(&w->b, '[');
	for (size_t i = 0; i < v->n_fields; i++) {
		comma(w, i);
		abi_arg(w, &v->fields[i]);
	}
	rp_buf_add(&w->b, "]}", 2);
}

static void ptr_obj(struct jw *w, const char *k, uint64_t p)
{
	rp_buf_addc(&w->b, '{');
	key(w, k);
	hex(w, p);
}

static void abi_value(struct jw *w, const struct ps_abi_value *v)
{
	switch (v->kind) {
	case PS_V_ABSENT:
	case PS_V_UNKNOWN: rp_buf_puts(&w->b, "null"); break;
	case PS_V_INT: rp_buf_i64(&w->b, (int64_t)v->i); break;
	case PS_V_UINT: rp_buf_u64(&w->b, (uint64_t)v->u); break;
	case PS_V_BOOL: bool_(w, v->b); break;
	case PS_V_FLOAT: number(w, v->f); break;
	case PS_V_COMPLEX:
		rp_buf_puts(&w->b, "{\"re\":");
		number(w, v->f);
		rp_buf_puts(&w->b, ",\"im\":");
		number(w, v->f_im);
		rp_buf_addc(&w->b, '}');
		break;
	case PS_V_STRING:
		ptr_obj(w, "ptr", v->ptr);
		lit_u64(w, ",\"len\":", v->len);
		rp_buf_puts(&w->b, ",\"text\":");
		str_or_null(w, v->text);
		rp_buf_addc(&w->b, '}');
		break;
	case PS_V_SLICE:
		ptr_obj(w, "ptr", v->ptr);
		lit_u64(w, ",\"len\":", v->len);
		lit_u64(w, ",\"cap\":", v->cap);
		rp_buf_addc(&w->b, '}');
		break;
	case PS_V_IFACE:
		ptr_obj(w, "type", v->type_word);
		rp_buf_puts(&w->b, ",\"data\":");
		hex(w, v->data_word);
		rp_buf_puts(&w->b, ",\"type_name\":");
		str_or_null(w, v->type_name);
		rp_buf_addc(&w->b, '}');
		break;
	case PS_V_POINTER:
		ptr_obj(w, "ptr", v->ptr);
		rp_buf_puts(&w->b, ",\"symbol\":");
		str_or_null(w, v->symbol);
		rp_buf_addc(&w->b, '}');
		break;
	case PS_V_STRUCT: fields(w, "fields", v); break;
	case PS_V_ARRAY: fields(w, "elems", v); break;
	}
}

static void abi_arg(struct jw *w, const struct ps_abi_arg *a)
{
	rp_buf_puts(&w->b, "{\"name\":");
	str_or_null(w, a->name ? a->name : "");
	rp_buf_puts(&w->b, ",\"type\":");
	str_or_null(w, a->type ? a->type : "");
	rp_buf_puts(&w->b, ",\"role\":");
	str_or_null(w, ps_abi_role_name(a->role));
	rp_buf_puts(&w->b, ",\"reliable\":");
	bool_(w, a->reliable);
	rp_buf_puts(&w->b, ",\"words\":[");
	for (size_t i = 0; i < a->n_words; i++) {
		comma(w, i);
		hex(w, a->words[i]);
	}
	rp_buf_addc(&w->b, ']');
	/* printed partly with '?': the doubtful parts, the rest is usable */
	for (unsigned i = 0, n = 0; a->value.unreliable_parts >> i; i++)
		if (a->value.unreliable_parts >> i & 1) {
			rp_buf_puts(&w->b, n++ ? "," : ",\"unreliable_parts\":[");
			str_or_null(w, ps_abi_part_name(a->value.kind, i));
		}
	if (a->value.unreliable_parts)
		rp_buf_addc(&w->b, ']');
	rp_buf_puts(&w->b, ",\"value\":");
	abi_value(w, &a->value);
	rp_buf_addc(&w->b, '}');
}

static void abi_args(struct jw *w, const struct ps_abi_frame *af)
{
	rp_buf_addc(&w->b, '[');
	for (size_t i = 0; i < af->n_args; i++) {
		comma(w, i);
		abi_arg(w, &af->args[i]);
	}
	rp_buf_addc(&w->b, ']');
}

void rp_json_raw_args(struct rp_buf *b, const char *s, size_t n,
		      struct ps_arena *scratch, bool tree)
{
	struct jw w = { .b = *b, .scratch = *scratch };

	if (tree || !n || !flat_args(&w.b, s, n)) {
		struct ps_arg *args = NULL;
		size_t k = 0;
		if (n)
			(void)ps_parse_args(s, n, &w.scratch, &args, &k);
		tree_args(&w, args, k, false);
	}
	*b = w.b;
	*scratch = w.scratch;
}

void rp_json_abi_args(struct rp_buf *b, const struct ps_abi_frame *af)
{
	struct jw w = { .b = *b };
	abi_args(&w, af);
	*b = w.b;
}

/* The "args" array of a frame, plus "note" when decoding left one:
 * AF the decoded frame, or NULL.  PLAIN: as raw_arg's. */
static void frame_args(struct jw *w, const struct ps_frame *f, const char *raw, bool plain,
		       const struct ps_abi_frame *af)
{
	KEY(w, "args");
	if (!af) {
		raw_args(w, f, raw, plain);
		return;
	}
	abi_args(w, af);
	if (af->note) {
		rp_buf_puts(&w->b, ",\"note\":");
		str_or_null(w, af->note);
	}
}

/* ---- frames and goroutines ---- */

static void file_line(struct jw *w, const char *file, uint32_t line, bool present)
{
	KEY(w, "file");
	str_or_null(w, present ? file : NULL);
	rp_buf_puts(&w->b, ",\"line\":");
	int_or_null(w, line, present);
}

/* Where a frame is: interned strings compare by pointer, the rest is
 * numbers and flags. */
static struct rp_memo_key where_key(const struct ps_frame *f)
{
	return (struct rp_memo_key){ {
		(uintptr_t)f->func, (uintptr_t)f->file,
		f->line | (uint64_t)f->pc_offset << 32,
		f->kind | (uint64_t)f->has_pc_offset << 8 | (uint64_t)f->inlined << 9 |
			(uint64_t)f->has_file << 10,
	} };
}

/* A frame's keys up to its arguments: a function and line recur in
 * every goroutine that passed there, whatever it was called with. */
static void frame_where(struct jw *w, const struct ps_frame *f)
{
	struct rp_memo_key k = where_key(f);
	uint64_t h = rp_memo_hash(&k);
	size_t start = w->b.len;

	if (rp_memo_copy(&w->wheres, &k, h, &w->b))
		return;
	rp_buf_puts(&w->b, "{\"func\":");
	str_or_null(w, f->func ? f->func : "");
	rp_buf_addc(&w->b, ',');
	file_line(w, f->file, f->line, f->has_file);
	rp_buf_puts(&w->b, ",\"pc_offset\":");
	if (f->has_pc_offset)
		hex(w, f->pc_offset);
	else
		rp_buf_puts(&w->b, "null");
	rp_buf_puts(&w->b, ",\"inlined\":");
	bool_(w, f->inlined);
	if (f->kind == PS_FRAME_C)
		rp_buf_puts(&w->b, ",\"kind\":\"c\"");
	rp_memo_keep(&w->wheres, &k, h, &w->b, start);
}

/* "args_raw" and "args" of flat text S[0..N) (flat_args), copied as it
 * is: it has nothing to escape.  False, B as it was, for other text. */
static bool flat_frame_args(struct rp_buf *b, const char *s, size_t n)
{
	size_t start = b->len;

	rp_buf_add(b, ",\"args_raw\":\"", 13);
	rp_buf_add(b, s, n);
	rp_buf_add(b, "\",\"args\":", 9);
	if (flat_args(b, s, n))
		return true;
	b->len = start;
	return false;
}

/* "args_raw" and "args" of frame I of ST: without a binary they follow
 * from the interned text alone (decoding reads more of the stack than
 * it prints). */
static void frame_args_all(struct jw *w, const struct ps_stack *st, size_t i)
{
	const struct ps_frame *f = &st->frames[i];
	const char *raw = ps_stack_args(st, i);
	size_t len = ps_stack_args_len(st, i);
	struct rp_memo_key k = { { (uintptr_t)raw, len, f->inlined } };
	uint64_t h = rp_memo_hash(&k);
	size_t start = w->b.len, text;
	bool memo = !w->c->opts->abi;

	if (memo && rp_memo_copy(&w->args, &k, h, &w->b))
		return;
	struct ps_abi_frame af;
	bool decoded = ps_view_decode(w->d, st, i, &w->scratch, &af);

	/* an inlined frame prints "(...)": no arguments, not elided ones */
	if (decoded || !raw || !len || f->inlined || !flat_frame_args(&w->b, raw, len)) {
		rp_buf_puts(&w->b, ",\"args_raw\":");
		text = w->b.len;
		rp_json_str(&w->b, raw ? raw : "", len, 0);
		/* the quotes alone added: every byte went out as it was */
		bool plain = raw && w->b.len - text == len + 2;
		rp_buf_addc(&w->b, ',');
		frame_args(w, f, raw, plain, decoded ? &af : NULL);
	}
	if (memo)
		rp_memo_keep(&w->args, &k, h, &w->b, start);
}

/* VARY: -1 outside groups, else whether the group's members printed
 * different args for this frame. */
static void frame(struct jw *w, const struct ps_stack *st, size_t i, int vary)
{
	frame_where(w, &st->frames[i]);
	frame_args_all(w, st, i);
	if (vary >= 0)
		rp_buf_puts(&w->b, vary ? ",\"args_vary\":true" : ",\"args_vary\":false");
	rp_buf_addc(&w->b, '}');
}

/* A goroutine's frames and argument arrays are the parser's shared
 * copies of its stack: its JSON is the same for every goroutine that
 * printed both (a group's is not: its "args_vary" belongs to the group). */
static struct rp_memo_key stack_key(const struct ps_stack *st)
{
	return (struct rp_memo_key){ { (uintptr_t)st->frames, (uintptr_t)st->args,
				       st->n_frames } };
}

/* A stack longer than this streams out every this many frames (its
 * JSON is not memoized), and a group's ids likewise: one goroutine of a
 * million frames, or a group of a million goroutines, must not sit in
 * memory whole. */
#define STREAM_ITEMS 1024

static void frame_list(struct jw *w, const struct ps_stack *st, const bool *same)
{
	bool stream = st->n_frames > STREAM_ITEMS;

	rp_buf_addc(&w->b, '[');
	for (size_t i = 0; i < st->n_frames; i++) {
		comma(w, i);
		frame(w, st, i, same ? !same[i] : -1);
		if (stream && i % STREAM_ITEMS == STREAM_ITEMS - 1) {
			ps_arena_release(&w->scratch);
			rp_buf_spill(&w->b, w->out);
		}
	}
	rp_buf_addc(&w->b, ']');
}

static void frames(struct jw *w, const struct ps_stack *st, const bool *same)
{
	struct rp_memo_key k = stack_key(st);
	bool memo = !same && st->n_frames && st->n_frames <= STREAM_ITEMS;
	uint64_t h = memo ? rp_memo_hash(&k) : 0;
	size_t start;

	KEY(w, "frames");
	start = w->b.len;
	if (!memo || !rp_memo_copy(&w->stacks, &k, h, &w->b)) {
		frame_list(w, st, same);
		if (memo)
			rp_memo_keep(&w->stacks, &k, h, &w->b, start);
	}
	if (st->elided) {
		lit_u64(w, ",\"elided\":{\"at\":", st->elided_at);
		lit_u64(w, ",\"count\":", st->elided_count);
		rp_buf_addc(&w->b, '}');
	}
}

/* The parser shares a created-by line between the goroutines that
 * print it, like a stack. */
static void created_by(struct jw *w, const struct ps_created_by *cb)
{
	struct rp_memo_key k = { { (uintptr_t)cb } };
	uint64_t h;
	size_t start;

	KEY(w, "created_by");
	if (!cb) {
		rp_buf_puts(&w->b, "null");
		return;
	}
	h = rp_memo_hash(&k);
	if (rp_memo_copy(&w->creators, &k, h, &w->b))
		return;
	start = w->b.len;
	rp_buf_puts(&w->b, "{\"func\":");
	str_or_null(w, cb->func ? cb->func : "");
	rp_buf_addc(&w->b, ',');
	file_line(w, cb->file, cb->line, cb->file && cb->file[0]);
	rp_buf_puts(&w->b, ",\"goroutine\":");
	int_or_null(w, (long long)cb->goroutine, cb->has_goroutine);
	rp_buf_addc(&w->b, '}');
	rp_memo_keep(&w->creators, &k, h, &w->b, start);
}

static void ancestors(struct jw *w, const struct ps_goroutine *g)
{
	size_t n;
	const struct ps_ancestor *all = ps_goroutine_ancestors(g, &n);
	rp_buf_puts(&w->b, ",\"ancestors\":[");
	for (size_t i = 0; i < n; i++) {
		const struct ps_ancestor *a = &all[i];
		comma(w, i);
		lit_u64(w, "{\"id\":", a->id);
		rp_buf_addc(&w->b, ',');
		frames(w, &a->stack, NULL);
		rp_buf_addc(&w->b, ',');
		created_by(w, a->created_by);
		rp_buf_addc(&w->b, '}');
	}
	rp_buf_addc(&w->b, ']');
}

/* What goroutine_head writes: an interned state, a role (a constant or
 * parsed text) and numbers.  A dump of 100,000 goroutines has a few
 * dozen of these, so the keys up to "frames" are copied, not formatted. */
static struct rp_memo_key head_key(const struct ps_goroutine *g)
{
	uint64_t flags = (uint64_t)g->locked_to_thread | (uint64_t)g->crashed << 1 |
			 (uint64_t)g->scan << 2 | (uint64_t)g->no_stack << 3 |
			 (uint64_t)g->truncated << 4 | (uint64_t)g->has_header << 5;

	return (struct rp_memo_key){ {
		(uintptr_t)g->state, (uintptr_t)ps_goroutine_role(g),
		(uint32_t)g->wait_minutes | flags << 32, ps_goroutine_count(g),
	} };
}

/* A goroutine's keys from "state" to "role". */
static void goroutine_head(struct jw *w, const struct ps_goroutine *g)
{
	struct rp_memo_key k = head_key(g);
	uint64_t h = rp_memo_hash(&k);
	size_t start = w->b.len;

	if (rp_memo_copy(&w->heads, &k, h, &w->b))
		return;
	rp_buf_puts(&w->b, ",\"state\":");
	str_or_null(w, g->state ? g->state : "");
	rp_buf_puts(&w->b, ",\"wait_minutes\":");
	int_or_null(w, g->wait_minutes, g->wait_minutes >= 0);
	rp_buf_puts(&w->b, ",\"locked_to_thread\":");
	bool_(w, g->locked_to_thread);
	rp_buf_puts(&w->b, ",\"crashed\":");
	bool_(w, g->crashed);
	rp_buf_puts(&w->b, ",\"count\":");
	rp_buf_u64(&w->b, ps_goroutine_count(g));
	rp_buf_puts(&w->b, ",\"scan\":");
	bool_(w, g->scan);
	rp_buf_puts(&w->b, ",\"no_stack\":");
	bool_(w, g->no_stack);
	rp_buf_puts(&w->b, ",\"truncated\":");
	bool_(w, g->truncated);
	rp_buf_puts(&w->b, ",\"has_header\":");
	bool_(w, g->has_header);
	if (ps_goroutine_role(g)[0]) {
		rp_buf_puts(&w->b, ",\"role\":");
		str_or_null(w, ps_goroutine_role(g));
	}
	rp_memo_keep(&w->heads, &k, h, &w->b, start);
}

static void goroutine(struct jw *w, const struct ps_goroutine *g)
{
	rp_buf_puts(&w->b, "{\"id\":");
	if (g->has_id)          /* a runtime stack has no id: not goroutine 0 */
		rp_buf_u64(&w->b, g->id);
	else
		rp_buf_puts(&w->b, "null");
	goroutine_head(w, g);
	if (g->header_extra && g->header_extra[0]) {
		rp_buf_puts(&w->b, ",\"header_extra\":");
		str_or_null(w, g->header_extra);
	}
	rp_buf_addc(&w->b, ',');
	frames(w, &g->stack, NULL);
	rp_buf_addc(&w->b, ',');
	created_by(w, g->created_by);
	if (g->rare && g->rare->n_ancestors)
		ancestors(w, g);
	rp_buf_addc(&w->b, '}');
}

/* ---- groups, findings, dumps ---- */

static const char *class_name(enum ps_view_class c)
{
	return c == PS_VIEW_USER ? "user" : c == PS_VIEW_DEP ? "dependency" : "stdlib";
}

static void group(struct jw *w, const struct ps_view_group *gr)
{
	rp_buf_puts(&w->b, "{\"state\":");
	str_or_null(w, gr->rep->state ? gr->rep->state : "");
	lit_u64(w, ",\"count\":", gr->count);
	rp_buf_puts(&w->b, ",\"goroutines\":[");
	/* the ids of the members that have one (a runtime stack or a pprof
	 * record has none; "count" still counts it) */
	for (size_t i = 0, k = 0; i < gr->n_members; i++) {
		if (!gr->members[i]->has_id)
			continue;
		comma(w, k++);
		rp_buf_u64(&w->b, gr->members[i]->id);
		/* a group of millions streams its ids as a long stack streams */
		if (i % STREAM_ITEMS == STREAM_ITEMS - 1)
			rp_buf_spill(&w->b, w->out);
	}
	rp_buf_puts(&w->b, "],\"max_wait_minutes\":");
	int_or_null(w, gr->wait_max, gr->wait_max >= 0);
	rp_buf_puts(&w->b, ",\"min_wait_minutes\":");
	int_or_null(w, gr->wait_min, gr->wait_min >= 0);
	lit_u64(w, ",\"locked_to_thread\":", gr->locked);
	lit_bool(w, ",\"crashed\":", gr->crashed);
	rp_buf_puts(&w->b, ",\"class\":\"");
	rp_buf_puts(&w->b, class_name(gr->cls));
	rp_buf_add(&w->b, "\",", 2);
	if (ps_goroutine_role(gr->rep)[0]) {
		rp_buf_puts(&w->b, "\"role\":");
		str_or_null(w, ps_goroutine_role(gr->rep));
		rp_buf_addc(&w->b, ',');
	}
	frames(w, &gr->rep->stack, gr->args_same);
	rp_buf_addc(&w->b, ',');
	created_by(w, gr->rep->created_by);
	rp_buf_addc(&w->b, '}');
}

static void site(struct jw *w, const struct ps_frame *f)
{
	if (!f) {
		rp_buf_puts(&w->b, "null");
		return;
	}
	rp_buf_puts(&w->b, "{\"func\":");
	str_or_null(w, f->func ? f->func : "");
	rp_buf_addc(&w->b, ',');
	file_line(w, f->file, f->line, f->has_file);
	rp_buf_addc(&w->b, '}');
}

static void finding(struct jw *w, const struct ps_view_finding *f)
{
	rp_buf_puts(&w->b, "{\"kind\":");
	str_or_null(w, ps_view_finding_name(f->kind));
	rp_buf_puts(&w->b, ",\"message\":");
	str_or_null(w, f->message);
	rp_buf_puts(&w->b, ",\"group\":");
	size_t n_groups;
	const struct ps_view_group *groups = ps_view_groups(w->d, &n_groups);
	int_or_null(w, f->group ? (long long)(f->group - groups) : 0, f->group);
	lit_u64(w, ",\"count\":", f->count);
	lit_u64(w, ",\"n_groups\":", f->n_groups);
	rp_buf_puts(&w->b, ",\"site\":");
	site(w, f->site);
	rp_buf_puts(&w->b, ",\"other\":");
	if (f->other) {
		lit_u64(w, "{\"goroutine\":", f->other->id);
		rp_buf_puts(&w->b, ",\"state\":");
		str_or_null(w, f->other->state);
		rp_buf_puts(&w->b, ",\"site\":");
		site(w, f->other_site);
		rp_buf_addc(&w->b, '}');
	} else {
		rp_buf_puts(&w->b, "null");
	}
	rp_buf_addc(&w->b, '}');
}

static void str_array(struct jw *w, const char *k, const char *const *s, size_t n)
{
	rp_buf_addc(&w->b, ',');
	key(w, k);
	rp_buf_addc(&w->b, '[');
	for (size_t i = 0; i < n; i++) {
		comma(w, i);
		str_or_null(w, s[i]);
	}
	rp_buf_addc(&w->b, ']');
}

static void signal_obj(struct jw *w, const struct ps_signal *s)
{
	if (!s) {
		rp_buf_puts(&w->b, "null");
		return;
	}
	rp_buf_puts(&w->b, "{\"name\":");
	str_or_null(w, s->name);
	rp_buf_puts(&w->b, ",\"code\":");
	str_or_null(w, s->code && s->code[0] ? s->code : NULL);
	rp_buf_puts(&w->b, ",\"addr\":");
	str_or_null(w, s->addr && s->addr[0] ? s->addr : NULL);
	rp_buf_puts(&w->b, ",\"pc\":");
	str_or_null(w, s->pc && s->pc[0] ? s->pc : NULL);
	rp_buf_puts(&w->b, ",\"desc\":");
	str_or_null(w, s->desc && s->desc[0] ? s->desc : NULL);
	rp_buf_addc(&w->b, '}');
}

static void panic_obj(struct jw *w, const struct ps_dump *d)
{
	rp_buf_puts(&w->b, "\"panic\":{\"kind\":");
	str_or_null(w, ps_dump_kind_name(d->kind));
	rp_buf_puts(&w->b, ",\"message\":");
	str_or_null(w, d->message);
	rp_buf_puts(&w->b, ",\"recovered\":");
	bool_(w, d->recovered);
	rp_buf_puts(&w->b, ",\"signal\":");
	signal_obj(w, d->signal);
	rp_buf_puts(&w->b, ",\"chain\":[");
	for (size_t i = 0; i < d->n_panics; i++) {
		const struct ps_panic_line *p = &d->panics[i];
		comma(w, i);
		rp_buf_puts(&w->b, "{\"message\":");
		str_or_null(w, p->message);
		lit_bool(w, ",\"recovered\":", p->recovered);
		lit_bool(w, ",\"repanicked\":", p->repanicked);
		lit_bool(w, ",\"goexit\":", p->goexit);
		lit_bool(w, ",\"fatal\":", p->fatal);
		rp_buf_addc(&w->b, '}');
	}
	rp_buf_puts(&w->b, "]}");
}

static void dump_extras(struct jw *w, const struct ps_dump *d)
{
	str_array(w, "runtime_lines", d->runtime_lines, d->n_runtime_lines);
	str_array(w, "running_tests", d->running_tests, d->n_running_tests);
	rp_buf_puts(&w->b, ",\"registers\":[");
	for (size_t i = 0; i < d->n_registers; i++) {
		comma(w, i);
		rp_buf_puts(&w->b, "{\"name\":");
		str_or_null(w, d->registers[i].name);
		rp_buf_puts(&w->b, ",\"value\":");
		hex(w, d->registers[i].value);
		rp_buf_addc(&w->b, '}');
	}
	rp_buf_puts(&w->b, "],\"exit_status\":");
	int_or_null(w, d->exit_status, d->exit_status >= 0);
	lit_bool(w, ",\"truncated\":", d->truncated);
	lit_u64(w, ",\"total_goroutines\":", d->total_goroutines);
	lit_u64(w, ",\"first_line\":", d->first_line);
	lit_u64(w, ",\"last_line\":", d->last_line);
	rp_buf_puts(&w->b, ",\"prefix\":");
	str_or_null(w, d->prefix ? d->prefix : "");
	lit_u64(w, ",\"repeated_goroutines\":", d->repeated_goroutines);
	lit_u64(w, ",\"repeated_file_lines\":", d->repeated_file_lines);
	lit_u64(w, ",\"filtered_out\":", ps_view_filtered_out(w->d));
	rp_buf_puts(&w->b, ",\"binary_mismatch\":");
	str_or_null(w, ps_view_mismatch(w->d));
}

/* The lines every format puts on top, and the warnings, as the view
 * states them. */
static void headline(struct jw *w)
{
	static const char *const kinds[] = {
		[PS_VIEW_LINE_PANIC] = "panic", [PS_VIEW_LINE_CRASH] = "crash",
		[PS_VIEW_LINE_SIGNAL] = "signal", [PS_VIEW_LINE_FATAL_SIGNAL] = "fatal_signal",
		[PS_VIEW_LINE_REGS] = "registers", [PS_VIEW_LINE_RUNTIME] = "runtime",
		[PS_VIEW_LINE_TESTS] = "tests", [PS_VIEW_LINE_SUMMARY] = "summary",
	};
	size_t n;
	const struct ps_view_line *l = ps_view_headline(w->d, &n);
	const char *const *warn;

	rp_buf_puts(&w->b, ",\"headline\":[");
	for (size_t i = 0; i < n; i++) {
		comma(w, i);
		rp_buf_puts(&w->b, "{\"kind\":\"");
		rp_buf_puts(&w->b, kinds[l[i].kind]);
		rp_buf_puts(&w->b, "\",\"text\":");
		str_or_null(w, l[i].text);
		rp_buf_addc(&w->b, '}');
	}
	rp_buf_addc(&w->b, ']');
	warn = ps_view_warnings(w->d, &n);
	str_array(w, "warnings", warn, n);
}

/* What the parser repaired in this dump (CONTRACT "repairs"): always
 * present, [] when the dump arrived intact. */
static void repairs(struct jw *w, const struct ps_dump *d)
{
	rp_buf_puts(&w->b, ",\"repairs\":[");
	for (size_t i = 0; i < d->n_repairs; i++) {
		const struct ps_repair *r = &d->repairs[i];
		comma(w, i);
		rp_buf_puts(&w->b, "{\"kind\":");
		str_or_null(w, ps_repair_kind_name(r->kind));
		lit_u64(w, ",\"line\":", r->line);
		if (r->line2)
			lit_u64(w, ",\"line2\":", r->line2);
		if (r->detail)
			lit_u64(w, ",\"detail\":", r->detail);
		if (r->has_goroutine) {
			rp_buf_puts(&w->b, ",\"goroutine\":");
			rp_buf_u64(&w->b, r->goroutine);
		}
		rp_buf_addc(&w->b, '}');
	}
	rp_buf_addc(&w->b, ']');
	if (d->n_repairs_dropped)
		lit_u64(w, ",\"repairs_dropped\":", d->n_repairs_dropped);
}

/* Per dump: decoded arguments are the view's, and a dump's own memory
 * (a created-by of an ancestor) may be reused once it is written. */
static void memos_release(struct jw *w)
{
	rp_memo_release(&w->wheres);
	rp_memo_release(&w->args);
	rp_memo_release(&w->stacks);
	rp_memo_release(&w->creators);
	rp_memo_release(&w->heads);
}

static void dump(struct jw *w, const ps_view *rd)
{
	const ps_abi *abi = w->c->opts->abi;
	const struct ps_dump *d = ps_view_dump(rd);
	size_t n_gs, n_groups, n_findings;
	const struct ps_goroutine *const *gs = ps_view_goroutines(rd, &n_gs);
	const struct ps_view_group *groups = ps_view_groups(rd, &n_groups);
	const struct ps_view_finding *findings = ps_view_findings(rd, &n_findings);

	w->d = rd;
	memos_release(w);
	rp_buf_puts(&w->b, "{\"go_version\":");
	str_or_null(w, abi ? ps_abi_go_version(abi) : NULL);
	if (!w->c->opts->portable) {
		rp_buf_puts(&w->b, ",\"source\":");
		str_or_null(w, d->source ? d->source : "");
	}
	rp_buf_puts(&w->b, ",\"arg_format\":");
	str_or_null(w, ps_arg_format_name(ps_view_arg_format(rd)));
	rp_buf_addc(&w->b, ',');
	panic_obj(w, d);
	dump_extras(w, d);
	repairs(w, d);
	headline(w);
	rp_buf_puts(&w->b, ",\n\"goroutines\":[\n");
	for (size_t i = 0; i < n_gs; i++) {
		if (i)
			rp_buf_add(&w->b, ",\n", 2);
		goroutine(w, gs[i]);
		ps_arena_release(&w->scratch);
		rp_buf_spill(&w->b, w->out);
	}
	rp_buf_puts(&w->b, "],\n\"groups\":[\n");
	for (size_t i = 0; i < n_groups; i++) {
		if (i)
			rp_buf_add(&w->b, ",\n", 2);
		group(w, &groups[i]);
		ps_arena_release(&w->scratch);
		rp_buf_spill(&w->b, w->out);
	}
	rp_buf_puts(&w->b, "],\n\"findings\":[");
	for (size_t i = 0; i < n_findings; i++) {
		comma(w, i);
		finding(w, &findings[i]);
	}
	rp_buf_puts(&w->b, "]}");
}

static void skipped(struct jw *w, const char *k, const struct ps_skipped *s)
{
	rp_buf_addc(&w->b, ',');
	key(w, k);
	lit_u64(w, "{\"count\":", s->count);
	rp_buf_puts(&w->b, ",\"first\":[");
	for (size_t i = 0; i < s->n_first && i < PS_SKIP_KEEP; i++) {
		comma(w, i);
		rp_buf_u64(&w->b, s->first[i]);
	}
	rp_buf_puts(&w->b, "]}");
}

static void doc_head(struct jw *w)
{
	const ps_abi *abi = w->c->opts->abi;

	rp_buf_puts(&w->b, "{\"schema\":\"panicscope.report/1\",\"binary\":");
	if (abi) {
		/* portable: no key that names this machine's files */
		if (!w->c->opts->portable) {
			rp_buf_puts(&w->b, "{\"path\":");
			str_or_null(w, ps_abi_path(abi));
			rp_buf_addc(&w->b, ',');
		} else {
			rp_buf_addc(&w->b, '{');
		}
		rp_buf_puts(&w->b, "\"go_version\":");
		str_or_null(w, ps_abi_go_version(abi));
		rp_buf_puts(&w->b, ",\"arch\":");
		str_or_null(w, ps_abi_arch(abi));
		rp_buf_addc(&w->b, '}');
	} else {
		rp_buf_puts(&w->b, "null");
	}
	if (!w->c->opts->portable) {
		rp_buf_puts(&w->b, ",\"input\":");
		str_or_null(w, w->c->opts->input_name);
	}
}

/* What only the end of the input knows. */
static void doc_counts(struct jw *w)
{
	lit_u64(w, ",\"lines\":", w->c->doc->lines);
	lit_u64(w, ",\"bytes\":", w->c->doc->bytes);
	skipped(w, "skipped_lines", &w->c->doc->skipped);
	skipped(w, "bad_lines", &w->c->doc->bad);
}

static void *json_open(const struct rp_ctx *c)
{
	struct jw *w = ps_xcalloc(1, sizeof(*w));
	w->c = c;
	/* room for a spill's megabyte and the goroutine that passes it, at
	 * once: doubling from 256 bytes copied 2 MB of the buffer on the way
	 * (1 M instructions); untouched pages of a small report cost none */
	rp_buf_grow(&w->b, 2 * RP_SPILL_AT);
	return w;
}

/* The document's keys, line counts included: written once the input
 * has been read (report.c holds the dumps until then), or with --stream
 * before the first of several dumps, the counts then in the tail. */
static void json_head(void *wp, FILE *out)
{
	struct jw *w = wp;
	doc_head(w);
	if (w->c->count_known)
		doc_counts(w);
	rp_buf_puts(&w->b, ",\n\"dumps\":[\n");
	rp_buf_flush(&w->b, out);
}

static void json_dump_head(void *wp, const struct rp_dump_info *d, size_t idx, FILE *out)
{
	(void)wp;
	(void)d;
	if (idx)
		fwrite(",\n", 1, 2, out);
}

static void json_body(void *wp, const ps_view *v, size_t idx, FILE *out)
{
	struct jw *w = wp;
	(void)idx;
	w->out = out;
	dump(w, v);
	rp_buf_flush(&w->b, out);
}

/* OUT NULL: an aborted report, only freed. */
static void json_tail(void *wp, FILE *out)
{
	struct jw *w = wp;
	if (out) {
		rp_buf_addc(&w->b, ']');
		if (!w->c->count_known) /* --stream: after the dumps */
			doc_counts(w);
		rp_buf_puts(&w->b, "}\n");
		rp_buf_flush(&w->b, out);
	}
	rp_buf_release(&w->b);
	ps_arena_release(&w->scratch);
	memos_release(w);
	free(w);
}

const struct rp_writer rp_json_writer = {
	json_open, NULL, json_body, json_head, json_dump_head, json_tail,
};

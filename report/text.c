/* text.c - the terminal report: the crash on top, then one block per
 * group (or per goroutine with --all), frames aligned in two columns,
 * user code highlighted and the runtime dimmed.
 *
 * In groups, the standard-library frames above the program's own code
 * are folded into one line ("runtime: gopark < chanrecv < chanrecv1";
 * only runtime frames for the crashed goroutine), recursion repeats are
 * counted ("(×49)"), runtime.goexit is dropped, and groups made only of
 * standard-library code get one line each: a 100k-goroutine dump has to
 * fit a screen or two.  --all shows every frame. */
#include "report_int.h"

#include <stdlib.h>
#include <string.h>

#define CALL_COL_MAX 64         /* location column starts at most here */
#define WRAP_AT 96              /* wrap argument lists beyond this */
#define MAX_ID_RANGES 12
#define FINDING_STACK_MAX 8
#define MAX_FULL_GROUPS 40      /* more are listed one line each */
#define FOLD_SHOW 4             /* runtime frames named in a folded line */
#define KEEP_ROWS_MAX 4096      /* a block of more rows is laid out twice */
#define KEEP_TEXT_MAX (1 << 20) /* ... and of more row text */
#define SCRATCH_ROWS 1024       /* frames decoded between scratch resets */

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_DIM "\033[2m"
#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_YELLOW "\033[33m"
#define C_MAGENTA "\033[35m"
#define C_CYAN "\033[36m"

/* What end_row does with a finished row.  A block of rows (a stack
 * and its notes) is kept whole while small, then printed once the
 * location column is known.  A bigger one (10^6 frames) is laid out
 * twice instead, so its rows are never held: once to MEASURE the column,
 * dropping each row, then again to PUT each row as it is made. */
enum rows_mode { ROWS_KEEP, ROWS_MEASURE, ROWS_PUT };

struct tw {
	struct rp_buf b;
	FILE *out;
	const struct rp_ctx *c;
	const ps_view *d;
	bool color;
	struct ps_arena scratch;
	struct rp_buf text;     /* row texts */
	struct ps_vec rows;     /* struct row */
	enum rows_mode mode;
	size_t col;             /* location column of the block so far */
	size_t decoded;         /* frames since the scratch was released */
};

/* One output line of a stack: CALL (func + args) then LOC, whose texts
 * follow each other in tw.text from OFF.  32 bytes: up to
 * KEEP_ROWS_MAX rows are kept until the column is known. */
struct row {
	size_t off;                     /* in tw.text: func, args, loc */
	uint32_t func_len, args_len;    /* args without parentheses */
	uint32_t loc_len;               /* (one line's parts: far below 4 GB) */
	uint32_t width;                 /* display width of the call */
	uint8_t cls;                    /* enum ps_view_class */
	bool has_args;                  /* print "(args)" */
	bool plain;                     /* a note line, not a frame */
};

static const char *row_args_p(const struct tw *w, const struct row *r)
{
	return w->text.p + r->off + r->func_len;
}

static const char *row_loc_p(const struct tw *w, const struct row *r)
{
	return row_args_p(w, r) + r->args_len;
}

/* Bytes of tw.text from FROM on: the length of the part just added. */
static uint32_t since(const struct tw *w, size_t from)
{
	return (uint32_t)(w->text.len - from);
}

static void color(struct tw *w, const char *code)
{
	if (w->color)
		rp_buf_puts(&w->b, code);
}

static void put(struct tw *w, const char *s)
{
	rp_text_str(&w->b, s, strlen(s));
}

static void spaces(struct tw *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		rp_buf_addc(&w->b, ' ');
}

static bool is_runtime(const char *func)
{
	return func && strncmp(func, "runtime.", 8) == 0;
}

static bool is_goexit(const struct ps_frame *f)
{
	return f->func && strcmp(f->func, "runtime.goexit") == 0;
}

/* ---- building rows ---- */

static void end_row(struct tw *w, struct row *r);

static struct row *new_row(struct tw *w, enum ps_view_class cls)
{
	struct row *r = ps_vec_push(&w->rows);
	r->cls = (uint8_t)cls;
	r->off = w->text.len;
	return r;
}

static void row_loc(struct tw *w, struct row *r, const char *file, uint32_t line,
		    bool present)
{
	size_t from = w->text.len;
	/* the column depends on calls only */
	if (present && w->mode != ROWS_MEASURE) {
		const char *s = ps_view_short_path(w->d, file, r->cls);
		rp_text_str(&w->text, s, strlen(s));
		if (line)
			rp_buf_printf(&w->text, ":%u", line);
	}
	r->loc_len = since(w, from);
}

static void row_func(struct tw *w, struct row *r, const char *func)
{
	rp_text_str(&w->text, func ? func : "?", func ? strlen(func) : 1);
	r->func_len = since(w, r->off);
}

/* Args as printed, decoded with the binary, or "…" when the members
 * of a group disagree (pointers and '?' values usually do). */
/* Returns the decoder's note on the frame ("nil *T, reading field X
 * at +0x50"), or NULL. */
static const char *row_args(struct tw *w, struct row *r, const struct ps_stack *st, size_t i,
			    uint64_t mask)
{
	struct ps_abi_frame af = { 0 };
	bool all = mask == ~(uint64_t)0;
	const char *args = ps_stack_args(st, i);

	/* decoded into the rows' scratch: --all on 100k goroutines keeps
	 * only the rows being laid out */
	r->has_args = st->frames[i].kind == PS_FRAME_GO && args;
	size_t from = w->text.len;
	if (!mask)
		rp_buf_puts(&w->text, "…");
	else if (ps_view_decode(w->d, st, i, &w->scratch, &af))
		rp_abi_args_text_masked(&w->text, &af, mask,
					ps_view_arg_format(w->d) == PS_ARGFMT_WORDS);
	else if (args && all)
		rp_text_str(&w->text, args, ps_intern_len(args));
	else if (args)
		rp_args_masked(&w->text, args, ps_intern_len(args), mask);
	r->args_len = since(w, from);
	return af.note;
}

static void note_row(struct tw *w, enum ps_view_class cls, const char *text)
{
	struct row *r = new_row(w, cls);
	r->plain = true;
	rp_text_str(&w->text, text, strlen(text));
	r->func_len = since(w, r->off);
	end_row(w, r);
}

/* Frame I of ST; REPEAT > 1: it stands for that many identical calls
 * in a row (recursion), shown once with a count. */
static void frame_row(struct tw *w, const struct ps_stack *st, size_t i, uint64_t mask,
		      size_t repeat)
{
	const struct ps_frame *f = &st->frames[i];
	/* a class costs path lookups; the column does not need it */
	enum ps_view_class cls = w->mode == ROWS_MEASURE ? PS_VIEW_STD :
				 ps_view_frame_class(w->d, f);
	struct row *r = new_row(w, cls);
	row_func(w, r, f->func);
	const char *note = row_args(w, r, st, i, mask);
	row_loc(w, r, f->file, f->line, f->has_file);
	if (repeat > 1 && w->mode != ROWS_MEASURE) {
		rp_buf_printf(&w->text, " (×%zu)", repeat);
		r->loc_len = since(w, (size_t)(row_loc_p(w, r) - w->text.p));
	}
	end_row(w, r);
	if (note) {
		char *line = ps_arena_printf(&w->scratch, "  ^ %s", note);
		note_row(w, cls, line);
	}
}

static bool same_call(const struct ps_frame *a, const struct ps_frame *b)
{
	return a->func == b->func && a->file == b->file && a->line == b->line &&
	       a->kind == b->kind;
}




static bool is_runtime_frame(const struct ps_frame *f)
{
	return is_runtime(f->func) || (f->func && strcmp(f->func, "panic") == 0);
}

/* "runtime: gopark < chanrecv < chanrecv1" for frames [0, N), or
 * "stdlib: gopark < …3… < sync.(*Mutex).Lock" when not all runtime. */
static void fold_row(struct tw *w, const struct ps_stack *st, size_t n)
{
	struct row *r = new_row(w, PS_VIEW_STD);
	bool all_runtime = true;

	for (size_t i = 0; i < n; i++)
		all_runtime = all_runtime && is_runtime(st->frames[i].func);
	rp_buf_puts(&w->text, all_runtime ? "runtime: " : "stdlib: ");
	for (size_t i = 0; i < n; i++) {
		/* the first and the last two say enough */
		if (n > FOLD_SHOW && i == 1) {
			rp_buf_printf(&w->text, " < …%zu…", n - 3);
			i = n - 3;
			continue;
		}
		if (i)
			rp_buf_puts(&w->text, " < ");
		const char *fn = st->frames[i].func ? st->frames[i].func : "?";
		if (is_runtime(fn))
			fn += 8;
		rp_text_str(&w->text, fn, strlen(fn));
	}
	r->func_len = since(w, r->off);
	const struct ps_frame *last = &st->frames[n - 1];
	row_loc(w, r, last->file, last->line, last->has_file);
	end_row(w, r);
}

static void created_row(struct tw *w, const struct ps_created_by *cb)
{
	enum ps_view_class cls = ps_view_created_class(w->d, cb);
	struct row *r = new_row(w, cls);
	rp_buf_puts(&w->text, "created by ");
	rp_text_str(&w->text, cb->func ? cb->func : "?", cb->func ? strlen(cb->func) : 1);
	if (cb->has_goroutine)
		rp_buf_printf(&w->text, " in goroutine %llu", (unsigned long long)cb->goroutine);
	r->func_len = since(w, r->off);
	row_loc(w, r, cb->file, cb->line, cb->file && cb->file[0]);
	end_row(w, r);
}

static void elided_row(struct tw *w, const struct ps_stack *st)
{
	char note[64];
	if (st->elided_count)
		snprintf(note, sizeof(note), "...%u frames elided...", st->elided_count);
	else
		snprintf(note, sizeof(note), "...additional frames elided...");
	note_row(w, PS_VIEW_STD, note);
}

/* How many leading frames to fold into one line (0: none): runtime
 * frames, or with STDLIB every standard-library frame above the first
 * frame of the program's own code (when there is one). */
static size_t fold_count(struct tw *w, const struct ps_stack *st, size_t end,
			 bool stdlib)
{
	size_t n = 0;

	while (n < end && is_runtime_frame(&st->frames[n]))
		n++;
	if (stdlib) {
		size_t m = 0;
		while (m < end && ps_view_frame_class(w->d, &st->frames[m]) == PS_VIEW_STD)
			m++;
		if (m < end)
			n = m;
	}
	return n >= 2 ? n : 0;
}

/* FOLD: 0 shows every frame, 1 folds leading runtime frames, 2 also
 * the standard library above the program's own code. */
static void stack_rows(struct tw *w, const struct ps_goroutine *g,
		       const uint64_t *masks, int fold)
{
	const struct ps_stack *st = &g->stack;
	size_t start = 0, end = st->n_frames;
	bool elision_shown = !st->elided;

	if (fold && end && is_goexit(&st->frames[end - 1]))
		end--;
	if (fold && (start = fold_count(w, st, end, fold > 1)))
		fold_row(w, st, start);
	for (size_t i = start, j; i < end; i = j + 1) {
		const struct ps_frame *f = &st->frames[i];
		uint64_t mask = masks ? masks[i] : ~(uint64_t)0;
		/* measuring: no later row can widen a full column */
		if (w->mode == ROWS_MEASURE && w->col == CALL_COL_MAX)
			return;
		if (!elision_shown && i >= st->elided_at) {
			elided_row(w, st);
			elision_shown = true;
		}
		/* a recursion run: args shown where all its calls agree */
		for (j = i; j + 1 < end && same_call(f, &st->frames[j + 1]) &&
			    (elision_shown || j + 1 < st->elided_at); j++)
			mask &= (masks ? masks[j + 1] : ~(uint64_t)0) &
				ps_view_args_agree(ps_stack_args(st, i), ps_stack_args_len(st, i),
					      ps_stack_args(st, j + 1),
					      ps_stack_args_len(st, j + 1));
		frame_row(w, st, i, mask, j - i + 1);
		/* decoded args of rows no longer held */
		if (w->mode != ROWS_KEEP && ++w->decoded >= SCRATCH_ROWS) {
			ps_arena_release(&w->scratch);
			w->decoded = 0;
		}
	}
	if (!elision_shown)
		elided_row(w, st);
	if (g->no_stack)
		note_row(w, PS_VIEW_STD, "goroutine running on other thread; stack unavailable");
	if (g->truncated)
		note_row(w, PS_VIEW_STD, "(the input ends here: stack cut off)");
	if (g->created_by)
		created_row(w, g->created_by);
}

/* ---- printing rows ---- */

static size_t call_width(const struct tw *w, struct row *r)
{
	size_t n = rp_width(w->text.p + r->off, r->func_len);
	if (r->has_args)
		n += 2 + rp_width(row_args_p(w, r), r->args_len);
	return n;
}

static void start_class(struct tw *w, enum ps_view_class cls)
{
	if (cls == PS_VIEW_STD)
		color(w, C_DIM);
}

static void put_func(struct tw *w, const struct row *r)
{
	if (r->cls == PS_VIEW_USER)
		color(w, C_BOLD);
	rp_buf_add(&w->b, w->text.p + r->off, r->func_len);
	if (r->cls == PS_VIEW_USER) {
		color(w, C_RESET);
		start_class(w, r->cls);
	}
}

/* Long argument lists go on their own lines, broken after commas. */
static void put_wrapped_args(struct tw *w, const struct row *r)
{
	const char *a = row_args_p(w, r), *end = a + r->args_len;
	size_t col = 8;

	rp_buf_add(&w->b, "(\n        ", 10);
	while (a < end) {
		const char *comma = memchr(a, ',', (size_t)(end - a));
		const char *piece_end = comma ? comma + 1 : end;
		size_t len = (size_t)(piece_end - a);
		if (col > 8 && col + len > WRAP_AT) {
			rp_buf_add(&w->b, "\n        ", 9);
			col = 8;
			while (a < piece_end && *a == ' ')
				a++, len--;
		}
		rp_buf_add(&w->b, a, len);
		col += len;
		a = piece_end;
	}
	rp_buf_addc(&w->b, ')');
}

static void put_row(struct tw *w, struct row *r, size_t col)
{
	rp_buf_add(&w->b, "    ", 4);
	start_class(w, r->cls);
	put_func(w, r);
	if (r->plain) {
		color(w, C_RESET);
		rp_buf_addc(&w->b, '\n');
		return;
	}
	if (r->has_args && r->width + 4 > WRAP_AT) {
		put_wrapped_args(w, r);
		rp_buf_add(&w->b, "  ", 2);
	} else {
		if (r->has_args) {
			rp_buf_addc(&w->b, '(');
			rp_buf_add(&w->b, row_args_p(w, r), r->args_len);
			rp_buf_addc(&w->b, ')');
		}
		if (r->loc_len)
			spaces(w, (r->width < col ? col - r->width : 0) + 2);
	}
	if (r->cls == PS_VIEW_USER)
		color(w, C_CYAN);
	rp_buf_add(&w->b, row_loc_p(w, r), r->loc_len);
	color(w, C_RESET);
	rp_buf_addc(&w->b, '\n');
}

static void drop_rows(struct tw *w)
{
	w->rows.len = 0;
	w->text.len = 0;
}

static void end_row(struct tw *w, struct row *r)
{
	r->width = (uint32_t)call_width(w, r);
	if (!r->plain && r->width <= CALL_COL_MAX && r->width > w->col)
		w->col = r->width;
	if (w->mode == ROWS_PUT) {
		put_row(w, r, w->col);
		/* a stack of 10^6 frames must not sit in the buffer whole */
		rp_buf_spill(&w->b, w->out);
	}
	if (w->mode != ROWS_KEEP)
		drop_rows(w);
	else if (w->rows.len > KEEP_ROWS_MAX || w->text.len > KEEP_TEXT_MAX)
		w->mode = ROWS_MEASURE, drop_rows(w);   /* COL has them */
}

/* The rows of a block: a stack (FOLD as in stack_rows, MASKS its
 * arguments' agreement or NULL), then with ORIGINS a note per ancestor. */
struct block {
	const struct ps_goroutine *g;
	const uint64_t *masks;
	int fold;
	bool origins;
};

static void block_rows(struct tw *w, const struct block *bl)
{
	size_t n = 0;
	const struct ps_ancestor *all = bl->origins ? ps_goroutine_ancestors(bl->g, &n) : NULL;

	stack_rows(w, bl->g, bl->masks, bl->fold);
	for (size_t i = 0; i < n; i++) {
		char note[80];
		snprintf(note, sizeof(note), "[originating from goroutine %llu]",
			 (unsigned long long)all[i].id);
		note_row(w, PS_VIEW_STD, note);
	}
}

/* Prints a block's rows with the location column aligned. */
static void put_block(struct tw *w, const struct block *bl)
{
	w->mode = ROWS_KEEP;
	w->col = 0;
	w->decoded = 0;
	block_rows(w, bl);
	if (w->mode == ROWS_MEASURE) {
		w->mode = ROWS_PUT;
		ps_arena_release(&w->scratch);
		block_rows(w, bl);
	}
	for (size_t i = 0; i < w->rows.len; i++) {
		put_row(w, ps_vec_at(&w->rows, i), w->col);
		rp_buf_spill(&w->b, w->out);
	}
	drop_rows(w);
	w->mode = ROWS_KEEP;
	ps_arena_release(&w->scratch);
	rp_buf_spill(&w->b, w->out);
}

/* ---- headers ---- */

/* "[chan receive, 12-15 minutes, locked to thread]" */
static void state_text(struct tw *w, const char *state, int wmin, int wmax,
		       size_t locked, uint64_t count)
{
	rp_buf_addc(&w->b, '[');
	color(w, C_YELLOW);
	put(w, state && state[0] ? state : "?");
	color(w, C_RESET);
	if (wmax >= 0 && wmin != wmax)
		rp_buf_printf(&w->b, ", %d-%d minutes", wmin, wmax);
	else if (wmax >= 0)
		rp_buf_printf(&w->b, ", %d minutes", wmax);
	if (locked && count > 1)
		rp_buf_printf(&w->b, ", %zu locked to thread", locked);
	else if (locked)
		rp_buf_puts(&w->b, ", locked to thread");
	rp_buf_addc(&w->b, ']');
}

static bool any_id(const struct ps_view_group *gr)
{
	for (size_t i = 0; i < gr->n_members; i++)
		if (gr->members[i]->id)
			return true;
	return false;
}

static void group_header(struct tw *w, const struct ps_view_group *gr)
{
	const struct ps_goroutine *g = gr->rep;

	color(w, gr->crashed ? C_RED C_BOLD : C_BOLD);
	if (ps_goroutine_role(g)[0] && !g->has_header) {
		put(w, ps_goroutine_role(g));
		color(w, C_RESET);
		rp_buf_puts(&w->b, ":\n");
		return;
	}
	if (gr->count == 1 && gr->n_members == 1 && (g->id || g->has_header))
		rp_buf_printf(&w->b, "goroutine %llu", (unsigned long long)g->id);
	else
		rp_buf_printf(&w->b, "%llu goroutine%s", (unsigned long long)gr->count,
			      gr->count == 1 ? "" : "s");
	color(w, C_RESET);
	if (g->state && g->state[0]) {
		rp_buf_addc(&w->b, ' ');
		state_text(w, g->state, gr->wait_min, gr->wait_max, gr->locked, gr->count);
	}
	if (gr->crashed) {
		color(w, C_RED);
		rp_buf_puts(&w->b, " (crashed");
		/* the crashed goroutine shares its group: say which it is */
		for (size_t i = 0; gr->n_members > 1 && i < gr->n_members; i++)
			if (gr->members[i]->crashed) {
				rp_buf_printf(&w->b, ": goroutine %llu",
					      (unsigned long long)gr->members[i]->id);
				break;
			}
		rp_buf_addc(&w->b, ')');
		color(w, C_RESET);
	}
	const char *extra = gr->extra_same ? ps_view_header_labels(g->header_extra,
							  w->c->opts->all) : NULL;
	if (extra) {
		rp_buf_addc(&w->b, ' ');
		color(w, C_DIM);
		put(w, extra);
		color(w, C_RESET);
	}
	rp_buf_addc(&w->b, ':');
	if (gr->n_members > 1 && any_id(gr)) {
		rp_buf_addc(&w->b, ' ');
		color(w, C_DIM);
		put(w, ps_view_id_ranges(&w->scratch, gr->members, gr->n_members,
					 MAX_ID_RANGES));
		color(w, C_RESET);
	}
	rp_buf_addc(&w->b, '\n');
}

static void std_state(struct tw *w, const struct ps_view_group *gr)
{
	if (!gr->rep->has_header && ps_goroutine_role(gr->rep)[0])
		put(w, ps_goroutine_role(gr->rep));
	else
		state_text(w, gr->rep->state, gr->wait_min, gr->wait_max, gr->locked,
			   gr->count);
}

/* Display width of a group's "[state]" (rendered without colour). */
static size_t std_state_width(struct tw *w, const struct ps_view_group *gr)
{
	size_t mark = w->b.len, width;
	bool color_was = w->color;

	w->color = false;
	std_state(w, gr);
	width = rp_width(w->b.p + mark, w->b.len - mark);
	w->b.len = mark;
	w->color = color_was;
	return width;
}

/* One line for a group: count, state, where.  The state column is COL
 * wide.  Stdlib-only groups are dimmed. */
static void group_line(struct tw *w, const struct ps_view_group *gr, size_t col)
{
	const struct ps_frame *f = ps_view_site(w->d, gr->rep);

	rp_buf_printf(&w->b, "  %6llu ", (unsigned long long)gr->count);
	size_t pad = col - std_state_width(w, gr);
	std_state(w, gr);
	spaces(w, pad);
	color(w, gr->cls == PS_VIEW_STD ? C_DIM : "");
	if (f) {
		enum ps_view_class c = ps_view_frame_class(w->d, f);
		rp_buf_puts(&w->b, "  ");
		put(w, f->func ? f->func : "?");
		rp_buf_puts(&w->b, "  ");
		put(w, ps_view_short_path(w->d, f->file, c));
		if (f->line)
			rp_buf_printf(&w->b, ":%u", f->line);
	}
	color(w, C_RESET);
	rp_buf_addc(&w->b, '\n');
}

/* ---- the crash on top ---- */

static void put_message(struct tw *w, const char *msg)
{
	/* continuation lines indented as Go 1.23+ prints them */
	for (const char *p = msg; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		rp_text_str(&w->b, p, n);
		if (!nl)
			break;
		rp_buf_add(&w->b, "\n\t", 2);
		p = nl + 1;
	}
}

static const char *line_color(enum ps_view_line_kind k)
{
	switch (k) {
	case PS_VIEW_LINE_PANIC:
	case PS_VIEW_LINE_CRASH:
	case PS_VIEW_LINE_FATAL_SIGNAL: return C_RED C_BOLD;
	case PS_VIEW_LINE_SIGNAL: return C_RED;
	case PS_VIEW_LINE_RUNTIME:
	case PS_VIEW_LINE_SUMMARY: return C_DIM;
	case PS_VIEW_LINE_REGS:
	case PS_VIEW_LINE_TESTS: break;
	}
	return NULL;
}

/* The view's headline; panic chain lines after the first indented as Go
 * prints them, and the warnings right below the summary. */
static void headline(struct tw *w)
{
	size_t n, n_panic = 0;
	const struct ps_view_line *l = ps_view_headline(w->d, &n);
	const char *const *warn = ps_view_warnings(w->d, &n_panic);

	for (size_t i = 0; i < n; i++) {
		const char *c = line_color(l[i].kind);
		if (l[i].kind == PS_VIEW_LINE_PANIC && i)
			rp_buf_addc(&w->b, '\t');
		if (c)
			color(w, c);
		put_message(w, l[i].text);
		if (c)
			color(w, C_RESET);
		rp_buf_addc(&w->b, '\n');
	}
	for (size_t i = 0; i < n_panic; i++) {
		color(w, C_YELLOW);
		rp_buf_puts(&w->b, "warning: ");
		put(w, warn[i]);
		color(w, C_RESET);
		rp_buf_addc(&w->b, '\n');
	}
}

/* ---- findings, groups, goroutines ---- */

/* The stack of a finding's other party (the second map writer). */
static void other_stack(struct tw *w, const struct ps_goroutine *g)
{
	struct ps_goroutine shown = *g;

	if (shown.stack.n_frames > FINDING_STACK_MAX)
		shown.stack.n_frames = FINDING_STACK_MAX;
	shown.stack.elided = false;
	shown.truncated = false;
	rp_buf_printf(&w->b, "    goroutine %llu [", (unsigned long long)g->id);
	put(w, g->state ? g->state : "?");
	rp_buf_puts(&w->b, "]:\n");
	put_block(w, &(struct block){ &shown, NULL, 2, false });
}

static void findings(struct tw *w)
{
	size_t n;
	const struct ps_view_finding *fs = ps_view_findings(w->d, &n);

	for (size_t i = 0; i < n; i++) {
		const struct ps_view_finding *f = &fs[i];
		color(w, C_MAGENTA C_BOLD);
		rp_buf_puts(&w->b, "! ");
		color(w, C_RESET C_MAGENTA);
		put(w, f->message);
		color(w, C_RESET);
		rp_buf_addc(&w->b, '\n');
		if (f->other)   /* the other party, when the view has evidence of one */
			other_stack(w, f->other);
	}
}

static void ancestor_blocks(struct tw *w, const struct ps_goroutine *g)
{
	size_t n;
	const struct ps_ancestor *all = ps_goroutine_ancestors(g, &n);
	for (size_t i = 0; i < n; i++) {
		const struct ps_ancestor *a = &all[i];
		struct ps_goroutine tmp = { .stack = a->stack, .created_by = a->created_by };
		rp_buf_printf(&w->b, "  [originating from goroutine %llu]:\n",
			      (unsigned long long)a->id);
		put_block(w, &(struct block){ &tmp, NULL, 0, false });
	}
}

static void group_block(struct tw *w, const struct ps_view_group *gr)
{
	group_header(w, gr);
	/* the crashed goroutine's ancestors in full, others' named */
	put_block(w, &(struct block){ gr->rep, gr->arg_mask, gr->crashed ? 1 : 2,
				      !gr->crashed });
	if (gr->crashed)
		ancestor_blocks(w, gr->rep);
	rp_buf_addc(&w->b, '\n');
}

/* Where a group goes in the text report. */
enum placement { FULL, OVERFLOW, STDLIB };

static enum placement place(const struct ps_view_group *gr, bool compact, size_t *full)
{
	if (gr->crashed || !compact)
		return FULL;
	if (gr->cls == PS_VIEW_STD)
		return STDLIB;
	return (*full)++ < MAX_FULL_GROUPS ? FULL : OVERFLOW;
}

/* One-line groups of placement P under a heading ("N more groups"),
 * states aligned. */
static void group_lines(struct tw *w, const ps_view *rd, bool compact,
			enum placement p)
{
	size_t col = 0, n = 0, full = 0, n_groups;
	const struct ps_view_group *groups = ps_view_groups(rd, &n_groups);

	for (size_t i = 0; i < n_groups; i++)
		if (place(&groups[i], compact, &full) == p) {
			size_t sw = std_state_width(w, &groups[i]);
			col = sw > col ? sw : col;
			n++;
		}
	if (!n)
		return;
	color(w, C_DIM);
	if (p == OVERFLOW)
		rp_buf_printf(&w->b, "%zu more group%s (one line each; --all or -f html "
			      "shows them in full):\n", n, n == 1 ? "" : "s");
	else
		rp_buf_printf(&w->b, "%zu group%s of runtime/standard-library code only:\n",
			      n, n == 1 ? "" : "s");
	color(w, C_RESET);
	full = 0;
	for (size_t i = 0; i < n_groups; i++)
		if (place(&groups[i], compact, &full) == p)
			group_line(w, &groups[i], col);
	rp_buf_addc(&w->b, '\n');
}

/* The first MAX_FULL_GROUPS groups of the program's code in full, the
 * rest and the stdlib-only groups one line each, unless nothing else is
 * shown: then the stdlib groups are the whole story. */
static void groups(struct tw *w, const ps_view *rd)
{
	bool compact = false;
	size_t full = 0, n_groups;
	const struct ps_view_group *groups = ps_view_groups(rd, &n_groups);

	for (size_t i = 0; i < n_groups; i++)
		compact = compact || groups[i].cls != PS_VIEW_STD;
	for (size_t i = 0; i < n_groups; i++)
		if (place(&groups[i], compact, &full) == FULL)
			group_block(w, &groups[i]);
	group_lines(w, rd, compact, OVERFLOW);
	group_lines(w, rd, compact, STDLIB);
}

/* --all: every goroutine, crashed first, then in dump order. */
static void all_goroutines(struct tw *w, const ps_view *rd)
{
	size_t n_gs;
	const struct ps_goroutine *const *gs = ps_view_goroutines(rd, &n_gs);

	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < n_gs; i++) {
			const struct ps_goroutine *g = gs[i];
			if (g->crashed != (pass == 0))
				continue;
			struct ps_view_group one = ps_view_single(rd, &gs[i]);
			group_header(w, &one);
			put_block(w, &(struct block){ g, NULL, 0, false });
			ancestor_blocks(w, g);
			rp_buf_addc(&w->b, '\n');
		}
	}
}

static void skipped_note(struct tw *w, const char *one, const char *many,
			 const struct ps_skipped *s)
{
	if (!s->count)
		return;
	color(w, C_DIM);
	rp_buf_printf(&w->b, "note: %llu %s (first at line", (unsigned long long)s->count,
		      s->count == 1 ? one : many);
	for (size_t i = 0; i < s->n_first && i < PS_SKIP_KEEP; i++)
		rp_buf_printf(&w->b, "%s %u", i ? "," : "", s->first[i]);
	rp_buf_puts(&w->b, ")\n");
	color(w, C_RESET);
}

/* "=== dump 2 of 16 (crash.log, lines 40-95) ===" over each dump of
 * several ("=== dump 2 (...)" when --stream writes before the count). */
static void text_dump_head(void *wp, const struct rp_dump_info *d, size_t idx, FILE *out)
{
	struct tw *w = wp;

	if (w->c->count_known && w->c->n_dumps <= 1)
		return;
	color(w, C_BOLD);
	rp_buf_printf(&w->b, "=== dump %zu", idx + 1);
	if (w->c->count_known)
		rp_buf_printf(&w->b, " of %zu", w->c->n_dumps);
	rp_buf_puts(&w->b, " (");
	if (d->source && d->source[0])
		put(w, d->source), rp_buf_puts(&w->b, ", ");
	rp_buf_printf(&w->b, "lines %u-%u) ===\n", d->first_line, d->last_line);
	color(w, C_RESET);
	rp_buf_flush(&w->b, out);
}

static void text_body(void *wp, const ps_view *rd, size_t idx, FILE *out)
{
	struct tw *w = wp;

	(void)idx;
	w->d = rd;
	w->out = out;
	headline(w);
	findings(w);
	rp_buf_addc(&w->b, '\n');
	if (w->c->opts->all)
		all_goroutines(w, rd);
	else
		groups(w, rd);
	rp_buf_flush(&w->b, out);
}

static void *text_open(const struct rp_ctx *c)
{
	struct tw *w = ps_xcalloc(1, sizeof(*w));

	w->c = c;
	w->color = c->opts->color;
	ps_vec_init(&w->rows, sizeof(struct row));
	return w;
}

static void text_head(void *wp, FILE *out)
{
	struct tw *w = wp;

	if (w->c->n_dumps)
		return;
	rp_buf_puts(&w->b, "no Go crash dump found");
	if (w->c->opts->input_name)
		rp_buf_printf(&w->b, " in %s", w->c->opts->input_name);
	rp_buf_addc(&w->b, '\n');
	rp_buf_flush(&w->b, out);
}

/* OUT NULL: an aborted report, only freed. */
static void text_tail(void *wp, FILE *out)
{
	struct tw *w = wp;

	if (out) {
		skipped_note(w, "input line outside any dump was skipped",
			     "input lines outside any dump were skipped", &w->c->doc->skipped);
		skipped_note(w, "line inside a dump could not be parsed",
			     "lines inside dumps could not be parsed", &w->c->doc->bad);
		rp_buf_flush(&w->b, out);
	}
	rp_buf_release(&w->b);
	rp_buf_release(&w->text);
	ps_vec_release(&w->rows);
	ps_arena_release(&w->scratch);
	free(w);
}

const struct rp_writer rp_text_writer = {
	text_open, NULL, text_body, text_head, text_dump_head, text_tail,
};

/* markdown.c - a report for pasting into an issue tracker: the crash as
 * a heading, findings, a summary table of the groups and the crashed
 * stack in a fenced block, in Go's own layout (what people search for). */
#include "report_int.h"

#include <stdlib.h>
#include <string.h>

#define MAX_ROWS 50

struct mw {
	struct rp_buf b;
	FILE *out;
	const struct rp_ctx *c;
	const ps_view *d;
	struct ps_arena scratch;
};

/* Table-cell text: one line, '|' escaped, as inline code when it can
 * be (a backtick inside would end the span early). */
static void cell(struct mw *w, const char *s, bool code)
{
	if (!s || !s[0])
		return;
	code = code && !strchr(s, '`');
	if (code)
		rp_buf_addc(&w->b, '`');
	for (const char *p = s; *p; p++) {
		/* plain bytes go to rp_text_str as one run: a UTF-8 sequence
		 * cut into single bytes would be escaped as invalid */
		size_t run = strcspn(p, code ? "|\n\r" : "|\n\r\\*_[]<>#");
		if (run > 0) {
			rp_text_str(&w->b, p, run);
			p += run - 1;
		} else if (*p == '|')
			rp_buf_add(&w->b, "\\|", 2);
		else if (*p == '\n' || *p == '\r')
			rp_buf_addc(&w->b, ' ');
		else
			rp_buf_addc(&w->b, '\\'), rp_buf_addc(&w->b, *p);
	}
	if (code)
		rp_buf_addc(&w->b, '`');
}

/* The view's headline: the first line as the heading, the rest of the
 * chain and the signal as a list, the summary in bold, then warnings
 * and findings. */
static void heading(struct mw *w)
{
	size_t n, n_warn, n_find;
	const struct ps_view_line *l = ps_view_headline(w->d, &n);
	const char *const *warn = ps_view_warnings(w->d, &n_warn);
	const struct ps_view_finding *fs = ps_view_findings(w->d, &n_find);
	bool list = false;

	for (size_t i = 0; i < n; i++) {
		if (i == 0) {
			rp_buf_puts(&w->b, "## ");
			cell(w, l[i].text, false);
			rp_buf_puts(&w->b, "\n\n");
			continue;
		}
		if (l[i].kind == PS_VIEW_LINE_SUMMARY) {
			rp_buf_puts(&w->b, list ? "\n**" : "**");
			cell(w, l[i].text, false);
			rp_buf_puts(&w->b, "**\n\n");
			list = false;
			continue;
		}
		rp_buf_puts(&w->b, "- ");
		cell(w, l[i].text, true);
		rp_buf_addc(&w->b, '\n');
		list = true;
	}
	for (size_t i = 0; i < n_warn; i++) {
		rp_buf_puts(&w->b, "> **Warning:** ");
		cell(w, warn[i], false);
		rp_buf_puts(&w->b, "\n\n");
	}
	for (size_t i = 0; i < n_find; i++) {
		rp_buf_puts(&w->b, "- ");
		cell(w, fs[i].message, false);
		rp_buf_addc(&w->b, '\n');
	}
	if (n_find)
		rp_buf_addc(&w->b, '\n');
}

static void where_cell(struct mw *w, const struct ps_frame *f)
{
	if (!f)
		return;
	cell(w, f->func, true);
	if (f->has_file) {
		enum ps_view_class c = ps_view_frame_class(w->d, f);
		char *loc = ps_arena_printf(&w->scratch, "%s:%u",
					    ps_view_short_path(w->d, f->file, c), f->line);
		rp_buf_puts(&w->b, " at ");
		cell(w, loc, true);
	}
}

static void table_row(struct mw *w, size_t i, const struct ps_view_group *gr)
{
	rp_buf_printf(&w->b, "| %zu | %llu%s | ", i + 1, (unsigned long long)gr->count,
		      gr->crashed ? " (crashed)" : "");
	cell(w, ps_goroutine_role(gr->rep)[0] ? ps_goroutine_role(gr->rep) : gr->rep->state, false);
	rp_buf_puts(&w->b, " | ");
	if (gr->wait_max >= 0 && gr->wait_min != gr->wait_max)
		rp_buf_printf(&w->b, "%d-%d", gr->wait_min, gr->wait_max);
	else if (gr->wait_max >= 0)
		rp_buf_printf(&w->b, "%d", gr->wait_max);
	rp_buf_puts(&w->b, " | ");
	where_cell(w, ps_view_site(w->d, gr->rep));
	rp_buf_puts(&w->b, " | ");
	if (gr->rep->created_by)
		cell(w, gr->rep->created_by->func, true);
	rp_buf_puts(&w->b, " |\n");
}

static void table(struct mw *w)
{
	size_t n_groups;
	const struct ps_view_group *groups = ps_view_groups(w->d, &n_groups);
	size_t n = n_groups < MAX_ROWS ? n_groups : MAX_ROWS;

	if (!n_groups)
		return;
	rp_buf_puts(&w->b, "| # | goroutines | state | wait (min) | where | created by |\n"
			   "|--:|--:|---|--:|---|---|\n");
	for (size_t i = 0; i < n; i++)
		table_row(w, i, &groups[i]);
	if (n < n_groups)
		rp_buf_printf(&w->b, "\n…and %zu more group%s (see `panicscope -f json`).\n",
			      n_groups - n, n_groups - n == 1 ? "" : "s");
	rp_buf_addc(&w->b, '\n');
}

/* A fence longer than any backtick run inside, so nothing escapes it. */
static size_t fence_len(const struct ps_goroutine *g)
{
	size_t best = 2;
	for (size_t i = 0; i < g->stack.n_frames; i++) {
		const char *s = ps_stack_args(&g->stack, i);
		size_t run = 0;
		for (; s && *s; s++) {
			run = *s == '`' ? run + 1 : 0;
			if (run > best)
				best = run;
		}
	}
	return best + 1;
}

static void fence(struct mw *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		rp_buf_addc(&w->b, '`');
	rp_buf_addc(&w->b, '\n');
}

static void decoded_line(struct mw *w, const struct ps_stack *st, size_t i)
{
	const struct ps_abi_frame *af = ps_view_args(w->d, st, i);

	if (!af || !af->n_args)
		return;
	rp_buf_puts(&w->b, "\t// ");
	rp_abi_args_text(&w->b, af);
	if (af->note) {
		rp_buf_puts(&w->b, " // ");
		rp_text_str(&w->b, af->note, strlen(af->note));
	}
	rp_buf_addc(&w->b, '\n');
}

/* The stack as Go prints it: "func(args)" then "\tfile:line +0xoff". */
static void go_stack(struct mw *w, const struct ps_goroutine *g)
{
	for (size_t i = 0; i < g->stack.n_frames; i++) {
		const struct ps_frame *f = &g->stack.frames[i];
		rp_text_str(&w->b, f->func ? f->func : "?", f->func ? strlen(f->func) : 1);
		if (f->kind == PS_FRAME_GO) {
			rp_buf_addc(&w->b, '(');
			const char *args = ps_stack_args(&g->stack, i);
			if (args)
				rp_text_str(&w->b, args, ps_intern_len(args));
			rp_buf_addc(&w->b, ')');
		}
		rp_buf_addc(&w->b, '\n');
		if (f->has_file) {
			rp_buf_addc(&w->b, '\t');
			rp_text_str(&w->b, f->file, strlen(f->file));
			rp_buf_printf(&w->b, ":%u", f->line);
			if (f->has_pc_offset)
				rp_buf_printf(&w->b, " +0x%llx", (unsigned long long)f->pc_offset);
			rp_buf_addc(&w->b, '\n');
		}
		decoded_line(w, &g->stack, i);
		if (g->stack.elided && i + 1 == g->stack.elided_at && g->stack.elided_count)
			rp_buf_printf(&w->b, "...%u frames elided...\n", g->stack.elided_count);
		else if (g->stack.elided && i + 1 == g->stack.elided_at)
			rp_buf_puts(&w->b, "...additional frames elided...\n");
		/* a stack of 10^6 frames must not sit in the buffer whole */
		rp_buf_spill(&w->b, w->out);
	}
	if (g->created_by) {
		rp_buf_puts(&w->b, "created by ");
		rp_text_str(&w->b, g->created_by->func, strlen(g->created_by->func));
		rp_buf_addc(&w->b, '\n');
	}
}

static void crashed_stack(struct mw *w)
{
	size_t n_groups;
	const struct ps_view_group *groups = ps_view_groups(w->d, &n_groups);
	const struct ps_view_group *gr = n_groups ? &groups[0] : NULL;
	const struct ps_goroutine *g;

	if (!gr)
		return;
	g = gr->rep;
	if (gr->crashed)
		rp_buf_printf(&w->b, "### Crashed goroutine %llu [", (unsigned long long)g->id);
	else
		rp_buf_printf(&w->b, "### Group 1 (%llu goroutine%s) [",
			      (unsigned long long)gr->count, gr->count == 1 ? "" : "s");
	cell(w, g->state, false);
	rp_buf_puts(&w->b, "]\n\n");
	size_t n = fence_len(g);
	fence(w, n);
	go_stack(w, g);
	fence(w, n);
	rp_buf_addc(&w->b, '\n');
}

static void *md_open(const struct rp_ctx *c)
{
	struct mw *w = ps_xcalloc(1, sizeof(*w));
	w->c = c;
	return w;
}

static void md_head(void *wp, FILE *out)
{
	struct mw *w = wp;
	if (!w->c->n_dumps)
		rp_buf_puts(&w->b, "No Go crash dump found.\n");
	rp_buf_flush(&w->b, out);
}

static void md_dump_head(void *wp, const struct rp_dump_info *d, size_t idx, FILE *out)
{
	struct mw *w = wp;
	(void)d;
	if (!w->c->count_known)
		rp_buf_printf(&w->b, "# Dump %zu\n\n", idx + 1);
	else if (w->c->n_dumps > 1)
		rp_buf_printf(&w->b, "# Dump %zu of %zu\n\n", idx + 1, w->c->n_dumps);
	rp_buf_flush(&w->b, out);
}

static void md_body(void *wp, const ps_view *v, size_t idx, FILE *out)
{
	struct mw *w = wp;
	(void)idx;
	w->d = v;
	w->out = out;
	heading(w);
	table(w);
	crashed_stack(w);
	rp_buf_flush(&w->b, out);
}

/* OUT NULL: an aborted report, only freed. */
static void md_tail(void *wp, FILE *out)
{
	struct mw *w = wp;
	if (out) {
		const struct ps_skipped *sk = &w->c->doc->skipped;
		if (sk->count)
			rp_buf_printf(&w->b, "_%llu input %s outside any dump %s skipped._\n",
				      (unsigned long long)sk->count,
				      sk->count == 1 ? "line" : "lines",
				      sk->count == 1 ? "was" : "were");
		rp_buf_flush(&w->b, out);
	}
	rp_buf_release(&w->b);
	ps_arena_release(&w->scratch);
	free(w);
}

const struct rp_writer rp_markdown_writer = {
	md_open, NULL, md_body, md_head, md_dump_head, md_tail,
};

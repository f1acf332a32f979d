/* markdown.c - a report for pasting into an issue tracker: the crash as
 * a heading, findings, a summary table of the groups and the crashed
 * stack in a fenced block, in Go's own layout (what people search for). */
#include "report_int.h"

#include <string.h>

#define MAX_ROWS 50

struct mw {
	struct rp_buf b;
	const struct rp_ctx *c;
	struct rp_dump *d;
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

static void heading(struct mw *w, const struct ps_dump *d)
{
	const char *msg = d->n_panics ? d->panics[0].message : d->message;
	const char *pre = d->n_panics ? (d->panics[0].fatal ? "fatal error: " : "panic: ")
		     : d->kind == PS_DUMP_FATAL ? "fatal error: " : "";

	rp_buf_puts(&w->b, "## ");
	rp_buf_puts(&w->b, pre);
	if (msg && msg[0]) {
		cell(w, msg, false);
	} else if (d->signal && d->signal->name) {
		cell(w, d->signal->name, false);
		if (d->signal->desc && d->signal->desc[0])
			rp_buf_puts(&w->b, ": "), cell(w, d->signal->desc, false);
	} else {
		cell(w, d->kind == PS_DUMP_RACE ? "WARNING: DATA RACE" :
			ps_dump_kind_name(d->kind), false);
	}
	if (d->recovered)
		rp_buf_puts(&w->b, " \\[recovered\\]");
	rp_buf_puts(&w->b, "\n\n");
	for (size_t i = 1; i < d->n_panics; i++) {
		rp_buf_puts(&w->b, "- then ");
		rp_buf_puts(&w->b, d->panics[i].fatal ? "fatal error: " : "panic: ");
		cell(w, d->panics[i].message, true);
		rp_buf_addc(&w->b, '\n');
	}
	if (d->n_panics > 1)
		rp_buf_addc(&w->b, '\n');
	if (d->signal) {
		rp_buf_puts(&w->b, "Signal: ");
		cell(w, d->signal->name, true);
		if (d->signal->addr && d->signal->addr[0])
			rp_buf_puts(&w->b, " addr "), cell(w, d->signal->addr, true);
		if (d->signal->pc && d->signal->pc[0])
			rp_buf_puts(&w->b, " pc "), cell(w, d->signal->pc, true);
		rp_buf_puts(&w->b, "\n\n");
	}
}

static void summary(struct mw *w)
{
	const struct rp_dump *rd = w->d;

	rp_buf_printf(&w->b, "**%llu goroutine%s in %zu group%s**",
		      (unsigned long long)rd->n_goroutines, rd->n_goroutines == 1 ? "" : "s",
		      rd->n_groups, rd->n_groups == 1 ? "" : "s");
	if (rd->n_filtered_out)
		rp_buf_printf(&w->b, " (%zu filtered out)", rd->n_filtered_out);
	if (rd->dump->exit_status >= 0)
		rp_buf_printf(&w->b, " · exit status %d", rd->dump->exit_status);
	rp_buf_puts(&w->b, "\n\n");
	if (rd->mismatch) {
		rp_buf_puts(&w->b, "> **Warning:** ");
		cell(w, rd->mismatch, false);
		rp_buf_puts(&w->b, "\n\n");
	}
	for (size_t i = 0; i < rd->n_findings; i++) {
		rp_buf_puts(&w->b, "- ");
		cell(w, rd->findings[i].message, false);
		rp_buf_addc(&w->b, '\n');
	}
	if (rd->n_findings)
		rp_buf_addc(&w->b, '\n');
}

static void where_cell(struct mw *w, const struct ps_frame *f)
{
	if (!f)
		return;
	cell(w, f->func, true);
	if (f->has_file) {
		enum rp_class c = rp_frame_class(&w->d->paths, f->func, f->file, f->kind);
		char *loc = ps_arena_printf(&w->d->arena, "%s:%u",
					    rp_short_path(&w->d->paths, f->file, c), f->line);
		rp_buf_puts(&w->b, " at ");
		cell(w, loc, true);
	}
}

static void table_row(struct mw *w, size_t i, const struct rp_group *gr)
{
	rp_buf_printf(&w->b, "| %zu | %llu%s | ", i + 1, (unsigned long long)gr->count,
		      gr->crashed ? " (crashed)" : "");
	cell(w, gr->rep->role && gr->rep->role[0] ? gr->rep->role : gr->rep->state, false);
	rp_buf_puts(&w->b, " | ");
	if (gr->wait_max >= 0 && gr->wait_min != gr->wait_max)
		rp_buf_printf(&w->b, "%d-%d", gr->wait_min, gr->wait_max);
	else if (gr->wait_max >= 0)
		rp_buf_printf(&w->b, "%d", gr->wait_max);
	rp_buf_puts(&w->b, " | ");
	where_cell(w, rp_site(&w->d->paths, gr->rep));
	rp_buf_puts(&w->b, " | ");
	if (gr->rep->created_by)
		cell(w, gr->rep->created_by->func, true);
	rp_buf_puts(&w->b, " |\n");
}

static void table(struct mw *w)
{
	const struct rp_dump *rd = w->d;
	size_t n = rd->n_groups < MAX_ROWS ? rd->n_groups : MAX_ROWS;

	if (!rd->n_groups)
		return;
	rp_buf_puts(&w->b, "| # | goroutines | state | wait (min) | where | created by |\n"
			   "|--:|--:|---|--:|---|---|\n");
	for (size_t i = 0; i < n; i++)
		table_row(w, i, &rd->groups[i]);
	if (n < rd->n_groups)
		rp_buf_printf(&w->b, "\n…and %zu more groups (see `panicscope -f json`).\n",
			      rd->n_groups - n);
	rp_buf_addc(&w->b, '\n');
}

/* A fence longer than any backtick run inside, so nothing escapes it. */
static size_t fence_len(const struct ps_goroutine *g)
{
	size_t best = 2;
	for (size_t i = 0; i < g->stack.n_frames; i++) {
		const char *s = g->stack.frames[i].args_raw;
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

static void decoded_line(struct mw *w, const struct ps_frame *f)
{
	struct ps_abi_frame af;

	if (!rp_decode(w->c, w->d, f, &w->d->arena, &af) || !af.n_args)
		return;
	rp_buf_puts(&w->b, "\t// ");
	rp_abi_args_text(&w->b, &af);
	if (af.note) {
		rp_buf_puts(&w->b, " // ");
		rp_text_str(&w->b, af.note, strlen(af.note));
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
			if (f->args_raw)
				rp_text_str(&w->b, f->args_raw, f->args_len);
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
		decoded_line(w, f);
		if (g->stack.elided && i + 1 == g->stack.elided_at && g->stack.elided_count)
			rp_buf_printf(&w->b, "...%zu frames elided...\n", g->stack.elided_count);
		else if (g->stack.elided && i + 1 == g->stack.elided_at)
			rp_buf_puts(&w->b, "...additional frames elided...\n");
	}
	if (g->created_by) {
		rp_buf_puts(&w->b, "created by ");
		rp_text_str(&w->b, g->created_by->func, strlen(g->created_by->func));
		rp_buf_addc(&w->b, '\n');
	}
}

static void crashed_stack(struct mw *w)
{
	const struct rp_group *gr = w->d->n_groups ? &w->d->groups[0] : NULL;
	const struct ps_goroutine *g;

	if (!gr)
		return;
	g = gr->rep;
	if (gr->crashed)
		rp_buf_printf(&w->b, "### Crashed goroutine %llu [", (unsigned long long)g->id);
	else
		rp_buf_printf(&w->b, "### Largest group (%llu goroutines) [",
			      (unsigned long long)gr->count);
	cell(w, g->state, false);
	rp_buf_puts(&w->b, "]\n\n");
	size_t n = fence_len(g);
	fence(w, n);
	go_stack(w, g);
	fence(w, n);
	rp_buf_addc(&w->b, '\n');
}

int rp_write_markdown(FILE *out, const struct rp_ctx *c)
{
	struct mw w = { .c = c };

	if (!c->n_dumps)
		rp_buf_puts(&w.b, "No Go crash dump found.\n");
	for (size_t i = 0; i < c->n_dumps; i++) {
		w.d = &c->dumps[i];
		if (c->n_dumps > 1)
			rp_buf_printf(&w.b, "# Dump %zu of %zu\n\n", i + 1, c->n_dumps);
		heading(&w, w.d->dump);
		summary(&w);
		table(&w);
		crashed_stack(&w);
		rp_buf_flush(&w.b, out);
	}
	if (c->doc->skipped.count)
		rp_buf_printf(&w.b, "_%llu input lines outside any dump were skipped._\n",
			      (unsigned long long)c->doc->skipped.count);
	rp_buf_flush(&w.b, out);
	rp_buf_release(&w.b);
	return 0;
}

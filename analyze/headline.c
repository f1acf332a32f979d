/* headline.c - the lines on top of every report: the panic chain with
 * each marker, the signal, the runtime's diagnostics and the summary
 * counts.  Worked out once here so every format says the same. */
#include "view_int.h"

static void line(struct ps_vec *out, struct ps_view *v, enum ps_view_line_kind kind,
		 struct ps_buf *b)
{
	struct ps_view_line *l = ps_vec_push(out);
	l->kind = kind;
	l->text = ps_arena_strndup(&v->arena, b->len ? b->p : "", b->len);
	b->len = 0;
}

static const char *or_q(const char *s)
{
	return s ? s : "?";
}

static void panic_chain(struct ps_vec *out, struct ps_view *v, struct ps_buf *b)
{
	const struct ps_dump *d = v->dump;

	for (size_t i = 0; i < d->n_panics; i++) {
		const struct ps_panic_line *p = &d->panics[i];
		ps_buf_puts(b, p->fatal ? "fatal error: " : "panic: ");
		ps_buf_puts(b, p->message ? p->message : "");
		if (p->repanicked)
			ps_buf_puts(b, " [recovered, repanicked]");
		else if (p->recovered)
			ps_buf_puts(b, " [recovered]");
		line(out, v, PS_VIEW_LINE_PANIC, b);
	}
}

/* "SIGQUIT: quit" then "PC=0x... sigcode=0": the block Go prints for a
 * fatal signal without a panic line. */
static void fatal_signal(struct ps_vec *out, struct ps_view *v, struct ps_buf *b)
{
	const struct ps_signal *s = v->dump->signal;

	ps_buf_puts(b, or_q(s->name));
	if (s->desc && s->desc[0])
		ps_buf_printf(b, ": %s", s->desc);
	line(out, v, PS_VIEW_LINE_FATAL_SIGNAL, b);
	if (!s->pc || !s->pc[0])
		return;
	ps_buf_printf(b, "PC=%s", s->pc);
	if (s->code && s->code[0])
		ps_buf_printf(b, " sigcode=%s", s->code);
	if (s->addr && s->addr[0])
		ps_buf_printf(b, " addr=%s", s->addr);
	line(out, v, PS_VIEW_LINE_REGS, b);
}

static void signal_line(struct ps_vec *out, struct ps_view *v, struct ps_buf *b)
{
	const struct ps_signal *s = v->dump->signal;

	ps_buf_printf(b, "[signal %s", or_q(s->name));
	if (s->desc && s->desc[0])
		ps_buf_printf(b, ": %s", s->desc);
	if (s->code && s->code[0])
		ps_buf_printf(b, " code=%s", s->code);
	if (s->addr && s->addr[0])
		ps_buf_printf(b, " addr=%s", s->addr);
	if (s->pc && s->pc[0])
		ps_buf_printf(b, " pc=%s", s->pc);
	ps_buf_addc(b, ']');
	line(out, v, PS_VIEW_LINE_SIGNAL, b);
}

static void crash(struct ps_vec *out, struct ps_view *v, struct ps_buf *b)
{
	const struct ps_dump *d = v->dump;

	if (!d->n_panics && (!d->message || !d->message[0]) && d->signal &&
	    (d->kind == PS_DUMP_SIGQUIT || d->kind == PS_DUMP_SIGNAL)) {
		fatal_signal(out, v, b);
		return;
	}
	if (d->n_panics) {
		panic_chain(out, v, b);
	} else {
		if (d->kind == PS_DUMP_FATAL)
			ps_buf_puts(b, "fatal error: ");
		if (d->message && d->message[0])
			ps_buf_puts(b, d->message);
		else if (d->kind == PS_DUMP_RACE)
			ps_buf_puts(b, "WARNING: DATA RACE");
		else
			ps_buf_puts(b, ps_dump_kind_name(d->kind));
		line(out, v, PS_VIEW_LINE_CRASH, b);
	}
	if (d->signal)
		signal_line(out, v, b);
}

static void context(struct ps_vec *out, struct ps_view *v, struct ps_buf *b)
{
	const struct ps_dump *d = v->dump;

	for (size_t i = 0; i < d->n_runtime_lines; i++) {
		ps_buf_puts(b, d->runtime_lines[i]);
		line(out, v, PS_VIEW_LINE_RUNTIME, b);
	}
	if (!d->n_running_tests)
		return;
	ps_buf_puts(b, "running tests:");
	for (size_t i = 0; i < d->n_running_tests; i++)
		ps_buf_printf(b, "%s%s", i ? ", " : " ", d->running_tests[i]);
	line(out, v, PS_VIEW_LINE_TESTS, b);
}

static const char *plural(uint64_t n)
{
	return n == 1 ? "" : "s";
}

static void summary(struct ps_vec *out, struct ps_view *v, struct ps_buf *b)
{
	const struct ps_dump *d = v->dump;
	const ps_abi *abi = v->opts.abi;
	size_t n;
	const char *common = ps_view_common_dir(v, &n);

	ps_buf_printf(b, "%llu goroutine%s", (unsigned long long)v->n_goroutines,
		      plural(v->n_goroutines));
	if (v->n_runtime_stacks)
		ps_buf_printf(b, " and %llu runtime stack%s",
			      (unsigned long long)v->n_runtime_stacks,
			      plural(v->n_runtime_stacks));
	if (!v->opts.all)
		ps_buf_printf(b, " in %zu group%s", v->n_groups, plural(v->n_groups));
	if (v->n_filtered_out)
		ps_buf_printf(b, " (%zu filtered out)", v->n_filtered_out);
	if (d->exit_status >= 0)
		ps_buf_printf(b, " · exit status %d", d->exit_status);
	if (d->truncated)
		ps_buf_puts(b, " · input truncated");
	if (abi && ps_abi_go_version(abi))
		ps_buf_printf(b, " · %s", ps_abi_go_version(abi));
	if (common) {
		ps_buf_puts(b, " · paths under ");
		ps_buf_add(b, common, n);
	}
	line(out, v, PS_VIEW_LINE_SUMMARY, b);
}

void av_headline(struct ps_view *v)
{
	struct ps_vec out;
	struct ps_buf b = { 0 };

	ps_vec_init(&out, sizeof(struct ps_view_line));
	crash(&out, v, &b);
	context(&out, v, &b);
	summary(&out, v, &b);
	v->headline = ps_vec_finish(&out, &v->arena, &v->n_headline);
	ps_vec_release(&out);
	ps_buf_release(&b);
}

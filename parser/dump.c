/* dump.c - dump boundaries and the lines around the goroutines: panic
 * chains, fatal errors, signals, registers, race reports, profiles. */
#include <ctype.h>
#include <stdlib.h>

#include "ps_parse_int.h"

static const char *const kind_names[] = {
	"panic", "fatal error", "signal", "sigquit", "race", "timeout",
	"goroutine dump",
};

const char *ps_dump_kind_name(enum ps_dump_kind k)
{
	return (size_t)k < sizeof(kind_names) / sizeof(kind_names[0])
		? kind_names[k] : "unknown";
}

static const char *const repair_names[PS_REPAIR__COUNT] = {
	[PS_REPAIR_SPACES_FOR_TAB] = "spaces_for_tab",
	[PS_REPAIR_WRAPPED] = "wrapped",
	[PS_REPAIR_CRLF] = "crlf",
	[PS_REPAIR_BAD_LOCATION] = "bad_location",
	[PS_REPAIR_UNKNOWN_LINE] = "unknown_line",
	[PS_REPAIR_TRUNCATED] = "truncated",
	[PS_REPAIR_DUPLICATE_ID] = "duplicate_id",
	[PS_REPAIR_PREFIX] = "prefix",
	[PS_REPAIR_NUMBER_OVERFLOW] = "number_overflow",
};

const char *ps_repair_kind_name(enum ps_repair_kind k)
{
	return (size_t)k < PS_REPAIR__COUNT ? repair_names[k] : "unknown";
}

void ps_p_repair(struct ps_parser *p, const struct ps_repair *r)
{
	if (!p->dump)
		return; /* damage outside any dump is junk, counted as skipped */
	if (p->repairs.len >= PS_REPAIR_KEEP) {
		p->repairs_dropped++;
		return;
	}
	*(struct ps_repair *)ps_vec_push(&p->repairs) = *r;
}

/* Line order; the other fields only make the order total, so the
 * output does not depend on qsort's handling of equal keys. */
static int repair_cmp(const void *a, const void *b)
{
	const struct ps_repair *x = a, *y = b;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->line2 != y->line2)
		return x->line2 < y->line2 ? -1 : 1;
	if (x->detail != y->detail)
		return x->detail < y->detail ? -1 : 1;
	return x->goroutine < y->goroutine ? -1 : x->goroutine > y->goroutine;
}

/* The repairs known only once the dump is over, then the list sorted
 * into the dump. */
static void finish_repairs(struct ps_parser *p, struct ps_dump *d)
{
	if (p->cr_lines)
		ps_p_repair(p, &(struct ps_repair){ .kind = PS_REPAIR_CRLF,
			.line = p->first_cr, .detail = p->cr_lines });
	if (d->truncated) {
		struct ps_repair r = { .kind = PS_REPAIR_TRUNCATED, .line = d->last_line };
		if (d->n_goroutines && d->goroutines[d->n_goroutines - 1].has_header) {
			r.goroutine = d->goroutines[d->n_goroutines - 1].id;
			r.has_goroutine = true;
		}
		ps_p_repair(p, &r);
	}
	if (p->repairs.len > 1)
		qsort(p->repairs.data, p->repairs.len, sizeof(struct ps_repair), repair_cmp);
	d->repairs = ps_vec_finish(&p->repairs, &d->arena, &d->n_repairs);
	d->n_repairs_dropped = p->repairs_dropped;
	p->repairs_dropped = 0;
	p->cr_lines = p->first_cr = 0;
	p->prefix_noted = false;
}

static void skip_note(struct ps_skipped *sk, uint32_t line)
{
	if (sk->n_first < PS_SKIP_KEEP)
		sk->first[sk->n_first++] = line;
	sk->count++;
}

void ps_p_skip(struct ps_parser *p)
{
	ps_p_skip_line(p, p->lineno);
}

void ps_p_skip_line(struct ps_parser *p, uint32_t line)
{
	skip_note(&p->doc->skipped, line);
	if (line > p->last_skip)
		p->last_skip = line;
}

static void flush_pending(struct ps_parser *p, bool keep)
{
	for (size_t i = 0; i < p->pending.len; i++) {
		char **s = ps_vec_at(&p->pending, i);
		if (keep)
			*(const char **)ps_vec_push(&p->runtime_lines) =
				ps_arena_strndup(&p->dump->arena, *s, strlen(*s));
		else
			skip_note(&p->doc->skipped, p->pending_line + (uint32_t)i);
		free(*s);
	}
	p->pending.len = 0;
}

void ps_p_drop_pending(struct ps_parser *p)
{
	flush_pending(p, false);
}

struct ps_dump *ps_p_open_dump(struct ps_parser *p, enum ps_dump_kind kind)
{
	if (p->dump)
		ps_p_end_dump(p);
	ps_p_hand_out(p, true); /* the one before is final now */
	struct ps_dump *d = ps_xcalloc(1, sizeof(*d));
	d->kind = kind;
	d->message = "";
	d->prefix = "";
	d->source = p->source ? p->source : "";
	d->exit_status = -1;
	d->first_line = p->lineno;
	p->dump = d;
	p->mode = MODE_TRACE;
	p->st = ST_HEADER;
	ps_p_ids_clear(p);
	flush_pending(p, true);
	p->msg_lines = 0;
	p->after_separator = false;
	p->per_m_blocks = false;
	p->repairs.len = 0;
	p->repairs_dropped = 0;
	p->cr_lines = p->first_cr = 0;
	p->prefix_noted = false;
	p->unk_count = 0;
	const char *pre = ps_prefixer_describe(p->px);
	d->prefix = ps_arena_strndup(&d->arena, pre, strlen(pre));
	return d;
}

/* The crashed goroutine: the first one that was running when the dump
 * was taken, or the interrupted one of a fatal signal. */
static void mark_crashed(struct ps_dump *d)
{
	if (d->kind == PS_DUMP_GOROUTINES || d->kind == PS_DUMP_RACE)
		return;
	for (size_t i = 0; i < d->n_goroutines; i++) {
		struct ps_goroutine *g = &d->goroutines[i];
		if (g->crashed)
			return;
		if (!g->has_header)
			continue;
		/* The signal landed on an idle thread: GOTRACEBACK=crash
		 * prints that thread's g0 ("goroutine 0 [idle]") first.  Its
		 * scheduler stack did not crash, and neither did the
		 * goroutines printed after it. */
		if (g->id == 0 && !strcmp(g->state, "idle"))
			return;
		if (d->kind == PS_DUMP_SIGQUIT || d->kind == PS_DUMP_SIGNAL || d->signal ||
		    ps_mem_starts(g->state, strlen(g->state), "running"))
			g->crashed = true;
		return;
	}
}

void ps_p_end_dump(struct ps_parser *p)
{
	struct ps_dump *d = p->dump;
	if (!d)
		return;
	ps_p_drop_tentative(p);
	if (p->gb.open && (p->st == ST_FILE || p->st == ST_CREATED))
		d->truncated = true;
	ps_p_end_goroutine(p);
	ps_p_memo_end_dump(p);
	/* a big dump's vector is as large as a copy: it becomes the array */
	d->goroutines = ps_vec_steal(&p->goroutines, &d->arena, &d->n_goroutines);
	d->panics = ps_vec_finish(&p->panics, &d->arena, &d->n_panics);
	d->runtime_lines = ps_vec_finish(&p->runtime_lines, &d->arena, &d->n_runtime_lines);
	d->running_tests = ps_vec_finish(&p->tests, &d->arena, &d->n_running_tests);
	d->registers = ps_vec_finish(&p->registers, &d->arena, &d->n_registers);
	if (d->n_panics) {
		d->message = d->panics[0].message;
		d->recovered = d->panics[0].recovered;
	}
	if (!d->total_goroutines)
		d->total_goroutines = d->n_goroutines;
	d->last_line = p->lineno;
	mark_crashed(d);
	finish_repairs(p, d);
	*(struct ps_dump **)ps_vec_push(&p->dumps) = d;
	p->last_dump = d;
	p->dump = NULL;
	p->st = ST_OUTSIDE;
	p->mode = MODE_TRACE;
}

void ps_p_hand_out(struct ps_parser *p, bool more)
{
	struct ps_doc *doc = p->doc;
	if (!p->on_dump)
		return;
	for (size_t i = 0; i < p->dumps.len; i++) {
		struct ps_dump *d = *(struct ps_dump **)ps_vec_at(&p->dumps, i);
		if (d == p->last_dump)
			p->last_dump = NULL;
		p->on_dump(p->on_dump_ctx, doc, d, doc->n_streamed++,
			   more || i + 1 < p->dumps.len);
		ps_arena_release(&d->arena);
		free(d);
	}
	p->dumps.len = 0;
}

/* ---- panic chains ---- */

static void add_panic(struct ps_parser *p, const char *s, size_t n, bool fatal)
{
	static const struct { const char *sfx; bool repanic; } sfx[] = {
		{ " [recovered, repanicked]", true },
		{ " [recovered, reraised]", true },
		{ " [recovered]", false },
	};
	struct ps_panic_line *pl = ps_vec_push(&p->panics);
	for (size_t i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++)
		if (ps_mem_ends(s, n, sfx[i].sfx)) {
			pl->recovered = true;
			pl->repanicked = sfx[i].repanic;
			n -= strlen(sfx[i].sfx);
			break;
		}
	pl->message = ps_arena_strndup(&p->dump->arena, s, n);
	pl->fatal = fatal;
	pl->goexit = memmem(s, n, "goexit", 6) || memmem(s, n, "Goexit", 6);
	p->msg_lines = 1;
	p->st = ST_HEADER;
}

/* Continuation of a multi-line panic value (Go >= 1.23 indents it). */
static bool add_continuation(struct ps_parser *p, const char *s, size_t n)
{
	if (!p->panics.len || p->msg_lines <= 0 || p->msg_lines >= 200)
		return false;
	struct ps_panic_line *pl = ps_vec_at(&p->panics, p->panics.len - 1);
	size_t old = strlen(pl->message);
	char *m = ps_arena_alloc(&p->dump->arena, old + n + 2);
	memcpy(m, pl->message, old);
	m[old] = '\n';
	memcpy(m + old + 1, s, n);
	m[old + n + 1] = '\0';
	pl->message = m;
	p->msg_lines++;
	return true;
}

/* ---- signals ---- */

static const char *dup(struct ps_parser *p, const char *s, size_t n)
{
	return ps_arena_strndup(&p->dump->arena, s, n);
}

static struct ps_signal *signal_of(struct ps_parser *p)
{
	if (!p->dump->signal) {
		struct ps_signal *sg = ps_arena_calloc(&p->dump->arena, sizeof(*sg));
		sg->name = sg->desc = sg->code = sg->addr = sg->pc = "";
		p->dump->signal = sg;
	}
	return p->dump->signal;
}

/* key=value tokens: code=, addr=, pc=, sigcode=, m=. */
static void signal_fields(struct ps_parser *p, const char *s, const char *e)
{
	struct ps_signal *sg = signal_of(p);
	while (s < e) {
		const char *sp = memchr(s, ' ', (size_t)(e - s));
		const char *te = sp ? sp : e;
		const char *eq = memchr(s, '=', (size_t)(te - s));
		if (eq) {
			size_t kn = (size_t)(eq - s);
			const char *v = dup(p, eq + 1, (size_t)(te - eq - 1));
			if (kn == 4 && !memcmp(s, "code", 4))
				sg->code = v;
			else if (kn == 7 && !memcmp(s, "sigcode", 7))
				sg->code = v;
			else if (kn == 4 && !memcmp(s, "addr", 4))
				sg->addr = v;
			else if ((kn == 2 && !memcmp(s, "pc", 2)) || (kn == 2 && !memcmp(s, "PC", 2)))
				sg->pc = v;
		}
		s = sp ? sp + 1 : e;
	}
}

/* "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x..]" */
static bool signal_line(struct ps_parser *p, const char *s, size_t n)
{
	const char *b = s, *e = s + n - 1;
	size_t bn = n;
	if (!skip_prefix(&b, &bn, "[signal ") || s[n - 1] != ']')
		return false;
	const char *code = memmem(b, (size_t)(e - b), " code=", 6);
	const char *ne = code ? code : e;
	struct ps_signal *sg = signal_of(p);
	const char *colon = memchr(b, ':', (size_t)(ne - b));
	if (colon) {
		sg->name = dup(p, b, (size_t)(colon - b));
		const char *d = colon + 1 + (colon + 1 < ne && colon[1] == ' ');
		sg->desc = dup(p, d, (size_t)(ne - d));
	} else {
		sg->name = dup(p, b, (size_t)(ne - b));
	}
	if (code)
		signal_fields(p, code + 1, e);
	if (p->dump->kind == PS_DUMP_GOROUTINES)
		p->dump->kind = PS_DUMP_SIGNAL;
	return true;
}

/* "SIGQUIT: quit" at the start of a fatal-signal block. */
static bool sig_block_line(const char *s, size_t n, size_t *name_n)
{
	size_t i = 3;
	if (!ps_mem_starts(s, n, "SIG"))
		return false;
	while (i < n && ((s[i] >= 'A' && s[i] <= 'Z') || isdigit((unsigned char)s[i])))
		i++;
	if (i == 3 || i + 1 >= n || s[i] != ':' || s[i + 1] != ' ')
		return false;
	*name_n = i;
	return true;
}

static void sig_block(struct ps_parser *p, const char *s, size_t n, size_t name_n)
{
	if (!p->dump || !p->after_separator) {
		bool quit = name_n == 7 && !memcmp(s, "SIGQUIT", 7);
		ps_p_open_dump(p, quit ? PS_DUMP_SIGQUIT : PS_DUMP_SIGNAL);
		struct ps_signal *sg = signal_of(p);
		sg->name = dup(p, s, name_n);
		sg->desc = dup(p, s + name_n + 2, n - name_n - 2);
	}
	p->after_separator = false;
	p->st = ST_HEADER;
}

/* ---- lines any dump may carry ---- */

static bool runtime_line(struct ps_parser *p, const char *s, size_t n)
{
	static const char *const starts[] = {
		"runtime: ", "signal arrived during", "instruction bytes:",
		"unexpected fault address", "*** Test killed", "stack: frame={",
		"fatal: morestack on g0", "panic during panic",
		"stack trace unavailable", "Global var ",
	};
	for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++)
		if (ps_mem_starts(s, n, starts[i])) {
			*(const char **)ps_vec_push(&p->runtime_lines) = dup(p, s, n);
			return true;
		}
	return false;
}

/* The hex dump printed after "stack: frame={...}": opaque. */
static bool hexdump_line(const char *s, size_t n)
{
	struct ps_cursor c = cur_make(s, n);
	uint64_t v;
	while (cur_skip(&c, " "))
		;
	return ps_cur_hex_u64(&c, &v) && cur_skip(&c, ":");
}

/* "PC=0x46b0e1 m=0 sigcode=0 addr=0x0" */
static bool pc_line(struct ps_parser *p, const char *s, size_t n)
{
	if (!ps_mem_starts(s, n, "PC=0x"))
		return false;
	signal_fields(p, s, s + n);
	return true;
}

/* "rax    0x0", "r10     0xc000", "fault   0x0" */
bool ps_p_register_line(struct ps_parser *p, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && i < 8 && (islower((unsigned char)s[i]) || isdigit((unsigned char)s[i])))
		i++;
	if (i == 0 || i >= n || s[i] != ' ' || !islower((unsigned char)s[0]))
		return false;
	struct ps_cursor c = cur_make(s + i, n - i);
	struct ps_register r;
	while (cur_skip(&c, " "))
		;
	if (!ps_cur_hex_u64(&c, &r.value) || cur_left(&c))
		return false;
	r.name = dup(p, s, i);
	*(struct ps_register *)ps_vec_push(&p->registers) = r;
	return true;
}

static bool exit_status(struct ps_parser *p, const char *s, size_t n)
{
	struct ps_cursor c = cur_make(s, n);
	uint64_t v;
	if (!cur_skip(&c, "exit status ") || !ps_cur_dec_u64(&c, &v) || cur_left(&c))
		return false;
	struct ps_dump *d = p->dump ? p->dump : p->last_dump;
	if (d && d->exit_status < 0)
		d->exit_status = (int)(v & 0xff);
	return true;
}

static bool strip_tab(const char **s, size_t *n)
{
	if (*n && **s == '\t') {
		(*s)++, (*n)--;
		return true;
	}
	return false;
}

/* "running tests:" and "\tTestX (10m0s)" of a go test timeout. */
static bool test_line(struct ps_parser *p, const char *s, size_t n)
{
	const char *t = s;
	size_t tn = n;
	if (p->dump->kind != PS_DUMP_TIMEOUT)
		return false;
	strip_tab(&t, &tn);
	if (tn == 14 && !memcmp(t, "running tests:", 14)) {
		p->msg_lines = -1; /* the message is over */
		return true;
	}
	if (p->msg_lines != -1 || t == s || !tn)
		return false;
	strip_tab(&t, &tn); /* 1.23+ doubles the indent */
	*(const char **)ps_vec_push(&p->tests) = dup(p, t, tn);
	return true;
}

/* Lines between the panic/fatal/signal line and the first goroutine. */
bool ps_p_dump_line(struct ps_parser *p, const char *s, size_t n)
{
	size_t name_n;
	if (n == 0) {
		if (p->msg_lines > 0)
			p->msg_lines = 0;
		return true;
	}
	/* A throw message goes on only in TAB-indented lines (the runtime's
	 * printindented); an unindented line is the program's own output. */
	if (p->msg_lines > 0 && s[0] != '\t' && p->panics.len &&
	    ((struct ps_panic_line *)ps_vec_at(&p->panics, p->panics.len - 1))->fatal)
		p->msg_lines = 0;
	const char *m = s;
	size_t mn = n;
	if (skip_prefix(&m, &mn, "\tpanic: ") ||
	    (p->msg_lines > 0 && skip_prefix(&m, &mn, "panic: "))) {
		add_panic(p, m, mn, false);
		return true;
	}
	if (skip_prefix(&m, &mn, "\tfatal error: ") || skip_prefix(&m, &mn, "fatal error: ")) {
		add_panic(p, m, mn, true);
		return true;
	}
	if (test_line(p, s, n) || signal_line(p, s, n) || pc_line(p, s, n) ||
	    runtime_line(p, s, n) || ps_p_goroutine_header(p, s, n))
		return true;
	if (sig_block_line(s, n, &name_n) && p->dump->kind != PS_DUMP_PANIC &&
	    p->dump->kind != PS_DUMP_FATAL)
		return false;
	if (n == 14 && !memcmp(s, "runtime stack:", 14)) {
		ps_p_begin_headerless(p, PS_ROLE_RUNTIME_STACK, false);
		p->st = ST_GOROUTINE;
		return true;
	}
	if (s[0] != '\t' && s[0] != ' ' && p->msg_lines <= 0) {
		/* Frames with no goroutine header: Windows exceptions. */
		ps_p_begin_headerless(p, "", true);
		p->st = ST_GOROUTINE;
		if (ps_p_frame_line(p, s, n))
			return true;
		p->gb.open = false;
		p->st = ST_HEADER;
	}
	if (s[0] == '\t')
		return add_continuation(p, s + 1, n - 1);
	return add_continuation(p, s, n);
}

/* Lines after a goroutine's blank line. */
bool ps_p_tail_line(struct ps_parser *p, const char *s, size_t n)
{
	size_t name_n;
	if (n == 0 || ps_p_goroutine_header(p, s, n) || ps_p_register_line(p, s, n) ||
	    pc_line(p, s, n) || runtime_line(p, s, n) || hexdump_line(s, n))
		return true;
	if (n == 5 && !memcmp(s, "-----", 5)) {
		p->after_separator = true;
		p->per_m_blocks = true;
		return true;
	}
	if (p->after_separator && sig_block_line(s, n, &name_n)) {
		sig_block(p, s, n, name_n);
		return true;
	}
	if (n == 14 && !memcmp(s, "runtime stack:", 14)) {
		ps_p_begin_headerless(p, PS_ROLE_RUNTIME_STACK, false);
		p->st = ST_GOROUTINE;
		return true;
	}
	return false;
}

/* ---- dump starts ---- */

static void open_panic(struct ps_parser *p, const char *s, size_t n)
{
	bool timeout = ps_mem_starts(s, n, "test timed out");
	ps_p_open_dump(p, timeout ? PS_DUMP_TIMEOUT : PS_DUMP_PANIC);
	add_panic(p, s, n, false);
}

static bool pending_line(struct ps_parser *p, const char *s, size_t n)
{
	static const char *const starts[] = {
		"runtime: ", "unexpected fault address", "*** Test killed",
	};
	for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++) {
		if (!ps_mem_starts(s, n, starts[i]))
			continue;
		if (p->pending.len >= 64)
			flush_pending(p, false);
		if (!p->pending.len)
			p->pending_line = p->lineno;
		*(char **)ps_vec_push(&p->pending) = ps_xstrndup(s, n);
		return true;
	}
	return false;
}

/* The line forms that begin a dump, and (IN_DUMP) those that belong to
 * an open one and may show up behind a log prefix first: the one list
 * that the unprefixed-start check and the prefix anchor search read.
 * (Goroutine headers and "SIGxxx: " blocks are matched by their parsers.) */
static const struct start_form {
	const char *lit;
	bool in_dump;           /* only while a dump is open */
} start_forms[] = {
	{ "panic: ", false },
	{ "fatal error: ", false },
	{ "throw: ", false },
	{ "WARNING: DATA RACE", false },
	{ "goroutine profile: ", false },
	{ "Exception 0x", false },
	{ "unexpected fault address", false }, /* printed before "fatal error: fault" */
	{ "created by ", true },
	{ "[signal ", true },
};

bool ps_p_is_start(const char *s, size_t n, bool in_dump)
{
	size_t name_n;
	if (ps_p_is_goroutine_header(s, n) || sig_block_line(s, n, &name_n))
		return true;
	for (size_t i = 0; i < sizeof(start_forms) / sizeof(start_forms[0]); i++)
		if ((!start_forms[i].in_dump || in_dump) && ps_mem_starts(s, n, start_forms[i].lit))
			return true;
	return false;
}

/* The two bytes after the first of every start form, by first byte:
 * start_forms, "goroutine " (ps_p_is_goroutine_header) and "SIG"
 * (sig_block_line) each begin with a different byte and have at least
 * three, so one table load and two compares reject a position of an
 * application log line without a call (tests/test_find_start.c checks
 * the search against the plain one). */
static const char start_next[256][3] = {
	['p'] = "an", ['f'] = "at", ['t'] = "hr", ['W'] = "AR", ['g'] = "or",
	['E'] = "xc", ['u'] = "ne", ['c'] = "re", ['['] = "si", ['S'] = "IG",
};

/* Offset of the first start form past column 0 of S, or 0.  Runs on
 * every line no prefix took: one pass, the full check only where the
 * first three bytes fit. */
size_t ps_p_find_start(const char *s, size_t n, bool in_dump)
{
	for (size_t i = 1; i + 3 < n; i++) {
		const char *t = start_next[(unsigned char)s[i]];
		if (t[0] && s[i + 1] == t[0] && s[i + 2] == t[1] &&
		    ps_p_is_start(s + i, n - i, in_dump))
			return i;
	}
	return 0;
}

/* Lines that begin a dump (ending the open one, if any). */
bool ps_p_start_line(struct ps_parser *p, const char *s, size_t n)
{
	size_t name_n, mn = n;
	struct ps_cursor c = cur_make(s, n);
	uint64_t total;
	const char *m = s;

	if (skip_prefix(&m, &mn, "panic: ")) {
		open_panic(p, m, mn);
	} else if (skip_prefix(&m, &mn, "fatal error: ") || skip_prefix(&m, &mn, "throw: ")) {
		ps_p_open_dump(p, PS_DUMP_FATAL);
		add_panic(p, m, mn, true);
	} else if (sig_block_line(s, n, &name_n)) {
		sig_block(p, s, n, name_n);
	} else if (ps_mem_starts(s, n, "Exception 0x") && skip_prefix(&m, &mn, "Exception ")) {
		ps_p_open_dump(p, PS_DUMP_SIGNAL);
		const char *sp = memchr(m, ' ', mn);
		signal_of(p)->name = dup(p, m, sp ? (size_t)(sp - m) : mn);
		p->st = ST_HEADER;
	} else if (n == 18 && !memcmp(s, "WARNING: DATA RACE", 18)) {
		ps_p_open_dump(p, PS_DUMP_RACE);
		p->mode = MODE_RACE;
	} else if (cur_skip(&c, "goroutine profile: total ") && ps_cur_dec_u64(&c, &total)) {
		ps_p_open_dump(p, PS_DUMP_GOROUTINES)->total_goroutines = total;
		p->mode = MODE_PPROF;
	} else if (ps_p_is_goroutine_header(s, n)) {
		if (p->st == ST_OUTSIDE && p->dump)
			ps_p_end_dump(p);
		return ps_p_goroutine_header(p, s, n);
	} else {
		return false;
	}
	return true;
}

/* "Found 2 data race(s)": the race detector's summary at exit. */
static bool race_trailer(const char *s, size_t n)
{
	struct ps_cursor c = cur_make(s, n);
	uint64_t v;
	return cur_skip(&c, "Found ") && ps_cur_dec_u64(&c, &v) &&
	       cur_skip(&c, " data race(s)") && !cur_left(&c);
}

/* Lines outside any dump that still mean something. */
bool ps_p_outside_line(struct ps_parser *p, const char *s, size_t n)
{
	if (ps_p_start_line(p, s, n) || exit_status(p, s, n) || pending_line(p, s, n))
		return true;
	if ((n == 18 && !memcmp(s, "==================", 18)) || race_trailer(s, n))
		return true;
	if (n == 0) /* blank lines between dumps are not junk */
		return true;
	if (p->pending.len)
		flush_pending(p, false);
	return false;
}

bool ps_p_any_dump_line(struct ps_parser *p, const char *s, size_t n)
{
	return exit_status(p, s, n) || runtime_line(p, s, n) || hexdump_line(s, n);
}

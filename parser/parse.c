/* parse.c - the line driver: splits input into lines, cleans them (CR,
 * ANSI colours, log prefixes) and hands each to the state machine. */
#include <stdlib.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "ps_parse_int.h"


ps_parser *ps_parse_new(const struct ps_parse_opts *opts)
{
	ps_parser *p = ps_xcalloc(1, sizeof(*p));
	if (opts) {
		p->opts = *opts;
		p->on_dump = opts->on_dump;
		p->on_dump_ctx = opts->on_dump_ctx;
	}
	p->doc = ps_xcalloc(1, sizeof(*p->doc));
	p->doc->names = ps_intern_new();
	p->px = ps_prefixer_new(&p->doc->error);
	ps_vec_init(&p->gb.frames, sizeof(struct ps_frame));
	ps_vec_init(&p->gb.args, sizeof(const char *));
	ps_vec_init(&p->gb.ancestors, sizeof(struct ps_ancestor));
	ps_vec_init(&p->goroutines, sizeof(struct ps_goroutine));
	ps_vec_init(&p->panics, sizeof(struct ps_panic_line));
	ps_vec_init(&p->runtime_lines, sizeof(const char *));
	ps_vec_init(&p->tests, sizeof(const char *));
	ps_vec_init(&p->registers, sizeof(struct ps_register));
	ps_vec_init(&p->pending, sizeof(char *));
	ps_vec_init(&p->dumps, sizeof(struct ps_dump *));
	ps_vec_init(&p->repairs, sizeof(struct ps_repair));
	return p;
}

/* Removes ANSI escape sequences (CSI "ESC [ ... letter" and two-byte
 * escapes) into the scratch buffer. */
static const char *strip_ansi(struct ps_parser *p, const char *s, size_t *n)
{
	if (p->scratch_cap < *n) {
		p->scratch_cap = *n * 2;
		p->scratch = ps_xrealloc(p->scratch, p->scratch_cap);
	}
	size_t o = 0;
	for (size_t i = 0; i < *n; i++) {
		if (s[i] != 0x1b) {
			p->scratch[o++] = s[i];
			continue;
		}
		if (i + 1 < *n && s[i + 1] == '[') {
			i += 2;
			while (i < *n && !((s[i] >= '@' && s[i] <= '~') && s[i] != '['))
				i++;
		} else {
			i++;
		}
	}
	*n = o;
	return p->scratch;
}

/* A line inside a stack that ps_p_stack_line did not take. */
static bool stack_other(struct ps_parser *p, const char *s, size_t n)
{
	/* GOTRACEBACK=crash prints registers right after a stack. */
	if (ps_p_register_line(p, s, n)) {
		ps_p_end_goroutine(p);
		p->st = ST_TAIL;
		return true;
	}
	/* "panic:" inside a stack starts a new dump. */
	return ps_p_start_line(p, s, n) || ps_p_any_dump_line(p, s, n);
}

/* A line of any state but a trace's stack. */
static bool dispatch_other(struct ps_parser *p, const char *s, size_t n)
{
	if (p->mode != MODE_TRACE && p->dump)
		return (p->mode == MODE_RACE ? ps_p_race_line(p, s, n)
					     : ps_p_pprof_line(p, s, n)) ||
		       ps_p_start_line(p, s, n);
	switch (p->st) {
	case ST_OUTSIDE:
		return ps_p_outside_line(p, s, n);
	case ST_HEADER:
		return ps_p_dump_line(p, s, n) || ps_p_start_line(p, s, n);
	case ST_TAIL:
		return ps_p_tail_line(p, s, n) || ps_p_start_line(p, s, n) ||
		       ps_p_any_dump_line(p, s, n);
	default:
		return ps_p_stack_line(p, s, n) || stack_other(p, s, n);
	}
}

/* One line through the state machine; false when nothing took it.
 * Nearly every line is a stack's: that case is tested inline, one call
 * fewer a line. */
static inline bool dispatch(struct ps_parser *p, const char *s, size_t n)
{
	if ((p->mode == MODE_TRACE || !p->dump) &&
	    (p->st == ST_GOROUTINE || p->st == ST_FILE || p->st == ST_CREATED))
		return ps_p_stack_line(p, s, n) || stack_other(p, s, n);
	return dispatch_other(p, s, n);
}

static bool looks_like_start(struct ps_parser *p, const char *s, size_t n)
{
	return ps_p_is_start(s, n, p->dump != NULL);
}

/* Tries the part of LINE after a dump anchor, adopting what precedes it
 * as the log prefix when that part parses. */
static bool try_anchor(struct ps_parser *p, const char *line, size_t len)
{
	size_t off = ps_p_find_start(line, len, p->dump != NULL);
	if (!off)
		return false;
	const char *s = line + off;
	size_t n = len - off;
	if (!looks_like_start(p, s, n))
		return false;
	ps_prefixer_adopt(p->px, line, off);
	if (p->dump && p->dump->n_goroutines == 0 && !p->goroutines.len)
		p->dump->prefix = ps_arena_strndup(&p->dump->arena,
			ps_prefixer_describe(p->px), strlen(ps_prefixer_describe(p->px)));
	return dispatch(p, s, n);
}

/* Where Go prints a TAB, a pasted log often has a run of spaces (an
 * editor or web page expanded it).  Returns the line with that run
 * turned back into one TAB when the state says a TAB form is due, and
 * sets *K to the run's length (0: unchanged).  Race reports indent with
 * spaces themselves and are left alone. */
static const char *untab(struct ps_parser *p, const char *s, size_t *n, size_t *k)
{
	size_t i = 0;
	*k = 0;
	if (*n < 3 || s[0] != ' ' || !p->dump || p->mode != MODE_TRACE)
		return s; /* the first byte decides nearly every line */
	while (i < *n && s[i] == ' ')
		i++;
	const char *r = s + i;
	size_t rn = *n - i;
	bool due = i >= 2 && i <= 16 && rn &&
		(ps_mem_starts(r, rn, "panic: ") || ps_mem_starts(r, rn, "fatal error: ") ||
		 ps_mem_starts(r, rn, "goroutine running on other thread") ||
		 p->st == ST_FILE || p->st == ST_CREATED ||
		 (p->st == ST_HEADER && p->dump->kind == PS_DUMP_TIMEOUT) ||
		 /* a message continuation: only a whole tab's worth, so text
		  * that is indented itself stays as printed */
		 (p->st == ST_HEADER && p->msg_lines > 0 && (i == 4 || i == 8)));
	if (!due)
		return s;
	if (p->untab_cap < rn + 1) {
		p->untab_cap = (rn + 1) * 2;
		p->untab = ps_xrealloc(p->untab, p->untab_cap);
	}
	p->untab[0] = '\t';
	memcpy(p->untab + 1, r, rn);
	*n = rn + 1;
	*k = i;
	return p->untab;
}

/* go test prints its verdict right under the last stack of a timeout
 * or panic: not part of the trace, yet no damage either. */
static bool go_test_verdict(const char *s, size_t n)
{
	return ps_mem_starts(s, n, "FAIL") || ps_mem_starts(s, n, "ok  \t") ||
	       ps_mem_starts(s, n, "--- FAIL") || ps_mem_starts(s, n, "PASS");
}

static bool in_stack(const struct ps_parser *p)
{
	return p->dump && p->mode == MODE_TRACE &&
	       (p->st == ST_GOROUTINE || p->st == ST_FILE || p->st == ST_CREATED);
}

/* A line nothing took: junk, and damage when it sits inside a stack. */
static void unplaced(struct ps_parser *p, const char *s, size_t n)
{
	if (in_stack(p) && !go_test_verdict(s, n)) {
		if (!p->unk_count)
			p->unk_first = p->lineno;
		p->unk_last = p->lineno;
		p->unk_count++;
	}
	ps_p_skip(p);
}

/* The held run of foreign lines: damage when the stack continues after
 * it (a frame, file or created-by line of the same goroutine), else
 * just the lines after the dump. */
static void settle_unknown(struct ps_parser *p, bool header)
{
	if (!p->unk_count)
		return;
	if (in_stack(p) && !header)
		ps_p_repair(p, &(struct ps_repair){ .kind = PS_REPAIR_UNKNOWN_LINE,
			.line = p->unk_first,
			.line2 = p->unk_last != p->unk_first ? p->unk_last : 0,
			.detail = p->unk_count });
	p->unk_count = 0;
}

/* Damage seen on a line the open dump took. */
static void note_damage(struct ps_parser *p, bool cr, bool prefixed, size_t spaces)
{
	if (!p->dump)
		return;
	if (!p->c_tentative) /* a bare name confirms nothing yet */
		settle_unknown(p, p->gb.open && p->gb.g.src_line == p->lineno);
	if (cr && !p->cr_lines++)
		p->first_cr = p->lineno;
	if (prefixed && !p->prefix_noted && p->dump->prefix[0]) {
		p->prefix_noted = true;
		ps_p_repair(p, &(struct ps_repair){ .kind = PS_REPAIR_PREFIX,
			.line = p->lineno });
	}
	if (spaces)
		ps_p_repair(p, &(struct ps_repair){ .kind = PS_REPAIR_SPACES_FOR_TAB,
			.line = p->lineno, .detail = (uint32_t)spaces });
	if (p->wrap_line2)
		ps_p_repair(p, &(struct ps_repair){ .kind = PS_REPAIR_WRAPPED,
			.line = p->lineno, .line2 = p->wrap_line2, .detail = p->wrap_at });
}

/* A clean line (nearly every one) has nothing to note: decided here,
 * without a call. */
static inline void note_line(struct ps_parser *p, bool cr, bool prefixed, size_t spaces)
{
	if (p->unk_count || cr || prefixed || spaces || p->wrap_line2)
		note_damage(p, cr, prefixed, spaces);
}

/* Can S go to the stack-line parser as it is: no colours fed, no log
 * prefix, no spaces for a TAB to undo, a trace's stack open?  Nearly
 * every line of a big dump: what ps_p_line's cleaning and dispatch
 * would find, read without a call. */
static inline bool plain_stack_line(const struct ps_parser *p, const char *s, size_t n)
{
	return !p->saw_esc && !ps_prefixer_active(p->px) &&
	       !(n && s[0] == ' ') && (p->mode == MODE_TRACE || !p->dump) &&
	       (unsigned)p->st - ST_GOROUTINE <= ST_CREATED - ST_GOROUTINE;
}

/* ps_p_line for such a line: its steps, less those that find nothing
 * (no prefix, no spaces for a TAB). */
static inline void plain_line(struct ps_parser *p, const char *s, size_t n, bool cr)
{
	if (ps_p_stack_line(p, s, n) || stack_other(p, s, n)) {
		p->last_good = p->lineno;
		note_line(p, cr, false, 0);
	} else if (try_anchor(p, s, n)) {
		note_line(p, cr, true, 0);
	} else {
		unplaced(p, s, n);
	}
}

void ps_p_line(struct ps_parser *p, const char *line, size_t len, bool cr)
{
	if (plain_stack_line(p, line, len)) {
		plain_line(p, line, len, cr);
		return;
	}
	if (p->saw_esc && memchr(line, 0x1b, len))
		line = strip_ansi(p, line, &len);
	const char *s = line;
	size_t n = len, spaces;
	if (ps_prefixer_strip(p->px, &s, &n)) {
		bool prefixed = s != line;
		s = untab(p, s, &n, &spaces);
		if (dispatch(p, s, n)) {
			p->last_good = p->lineno;
			note_line(p, cr, prefixed, spaces);
			return;
		}
	} else if (len == 0) {
		return; /* a bare blank line in a prefixed log */
	} else if (looks_like_start(p, line, len)) {
		/* An unprefixed dump starts: the prefix is gone. */
		ps_prefixer_clear(p->px);
		if (dispatch(p, line, len)) {
			note_line(p, cr, false, 0);
			return;
		}
	}
	if (try_anchor(p, line, len))
		note_line(p, cr, true, 0);
	else
		unplaced(p, s, n);
}

/* Line P->rawno, which the wrap repair passed on: parsed here, inline
 * in the splitting loop.  Not a joined line (those are parsed from
 * ps_p_wrap_flush). */
static inline void line_now(struct ps_parser *p, const char *s, size_t n, bool cr)
{
	p->lineno = p->rawno;
	if (plain_stack_line(p, s, n))
		plain_line(p, s, n, cr);
	else
		ps_p_line(p, s, n, cr);
}

#ifdef __SSE2__
/* Bit I set when byte I of the 16 at Q is 0x08..0x0b: a TAB, a newline
 * or (rarely) a backspace or vertical tab.  One OR and one compare
 * catch both bytes the splitter looks for. */
static inline unsigned ctl_mask16(const char *q)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)q);
	return (unsigned)_mm_movemask_epi8(
		_mm_cmpeq_epi8(_mm_or_si128(v, _mm_set1_epi8(3)), _mm_set1_epi8(0x0b)));
}
#endif

/* The end of the line at S (its newline, or NULL when END comes first),
 * and in *LEAD its leading TABs when no other TAB follows in it, else
 * PS_LEAD_MEASURE: the wrap repair counts a line's columns, which only
 * an inner TAB makes more than its bytes plus 7 a leading TAB, so one
 * scan of its bytes finds both.  SSE2 looks at 32 bytes a step (a line
 * is 60 on average); the last few bytes of a feed go one by one. */
static inline const char *scan_line(const char *s, const char *end, size_t *lead)
{
	const char *q = s;
	while (q < end && *q == '\t')
		q++;
	*lead = (size_t)(q - s);
#ifdef __SSE2__
	while (end - q >= 32) {
		unsigned m = ctl_mask16(q) | ctl_mask16(q + 16) << 16;
		if (!m) {
			q += 32;
			continue;
		}
		q += __builtin_ctz(m);
		if (*q == '\n')
			return q;
		if (*q == '\t')
			break;
		q++; /* a backspace or a vertical tab */
	}
#endif
	for (; q < end && *q != '\t'; q++)
		if (*q == '\n')
			return q;
	if (q < end)
		*lead = PS_LEAD_MEASURE; /* an inner TAB */
	return memchr(q, '\n', (size_t)(end - q));
}

/* Whole lines from BUF to END, up to the last newline; returns where
 * the rest begins. */
static const char *feed_lines(struct ps_parser *p, const char *buf, const char *end)
{
	const char *nl;
	size_t lead;
	while ((nl = scan_line(buf, end, &lead))) {
		size_t n = (size_t)(nl - buf);
		bool cr = false;
		if (n > PS_MAX_LINE)
			n = PS_MAX_LINE;
		/* a CR (or a stray LF of a cut line) ends few lines: one
		 * compare rules out nearly all others */
		if (n && (unsigned char)buf[n - 1] <= '\r')
			n = ps_p_strip_eol(buf, n, &cr);
		p->rawno++;
		if (ps_p_wrap_passes(p, buf, n, lead) || !ps_p_wrap_take(p, buf, n, cr, lead))
			line_now(p, buf, n, cr);
		buf = nl + 1;
	}
	return buf;
}

void ps_parse_feed(ps_parser *p, const char *buf, size_t len)
{
	const char *end = buf + len;
	p->doc->bytes += len;
	/* every line is made of fed bytes: until an ESC was fed, no line
	 * needs its own search for colours (one scan per feed, not one
	 * call per line) */
	if (!p->saw_esc && memchr(buf, 0x1b, len))
		p->saw_esc = true;
	while (buf < end) {
		const char *nl;
		if (!p->carry_len && !p->carry_overflow) {
			/* whole lines with nothing carried (nearly all): only
			 * this function carries, so none is tested on each */
			buf = feed_lines(p, buf, end);
			if (buf >= end)
				break;
			/* what is left has no newline: it is carried */
			nl = NULL;
		} else {
			nl = memchr(buf, '\n', (size_t)(end - buf));
		}
		/* Part of a line spans feeds: collect it, bounded. */
		size_t n = (size_t)((nl ? nl : end) - buf);
		size_t room = PS_MAX_LINE - p->carry_len;
		size_t take = n < room ? n : room;
		if (n > room)
			p->carry_overflow = true;
		if (p->carry_len + take > p->carry_cap) {
			p->carry_cap = (p->carry_len + take) * 2;
			p->carry = ps_xrealloc(p->carry, p->carry_cap);
		}
		memcpy(p->carry + p->carry_len, buf, take);
		p->carry_len += take;
		if (nl) {
			ps_p_wrap_feed(p, p->carry, p->carry_len);
			p->carry_len = 0;
			p->carry_overflow = false;
		}
		buf = nl ? nl + 1 : end;
	}
}

static void parser_free(ps_parser *p)
{
	ps_vec_release(&p->gb.frames);
	ps_vec_release(&p->gb.args);
	ps_vec_release(&p->gb.ancestors);
	ps_vec_release(&p->goroutines);
	ps_vec_release(&p->panics);
	ps_vec_release(&p->runtime_lines);
	ps_vec_release(&p->tests);
	ps_vec_release(&p->registers);
	for (size_t i = 0; i < p->pending.len; i++)
		free(*(char **)ps_vec_at(&p->pending, i));
	ps_vec_release(&p->pending);
	ps_vec_release(&p->dumps);
	ps_vec_release(&p->repairs);
	free(p->hold.text);
	free(p->join);
	ps_prefixer_free(p->px);
	free(p->idset);
	free(p->idbits);
	free(p->carry);
	free(p->scratch);
	free(p->untab);
	ps_p_memo_free(p);
	ps_p_stacks_free(p);
	free(p);
}

void ps_parse_set_source(ps_parser *p, const char *name)
{
	/* line numbers count from 1 in each input */
	ps_p_wrap_flush(p);
	p->doc->lines += p->rawno;
	p->lineno = p->rawno = 0;
	p->wrap_col = 0;
	p->last_good = p->last_skip = 0;
	p->source = ps_intern_str(p->doc->names, name, strlen(name));
}

void ps_parse_end_input(ps_parser *p)
{
	if (p->carry_len) {
		/* Go ends every line with a newline: a dump whose input stops
		 * inside one of its lines was cut off. */
		p->hold_next = true;
		ps_p_wrap_feed(p, p->carry, p->carry_len); /* now the held line */
		p->hold_next = false;
		p->carry_len = 0;
		p->carry_overflow = false;
		uint64_t skipped = p->doc->skipped.count;
		bool dump_open = p->dump != NULL;
		const char *s = p->hold.text;
		size_t n = p->hold.len;
		ps_prefixer_strip(p->px, &s, &n);
		/* a header cut before its "]:" does not parse, yet is one */
		bool header = skip_prefix(&s, &n, "goroutine ") && n && s[0] >= '0' &&
			      s[0] <= '9';
		/* junk after the dump's last line means the dump had ended */
		bool junk_after = p->last_skip > p->last_good;
		ps_p_wrap_flush(p);
		ps_p_drop_tentative(p); /* nothing can confirm it now */
		if (p->dump && (p->doc->skipped.count == skipped ||
				(dump_open && (header || !junk_after))))
			p->dump->truncated = true;
	}
	ps_p_wrap_flush(p);
	if (p->dump)
		ps_p_end_dump(p);
	ps_p_drop_pending(p);
	p->last_dump = NULL;
	ps_prefixer_clear(p->px);
}

struct ps_doc *ps_parse_finish(ps_parser *p)
{
	struct ps_doc *doc = p->doc;
	ps_parse_end_input(p);
	doc->lines += p->rawno;
	ps_p_hand_out(p, false); /* the totals are final now */
	doc->dumps = ps_xmalloc((p->dumps.len ? p->dumps.len : 1) * sizeof(*doc->dumps));
	if (p->dumps.len)
		memcpy(doc->dumps, p->dumps.data, p->dumps.len * sizeof(*doc->dumps));
	doc->n_dumps = p->dumps.len;
	parser_free(p);
	return doc;
}

struct ps_doc *ps_parse_buffer(const char *buf, size_t len)
{
	ps_parser *p = ps_parse_new(NULL);
	ps_parse_feed(p, buf, len);
	return ps_parse_finish(p);
}

void ps_doc_free(struct ps_doc *doc)
{
	if (!doc)
		return;
	for (size_t i = 0; i < doc->n_dumps; i++) {
		ps_arena_release(&doc->dumps[i]->arena);
		free(doc->dumps[i]);
	}
	free(doc->dumps);
	ps_arena_release(&doc->shared);
	ps_intern_free(doc->names);
	free(doc);
}

/* parse.c - the line driver: splits input into lines, cleans them (CR,
 * ANSI colours, log prefixes) and hands each to the state machine. */
#include <stdlib.h>

#include "ps_parse_int.h"

/* Lines longer than this are cut: nothing Go prints comes close, and it
 * bounds memory on binary garbage without newlines. */
#define MAX_LINE (256 * 1024)

ps_parser *ps_parse_new(const struct ps_parse_opts *opts)
{
	(void)opts;
	ps_parser *p = ps_xcalloc(1, sizeof(*p));
	p->doc = ps_xcalloc(1, sizeof(*p->doc));
	p->doc->names = ps_intern_new();
	p->px = ps_prefixer_new();
	ps_vec_init(&p->gb.frames, sizeof(struct ps_frame));
	ps_vec_init(&p->gb.ancestors, sizeof(struct ps_ancestor));
	ps_vec_init(&p->goroutines, sizeof(struct ps_goroutine));
	ps_vec_init(&p->panics, sizeof(struct ps_panic_line));
	ps_vec_init(&p->runtime_lines, sizeof(const char *));
	ps_vec_init(&p->tests, sizeof(const char *));
	ps_vec_init(&p->registers, sizeof(struct ps_register));
	ps_vec_init(&p->pending, sizeof(char *));
	ps_vec_init(&p->dumps, sizeof(struct ps_dump *));
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

/* One line through the state machine; false when nothing took it. */
static bool dispatch(struct ps_parser *p, const char *s, size_t n)
{
	if (p->mode == MODE_RACE && p->dump)
		return ps_p_race_line(p, s, n) || ps_p_start_line(p, s, n);
	if (p->mode == MODE_PPROF && p->dump)
		return ps_p_pprof_line(p, s, n) || ps_p_start_line(p, s, n);
	switch (p->st) {
	case ST_OUTSIDE:
		return ps_p_outside_line(p, s, n);
	case ST_HEADER:
		return ps_p_dump_line(p, s, n) || ps_p_start_line(p, s, n);
	case ST_TAIL:
		return ps_p_tail_line(p, s, n) || ps_p_start_line(p, s, n) ||
		       ps_p_any_dump_line(p, s, n);
	default:
		if (ps_p_stack_line(p, s, n))
			return true;
		/* GOTRACEBACK=crash prints registers right after a stack. */
		if (ps_p_register_line(p, s, n)) {
			ps_p_end_goroutine(p);
			p->st = ST_TAIL;
			return true;
		}
		/* "panic:" inside a stack starts a new dump. */
		return ps_p_start_line(p, s, n) || ps_p_any_dump_line(p, s, n);
	}
}

/* Tries the part of S after a dump anchor, adopting what precedes it
 * as the log prefix when that part parses. */
static bool looks_like_start(struct ps_parser *p, const char *s, size_t n)
{
	return ps_p_is_goroutine_header(s, n) || ps_mem_starts(s, n, "panic: ") ||
	       ps_mem_starts(s, n, "fatal error: ") || ps_mem_starts(s, n, "SIG") ||
	       ps_mem_starts(s, n, "WARNING: DATA RACE") ||
	       ps_mem_starts(s, n, "goroutine profile: ") ||
	       ps_mem_starts(s, n, "Exception 0x") ||
	       (p->dump && (ps_mem_starts(s, n, "created by ") ||
			    ps_mem_starts(s, n, "[signal ")));
}

static bool try_anchor(struct ps_parser *p, const char *line, size_t len)
{
	size_t off = ps_prefixer_anchor(line, len);
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

static void handle_line(struct ps_parser *p, const char *line, size_t len)
{
	p->lineno++;
	while (len && (line[len - 1] == '\r' || line[len - 1] == '\n'))
		len--;
	if (memchr(line, 0x1b, len))
		line = strip_ansi(p, line, &len);
	const char *s = line;
	size_t n = len;
	if (ps_prefixer_strip(p->px, &s, &n)) {
		if (dispatch(p, s, n)) {
			p->last_good = p->lineno;
			return;
		}
	} else if (len == 0) {
		return; /* a bare blank line in a prefixed log */
	} else if (looks_like_start(p, line, len)) {
		/* An unprefixed dump starts: the prefix is gone. */
		ps_prefixer_clear(p->px);
		if (dispatch(p, line, len))
			return;
	}
	if (!try_anchor(p, line, len))
		ps_p_skip(p);
}

void ps_parse_feed(ps_parser *p, const char *buf, size_t len)
{
	const char *end = buf + len;
	p->doc->bytes += len;
	while (buf < end) {
		const char *nl = memchr(buf, '\n', (size_t)(end - buf));
		const char *le = nl ? nl : end;
		size_t n = (size_t)(le - buf);
		if (!p->carry_len && !p->carry_overflow && nl) {
			handle_line(p, buf, n > MAX_LINE ? MAX_LINE : n);
		} else {
			/* Part of a line spans feeds: collect it, bounded. */
			size_t room = MAX_LINE - p->carry_len;
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
				handle_line(p, p->carry, p->carry_len);
				p->carry_len = 0;
				p->carry_overflow = false;
			}
		}
		buf = nl ? nl + 1 : end;
	}
}

static void parser_free(ps_parser *p)
{
	ps_vec_release(&p->gb.frames);
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
	ps_prefixer_free(p->px);
	free(p->idset);
	free(p->stacks);
	free(p->carry);
	free(p->scratch);
	free(p);
}

void ps_parse_set_source(ps_parser *p, const char *name)
{
	/* line numbers count from 1 in each input */
	p->doc->lines += p->lineno;
	p->lineno = 0;
	p->last_good = p->last_skip = 0;
	p->source = ps_intern_str(p->doc->names, name, strlen(name));
}

void ps_parse_end_input(ps_parser *p)
{
	if (p->carry_len) {
		/* Go ends every line with a newline: a dump whose input stops
		 * inside one of its lines was cut off. */
		uint64_t skipped = p->doc->skipped.count;
		bool dump_open = p->dump != NULL;
		const char *s = p->carry;
		size_t n = p->carry_len;
		ps_prefixer_strip(p->px, &s, &n);
		/* a header cut before its "]:" does not parse, yet is one */
		bool header = ps_mem_starts(s, n, "goroutine ") && n > 10 &&
			      s[10] >= '0' && s[10] <= '9';
		/* junk after the dump's last line means the dump had ended */
		bool junk_after = p->last_skip > p->last_good;
		handle_line(p, p->carry, p->carry_len);
		ps_p_drop_tentative(p); /* nothing can confirm it now */
		if (p->dump && (p->doc->skipped.count == skipped ||
				(dump_open && (header || !junk_after))))
			p->dump->truncated = true;
		p->carry_len = 0;
		p->carry_overflow = false;
	}
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
	doc->lines += p->lineno;
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

/* msg.c - the damage the parser noticed (ps_dump.repairs, truncation,
 * lines that broke a dump), as one-line messages in the wording of
 * issue 8.  Nothing here re-parses a trace: the only reading of the
 * text is quoting the offending line back to the user. */
#include <string.h>

#include "check_int.h"

#define QUOTE_MAX 72            /* longest quoted line text */

/* Walks TEXT forward to line N (1-based); lines are asked in rising
 * order, so the whole file is scanned at most once or twice. */
struct cursor {
	const char *text;
	size_t len, pos;
	uint32_t line;          /* line that starts at pos */
};

static const char *line_at(struct cursor *c, uint32_t n, size_t *len)
{
	if (n < c->line)
		c->pos = 0, c->line = 1;
	while (c->line < n && c->pos < c->len) {
		const char *nl = memchr(c->text + c->pos, '\n', c->len - c->pos);
		c->pos = nl ? (size_t)(nl - c->text) + 1 : c->len;
		c->line++;
	}
	const char *s = c->text + c->pos;
	const char *nl = memchr(s, '\n', c->len - c->pos);
	*len = nl ? (size_t)(nl - s) : c->len - c->pos;
	if (*len && s[*len - 1] == '\r')
		(*len)--;
	return s;
}

/* The text of line N, trimmed, control bytes as '?', long ones cut in
 * the middle (the end of a location is the part that matters). */
static char *quote_line(struct cursor *c, uint32_t n, bool location, struct ps_arena *a)
{
	size_t len;
	const char *s = line_at(c, n, &len);
	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (location) {                 /* drop " +0x1d" and "fp=..." */
		const char *sp = memchr(s, ' ', len);
		if (sp)
			len = (size_t)(sp - s);
	}
	char *q = ps_arena_alloc(a, QUOTE_MAX + 4);
	size_t head = len > QUOTE_MAX ? QUOTE_MAX / 2 - 2 : len, o = 0;
	for (size_t i = 0; i < head; i++)
		q[o++] = (unsigned char)s[i] < 0x20 ? '?' : s[i];
	if (len > QUOTE_MAX) {
		memcpy(q + o, "...", 3), o += 3;
		for (size_t i = len - (QUOTE_MAX - head - 3); i < len; i++)
			q[o++] = (unsigned char)s[i] < 0x20 ? '?' : s[i];
	}
	q[o] = 0;
	return q;
}

static void add(struct ps_vec *probs, uint32_t line, unsigned kind, char *msg)
{
	struct ck_problem *p = ps_vec_push(probs);
	p->line = line;
	p->kind = (uint8_t)kind;
	p->msg = msg;
	p->seq = (uint32_t)probs->len;
}

static char *repair_msg(const struct ps_dump *d, const struct ps_repair *r,
			struct cursor *cur, struct ps_arena *a)
{
	size_t len;
	const char *s;

	switch (r->kind) {
	case PS_REPAIR_SPACES_FOR_TAB:
		s = line_at(cur, r->line, &len);
		while (len && *s == ' ')
			s++, len--;
		return ps_arena_printf(a, "%s indented with %u spaces; Go prints one tab",
				       len >= 6 && !memcmp(s, "panic:", 6) ? "panic line"
				       : "frame location", r->detail);
	case PS_REPAIR_WRAPPED:
		return ps_arena_printf(a, "line wrapped at column %u (continues on line %u)",
				       r->detail, r->line2 ? r->line2 : r->line + 1);
	case PS_REPAIR_CRLF:            /* one per dump: detail = CR lines */
		if (r->detail <= 1)
			return ps_arena_printf(a, "CRLF line ending (other lines LF)");
		if (r->detail < d->last_line - d->first_line + 1)
			return ps_arena_printf(a, "CRLF line ending here and on %u more lines "
					       "(other lines LF)", r->detail - 1);
		return ps_arena_printf(a, "CRLF line endings on all %u lines of the dump; "
				       "Go prints LF", r->detail);
	case PS_REPAIR_BAD_LOCATION:
		return ps_arena_printf(a, "'%s' is not a file:line Go prints",
				       quote_line(cur, r->line, true, a));
	case PS_REPAIR_UNKNOWN_LINE:
		if (r->has_goroutine)
			return ps_arena_printf(a, "'%s' is not a line Go prints in goroutine "
					       "%llu's trace", quote_line(cur, r->line, false, a),
					       (unsigned long long)r->goroutine);
		return ps_arena_printf(a, "'%s' is not a line Go prints inside a trace",
				       quote_line(cur, r->line, false, a));
	case PS_REPAIR_TRUNCATED:
		if (r->has_goroutine)
			return ps_arena_printf(a, "dump ends inside goroutine %llu's stack",
					       (unsigned long long)r->goroutine);
		return ps_arena_printf(a, d->n_goroutines ? "dump ends inside a stack"
				       : "dump cut short before its first goroutine");
	case PS_REPAIR_DUPLICATE_ID:
		if (r->line2)
			return ps_arena_printf(a, "goroutine %llu printed twice in one dump "
					       "(also on line %u)",
					       (unsigned long long)r->goroutine, r->line2);
		return ps_arena_printf(a, "goroutine %llu printed twice in one dump",
				       (unsigned long long)r->goroutine);
	case PS_REPAIR_PREFIX:
		return NULL;            /* how the log was kept, not damage */
	default:                        /* a kind newer than this file */
		return ps_arena_printf(a, "damage the parser noticed: %s",
				       ps_repair_kind_name(r->kind));
	}
}

static bool has_line(const struct ps_vec *probs, size_t from, uint32_t line)
{
	for (size_t i = from; i < probs->len; i++)
		if (((const struct ck_problem *)ps_vec_at(probs, i))->line == line)
			return true;
	return false;
}

static void dump_msgs(const struct ps_dump *d, struct cursor *cur, struct ps_arena *a,
		      struct ps_vec *probs)
{
	for (size_t i = 0; i < d->n_repairs; i++) {
		const struct ps_repair *r = &d->repairs[i];
		char *m = r->kind < PS_REPAIR__COUNT ? repair_msg(d, r, cur, a) : NULL;
		if (m)
			add(probs, r->line, r->kind, m);
	}
	/* the parser lists the first PS_REPAIR_KEEP; their kinds are unknown */
	if (d->n_repairs_dropped)
		add(probs, d->last_line, CK_MORE_REPAIRS,
		    ps_arena_printf(a, "%llu more repairs in this dump, past the first %zu "
				    "(not listed)", (unsigned long long)d->n_repairs_dropped,
				    d->n_repairs));
}

void ck_msg_collect(const struct ps_doc *doc, const char *text, size_t len,
		    struct ps_arena *a, struct ps_vec *probs)
{
	struct cursor cur = { text, len, 0, 1 };
	size_t from = probs->len;

	if (doc->n_dumps == 0)
		add(probs, 1, CK_NO_DUMP,
		    ps_arena_printf(a, "no Go crash dump found (%llu line%s read)",
				    (unsigned long long)doc->lines, doc->lines == 1 ? "" : "s"));
	for (size_t i = 0; i < doc->n_dumps; i++)
		dump_msgs(doc->dumps[i], &cur, a, probs);
	/* lines that broke a dump and that no repair explains */
	for (size_t i = 0; i < doc->bad.n_first && i < PS_SKIP_KEEP; i++)
		if (!has_line(probs, from, doc->bad.first[i]))
			add(probs, doc->bad.first[i], PS_REPAIR_UNKNOWN_LINE,
			    ps_arena_printf(a, "'%s' broke the dump: not a line Go prints there",
					    quote_line(&cur, doc->bad.first[i], false, a)));
}

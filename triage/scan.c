/* scan.c - one input to crashes: parse it with the report's parser,
 * sign every dump, take its timestamp from the log line it starts on. */
#include "triage_int.h"

/* Walks BUF line by line to 1-based line LINE, continuing from *POS
 * (at line *AT); returns the text of that line. */
static const char *seek_line(const char *buf, size_t len, size_t *pos, uint32_t *at,
			     uint32_t line, size_t *out_len)
{
	while (*at < line && *pos < len) {
		const char *nl = memchr(buf + *pos, '\n', len - *pos);
		*pos = nl ? (size_t)(nl - buf) + 1 : len;
		(*at)++;
	}
	const char *nl = *pos < len ? memchr(buf + *pos, '\n', len - *pos) : NULL;
	*out_len = (nl ? (size_t)(nl - buf) : len) - *pos;
	return buf + *pos;
}

/* Two threads that throw at once print the fatal error twice; the
 * second copy, with no goroutines of its own, is the same crash. */
static bool echo(const struct ps_dump *prev, const struct ps_dump *d)
{
	return !d->n_goroutines && d->first_line <= prev->last_line + 1 && prev->message &&
	       d->message && !strcmp(prev->message, d->message);
}

void ps_triage_scan(ps_triage_set *s, const struct ps_triage_opts *o,
		    const char *name, const char *buf, size_t len, int64_t mtime,
		    FILE *jsonl)
{
	ps_parser *p = ps_parse_new(NULL);
	ps_parse_set_source(p, name);
	ps_parse_feed(p, buf, len);
	ps_parse_end_input(p);
	struct ps_doc *doc = ps_parse_finish(p);
	size_t pos = 0;
	uint32_t at = 1;

	if (!doc->n_dumps) {
		struct ps_arena a = { 0 };
		const char *why = ps_arena_printf(&a, "no Go crash dump found (%llu lines)",
						  (unsigned long long)doc->lines);
		ps_triage_set_unparsed(s, name, why);
		if (jsonl)
			ps_triage_write_unparsed(jsonl, name, why);
		ps_arena_release(&a);
		ps_doc_free(doc);
		return;
	}
	ps_triage_set_file(s);
	for (size_t i = 0; i < doc->n_dumps; i++) {
		const struct ps_dump *d = doc->dumps[i];
		if (i && echo(doc->dumps[i - 1], d))
			continue;
		struct ps_arena a = { 0 };
		struct ps_triage_crash c = { .file = name, .dump = (uint32_t)i, .mtime = mtime };
		size_t ll;
		const char *l = seek_line(buf, len, &pos, &at, d->first_line, &ll);

		c.time = *d->prefix ? ps_triage_line_time(l, ll) : -1;
		ps_triage_sign(doc, i, o, &a, &c);
		ps_triage_set_add(s, &c);
		if (jsonl)
			ps_triage_write_crash(jsonl, &c);
		ps_arena_release(&a);
	}
	ps_doc_free(doc);
}

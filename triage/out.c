/* out.c - the cluster table as text, JSON and Markdown, and the jsonl
 * records of the map step.  Escaping is the report's (report/escape.c):
 * a log's bytes cannot break the JSON or drive the terminal. */
#include "triage_int.h"

#include <errno.h>

#include "report_int.h"

static const char *status_name(enum ps_triage_status s)
{
	switch (s) {
	case PS_TRIAGE_NEW: return "new";
	case PS_TRIAGE_KNOWN: return "known";
	case PS_TRIAGE_REGRESSED: return "regressed";
	default: return NULL;
	}
}

static void json_time(struct ps_buf *b, int64_t t)
{
	char iso[24];
	if (t < 0) {
		ps_buf_puts(b, "null");
		return;
	}
	tri_time_iso(t, iso);
	ps_buf_printf(b, "\"%s\"", iso);
}

static void json_strs(struct ps_buf *b, const char *const *v, size_t n)
{
	ps_buf_addc(b, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			ps_buf_addc(b, ',');
		rp_json_cstr(b, v[i], 0);
	}
	ps_buf_addc(b, ']');
}

/* ---- jsonl records ---- */

void ps_triage_write_crash(FILE *out, const struct ps_triage_crash *c)
{
	struct ps_buf b = { 0 };
	ps_buf_puts(&b, "{\"schema\":\"panicscope.crash/1\",\"file\":");
	rp_json_cstr(&b, c->file, 0);
	ps_buf_printf(&b, ",\"dump\":%u,\"signature\":\"%016llx\",\"recipe\":\"%s\",\"kind\":",
		      c->dump, (unsigned long long)c->sig, PS_TRIAGE_RECIPE);
	rp_json_cstr(&b, c->kind, 0);
	ps_buf_puts(&b, ",\"message\":");
	rp_json_cstr(&b, c->message, 0);
	ps_buf_puts(&b, ",\"message_class\":");
	rp_json_cstr(&b, c->msg_class, 0);
	ps_buf_printf(&b, ",\"message_in_signature\":%s,\"top_frames\":",
		      c->msg_in_key ? "true" : "false");
	json_strs(&b, c->frames, c->n_frames);
	ps_buf_puts(&b, ",\"go_version\":");
	rp_json_cstr(&b, c->go_version, 0);
	ps_buf_puts(&b, ",\"time\":");
	json_time(&b, c->time);
	ps_buf_puts(&b, ",\"mtime\":");
	json_time(&b, c->mtime);
	ps_buf_puts(&b, "}\n");
	rp_buf_flush(&b, out);
	ps_buf_release(&b);
}

void ps_triage_write_unparsed(FILE *out, const char *file, const char *reason)
{
	struct ps_buf b = { 0 };
	ps_buf_puts(&b, "{\"schema\":\"panicscope.unparsed/1\",\"file\":");
	rp_json_cstr(&b, file, 0);
	ps_buf_puts(&b, ",\"reason\":");
	rp_json_cstr(&b, reason, 0);
	ps_buf_puts(&b, "}\n");
	rp_buf_flush(&b, out);
	ps_buf_release(&b);
}

/* ---- JSON ---- */

static void json_cluster(struct ps_buf *b, const struct ps_triage_cluster *c)
{
	const char *st = status_name(c->status);
	ps_buf_printf(b, "{\"signature\":\"%s\",\"kind\":", c->id);
	rp_json_cstr(b, c->kind, 0);
	ps_buf_puts(b, ",\"message_class\":");
	rp_json_cstr(b, c->msg_class, 0);
	ps_buf_puts(b, ",\"title\":");
	rp_json_cstr(b, c->title, 0);
	ps_buf_printf(b, ",\"count\":%llu,\"top_frames\":", (unsigned long long)c->count);
	json_strs(b, c->frames, c->n_frames);
	ps_buf_puts(b, ",\"files\":");
	json_strs(b, c->examples, c->n_examples);
	ps_buf_puts(b, ",\"first_seen\":");
	json_time(b, c->first_seen);
	ps_buf_puts(b, ",\"last_seen\":");
	json_time(b, c->last_seen);
	ps_buf_puts(b, ",\"go_versions\":");
	json_strs(b, c->go_versions, c->n_go_versions);
	ps_buf_puts(b, ",\"days\":[");
	for (size_t i = 0; i < c->n_days; i++)
		ps_buf_printf(b, "%s[%lld,%llu]", i ? "," : "", (long long)c->days[i].day,
			      (unsigned long long)c->days[i].count);
	/* "new" only when a history says so: without --db it is unknown */
	ps_buf_printf(b, "],\"new\":%s,\"status\":",
		      !st ? "null" : c->status == PS_TRIAGE_KNOWN ? "false" : "true");
	rp_json_cstr(b, st, 0);
	if (st) {
		ps_buf_printf(b, ",\"total_count\":%llu,\"resolved\":%s,\"note\":",
			      (unsigned long long)c->total_count, c->resolved ? "true" : "false");
		rp_json_cstr(b, c->note, 0);
		ps_buf_puts(b, ",\"fixed_in\":");
		rp_json_cstr(b, c->fixed_in, 0);
	}
	ps_buf_addc(b, '}');
}

static void write_json(struct ps_buf *b, FILE *out, ps_triage_set *s)
{
	struct ps_triage_totals t;
	size_t n;
	struct ps_triage_cluster **cl = ps_triage_clusters(s, &n);

	ps_triage_totals(s, &t);
	ps_buf_printf(b, "{\"schema\":\"panicscope.triage/1\",\"recipe\":\"%s\",\"files\":%llu,"
		      "\"crashes\":%llu,\"unparsed_count\":%llu,\"unparsed\":",
		      PS_TRIAGE_RECIPE, (unsigned long long)t.files,
		      (unsigned long long)t.crashes, (unsigned long long)t.unparsed);
	json_strs(b, t.unparsed_files, t.n_unparsed_kept);
	ps_buf_puts(b, ",\"unparsed_reasons\":");
	json_strs(b, t.unparsed_reasons, t.n_unparsed_kept);
	ps_buf_puts(b, ",\"clusters\":[");
	for (size_t i = 0; i < n; i++) {
		ps_buf_puts(b, i ? ",\n" : "\n");
		json_cluster(b, cl[i]);
		rp_buf_spill(b, out);
	}
	ps_buf_puts(b, "]}\n");
}

/* ---- text and Markdown ---- */

static void day_text(struct ps_buf *b, int64_t t)
{
	char iso[24];
	if (t < 0) {
		ps_buf_puts(b, "-");
		return;
	}
	tri_time_iso(t, iso);
	ps_buf_add(b, iso, 10);
}

/* S cut to MAX display bytes with "…", terminal-safe */
static void cell(struct ps_buf *b, const char *s, size_t max, bool md)
{
	size_t n = strlen(s ? s : "");
	bool cut = n > max;
	if (cut)
		n = max;
	if (md) {
		for (size_t i = 0; i < n; i++) {
			if (s[i] == '|' || s[i] == '\\' || s[i] == '`' || s[i] == '<')
				ps_buf_addc(b, '\\');
			ps_buf_addc(b, (unsigned char)s[i] < 0x20 ? ' ' : s[i]);
		}
	} else {
		rp_text_str(b, s ? s : "", n);
	}
	if (cut)
		ps_buf_puts(b, "…");
}

static void examples(struct ps_buf *b, const struct ps_triage_cluster *c, bool md)
{
	for (size_t k = 0; k < c->n_examples && k < 3; k++) {
		ps_buf_puts(b, k ? ", " : "");
		cell(b, c->examples[k], md ? 80 : 100, md);
	}
}

static void md_row(struct ps_buf *b, const struct ps_triage_cluster *c)
{
	const char *st = status_name(c->status);
	ps_buf_printf(b, "| %llu | `%.12s` | ", (unsigned long long)c->count, c->id);
	cell(b, c->kind, 40, true);
	ps_buf_puts(b, " | ");
	cell(b, c->msg_class, 80, true);
	ps_buf_puts(b, " | ");
	cell(b, c->n_frames ? c->frames[0] : "?", 80, true);
	ps_buf_puts(b, " | ");
	day_text(b, c->first_seen);
	ps_buf_puts(b, " | ");
	day_text(b, c->last_seen);
	ps_buf_printf(b, " | %s | ", st ? st : "");
	examples(b, c, true);
	ps_buf_puts(b, " |\n");
}

#define INDENT "                       "   /* under the kind column */

static void text_row(struct ps_buf *b, const struct ps_triage_cluster *c)
{
	const char *st = status_name(c->status);
	ps_buf_printf(b, "%7llu  %.12s  ", (unsigned long long)c->count, c->id);
	cell(b, c->kind, 44, false);
	for (size_t w = strlen(c->kind); w < 44; w++)
		ps_buf_addc(b, ' ');
	ps_buf_puts(b, "  ");
	day_text(b, c->first_seen);
	ps_buf_puts(b, c->first_seen < 0 ? "           " : "  ");
	day_text(b, c->last_seen);
	if (st)
		ps_buf_printf(b, "%s%s", c->last_seen < 0 ? "           " : "  ", st);
	ps_buf_addc(b, '\n');
	if (*c->msg_class) {
		ps_buf_puts(b, INDENT);
		cell(b, c->msg_class, 100, false);
		ps_buf_addc(b, '\n');
	}
	ps_buf_puts(b, INDENT "at ");
	for (size_t k = 0; k < c->n_frames; k++) {
		ps_buf_puts(b, k ? " < " : "");
		cell(b, c->frames[k], 80, false);
	}
	ps_buf_puts(b, c->n_frames ? "\n" : "?\n");
	if (c->note) {
		ps_buf_puts(b, INDENT "note: ");
		cell(b, c->note, 100, false);
		ps_buf_addc(b, '\n');
	}
	ps_buf_puts(b, INDENT "e.g. ");
	examples(b, c, false);
	ps_buf_puts(b, "\n");
}

static void unparsed_list(struct ps_buf *b, const struct ps_triage_totals *t, bool md)
{
	ps_buf_printf(b, "\n%sunparsed: %llu file%s%s\n", md ? "## " : "",
		      (unsigned long long)t->unparsed, t->unparsed == 1 ? "" : "s", md ? "\n" : "");
	for (size_t i = 0; i < t->n_unparsed_kept; i++) {
		ps_buf_puts(b, md ? "- " : "  ");
		cell(b, t->unparsed_files[i], 200, md);
		ps_buf_puts(b, ": ");
		cell(b, t->unparsed_reasons[i], 200, md);
		ps_buf_addc(b, '\n');
	}
	if (t->n_unparsed_kept < t->unparsed)
		ps_buf_printf(b, "  ... and %llu more\n",
			      (unsigned long long)(t->unparsed - t->n_unparsed_kept));
}

static void write_text(struct ps_buf *b, FILE *out, ps_triage_set *s, bool md)
{
	struct ps_triage_totals t;
	size_t n;
	struct ps_triage_cluster **cl = ps_triage_clusters(s, &n);

	ps_triage_totals(s, &t);
	ps_buf_printf(b, "%s%llu crash%s in %zu cluster%s from %llu file%s, %llu unparsed "
		      "(signature recipe %s)\n\n", md ? "# Crash triage\n\n" : "",
		      (unsigned long long)t.crashes, t.crashes == 1 ? "" : "es", n, n == 1 ? "" : "s",
		      (unsigned long long)t.files, t.files == 1 ? "" : "s",
		      (unsigned long long)t.unparsed, PS_TRIAGE_RECIPE);
	ps_buf_puts(b, md ? "| count | id | kind | message | top frame | first seen | last seen | status | examples |\n"
			    "|---:|---|---|---|---|---|---|---|---|\n" :
		       "  COUNT  ID            KIND, MESSAGE CLASS, TOP FRAMES               FIRST       LAST        STATUS\n");
	for (size_t i = 0; i < n; i++) {
		(md ? md_row : text_row)(b, cl[i]);
		rp_buf_spill(b, out);
	}
	if (t.unparsed)
		unparsed_list(b, &t, md);
}

int ps_triage_write(FILE *out, ps_triage_set *s, enum ps_triage_format f,
		    struct ps_error *err)
{
	struct ps_buf b = { 0 };
	switch (f) {
	case PS_TRIAGE_JSON: write_json(&b, out, s); break;
	case PS_TRIAGE_HTML: tri_write_html(&b, out, s); break;
	case PS_TRIAGE_MARKDOWN: write_text(&b, out, s, true); break;
	default: write_text(&b, out, s, false); break;
	}
	rp_buf_flush(&b, out);
	ps_buf_release(&b);
	if (fflush(out) != 0 || ferror(out))
		return ps_error_set(err, PS_ERR_IO, "cannot write the report: %s", strerror(errno));
	return 0;
}

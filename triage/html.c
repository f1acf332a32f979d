/* html.c - a self-contained HTML page: one row per cluster and a small
 * bar chart of occurrences per day (log timestamps, else file mtime).
 * Static markup, no script: nothing to load, nothing to run. */
#include "triage_int.h"

#include "report_int.h"

#define BARS_MAX 60     /* days shown; older days join the first bar */

static const char head[] =
"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
"<meta name=\"viewport\" content=\"width=device-width\">\n"
"<title>panicscope triage</title>\n<style>\n"
"body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}\n"
"table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;"
"padding:4px 6px;text-align:left;vertical-align:top}\n"
"td.n{text-align:right}code{font-size:12px}svg rect{fill:#c0392b}\n"
".sub{color:#666;font-size:12px}\n</style></head><body>\n";

struct span_days {
	int64_t lo, hi;         /* first and last day shown, lo > hi: none */
};

static struct span_days day_span(struct ps_triage_cluster **cl, size_t n)
{
	struct span_days sp = { 1, 0 };
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < cl[i]->n_days; k++) {
			int64_t d = cl[i]->days[k].day;
			if (d < 0)
				continue;
			if (sp.lo > sp.hi || d < sp.lo)
				sp.lo = d;
			if (sp.lo > sp.hi || d > sp.hi)
				sp.hi = d;
			if (sp.hi < sp.lo)
				sp.hi = sp.lo;
		}
	if (sp.lo <= sp.hi && sp.hi - sp.lo >= BARS_MAX)
		sp.lo = sp.hi - BARS_MAX + 1;
	return sp;
}

/* One bar per day of SP; days before SP.lo count in the first bar. */
static void chart(struct ps_buf *b, const struct ps_triage_day *days, size_t n,
		  struct span_days sp, int height)
{
	uint64_t bars[BARS_MAX] = { 0 }, max = 0;
	size_t nb = sp.lo <= sp.hi ? (size_t)(sp.hi - sp.lo + 1) : 0;

	if (!nb) {
		ps_buf_puts(b, "<span class=\"sub\">no dates</span>");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (days[i].day < 0)
			continue;
		size_t k = days[i].day < sp.lo ? 0 : (size_t)(days[i].day - sp.lo);
		bars[k] += days[i].count;
		if (bars[k] > max)
			max = bars[k];
	}
	ps_buf_printf(b, "<svg class=\"chart\" width=\"%zu\" height=\"%d\" role=\"img\">", nb * 4,
		      height);
	for (size_t k = 0; k < nb; k++) {
		if (!bars[k])
			continue;
		int h = (int)((bars[k] * (uint64_t)height + max - 1) / max);
		char iso[24];
		tri_time_iso((sp.lo + (int64_t)k) * 86400, iso);
		ps_buf_printf(b, "<rect x=\"%zu\" y=\"%d\" width=\"3\" height=\"%d\">"
			      "<title>%.10s: %llu</title></rect>", k * 4, height - h, h, iso,
			      (unsigned long long)bars[k]);
	}
	ps_buf_puts(b, "</svg>");
}

static void esc(struct ps_buf *b, const char *s)
{
	rp_html_str(b, s ? s : "", strlen(s ? s : ""));
}

static void row(struct ps_buf *b, const struct ps_triage_cluster *c, struct span_days sp)
{
	char a[24], z[24];
	ps_buf_printf(b, "<tr class=\"cluster\" data-count=\"%llu\" data-signature=\"%s\">"
		      "<td class=\"n\">%llu</td><td><code>%.12s</code>",
		      (unsigned long long)c->count, c->id, (unsigned long long)c->count, c->id);
	if (c->status != PS_TRIAGE_UNKNOWN)
		ps_buf_printf(b, "<div class=\"status\">%s</div>",
			      c->status == PS_TRIAGE_NEW ? "new" :
			      c->status == PS_TRIAGE_KNOWN ? "known" : "regressed");
	if (c->note) {
		ps_buf_puts(b, "<div class=\"sub\">");
		esc(b, c->note);
		ps_buf_puts(b, "</div>");
	}
	ps_buf_puts(b, "</td><td>");
	esc(b, c->kind);
	ps_buf_puts(b, "<div class=\"sub\">");
	esc(b, c->msg_class);
	ps_buf_puts(b, "</div></td><td>");
	for (size_t k = 0; k < c->n_frames; k++) {
		ps_buf_puts(b, k ? "<br><code class=\"sub\">" : "<code>");
		esc(b, c->frames[k]);
		ps_buf_puts(b, "</code>");
	}
	tri_time_iso(c->first_seen < 0 ? 0 : c->first_seen, a);
	tri_time_iso(c->last_seen < 0 ? 0 : c->last_seen, z);
	ps_buf_printf(b, "</td><td>%.10s<br>%.10s</td><td>", c->first_seen < 0 ? "-" : a,
		      c->last_seen < 0 ? "-" : z);
	chart(b, c->days, c->n_days, sp, 24);
	ps_buf_puts(b, "</td><td class=\"sub\">");
	for (size_t k = 0; k < c->n_examples && k < 3; k++) {
		ps_buf_puts(b, k ? "<br>" : "");
		esc(b, c->examples[k]);
	}
	ps_buf_puts(b, "</td></tr>\n");
}

void tri_write_html(struct ps_buf *b, FILE *out, ps_triage_set *s)
{
	struct ps_triage_totals t;
	size_t n;
	struct ps_triage_cluster **cl = ps_triage_clusters(s, &n);
	struct span_days sp = day_span(cl, n);
	struct ps_vec all;

	ps_triage_totals(s, &t);
	ps_buf_puts(b, head);
	ps_buf_printf(b, "<h1>Crash triage</h1>\n<p id=\"summary\" data-crashes=\"%llu\" "
		      "data-clusters=\"%zu\" data-unparsed=\"%llu\">%llu crashes in %zu clusters "
		      "from %llu files, %llu unparsed (signature recipe %s)</p>\n",
		      (unsigned long long)t.crashes, n, (unsigned long long)t.unparsed,
		      (unsigned long long)t.crashes, n, (unsigned long long)t.files,
		      (unsigned long long)t.unparsed, PS_TRIAGE_RECIPE);
	/* all clusters together, per day */
	ps_vec_init(&all, sizeof(struct ps_triage_day));
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < cl[i]->n_days; k++)
			*(struct ps_triage_day *)ps_vec_push(&all) = cl[i]->days[k];
	ps_buf_puts(b, "<div id=\"overall\">");
	chart(b, all.data, all.len, sp, 60);
	ps_buf_puts(b, "</div>\n");
	ps_vec_release(&all);
	ps_buf_puts(b, "<table id=\"clusters\"><thead><tr><th>count</th><th>id</th>"
		       "<th>kind / message</th><th>top frames</th><th>first / last</th>"
		       "<th>per day</th><th>examples</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < n; i++) {
		row(b, cl[i], sp);
		rp_buf_spill(b, out);
	}
	ps_buf_puts(b, "</tbody></table>\n");
	if (t.unparsed) {
		ps_buf_printf(b, "<h2>Unparsed: %llu files</h2><ul id=\"unparsed\">\n",
			      (unsigned long long)t.unparsed);
		for (size_t i = 0; i < t.n_unparsed_kept; i++) {
			ps_buf_puts(b, "<li>");
			esc(b, t.unparsed_files[i]);
			ps_buf_puts(b, ": ");
			esc(b, t.unparsed_reasons[i]);
			ps_buf_puts(b, "</li>\n");
		}
		ps_buf_puts(b, "</ul>\n");
	}
	ps_buf_puts(b, "</body></html>\n");
}

/* report.c - ps_report_write: build the analysis of each dump once
 * (ps_view.h), pass its warnings on, then hand the views to one writer. */
#include "report_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Warnings are passed on once per distinct text. */
struct warned {
	struct ps_vec seen;     /* char * (heap) */
};

static void warn_once(const struct ps_report_opts *o, struct warned *w,
		      const char *msg)
{
	if (!o->warn)
		return;
	for (size_t i = 0; i < w->seen.len; i++)
		if (strcmp(*(char **)ps_vec_at(&w->seen, i), msg) == 0)
			return;
	*(char **)ps_vec_push(&w->seen) = ps_xstrndup(msg, strlen(msg));
	o->warn(o->warn_ctx, msg);
}

static void view_opts(const struct ps_report_opts *o, struct ps_view_opts *vo)
{
	*vo = (struct ps_view_opts){
		.all = o->all, .group_exact = o->group_exact,
		.match = o->match, .exclude = o->exclude, .abi = o->abi,
		.arg_format = o->arg_format, .trust_binary = o->trust_binary,
	};
}

static void warn_all(const struct rp_ctx *c, struct warned *w)
{
	for (size_t i = 0; i < c->n_dumps; i++) {
		size_t n;
		const char *const *msgs = ps_view_warnings(c->views[i], &n);
		for (size_t k = 0; k < n; k++)
			warn_once(c->opts, w, msgs[k]);
	}
}

static int dispatch(FILE *out, const struct rp_ctx *c)
{
	switch (c->opts->format) {
	case PS_REPORT_JSON: return rp_write_json(out, c);
	case PS_REPORT_HTML: return rp_write_html(out, c);
	case PS_REPORT_MARKDOWN: return rp_write_markdown(out, c);
	case PS_REPORT_TEXT: break;
	}
	return rp_write_text(out, c);
}

int ps_report_write(FILE *out, const struct ps_doc *doc,
		    const struct ps_report_opts *opts, struct ps_error *err)
{
	struct rp_ctx c = { .doc = doc, .opts = opts };
	struct ps_view_opts vo;
	struct warned w;
	int rc = 0;

	view_opts(opts, &vo);
	ps_vec_init(&w.seen, sizeof(char *));
	c.views = ps_xcalloc(doc->n_dumps ? doc->n_dumps : 1, sizeof(*c.views));
	for (; c.n_dumps < doc->n_dumps; c.n_dumps++) {
		ps_view *v = ps_view_build(doc, c.n_dumps, &vo, err);
		if (!v) {
			rc = -1;
			break;
		}
		c.views[c.n_dumps] = v;
		c.n_filtered_out += ps_view_filtered_out(v);
	}
	if (rc == 0) {
		warn_all(&c, &w);
		rc = dispatch(out, &c);
	}
	if (rc == 0 && (fflush(out) != 0 || ferror(out))) {
		int e = errno ? errno : EIO;    /* ferror alone sets none */
		const char *to = opts->output_name;
		rc = ps_error_set(err, PS_ERR_IO, "cannot write '%s': %s",
				  to && strcmp(to, "-") ? to : "standard output",
				  strerror(e));
		if (err != NULL)
			err->sys_errno = e;
	}
	for (size_t i = 0; i < c.n_dumps; i++)
		ps_view_free(c.views[i]);
	for (size_t i = 0; i < w.seen.len; i++)
		free(*(char **)ps_vec_at(&w.seen, i));
	ps_vec_release(&w.seen);
	free(c.views);
	return rc;
}

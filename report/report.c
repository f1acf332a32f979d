/* report.c - the report API: build the analysis of each dump once
 * (ps_view.h), pass its warnings on, hand the view to one writer and free
 * it before the next dump, holding back (spool.c) the output of dumps
 * that must wait for what only the end of the input knows. */
#include "report_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* A dump whose output waits in the spool, up to END. */
struct held {
	struct rp_dump_info info;
	uint64_t end;
};

struct ps_report {
	FILE *out;
	const struct ps_report_opts *opts;
	const struct rp_writer *wr;
	void *w;
	struct rp_ctx c;
	struct ps_view_opts vo;
	struct ps_vec seen;     /* char * (heap): warnings passed on */
	rp_spool *spool;        /* NULL until a dump must wait */
	struct ps_vec held;     /* struct held, in dump order */
	size_t n_seen;          /* dumps passed to ps_report_dump */
	bool started;           /* head written: dumps go straight to OUT */
	bool failed;
	struct ps_error err;    /* the first error */
};

/* Warnings are passed on once per distinct text. */
static void warn_once(struct ps_report *r, const char *msg)
{
	if (!r->opts->warn)
		return;
	for (size_t i = 0; i < r->seen.len; i++)
		if (strcmp(*(char **)ps_vec_at(&r->seen, i), msg) == 0)
			return;
	*(char **)ps_vec_push(&r->seen) = ps_xstrndup(msg, strlen(msg));
	r->opts->warn(r->opts->warn_ctx, msg);
}

static const struct rp_writer *writer_of(enum ps_report_format f)
{
	switch (f) {
	case PS_REPORT_JSON: return &rp_json_writer;
	case PS_REPORT_HTML: return &rp_html_writer;
	case PS_REPORT_MARKDOWN: return &rp_markdown_writer;
	case PS_REPORT_TEXT: break;
	}
	return &rp_text_writer;
}

ps_report *ps_report_begin(FILE *out, const struct ps_report_opts *o)
{
	struct ps_report *r = ps_xcalloc(1, sizeof(*r));
	r->out = out;
	r->opts = o;
	r->wr = writer_of(o->format);
	r->c.opts = o;
	r->vo = (struct ps_view_opts){
		.all = o->all, .group_exact = o->group_exact,
		.match = o->match, .exclude = o->exclude, .abi = o->abi,
		.arg_format = o->arg_format, .trust_binary = o->trust_binary,
		.jobs = o->jobs, .split_min = o->split_min,
	};
	ps_vec_init(&r->seen, sizeof(char *));
	ps_vec_init(&r->held, sizeof(struct held));
	r->w = r->wr->open(&r->c);
	return r;
}

static void fail(struct ps_report *r, const struct ps_error *e)
{
	if (!r->failed)
		r->err = *e;
	r->failed = true;
}

static void fail_io(struct ps_report *r, int e)
{
	struct ps_error err = { 0 };
	const char *to = r->opts->output_name;
	ps_error_set(&err, PS_ERR_IO, "cannot write '%s': %s",
		     to && strcmp(to, "-") ? to : "standard output", strerror(e));
	err.sys_errno = e;
	fail(r, &err);
}

/* The spool's temporary file lost bytes (its disk is full). */
static void fail_spool(struct ps_report *r, int e)
{
	struct ps_error err = { 0 };
	ps_error_set(&err, PS_ERR_IO, "cannot hold the report of the dumps before "
		     "the last in '%s': %s", rp_spool_dir(), strerror(e));
	err.sys_errno = e;
	fail(r, &err);
}

/* The head, then the held dumps in order, each after its own header:
 * from here on every dump goes straight to OUT. */
static void start(struct ps_report *r, size_t n_dumps, bool count_known)
{
	uint64_t off = 0;

	r->c.n_dumps = n_dumps;
	r->c.count_known = count_known;
	r->wr->head(r->w, r->out);
	for (size_t i = 0; i < r->held.len; i++) {
		const struct held *h = ps_vec_at(&r->held, i);
		r->wr->dump_head(r->w, &h->info, i, r->out);
		if (rp_spool_copy(r->spool, off, h->end, r->out) < 0)
			fail_spool(r, errno);
		off = h->end;
	}
	r->held.len = 0;
	rp_spool_free(r->spool);
	r->spool = NULL;
	r->started = true;
}

static FILE *spool_for(struct ps_report *r)
{
	if (!r->spool && !(r->spool = rp_spool_new())) {
		fail_spool(r, ENOMEM);
		return NULL;
	}
	return rp_spool_file(r->spool);
}

int ps_report_dump(ps_report *r, const struct ps_doc *doc,
		   const struct ps_dump *d, bool more)
{
	struct ps_error err = { 0 };
	size_t index = r->n_seen++;
	if (r->failed)
		return -1;
	ps_view *v = ps_view_build_dump(doc, d, &r->vo, &err);
	if (!v) {
		fail(r, &err);
		return -1;
	}
	size_t n_warn;
	const char *const *msgs = ps_view_warnings(v, &n_warn);
	for (size_t k = 0; k < n_warn; k++)
		warn_once(r, msgs[k]);

	struct rp_dump_info info = { d->source, d->first_line, d->last_line };
	size_t n = index + 1;
	r->c.doc = doc;
	r->c.n_dumps = n;
	r->c.more = more;
	if (r->wr->note)
		r->wr->note(r->w, v, index);
	/* --stream: out at once, the count stays unknown */
	bool live = r->opts->stream && r->opts->format != PS_REPORT_HTML;
	if (!r->started && (!more || live))
		start(r, n, !more);
	if (r->started) {
		r->wr->dump_head(r->w, &info, index, r->out);
		r->wr->body(r->w, v, index, r->out);
		if (live)
			fflush(r->out); /* a pipe sees the dump now */
	} else {
		FILE *f = spool_for(r);
		if (f) {
			r->wr->body(r->w, v, index, f);
			struct held *h = ps_vec_push(&r->held);
			h->info = info;
			h->end = rp_spool_size(r->spool);
		}
	}
	/* errno is the failed write's while nothing else ran since */
	if (!r->failed && ferror(r->out))
		fail_io(r, errno ? errno : EIO);
	ps_view_free(v);
	return r->failed ? -1 : 0;
}

void ps_report_on_dump(void *r, const struct ps_doc *doc,
		       const struct ps_dump *d, size_t index, bool more)
{
	(void)index;
	(void)ps_report_dump(r, doc, d, more);
}

void ps_report_abort(ps_report *r)
{
	if (!r)
		return;
	if (r->w)
		r->wr->tail(r->w, NULL);
	for (size_t i = 0; i < r->seen.len; i++)
		free(*(char **)ps_vec_at(&r->seen, i));
	ps_vec_release(&r->seen);
	ps_vec_release(&r->held);
	rp_spool_free(r->spool);
	free(r);
}

int ps_report_end(ps_report *r, const struct ps_doc *doc, struct ps_error *err)
{
	r->c.doc = doc;
	r->c.more = false;
	if (!r->failed) {
		if (!r->started)
			start(r, r->n_seen, true);
		r->c.n_dumps = r->n_seen;
		r->wr->tail(r->w, r->out);
		r->w = NULL;
		if (fflush(r->out) != 0 || ferror(r->out))
			fail_io(r, errno ? errno : EIO); /* ferror alone sets none */
	}
	int rc = 0;
	if (r->failed) {
		rc = ps_error_set(err, r->err.code, "%s", r->err.msg);
		if (err != NULL)
			err->sys_errno = r->err.sys_errno;
	}
	ps_report_abort(r);
	return rc;
}

int ps_report_write(FILE *out, const struct ps_doc *doc,
		    const struct ps_report_opts *opts, struct ps_error *err)
{
	ps_report *r = ps_report_begin(out, opts);
	for (size_t i = 0; i < doc->n_dumps; i++)
		if (ps_report_dump(r, doc, doc->dumps[i], i + 1 < doc->n_dumps) < 0)
			break;
	return ps_report_end(r, doc, err);
}

/* report.c - ps_report_write: analyse each dump once (filter, group,
 * find, decide about argument decoding), then hand it to one writer. */
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

static void filter_goroutines(struct rp_dump *d, rp_filter *f)
{
	const struct ps_dump *dump = d->dump;

	d->gs = ps_arena_alloc(&d->arena, (dump->n_goroutines ? dump->n_goroutines : 1) *
					    sizeof(*d->gs));
	for (size_t i = 0; i < dump->n_goroutines; i++) {
		const struct ps_goroutine *g = &dump->goroutines[i];
		if (!rp_filter_pass(f, g)) {
			d->n_filtered_out++;
			continue;
		}
		d->gs[d->n_gs++] = g;
		d->n_goroutines += g->count ? g->count : 1;
	}
}

static void add_user_files(struct rp_dump *d, const struct ps_goroutine *g)
{
	for (size_t i = 0; i < g->stack.n_frames; i++) {
		const struct ps_frame *f = &g->stack.frames[i];
		if (rp_frame_class(&d->paths, f->func, f->file, f->kind) == RP_USER)
			rp_paths_add_user(&d->paths, f->file);
	}
	if (g->created_by &&
	    rp_frame_class(&d->paths, g->created_by->func, g->created_by->file,
			   PS_FRAME_GO) == RP_USER)
		rp_paths_add_user(&d->paths, g->created_by->file);
}

void rp_common_prefix(struct rp_dump *d, bool all)
{
	if (all) {
		for (size_t i = 0; i < d->n_gs; i++)
			add_user_files(d, d->gs[i]);
	} else {
		for (size_t i = 0; i < d->n_groups; i++)
			add_user_files(d, d->groups[i].rep);
	}
}

static void decide_decoding(struct rp_ctx *c, struct rp_dump *d, struct warned *w)
{
	const struct ps_report_opts *o = c->opts;
	struct ps_error e = { 0 };

	if (!o->abi) {
		d->fmt = o->arg_format != PS_ARGFMT_AUTO ? o->arg_format :
			 d->dump->structured_args ? PS_ARGFMT_STRUCTURED : PS_ARGFMT_WORDS;
		return;
	}
	d->fmt = ps_abi_arg_format(o->abi, d->dump, o->arg_format);
	d->decode = true;
	if (ps_abi_check_dump(o->abi, d->dump, &e) < 0) {
		d->mismatch = ps_arena_printf(&d->arena, "%s%s", e.msg,
			o->trust_binary ? " (decoding anyway: --trust-binary)" :
			"; arguments are shown undecoded (--trust-binary decodes anyway)");
		d->decode = o->trust_binary;
		warn_once(o, w, d->mismatch);
	}
}

static void prepare(struct rp_ctx *c, struct rp_dump *d, const struct ps_dump *dump,
		    rp_filter *f, struct warned *w)
{
	d->dump = dump;
	filter_goroutines(d, f);
	c->n_filtered_out += d->n_filtered_out;
	rp_paths_find_goroot(&d->paths, dump);
	rp_group_dump(d, c->opts->group_exact);
	rp_common_prefix(d, c->opts->all);
	rp_find(d);
	decide_decoding(c, d, w);
}

bool rp_decode(const struct rp_ctx *c, struct rp_dump *d,
	       const struct ps_frame *f, struct ps_arena *arena,
	       struct ps_abi_frame *out)
{
	memset(out, 0, sizeof(*out));
	if (!c->opts->abi || !d->decode)
		return false;
	ps_abi_decode_frame(c->opts->abi, d->dump, f, d->fmt, arena, out);
	/* the program's own functions should all be there: count misses */
	if (!out->decoded && f->kind == PS_FRAME_GO && f->args_len && !f->inlined &&
	    rp_frame_class(&d->paths, f->func, f->file, f->kind) == RP_USER) {
		if (!d->n_undecoded++)
			d->first_undecoded = f->func;
	}
	return out->decoded;
}

static void warn_undecoded(const struct rp_ctx *c, struct warned *w)
{
	for (size_t i = 0; i < c->n_dumps; i++) {
		const struct rp_dump *d = &c->dumps[i];
		char msg[200];
		if (!d->n_undecoded)
			continue;
		snprintf(msg, sizeof(msg), "%zu frame%s of the program's own code could not "
			 "be decoded (first: %.80s): not in the binary's DWARF",
			 d->n_undecoded, d->n_undecoded == 1 ? "" : "s", d->first_undecoded);
		warn_once(c->opts, w, msg);
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
	struct warned w;
	int rc;

	rp_filter *f = rp_filter_new(opts->match, opts->exclude, err);
	if (!f)
		return -1;
	ps_vec_init(&w.seen, sizeof(char *));
	c.n_dumps = doc->n_dumps;
	c.dumps = ps_xcalloc(c.n_dumps ? c.n_dumps : 1, sizeof(*c.dumps));
	for (size_t i = 0; i < c.n_dumps; i++)
		prepare(&c, &c.dumps[i], doc->dumps[i], f, &w);
	rc = dispatch(out, &c);
	warn_undecoded(&c, &w);
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
		ps_arena_release(&c.dumps[i].arena);
	for (size_t i = 0; i < w.seen.len; i++)
		free(*(char **)ps_vec_at(&w.seen, i));
	ps_vec_release(&w.seen);
	free(c.dumps);
	rp_filter_free(f);
	return rc;
}

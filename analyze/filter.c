/* filter.c - -m/--match and -x/--exclude: pcre2 (JIT) over the text of a
 * goroutine (header, state, frames with file:line, created-by). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "view_int.h"

#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

struct pattern {
	pcre2_code *code;
	pcre2_match_data *md;
};

struct av_filter {
	struct pattern match, exclude;
	struct ps_buf subject;          /* reused for every goroutine */
};

static int compile(struct pattern *p, const char *what, const char *re,
		   struct ps_error *err)
{
	int ec;
	PCRE2_SIZE off;

	if (!re)
		return 0;
	p->code = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED,
				PCRE2_MULTILINE, &ec, &off, NULL);
	if (!p->code) {
		PCRE2_UCHAR msg[160];
		pcre2_get_error_message(ec, msg, sizeof(msg));
		return ps_error_set(err, PS_ERR_BAD_REGEX,
				    "bad %s pattern '%s' at offset %zu: %s", what,
				    re, (size_t)off, (const char *)msg);
	}
	/* JIT is an optimisation: when unavailable, matching still works */
	(void)pcre2_jit_compile(p->code, PCRE2_JIT_COMPLETE);
	p->md = pcre2_match_data_create_from_pattern(p->code, NULL);
	return 0;
}

static void release(struct pattern *p)
{
	pcre2_match_data_free(p->md);
	pcre2_code_free(p->code);
}

av_filter *av_filter_new(const char *match, const char *exclude,
			 struct ps_error *err)
{
	av_filter *f = ps_xcalloc(1, sizeof(*f));
	if (compile(&f->match, "--match", match, err) < 0 ||
	    compile(&f->exclude, "--exclude", exclude, err) < 0) {
		av_filter_free(f);
		return NULL;
	}
	return f;
}

void av_filter_free(av_filter *f)
{
	if (!f)
		return;
	release(&f->match);
	release(&f->exclude);
	ps_buf_release(&f->subject);
	free(f);
}

bool av_filter_active(const av_filter *f)
{
	return f && (f->match.code || f->exclude.code);
}

/* One line per frame, "func(args) file:line", as a user would grep. */
static void subject(struct ps_buf *b, const struct ps_goroutine *g)
{
	b->len = 0;
	ps_buf_printf(b, "goroutine %llu [%s]\n", (unsigned long long)g->id,
		      g->state ? g->state : "");
	for (size_t i = 0; i < g->stack.n_frames; i++) {
		const struct ps_frame *fr = &g->stack.frames[i];
		const char *args = ps_stack_args(&g->stack, i);
		ps_buf_printf(b, "%s(%s) %s:%u\n", fr->func ? fr->func : "",
			      args ? args : "",
			      fr->file ? fr->file : "", fr->line);
	}
	if (g->created_by)
		ps_buf_printf(b, "created by %s %s:%u\n",
			      g->created_by->func ? g->created_by->func : "",
			      g->created_by->file ? g->created_by->file : "",
			      g->created_by->line);
}

static bool matches(struct pattern *p, const struct ps_buf *b)
{
	int rc = pcre2_match(p->code, (PCRE2_SPTR)b->p, b->len, 0, 0, p->md, NULL);
	return rc >= 0;
}

bool av_filter_pass(av_filter *f, const struct ps_goroutine *g)
{
	if (!av_filter_active(f))
		return true;
	subject(&f->subject, g);
	if (f->match.code && !matches(&f->match, &f->subject))
		return false;
	if (f->exclude.code && matches(&f->exclude, &f->subject))
		return false;
	return true;
}

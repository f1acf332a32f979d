/* view.c - ps_view_build: one analysis per dump (filter, classes, groups,
 * findings, headline, decoding), and the accessors the writers read. */
#include "view_int.h"

#include <stdlib.h>
#include <string.h>

static void warn(struct ps_view *v, const char *msg)
{
	for (size_t i = 0; i < v->warnings.len; i++)
		if (strcmp(*(const char **)ps_vec_at(&v->warnings, i), msg) == 0)
			return;
	*(const char **)ps_vec_push(&v->warnings) =
		ps_arena_strndup(&v->arena, msg, strlen(msg));
}

static void filter_goroutines(struct ps_view *v, av_filter *f)
{
	const struct ps_dump *dump = v->dump;

	v->gs = ps_arena_alloc(&v->arena, (dump->n_goroutines ? dump->n_goroutines : 1) *
					    sizeof(*v->gs));
	for (size_t i = 0; i < dump->n_goroutines; i++) {
		const struct ps_goroutine *g = &dump->goroutines[i];
		if (!av_filter_pass(f, g)) {
			v->n_filtered_out++;
			continue;
		}
		v->gs[v->n_gs++] = g;
		/* a "runtime stack:" (g0) block is no goroutine of its own */
		if (g->has_header || strcmp(ps_goroutine_role(g), PS_ROLE_RUNTIME_STACK) != 0)
			v->n_goroutines += ps_goroutine_count(g);
		else
			v->n_runtime_stacks++;
		if (g->crashed && !v->crashed)
			v->crashed = g;
	}
}

static void add_user_files(struct ps_view *v, const struct ps_goroutine *g)
{
	for (size_t i = 0; i < g->stack.n_frames; i++) {
		const struct ps_frame *f = &g->stack.frames[i];
		if (av_class(&v->paths, f->func, f->file, f->kind) == PS_VIEW_USER)
			av_paths_add_user(&v->paths, f->file);
	}
	if (g->created_by &&
	    av_class(&v->paths, g->created_by->func, g->created_by->file,
		     PS_FRAME_GO) == PS_VIEW_USER)
		av_paths_add_user(&v->paths, g->created_by->file);
}

void av_common_prefix(struct ps_view *v, bool all)
{
	if (all) {
		for (size_t i = 0; i < v->n_gs; i++)
			add_user_files(v, v->gs[i]);
	} else {
		for (size_t i = 0; i < v->n_groups; i++)
			add_user_files(v, v->groups[i].rep);
	}
}

/* ---- decoding: one context per dump, each distinct frame once ---- */

static void decide_decoding(struct ps_view *v)
{
	const struct ps_view_opts *o = &v->opts;
	struct ps_error e = { 0 };

	if (!o->abi) {
		v->fmt = o->arg_format != PS_ARGFMT_AUTO ? o->arg_format :
			 v->dump->structured_args ? PS_ARGFMT_STRUCTURED : PS_ARGFMT_WORDS;
		return;
	}
	v->ctx = ps_abi_ctx_new(o->abi, v->dump, o->arg_format, &v->arena);
	v->fmt = ps_abi_ctx_format(v->ctx);
	v->decode = true;
	if (ps_abi_check_dump(o->abi, v->dump, &e) < 0) {
		v->mismatch = ps_arena_printf(&v->arena, "%s%s", e.msg,
			o->trust_binary ? " (decoding anyway: --trust-binary)" :
			"; arguments are shown undecoded (--trust-binary decodes anyway)");
		v->decode = o->trust_binary;
		warn(v, v->mismatch);
	}
}

static uint64_t ptr_key(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static bool counts_as_own(const struct ps_view *v, const struct ps_stack *st, size_t i)
{
	const struct ps_frame *f = &st->frames[i];
	return f->kind == PS_FRAME_GO && ps_stack_args_len(st, i) && !f->inlined &&
	       av_class(&v->paths, f->func, f->file, f->kind) == PS_VIEW_USER;
}

/* The warning about the program's own functions the binary lacks, worked
 * out here (one decode per distinct function) rather than by whichever
 * writer runs, so every format states the same count. */
static void warn_undecoded(struct ps_view *v)
{
	struct ps_map seen = { 0 };
	struct ps_arena scratch = { 0 };
	struct ps_abi_frame af;
	size_t n = 0;
	const char *first = NULL;

	if (!v->opts.abi || !v->decode)
		return;
	for (size_t i = 0; i < v->n_gs; i++) {
		const struct ps_stack *st = &v->gs[i]->stack;
		for (size_t j = 0; j < st->n_frames; j++) {
			const struct ps_frame *f = &st->frames[j];
			void **slot;
			if (!counts_as_own(v, st, j) ||
			    *(slot = ps_map_slot(&seen, ptr_key(f->func), NULL, NULL)))
				continue;
			*slot = (void *)f->func;
			ps_abi_ctx_decode(v->ctx, st, j, &scratch, &af);
			/* a note means it is there but the shape did not fit */
			if (!af.decoded && !af.note && !n++)
				first = f->func;
		}
	}
	if (n)
		warn(v, ps_arena_printf(&v->arena, "%zu function%s of the program's own code "
			"could not be decoded (first: %.80s): not in the binary's DWARF",
			n, n == 1 ? "" : "s", first));
	ps_map_release(&seen);
	ps_arena_release(&scratch);
}

ps_view *ps_view_build(const struct ps_doc *doc, size_t index,
		       const struct ps_view_opts *opts, struct ps_error *err)
{
	if (!doc || index >= doc->n_dumps) {
		ps_error_set(err, PS_ERR_USAGE, "no dump %zu in the document", index);
		return NULL;
	}
	return ps_view_build_dump(doc, doc->dumps[index], opts, err);
}

ps_view *ps_view_build_dump(const struct ps_doc *doc, const struct ps_dump *d,
			    const struct ps_view_opts *opts, struct ps_error *err)
{
	static const struct ps_view_opts defaults;

	if (!opts)
		opts = &defaults;
	av_filter *f = av_filter_new(opts->match, opts->exclude, err);
	if (!f)
		return NULL;
	ps_view *v = ps_xcalloc(1, sizeof(*v));
	v->doc = doc;
	v->dump = d;
	v->opts = *opts;
	ps_vec_init(&v->warnings, sizeof(const char *));
	filter_goroutines(v, f);
	av_filter_free(f);
	av_paths_find_goroot(&v->paths, v->dump);
	av_group(v, opts->group_exact);
	av_common_prefix(v, opts->all);
	av_find(v);
	decide_decoding(v);
	warn_undecoded(v);
	av_headline(v);
	return v;
}

void ps_view_free(ps_view *v)
{
	if (!v)
		return;
	ps_map_release(&v->tried);
	ps_vec_release(&v->warnings);
	ps_arena_release(&v->arena);
	free(v);
}

/* ---- accessors ---- */

const struct ps_dump *ps_view_dump(const ps_view *v) { return v->dump; }
uint64_t ps_view_goroutine_count(const ps_view *v) { return v->n_goroutines; }
size_t ps_view_filtered_out(const ps_view *v) { return v->n_filtered_out; }
const struct ps_goroutine *ps_view_crashed(const ps_view *v) { return v->crashed; }
enum ps_arg_format ps_view_arg_format(const ps_view *v) { return v->fmt; }
const char *ps_view_mismatch(const ps_view *v) { return v->mismatch; }

const struct ps_goroutine *const *ps_view_goroutines(const ps_view *v, size_t *n)
{
	*n = v->n_gs;
	return v->gs;
}

const struct ps_view_group *ps_view_groups(const ps_view *v, size_t *n)
{
	*n = v->n_groups;
	return v->groups;
}

struct ps_view_group ps_view_single(const ps_view *v, const struct ps_goroutine *const *gp)
{
	const struct ps_goroutine *g = *gp;
	struct ps_view_group one = {
		.rep = g, .members = gp, .n_members = 1,
		.count = ps_goroutine_count(g), .crashed = g->crashed,
		.wait_min = g->wait_minutes, .wait_max = g->wait_minutes,
		.locked = g->locked_to_thread, .cls = PS_VIEW_STD,
		.extra_same = g->header_extra && g->header_extra[0],
		.first = (size_t)(gp - v->gs),
	};

	for (size_t j = 0; j < g->stack.n_frames; j++) {
		enum ps_view_class c = ps_view_frame_class(v, &g->stack.frames[j]);
		one.cls = c < one.cls ? c : one.cls;
	}
	return one;
}

const struct ps_view_finding *ps_view_findings(const ps_view *v, size_t *n)
{
	*n = v->n_findings;
	return v->findings;
}

const struct ps_view_line *ps_view_headline(const ps_view *v, size_t *n)
{
	*n = v->n_headline;
	return v->headline;
}

const char *const *ps_view_warnings(const ps_view *v, size_t *n)
{
	*n = v->warnings.len;
	return v->warnings.data;
}

bool ps_view_decode(const ps_view *v, const struct ps_stack *st, size_t i,
		    struct ps_arena *arena, struct ps_abi_frame *out)
{
	memset(out, 0, sizeof(*out));
	if (!v->decode)
		return false;
	ps_abi_ctx_decode(v->ctx, st, i, arena, out);
	return out->decoded;
}

/* A decoding kept: of a frame (its call) under an argument array (the
 * words of its stack, which the decoding of an inlined frame reads
 * below it too). */
struct tried_key {
	const struct ps_frame *f;
	const char *const *args;
};

struct tried {
	struct tried_key k;
	struct ps_abi_frame af;
};

static bool same_tried(const void *value, const void *key)
{
	const struct tried_key *a = &((const struct tried *)value)->k, *b = key;
	return a->f == b->f && a->args == b->args;
}

const struct ps_abi_frame *ps_view_args_tried(const ps_view *cv, const struct ps_stack *st,
					      size_t i)
{
	/* a memo, not a change: the view's answer for a frame is always the same */
	struct ps_view *v = (struct ps_view *)cv;
	struct tried_key k = { &st->frames[i], st->args };
	void **slot;

	if (!v->decode)
		return NULL;
	slot = ps_map_slot(&v->tried, ps_hash_bytes(&k, sizeof(k), PS_HASH_SEED), same_tried, &k);
	if (!*slot) {
		struct tried *t = ps_arena_alloc(&v->arena, sizeof(*t));
		t->k = k;
		ps_view_decode(v, st, i, &v->arena, &t->af);
		*slot = t;
	}
	return &((struct tried *)*slot)->af;
}

const struct ps_abi_frame *ps_view_args(const ps_view *v, const struct ps_stack *st, size_t i)
{
	const struct ps_abi_frame *af = ps_view_args_tried(v, st, i);
	return af && af->decoded ? af : NULL;
}

const struct ps_view_group *ps_view_dominant_blocked(const ps_view *v)
{
	const struct ps_view_group *best = NULL;

	for (size_t i = 0; i < v->n_groups; i++) {
		const struct ps_view_group *gr = &v->groups[i];
		if (ps_view_state_blocked(gr->rep->state) && (!best || gr->count > best->count))
			best = gr;
	}
	return best;
}

/* ---- classes and paths ---- */

const char *ps_view_class_name(enum ps_view_class c)
{
	switch (c) {
	case PS_VIEW_USER: return "user";
	case PS_VIEW_DEP: return "dep";
	case PS_VIEW_STD: return "std";
	}
	return "";
}

enum ps_view_class ps_view_frame_class(const ps_view *v, const struct ps_frame *f)
{
	return av_class(&v->paths, f->func, f->file, f->kind);
}

enum ps_view_class ps_view_created_class(const ps_view *v,
					 const struct ps_created_by *cb)
{
	return av_class(&v->paths, cb->func, cb->file, PS_FRAME_GO);
}

const char *ps_view_short_path(const ps_view *v, const char *file,
			       enum ps_view_class cls)
{
	return av_short_path(&v->paths, file, cls);
}

const char *ps_view_common_dir(const ps_view *v, size_t *len)
{
	if (!v->paths.common || v->paths.common_len <= 1)
		return NULL;
	*len = v->paths.common_len;
	return v->paths.common;
}

const struct ps_frame *ps_view_site(const ps_view *v, const struct ps_goroutine *g)
{
	return av_site(&v->paths, g);
}

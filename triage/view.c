/* view.c - the analysis a signature is taken from: the dump's view
 * (analyze/ps_view.h), the same the single-dump report reads, so triage
 * has no idea of its own of the crashed goroutine, of the program's
 * code or of the dominant blocked site. */
#include "triage_int.h"

#include "ps_view.h"

struct tri_view {
	ps_view *v;
};

struct tri_view *tri_view_new(const struct ps_doc *doc, size_t index, struct ps_arena *a)
{
	struct tri_view *t = ps_arena_calloc(a, sizeof(*t));
	struct ps_view_opts o = { 0 };
	struct ps_error err = { 0 };
	/* no patterns and a valid index: building cannot fail */
	t->v = ps_view_build(doc, index, &o, &err);
	return t->v ? t : NULL;
}

void tri_view_free(struct tri_view *t)
{
	if (t)
		ps_view_free(t->v);
}

const struct ps_goroutine *tri_view_crashed(const struct tri_view *t)
{
	return ps_view_crashed(t->v);
}

bool tri_view_is_user(const struct tri_view *t, const struct ps_frame *f)
{
	return ps_view_frame_class(t->v, f) == PS_VIEW_USER;
}

const struct ps_goroutine *tri_view_dominant(const struct tri_view *t)
{
	size_t n, ng;
	const struct ps_view_finding *fs = ps_view_findings(t->v, &n);
	const struct ps_view_group *gs = ps_view_groups(t->v, &ng), *any = NULL;

	for (size_t i = 0; i < n; i++)
		if (fs[i].group)
			return fs[i].group->rep;
	const struct ps_view_group *b = ps_view_dominant_blocked(t->v);
	if (b)
		return b->rep;
	/* a profile prints no states: its largest group then */
	for (size_t i = 0; i < ng; i++)
		if (!any || gs[i].count > any->count)
			any = &gs[i];
	return any ? any->rep : NULL;
}

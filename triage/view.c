/* view.c - the analysis a signature is taken from: the report's own
 * path classes, groups and findings (report/report_int.h), so triage
 * and the single-dump report share one idea of the crashed goroutine,
 * of "application code" and of the dominant blocked site.
 * TODO(analysis): switch to analyze/ps_view.h when it lands. */
#include "triage_int.h"

#include "report_int.h"

struct tri_view {
	struct rp_dump rd;
	const struct ps_goroutine *crashed;
};

struct tri_view *tri_view_new(const struct ps_dump *d, struct ps_arena *a)
{
	struct tri_view *v = ps_arena_calloc(a, sizeof(*v));
	struct rp_dump *rd = &v->rd;

	rd->dump = d;
	rd->gs = ps_arena_alloc(&rd->arena, (d->n_goroutines ? d->n_goroutines : 1) *
					     sizeof(*rd->gs));
	for (size_t i = 0; i < d->n_goroutines; i++) {
		const struct ps_goroutine *g = &d->goroutines[i];
		rd->gs[rd->n_gs++] = g;
		rd->n_goroutines += g->count ? g->count : 1;
		if (g->crashed && !v->crashed)
			v->crashed = g;
	}
	rp_paths_find_goroot(&rd->paths, d);
	rp_group_dump(rd, false);
	rp_find(rd);
	return v;
}

void tri_view_free(struct tri_view *v)
{
	if (v)
		ps_arena_release(&v->rd.arena);
}

const struct ps_goroutine *tri_view_crashed(const struct tri_view *v)
{
	return v->crashed;
}

bool tri_view_is_user(const struct tri_view *v, const struct ps_frame *f)
{
	return rp_frame_class(&v->rd.paths, f->func, f->file,
			      (enum ps_frame_kind)f->kind) == RP_USER;
}

const struct ps_goroutine *tri_view_dominant(const struct tri_view *v)
{
	const struct rp_dump *rd = &v->rd;
	const struct rp_group *best = NULL, *any = NULL;

	for (size_t i = 0; i < rd->n_findings; i++)
		if (rd->findings[i].group)
			return rd->findings[i].group->rep;
	for (size_t i = 0; i < rd->n_groups; i++) {
		const struct rp_group *g = &rd->groups[i];
		if (!any || g->count > any->count)
			any = g;
		if (rp_state_blocked(g->rep->state) && (!best || g->count > best->count))
			best = g;
	}
	/* a profile prints no states: its largest group then */
	return best ? best->rep : any ? any->rep : NULL;
}

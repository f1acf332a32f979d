/* set.c - crashes reduced to clusters, one per signature, in a hash
 * table.  Memory follows the clusters, not the crashes: each cluster
 * keeps counts, a time range, per-day counts and the few smallest
 * example names, so the result never depends on the order crashes
 * arrive in (a merge of shards equals one run). */
#include "triage_int.h"

#include <stdlib.h>

/* The K smallest strings seen (heap copies), sorted. */
struct smallest {
	char **v;
	size_t n, max;
};

/* Keeps S[0..LEN) when it is among the MAX smallest; strcmp compares
 * up to S's first NUL, so a payload may follow one ("file\0reason"). */
static void smallest_add(struct smallest *sm, const char *s, size_t len)
{
	size_t pos = sm->n;
	while (pos > 0 && strcmp(s, sm->v[pos - 1]) < 0)
		pos--;
	if (pos > 0 && !strcmp(s, sm->v[pos - 1]))
		return;
	if (pos >= sm->max)
		return;
	if (!sm->v)
		sm->v = ps_xcalloc(sm->max, sizeof(char *));
	if (sm->n == sm->max)
		free(sm->v[--sm->n]);
	memmove(sm->v + pos + 1, sm->v + pos, (sm->n - pos) * sizeof(char *));
	sm->v[pos] = ps_xmalloc(len + 1);
	memcpy(sm->v[pos], s, len);
	sm->v[pos][len] = '\0';
	sm->n++;
}

static void smallest_free(struct smallest *sm)
{
	for (size_t i = 0; i < sm->n; i++)
		free(sm->v[i]);
	free(sm->v);
}

struct entry {
	struct ps_triage_cluster c;     /* first: the public view */
	struct smallest examples;
	struct ps_vec days;             /* struct ps_triage_day, sorted */
	struct ps_vec versions;         /* const char * (interned), sorted */
};

struct ps_triage_set {
	struct entry **slots;           /* open addressing on the signature */
	size_t cap, n;
	struct ps_triage_cluster **sorted;
	bool sorted_ok;
	ps_intern *strs;                /* kinds, classes, frames, versions */
	uint64_t files, crashes, unparsed;
	struct smallest unparsed_kept;  /* "file\0reason" */
	const char **up_files, **up_reasons;
};

ps_triage_set *ps_triage_set_new(void)
{
	ps_triage_set *s = ps_xcalloc(1, sizeof(*s));
	s->cap = 64;
	s->slots = ps_xcalloc(s->cap, sizeof(*s->slots));
	s->strs = ps_intern_new();
	s->unparsed_kept.max = PS_TRIAGE_UNPARSED_KEEP;
	return s;
}

void ps_triage_set_free(ps_triage_set *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->cap; i++) {
		struct entry *e = s->slots[i];
		if (!e)
			continue;
		smallest_free(&e->examples);
		ps_vec_release(&e->days);
		ps_vec_release(&e->versions);
		free(e);
	}
	smallest_free(&s->unparsed_kept);
	free(s->slots);
	free(s->sorted);
	free(s->up_files);
	free(s->up_reasons);
	ps_intern_free(s->strs);
	free(s);
}

static const char *intern(ps_triage_set *s, const char *str)
{
	return str ? ps_intern_str(s->strs, str, strlen(str)) : NULL;
}

static void grow(ps_triage_set *s)
{
	size_t cap = s->cap * 2;
	struct entry **slots = ps_xcalloc(cap, sizeof(*slots));
	for (size_t i = 0; i < s->cap; i++) {
		struct entry *e = s->slots[i];
		if (!e)
			continue;
		size_t j = e->c.sig & (cap - 1);
		while (slots[j])
			j = (j + 1) & (cap - 1);
		slots[j] = e;
	}
	free(s->slots);
	s->slots = slots;
	s->cap = cap;
}

static struct entry *lookup(ps_triage_set *s, const struct ps_triage_crash *c)
{
	if ((s->n + 1) * 4 > s->cap * 3)
		grow(s);
	size_t j = c->sig & (s->cap - 1);
	while (s->slots[j] && s->slots[j]->c.sig != c->sig)
		j = (j + 1) & (s->cap - 1);
	if (s->slots[j])
		return s->slots[j];

	struct entry *e = ps_xcalloc(1, sizeof(*e));
	struct ps_triage_cluster *cl = &e->c;
	cl->sig = c->sig;
	snprintf(cl->id, sizeof(cl->id), "%016llx", (unsigned long long)c->sig);
	cl->kind = intern(s, c->kind);
	cl->msg_class = intern(s, c->msg_class);
	cl->msg_in_key = c->msg_in_key;
	for (size_t i = 0; i < c->n_frames && i < PS_TRIAGE_FRAMES; i++)
		cl->frames[i] = intern(s, c->frames[i]);
	cl->n_frames = c->n_frames < PS_TRIAGE_FRAMES ? c->n_frames : PS_TRIAGE_FRAMES;
	cl->first_seen = cl->last_seen = -1;
	cl->status = PS_TRIAGE_UNKNOWN;
	e->examples.max = PS_TRIAGE_EXAMPLES;
	ps_vec_init(&e->days, sizeof(struct ps_triage_day));
	ps_vec_init(&e->versions, sizeof(const char *));
	s->slots[j] = e;
	s->n++;
	return e;
}

static void add_day(struct entry *e, int64_t t)
{
	int64_t day = t >= 0 ? t / 86400 : -1;
	size_t i = e->days.len;
	struct ps_triage_day *d = e->days.data;
	while (i > 0 && d[i - 1].day > day)
		i--;
	if (i > 0 && d[i - 1].day == day) {
		d[i - 1].count++;
		return;
	}
	ps_vec_push(&e->days);
	d = e->days.data;
	memmove(d + i + 1, d + i, (e->days.len - 1 - i) * sizeof(*d));
	d[i] = (struct ps_triage_day){ .day = day, .count = 1 };
}

static void add_version(ps_triage_set *s, struct entry *e, const char *v)
{
	if (!v)
		return;
	v = intern(s, v);
	const char **vs = e->versions.data;
	size_t i = e->versions.len;
	while (i > 0 && strcmp(vs[i - 1], v) > 0)
		i--;
	if (i > 0 && vs[i - 1] == v)
		return;
	ps_vec_push(&e->versions);
	vs = e->versions.data;
	memmove(vs + i + 1, vs + i, (e->versions.len - 1 - i) * sizeof(*vs));
	vs[i] = v;
}

void ps_triage_set_add(ps_triage_set *s, const struct ps_triage_crash *c)
{
	struct entry *e = lookup(s, c);
	struct ps_triage_cluster *cl = &e->c;
	int64_t t = c->time >= 0 ? c->time : c->mtime;

	s->crashes++;
	s->sorted_ok = false;
	cl->count++;
	if (t >= 0 && (cl->first_seen < 0 || t < cl->first_seen))
		cl->first_seen = t;
	if (t >= 0 && t > cl->last_seen)
		cl->last_seen = t;
	/* the message class shown: the smallest seen, whatever the order */
	if (!cl->msg_in_key && c->msg_class && strcmp(c->msg_class, cl->msg_class) < 0)
		cl->msg_class = intern(s, c->msg_class);
	smallest_add(&e->examples, c->file, strlen(c->file));
	add_day(e, t);
	add_version(s, e, c->go_version);
}

void ps_triage_set_file(ps_triage_set *s)
{
	s->files++;
}

void ps_triage_set_unparsed(ps_triage_set *s, const char *file, const char *reason)
{
	size_t fl = strlen(file), rl = strlen(reason);
	char *buf = ps_xmalloc(fl + rl + 2);
	memcpy(buf, file, fl + 1);
	memcpy(buf + fl + 1, reason, rl + 1);
	smallest_add(&s->unparsed_kept, buf, fl + rl + 1);
	free(buf);
	s->unparsed++;
	s->files++;
	s->sorted_ok = false;
}

static int by_count(const void *pa, const void *pb)
{
	const struct ps_triage_cluster *a = *(const struct ps_triage_cluster *const *)pa;
	const struct ps_triage_cluster *b = *(const struct ps_triage_cluster *const *)pb;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return strcmp(a->id, b->id);
}

static void finish(ps_triage_set *s, struct entry *e)
{
	struct ps_triage_cluster *cl = &e->c;
	cl->examples = (const char **)e->examples.v;
	cl->n_examples = e->examples.n;
	cl->days = e->days.data;
	cl->n_days = e->days.len;
	cl->go_versions = e->versions.data;
	cl->n_go_versions = e->versions.len;
	if (!cl->title) {
		struct ps_arena *a = ps_intern_arena(s->strs);
		const char *f[PS_TRIAGE_FRAMES] = { "", "", "" };
		for (size_t i = 0; i < cl->n_frames; i++)
			f[i] = cl->frames[i];
		cl->title = ps_arena_printf(a, "%s: %s @ %s%s%s%s%s", cl->kind, cl->msg_class,
			cl->n_frames ? f[0] : "?", cl->n_frames > 1 ? " < " : "", f[1],
			cl->n_frames > 2 ? " < " : "", f[2]);
	}
}

struct ps_triage_cluster **ps_triage_clusters(ps_triage_set *s, size_t *n)
{
	if (!s->sorted_ok) {
		size_t k = 0;
		free(s->sorted);
		s->sorted = ps_xcalloc(s->n ? s->n : 1, sizeof(*s->sorted));
		for (size_t i = 0; i < s->cap; i++)
			if (s->slots[i]) {
				finish(s, s->slots[i]);
				s->sorted[k++] = &s->slots[i]->c;
			}
		qsort(s->sorted, k, sizeof(*s->sorted), by_count);
		s->sorted_ok = true;
	}
	*n = s->n;
	return s->sorted;
}

void ps_triage_totals(const ps_triage_set *cs, struct ps_triage_totals *t)
{
	ps_triage_set *s = (ps_triage_set *)cs;
	const struct smallest *u = &s->unparsed_kept;

	free(s->up_files);
	free(s->up_reasons);
	s->up_files = ps_xcalloc(u->n + 1, sizeof(char *));
	s->up_reasons = ps_xcalloc(u->n + 1, sizeof(char *));
	for (size_t i = 0; i < u->n; i++) {
		s->up_files[i] = u->v[i];
		s->up_reasons[i] = u->v[i] + strlen(u->v[i]) + 1;
	}
	t->files = s->files;
	t->crashes = s->crashes;
	t->unparsed = s->unparsed;
	t->unparsed_files = s->up_files;
	t->unparsed_reasons = s->up_reasons;
	t->n_unparsed_kept = u->n;
}

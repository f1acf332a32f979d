/* findings.c - the few patterns worth a line of their own: leaks,
 * deadlocks, mutex contention and concurrent map access.  Each looks at
 * the groups (few) and at most once more at every goroutine. */
#include "view_int.h"

#include <string.h>

/* Many goroutines or a long wait: below this it is normal traffic. */
#define LEAK_MIN_COUNT 10
#define LEAK_MIN_MINUTES 10
#define LEAK_ANY_WAIT_COUNT 1000
#define MAX_MUTEX_SITES 16
#define MAX_DEADLOCK_LINES 20
#define MAX_LEAK_SITES 32

const char *ps_view_finding_name(enum ps_view_finding_kind k)
{
	switch (k) {
	case PS_VIEW_FIND_LEAK: return "leak";
	case PS_VIEW_FIND_DEADLOCK: return "deadlock";
	case PS_VIEW_FIND_MUTEX: return "mutex contention";
	case PS_VIEW_FIND_MAP: return "concurrent map access";
	case PS_VIEW_FIND_TEST: return "hung test";
	}
	return "";
}

static struct ps_view_finding *add(struct ps_view *d, struct ps_vec *v,
			      enum ps_view_finding_kind kind, const struct ps_view_group *gr)
{
	struct ps_view_finding *f = ps_vec_push(v);
	f->kind = kind;
	f->group = gr;
	f->site = gr ? av_site(&d->paths, gr->rep) : NULL;
	f->count = gr ? gr->count : 0;
	f->n_groups = gr != NULL;
	return f;
}

/* "main.worker (main.go:12)" */
static const char *where(struct ps_view *d, const struct ps_frame *f)
{
	if (!f)
		return "an empty stack";
	enum ps_view_class c = av_class(&d->paths, f->func, f->file, f->kind);
	return ps_arena_printf(&d->arena, "%s (%s:%u)", f->func ? f->func : "?",
			       av_short_path(&d->paths, f->file, c), f->line);
}

static const char *plural(uint64_t n)
{
	return n == 1 ? "" : "s";
}

static bool has_prefix(const char *s, const char *pre)
{
	return s && strncmp(s, pre, strlen(pre)) == 0;
}

static bool lock_func(const char *func)
{
	return has_prefix(func, "sync.(*Mutex).") || has_prefix(func, "sync.(*RWMutex).") ||
	       has_prefix(func, "internal/sync.(*Mutex).");
}

static bool mutex_state(const char *state)
{
	return state && (strcmp(state, "sync.Mutex.Lock") == 0 ||
			 strcmp(state, "sync.RWMutex.Lock") == 0 ||
			 strcmp(state, "sync.RWMutex.RLock") == 0 ||
			 strcmp(state, "semacquire") == 0);
}

/* The frame that called Lock: just below the last sync lock frame. */
static const struct ps_frame *lock_caller(const struct ps_goroutine *g)
{
	const struct ps_frame *caller = NULL;
	for (size_t i = 0; i + 1 < g->stack.n_frames; i++)
		if (lock_func(g->stack.frames[i].func))
			caller = &g->stack.frames[i + 1];
	return caller;
}

/* Goroutines parked at one site, summed over the groups that share it
 * (recursion depths or callers below differ, the finding is the same):
 * one finding per (kind, state, site). */
struct site {
	enum ps_view_finding_kind kind;
	const char *state;                      /* interned */
	const struct ps_frame *frame;
	const struct ps_view_group *first;      /* the biggest: sorted first */
	uint64_t count;
	int wait_min, wait_max;
	size_t n_groups;
	struct ps_vec members;                  /* deadlock: every goroutine */
};

struct sites {
	struct ps_map map;                      /* site key -> struct site */
	struct ps_vec order;                    /* struct site *, first seen */
	struct ps_arena arena;
};

static bool same_site(const void *value, const void *key)
{
	const struct site *a = value, *b = key;
	return a->kind == b->kind && a->state == b->state &&
	       a->frame->func == b->frame->func && a->frame->file == b->frame->file &&
	       a->frame->line == b->frame->line;
}

static void site_add(struct sites *ss, enum ps_view_finding_kind kind,
		     const struct ps_view_group *gr, const struct ps_frame *frame)
{
	struct site key = { .kind = kind, .state = gr->rep->state, .frame = frame };
	uint64_t h = ps_hash_bytes(&key.state, sizeof(key.state), kind);
	h = ps_hash_bytes(&frame->func, sizeof(frame->func), h);
	h = ps_hash_bytes(&frame->file, sizeof(frame->file), h);
	h = ps_hash_bytes(&frame->line, sizeof(frame->line), h);
	void **slot = ps_map_slot(&ss->map, h, same_site, &key);
	struct site *st = *slot;

	if (!st) {
		st = ps_arena_calloc(&ss->arena, sizeof(*st));
		*st = key;
		st->first = gr;
		st->wait_min = st->wait_max = -1;
		ps_vec_init(&st->members, sizeof(const struct ps_goroutine *));
		*(struct site **)ps_vec_push(&ss->order) = st;
		*slot = st;
	}
	st->count += gr->count;
	st->n_groups++;
	for (size_t i = 0; kind == PS_VIEW_FIND_DEADLOCK && i < gr->n_members; i++)
		*(const struct ps_goroutine **)ps_vec_push(&st->members) = gr->members[i];
	if (gr->wait_min >= 0 && (st->wait_min < 0 || gr->wait_min < st->wait_min))
		st->wait_min = gr->wait_min;
	if (gr->wait_max > st->wait_max)
		st->wait_max = gr->wait_max;
}

static bool leak_candidate(const struct ps_view_group *gr)
{
	return !gr->crashed && gr->cls != PS_VIEW_STD && ps_view_state_blocked(gr->rep->state) &&
	       !(mutex_state(gr->rep->state) && lock_caller(gr->rep));
}

/* " for 12 minutes", " for 3-12 minutes" or "" */
static const char *wait_text(struct ps_view *d, const struct site *st)
{
	if (st->wait_max < 0)
		return "";
	if (st->wait_min == st->wait_max)
		return ps_arena_printf(&d->arena, " for %d minute%s", st->wait_max,
				       plural((uint64_t)st->wait_max));
	return ps_arena_printf(&d->arena, " for %d-%d minutes", st->wait_min, st->wait_max);
}

static const char *groups_text(struct ps_view *d, const struct site *st)
{
	return st->n_groups < 2 ? "" :
	       ps_arena_printf(&d->arena, " (%zu groups)", st->n_groups);
}

/* Which goroutine holds a sync.Mutex cannot be read from a traceback:
 * the holder's stack may be anywhere (the lock outlives the call that
 * took it), and a goroutine running in the same function may be past
 * Unlock.  So the finding never names one. */
static void mutex_message(struct ps_view *d, struct ps_view_finding *f,
			  const struct site *st)
{
	f->message = ps_arena_printf(&d->arena,
		"mutex contention: %llu goroutine%s wait%s in %s%s at %s%s; "
		"the holder is not visible in the dump",
		(unsigned long long)st->count, plural(st->count),
		st->count == 1 ? "s" : "", st->state, wait_text(d, st),
		where(d, st->frame), groups_text(d, st));
}

static void leak_message(struct ps_view *d, struct ps_view_finding *f,
			 const struct site *st)
{
	f->message = ps_arena_printf(&d->arena,
		"possible goroutine leak: %llu goroutine%s blocked in %s%s at %s%s",
		(unsigned long long)st->count, plural(st->count), st->state,
		wait_text(d, st), where(d, st->frame), groups_text(d, st));
}

static void deadlock_message(struct ps_view *d, struct ps_view_finding *f,
			     const struct site *st)
{
	const char *ids = ps_view_id_ranges(&d->arena, st->members.data,
					    st->members.len, 8);
	f->message = ps_arena_printf(&d->arena,
		"deadlock: goroutine%s %s wait%s in %s at %s",
		plural(st->count), ids, st->count == 1 ? "s" : "",
		st->state ? st->state : "?", where(d, st->frame));
}

static bool leak_worth(const struct site *st)
{
	return st->count >= LEAK_ANY_WAIT_COUNT ||
	       (st->count >= LEAK_MIN_COUNT && st->wait_min >= LEAK_MIN_MINUTES);
}

static bool deadlocked(const struct ps_view *d)
{
	const char *msg = d->dump->message;
	return msg && strstr(msg, "all goroutines are asleep");
}

/* In a deadlock every waiting goroutine is part of it: one finding per
 * site says where.  Otherwise mutex waiters by the frame that called
 * Lock, and other blocked groups of the program's code by their site,
 * kept when many or long-waiting. */
static void find_waits(struct ps_view *d, struct ps_vec *v)
{
	struct sites ss = { 0 };
	const struct ps_frame *fr;
	size_t n_mutex = 0, n_leak = 0, n_dead = 0;
	bool dead = deadlocked(d);

	ps_vec_init(&ss.order, sizeof(struct site *));
	for (size_t i = 0; i < d->n_groups; i++) {
		const struct ps_view_group *gr = &d->groups[i];
		if (dead && gr->rep->has_header && (fr = av_site(&d->paths, gr->rep)))
			site_add(&ss, PS_VIEW_FIND_DEADLOCK, gr, fr);
		else if (dead)
			continue;
		else if (mutex_state(gr->rep->state) && (fr = lock_caller(gr->rep)))
			site_add(&ss, PS_VIEW_FIND_MUTEX, gr, fr);
		else if (leak_candidate(gr) && (fr = av_site(&d->paths, gr->rep)))
			site_add(&ss, PS_VIEW_FIND_LEAK, gr, fr);
	}
	for (size_t k = 0; k < ss.order.len; k++) {
		const struct site *st = *(struct site **)ps_vec_at(&ss.order, k);
		if (st->kind == PS_VIEW_FIND_DEADLOCK ? n_dead++ >= MAX_DEADLOCK_LINES :
		    st->kind == PS_VIEW_FIND_LEAK ?
		    !leak_worth(st) || n_leak++ >= MAX_LEAK_SITES :
		    n_mutex++ >= MAX_MUTEX_SITES)
			continue;
		struct ps_view_finding *f = add(d, v, st->kind, st->first);
		f->site = st->frame;
		f->count = st->count;
		f->n_groups = st->n_groups;
		if (st->kind == PS_VIEW_FIND_MUTEX)
			mutex_message(d, f, st);
		else if (st->kind == PS_VIEW_FIND_DEADLOCK)
			deadlock_message(d, f, st);
		else
			leak_message(d, f, st);
	}
	for (size_t k = 0; k < ss.order.len; k++)
		ps_vec_release(&(*(struct site **)ps_vec_at(&ss.order, k))->members);
	ps_map_release(&ss.map);
	ps_vec_release(&ss.order);
	ps_arena_release(&ss.arena);
}

static bool map_func(const char *func)
{
	return has_prefix(func, "runtime.map") || has_prefix(func, "internal/runtime/maps.");
}

static bool in_map_code(const struct ps_goroutine *g)
{
	for (size_t j = 0; j < g->stack.n_frames; j++)
		if (map_func(g->stack.frames[j].func))
			return true;
	return false;
}

/* The other party of "concurrent map writes": only a goroutine the dump
 * shows inside map code is evidence (one running in the same function
 * may be anywhere else in it). */
static const struct ps_goroutine *map_other(struct ps_view *d,
					    const struct ps_goroutine *crashed)
{
	for (size_t i = 0; i < d->n_gs; i++) {
		const struct ps_goroutine *g = d->gs[i];
		if (g != crashed && g->has_header && in_map_code(g))
			return g;
	}
	return NULL;
}

static void find_map(struct ps_view *d, struct ps_vec *v)
{
	const char *msg = d->dump->message;
	const struct ps_view_group *gr = NULL;

	if (!msg || !strstr(msg, "concurrent map"))
		return;
	for (size_t i = 0; i < d->n_groups && !gr; i++)
		if (d->groups[i].crashed)
			gr = &d->groups[i];
	if (!gr)
		return;
	struct ps_view_finding *f = add(d, v, PS_VIEW_FIND_MAP, gr);
	f->other = map_other(d, gr->rep);
	f->count = 1 + (f->other != NULL);
	f->n_groups = 1;
	f->other_site = f->other ? av_site(&d->paths, f->other) : NULL;
	const char *other = !f->other ?
		"; the other goroutine is not visible in the dump" :
		ps_arena_printf(&d->arena, " and goroutine %llu at %s",
				(unsigned long long)f->other->id, where(d, f->other_site));
	f->message = ps_arena_printf(&d->arena, "%s: goroutine %llu at %s%s", msg,
				     (unsigned long long)gr->rep->id, where(d, f->site),
				     other);
}

/* Length of the top-level test name in "TestA/sub (10m0s)". */
static size_t test_name_len(const char *t)
{
	size_t n = strcspn(t, " /");
	return n;
}

/* Does FUNC ("pkg.TestA" or "pkg.TestA.func1") belong to test T? */
static bool test_func(const char *func, const char *t, size_t n)
{
	const char *dot = func ? strrchr(func, '.') : NULL;
	for (; dot; dot = dot > func ? memrchr(func, '.', (size_t)(dot - func)) : NULL) {
		if (strncmp(dot + 1, t, n) == 0 && (dot[1 + n] == '\0' || dot[1 + n] == '.'))
			return true;
		if (dot == func)
			break;
	}
	return false;
}

static void hung_test(struct ps_view *d, struct ps_vec *v, const struct ps_view_group *gr,
		      const char *name)
{
	struct ps_view_finding *f = add(d, v, PS_VIEW_FIND_TEST, gr);
	f->message = ps_arena_printf(&d->arena, "test %s: goroutine %llu [%s] at %s", name,
				     (unsigned long long)gr->rep->id,
				     gr->rep->state ? gr->rep->state : "?", where(d, f->site));
}

/* Before Go 1.20 a timeout does not list the running tests: a test is
 * the frame just above testing.tRunner. */
static void find_test_runners(struct ps_view *d, struct ps_vec *v)
{
	size_t found = 0;

	for (size_t i = 0; i < d->n_groups && found < MAX_DEADLOCK_LINES; i++) {
		const struct ps_stack *st = &d->groups[i].rep->stack;
		for (size_t j = 1; j < st->n_frames; j++) {
			const char *fn = st->frames[j].func, *test = st->frames[j - 1].func;
			if (!fn || strcmp(fn, "testing.tRunner") != 0 || !test)
				continue;
			const char *dot = strrchr(test, '.');
			if (dot && strncmp(dot + 1, "Test", 4) == 0) {
				hung_test(d, v, &d->groups[i], dot + 1);
				found++;
			}
			break;
		}
	}
}

/* A go test timeout lists the tests that were running: say where the
 * goroutine of each one is stuck. */
static void find_hung_tests(struct ps_view *d, struct ps_vec *v)
{
	const struct ps_dump *dump = d->dump;

	for (size_t t = 0; t < dump->n_running_tests && t < MAX_DEADLOCK_LINES; t++) {
		const char *name = dump->running_tests[t];
		size_t n = test_name_len(name);
		for (size_t i = 0; n && i < d->n_groups; i++) {
			const struct ps_view_group *gr = &d->groups[i];
			const struct ps_stack *st = &gr->rep->stack;
			size_t j = 0;
			while (j < st->n_frames && !test_func(st->frames[j].func, name, n))
				j++;
			if (j == st->n_frames)
				continue;
			hung_test(d, v, gr, name);
			break;
		}
	}
	if (!dump->n_running_tests && dump->message &&
	    strncmp(dump->message, "test timed out", 14) == 0)
		find_test_runners(d, v);
}

void av_find(struct ps_view *d)
{
	struct ps_vec v;

	ps_vec_init(&v, sizeof(struct ps_view_finding));
	find_map(d, &v);
	find_hung_tests(d, &v);
	find_waits(d, &v);
	d->findings = ps_vec_finish(&v, &d->arena, &d->n_findings);
	ps_vec_release(&v);
}

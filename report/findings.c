/* findings.c - the few patterns worth a line of their own: leaks,
 * deadlocks, mutex contention and concurrent map access.  Each looks at
 * the groups (few) and at most once more at every goroutine. */
#include "report_int.h"

#include <string.h>

/* Many goroutines or a long wait: below this it is normal traffic. */
#define LEAK_MIN_COUNT 10
#define LEAK_MIN_MINUTES 10
#define LEAK_ANY_WAIT_COUNT 1000
#define MAX_MUTEX_SITES 16
#define MAX_DEADLOCK_LINES 20
#define MAX_LEAK_SITES 32

const char *rp_finding_name(enum rp_finding_kind k)
{
	switch (k) {
	case RP_FIND_LEAK: return "leak";
	case RP_FIND_DEADLOCK: return "deadlock";
	case RP_FIND_MUTEX: return "mutex contention";
	case RP_FIND_MAP: return "concurrent map access";
	case RP_FIND_TEST: return "hung test";
	}
	return "";
}

static struct rp_finding *add(struct rp_dump *d, struct ps_vec *v,
			      enum rp_finding_kind kind, const struct rp_group *gr)
{
	struct rp_finding *f = ps_vec_push(v);
	f->kind = kind;
	f->group = gr;
	f->site = gr ? rp_site(&d->paths, gr->rep) : NULL;
	return f;
}

/* "main.worker (main.go:12)" */
static const char *where(struct rp_dump *d, const struct ps_frame *f)
{
	if (!f)
		return "an empty stack";
	enum rp_class c = rp_frame_class(&d->paths, f->func, f->file, f->kind);
	return ps_arena_printf(&d->arena, "%s (%s:%u)", f->func ? f->func : "?",
			       rp_short_path(&d->paths, f->file, c), f->line);
}

static const char *plural(uint64_t n)
{
	return n == 1 ? "" : "s";
}

static void find_deadlock(struct rp_dump *d, struct ps_vec *v)
{
	const char *msg = d->dump->message;
	size_t shown = 0;

	if (!msg || !strstr(msg, "all goroutines are asleep"))
		return;
	for (size_t i = 0; i < d->n_groups && shown < MAX_DEADLOCK_LINES; i++) {
		const struct rp_group *gr = &d->groups[i];
		if (!gr->rep->has_header)
			continue;
		struct rp_finding *f = add(d, v, RP_FIND_DEADLOCK, gr);
		struct rp_buf ids = { 0 };
		rp_id_ranges(&ids, gr->members, gr->n_members, 8);
		f->message = ps_arena_printf(&d->arena,
			"deadlock: goroutine%s %s wait%s in %s at %s",
			plural(gr->count), rp_buf_cstr(&ids),
			gr->count == 1 ? "s" : "", gr->rep->state ? gr->rep->state : "?",
			where(d, f->site));
		rp_buf_release(&ids);
		shown++;
	}
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

struct mutex_site {
	struct rp_finding *f;
	const char *func;
	int rank;               /* of the best holder found: lower is better */
};

static int holder_rank(const struct ps_goroutine *g)
{
	if (!rp_state_blocked(g->state))
		return g->state && strcmp(g->state, "running") == 0 ? 0 : 1;
	return mutex_state(g->state) ? 3 : 2;
}

/* One pass over every goroutine: who is inside a function that others
 * wait to lock in?  Running goroutines are the likely holders. */
static void find_holders(struct rp_dump *d, struct mutex_site *s, size_t n)
{
	const char *state = NULL;
	bool waiting = false;

	for (size_t i = 0; n && i < d->n_gs; i++) {
		const struct ps_goroutine *g = d->gs[i];
		/* states are interned: decide once per run of equal states */
		if (g->state != state || i == 0) {
			state = g->state;
			waiting = mutex_state(state);
		}
		if (waiting && lock_caller(g))
			continue;
		for (size_t j = 0; j < g->stack.n_frames; j++) {
			const struct ps_frame *fr = &g->stack.frames[j];
			for (size_t k = 0; k < n; k++) {
				if (fr->func != s[k].func)
					continue;
				int r = holder_rank(g);
				if (r >= s[k].rank)
					continue;
				s[k].rank = r;
				s[k].f->other = g;
				s[k].f->other_site = fr;
			}
		}
	}
}

static void find_mutex(struct rp_dump *d, struct ps_vec *v)
{
	struct mutex_site sites[MAX_MUTEX_SITES];
	size_t n = 0;

	for (size_t i = 0; i < d->n_groups && n < MAX_MUTEX_SITES; i++) {
		const struct rp_group *gr = &d->groups[i];
		const struct ps_frame *caller;
		if (!mutex_state(gr->rep->state) || !(caller = lock_caller(gr->rep)))
			continue;
		sites[n].f = add(d, v, RP_FIND_MUTEX, gr);
		sites[n].f->site = caller;
		sites[n].func = caller->func;
		sites[n].rank = 4;
		n++;
	}
	/* the vector may have moved while adding: take the pointers again */
	for (size_t k = 0; k < n; k++)
		sites[k].f = ps_vec_at(v, v->len - n + k);
	find_holders(d, sites, n);
	for (size_t k = 0; k < n; k++) {
		struct rp_finding *f = sites[k].f;
		const char *holder = !f->other ?
			"; no other goroutine is inside it in this dump" :
			ps_arena_printf(&d->arena, "; goroutine %llu [%s] is inside it at %s",
					(unsigned long long)f->other->id, f->other->state,
					where(d, f->other_site));
		f->message = ps_arena_printf(&d->arena,
			"mutex contention: %llu goroutine%s wait%s in %s for a lock taken in %s%s",
			(unsigned long long)f->group->count, plural(f->group->count),
			f->group->count == 1 ? "s" : "", f->group->rep->state,
			where(d, f->site), holder);
	}
}

/* Goroutines parked at one site, summed over the groups that share it
 * (recursion depths or callers differ, the leak is the same). */
struct leak {
	const struct rp_group *first;   /* the biggest group: sorted first */
	const struct ps_frame *site;
	uint64_t count;
	int wait_min, wait_max;
	size_t n_groups;
};

static bool leak_candidate(const struct rp_group *gr)
{
	return !gr->crashed && gr->cls != RP_STD && rp_state_blocked(gr->rep->state) &&
	       !(mutex_state(gr->rep->state) && lock_caller(gr->rep));
}

static struct leak *leak_slot(struct rp_dump *d, struct ps_vec *acc,
			      const struct rp_group *gr)
{
	const struct ps_frame *site = rp_site(&d->paths, gr->rep);

	for (size_t k = 0; k < acc->len; k++) {
		struct leak *l = ps_vec_at(acc, k);
		if (l->first->rep->state == gr->rep->state && l->site && site &&
		    l->site->func == site->func && l->site->line == site->line &&
		    l->site->file == site->file)
			return l;
	}
	if (acc->len >= MAX_LEAK_SITES)
		return NULL;
	struct leak *l = ps_vec_push(acc);
	l->first = gr;
	l->site = site;
	l->wait_min = l->wait_max = -1;
	return l;
}

static void leak_message(struct rp_dump *d, struct ps_vec *v, const struct leak *l)
{
	struct rp_finding *f = add(d, v, RP_FIND_LEAK, l->first);
	const char *wait = l->wait_max < 0 ? "" : l->wait_min == l->wait_max ?
		ps_arena_printf(&d->arena, " for %d minutes", l->wait_max) :
		ps_arena_printf(&d->arena, " for %d-%d minutes", l->wait_min, l->wait_max);
	const char *groups = l->n_groups < 2 ? "" :
		ps_arena_printf(&d->arena, " (%zu groups)", l->n_groups);

	f->site = l->site;
	f->message = ps_arena_printf(&d->arena,
		"possible goroutine leak: %llu goroutines blocked in %s%s at %s%s",
		(unsigned long long)l->count, l->first->rep->state, wait,
		where(d, l->site), groups);
}

static void find_leaks(struct rp_dump *d, struct ps_vec *v)
{
	struct ps_vec acc;

	ps_vec_init(&acc, sizeof(struct leak));
	for (size_t i = 0; i < d->n_groups; i++) {
		const struct rp_group *gr = &d->groups[i];
		struct leak *l;
		if (!leak_candidate(gr) || !(l = leak_slot(d, &acc, gr)))
			continue;
		l->count += gr->count;
		l->n_groups++;
		if (gr->wait_min >= 0 && (l->wait_min < 0 || gr->wait_min < l->wait_min))
			l->wait_min = gr->wait_min;
		if (gr->wait_max > l->wait_max)
			l->wait_max = gr->wait_max;
	}
	for (size_t k = 0; k < acc.len; k++) {
		const struct leak *l = ps_vec_at(&acc, k);
		if (l->count >= LEAK_ANY_WAIT_COUNT ||
		    (l->count >= LEAK_MIN_COUNT && l->wait_min >= LEAK_MIN_MINUTES))
			leak_message(d, v, l);
	}
	ps_vec_release(&acc);
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

/* The other party of "concurrent map writes": a goroutine inside map
 * code, else one running in the crashed goroutine's own function. */
static const struct ps_goroutine *map_other(struct rp_dump *d,
					    const struct ps_goroutine *crashed,
					    const struct ps_frame *site)
{
	const struct ps_goroutine *running = NULL;

	for (size_t i = 0; i < d->n_gs; i++) {
		const struct ps_goroutine *g = d->gs[i];
		if (g == crashed || !g->has_header)
			continue;
		if (in_map_code(g))
			return g;
		for (size_t j = 0; !running && site && j < g->stack.n_frames; j++)
			if (g->stack.frames[j].func == site->func &&
			    !rp_state_blocked(g->state))
				running = g;
	}
	return running;
}

static void find_map(struct rp_dump *d, struct ps_vec *v)
{
	const char *msg = d->dump->message;
	const struct rp_group *gr = NULL;

	if (!msg || !strstr(msg, "concurrent map"))
		return;
	for (size_t i = 0; i < d->n_groups && !gr; i++)
		if (d->groups[i].crashed)
			gr = &d->groups[i];
	if (!gr)
		return;
	struct rp_finding *f = add(d, v, RP_FIND_MAP, gr);
	f->other = map_other(d, gr->rep, f->site);
	f->other_site = f->other ? rp_site(&d->paths, f->other) : NULL;
	const char *other = !f->other ?
		"; the other goroutine's stack is not in the dump (GOTRACEBACK=all shows it)" :
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

static void hung_test(struct rp_dump *d, struct ps_vec *v, const struct rp_group *gr,
		      const char *name)
{
	struct rp_finding *f = add(d, v, RP_FIND_TEST, gr);
	f->message = ps_arena_printf(&d->arena, "test %s: goroutine %llu [%s] at %s", name,
				     (unsigned long long)gr->rep->id,
				     gr->rep->state ? gr->rep->state : "?", where(d, f->site));
}

/* Before Go 1.20 a timeout does not list the running tests: a test is
 * the frame just above testing.tRunner. */
static void find_test_runners(struct rp_dump *d, struct ps_vec *v)
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
static void find_hung_tests(struct rp_dump *d, struct ps_vec *v)
{
	const struct ps_dump *dump = d->dump;

	for (size_t t = 0; t < dump->n_running_tests && t < MAX_DEADLOCK_LINES; t++) {
		const char *name = dump->running_tests[t];
		size_t n = test_name_len(name);
		for (size_t i = 0; n && i < d->n_groups; i++) {
			const struct rp_group *gr = &d->groups[i];
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

void rp_find(struct rp_dump *d)
{
	struct ps_vec v;

	ps_vec_init(&v, sizeof(struct rp_finding));
	find_map(d, &v);
	find_hung_tests(d, &v);
	find_deadlock(d, &v);
	find_mutex(d, &v);
	find_leaks(d, &v);
	d->findings = ps_vec_finish(&v, &d->arena, &d->n_findings);
	ps_vec_release(&v);
}

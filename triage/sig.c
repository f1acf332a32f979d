/* sig.c - the signature of one crash: kind, message class and the top
 * application frames of the crashing goroutine (docs/triage.md). */
#include "triage_int.h"

#include <ctype.h>

/* Kinds the runtime's message names; for these the message adds
 * nothing stable (Go 1.12 prints "index out of range", 1.13+ adds the
 * index and length), so it stays out of the key. */
static const struct {
	const char *needle, *kind;
} kinds[] = {
	{ "nil pointer dereference", "nil pointer dereference" },
	{ "index out of range", "index out of range" },
	{ "slice bounds out of range", "slice bounds out of range" },
	{ "assignment to entry in nil map", "nil map write" },
	{ "concurrent map", "concurrent map access" },
	{ "integer divide by zero", "division by zero" },
	{ "integer overflow", "integer overflow" },
	{ "interface conversion", "type assertion" },
	{ "- deadlock!", "deadlock" },
	{ "stack overflow", "stack overflow" },
	{ "out of memory", "out of memory" },
	{ "test timed out", "test timeout" },
	{ "close of closed channel", "close of closed channel" },
	{ "close of nil channel", "close of nil channel" },
	{ "send on closed channel", "send on closed channel" },
	{ "unexpected fault address", "fault" },
};

/* The message of the panic that started it: a re-panic's bug belongs to
 * the first panic. */
static const char *first_message(const struct ps_dump *d)
{
	if (d->n_panics && d->panics[0].message)
		return d->panics[0].message;
	return d->message ? d->message : "";
}

/* A signal someone sent (kill -ABRT, -QUIT, -TERM), not a fault: the
 * goroutine it landed on is chance, not the bug. */
static bool async_signal(const struct ps_dump *d)
{
	static const char *const sent[] = { "SIGQUIT", "SIGABRT", "SIGTERM", "SIGINT",
					    "SIGHUP", "SIGUSR1", "SIGUSR2" };
	if (!d->signal || !d->signal->name)
		return false;
	for (size_t i = 0; i < sizeof(sent) / sizeof(sent[0]); i++)
		if (!strcmp(d->signal->name, sent[i]))
			return true;
	return false;
}

static const char *kind_of(const struct ps_dump *d, const char *msg, bool *msg_in_key,
			   struct ps_arena *a)
{
	*msg_in_key = false;
	switch (d->kind) {
	case PS_DUMP_RACE: return "data race";
	case PS_DUMP_TIMEOUT: return "test timeout";
	case PS_DUMP_GOROUTINES: return "goroutine dump";
	case PS_DUMP_SIGQUIT:
		return d->signal && d->signal->name && strcmp(d->signal->name, "SIGQUIT") ?
		       ps_arena_printf(a, "%s dump", d->signal->name) : "SIGQUIT dump";
	default: break;
	}
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strstr(msg, kinds[i].needle))
			return kinds[i].kind;
	if (!strcmp(msg, "fault"))
		return "fault";
	/* "unexpected signal during runtime execution" (some releases, for
	 * cgo faults) says no more than the signal line does */
	if (d->signal && d->signal->name && (!*msg || strstr(msg, "unexpected signal")))
		return async_signal(d) ? ps_arena_printf(a, "%s dump", d->signal->name) :
		       ps_arena_printf(a, "signal %s", d->signal->name);
	*msg_in_key = true;
	if (d->kind == PS_DUMP_PANIC)
		return "panic";
	if (d->kind == PS_DUMP_FATAL)
		return "fatal error";
	return "signal";
}

/* Packages that are plumbing, never the bug: the runtime (and its
 * internal packages), runtime/debug, testing, panic itself. */
static bool plumbing(const char *func)
{
	static const char *const pre[] = { "runtime.", "runtime/", "testing.",
					   "internal/", "panic(" };
	if (!strcmp(func, "panic") || !strcmp(func, "runtime.gopanic"))
		return true;
	for (size_t i = 0; i < sizeof(pre) / sizeof(pre[0]); i++)
		if (!strncmp(func, pre[i], strlen(pre[i])))
			return true;
	return false;
}

static bool is_panic_frame(const char *func)
{
	return !strcmp(func, "panic") || !strcmp(func, "runtime.gopanic");
}

static bool app_frame(const struct tri_view *v, const struct ps_triage_opts *o,
		      const struct ps_frame *f)
{
	if (!f->func || plumbing(f->func))
		return false;
	if (!o->n_app)
		return tri_view_is_user(v, f);
	for (size_t i = 0; i < o->n_app; i++) {
		/* a whole path element: "example.com/app" is not "example.com/apple" */
		size_t k = strlen(o->app[i]);
		char next = f->func[k < strlen(f->func) ? k : strlen(f->func)];
		if (k && !strncmp(f->func, o->app[i], k) &&
		    (o->app[i][k - 1] == '/' || next == '/' || next == '.'))
			return true;
	}
	return false;
}

enum pass { APP, NOT_PLUMBING, ANY };

/* The wrapper a go statement runs (main.main.func11 in Go 1.17-1.21,
 * gowrapN after): the last frame, a closure, at the go statement's own
 * line.  Skipped, since only some releases print it. */
static bool go_wrapper(const struct ps_goroutine *g, size_t i, struct ps_arena *a)
{
	const struct ps_stack *st = &g->stack;
	const struct ps_frame *f = &st->frames[i];
	const struct ps_created_by *cb = g->created_by;
	size_t last = st->n_frames;
	if (last && st->frames[last - 1].func &&
	    !strncmp(st->frames[last - 1].func, "runtime.goexit", 14))
		last--;
	if (!(cb && i + 1 == last && f->line && f->line == cb->line && f->file && cb->file &&
	      !strcmp(f->file, cb->file)))
		return false;
	struct ps_funcname name;
	ps_parse_funcname(f->func, strlen(f->func), a, &name);
	return *name.closure;
}

static size_t collect(const struct tri_view *v, const struct ps_triage_opts *o,
		      const struct ps_goroutine *g, size_t from, enum pass p,
		      struct ps_arena *a, const char **out, size_t max)
{
	const struct ps_stack *st = &g->stack;
	/* frames after an elision are the stack's bottom, not its top (and
	 * where the cut falls differs between releases) */
	size_t end = st->elided && st->elided_at < st->n_frames ? st->elided_at : st->n_frames;
	size_t n = 0;
	for (size_t i = from; i < end && n < max; i++) {
		const struct ps_frame *f = &st->frames[i];
		if (!f->func || go_wrapper(g, i, a) || (p == APP && !app_frame(v, o, f)) ||
		    (p == NOT_PLUMBING && plumbing(f->func)))
			continue;
		const char *name = ps_triage_frame_name(f->func, f->file, a);
		if (name && (!n || strcmp(out[n - 1], name)))
			out[n++] = name;
	}
	return n;
}

/* Up to MAX normalised names of G's frames from the last panic( on
 * (a re-panic through a recover wrapper is cut there), the strictest
 * pass that finds any: application frames, else frames that are not
 * plumbing, else (LAST: ANY, the crashing goroutine; NOT_PLUMBING for
 * a goroutine picked as the dominant waiter, whose runtime frames
 * differ between releases) any; consecutive repeats (a value method and
 * its pointer wrapper, recursion) count once.  Nothing below the
 * panic(: the whole stack. */
static size_t top_frames(const struct tri_view *v, const struct ps_triage_opts *o,
			 const struct ps_goroutine *g, enum pass last, struct ps_arena *a,
			 const char **out, size_t max)
{
	const struct ps_stack *st = &g->stack;
	size_t from = 0, n = 0;

	for (size_t i = 0; i < st->n_frames; i++)
		if (st->frames[i].func && is_panic_frame(st->frames[i].func))
			from = i + 1;
	for (int p = APP; p <= (int)last && !n; p++)
		n = collect(v, o, g, from, (enum pass)p, a, out, max);
	for (int p = APP; p <= (int)last && !n && from; p++)
		n = collect(v, o, g, 0, (enum pass)p, a, out, max);
	return n;
}

/* Race reports: the first application frame of each access, sorted, so
 * which goroutine came first does not matter. */
static size_t race_sites(const struct tri_view *v, const struct ps_triage_opts *o,
			 const struct ps_dump *d, struct ps_arena *a, const char **out)
{
	size_t n = 0;
	for (size_t i = 0; i < d->n_goroutines && n < 2; i++) {
		const struct ps_goroutine *g = &d->goroutines[i];
		const char *role = ps_goroutine_role(g);
		if (!strstr(role, " at 0x") || strstr(role, "created at"))
			continue;
		if (top_frames(v, o, g, ANY, a, &out[n], 1))
			n++;
	}
	if (n == 2 && strcmp(out[0], out[1]) > 0) {
		const char *t = out[0];
		out[0] = out[1], out[1] = t;
	}
	return n;
}

/* The GOROOT path names the release on many installs: ".../go1.22.12/
 * src/runtime", "toolchain@v0.0.1-go1.22.12.linux-amd64", "go-1.19". */
static const char *go_version(const struct ps_dump *d, struct ps_arena *a)
{
	for (size_t i = 0; i < d->n_goroutines; i++) {
		const struct ps_stack *st = &d->goroutines[i].stack;
		for (size_t j = 0; j < st->n_frames; j++) {
			const char *file = st->frames[j].file, *end, *p;
			if (!file || !(end = strstr(file, "/src/runtime/")))
				continue;
			for (p = end; p > file; p--) {
				const char *q = p - 1;
				if (q - file >= 2 && q[-2] == 'g' && q[-1] == 'o' &&
				    (q[0] == '1' || (q[0] == '-' && q[1] == '1'))) {
					const char *s = q[0] == '-' ? q + 1 : q;
					size_t k = 0;
					while (s + k < end && (isdigit((unsigned char)s[k]) ||
							       s[k] == '.'))
						k++;
					while (k && s[k - 1] == '.')
						k--;
					return ps_arena_printf(a, "go%.*s", (int)k, s);
				}
			}
			return NULL;
		}
	}
	return NULL;
}

uint64_t ps_triage_hash(const struct ps_triage_crash *c)
{
	uint64_t h = ps_hash_bytes(PS_TRIAGE_RECIPE, sizeof(PS_TRIAGE_RECIPE), PS_HASH_SEED);
	h = ps_hash_bytes(c->kind, strlen(c->kind) + 1, h);
	if (c->msg_in_key)
		h = ps_hash_bytes(c->msg_class, strlen(c->msg_class) + 1, h);
	h = ps_hash_bytes("|", 1, h);
	for (size_t i = 0; i < c->n_frames; i++)
		h = ps_hash_bytes(c->frames[i], strlen(c->frames[i]) + 1, h);
	/* FNV's low bits mix poorly: finish with a 64-bit avalanche */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

/* The frames of the key: both sites of a race; the crashing goroutine's
 * top application frames; with no crashing goroutine (SIGQUIT, deadlock,
 * timeout, a sent signal, a profile) those of where most of the program
 * waits. */
static size_t key_frames(const struct tri_view *v, const struct ps_triage_opts *o,
			 const struct ps_dump *d, const char *kind, const char *msg,
			 struct ps_arena *a, const char **out)
{
	const struct ps_goroutine *g = tri_view_crashed(v);
	enum pass last = ANY;
	size_t n = 0;

	if (d->kind == PS_DUMP_RACE && (n = race_sites(v, o, d, a, out)))
		return n;
	if (!g || d->kind == PS_DUMP_SIGQUIT || d->kind == PS_DUMP_TIMEOUT ||
	    d->kind == PS_DUMP_GOROUTINES || (async_signal(d) && !*msg) ||
	    !strcmp(kind, "test timeout")) {
		const struct ps_goroutine *w = tri_view_dominant(v);
		if (w)
			g = w, last = NOT_PLUMBING;
	}
	return g ? top_frames(v, o, g, last, a, out, PS_TRIAGE_FRAMES) : 0;
}

void ps_triage_sign(const struct ps_doc *doc, size_t index, const struct ps_triage_opts *o,
		    struct ps_arena *a, struct ps_triage_crash *c)
{
	const struct ps_dump *d = doc->dumps[index];
	struct tri_view *v = tri_view_new(doc, index, a);
	const char *msg = first_message(d);

	c->message = msg;
	c->msg_class = ps_triage_msg_class(msg, a);
	c->kind = kind_of(d, msg, &c->msg_in_key, a);
	c->go_version = go_version(d, a);
	c->n_frames = v ? key_frames(v, o, d, c->kind, msg, a, c->frames) : 0;
	/* no frame at all (Go printed none): the message is all there is */
	if (!c->n_frames)
		c->msg_in_key = true;
	c->sig = ps_triage_hash(c);
	tri_view_free(v);
}

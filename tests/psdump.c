/* psdump.c - prints the parsed model in a stable line format, for the
 * golden tests and the peer-fixture comparison (tests/peer_check.py).
 *
 *   dump KIND msg=... goroutines=N skipped=N truncated=0|1
 *   g ID state=... wait=N locked=0|1 crashed=0|1 header=0|1 role=...
 *   f FUNC | FILE:LINE +OFF inl=0|1 args=...
 *   c FUNC | FILE:LINE goroutine=N
 *   a ID            (ancestor; its frames follow as "af", "ac")
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "ps_parse.h"

static void frame(const char *tag, const struct ps_frame *f, const char *args)
{
	printf("%s %s | %s:%u", tag, f->func, f->file, f->line);
	if (f->has_pc_offset)
		printf(" +0x%llx", (unsigned long long)f->pc_offset);
	printf(" inl=%d args=%s\n", f->inlined, args ? args : "(null)");
}

static void created(const char *tag, const struct ps_created_by *cb)
{
	if (!cb)
		return;
	printf("%s %s | %s:%u", tag, cb->func, cb->file, cb->line);
	if (cb->has_goroutine)
		printf(" goroutine=%llu", (unsigned long long)cb->goroutine);
	printf("\n");
}

static void stack(const char *tag, const struct ps_stack *s)
{
	for (size_t i = 0; i < s->n_frames; i++) {
		if (s->elided && s->elided_at == i)
			printf("elided %u\n", s->elided_count);
		frame(tag, &s->frames[i], ps_stack_args(s, i));
	}
	if (s->elided && s->elided_at == s->n_frames)
		printf("elided %u\n", s->elided_count);
}

static void goroutine(const struct ps_goroutine *g)
{
	printf("g %llu state=%s wait=%d locked=%d crashed=%d header=%d count=%llu "
	       "nostack=%d truncated=%d role=%s\n",
	       (unsigned long long)g->id, g->state, g->wait_minutes, g->locked_to_thread,
	       g->crashed, g->has_header, (unsigned long long)ps_goroutine_count(g),
	       g->no_stack, g->truncated, ps_goroutine_role(g));
	stack("f", &g->stack);
	created("c", g->created_by);
	size_t n;
	const struct ps_ancestor *an = ps_goroutine_ancestors(g, &n);
	for (size_t i = 0; i < n; i++) {
		printf("a %llu\n", (unsigned long long)an[i].id);
		stack("af", &an[i].stack);
		created("ac", an[i].created_by);
	}
}

static void dump(const struct ps_dump *d)
{
	printf("dump %s goroutines=%zu truncated=%d exit=%d structured=%d prefix=%s\n",
	       ps_dump_kind_name(d->kind), d->n_goroutines, d->truncated,
	       d->exit_status, d->structured_args, d->prefix);
	for (size_t i = 0; i < d->n_panics; i++)
		printf("panic recovered=%d repanicked=%d fatal=%d msg=%s\n",
		       d->panics[i].recovered, d->panics[i].repanicked,
		       d->panics[i].fatal, d->panics[i].message);
	if (d->signal)
		printf("signal %s (%s) code=%s addr=%s pc=%s\n", d->signal->name,
		       d->signal->desc, d->signal->code, d->signal->addr, d->signal->pc);
	for (size_t i = 0; i < d->n_running_tests; i++)
		printf("test %s\n", d->running_tests[i]);
	for (size_t i = 0; i < d->n_runtime_lines; i++)
		printf("runtime %s\n", d->runtime_lines[i]);
	if (d->n_registers)
		printf("registers %zu\n", d->n_registers);
	for (size_t i = 0; i < d->n_goroutines; i++)
		goroutine(&d->goroutines[i]);
}

int main(int argc, char **argv)
{
	ps_parser *p = ps_parse_new(NULL);
	struct ps_error err = { 0 };
	int fd = argc > 1 ? open(argv[1], O_RDONLY) : 0;
	if (fd < 0 || ps_parse_fd(p, fd, argc > 1 ? argv[1] : "-", &err) < 0) {
		perror(argc > 1 ? argv[1] : "stdin");
		ps_doc_free(ps_parse_finish(p));
		return 3;
	}
	struct ps_doc *doc = ps_parse_finish(p);
	printf("lines=%llu dumps=%zu skipped=%llu", (unsigned long long)doc->lines,
	       doc->n_dumps, (unsigned long long)doc->skipped.count);
	for (size_t i = 0; i < doc->skipped.n_first; i++)
		printf("%s%u", i ? "," : " first=", doc->skipped.first[i]);
	printf("\n");
	for (size_t i = 0; i < doc->n_dumps; i++)
		dump(doc->dumps[i]);
	ps_doc_free(doc);
	return 0;
}

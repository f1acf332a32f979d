/*
 * parse_only.c - the benchmark's parse-only driver: parses one input with
 * the parser library and prints what it built, with no grouping and no
 * output formatting, so parse speed and model memory can be measured on
 * their own (bench/bench.sh builds and runs it).
 *
 *   parse_only FILE|-
 *
 * Prints one line of "key value" pairs: input bytes and lines, dumps,
 * goroutines, frames, distinct interned strings, the bytes of one
 * goroutine record, the bytes of the shared arena (frames arrays,
 * created-bys, rare goroutine records) and of the dumps' arenas,
 * skipped lines and the parse time in milliseconds.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ps_parse.h"

struct totals {
	uint64_t goroutines, frames, arena_bytes;
};

static void count(const struct ps_doc *doc, struct totals *t)
{
	for (size_t i = 0; i < doc->n_dumps; i++) {
		const struct ps_dump *d = doc->dumps[i];

		t->goroutines += d->n_goroutines;
		t->arena_bytes += d->arena.used_total;
		for (size_t j = 0; j < d->n_goroutines; j++)
			t->frames += d->goroutines[j].stack.n_frames;
	}
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	struct ps_error err = { 0 };
	struct totals t = { 0 };
	struct ps_doc *doc;
	ps_parser *p;
	const char *name;
	double start;
	int fd, rc;

	if (argc != 2) {
		fprintf(stderr, "usage: parse_only FILE|-\n");
		return 2;
	}
	name = argv[1];
	fd = strcmp(name, "-") == 0 ? 0 : open(name, O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "parse_only: cannot open '%s': %s\n", name,
			strerror(errno));
		return 3;
	}
	start = now_ms();
	p = ps_parse_new(NULL);
	rc = ps_parse_fd(p, fd, name, &err);
	doc = ps_parse_finish(p);
	if (rc != 0) {
		fprintf(stderr, "parse_only: %s: %s\n", name,
			err.msg[0] ? err.msg : ps_err_text(err.code));
		ps_doc_free(doc);
		return 3;
	}
	count(doc, &t);
	printf("bytes %llu lines %llu dumps %zu goroutines %llu frames %llu "
	       "interned %zu goroutine_record %zu shared_bytes %zu arena_bytes %llu "
	       "skipped %llu "
	       "parse_ms %.1f\n",
	       (unsigned long long)doc->bytes, (unsigned long long)doc->lines,
	       doc->n_dumps, (unsigned long long)t.goroutines,
	       (unsigned long long)t.frames, ps_intern_count(doc->names),
	       sizeof(struct ps_goroutine), doc->shared.used_total,
	       (unsigned long long)t.arena_bytes,
	       (unsigned long long)doc->skipped.count, now_ms() - start);
	ps_doc_free(doc);
	if (fd != 0)
		close(fd);
	return 0;
}

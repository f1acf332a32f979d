/*
 * abi_bench - how long ps_abi takes on a big dump: parse (for scale),
 * open+index the binary, check the dump, decode every frame.
 *
 * usage: abi_bench BINARY LOG
 * (tests/abi/bench/ builds a ~15-25 MB binary and a 100k-goroutine dump.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ps_abi.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct ps_error err = { 0 };
	struct ps_arena arena = { 0 };
	size_t frames = 0, decoded = 0, args = 0, len = 0, cap = 0;
	char *buf = NULL;
	FILE *f;

	if (argc != 3 || (f = fopen(argv[2], "rb")) == NULL) {
		fprintf(stderr, "usage: abi_bench BINARY LOG\n");
		return 2;
	}
	for (size_t n; (n = fread(buf + len, 1, cap - len, f)) > 0 || len == cap;) {
		len += n;
		if (len == cap)
			buf = realloc(buf, cap = cap ? cap * 2 : 1 << 20);
	}
	fclose(f);
	double t0 = now();
	struct ps_doc *doc = ps_parse_buffer(buf, len);
	double t1 = now();
	ps_abi *abi = ps_abi_open(argv[1], &err);
	if (abi == NULL) {
		fprintf(stderr, "abi_bench: %s\n", err.msg);
		return 3;
	}
	double t2 = now();
	int check = 0;
	for (size_t k = 0; k < doc->n_dumps; k++)
		check |= ps_abi_check_dump(abi, doc->dumps[k], &err);
	double t3 = now();
	for (size_t k = 0; k < doc->n_dumps; k++) {
		const struct ps_dump *d = doc->dumps[k];
		enum ps_arg_format fmt = ps_abi_arg_format(abi, d, PS_ARGFMT_AUTO);
		for (size_t g = 0; g < d->n_goroutines; g++)
			for (size_t i = 0; i < d->goroutines[g].stack.n_frames; i++) {
				struct ps_abi_frame out;
				ps_abi_decode_frame(abi, d, &d->goroutines[g].stack, i,
						    fmt, &arena, &out);
				frames++;
				decoded += out.decoded;
				args += out.n_args;
			}
	}
	double t4 = now();
	printf("input %zu bytes, %zu dumps, %zu frames (%zu decoded, %zu args)\n",
	       len, doc->n_dumps, frames, decoded, args);
	printf("parse %.3fs | open+index binary %.3fs | check %.3fs (%s) | decode %.3fs | abi total %.3fs\n",
	       t1 - t0, t2 - t1, t3 - t2, check ? err.msg : "match", t4 - t3, t4 - t1);
	ps_arena_release(&arena);
	ps_abi_close(abi);
	ps_doc_free(doc);
	free(buf);
	return 0;
}

/*
 * test_abi_robust.c - bad input never crashes the decoder: every frame of
 * a real dump decoded against its binary with thousands of generated
 * argument lists (words, '?', nested and unbalanced groups, "...",
 * "{...}", "_", junk), in both formats, and with unknown function names.
 * Run it under PS_SANITIZE=ON for the full effect; the invariants below
 * are checked in any build.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ps_abi.h"

static char dir[64];

static int setup(void **state)
{
	char cmd[2048];
	const char *src = getenv("PS_SOURCE_DIR");
	(void)state;
	strcpy(dir, "/tmp/ps-abi-robust-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(cmd, sizeof(cmd),
		 "cd %s/corpus/groundtruth/prog && env GOENV=off GOFLAGS= GOTOOLCHAIN=local "
		 "CGO_ENABLED=0 GO111MODULE=off go build -o %s/gt . && "
		 "for c in eee ifaces struct deep many; do %s/gt $c 2>>%s/all.log; done; true",
		 src ? src : ".", dir, dir, dir);
	return system(cmd) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* xorshift: deterministic, so a failure reproduces. */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void gen(uint64_t *s, char *out, size_t cap, int depth)
{
	size_t n = rnd(s) % 7, len = strlen(out);
	for (size_t i = 0; i < n && len + 40 < cap; i++) {
		if (i > 0)
			len += (size_t)snprintf(out + len, cap - len, rnd(s) % 9 ? ", " : ",");
		switch (rnd(s) % 12) {
		case 0: case 1: case 2: case 3:
			len += (size_t)snprintf(out + len, cap - len, "0x%llx%s",
				(unsigned long long)(rnd(s) >> (rnd(s) % 64)),
				rnd(s) % 3 ? "" : "?");
			break;
		case 4: case 5:
			if (depth < 8) {
				len += (size_t)snprintf(out + len, cap - len, "{");
				gen(s, out, cap, depth + 1);
				len = strlen(out);
				if (rnd(s) % 10 && len + 2 < cap)
					len += (size_t)snprintf(out + len, cap - len, "}");
			}
			break;
		case 6: len += (size_t)snprintf(out + len, cap - len, "..."); break;
		case 7: len += (size_t)snprintf(out + len, cap - len, "{...}"); break;
		case 8: len += (size_t)snprintf(out + len, cap - len, "_"); break;
		case 9: len += (size_t)snprintf(out + len, cap - len, "}"); break;
		case 10: len += (size_t)snprintf(out + len, cap - len, "0x"); break;
		default: len += (size_t)snprintf(out + len, cap - len, "zz%c", (char)(rnd(s) % 95 + 32)); break;
		}
	}
}

static void check_arg(const struct ps_abi_arg *a, int depth)
{
	assert_true(depth < 64);
	assert_non_null(a->name);
	assert_non_null(a->type);
	assert_true(a->n_words == 0 || a->words != NULL);
	assert_true(a->value.n_fields == 0 || a->value.fields != NULL);
	if (a->value.kind == PS_V_STRING && a->value.text != NULL)
		assert_true(strlen(a->value.text) <= a->value.len + 3);
	for (size_t i = 0; i < a->value.n_fields; i++)
		check_arg(&a->value.fields[i], depth + 1);
}

static void test_generated_args(void **state)
{
	char path[128], bin[128], args[4096];
	struct ps_error err = { 0 };
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	size_t decoded = 0, tried = 0;
	(void)state;

	snprintf(path, sizeof(path), "%s/all.log", dir);
	snprintf(bin, sizeof(bin), "%s/gt", dir);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	static char text[1 << 20];
	size_t len = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	struct ps_doc *doc = ps_parse_buffer(text, len);
	ps_abi *abi = ps_abi_open(bin, &err);
	assert_non_null(abi);
	assert_true(doc->n_dumps >= 3);
	struct ps_arena arena = { 0 };
	for (size_t k = 0; k < doc->n_dumps; k++) {
		const struct ps_dump *d = doc->dumps[k];
		for (size_t g = 0; g < d->n_goroutines; g++)
			for (size_t i = 0; i < d->goroutines[g].stack.n_frames; i++)
				for (int it = 0; it < 20000; it++) {
					struct ps_frame fr = d->goroutines[g].stack.frames[i];
					struct ps_abi_frame out;
					args[0] = '\0';
					gen(&seed, args, sizeof(args), 0);
					fr.args_raw = args;
					fr.args_len = (uint32_t)strlen(args);
					if (it % 50 == 0)
						fr.func = "main.noSuchFunction", fr.name = NULL;
					ps_abi_decode_frame(abi, d, &fr, it % 2 ? PS_ARGFMT_WORDS
						: PS_ARGFMT_STRUCTURED, &arena, &out);
					tried++;
					decoded += out.decoded;
					if (it % 50 == 0)
						assert_false(out.decoded);
					for (size_t a = 0; a < out.n_args; a++)
						check_arg(&out.args[a], 0);
				}
		ps_arena_release(&arena);
	}
	print_message("%zu generated argument lists, %zu decoded\n", tried, decoded);
	assert_true(decoded > 0 && decoded < tried);
	ps_abi_close(abi);
	ps_doc_free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generated_args),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

/*
 * abi_decode_tool - test helper: parses a crash log, decodes every frame
 * of every goroutine against a binary through the ps_abi API only, and
 * prints one JSON object per frame on stdout.  The ground-truth script
 * (tests/abi/groundtruth.py) compares these with what the programs
 * printed, independently of the report module.
 *
 * usage: abi_decode_tool BINARY LOG [auto|words|structured] [trust]
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ps_abi.h"

static void put_str(const char *s)
{
	putchar('"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p < 0x20)
			printf("\\u%04x", *p);
		else
			putchar(*p);
	}
	putchar('"');
}

static void put_arg(const struct ps_abi_arg *a);

static void put_value(const struct ps_abi_value *v)
{
	switch (v->kind) {
	case PS_V_ABSENT: printf("null"); break;
	case PS_V_INT: printf("%" PRId64, v->i); break;
	case PS_V_UINT: printf("%" PRIu64, v->u); break;
	case PS_V_BOOL: printf(v->b ? "true" : "false"); break;
	case PS_V_FLOAT: printf("%.17g", v->f); break;
	case PS_V_COMPLEX: printf("{\"re\":%.17g,\"im\":%.17g}", v->f, v->f_im); break;
	case PS_V_STRING:
		printf("{\"ptr\":\"0x%" PRIx64 "\",\"len\":%" PRIu64 ",\"text\":",
		       v->ptr, v->len);
		if (v->text)
			put_str(v->text);
		else
			printf("null");
		putchar('}');
		break;
	case PS_V_SLICE:
		printf("{\"ptr\":\"0x%" PRIx64 "\",\"len\":%" PRIu64 ",\"cap\":%" PRIu64 "}",
		       v->ptr, v->len, v->cap);
		break;
	case PS_V_IFACE:
		printf("{\"type\":\"0x%" PRIx64 "\",\"data\":\"0x%" PRIx64 "\",\"type_name\":",
		       v->type_word, v->data_word);
		if (v->type_name)
			put_str(v->type_name);
		else
			printf("null");
		putchar('}');
		break;
	case PS_V_POINTER:
		printf("{\"ptr\":\"0x%" PRIx64 "\",\"symbol\":", v->ptr);
		if (v->symbol)
			put_str(v->symbol);
		else
			printf("null");
		putchar('}');
		break;
	case PS_V_STRUCT: case PS_V_ARRAY:
		printf(v->kind == PS_V_STRUCT ? "{\"fields\":[" : "{\"elems\":[");
		for (size_t i = 0; i < v->n_fields; i++) {
			if (i)
				putchar(',');
			put_arg(&v->fields[i]);
		}
		printf("]}");
		break;
	default: printf("\"unknown\""); break;
	}
}

static void put_arg(const struct ps_abi_arg *a)
{
	printf("{\"name\":");
	put_str(a->name ? a->name : "");
	printf(",\"type\":");
	put_str(a->type ? a->type : "");
	printf(",\"role\":\"%s\",\"reliable\":%s,\"words\":[",
	       ps_abi_role_name(a->role), a->reliable ? "true" : "false");
	for (size_t i = 0; i < a->n_words; i++)
		printf("%s\"0x%" PRIx64 "\"", i ? "," : "", a->words[i]);
	printf("]");
	for (unsigned i = 0, n = 0; a->value.unreliable_parts >> i; i++)
		if (a->value.unreliable_parts >> i & 1)
			printf("%s\"%s\"", n++ ? "," : ",\"unreliable_parts\":[",
			       ps_abi_part_name(a->value.kind, i));
	if (a->value.unreliable_parts)
		putchar(']');
	printf(",\"value\":");
	put_value(&a->value);
	putchar('}');
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0;
	*len = 0;
	if (f == NULL)
		return NULL;
	for (;;) {
		if (*len + 65536 > cap)
			buf = realloc(buf, cap = (cap + 65536) * 2);
		size_t n = fread(buf + *len, 1, cap - *len, f);
		if (n == 0)
			break;
		*len += n;
	}
	fclose(f);
	return buf;
}

static void put_frame(ps_abi *abi, const struct ps_dump *d, size_t g, size_t fi,
		      enum ps_arg_format fmt, struct ps_arena *arena)
{
	const struct ps_stack *st = &d->goroutines[g].stack;
	const struct ps_frame *fr = &st->frames[fi];
	const char *args = ps_stack_args(st, fi);
	struct ps_abi_frame out;
	ps_abi_decode_frame(abi, d, st, fi, fmt, arena, &out);
	printf("{\"goroutine\":%" PRIu64 ",\"func\":", d->goroutines[g].id);
	put_str(fr->func);
	printf(",\"args_raw\":");
	put_str(args ? args : "");
	printf(",\"decoded\":%s,\"note\":", out.decoded ? "true" : "false");
	if (out.note)
		put_str(out.note);
	else
		printf("null");
	printf(",\"args\":[");
	for (size_t i = 0; i < out.n_args; i++) {
		if (i)
			putchar(',');
		put_arg(&out.args[i]);
	}
	printf("]}\n");
}

int main(int argc, char **argv)
{
	struct ps_error err = { 0 };
	enum ps_arg_format fmt = PS_ARGFMT_AUTO;
	bool trust = argc > 4 && strcmp(argv[4], "trust") == 0;
	size_t len;
	char *buf;

	if (argc < 3) {
		fprintf(stderr, "usage: %s BINARY LOG [auto|words|structured] [trust]\n",
			argv[0]);
		return 2;
	}
	if (argc > 3)
		fmt = strcmp(argv[3], "words") == 0 ? PS_ARGFMT_WORDS
		      : strcmp(argv[3], "structured") == 0 ? PS_ARGFMT_STRUCTURED
		      : PS_ARGFMT_AUTO;
	ps_abi *abi = ps_abi_open(argv[1], &err);
	if (abi == NULL) {
		fprintf(stderr, "abi_decode_tool: %s\n", err.msg);
		return 3;
	}
	if ((buf = slurp(argv[2], &len)) == NULL) {
		fprintf(stderr, "abi_decode_tool: cannot read '%s'\n", argv[2]);
		ps_abi_close(abi);
		return 3;
	}
	struct ps_doc *doc = ps_parse_buffer(buf, len);
	struct ps_arena arena = { 0 };
	int rc = 0;
	for (size_t k = 0; k < doc->n_dumps; k++) {
		const struct ps_dump *d = doc->dumps[k];
		struct ps_error merr = { 0 };
		enum ps_arg_format f = ps_abi_arg_format(abi, d, fmt);
		if (ps_abi_check_dump(abi, d, &merr) < 0) {
			printf("{\"mismatch\":");
			put_str(merr.msg);
			printf("}\n");
			if (!trust) {
				rc = 1;
				continue;
			}
		}
		printf("{\"dump\":%zu,\"arg_format\":\"%s\",\"go_version\":", k,
		       ps_arg_format_name(f));
		put_str(ps_abi_go_version(abi) ? ps_abi_go_version(abi) : "");
		printf(",\"arch\":\"%s\"}\n", ps_abi_arch(abi));
		for (size_t g = 0; g < d->n_goroutines; g++)
			for (size_t i = 0; i < d->goroutines[g].stack.n_frames; i++)
				put_frame(abi, d, g, i, f, &arena);
	}
	ps_arena_release(&arena);
	ps_doc_free(doc);
	free(buf);
	ps_abi_close(abi);
	return rc;
}

/* test_parse_damage.c - every corpus log, damaged in memory the way
 * copy-paste damages logs (tabs expanded to 4 and 8 columns, lines
 * hard-wrapped at 72 and 80 columns, a CI line number and timestamp in
 * front of every line), must parse to the same goroutines, frames and
 * panic chain as the clean log.
 *
 * usage: test_parse_damage CORPUS_DIR */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ps_parse.h"

struct buf {
	char *p;
	size_t n, cap;
};

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->n + n > b->cap) {
		b->cap = (b->n + n) * 2 + 64;
		b->p = realloc(b->p, b->cap);
		if (!b->p)
			abort();
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
}

/* `expand -t W`: each TAB to the next multiple of W columns. */
static void expand_tabs(const char *s, size_t n, struct buf *o, size_t w)
{
	size_t col = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\t') {
			size_t k = w - col % w;
			for (size_t j = 0; j < k; j++)
				put(o, " ", 1);
			col += k;
		} else {
			put(o, &s[i], 1);
			col = s[i] == '\n' ? 0 : col + 1;
		}
	}
}

/* A hard wrap at W bytes: a longer line goes on in the next line(s). */
static void wrap_lines(const char *s, size_t n, struct buf *o, size_t w)
{
	for (size_t i = 0; i < n;) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t len = nl ? (size_t)(nl - (s + i)) : n - i;
		for (size_t k = 0; k < len || k == 0; k += w) {
			size_t take = len - k < w ? len - k : w;
			if (k)
				put(o, "\n", 1);
			put(o, s + i + k, take);
			if (!len)
				break;
		}
		if (nl)
			put(o, "\n", 1);
		i += len + (nl != NULL);
	}
}

/* A CI log: " 618283 2021-09-15T07:40:15.1455272Z " on every line. */
static void number_lines(const char *s, size_t n, struct buf *o, size_t unused)
{
	size_t line = 618283;
	(void)unused;
	for (size_t i = 0; i < n;) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t len = nl ? (size_t)(nl - (s + i)) + 1 : n - i;
		char pre[64];
		int k = snprintf(pre, sizeof(pre), "%7zu 2021-09-15T07:%02zu:%02zu.%07zuZ ",
				 line, line / 60 % 60, line % 60, line * 7919 % 10000000);
		put(o, pre, (size_t)k);
		put(o, s + i, len);
		line++;
		i += len;
	}
}

static const struct damage {
	const char *name;
	void (*make)(const char *, size_t, struct buf *, size_t);
	size_t arg;
} damages[] = {
	{ "tabs->4", expand_tabs, 4 },
	{ "tabs->8", expand_tabs, 8 },
	{ "wrap72", wrap_lines, 72 },
	{ "wrap80", wrap_lines, 80 },
	{ "numbered+timestamp", number_lines, 0 },
};

static const char *str(const char *s)
{
	return s ? s : "";
}

/* First difference between the clean and the damaged parse, into WHY. */
static bool same_frames(const struct ps_stack *a, const struct ps_stack *b, char *why)
{
	if (a->n_frames != b->n_frames) {
		sprintf(why, "%u frames, clean has %u", b->n_frames, a->n_frames);
		return false;
	}
	for (size_t i = 0; i < a->n_frames; i++) {
		const struct ps_frame *x = &a->frames[i], *y = &b->frames[i];
		const char *xa = ps_stack_args(a, i), *ya = ps_stack_args(b, i);
		if (strcmp(x->func, y->func) || strcmp(x->file, y->file) || x->line != y->line ||
		    strcmp(xa ? xa : "", ya ? ya : "") || x->pc_offset != y->pc_offset ||
		    x->has_file != y->has_file) {
			snprintf(why, 512, "frame %zu: %s(%s) %s:%u +%x, clean %s(%s) %s:%u +%x",
				 i, y->func, ya ? ya : "", y->file, y->line, y->pc_offset,
				 x->func, xa ? xa : "", x->file, x->line, x->pc_offset);
			return false;
		}
	}
	return true;
}

static bool same_created(const struct ps_created_by *a, const struct ps_created_by *b)
{
	if (!a || !b)
		return a == b;
	return !strcmp(a->func, b->func) && !strcmp(a->file, b->file) && a->line == b->line;
}

static bool same_dump(const struct ps_dump *a, const struct ps_dump *b, char *why)
{
	if (a->n_panics != b->n_panics) {
		sprintf(why, "%zu panics, clean has %zu", b->n_panics, a->n_panics);
		return false;
	}
	for (size_t i = 0; i < a->n_panics; i++)
		if (strcmp(a->panics[i].message, b->panics[i].message) ||
		    a->panics[i].recovered != b->panics[i].recovered) {
			snprintf(why, 512, "panic %zu: '%.200s', clean '%.200s'", i,
				 b->panics[i].message, a->panics[i].message);
			return false;
		}
	if (a->n_goroutines != b->n_goroutines) {
		sprintf(why, "%zu goroutines, clean has %zu", b->n_goroutines, a->n_goroutines);
		return false;
	}
	for (size_t i = 0; i < a->n_goroutines; i++) {
		const struct ps_goroutine *x = &a->goroutines[i], *y = &b->goroutines[i];
		if (x->id != y->id || strcmp(str(x->state), str(y->state)) ||
		    x->no_stack != y->no_stack || x->truncated != y->truncated) {
			sprintf(why, "goroutine %zu: id %llu '%s', clean id %llu '%s'", i,
				(unsigned long long)y->id, str(y->state),
				(unsigned long long)x->id, str(x->state));
			return false;
		}
		char sub[512];
		if (!same_frames(&x->stack, &y->stack, sub)) {
			snprintf(why, 600, "goroutine %llu: %s", (unsigned long long)x->id, sub);
			return false;
		}
		if (!same_created(x->created_by, y->created_by)) {
			sprintf(why, "goroutine %llu: created-by differs",
				(unsigned long long)x->id);
			return false;
		}
	}
	return true;
}

static bool same_doc(const struct ps_doc *a, const struct ps_doc *b, char *why)
{
	if (a->n_dumps != b->n_dumps) {
		sprintf(why, "%zu dumps, clean has %zu", b->n_dumps, a->n_dumps);
		return false;
	}
	for (size_t i = 0; i < a->n_dumps; i++)
		if (!same_dump(a->dumps[i], b->dumps[i], why))
			return false;
	return true;
}

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	struct buf b = { 0 };
	char tmp[65536];
	size_t r;
	if (!f)
		return NULL;
	while ((r = fread(tmp, 1, sizeof(tmp), f)) > 0)
		put(&b, tmp, r);
	fclose(f);
	*n = b.n;
	return b.p ? b.p : calloc(1, 1);
}

static int check_log(const char *path, size_t *failures)
{
	size_t n;
	char *text = slurp(path, &n);
	if (!text) {
		fprintf(stderr, "%s: cannot read\n", path);
		return -1;
	}
	struct ps_doc *clean = ps_parse_buffer(text, n);
	for (size_t d = 0; d < sizeof(damages) / sizeof(damages[0]); d++) {
		struct buf o = { 0 };
		char why[1024] = "";
		damages[d].make(text, n, &o, damages[d].arg);
		struct ps_doc *dirty = ps_parse_buffer(o.p ? o.p : "", o.n);
		if (!same_doc(clean, dirty, why)) {
			(*failures)++;
			printf("FAIL %s [%s]: %s\n", path, damages[d].name, why);
		}
		ps_doc_free(dirty);
		free(o.p);
	}
	ps_doc_free(clean);
	free(text);
	return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

int main(int argc, char **argv)
{
	size_t logs = 0, failures = 0;
	struct dirent **dirs;
	if (argc != 2) {
		fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
		return 2;
	}
	int nd = scandir(argv[1], &dirs, NULL, by_name);
	if (nd < 0) {
		perror(argv[1]);
		return 2;
	}
	for (int i = 0; i < nd; i++) {
		char dir[4096];
		struct dirent **files;
		/* the real logs: corpus/go<version>-<arch>/<kind>.log */
		if (strncmp(dirs[i]->d_name, "go1.", 4)) {
			free(dirs[i]);
			continue;
		}
		snprintf(dir, sizeof(dir), "%s/%s", argv[1], dirs[i]->d_name);
		int nf = scandir(dir, &files, NULL, by_name);
		for (int j = 0; j < nf; j++) {
			size_t len = strlen(files[j]->d_name);
			if (len > 4 && !strcmp(files[j]->d_name + len - 4, ".log")) {
				char path[8192];
				snprintf(path, sizeof(path), "%s/%s", dir, files[j]->d_name);
				if (check_log(path, &failures) < 0)
					failures++;
				logs++;
			}
			free(files[j]);
		}
		free(files);
		free(dirs[i]);
	}
	free(dirs);
	printf("%zu logs x %zu damages, %zu failures\n", logs,
	       sizeof(damages) / sizeof(damages[0]), failures);
	return failures || !logs ? 1 : 0;
}

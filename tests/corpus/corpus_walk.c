/*
 * corpus_walk.c - every corpus log through the parser and every report
 * format, in one process.
 *
 *   corpus_walk ROOT OUT [--shard I/N]
 *
 * For each .log file in ROOT/corpus/go<version>-<arch>/ and ROOT/corpus/dirty/
 * (the I-th of every N in sorted order with --shard) it writes, as the
 * command would with the same options:
 *   OUT/<rel>.json      -f json
 *   OUT/<rel>.txt       --color never
 *   OUT/<rel>.all.txt   --all --color never
 *   OUT/<rel>.md        -f markdown
 *   OUT/<rel>.html      -f html
 * where <rel> is the log's path under ROOT ("corpus/dirty/x.log").  An
 * empty output or a report error is a failure.  The Python checks
 * (tests/corpus/check_corpus.py, tests/report/check_groups.py) read these
 * files instead of launching the command thousands of times, and the
 * sanitizer build runs this walk, so ASan sees every log in every format.
 * tests/report/goldens.py proves the files equal the command's output on
 * the reviewed golden set.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ps_parse.h"
#include "ps_report.h"

struct walk {
	const char *root, *out;
	unsigned shard, shards;
	char **logs;            /* paths relative to root */
	size_t n, cap;
	unsigned long failures, done;
};

struct format {
	const char *ext;
	enum ps_report_format fmt;
	bool all;
};

static const struct format formats[] = {
	{ ".json", PS_REPORT_JSON, false },
	{ ".txt", PS_REPORT_TEXT, false },
	{ ".all.txt", PS_REPORT_TEXT, true },
	{ ".md", PS_REPORT_MARKDOWN, false },
	{ ".html", PS_REPORT_HTML, false },
};

static void fail(struct walk *w, const char *rel, const char *what, const char *why)
{
	fprintf(stderr, "corpus_walk: %s: %s: %s\n", rel, what, why);
	w->failures++;
}

static void add_log(struct walk *w, const char *dir, const char *name)
{
	if (w->n == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 1024;
		w->logs = realloc(w->logs, w->cap * sizeof *w->logs);
		if (!w->logs) {
			perror("corpus_walk");
			exit(2);
		}
	}
	size_t len = strlen(dir) + strlen(name) + 2;
	w->logs[w->n] = malloc(len);
	if (!w->logs[w->n]) {
		perror("corpus_walk");
		exit(2);
	}
	snprintf(w->logs[w->n++], len, "%s/%s", dir, name);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

/* corpus/go<digit>... and corpus/dirty: the folders the Python checks walk. */
static bool log_folder(const char *name)
{
	return (!strncmp(name, "go", 2) && name[2] >= '0' && name[2] <= '9') ||
	       !strcmp(name, "dirty");
}

static void list_folder(struct walk *w, const char *sub)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/corpus/%s", w->root, sub);
	DIR *d = opendir(path);
	struct dirent *e;
	char rel[1024];

	if (!d)
		return;
	snprintf(rel, sizeof rel, "corpus/%s", sub);
	while ((e = readdir(d)))
		if (ends_with(e->d_name, ".log"))
			add_log(w, rel, e->d_name);
	closedir(d);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_logs(struct walk *w)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/corpus", w->root);
	DIR *d = opendir(path);
	struct dirent *e;

	if (!d) {
		fprintf(stderr, "corpus_walk: cannot open '%s': %s\n", path, strerror(errno));
		exit(2);
	}
	while ((e = readdir(d)))
		if (log_folder(e->d_name))
			list_folder(w, e->d_name);
	closedir(d);
	qsort(w->logs, w->n, sizeof *w->logs, by_name);
}

/* mkdir -p of the folder that will hold FILE. */
static int make_parent(char *file)
{
	for (char *s = strchr(file + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = 0;
		int rc = mkdir(file, 0777);
		*s = '/';
		if (rc < 0 && errno != EEXIST)
			return -1;
	}
	return 0;
}

static void write_format(struct walk *w, const char *rel, const struct ps_doc *doc,
			 const struct format *f)
{
	char path[4096];
	struct ps_error err = { 0 };
	struct ps_report_opts ro = { .format = f->fmt, .all = f->all, .input_name = rel };

	snprintf(path, sizeof path, "%s/%s%s", w->out, rel, f->ext);
	FILE *out = make_parent(path) < 0 ? NULL : fopen(path, "w");
	if (!out) {
		fail(w, rel, path, strerror(errno));
		return;
	}
	int rc = ps_report_write(out, doc, &ro, &err);
	long size = ftell(out);
	if (fclose(out) != 0 || rc < 0)
		fail(w, rel, f->ext, rc < 0 ? err.msg : "write error");
	else if (size <= 0)
		fail(w, rel, f->ext, "empty report");
}

static void walk_log(struct walk *w, const char *rel)
{
	char path[4096];
	struct ps_error err = { 0 };

	snprintf(path, sizeof path, "%s/%s", w->root, rel);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fail(w, rel, "open", strerror(errno));
		return;
	}
	ps_parser *p = ps_parse_new(NULL);
	if (ps_parse_fd(p, fd, rel, &err) < 0)
		fail(w, rel, "parse", err.msg);
	close(fd);
	struct ps_doc *doc = ps_parse_finish(p);
	for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
		write_format(w, rel, doc, &formats[i]);
	ps_doc_free(doc);
	w->done++;
}

static int parse_shard(struct walk *w, const char *s)
{
	char *end;
	unsigned long i = strtoul(s, &end, 10);
	if (*end != '/')
		return -1;
	unsigned long n = strtoul(end + 1, &end, 10);
	if (*end || n == 0 || n > 1000 || i >= n)
		return -1;
	w->shard = (unsigned)i;
	w->shards = (unsigned)n;
	return 0;
}

int main(int argc, char **argv)
{
	struct walk w = { .shards = 1 };

	if (argc == 5 && !strcmp(argv[3], "--shard") && parse_shard(&w, argv[4]) == 0)
		argc = 3;
	if (argc != 3) {
		fprintf(stderr, "usage: corpus_walk ROOT OUT [--shard I/N]\n");
		return 2;
	}
	w.root = argv[1];
	w.out = argv[2];
	list_logs(&w);
	for (size_t i = 0; i < w.n; i++) {
		if (i % w.shards == w.shard)
			walk_log(&w, w.logs[i]);
		free(w.logs[i]);
	}
	free(w.logs);
	printf("corpus_walk: shard %u/%u: %lu logs, 5 formats each, %lu failures\n",
	       w.shard, w.shards, w.done, w.failures);
	/* a walk that found nothing must not pass */
	return w.failures || w.done == 0 ? 1 : 0;
}

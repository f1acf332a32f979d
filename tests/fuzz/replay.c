/*
 * replay.c - runs the fuzz entry point over files, without libFuzzer.
 *
 *   fuzz_replay [-e .log,.txt] PATH...
 *
 * Each PATH is a file (always run) or a directory, walked recursively;
 * "-e LIST" limits the files taken from the directories that follow it
 * to names ending in one of the comma-separated suffixes ("-e ''" lifts
 * the limit).  Built with any compiler, so every ctest run, and the ASan
 * build above all, repeats the corpus, the peer fixtures and every input
 * the fuzzer once crashed on (tests/fuzz/regressions/).  A missing PATH
 * or no file at all is an error: a test that ran nothing must not pass.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ps_base.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct replay {
	const char *suffixes;   /* "" = every file */
	unsigned long files;
	unsigned long long bytes;
};

static bool wanted(const char *name, const char *suffixes)
{
	const char *s = suffixes;
	size_t nlen = strlen(name);

	if (!*s)
		return true;
	while (*s) {
		size_t n = strcspn(s, ",");

		if (n && n <= nlen && memcmp(name + nlen - n, s, n) == 0)
			return true;
		s += n + (s[n] == ',');
	}
	return false;
}

static int run_file(struct replay *r, const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f) {
		fprintf(stderr, "fuzz_replay: cannot open '%s': %s\n", path,
			strerror(errno));
		return -1;
	}
	do {
		if (cap - len < 65536) {
			cap = cap ? cap * 2 : 1 << 20;
			buf = ps_xrealloc(buf, cap);
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	if (ferror(f)) {
		fprintf(stderr, "fuzz_replay: cannot read '%s'\n", path);
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	/* Named first: if the input crashes, the last name printed is it. */
	printf("%s\n", path);
	fflush(stdout);
	LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
	free(buf);
	r->files++;
	r->bytes += len;
	return 0;
}

static int run_path(struct replay *r, const char *path, bool top);

static int run_dir(struct replay *r, const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int rc = 0;

	if (!d) {
		fprintf(stderr, "fuzz_replay: cannot open directory '%s': %s\n",
			path, strerror(errno));
		return -1;
	}
	while (rc == 0 && (e = readdir(d)) != NULL) {
		char *sub;

		if (e->d_name[0] == '.')
			continue;
		sub = ps_xmalloc(strlen(path) + strlen(e->d_name) + 2);
		sprintf(sub, "%s/%s", path, e->d_name);
		rc = run_path(r, sub, false);
		free(sub);
	}
	closedir(d);
	return rc;
}

static int run_path(struct replay *r, const char *path, bool top)
{
	struct stat st;
	const char *base = strrchr(path, '/');

	if (stat(path, &st) != 0) {
		fprintf(stderr, "fuzz_replay: cannot find '%s': %s\n", path,
			strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode))
		return run_dir(r, path);
	if (!S_ISREG(st.st_mode))
		return 0;
	if (!top && !wanted(base ? base + 1 : path, r->suffixes))
		return 0;
	return run_file(r, path);
}

int main(int argc, char **argv)
{
	struct replay r = { "", 0, 0 };

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-e") == 0 && i + 1 < argc) {
			r.suffixes = argv[++i];
			continue;
		}
		if (run_path(&r, argv[i], true) != 0)
			return 1;
	}
	if (r.files == 0) {
		fprintf(stderr, "fuzz_replay: no input files found\n");
		return 1;
	}
	printf("fuzz_replay: %lu files, %llu bytes, no crash\n", r.files, r.bytes);
	return 0;
}

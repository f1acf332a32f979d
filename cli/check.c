/* check.c - `panicscope check [--update] [--filter] PATH...`: the
 * fixture checker run by the git pre-commit hook (docs/check.md).
 * Problems go to stdout as FILE:LINE: message, one a line; unreadable
 * paths to stderr. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "ps_check.h"

#define EXIT_OK 0
#define EXIT_FINDINGS 1
#define EXIT_USAGE 2
#define EXIT_INPUT 3

static const char check_usage[] =
"usage: panicscope check [--update] [--filter] PATH...\n"
"\n"
"Checks Go crash-log fixtures: each file must hold a complete Go dump with\n"
"no sign of damage (tabs turned to spaces, hard wraps, CRLF, truncation,\n"
"hand-edited frames, unknown lines) unless .panicscope-check allows it, and\n"
"must equal FILE.golden.json where one sits beside it.  Directories are\n"
"walked (names *.log *.txt *.panic *.trace unless .panicscope-check says\n"
"otherwise).  Problems print as FILE:LINE: message.\n"
"\n"
"      --update   write or rewrite FILE.golden.json for each fixture\n"
"      --filter   skip named files the walk patterns would skip (git hooks)\n"
"  -h, --help     show this help\n"
"\n"
"Exit status: 0 no problem; 1 problems found; 2 usage error; 3 a path could\n"
"not be read.\n";

static void print_problem(void *ctx, const char *file, unsigned long line, const char *msg)
{
	(void)ctx;
	if (line)
		printf("%s:%lu: %s\n", file, line, msg);
	else
		printf("%s: %s\n", file, msg);
}

static void print_unreadable(void *ctx, const struct ps_error *err)
{
	(void)ctx;
	fprintf(stderr, "panicscope: %s\n", err->msg);
}

static int check_usage_error(const char *what, const char *arg)
{
	fprintf(stderr, "panicscope check: %s '%s'\nTry 'panicscope check --help'\n", what, arg);
	return EXIT_USAGE;
}

int ps_cli_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "update", no_argument, NULL, 'u' },
		{ "filter", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ps_check_opts co = { .problem = print_problem, .unreadable = print_unreadable };
	int opt;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (opt) {
		case 'u': co.update = true; break;
		case 'F': co.filter = true; break;
		case 'h': fputs(check_usage, stdout); return EXIT_OK;
		default: return check_usage_error("unknown option", argv[optind - 1]);
		}
	}
	if (optind >= argc) {
		fputs("panicscope check: no PATH given\nTry 'panicscope check --help'\n", stderr);
		return EXIT_USAGE;
	}
	ps_check *c = ps_check_new(&co);
	for (int i = optind; i < argc; i++)
		(void)ps_check_path(c, argv[i]);
	const struct ps_check_stats *st = ps_check_stats(c);
	int rc = st->unreadable ? EXIT_INPUT : st->problems ? EXIT_FINDINGS : EXIT_OK;
	/* the one stderr line of exit 1 (CONTRACT); exit 3 has its own */
	if (rc == EXIT_FINDINGS)
		fprintf(stderr, "panicscope check: %llu problem%s in %llu of %llu fixtures\n",
			(unsigned long long)st->problems, st->problems == 1 ? "" : "s",
			(unsigned long long)st->bad_files, (unsigned long long)st->files);
	ps_check_free(c);
	if (fflush(stdout) != 0 && rc == EXIT_OK) {
		fputs("panicscope check: cannot write the problems to stdout\n", stderr);
		rc = EXIT_INPUT;
	}
	return rc;
}

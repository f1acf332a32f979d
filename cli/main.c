/* main.c - the panicscope command: options, inputs, exit status.
 * Only this file prints diagnostics; the libraries fill ps_error. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "ps_abi.h"
#include "ps_parse.h"
#include "ps_report.h"
#include "ps_version.h" /* generated: PS_VERSION (cmake/version.cmake) */

static const char usage_text[] =
"usage: panicscope [OPTIONS] [FILE|-]...   analyze Go crash dumps (stdin when no FILE)\n"
"       panicscope triage [OPTIONS] PATH...  cluster the crashes of many logs (triage --help)\n"
"       panicscope check [--update] PATH...   verify crash-log fixtures (check --help)\n"
"       panicscope --help | --version\n"
"\n"
"  -b, --binary PATH      the Go executable (with DWARF) that crashed: decode arguments\n"
"  -f, --format FMT       text (default), json, html, markdown\n"
"  -o, --output PATH      write the report there instead of stdout\n"
"      --color WHEN       auto (default; only on a terminal, never with NO_COLOR), always, never\n"
"      --all              list every goroutine instead of groups\n"
"      --stream           write each dump as soon as it is read (headers without the\n"
"                         count of dumps, JSON line counts after the dumps)\n"
"      --group MODE       similar (default: unreliable and pointer args ignored) or exact\n"
"  -m, --match REGEX      keep goroutines whose state or frames match (PCRE2)\n"
"  -x, --exclude REGEX    drop goroutines whose state or frames match (PCRE2)\n"
"      --arg-format F     auto (default), words (Go <= 1.16), structured (Go >= 1.17)\n"
"      --trust-binary     decode even where the binary's line table disagrees with the dump\n"
"  -j, --jobs N           threads that parse and group one large file (default: the CPUs online)\n"
"  -h, --help             show this help\n"
"  -V, --version          show the version\n"
"\n"
"Exit status: 0 success; 2 usage error; 3 an input could not be used (unreadable\n"
"file, not an ELF file, no DWARF, no Go crash dump found).\n";

struct cli {
	struct ps_report_opts ro;
	const char *binary;
	const char *output;
	const char *color;
	struct ps_parse_opts po;
	char **files;
	int n_files;
	int n_usable;           /* inputs opened and read to their end */
	int status;             /* worst exit status so far */
};

void oom(size_t n)
{
	fprintf(stderr, "panicscope: out of memory (wanted %zu bytes)\n", n);
	exit(EXIT_INPUT);
}

int usage_error(const char *fmt, ...)
{
	va_list ap;
	fputs("panicscope: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'panicscope --help'\n", stderr);
	return EXIT_USAGE;
}

static void note_status(struct cli *c, int status)
{
	if (status > c->status)
		c->status = status;
}

static void warn(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "panicscope: %s\n", msg);
}

bool pick(const char *v, const char *const *names, int n, int *out)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(v, names[i])) {
			*out = i;
			return true;
		}
	return false;
}

enum { OPT_COLOR = 256, OPT_ALL, OPT_GROUP, OPT_ARGFMT, OPT_TRUST, OPT_STREAM };

static const struct option long_opts[] = {
	{ "binary", required_argument, NULL, 'b' },
	{ "format", required_argument, NULL, 'f' },
	{ "output", required_argument, NULL, 'o' },
	{ "color", required_argument, NULL, OPT_COLOR },
	{ "colour", required_argument, NULL, OPT_COLOR },
	{ "all", no_argument, NULL, OPT_ALL },
	{ "stream", no_argument, NULL, OPT_STREAM },
	{ "group", required_argument, NULL, OPT_GROUP },
	{ "match", required_argument, NULL, 'm' },
	{ "exclude", required_argument, NULL, 'x' },
	{ "arg-format", required_argument, NULL, OPT_ARGFMT },
	{ "trust-binary", no_argument, NULL, OPT_TRUST },
	{ "jobs", required_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

/* More threads than this only cost memory (the parser uses up to 64). */
#define MAX_JOBS 1024

static bool parse_jobs(const char *v, unsigned *out)
{
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (errno || end == v || *end || n < 1 || n > MAX_JOBS)
		return false;
	*out = (unsigned)n;
	return true;
}

/* The default: a thread per CPU online (one when it cannot be told). */
static unsigned default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > MAX_JOBS ? MAX_JOBS : (unsigned)n;
}

/* One option; returns -1 to go on, else an exit status. */
static int take_option(struct cli *c, int opt)
{
	static const char *const formats[] = { "text", "json", "html", "markdown" };
	static const char *const argfmts[] = { "auto", "words", "structured" };
	static const char *const groups[] = { "similar", "exact" };
	int v;

	switch (opt) {
	case 'b': c->binary = optarg; break;
	case 'o': c->output = optarg; break;
	case 'm': c->ro.match = optarg; break;
	case 'x': c->ro.exclude = optarg; break;
	case OPT_COLOR: c->color = optarg; break;
	case OPT_ALL: c->ro.all = true; break;
	case OPT_STREAM: c->ro.stream = true; break;
	case OPT_TRUST: c->ro.trust_binary = true; break;
	case 'f':
		if (!pick(optarg, formats, 4, &v))
			return usage_error("unknown format '%s' (text, json, html, markdown)", optarg);
		c->ro.format = (enum ps_report_format)v;
		break;
	case OPT_ARGFMT:
		if (!pick(optarg, argfmts, 3, &v))
			return usage_error("unknown --arg-format '%s' (auto, words, structured)", optarg);
		c->ro.arg_format = (enum ps_arg_format)v;
		break;
	case OPT_GROUP:
		if (!pick(optarg, groups, 2, &v))
			return usage_error("unknown --group '%s' (similar, exact)", optarg);
		c->ro.group_exact = v == 1;
		break;
	case 'j':
		if (!parse_jobs(optarg, &c->po.jobs))
			return usage_error("bad --jobs '%s' (a number of threads, 1 to %d)",
					   optarg, MAX_JOBS);
		break;
	case 'h': fputs(usage_text, stdout); return EXIT_OK;
	case 'V': printf("panicscope %s\n", PS_VERSION); return EXIT_OK;
	default: return usage_error("bad option");
	}
	return -1;
}

/* Parses the command line; -1 to go on, else an exit status. */
static int parse_args(struct cli *c, int argc, char **argv)
{
	int opt, rc;

	c->color = "auto";
	c->ro.warn = warn;
	c->po.jobs = default_jobs();
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":b:f:o:m:x:j:hV", long_opts, NULL)) != -1) {
		if (opt == '?')
			return usage_error("unknown option '%s'", argv[optind - 1]);
		if (opt == ':')
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		if ((rc = take_option(c, opt)) >= 0)
			return rc;
	}
	if (strcmp(c->color, "auto") && strcmp(c->color, "always") && strcmp(c->color, "never"))
		return usage_error("unknown --color '%s' (auto, always, never)", c->color);
	if (c->ro.trust_binary && !c->binary)
		return usage_error("--trust-binary needs --binary");
	c->ro.jobs = c->po.jobs; /* --jobs: the grouping's threads too */
	c->files = argv + optind;
	c->n_files = argc - optind;
	return -1;
}

/* Opens input NAME ("-": stdin); -1 with one line printed when it
 * cannot be a dump (missing, unreadable, a directory). */
static int open_input(const char *name)
{
	struct stat st;
	bool is_stdin = !strcmp(name, "-");
	int fd = is_stdin ? STDIN_FILENO : open(name, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "panicscope: cannot open '%s': %s\n", name, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		fprintf(stderr, "panicscope: cannot read '%s': it is a directory\n", name);
		if (!is_stdin)
			close(fd);
		return -1;
	}
	return fd;
}

/* Parses every input, handing each dump to the report R as soon as it
 * is final; unusable files get one line on stderr each and are skipped,
 * so the others still get a report. */
static struct ps_doc *read_inputs(struct cli *c, ps_report *r)
{
	struct ps_parse_opts po = c->po;
	po.on_dump = ps_report_on_dump;
	po.on_dump_ctx = r;
	ps_parser *p = ps_parse_new(&po);
	struct ps_error err = { 0 };
	char *stdin_only[] = { "-" };
	char **files = c->n_files ? c->files : stdin_only;
	int n = c->n_files ? c->n_files : 1;

	for (int i = 0; i < n; i++) {
		int fd = open_input(files[i]);
		if (fd < 0) {
			note_status(c, EXIT_INPUT);
			continue;
		}
		/* A read error keeps what was read before it: the dumps in
		 * that part are still reported, with exit 3. */
		if (ps_parse_fd(p, fd, files[i], &err) < 0) {
			fprintf(stderr, "panicscope: %s\n", err.msg);
			note_status(c, EXIT_INPUT);
		} else {
			c->n_usable++;
		}
		if (fd != STDIN_FILENO)
			close(fd);
	}
	return ps_parse_finish(p);
}

static bool want_color(const struct cli *c, FILE *out)
{
	if (!strcmp(c->color, "always"))
		return true;
	if (!strcmp(c->color, "never") || c->ro.format != PS_REPORT_TEXT)
		return false;
	const char *nc = getenv("NO_COLOR");
	return (!nc || !*nc) && isatty(fileno(out));
}

static void open_binary(struct cli *c)
{
	struct ps_error err = { 0 };
	if (!c->binary)
		return;
	c->ro.abi = ps_abi_open(c->binary, &err);
	if (!c->ro.abi) {
		fprintf(stderr, "panicscope: %s; arguments stay undecoded\n", err.msg);
		note_status(c, EXIT_INPUT);
	}
}

/* Ends the report of DOC: what only the end knows, then the file in
 * place.  The exit status of the writing. */
static int end_report(ps_report *r, struct ps_out *o, const struct ps_doc *doc)
{
	struct ps_error err = { 0 };

	if (ps_report_end(r, doc, &err) < 0) {
		ps_out_abort(o);
		fprintf(stderr, "panicscope: %s\n", err.msg);
		return err.code == PS_ERR_BAD_REGEX ? EXIT_USAGE : EXIT_INPUT;
	}
	if (ps_out_commit(o, &err) < 0) {
		fprintf(stderr, "panicscope: %s\n", err.msg);
		return EXIT_INPUT;
	}
	return EXIT_OK;
}

/* The output is opened first and each dump reported while the next is
 * read (ps_report.h): memory holds one dump, not the whole input. */
static int run_analyze(struct cli *c)
{
	struct ps_error err = { 0 };
	struct ps_out o;

	open_binary(c);
	FILE *out = ps_out_open(&o, c->output, &err);
	if (!out) {
		fprintf(stderr, "panicscope: %s\n", err.msg);
		ps_abi_close(c->ro.abi);
		return EXIT_INPUT;
	}
	c->ro.color = want_color(c, out);
	c->ro.output_name = c->output;
	c->ro.input_name = c->n_files == 1 ? c->files[0] : c->n_files ? "" : "-";
	ps_report *r = ps_report_begin(out, &c->ro);
	struct ps_doc *doc = read_inputs(c, r);
	size_t n_dumps = doc->n_streamed + doc->n_dumps;
	/* A built-in log-prefix pattern that did not compile: that shape
	 * is not recognised, which the user should know; the rest works. */
	if (doc->error.code != PS_OK)
		fprintf(stderr, "panicscope: warning: %s\n", doc->error.msg);
	/* Nothing usable and nothing read: the lines above said why; an
	 * empty report and a "no dump found" would only mislead. */
	if (n_dumps == 0 && c->n_usable == 0 && doc->lines == 0) {
		ps_report_abort(r);
		ps_out_abort(&o);
		ps_doc_free(doc);
		ps_abi_close(c->ro.abi);
		return EXIT_INPUT;
	}
	if (n_dumps == 0) {
		const char *name = c->n_files == 1 ? c->files[0] : c->n_files ? "the inputs" : "stdin";
		fprintf(stderr, "panicscope: no Go crash dump found in '%s' (%llu lines read)\n",
			name, (unsigned long long)doc->lines);
		note_status(c, EXIT_INPUT);
	}
	note_status(c, end_report(r, &o, doc));
	ps_doc_free(doc);
	ps_abi_close(c->ro.abi);
	return c->status;
}

int main(int argc, char **argv)
{
	struct cli c;
	memset(&c, 0, sizeof(c));
	ps_set_oom_hook(oom);
	if (argc > 1 && !strcmp(argv[1], "triage"))
		return triage_main(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "check"))
		return ps_cli_check(argc - 1, argv + 1);
	int rc = parse_args(&c, argc, argv);
	if (rc >= 0)
		return rc;
	return run_analyze(&c);
}

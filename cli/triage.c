/* triage.c - `panicscope triage`: walk the inputs, cluster the crashes,
 * print the table, keep the history.  Only this file (and main.c)
 * print; the libraries fill ps_error. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "cli.h"
#include "ps_triage.h"
#ifdef PS_HAVE_HISTORY
#include "ps_history.h"
#endif

static const char usage_text[] =
"usage: panicscope triage [OPTIONS] PATH...     cluster the crashes in many logs\n"
"       panicscope triage --merge RECORDS.jsonl...\n"
"       panicscope triage --db PATH --note ID TEXT | --resolve ID [--fixed-in V]\n"
"\n"
"  PATH: a log, a directory (walked), '-' (stdin); .gz .zst .xz .bz2 .tar .tar.gz .zip\n"
"  -f, --format FMT       text (default), json, jsonl (one record per crash), markdown, html\n"
"  -o, --output PATH      write there instead of stdout (replaced whole, never half-written)\n"
"      --files-from FILE  read more paths from FILE, one a line ('-': stdin)\n"
"      --app PREFIX       import path prefix of the application's code (repeatable)\n"
"      --merge            the PATHs are jsonl records of earlier runs: reduce them\n"
"      --db PATH          keep the history of signatures in this SQLite database\n"
"      --fail-on-new      exit 1 when a new or regressed signature appears (with --db)\n"
"      --note ID TEXT     attach a note to a signature (ID or a unique prefix)\n"
"      --resolve ID       mark a signature resolved; --fixed-in VERSION names the fix\n"
"  -q, --quiet            no progress display (shown only when stderr is a terminal)\n"
"\n"
"Exit status: 0 success; 1 --fail-on-new saw a new or regressed signature; 2 usage\n"
"error; 3 an input or the database could not be used.\n";

struct tri_cli {
	enum ps_triage_format format;
	const char *output, *files_from, *db, *note_id, *note_text, *resolve_id, *fixed_in;
	struct ps_triage_opts opts;
	const char **app;
	bool merge, fail_on_new, quiet;
	char **paths;
	int n_paths;
	int status;
	/* the run */
	ps_triage_set *set;
	FILE *out;              /* jsonl records stream here */
	struct progress {
		bool on;
		uint64_t total, done, bytes;
		double start, last;
	} prog;
};

enum { O_FILES_FROM = 300, O_APP, O_MERGE, O_DB, O_FAIL_NEW, O_NOTE, O_RESOLVE, O_FIXED };

static const struct option opts[] = {
	{ "format", required_argument, NULL, 'f' },
	{ "output", required_argument, NULL, 'o' },
	{ "files-from", required_argument, NULL, O_FILES_FROM },
	{ "app", required_argument, NULL, O_APP },
	{ "merge", no_argument, NULL, O_MERGE },
	{ "db", required_argument, NULL, O_DB },
	{ "fail-on-new", no_argument, NULL, O_FAIL_NEW },
	{ "note", required_argument, NULL, O_NOTE },
	{ "resolve", required_argument, NULL, O_RESOLVE },
	{ "fixed-in", required_argument, NULL, O_FIXED },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int take(struct tri_cli *c, int opt, int argc, char **argv)
{
	static const char *const formats[] = { "text", "json", "jsonl", "markdown", "html" };
	int v;
	switch (opt) {
	case 'f':
		if (!pick(optarg, formats, 5, &v))
			return usage_error("unknown format '%s' (text, json, jsonl, markdown, html)",
					       optarg);
		c->format = (enum ps_triage_format)v;
		break;
	case 'o': c->output = optarg; break;
	case O_FILES_FROM: c->files_from = optarg; break;
	case O_APP:
		c->app = realloc(c->app, (c->opts.n_app + 1) * sizeof(*c->app));
		if (!c->app)
			oom(0);
		c->app[c->opts.n_app++] = optarg;
		c->opts.app = c->app;
		break;
	case O_MERGE: c->merge = true; break;
	case O_DB: c->db = optarg; break;
	case O_FAIL_NEW: c->fail_on_new = true; break;
	case O_NOTE:
		if (optind >= argc)
			return usage_error("--note needs an ID and a TEXT");
		c->note_id = optarg;
		c->note_text = argv[optind++];
		break;
	case O_RESOLVE: c->resolve_id = optarg; break;
	case O_FIXED: c->fixed_in = optarg; break;
	case 'q': c->quiet = true; break;
	case 'h': fputs(usage_text, stdout); return 0;
	default: return usage_error("bad option");
	}
	return -1;
}

static int parse(struct tri_cli *c, int argc, char **argv)
{
	int opt, rc;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":f:o:qh", opts, NULL)) != -1) {
		if (opt == '?')
			return usage_error("unknown triage option '%s'", argv[optind - 1]);
		if (opt == ':')
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		if ((rc = take(c, opt, argc, argv)) >= 0)
			return rc;
	}
	c->paths = argv + optind;
	c->n_paths = argc - optind;
	bool admin = c->note_id || c->resolve_id;
	if (admin && !c->db)
		return usage_error("--note and --resolve need --db");
	if (c->fixed_in && !c->resolve_id)
		return usage_error("--fixed-in needs --resolve");
	if (c->fail_on_new && !c->db)
		return usage_error("--fail-on-new needs --db (new compared with what?)");
	if (!admin && !c->n_paths && !c->files_from)
		return usage_error("triage needs a PATH ('-' for stdin) or --files-from");
	if (c->merge && c->files_from)
		return usage_error("--merge reads jsonl files named as PATHs, not --files-from");
	return -1;
}

static void note(int *status, int s)
{
	if (s > *status)
		*status = s;
}

/* ---- progress on a terminal ---- */

static double now(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return (double)tv.tv_sec + tv.tv_usec / 1e6;
}

static void progress(struct tri_cli *c, bool final)
{
	struct progress *p = &c->prog;
	double t = now();
	if (!p->on || (!final && t - p->last < 0.1))
		return;
	p->last = t;
	if (p->total < p->done)
		p->total = p->done;     /* archive members count as inputs too */
	double el = t - p->start > 1e-3 ? t - p->start : 1e-3;
	double rate = (double)p->done / el;
	double eta = rate > 0 && p->total > p->done ? (double)(p->total - p->done) / rate : 0;
	fprintf(stderr, "\r\033[Kpanicscope triage: %llu/%llu files, %.1f MB/s, ETA %.0fs",
		(unsigned long long)p->done, (unsigned long long)p->total,
		(double)p->bytes / 1e6 / el, eta);
	if (final)
		fputs("\r\033[K", stderr);
	fflush(stderr);
}

/* ---- the walk ---- */

static void on_input(void *ctx, const char *name, const char *buf, size_t len, int64_t mtime)
{
	struct tri_cli *c = ctx;
	ps_triage_scan(c->set, &c->opts, name, buf, len, mtime,
		       c->format == PS_TRIAGE_JSONL ? c->out : NULL);
	c->prog.done++;
	c->prog.bytes += len;
	progress(c, false);
}

static void on_fail(void *ctx, const char *name, const char *reason)
{
	struct tri_cli *c = ctx;
	fprintf(stderr, "panicscope: %s: %s\n", name, reason);
	ps_triage_set_unparsed(c->set, name, reason);
	if (c->format == PS_TRIAGE_JSONL)
		ps_triage_write_unparsed(c->out, name, reason);
	c->prog.done++;
}

/* --files-from: paths one a line (CR and blank lines ignored). */
static int each_listed(struct tri_cli *c, void (*fn)(struct tri_cli *, const char *))
{
	FILE *f = strcmp(c->files_from, "-") ? fopen(c->files_from, "r") : stdin;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	if (!f) {
		fprintf(stderr, "panicscope: cannot open --files-from '%s': %s\n", c->files_from,
			strerror(errno));
		return -1;
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n)
			fn(c, line);
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return 0;
}

static void count_one(struct tri_cli *c, const char *path)
{
	c->prog.total += ps_triage_count(path);
}

static void walk_one(struct tri_cli *c, const char *path)
{
	struct ps_triage_sink k = { on_input, on_fail, c };
	if (strcmp(path, "-") && access(path, F_OK) < 0)
		note(&c->status, EXIT_INPUT);
	ps_triage_walk(path, &k);
}

static void merge_one(struct tri_cli *c, const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t n;
	struct ps_error err = { 0 };

	if (!f) {
		fprintf(stderr, "panicscope: cannot open '%s': %s\n", path, strerror(errno));
		note(&c->status, EXIT_INPUT);
		return;
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		lineno++;
		if (ps_triage_merge_line(c->set, line, (size_t)n, &err) < 0) {
			fprintf(stderr, "panicscope: %s:%zu: %s\n", path, lineno, err.msg);
			note(&c->status, EXIT_INPUT);
			continue;
		}
		if (c->format == PS_TRIAGE_JSONL)
			fwrite(line, 1, (size_t)n, c->out);
	}
	free(line);
	if (f != stdin)
		fclose(f);
}

static void run_inputs(struct tri_cli *c)
{
	void (*fn)(struct tri_cli *, const char *) = c->merge ? merge_one : walk_one;
	c->prog.on = !c->quiet && !c->merge && isatty(STDERR_FILENO);
	if (c->prog.on) {
		for (int i = 0; i < c->n_paths; i++)
			count_one(c, c->paths[i]);
		if (c->files_from && strcmp(c->files_from, "-"))
			each_listed(c, count_one);
		c->prog.start = now();
	}
	for (int i = 0; i < c->n_paths; i++)
		fn(c, c->paths[i]);
	if (c->files_from && each_listed(c, fn) < 0)
		note(&c->status, EXIT_INPUT);
	progress(c, true);
}

/* ---- history ---- */

#ifdef PS_HAVE_HISTORY
static int history_admin(struct tri_cli *c)
{
	struct ps_error err = { 0 };
	ps_hist *h = ps_hist_open(c->db, &err);
	int rc = 0;
	if (!h) {
		fprintf(stderr, "panicscope: %s\n", err.msg);
		return EXIT_INPUT;
	}
	if (c->note_id)
		rc = ps_hist_note(h, c->note_id, c->note_text, &err);
	if (rc == 0 && c->resolve_id)
		rc = ps_hist_resolve(h, c->resolve_id, c->fixed_in, &err);
	ps_hist_close(h);
	if (rc < 0) {
		fprintf(stderr, "panicscope: %s\n", err.msg);
		return err.code == PS_ERR_USAGE ? EXIT_USAGE : EXIT_INPUT;
	}
	return 0;
}

/* Records this run's clusters and copies what the db knows onto them. */
static int history_record(struct tri_cli *c, ps_hist **hp)
{
	struct ps_error err = { 0 };
	size_t n;
	struct ps_triage_cluster **cl = ps_triage_clusters(c->set, &n);
	ps_hist *h = ps_hist_open(c->db, &err);
	if (!h) {
		fprintf(stderr, "panicscope: %s\n", err.msg);
		return -1;
	}
	*hp = h;
	struct ps_hist_cluster *hc = calloc(n ? n : 1, sizeof(*hc));
	struct ps_hist_info *info = calloc(n ? n : 1, sizeof(*info));
	if (!hc || !info)
		oom(n * sizeof(*hc));
	for (size_t i = 0; i < n; i++)
		hc[i] = (struct ps_hist_cluster){
			.signature = cl[i]->id, .title = cl[i]->title, .kind = cl[i]->kind,
			.count = cl[i]->count, .first_seen = cl[i]->first_seen,
			.last_seen = cl[i]->last_seen,
			.go_versions = cl[i]->go_versions, .n_go_versions = cl[i]->n_go_versions,
			.examples = cl[i]->examples, .n_examples = cl[i]->n_examples,
		};
	int rc = ps_hist_record(h, hc, n, info, &err);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		cl[i]->status = info[i].status == PS_HIST_NEW ? PS_TRIAGE_NEW :
				info[i].status == PS_HIST_KNOWN ? PS_TRIAGE_KNOWN :
				PS_TRIAGE_REGRESSED;
		cl[i]->total_count = info[i].total_count;
		cl[i]->note = info[i].note;
		cl[i]->resolved = info[i].resolved;
		cl[i]->fixed_in = info[i].fixed_in;
		if (info[i].first_seen >= 0)
			cl[i]->first_seen = info[i].first_seen;
		if (info[i].last_seen >= 0)
			cl[i]->last_seen = info[i].last_seen;
	}
	free(hc);
	free(info);
	if (rc < 0)
		fprintf(stderr, "panicscope: %s\n", err.msg);
	return rc;
}
#endif

static bool any_new(ps_triage_set *s)
{
	size_t n;
	struct ps_triage_cluster **cl = ps_triage_clusters(s, &n);
	for (size_t i = 0; i < n; i++)
		if (cl[i]->status == PS_TRIAGE_NEW || cl[i]->status == PS_TRIAGE_REGRESSED)
			return true;
	return false;
}

static int finish(struct tri_cli *c, struct ps_out *o)
{
	struct ps_error err = { 0 };
	struct ps_triage_totals t;

	ps_triage_totals(c->set, &t);
	if (!t.crashes && c->status < EXIT_INPUT) {
		fprintf(stderr, "panicscope: no Go crash dump found in the inputs (%llu files)\n",
			(unsigned long long)t.files);
		note(&c->status, EXIT_INPUT);
	}
	if (c->format != PS_TRIAGE_JSONL && ps_triage_write(c->out, c->set, c->format, &err) < 0) {
		ps_out_abort(o);
		fprintf(stderr, "panicscope: %s\n", err.msg);
		return EXIT_INPUT;
	}
	if (ps_out_commit(o, &err) < 0) {
		fprintf(stderr, "panicscope: %s\n", err.msg);
		return EXIT_INPUT;
	}
	if (c->status == 0 && c->fail_on_new && any_new(c->set))
		c->status = EXIT_FINDINGS;
	return c->status;
}

int triage_main(int argc, char **argv)
{
	struct tri_cli c;
	struct ps_error err = { 0 };
	struct ps_out o;
	memset(&c, 0, sizeof(c));
	int rc = parse(&c, argc, argv);

	if (rc >= 0)
		goto done;
#ifndef PS_HAVE_HISTORY
	if (c.db) {
		rc = usage_error("--db: this build has no history database");
		goto done;
	}
#else
	if (c.note_id || c.resolve_id) {
		rc = history_admin(&c);
		goto done;
	}
#endif
	if (!(c.out = ps_out_open(&o, c.output, &err))) {
		fprintf(stderr, "panicscope: %s\n", err.msg);
		rc = EXIT_INPUT;
		goto done;
	}
	c.set = ps_triage_set_new();
	run_inputs(&c);
#ifdef PS_HAVE_HISTORY
	ps_hist *h = NULL;
	if (c.db && history_record(&c, &h) < 0) {
		ps_out_abort(&o);
		if (h)
			ps_hist_close(h);
		rc = EXIT_INPUT;
		goto done;
	}
	rc = finish(&c, &o);
	if (h)
		ps_hist_close(h);       /* the strings of the info live until here */
#else
	rc = finish(&c, &o);
#endif
done:
	ps_triage_set_free(c.set);
	free(c.app);
	return rc;
}

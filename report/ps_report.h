/*
 * ps_report.h - turn a parsed document (and optional decoded arguments)
 * into text, JSON, HTML or Markdown.
 */
#ifndef PS_REPORT_H
#define PS_REPORT_H

#include <stdio.h>

#include "ps_abi.h"
#include "ps_base.h"
#include "ps_parse.h"
#include "ps_view.h"

enum ps_report_format {
	PS_REPORT_TEXT,
	PS_REPORT_JSON,
	PS_REPORT_HTML,
	PS_REPORT_MARKDOWN,
};

struct ps_report_opts {
	enum ps_report_format format;
	bool color;                   /* ANSI colours (text only) */
	bool all;                     /* every goroutine instead of groups */
	bool group_exact;             /* --group exact: args in the key */
	/* -m/-x: PCRE2 patterns (multi-line mode) matched against each
	 * goroutine as text: "goroutine ID [STATE]\n", then one line
	 * "FUNC(ARGS) FILE:LINE" per frame and "created by FUNC FILE:LINE".
	 * A goroutine is kept when it matches MATCH (if set) and not
	 * EXCLUDE (if set).  NULL: no filter. */
	const char *match;
	const char *exclude;
	ps_abi *abi;                  /* NULL without --binary */
	enum ps_arg_format arg_format;/* requested --arg-format */
	bool trust_binary;
	const char *input_name;       /* for messages: "crash.log" or "-" */
	/* Leave out what differs between machines (input and binary paths,
	 * the binary's location), so a golden of the JSON is byte-identical
	 * wherever it is made. */
	bool portable;
	/* --stream: write each dump as soon as it is final, not the same
	 * report as the whole input's: a dump's header has no count
	 * ("=== dump 2 (...)"), the JSON's "lines", "bytes",
	 * "skipped_lines" and "bad_lines" come after "dumps".  A single
	 * dump's report is unchanged; HTML ignores it (its page header
	 * lists every dump). */
	bool stream;
	/* Threads that group a large dump (struct ps_view_opts). */
	unsigned jobs;
	size_t split_min;
	const char *output_name;      /* for write errors: the -o path;
					 NULL or "-": standard output */
	/* One-line warnings (binary does not match the dump, undecodable
	 * frames): the report calls WARN once per distinct message; NULL
	 * drops them.  The command prints them on stderr. */
	void (*warn)(void *ctx, const char *msg);
	void *warn_ctx;
};

/* Writes the report of DOC to OUT.  0 on success; -1 with ERR filled
 * (bad regular expression, write error).  Binary/dump mismatches are not
 * errors: they are stated in the report and passed to OPTS->warn. */
int ps_report_write(FILE *out, const struct ps_doc *doc,
		    const struct ps_report_opts *opts, struct ps_error *err)
	PS_WUR;

/* The same report, one dump at a time, while the input is still being
 * read: memory then holds one dump, not the whole input.
 *
 *	ps_report *r = ps_report_begin(out, &ro);
 *	struct ps_parse_opts po = { .on_dump = ps_report_on_dump, .on_dump_ctx = r };
 *	ps_parser *p = ps_parse_new(&po);
 *	... ps_parse_fd(p, fd, name, &err) for each input ...
 *	struct ps_doc *doc = ps_parse_finish(p);   // hands out the last dump
 *	if (ps_report_end(r, doc, &err) < 0) ... err.msg ...
 *
 * The output is byte for byte that of ps_report_write on the whole
 * document.  What comes before the first dump but only the end knows
 * (the JSON's line counts, the count in "=== dump 1 of 16") makes the
 * report hold the output of the dumps before the last until the last one
 * is in: in memory while small, past a few MB in an unlinked temporary
 * file in $TMPDIR.  A single dump streams straight to OUT.  OPTS and OUT
 * must outlive the report. */
typedef struct ps_report ps_report;
ps_report *ps_report_begin(FILE *out, const struct ps_report_opts *opts);
/* Reports dump D of DOC (MORE: another dump follows; false for the last,
 * when DOC's totals are final).  -1 once the report has failed (the
 * first error is kept for ps_report_end): later dumps are skipped. */
int ps_report_dump(ps_report *r, const struct ps_doc *doc,
		   const struct ps_dump *d, bool more);
/* ps_parse_opts.on_dump for a report R (INDEX is counted by R itself). */
void ps_report_on_dump(void *r, const struct ps_doc *doc,
		       const struct ps_dump *d, size_t index, bool more);
/* Writes what only the end knows, flushes OUT and frees R.  0, or -1
 * with ERR filled with the report's first error (bad regular
 * expression, write error). */
int ps_report_end(ps_report *r, const struct ps_doc *doc, struct ps_error *err)
	PS_WUR;
/* Frees R without writing more (an aborted run). */
void ps_report_abort(ps_report *r);

#endif

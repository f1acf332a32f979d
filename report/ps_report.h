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

#endif

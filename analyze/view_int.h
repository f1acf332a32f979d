/*
 * view_int.h - private pieces of the analysis stage (prefix av_).
 *
 * ps_view_build() runs, once per dump: the filters (filter.c), frame
 * classes and path rules (paths.c), grouping (group.c), findings
 * (findings.c), the headline (headline.c) and argument decoding with a
 * warning list (view.c).  Only ps_view.h is public.
 */
#ifndef PS_VIEW_INT_H
#define PS_VIEW_INT_H

#include <string.h>

#include "ps_view.h"

/* ---- frame classes and paths (paths.c) ------------------------------ */

struct av_paths {
	const char *goroot;     /* ".../go" (no trailing /src/), or NULL */
	size_t goroot_len;
	const char *common;     /* directory prefix shared by user files */
	size_t common_len;
};

void av_paths_find_goroot(struct av_paths *p, const struct ps_dump *d);
enum ps_view_class av_class(const struct av_paths *p, const char *func,
			    const char *file, enum ps_frame_kind kind);
/* Adds FILE (a user file) to the common-prefix computation. */
void av_paths_add_user(struct av_paths *p, const char *file);
const char *av_short_path(const struct av_paths *p, const char *file,
			  enum ps_view_class cls);
/* Length of the package part of a Go function name ("net/http" for
 * "net/http.(*conn).serve"). */
size_t av_func_pkg_len(const char *func);
const struct ps_frame *av_site(const struct av_paths *p,
			       const struct ps_goroutine *g);

/* ---- filters (filter.c) --------------------------------------------- */

typedef struct av_filter av_filter;
/* Compiles MATCH and EXCLUDE (either may be NULL).  NULL with ERR filled
 * on a bad pattern; a filter with neither pattern is still returned. */
av_filter *av_filter_new(const char *match, const char *exclude,
			 struct ps_error *err);
/* true when G passes: matches MATCH (if any) and not EXCLUDE (if any). */
bool av_filter_pass(av_filter *f, const struct ps_goroutine *g);
bool av_filter_active(const av_filter *f);
void av_filter_free(av_filter *f);

/* ---- the view ------------------------------------------------------- */

struct ps_view {
	const struct ps_doc *doc;
	const struct ps_dump *dump;
	struct ps_view_opts opts;
	const struct ps_goroutine **gs;         /* passing the filters */
	size_t n_gs;
	uint64_t n_goroutines;                  /* sum of counts of gs */
	uint64_t n_runtime_stacks;              /* "runtime stack:" blocks among gs */
	size_t n_filtered_out;
	const struct ps_goroutine *crashed;
	struct ps_view_group *groups;           /* display order */
	size_t n_groups;
	struct ps_view_finding *findings;
	size_t n_findings;
	struct ps_view_line *headline;
	size_t n_headline;
	struct av_paths paths;
	enum ps_arg_format fmt;                 /* resolved */
	ps_abi_ctx *ctx;                        /* the dump's decode context */
	bool decode;                            /* decode args with the binary */
	const char *mismatch;                   /* binary/dump mismatch, or NULL */
	struct ps_map tried;                    /* frame -> struct ps_abi_frame */
	struct ps_vec warnings;                 /* const char * (arena) */
	struct ps_arena arena;                  /* everything above */
};

/* Groups V->gs (exact or not) into V->groups, ordered. */
void av_group(struct ps_view *v, bool exact);
/* The directory prefix shared by the user files that will be shown
 * (group representatives, or every goroutine with ALL). */
void av_common_prefix(struct ps_view *v, bool all);
/* Fills V->findings from the groups. */
void av_find(struct ps_view *v);
/* Fills V->headline. */
void av_headline(struct ps_view *v);

#endif

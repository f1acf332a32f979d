/* triage_int.h - what the triage/ files share (prefix tri_). */
#ifndef TRIAGE_INT_H
#define TRIAGE_INT_H

#include <string.h>

#include "ps_triage.h"

/* ---- the analysis a signature is taken from (view.c) ---- */

/* Per dump: the crashed goroutine, which frames are the application's,
 * and the dominant blocked site.  Opaque; lives in the arena given;
 * NULL only for an index out of range. */
struct tri_view;
struct tri_view *tri_view_new(const struct ps_doc *doc, size_t index, struct ps_arena *a);
void tri_view_free(struct tri_view *v);
const struct ps_goroutine *tri_view_crashed(const struct tri_view *v);
/* true for the program's own code (not GOROOT, module cache, vendor, C) */
bool tri_view_is_user(const struct tri_view *v, const struct ps_frame *f);
/* The goroutine of the finding (deadlock, leak, contention, hung test)
 * or else of the largest blocked group (of any group when no state is
 * blocked, as in a profile), or NULL. */
const struct ps_goroutine *tri_view_dominant(const struct tri_view *v);

/* ---- reading the flat JSON objects of jsonl records (json.c) ---- */

/* One field of an object whose values are strings, numbers, null,
 * booleans or arrays of strings (what ps_triage_write_crash writes). */
struct tri_jfield {
	const char *key;
	enum { TRI_J_STR, TRI_J_NUM, TRI_J_NULL, TRI_J_BOOL, TRI_J_ARR } type;
	const char *str;                /* STR (unescaped) */
	double num;
	bool b;
	const char **arr;               /* ARR of strings */
	size_t n_arr;
};
/* Parses one object from LINE into FIELDS (max N), strings from A.
 * Returns the number of fields, or -1 with ERR filled. */
int tri_json_object(const char *line, size_t len, struct ps_arena *a,
		    struct tri_jfield *fields, size_t n, struct ps_error *err);
/* The field named KEY, or NULL. */
const struct tri_jfield *tri_json_get(const struct tri_jfield *f, size_t n,
				      const char *key);

/* The HTML page (html.c), written through base's byte buffer. */
struct ps_buf;
void tri_write_html(struct ps_buf *b, FILE *out, ps_triage_set *s);

/* "2026-11-02T10:01:01Z" from unix seconds into BUF (>= 21 bytes) */
void tri_time_iso(int64_t t, char *buf);

#endif

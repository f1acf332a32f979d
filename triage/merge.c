/* merge.c - the reduce step: jsonl records of earlier runs back into
 * crashes, so clusters come out as one run over all the logs gives. */
#include "triage_int.h"

#define MAX_FIELDS 32

static const char *str_or(const struct tri_jfield *f, size_t n, const char *key,
			  const char *dflt)
{
	const struct tri_jfield *v = tri_json_get(f, n, key);
	return v && v->type == TRI_J_STR ? v->str : dflt;
}

static int64_t time_of(const struct tri_jfield *f, size_t n, const char *key)
{
	const char *s = str_or(f, n, key, NULL);
	return s ? ps_triage_line_time(s, strlen(s)) : -1;
}

static int crash_record(ps_triage_set *s, const struct tri_jfield *f, size_t n,
			struct ps_error *err)
{
	struct ps_triage_crash c = { 0 };
	const struct tri_jfield *dump = tri_json_get(f, n, "dump");
	const struct tri_jfield *frames = tri_json_get(f, n, "top_frames");
	const struct tri_jfield *inkey = tri_json_get(f, n, "message_in_signature");
	const char *sig = str_or(f, n, "signature", NULL);
	const char *recipe = str_or(f, n, "recipe", "");

	c.file = str_or(f, n, "file", NULL);
	c.kind = str_or(f, n, "kind", NULL);
	c.message = str_or(f, n, "message", "");
	c.msg_class = str_or(f, n, "message_class", NULL);
	if (!c.file || !c.kind || !c.msg_class || !sig || !dump || dump->type != TRI_J_NUM ||
	    !frames || frames->type != TRI_J_ARR || !inkey || inkey->type != TRI_J_BOOL)
		return ps_error_set(err, PS_ERR_IO, "crash record lacks a field of %s",
				    PS_TRIAGE_RECIPE);
	if (strcmp(recipe, PS_TRIAGE_RECIPE))
		return ps_error_set(err, PS_ERR_IO,
				    "record made with signature recipe '%s', not %s: re-run "
				    "the map step", recipe, PS_TRIAGE_RECIPE);
	c.dump = dump->num >= 0 && dump->num < 4e9 ? (uint32_t)dump->num : 0;
	c.msg_in_key = inkey->b;
	c.n_frames = frames->n_arr < PS_TRIAGE_FRAMES ? frames->n_arr : PS_TRIAGE_FRAMES;
	for (size_t i = 0; i < c.n_frames; i++)
		c.frames[i] = frames->arr[i];
	c.go_version = str_or(f, n, "go_version", NULL);
	c.time = time_of(f, n, "time");
	c.mtime = time_of(f, n, "mtime");
	c.sig = ps_triage_hash(&c);
	char hex[17];
	snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)c.sig);
	if (strcmp(hex, sig))
		return ps_error_set(err, PS_ERR_IO,
				    "signature %s does not match the record's fields", sig);
	if (c.dump == 0)
		ps_triage_set_file(s);
	ps_triage_set_add(s, &c);
	return 0;
}

int ps_triage_merge_line(ps_triage_set *s, const char *line, size_t len,
			 struct ps_error *err)
{
	struct tri_jfield f[MAX_FIELDS];
	struct ps_arena a = { 0 };
	size_t i = 0;
	int n, rc = 0;

	while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r' || line[i] == '\n'))
		i++;
	if (i == len)
		return 1;
	if ((n = tri_json_object(line, len, &a, f, MAX_FIELDS, err)) < 0) {
		ps_arena_release(&a);
		return -1;
	}
	const char *schema = str_or(f, (size_t)n, "schema", "");
	if (!strcmp(schema, "panicscope.crash/1")) {
		rc = crash_record(s, f, (size_t)n, err);
	} else if (!strcmp(schema, "panicscope.unparsed/1")) {
		const char *file = str_or(f, (size_t)n, "file", NULL);
		if (file)
			ps_triage_set_unparsed(s, file, str_or(f, (size_t)n, "reason", ""));
		else
			rc = ps_error_set(err, PS_ERR_IO, "unparsed record without a file");
	} else {
		rc = ps_error_set(err, PS_ERR_IO, "not a panicscope triage record (schema '%s')",
				  schema);
	}
	ps_arena_release(&a);
	return rc;
}

/* pprof.c - goroutine profiles at debug=1: "N @ 0x.. 0x.." records
 * followed by "#\t0x..\tfunc+0xoff\tfile:line" lines; columns come from
 * text/tabwriter and may be separated by several TABs. */
#include "ps_parse_int.h"

static bool blank(char ch)
{
	return ch == '\t' || ch == ' ';
}

/* Next field of [*S, E), skipping runs of TABs, or of spaces when the
 * TABs were expanded on the way (SPACES counts them); REST takes the rest
 * of the line, so a file path may hold spaces. */
static bool next_field(const char **s, const char *e, const char **f, size_t *fn,
		       bool rest, size_t *spaces)
{
	while (*s < e && blank(**s))
		*spaces += **s == ' ', (*s)++;
	if (*s >= e)
		return false;
	const char *t = *s;
	while (t < e && (rest || !blank(*t)))
		t++;
	*f = *s;
	*fn = (size_t)(t - *s);
	*s = t;
	return true;
}

static bool pprof_frame(struct ps_parser *p, const char *s, size_t n)
{
	const char *e = s + n, *f;
	size_t fn, spaces = 0;
	uint32_t line = p->lineno;
	s += 1; /* '#' */
	if (!next_field(&s, e, &f, &fn, false, &spaces) || !ps_mem_starts(f, fn, "0x"))
		return false;
	if (spaces)
		ps_p_repair(p, &(struct ps_repair){ .kind = PS_REPAIR_SPACES_FOR_TAB,
			.line = line, .detail = (uint32_t)spaces });
	if (!next_field(&s, e, &f, &fn, false, &spaces)) { /* unsymbolized "#\t0x4069ab" */
		ps_p_add_frame(p, "?", 1, "", 0);
		return true;
	}
	/* "main.worker+0x2b": the offset follows the last '+'. */
	const char *plus = NULL;
	for (size_t i = fn; i-- > 0;)
		if (f[i] == '+') {
			plus = f + i;
			break;
		}
	struct ps_frame *fr = ps_p_add_frame(p, f, plus ? (size_t)(plus - f) : fn, "", 0);
	if (plus) {
		struct ps_cursor c = cur_make(plus + 1, (size_t)(f + fn - plus - 1));
		uint64_t off;
		if (ps_cur_hex_u64(&c, &off) && off <= UINT32_MAX) {
			fr->pc_offset = (uint32_t)off;
			fr->has_pc_offset = true;
		}
	}
	if (next_field(&s, e, &f, &fn, true, &spaces)) {
		p->st = ST_FILE;
		ps_p_file_ref(p, f, fn, false);
	}
	p->st = ST_GOROUTINE;
	return true;
}

bool ps_p_pprof_line(struct ps_parser *p, const char *s, size_t n)
{
	struct ps_cursor c = cur_make(s, n);
	uint64_t count;
	if (n == 0) {
		ps_p_end_goroutine(p);
		return true;
	}
	if (ps_cur_dec_u64(&c, &count) && cur_skip(&c, " @")) {
		ps_p_begin_headerless(p, "", false);
		p->gb.rare.count = count;
		p->gb.g.state = "";
		return true;
	}
	if (!p->gb.open || s[0] != '#')
		return false;
	if (ps_mem_starts(s, n, "# labels: ")) {
		p->gb.g.header_extra = ps_arena_strndup(&p->dump->arena, s + 2, n - 2);
		return true;
	}
	return pprof_frame(p, s, n);
}

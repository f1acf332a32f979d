/* race.c - race detector reports: each access and creation stack
 * becomes a header-less goroutine whose role is the report's line. */
#include "ps_parse_int.h"

/* "Write at 0x.. by goroutine 7:", "Previous read at 0x.. by main
 * goroutine:", "Goroutine 7 (running) created at:". */
static bool block_header(struct ps_parser *p, const char *s, size_t n)
{
	if (n < 2 || s[n - 1] != ':' || s[0] < 'A' || s[0] > 'Z')
		return false;
	const char *role = ps_arena_strndup(&p->dump->arena, s, n - 1);
	ps_p_begin_headerless(p, role, false);
	struct ps_goroutine *g = &p->gb.g;
	struct ps_cursor c = cur_make(s, n);
	const char *by = memmem(s, n, "by goroutine ", 13);
	if (cur_skip(&c, "Goroutine ")) {
		g->has_id = ps_cur_dec_u64(&c, &g->id);
		const char *lp = memchr(s, '(', n), *rp = memchr(s, ')', n);
		if (lp && rp && rp > lp)
			g->state = ps_p_intern(p, lp + 1, (size_t)(rp - lp - 1));
	} else if (by) {
		c = cur_make(by, (size_t)(s + n - by));
		cur_skip(&c, "by goroutine ");
		g->has_id = ps_cur_dec_u64(&c, &g->id);
	} else if (memmem(s, n, "by main goroutine", 17)) {
		g->id = 1;
		g->has_id = true;
	}
	p->st = ST_GOROUTINE;
	return true;
}

bool ps_p_race_line(struct ps_parser *p, const char *s, size_t n)
{
	if (n == 18 && !memcmp(s, "==================", 18)) {
		ps_p_end_dump(p);
		return true;
	}
	if (n == 0) {
		ps_p_end_goroutine(p);
		p->st = ST_GOROUTINE;
		return true;
	}
	if (p->gb.open && ps_mem_starts(s, n, "  [failed to restore the stack]")) {
		p->gb.g.no_stack = true;
		return true;
	}
	if (p->gb.open && n > 2 && s[0] == ' ' && s[1] == ' ' && s[2] != ' ') {
		return ps_p_frame_line(p, s + 2, n - 2);
	}
	if (p->gb.open && n > 3 && s[0] == ' ' && (p->st == ST_FILE))
		return ps_p_file_line(p, s, n);
	if (ps_mem_starts(s, n, "WARNING: DATA RACE"))
		return true;
	return block_header(p, s, n);
}

/* wrap.c - rejoin lines that a document, a mail or a terminal
 * hard-wrapped at a fixed column.
 *
 * Every input line is held back one line.  When the next one cannot be
 * a Go line on its own and the two together are one (or the held line
 * is exactly as wide as the wrap seen so far), the next line is appended
 * to the held one, without its log prefix if it repeats it.  The joined
 * line then goes through the parser as one line, and the dump records
 * the repair.
 */
#include "ps_parse_int.h"

/* How much a line means on its own. */
enum lclass {
	LC_WEAK,        /* no Go form: may be a continuation */
	LC_TEXT,        /* a Go form followed by free text (panic: ...) */
	LC_STRUCT,      /* a complete structural line: header, frame, file */
};

/* "#\t0x4b6172\tmain.handle+0x32\t..." (TABs possibly spaces) */
static bool pprof_frame(const char *s, size_t n)
{
	size_t i = 1;
	if (!n || s[0] != '#')
		return false;
	while (i < n && (s[i] == '\t' || s[i] == ' '))
		i++;
	return i > 1 && ps_mem_starts(s + i, n - i, "0x");
}

static enum lclass line_class(const char *s, size_t n)
{
	static const char *const text_forms[] = {
		"panic: ", "fatal error: ", "created by ", "[signal ", "runtime: ",
		"goroutine running on other thread", "...", "[originating from goroutine ",
		"runtime stack:", "exit status ", "PC=0x", "SIG", "WARNING: DATA RACE",
		"==================", "goroutine profile: ", "Exception 0x",
	};
	size_t i = 0;
	if (n == 0)
		return LC_STRUCT; /* a blank line never continues anything */
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	const char *t = s + i;
	size_t tn = n - i;
	if ((i && ps_p_is_file_line(s, n)) || ps_p_is_goroutine_header(t, tn) ||
	    ps_p_is_frame_line(t, tn) || pprof_frame(t, tn))
		return LC_STRUCT;
	/* most lines of a service log start with none of the forms' first
	 * bytes: a byte compare rejects a form before any memcmp */
	for (size_t k = 0; k < sizeof(text_forms) / sizeof(text_forms[0]); k++)
		if (tn && t[0] == text_forms[k][0] && ps_mem_starts(t, tn, text_forms[k]))
			return LC_TEXT;
	return LC_WEAK;
}

/* Width of S in columns, TABs to the next multiple of 8 (what fold and
 * most terminals count). */
static inline size_t columns(const char *s, size_t n)
{
	const char *e = s + n, *t;
	size_t col = 0;
	for (; s < e && *s == '\t'; s++) /* a file line's indent */
		col += 8;
	/* from TAB to TAB by memchr: every line is measured, and a per-byte
	 * loop here was a sixth of the whole run on a big dump */
	while ((t = memchr(s, '\t', (size_t)(e - s)))) {
		col = (col + (size_t)(t - s)) / 8 * 8 + 8;
		s = t + 1;
	}
	return col + (size_t)(e - s);
}

static void hold_put(struct ps_parser *p, const char *s, size_t n)
{
	struct ps_hold *h = &p->hold;
	if (h->len + n > PS_MAX_LINE)
		n = PS_MAX_LINE - h->len;
	/* allocated even for nothing: a lone "\r" holds an empty line, and
	 * an empty line is still a pointer to a byte */
	if (!h->text || h->len + n > h->cap) {
		h->cap = (h->len + n) * 2 + 64;
		h->text = ps_xrealloc(h->text, h->cap);
	}
	memcpy(h->text + h->len, s, n);
	h->len += n;
}

/* Columns of a line that may equal a wrap width; wider lines only need
 * to be known as wider (columns >= bytes), which spares a pass.  LEAD
 * (ps_p_wrap_take) spares it too: a line with no TAB past its indent is
 * 7 columns wider than long per TAB. */
static size_t width_of(const struct ps_parser *p, const char *s, size_t n, size_t lead)
{
	size_t widest = p->wrap_col > PS_WRAP_WIDEST ? p->wrap_col : PS_WRAP_WIDEST;
	if (n > widest)
		return n;
	return lead != PS_LEAD_MEASURE ? ps_p_lead_cols(n, lead) : columns(s, n);
}

/* The class of the raw line S, its repeated log prefix stripped.  A
 * file line the memo knows is one without a parse: a file line as wide
 * as a wrap (100 columns) is held and classed, a tenth of a big dump's
 * lines. */
static enum lclass raw_class(struct ps_parser *p, const char *s, size_t n)
{
	ps_prefixer_strip(p->px, &s, &n);
	if (n && s[0] == '\t' && ps_p_known_file_line(p, s, n))
		return LC_STRUCT;
	return line_class(s, n);
}

/* The held line's class, computed once. */
static enum lclass held_class(struct ps_parser *p)
{
	struct ps_hold *h = &p->hold;
	if (h->cls < 0)
		h->cls = (int)raw_class(p, h->text, h->len);
	return (enum lclass)h->cls;
}

/* Is S (N bytes, class *CLS, -1 while not known) a line that means
 * nothing alone?  Its class is worked out the first time it is asked. */
static bool weak_class(struct ps_parser *p, const char *s, size_t n, int *cls)
{
	if (*cls < 0)
		*cls = (int)raw_class(p, s, n);
	return *cls == LC_WEAK;
}

/* Could some next line continue S (N bytes; its last input line RAW_LEN
 * bytes, RAW_COLS columns), whose class is *CLS (-1: not known yet, then
 * worked out if needed)?  Nothing the next line says enters: the usual
 * case, a Go line no wrap's width, is decided cheaply and once.
 * Inline: every input line asks, and its first two tests nearly always
 * answer. */
static inline bool may_continue(struct ps_parser *p, const char *s, size_t n,
				size_t raw_len, size_t raw_cols, int *cls)
{
	if (n < PS_WRAP_MIN)
		return false;
	if (ps_p_wrap_width(p, raw_len, raw_cols))
		return true;
	return !ps_p_looks_whole(s, n) && weak_class(p, s, n, cls);
}

/* Should NEXT (a raw line, CR removed) be appended to the held line? */
static bool continues(struct ps_parser *p, const char *next, size_t nn,
		      const char **cont, size_t *cont_n)
{
	struct ps_hold *h = &p->hold;
	const char *hs = h->text;
	size_t hn = h->len;
	if (!nn || hn + nn > PS_MAX_LINE ||
	    !may_continue(p, hs, hn, h->raw_len, h->raw_cols, &h->cls))
		return false;
	bool wide = ps_p_wrap_width(p, h->raw_len, h->raw_cols);
	/* coloured lines are not judged: the escapes hide their forms */
	if (p->saw_esc && (memchr(hs, 0x1b, hn) || memchr(next, 0x1b, nn)))
		return false;
	*cont = next;
	*cont_n = nn;
	ps_prefixer_strip(p->px, cont, cont_n); /* a repeated prefix goes */
	if (!*cont_n)
		return false;
	/* a frame line parsed before is a frame line: spared a class */
	enum lclass cn = **cont != ' ' && **cont != '\t' &&
			 ps_p_known_frame_line(p, *cont, *cont_n)
		? LC_STRUCT : line_class(*cont, *cont_n);
	p->next_cls = (int)cn;
	p->next_cls_line = p->rawno;
	enum lclass ch = held_class(p);
	if (cn != LC_WEAK && (!wide || ch != LC_WEAK))
		return false;
	ps_prefixer_strip(p->px, &hs, &hn);
	if (p->join_cap < hn + *cont_n) {
		p->join_cap = (hn + *cont_n) * 2;
		p->join = ps_xrealloc(p->join, p->join_cap);
	}
	memcpy(p->join, hs, hn);
	memcpy(p->join + hn, *cont, *cont_n);
	enum lclass cj = line_class(p->join, hn + *cont_n);
	p->join_cls = (int)cj; /* the held line's class if joined */
	p->join_wide = wide;
	if (cj == LC_WEAK) /* the start of a line wrapped more than once */
		return ch == LC_WEAK && cn == LC_WEAK && wide && (p->dump || h->wraps);
	if (ch == LC_WEAK) /* the held line means nothing alone */
		return cn == LC_WEAK || wide;
	return cn == LC_WEAK && wide;
}

void ps_p_wrap_flush(struct ps_parser *p)
{
	struct ps_hold *h = &p->hold;
	if (!h->full)
		return;
	h->full = false;
	p->lineno = h->line;
	p->wrap_line2 = h->wraps ? h->line2 : 0;
	p->wrap_at = h->wrap_at;
	ps_p_line(p, h->text, h->len, h->cr);
	p->wrap_line2 = 0;
}

/* Not inlined into the splitter: its registers would be saved and
 * restored on every line, ps_p_wrap_passes's included. */
PS_NOINLINE bool ps_p_wrap_take(struct ps_parser *p, const char *s, size_t n, bool cr,
				size_t lead)
{
	struct ps_hold *h = &p->hold;
	const char *cont;
	size_t cont_n;
	if (h->full && continues(p, s, n, &cont, &cont_n)) {
		if (!h->wraps++)
			h->wrap_at = (uint32_t)h->len;
		/* only a join at a usual width tells the wrap column */
		if (!p->wrap_col && p->join_wide)
			p->wrap_col = h->raw_len;
		h->line2 = p->rawno;
		h->raw_len = n;
		h->raw_cols = width_of(p, s, n, lead);
		h->cls = p->join_cls;
		hold_put(p, cont, cont_n);
		return true;
	}
	ps_p_wrap_flush(p);
	/* a held line shorter than PS_WRAP_MIN is never measured again */
	size_t cols = n < PS_WRAP_MIN ? n : width_of(p, s, n, lead);
	int cls = p->next_cls_line == p->rawno ? p->next_cls : -1;
	/* The state that decides whether a line may be continued does not
	 * change before the next line comes: a line nothing can continue
	 * (nearly every line) is parsed now, not copied and held. */
	if (!p->hold_next && !may_continue(p, s, n, n, cols, &cls))
		return false;
	h->full = true;
	h->len = 0;
	h->wraps = 0;
	h->line = p->rawno;
	h->cr = cr;
	h->raw_len = n;
	h->raw_cols = cols;
	h->cls = cls;
	hold_put(p, s, n);
	return true;
}

void ps_p_wrap_feed(struct ps_parser *p, const char *s, size_t n)
{
	bool cr = false;
	n = ps_p_strip_eol(s, n, &cr);
	p->rawno++;
	if (!ps_p_wrap_take(p, s, n, cr, PS_LEAD_MEASURE)) {
		p->lineno = p->rawno;
		ps_p_line(p, s, n, cr);
	}
}

/* prefix.c - find and strip the per-line prefixes that log collectors
 * put in front of a crash dump (timestamps, journald, docker, [pod]).
 *
 * A prefix is learned from an anchor line, the first line of a dump
 * that shows up past column 0.  When the text before the anchor has a
 * known shape (a timestamp varies from line to line) the shape's regular
 * expression is used; otherwise the exact text is.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>

#include "ps_parse_int.h"

#define RFC3339_PREFIX                                                  \
	"\\d{4}-\\d\\d-\\d\\d[T ]\\d\\d:\\d\\d:\\d\\d(?:[.,]\\d+)?"       \
	"(?:Z|[+-]\\d\\d:?\\d\\d)?(?: (?:stdout|stderr) [FP])? ?"

/* Known prefix shapes, anchored, each consuming its trailing separator. */
static const char *const shapes[] = {
	/* RFC 3339 / kubectl --timestamps, optionally + CRI stream tag */
	RFC3339_PREFIX,
	/* syslog / journald: "Nov 21 23:40:01 host app[1234]: " */
	"[A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\S+ [^:\\s]+: ",
	/* Go log package: "2026/11/21 23:40:01.123456 " */
	"\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)? ",
	/* docker compose: "service-1  | " */
	"[\\w.-]+\\s*\\| ",
};
#define N_SHAPES (sizeof(shapes) / sizeof(shapes[0]))

/* The active prefix: a known shape, a learned sequence of token
 * classes, the exact text, or none. */
enum { PX_LEARNED = -3, PX_NONE = -2, PX_LITERAL = -1 };

struct ps_prefixer {
	struct ps_prefixer_pub pub; /* first: ps_prefixer_strip reads it */
	pcre2_code *code[N_SHAPES];
	bool compiled[N_SHAPES];/* code[i] was tried (it may have failed) */
	pcre2_code *learned;    /* built from the anchor line's prefix */
	pcre2_match_data *md;
	struct ps_error *err;   /* where a built-in pattern's failure goes */
	int active;             /* shape index or PX_* */
	char *literal;          /* PX_LITERAL text, PX_LEARNED description */
	size_t literal_len;
};

/* The active prefix, and the inline strip's copy of whether there is one. */
static void set_active(ps_prefixer *px, int active)
{
	px->active = active;
	px->pub.prefixed = active != PX_NONE;
}

ps_prefixer *ps_prefixer_new(struct ps_error *err)
{
	ps_prefixer *px = ps_xcalloc(1, sizeof(*px));
	px->err = err;
	px->md = pcre2_match_data_create(1, NULL);
	set_active(px, PX_NONE);
	return px;
}

/* Shape I, compiled (and JIT-compiled) the first time it is needed: most
 * inputs never need a prefix, and triage makes a parser per file, so
 * compiling every shape up front was a third of its time on small logs.
 * NULL when the pattern does not compile (reported once in ERR). */
static const pcre2_code *shape_code(ps_prefixer *px, size_t i)
{
	int errcode;
	PCRE2_SIZE erroff;

	if (px->compiled[i])
		return px->code[i];
	px->compiled[i] = true;
	px->code[i] = pcre2_compile((PCRE2_SPTR)shapes[i], PCRE2_ZERO_TERMINATED,
				    PCRE2_ANCHORED, &errcode, &erroff, NULL);
	if (px->code[i]) {
		pcre2_jit_compile(px->code[i], PCRE2_JIT_COMPLETE);
	} else if (px->err && px->err->code == PS_OK) {
		PCRE2_UCHAR msg[120];
		pcre2_get_error_message(errcode, msg, sizeof(msg));
		ps_error_set(px->err, PS_ERR_INTERNAL,
			     "built-in prefix pattern %zu does not compile at %zu: %s",
			     i, (size_t)erroff, (const char *)msg);
	}
	return px->code[i];
}

void ps_prefixer_free(ps_prefixer *px)
{
	if (!px)
		return;
	for (size_t i = 0; i < N_SHAPES; i++)
		pcre2_code_free(px->code[i]);
	pcre2_code_free(px->learned);
	pcre2_match_data_free(px->md);
	free(px->literal);
	free(px);
}

void ps_prefixer_clear(ps_prefixer *px)
{
	pcre2_code_free(px->learned);
	px->learned = NULL;
	set_active(px, PX_NONE);
	free(px->literal);
	px->literal = NULL;
	px->literal_len = 0;
}

/* Length of the match of CODE at the start of S, or -1. */
static long code_match(ps_prefixer *px, const pcre2_code *code, const char *s, size_t n)
{
	if (!code)
		return -1;
	int rc = pcre2_match(code, (PCRE2_SPTR)s, n, 0, 0, px->md, NULL);
	if (rc < 0)
		return -1;
	return (long)pcre2_get_ovector_pointer(px->md)[1];
}

static long shape_match(ps_prefixer *px, size_t i, const char *s, size_t n)
{
	return code_match(px, shape_code(px, i), s, n);
}

bool ps_prefixer_strip_active(ps_prefixer *px, const char **line, size_t *len)
{
	if (px->active == PX_LITERAL) {
		if (*len < px->literal_len ||
		    memcmp(*line, px->literal, px->literal_len) != 0)
			return false;
		*line += px->literal_len;
		*len -= px->literal_len;
		return true;
	}
	long m = px->active == PX_LEARNED ? code_match(px, px->learned, *line, *len)
					  : shape_match(px, (size_t)px->active, *line, *len);
	if (m < 0)
		return false;
	*line += m;
	*len -= (size_t)m;
	return true;
}

/* ---- learned prefixes: a sequence of token classes ---- */

/* Pattern and description of one token of a prefix; NULL for a token
 * that is the same on every line (kept as literal text). */
struct tclass {
	const char *pattern, *name;
};

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return n > 0;
}

static struct tclass classify(const char *t, size_t n)
{
	const char *lb = memchr(t, '[', n);
	if (all_digits(t, n))
		return (struct tclass){ "\\d+", "<n>" };
	if (n >= 8 && t[2] == ':' && t[5] == ':' && all_digits(t, 2) &&
	    all_digits(t + 3, 2) && all_digits(t + 6, 2))
		return (struct tclass){ "\\d\\d:\\d\\d:\\d\\d[.,\\d]*", "<time>" };
	if (n >= 4 && lb && lb > t && ps_mem_ends(t, n, "]:") &&
	    all_digits(lb + 1, (size_t)(t + n - 2 - lb - 1)))
		return (struct tclass){ "[^\\s\\[]+\\[\\d+\\]:", "<unit[pid]:>" };
	if (n >= 2 && t[0] == '[' && t[n - 1] == ']')
		return (struct tclass){ "\\[[^\\]]*\\]", "<[pod]>" };
	return (struct tclass){ NULL, NULL };
}

struct pbuf {
	char s[1024];
	size_t n;
	bool full;
};

static void pb_add(struct pbuf *b, const char *s, size_t n)
{
	if (b->full || n >= sizeof(b->s) - b->n) {
		b->full = true;
		return;
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

/* Literal text in a pattern: every non-alphanumeric byte escaped. */
static void pb_quote(struct pbuf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		bool plain = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
			     (ch >= 'A' && ch <= 'Z') || ch >= 0x80;
		if (!plain)
			pb_add(b, "\\", 1);
		pb_add(b, s + i, 1);
	}
}

/* Builds a pattern from the classes of the tokens of S[0..N): a CI log's
 * " 618283 2021-09-15T07:40:15.1455272Z " gives "\s*\d+ +<timestamp>".
 * Inner runs of spaces match any run (numbers are right-aligned); the
 * last run is kept exact.  False when
 * every token is literal or the result does not match S itself. */
static bool learn(ps_prefixer *px, const char *s, size_t n)
{
	struct pbuf pat = { .n = 0 }, desc = { .n = 0 };
	bool varies = false;
	size_t i = 0;
	while (i < n) {
		size_t j = i;
		if (s[i] == ' ') {
			while (j < n && s[j] == ' ')
				j++;
			/* the last run is exact: what follows it may be a
			 * TAB or spaces of the line itself */
			const char *blank = j == n ? NULL : i ? " +" : " *";
			if (blank)
				pb_add(&pat, blank, strlen(blank));
			else
				pb_quote(&pat, s + i, j - i);
			pb_add(&desc, " ", 1);
			i = j;
			continue;
		}
		long m = shape_match(px, 0, s + i, n - i); /* an RFC 3339 stamp */
		if (m > 0) {
			pb_add(&pat, "(?:", 3);
			pb_add(&pat, shapes[0], strlen(shapes[0]));
			pb_add(&pat, ")", 1);
			pb_add(&desc, "<timestamp> ", 12);
			varies = true;
			i += (size_t)m;
			continue;
		}
		while (j < n && s[j] != ' ')
			j++;
		struct tclass c = classify(s + i, j - i);
		if (c.pattern) {
			pb_add(&pat, c.pattern, strlen(c.pattern));
			pb_add(&desc, c.name, strlen(c.name));
			varies = true;
		} else {
			pb_quote(&pat, s + i, j - i);
			pb_add(&desc, s + i, j - i);
		}
		i = j;
	}
	if (!varies || pat.full || desc.full)
		return false;
	int errcode;
	PCRE2_SIZE erroff;
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)pat.s, pat.n, PCRE2_ANCHORED,
					 &errcode, &erroff, NULL);
	if (!code || code_match(px, code, s, n) != (long)n) {
		pcre2_code_free(code);
		return false;
	}
	ps_prefixer_clear(px);
	px->learned = code;
	set_active(px, PX_LEARNED);
	px->literal = ps_xstrndup(desc.s, desc.n);
	px->literal_len = desc.n;
	return true;
}

void ps_prefixer_adopt(ps_prefixer *px, const char *line, size_t off)
{
	for (size_t i = 0; i < N_SHAPES; i++) {
		if (shape_match(px, i, line, off) == (long)off) {
			ps_prefixer_clear(px);
			set_active(px, (int)i);
			return;
		}
	}
	if (learn(px, line, off))
		return;
	ps_prefixer_clear(px);
	set_active(px, PX_LITERAL);
	px->literal = ps_xstrndup(line, off);
	px->literal_len = off;
}

const char *ps_prefixer_describe(const ps_prefixer *px)
{
	static const char *const names[N_SHAPES] = {
		"<timestamp> ", "<syslog> ", "<log timestamp> ", "<service> | ",
	};
	if (px->active == PX_NONE)
		return "";
	return px->active < 0 ? px->literal : names[px->active];
}

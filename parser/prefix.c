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

struct ps_prefixer {
	pcre2_code *code[N_SHAPES];
	pcre2_match_data *md;
	int active;             /* shape index, -1 literal, -2 none */
	char *literal;
	size_t literal_len;
};

ps_prefixer *ps_prefixer_new(void)
{
	ps_prefixer *px = ps_xcalloc(1, sizeof(*px));
	int errcode;
	PCRE2_SIZE erroff;

	for (size_t i = 0; i < N_SHAPES; i++) {
		px->code[i] = pcre2_compile((PCRE2_SPTR)shapes[i], PCRE2_ZERO_TERMINATED,
					    PCRE2_ANCHORED, &errcode, &erroff, NULL);
		if (px->code[i])
			pcre2_jit_compile(px->code[i], PCRE2_JIT_COMPLETE);
	}
	px->md = pcre2_match_data_create(1, NULL);
	px->active = -2;
	return px;
}

void ps_prefixer_free(ps_prefixer *px)
{
	if (!px)
		return;
	for (size_t i = 0; i < N_SHAPES; i++)
		pcre2_code_free(px->code[i]);
	pcre2_match_data_free(px->md);
	free(px->literal);
	free(px);
}

void ps_prefixer_clear(ps_prefixer *px)
{
	px->active = -2;
	free(px->literal);
	px->literal = NULL;
	px->literal_len = 0;
}

/* Length of the match of shape I at the start of S, or -1. */
static long shape_match(ps_prefixer *px, size_t i, const char *s, size_t n)
{
	if (!px->code[i])
		return -1;
	int rc = pcre2_match(px->code[i], (PCRE2_SPTR)s, n, 0, 0, px->md, NULL);
	if (rc < 0)
		return -1;
	return (long)pcre2_get_ovector_pointer(px->md)[1];
}

bool ps_prefixer_strip(ps_prefixer *px, const char **line, size_t *len)
{
	if (px->active == -2)
		return true;
	if (px->active == -1) {
		if (*len < px->literal_len ||
		    memcmp(*line, px->literal, px->literal_len) != 0)
			return false;
		*line += px->literal_len;
		*len -= px->literal_len;
		return true;
	}
	long m = shape_match(px, (size_t)px->active, *line, *len);
	if (m < 0)
		return false;
	*line += m;
	*len -= (size_t)m;
	return true;
}

/* Offset of a dump anchor inside S past column 0, or 0 when none. */
static size_t find_anchor(const char *s, size_t n)
{
	static const char *const anchors[] = {
		"goroutine ", "panic: ", "fatal error: ", "created by ",
		"WARNING: DATA RACE", "SIGQUIT: ", "SIGABRT: ", "SIGSEGV: ",
		"goroutine profile: ", "Exception 0x", "[signal ",
	};
	size_t best = 0;
	for (size_t i = 0; i < sizeof(anchors) / sizeof(anchors[0]); i++) {
		size_t an = strlen(anchors[i]);
		const char *hit = s + 1;
		while ((hit = memmem(hit, n - (size_t)(hit - s), anchors[i], an))) {
			size_t off = (size_t)(hit - s);
			bool ok = true;
			if (i == 0) /* "goroutine " must be a header: digit next */
				ok = off + an < n && s[off + an] >= '0' && s[off + an] <= '9';
			if (ok && (!best || off < best))
				best = off;
			if (ok || (size_t)(++hit - s) >= n)
				break;
		}
	}
	return best;
}

size_t ps_prefixer_anchor(const char *line, size_t len)
{
	return len > 1 ? find_anchor(line, len) : 0;
}

void ps_prefixer_adopt(ps_prefixer *px, const char *line, size_t off)
{
	for (size_t i = 0; i < N_SHAPES; i++) {
		if (shape_match(px, i, line, off) == (long)off) {
			ps_prefixer_clear(px);
			px->active = (int)i;
			return;
		}
	}
	ps_prefixer_clear(px);
	px->active = -1;
	px->literal = ps_xstrndup(line, off);
	px->literal_len = off;
}

const char *ps_prefixer_describe(const ps_prefixer *px)
{
	static const char *const names[N_SHAPES] = {
		"<timestamp> ", "<syslog> ", "<log timestamp> ", "<service> | ",
	};
	if (px->active == -2)
		return "";
	return px->active == -1 ? px->literal : names[px->active];
}

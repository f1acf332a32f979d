/* parse_support.h - what the parser's unit-test binaries share: parse
 * a NUL-terminated text, count a dump's repairs of one kind. */
#ifndef PS_TESTS_PARSE_SUPPORT_H
#define PS_TESTS_PARSE_SUPPORT_H

#include <string.h>

#include "ps_parse.h"

static inline struct ps_doc *parse(const char *text)
{
	return ps_parse_buffer(text, strlen(text));
}

static inline size_t repairs_of(const struct ps_dump *d, enum ps_repair_kind kind)
{
	size_t n = 0;
	for (size_t i = 0; i < d->n_repairs; i++)
		n += d->repairs[i].kind == kind;
	return n;
}

#endif

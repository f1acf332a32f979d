/* args.c - decoded arguments as one readable line for text and
 * Markdown: `slice []string len=2 cap=4, str "hello", n=136`.  Values the
 * dump marks unreliable are shown as '?', never as facts. */
#include "report_int.h"

#include <math.h>
#include <string.h>

#define MAX_TEXT 48

static void arg_text(struct rp_buf *b, const struct ps_abi_arg *a, int depth);

static void fields_text(struct rp_buf *b, const struct ps_abi_value *v, int depth)
{
	rp_buf_addc(b, '{');
	for (size_t i = 0; i < v->n_fields; i++) {
		if (i)
			rp_buf_add(b, ", ", 2);
		if (depth >= 3) {
			rp_buf_puts(b, "…");
			break;
		}
		arg_text(b, &v->fields[i], depth + 1);
	}
	rp_buf_addc(b, '}');
}

static void float_text(struct rp_buf *b, double f)
{
	if (isnan(f))
		rp_buf_puts(b, "NaN");
	else if (isinf(f))
		rp_buf_puts(b, f > 0 ? "+Inf" : "-Inf");
	else
		rp_buf_printf(b, "%g", f);
}

static void pointer_text(struct rp_buf *b, const struct ps_abi_value *v)
{
	if (v->symbol)
		rp_buf_printf(b, " %s", v->symbol);
	else if (v->ptr == 0)
		rp_buf_puts(b, " nil");
	else
		rp_buf_printf(b, " %#llx", (unsigned long long)v->ptr);
}

static void value_text(struct rp_buf *b, const struct ps_abi_arg *a, int depth)
{
	const struct ps_abi_value *v = &a->value;
	const char *type = a->type ? a->type : "";

	switch (v->kind) {
	case PS_V_INT: rp_buf_printf(b, "=%lld", (long long)v->i); break;
	case PS_V_UINT: rp_buf_printf(b, "=%llu", (unsigned long long)v->u); break;
	case PS_V_BOOL: rp_buf_puts(b, v->b ? "=true" : "=false"); break;
	case PS_V_FLOAT: rp_buf_addc(b, '='); float_text(b, v->f); break;
	case PS_V_COMPLEX:
		rp_buf_add(b, "=(", 2);
		float_text(b, v->f);
		rp_buf_addc(b, v->f_im < 0 ? '-' : '+');
		float_text(b, fabs(v->f_im));
		rp_buf_add(b, "i)", 2);
		break;
	case PS_V_STRING:
		rp_buf_addc(b, ' ');
		if (v->text)
			rp_quote_str(b, v->text, strlen(v->text) < v->len ?
				     strlen(v->text) : v->len, MAX_TEXT);
		else if (v->ptr == 0 || v->len == 0)
			rp_buf_add(b, "\"\"", 2);
		else
			rp_buf_printf(b, "string(%#llx, len=%llu)",
				      (unsigned long long)v->ptr, (unsigned long long)v->len);
		break;
	case PS_V_SLICE:
		rp_buf_printf(b, " %s", type);
		if (v->ptr == 0 && v->len == 0)
			rp_buf_puts(b, " nil");
		else
			rp_buf_printf(b, " len=%llu cap=%llu", (unsigned long long)v->len,
				      (unsigned long long)v->cap);
		break;
	case PS_V_IFACE:
		rp_buf_printf(b, " %s(", type);
		if (v->type_name)
			rp_buf_puts(b, v->type_name);
		else if (v->type_word == 0)
			rp_buf_puts(b, "nil");
		else
			rp_buf_printf(b, "%#llx", (unsigned long long)v->type_word);
		rp_buf_addc(b, ')');
		break;
	case PS_V_POINTER:
		rp_buf_printf(b, " %s", type);
		pointer_text(b, v);
		break;
	case PS_V_STRUCT:
	case PS_V_ARRAY:
		rp_buf_printf(b, " %s", type);
		fields_text(b, v, depth);
		break;
	case PS_V_ABSENT: rp_buf_puts(b, " …"); break;
	case PS_V_UNKNOWN: rp_buf_printf(b, " %s ?", type); break;
	}
}

static void arg_text(struct rp_buf *b, const struct ps_abi_arg *a, int depth)
{
	rp_buf_puts(b, a->name && a->name[0] ? a->name : "_");
	if (!a->reliable && a->value.kind != PS_V_ABSENT) {
		rp_buf_puts(b, "=?");
		return;
	}
	value_text(b, a, depth);
}

static bool item_in(uint64_t mask, size_t k)
{
	return mask >> (k < 63 ? k : 63) & 1;
}

void rp_abi_args_text_masked(struct rp_buf *b, const struct ps_abi_frame *af,
			     uint64_t mask, bool words)
{
	bool first = true;
	size_t item = 0;

	for (size_t i = 0; i < af->n_args; i++) {
		const struct ps_abi_arg *a = &af->args[i];
		size_t n = words ? a->n_words : 1;
		bool agree = true;
		for (size_t k = 0; k < n; k++)
			agree = agree && item_in(mask, item + k);
		item += n;
		/* result slots of a function that had not returned: noise */
		if (a->role == PS_ROLE_RESULT)
			continue;
		if (!first)
			rp_buf_add(b, ", ", 2);
		first = false;
		if (agree) {
			arg_text(b, a, 0);
		} else {
			rp_buf_puts(b, a->name && a->name[0] ? a->name : "_");
			rp_buf_puts(b, "=…");
		}
	}
}

void rp_abi_args_text(struct rp_buf *b, const struct ps_abi_frame *af)
{
	rp_abi_args_text_masked(b, af, ~(uint64_t)0, false);
}

void rp_args_masked(struct rp_buf *out, const char *s, size_t n, uint64_t mask)
{
	size_t i = 0, k = 0, start, len;

	while (ps_view_next_arg(s, n, &i, &start, &len)) {
		if (k)
			rp_buf_add(out, ", ", 2);
		if (item_in(mask, k))
			rp_text_str(out, s + start, len);
		else
			rp_buf_puts(out, "…");
		k++;
	}
}

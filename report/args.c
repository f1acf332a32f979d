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

void rp_abi_args_text(struct rp_buf *b, const struct ps_abi_frame *af)
{
	bool first = true;

	for (size_t i = 0; i < af->n_args; i++) {
		/* result slots of a function that had not returned: noise */
		if (af->args[i].role == PS_ROLE_RESULT)
			continue;
		if (!first)
			rp_buf_add(b, ", ", 2);
		arg_text(b, &af->args[i], 0);
		first = false;
	}
}

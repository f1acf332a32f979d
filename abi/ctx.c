/* ctx.c - the per-dump decode context: the format and the PIE load bias
 * decided once per dump and carried by the caller, instead of guessed
 * again from which dump a call names. */
#include "abi_int.h"

struct ps_abi_ctx {
	struct ps_abi *abi;
	const struct ps_dump *dump;
	enum ps_arg_format fmt;
	bool bias_known;
	uint64_t bias, bias_key;
};

ps_abi_ctx *ps_abi_ctx_new(ps_abi *abi, const struct ps_dump *dump,
			   enum ps_arg_format requested, struct ps_arena *arena)
{
	ps_abi_ctx *c = ps_arena_calloc(arena, sizeof(*c));

	c->abi = abi;
	c->dump = dump;
	c->fmt = ps_abi_arg_format(abi, dump, requested);
	if (abi->pie) {
		abi_find_bias(abi, dump);
		c->bias_known = abi->bias_known;
		c->bias = abi->bias;
		c->bias_key = abi->bias_dump;
	}
	return c;
}

enum ps_arg_format ps_abi_ctx_format(const ps_abi_ctx *c)
{
	return c->fmt;
}

void ps_abi_ctx_decode(const ps_abi_ctx *c, const struct ps_stack *st, size_t i,
		       struct ps_arena *arena, struct ps_abi_frame *out)
{
	struct ps_abi *abi = c->abi;

	/* another context may have decoded in between: this dump's bias */
	if (abi->pie) {
		abi->bias_known = c->bias_known;
		abi->bias = c->bias;
		abi->bias_dump = c->bias_key;
	}
	ps_abi_decode_frame(abi, c->dump, st, i, c->fmt, arena, out);
}

/* Placeholder until the DWARF decoder lands: every binary is refused. */
#include "ps_abi.h"

ps_abi *ps_abi_open(const char *path, struct ps_error *err)
{
	ps_error_set(err, PS_ERR_NO_DWARF, "'%s': argument decoding is not built yet", path);
	return NULL;
}
void ps_abi_close(ps_abi *abi) { (void)abi; }
const char *ps_abi_go_version(const ps_abi *abi) { (void)abi; return NULL; }
const char *ps_abi_arch(const ps_abi *abi) { (void)abi; return NULL; }
const char *ps_abi_path(const ps_abi *abi) { (void)abi; return NULL; }
const char *ps_arg_format_name(enum ps_arg_format f)
{
	return f == PS_ARGFMT_WORDS ? "words" : "structured";
}
const char *ps_abi_role_name(enum ps_abi_role r)
{
	return r == PS_ROLE_RECEIVER ? "receiver" : r == PS_ROLE_RESULT ? "result" : "param";
}
enum ps_arg_format ps_abi_arg_format(ps_abi *abi, const struct ps_dump *dump,
				     enum ps_arg_format requested)
{
	(void)abi;
	if (requested != PS_ARGFMT_AUTO)
		return requested;
	return dump->structured_args ? PS_ARGFMT_STRUCTURED : PS_ARGFMT_WORDS;
}
int ps_abi_check_dump(ps_abi *abi, const struct ps_dump *dump, struct ps_error *err)
{
	(void)abi; (void)dump; (void)err;
	return 0;
}
void ps_abi_decode_frame(ps_abi *abi, const struct ps_dump *dump,
			 const struct ps_frame *frame, enum ps_arg_format fmt,
			 struct ps_arena *arena, struct ps_abi_frame *out)
{
	(void)abi; (void)dump; (void)frame; (void)fmt; (void)arena;
	out->decoded = false;
	out->args = NULL;
	out->n_args = 0;
	out->note = NULL;
}

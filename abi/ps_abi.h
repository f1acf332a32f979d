/*
 * ps_abi.h - decode a frame's printed argument words against the Go
 * function signatures in the crashed binary's DWARF (libdw).
 *
 * A ps_abi session is opened once per binary and indexes its functions
 * lazily; decoding a frame looks the function up by its interned name.
 * Decoded values are allocated from the caller's arena.
 */
#ifndef PS_ABI_H
#define PS_ABI_H

#include "ps_base.h"
#include "ps_parse.h"

typedef struct ps_abi ps_abi;

/* How the dump printed arguments (CONTRACT --arg-format). */
enum ps_arg_format {
	PS_ARGFMT_AUTO,
	PS_ARGFMT_WORDS,       /* Go <= 1.16: raw stack words, results too */
	PS_ARGFMT_STRUCTURED,  /* Go >= 1.17: {..} groups, '?' flags */
};
const char *ps_arg_format_name(enum ps_arg_format f); /* "words"/"structured" */

enum ps_abi_role { PS_ROLE_PARAM, PS_ROLE_RECEIVER, PS_ROLE_RESULT };
const char *ps_abi_role_name(enum ps_abi_role r);      /* CONTRACT names */

/* Value kinds, following CONTRACT.md "VALUE by Go kind". */
enum ps_abi_vkind {
	PS_V_ABSENT,    /* not in the dump (elided by "...") -> JSON null */
	PS_V_INT,       /* .i, sign-extended */
	PS_V_UINT,      /* .u (also uintptr) */
	PS_V_BOOL,      /* .b */
	PS_V_FLOAT,     /* .f */
	PS_V_COMPLEX,   /* .f + .f_im */
	PS_V_STRING,    /* .ptr .len .text */
	PS_V_SLICE,     /* .ptr .len .cap */
	PS_V_IFACE,     /* .type_word .data_word .type_name */
	PS_V_POINTER,   /* pointer, map, chan, func, unsafe.Pointer: .ptr .symbol */
	PS_V_STRUCT,    /* .fields */
	PS_V_ARRAY,     /* .fields (elements) */
	PS_V_UNKNOWN,   /* words present but not decodable */
};

struct ps_abi_arg;

struct ps_abi_value {
	enum ps_abi_vkind kind;
	int64_t i;
	uint64_t u;
	bool b;
	double f, f_im;
	uint64_t ptr, len, cap;
	const char *text;       /* string bytes from read-only data, or NULL */
	uint64_t type_word, data_word;
	const char *type_name;  /* interface dynamic type, or NULL */
	const char *symbol;     /* code/data symbol (+off) for pointers, or NULL */
	struct ps_abi_arg *fields;
	size_t n_fields;
	/* Parts of a string, slice, interface or complex value printed with
	 * '?' (bit I: part I as ps_abi_part_name names it); the others
	 * are the words Go printed as live and stay usable.  0 in an
	 * unreliable argument: the whole value is doubtful. */
	unsigned unreliable_parts;
};

/* "ptr" "len" "cap" (string, slice), "type" "data" (interface), "re"
 * "im" (complex): part I of a value of KIND, or NULL. */
const char *ps_abi_part_name(enum ps_abi_vkind kind, unsigned i);

struct ps_abi_arg {
	const char *name;       /* parameter or field name ("" if none) */
	const char *type;       /* Go type name: "[]string" */
	enum ps_abi_role role;
	bool reliable;          /* false for '?' words and result slots */
	const uint64_t *words;  /* the words this value occupies, as printed */
	size_t n_words;
	struct ps_abi_value value;
};

struct ps_abi_frame {
	bool decoded;           /* false: function unknown, show raw args */
	struct ps_abi_arg *args;
	size_t n_args;
	const char *note;       /* e.g. "nil *PidInfo, reading field X at +0x50",
				   or NULL */
};

/* Opens PATH.  NULL on error with ERR filled: PS_ERR_IO, PS_ERR_NOT_ELF,
 * PS_ERR_NO_DWARF.  Close with ps_abi_close. */
ps_abi *ps_abi_open(const char *path, struct ps_error *err) PS_WUR;
void ps_abi_close(ps_abi *abi);

const char *ps_abi_go_version(const ps_abi *abi);  /* "go1.19.8" or NULL */
const char *ps_abi_arch(const ps_abi *abi);        /* "amd64", "386", ... */
const char *ps_abi_path(const ps_abi *abi);

/* Resolves AUTO for DUMP (log evidence, then binary version, then word
 * counts); other values are returned unchanged. */
enum ps_arg_format ps_abi_arg_format(ps_abi *abi, const struct ps_dump *dump,
				     enum ps_arg_format requested);

/* Checks that the dump's frames (func + pc offset -> file:line) agree
 * with the binary.  0 when they do (or cannot be checked), -1 with ERR
 * (PS_ERR_MISMATCH, naming the first disagreeing frame) when not, or
 * -1 with PS_ERR_NO_DWARF ("damaged DWARF data", "cannot read") when
 * libdw failed on the DWARF of a unit or function the dump needed:
 * the binary's functions are indexed one unit at a time as dumps name
 * them, so damage elsewhere goes unread and unreported.
 * Every frame printed with "+0x" counts: its function must be in the
 * binary, the offset inside it, and the line table (or an inlined call
 * the traceback hid) must give the printed line.  Verdicts are cached
 * per (function, offset, line), so 100k alike goroutines cost little.
 * Then the data words of the first frames (a bounded number) must fit
 * the image: itabs, type descriptors, funcvals, variables, rodata text
 * (a rebuild that only changed an -X string has the same code but moved
 * data: see consistency.c). */
int ps_abi_check_dump(ps_abi *abi, const struct ps_dump *dump,
		      struct ps_error *err) PS_WUR;

/* Decodes frame I of stack ST of DUMP (its call and its argument text:
 * ps_stack_args) into OUT, allocating from ARENA.  Always fills
 * OUT: when the function is not in the binary, OUT->decoded is false.
 *
 * OUT->args has one entry per declared receiver and parameter, in order,
 * plus (words format only) one per result slot, role RESULT and never
 * reliable.  Generic dictionaries are not listed; Go 1.22+ prints a
 * generic type's method's dictionary where the receiver should be and
 * skips a generic closure's first parameter: those come out absent, and
 * the instantiation is the one the frame's pc=, the dictionary or the
 * printed shape shows, else OUT->note says it is ambiguous and the
 * arguments whose types differ between the candidates are unreliable.
 * reliable is false for values printed with '?', for result slots, for
 * absent values (kind PS_V_ABSENT: cut by "...", "{...}" or "_"), for
 * every argument of a generic function decoded from a Go 1.18-1.21
 * binary (those runtimes print them from shifted offsets) and for every
 * argument from a Go 1.17 register-ABI binary (stale spill slots were
 * printed without '?'); OUT->note then says why.  An aggregate
 * is unreliable when one of its present parts is.
 *
 * Values, word arrays and notes live in ARENA; names, type names and
 * symbols may point into the binary's data: all valid until both
 * ps_arena_release(ARENA) and ps_abi_close().  OUT->decoded is false with
 * OUT->note NULL when the dump never prints arguments for this frame
 * (race reports, pprof debug=1); false with a note when the printed
 * shape does not fit the binary's signature. */
void ps_abi_decode_frame(ps_abi *abi, const struct ps_dump *dump,
			 const struct ps_stack *st, size_t i, enum ps_arg_format fmt,
			 struct ps_arena *arena, struct ps_abi_frame *out);

/*
 * The decode context of one dump (ctx.c): what decoding DUMP needs that
 * is the same for all its frames (the argument format in effect, the
 * load bias of a position-independent binary), worked out once by
 * ps_abi_ctx_new, then handed to every ps_abi_ctx_decode.  A caller that
 * decodes several dumps holds one context per dump.  Allocated from
 * ARENA: valid until ps_arena_release(ARENA) and ps_abi_close().
 */
typedef struct ps_abi_ctx ps_abi_ctx;
ps_abi_ctx *ps_abi_ctx_new(ps_abi *abi, const struct ps_dump *dump,
			   enum ps_arg_format requested, struct ps_arena *arena);
enum ps_arg_format ps_abi_ctx_format(const ps_abi_ctx *ctx);
/* ps_abi_decode_frame of frame I of ST (a stack of the context's dump). */
void ps_abi_ctx_decode(const ps_abi_ctx *ctx, const struct ps_stack *st, size_t i,
		       struct ps_arena *arena, struct ps_abi_frame *out);

#endif

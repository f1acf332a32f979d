/*
 * ps_base.h - the few shared pieces every panicscope module uses:
 * error structs, an arena allocator, a growable vector and a string
 * interning table.
 *
 * Conventions for the whole project (see README "Code conventions"):
 *  - int returns are 0 on success, -1 on error, 1 for "none/end";
 *    pointer returns are NULL on error.
 *  - libraries never print or exit; they fill a struct ps_error.
 *  - allocation failure calls the out-of-memory hook (ps_set_oom_hook),
 *    which the command sets to print one line and exit, so callers do
 *    not check every allocation for NULL.
 */
#ifndef PS_BASE_H
#define PS_BASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#if defined(__GNUC__)
#define PS_WUR __attribute__((warn_unused_result))
#define PS_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define PS_WUR
#define PS_PRINTF(f, a)
#endif

/* Error codes and their default texts, in one table. */
#define PS_ERRORS                                                        \
	PS_E(PS_OK, "no error")                                          \
	PS_E(PS_ERR_IO, "cannot read input")                             \
	PS_E(PS_ERR_USAGE, "usage error")                                \
	PS_E(PS_ERR_NOT_ELF, "not an ELF file")                          \
	PS_E(PS_ERR_NO_DWARF, "no DWARF debug information")              \
	PS_E(PS_ERR_MISMATCH, "binary does not match the dump")          \
	PS_E(PS_ERR_BAD_REGEX, "bad regular expression")                 \
	PS_E(PS_ERR_INTERNAL, "internal error")

enum ps_err {
#define PS_E(code, text) code,
	PS_ERRORS
#undef PS_E
};

/* Filled by library calls that fail; zero-initialise before use. */
struct ps_error {
	enum ps_err code;
	int sys_errno;          /* errno when the cause was a system call */
	const char *file;       /* input or binary name, may be NULL */
	unsigned long line;     /* 1-based input line, 0 when not known */
	char msg[256];          /* one line, lowercase, no full stop */
};

/* Fills ERR (if not NULL) and returns -1, so callers write
 * "return ps_error_set(err, ...)". */
int ps_error_set(struct ps_error *err, enum ps_err code, const char *fmt, ...)
	PS_PRINTF(3, 4);
const char *ps_err_text(enum ps_err code);

/* Out of memory: the hook must not return (default: abort()). */
typedef void (*ps_oom_hook)(size_t wanted);
void ps_set_oom_hook(ps_oom_hook hook);
/* Calls the hook for WANTED bytes, then aborts: for a limit of our own
 * reached (a table's index width), as for a failed allocation. */
_Noreturn void ps_out_of_memory(size_t wanted);
void *ps_xmalloc(size_t n);
void *ps_xcalloc(size_t n, size_t size);
void *ps_xrealloc(void *p, size_t n);
char *ps_xstrndup(const char *s, size_t n);

/*
 * Big buffers: an arena's blocks, a vector's array, a table's cells.
 * From PS_BIG_MIN bytes on they are mappings of their own (base.c says
 * why without huge pages), below that malloc's.  The caller passes the
 * size it asked for back to realloc and free (that is how the kind is
 * known); free takes NULL at any size.
 * ps_big_alloc's bytes are zero, and its pages made writable at once
 * (it is for tables, read before they are written); ps_big_realloc's
 * new bytes are not zero.
 */
#define PS_BIG_MIN ((size_t)2 << 20)
void *ps_big_alloc(size_t n);
void *ps_big_realloc(void *p, size_t old, size_t n);
void ps_big_free(void *p, size_t n);
/* Bytes a buffer of N really has: N, or N rounded up to PS_BIG_MIN. */
size_t ps_big_size(size_t n);

/*
 * Arena: bump allocator in growing blocks.  Everything allocated from it
 * lives until ps_arena_release.  A zeroed struct is a valid empty arena.
 * Fields are private.
 */
struct ps_arena_block;
struct ps_arena {
	struct ps_arena_block *head;
	size_t used_total;      /* bytes handed out, for statistics */
};
void *ps_arena_alloc(struct ps_arena *a, size_t n);    /* 8-aligned */
void *ps_arena_calloc(struct ps_arena *a, size_t n);
char *ps_arena_strndup(struct ps_arena *a, const char *s, size_t n);
void *ps_arena_memdup(struct ps_arena *a, const void *p, size_t n);
/* Hands the buffer P of N bytes (ps_big_alloc's or ps_big_realloc's,
 * at size N) to A, which frees it on release: a big array built
 * elsewhere joins the arena without a second copy. */
void *ps_arena_adopt(struct ps_arena *a, void *p, size_t n);
char *ps_arena_printf(struct ps_arena *a, const char *fmt, ...) PS_PRINTF(2, 3);
/* Moves every block of SRC into DST (SRC is left empty): what was
 * allocated from SRC now lives until DST is released. */
void ps_arena_take(struct ps_arena *dst, struct ps_arena *src);
void ps_arena_release(struct ps_arena *a);

/*
 * Vector of fixed-size elements on the heap (grow, then hand the finished
 * array to an arena with ps_vec_finish).  A zeroed struct is empty.
 */
struct ps_vec {
	void *data;
	size_t len, cap, elem;
};
void ps_vec_init(struct ps_vec *v, size_t elem_size);
void ps_vec_grow(struct ps_vec *v);      /* internal: ps_vec_push's slow path */
/* Inline: a big dump pushes a frame per stack line, and the call cost
 * as much as the push. */
static inline void *ps_vec_push(struct ps_vec *v)    /* zeroed slot */
{
	if (v->len == v->cap)
		ps_vec_grow(v);
	return memset((char *)v->data + v->len++ * v->elem, 0, v->elem);
}

static inline void *ps_vec_at(const struct ps_vec *v, size_t i)
{
	return (char *)v->data + i * v->elem;
}
/* Copies the elements into A and empties V (keeps its buffer). */
void *ps_vec_finish(struct ps_vec *v, struct ps_arena *a, size_t *len);
/* Moves V's buffer, cut to its length, into A (ps_arena_adopt) and
 * empties V, which stays usable (a new buffer on the next push): for
 * arrays too big to copy. */
void *ps_vec_steal(struct ps_vec *v, struct ps_arena *a, size_t *len);
void ps_vec_release(struct ps_vec *v);

/*
 * Interning table: each distinct byte string is stored once and gets a
 * stable NUL-terminated pointer, so equal strings compare by pointer.
 * Each entry also carries one user pointer (e.g. a parsed form of the
 * string, computed once).  Opaque.
 */
typedef struct ps_intern ps_intern;
ps_intern *ps_intern_new(void);
void ps_intern_free(ps_intern *t);
/* Strings of 4 GiB and more do not fit: the out-of-memory hook. */
const char *ps_intern_str(ps_intern *t, const char *s, size_t n);
/* The length of an interned string S (it may hold NULs).  Inline, as
 * every frame's argument length is read here: intern.c keeps it just
 * before the string, one byte up to PS_INTERN_SHORT_MAX, else 4 bytes
 * (host order) and then the byte 0x80. */
#define PS_INTERN_SHORT_MAX 0x7f
static inline size_t ps_intern_len(const char *s)
{
	unsigned char last = (unsigned char)s[-1];
	uint32_t n;
	if (last <= PS_INTERN_SHORT_MAX)
		return last;
	memcpy(&n, s - 5, sizeof(n));
	return n;
}
/* The user slot of an interned string S (a pointer ps_intern_str gave). */
void **ps_intern_slot(ps_intern *t, const char *s);
/* Arena owned by the table, for values hung on user slots. */
struct ps_arena *ps_intern_arena(ps_intern *t);
size_t ps_intern_count(const ps_intern *t);
/* Interns every string of SRC in DST (tables built apart, one per
 * thread): afterwards ps_intern_moved(SRC, s) is DST's equal string for
 * each string s of SRC.  SRC's storage joins DST's (a string DST lacked
 * keeps its address); over a string DST had, the move writes the address
 * of DST's, so SRC is then only good for ps_intern_moved and
 * ps_intern_free. */
void ps_intern_move(ps_intern *dst, ps_intern *src);
const char *ps_intern_moved(const ps_intern *src, const char *s);

/*
 * Growable byte buffer (buf.c).  A zeroed struct is empty; P is
 * NUL-ended only after ps_buf_cstr.
 */
struct ps_buf {
	char *p;
	size_t len, cap;
};
void ps_buf_grow(struct ps_buf *b, size_t more);   /* room for MORE + NUL */

/* The hot paths of reports and group keys: inline, one check for room. */
static inline void ps_buf_add(struct ps_buf *b, const void *s, size_t n)
{
	if (b->len + n + 1 > b->cap)
		ps_buf_grow(b, n);
	if (n)
		memcpy(b->p + b->len, s, n);
	b->len += n;
}

static inline void ps_buf_addc(struct ps_buf *b, char c)
{
	if (b->len + 2 > b->cap)
		ps_buf_grow(b, 1);
	b->p[b->len++] = c;
}

static inline void ps_buf_puts(struct ps_buf *b, const char *s)
{
	ps_buf_add(b, s, strlen(s));
}

void ps_buf_printf(struct ps_buf *b, const char *fmt, ...) PS_PRINTF(2, 3);
const char *ps_buf_cstr(struct ps_buf *b);     /* NUL-ends, keeps len */
void ps_buf_release(struct ps_buf *b);

/*
 * Hash map (map.c): 64-bit hash -> non-NULL value pointer, the one table
 * behind grouping and per-frame caches.  A zeroed struct is empty.
 * EQ(VALUE, KEY) tells whether a stored value has key KEY; NULL when
 * the hash is the whole key (a number, a pointer).  Fields are private.
 */
typedef bool (*ps_map_eq)(const void *value, const void *key);
/* A cell holds its hash beside its value: a probe reads one cache line,
 * not one in a hash array and another in a value array. */
struct ps_map_cell {
	uint64_t hash;
	void *val;              /* NULL: empty */
};
struct ps_map {
	struct ps_map_cell *cells;
	size_t mask, len;
};
void ps_map_grow(struct ps_map *m);     /* internal: used by the inlines */

/* Where HASH's run starts: hashes are mixed, as pointers and small
 * numbers are not spread over the low bits. */
static inline size_t ps_map_home(uint64_t hash, size_t mask)
{
	uint64_t h = hash ^ (hash >> 33);
	return (size_t)(h * 0xff51afd7ed558ccdULL >> 7) & mask;
}

/* The slot index of KEY: its entry, else the empty slot ending its run.
 * Inline: grouping and interning call this once per goroutine/string. */
static inline size_t ps_map_probe(const struct ps_map *m, uint64_t hash,
				  ps_map_eq eq, const void *key)
{
	size_t i = ps_map_home(hash, m->mask);

	while (m->cells[i].val &&
	       (m->cells[i].hash != hash || (eq && !eq(m->cells[i].val, key))))
		i = (i + 1) & m->mask;
	return i;
}

/* The value stored for KEY, or NULL. */
static inline void *ps_map_get(const struct ps_map *m, uint64_t hash,
			       ps_map_eq eq, const void *key)
{
	return m->cells ? m->cells[ps_map_probe(m, hash, eq, key)].val : NULL;
}

/* The slot of KEY, created empty (*slot == NULL) when KEY is new: the
 * caller then stores a non-NULL value there before the next call. */
static inline void **ps_map_slot(struct ps_map *m, uint64_t hash, ps_map_eq eq,
				 const void *key)
{
	if ((m->len + 1) * 4 > (m->cells ? m->mask + 1 : 0) * 3)
		ps_map_grow(m);
	size_t i = ps_map_probe(m, hash, eq, key);
	if (!m->cells[i].val) {
		m->cells[i].hash = hash;
		m->len++;
	}
	return &m->cells[i].val;
}
void ps_map_release(struct ps_map *m);

/* FNV-1a; used for interning and grouping. */
uint64_t ps_hash_bytes(const void *p, size_t n, uint64_t seed);
#define PS_HASH_SEED 0xcbf29ce484222325ULL

/*
 * Output files (out.c).  ps_out_open(O, PATH) returns a stream: stdout for
 * NULL or "-", else a temporary file beside PATH.  ps_out_commit flushes
 * and renames it over PATH, so PATH holds either its old content or the
 * whole new report, never a truncated one; on any write error it removes
 * the temporary file and fills ERR naming PATH.  ps_out_abort drops the
 * temporary file (PATH untouched).  A symbolic link PATH is written
 * through: its target is replaced, the link stays.  Devices, FIFOs and
 * dangling links are written in place.  Fields are private.
 */
struct ps_out {
	FILE *f;
	char *path;             /* as given, for messages */
	char *target;           /* what is replaced: PATH or the link's target */
	char *tmp;
};
FILE *ps_out_open(struct ps_out *o, const char *path, struct ps_error *err) PS_WUR;
int ps_out_commit(struct ps_out *o, struct ps_error *err) PS_WUR;
void ps_out_abort(struct ps_out *o);

#endif

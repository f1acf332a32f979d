/*
 * fuzz_elf.c - fuzz entry point for the binary side.
 *
 * The input is an executable (seeded with real Go binaries: 4- and
 * 8-byte words, both byte orders, compressed and uncompressed DWARF).
 * It is opened with ps_abi_open from a memory file; when that succeeds,
 * the fixed dumps of its architecture (the ground-truth program's stored
 * tracebacks, structured and words format: FUZZ_ELF_DUMPS, a ':'-separated
 * list of directories corpus/groundtruth/goX.Y-ARCH whose *.log files are
 * read once) go through the binary check, the argument-format choice and
 * the decoding of each frame in both formats and AUTO.  Every string of every result is read to its
 * NUL, so ASan sees a result that points at freed or foreign memory.
 * A failed open must explain itself in one non-empty line.
 *
 * In the libFuzzer build a custom mutator keeps the input's length and
 * edits where a Go binary's structure lives (ELF header, section headers,
 * section contents): a crash found is then a few bytes changed in a
 * seed, which tests/fuzz/elf_seeds.sh can turn into a small patch file
 * (tests/fuzz/elf-regressions/) that every ctest run replays.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ps_abi.h"
#include "ps_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define MAX_FRAMES 1000         /* frames decoded per input: bounds a run */
#define MAX_DEPTH 64

/* One directory's dumps; read-only after initialisation. */
struct dumpset {
	char arch[16];          /* "amd64" of ".../go1.26-amd64" */
	struct ps_doc *doc;
};
static struct dumpset sets[16];
static size_t n_sets;

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_elf: invariant broken: %s\n", what);
	abort();
}

static void append_file(const char *path, char **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char chunk[65536];
	size_t n;
	if (f == NULL)
		return;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		*buf = ps_xrealloc(*buf, *len + n + 1);
		memcpy(*buf + *len, chunk, n);
		*len += n;
	}
	fclose(f);
}

static void load_dumps(void)
{
	char *list = ps_xstrndup(FUZZ_ELF_DUMPS, strlen(FUZZ_ELF_DUMPS));
	char *save = NULL;
	size_t total = 0;

	for (char *d = strtok_r(list, ":", &save); d && n_sets < 16;
	     d = strtok_r(NULL, ":", &save)) {
		DIR *dir = opendir(d);
		struct dirent *e;
		char *buf = NULL;
		size_t len = 0;
		const char *dash = strrchr(d, '-');
		if (dir == NULL || dash == NULL)
			fail("a dump directory of FUZZ_ELF_DUMPS is missing");
		while ((e = readdir(dir)) != NULL) {
			size_t n = strlen(e->d_name);
			if (n < 5 || strcmp(e->d_name + n - 4, ".log") != 0)
				continue;
			char *p = ps_xmalloc(strlen(d) + n + 2);
			sprintf(p, "%s/%s", d, e->d_name);
			append_file(p, &buf, &len);
			free(p);
		}
		closedir(dir);
		struct dumpset *ds = &sets[n_sets++];
		snprintf(ds->arch, sizeof(ds->arch), "%s", dash + 1);
		ds->doc = ps_parse_buffer(buf ? buf : "", len);
		total += ds->doc->n_dumps;
		free(buf);
	}
	free(list);
	if (total == 0)
		fail("no dumps in " FUZZ_ELF_DUMPS);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	load_dumps();
	return 0;
}

static volatile uint64_t sink;  /* reads the optimiser must keep */

static void read_str(const char *s)
{
	if (s != NULL)
		sink += strlen(s);
}

static void walk_arg(const struct ps_abi_arg *a, int depth)
{
	if (depth > MAX_DEPTH)
		fail("decoded value nested deeper than any type allows");
	if (a->name == NULL || a->type == NULL)
		fail("decoded argument without name or type");
	read_str(a->name);
	read_str(a->type);
	read_str(a->value.text);
	read_str(a->value.type_name);
	read_str(a->value.symbol);
	if (a->n_words > 0 && a->words == NULL)
		fail("argument words counted but missing");
	for (size_t i = 0; i < a->n_words; i++)
		sink ^= a->words[i];
	if (a->value.n_fields > 0 && a->value.fields == NULL)
		fail("aggregate fields counted but missing");
	for (size_t i = 0; i < a->value.n_fields; i++)
		walk_arg(&a->value.fields[i], depth + 1);
}

static void decode_dump(ps_abi *abi, const struct ps_dump *d, size_t *budget)
{
	static const enum ps_arg_format fmts[] = {
		PS_ARGFMT_AUTO, PS_ARGFMT_WORDS, PS_ARGFMT_STRUCTURED };
	struct ps_error err = { 0 };
	struct ps_arena arena = { 0 };

	if (ps_abi_check_dump(abi, d, &err) < 0 && err.msg[0] == '\0')
		fail("binary check failed without a message");
	(void)ps_abi_arg_format(abi, d, PS_ARGFMT_AUTO);
	for (size_t g = 0; g < d->n_goroutines; g++) {
		const struct ps_stack *st = &d->goroutines[g].stack;
		for (size_t i = 0; i < st->n_frames && *budget > 0; i++, (*budget)--)
			for (int f = 0; f < 3; f++) {
				struct ps_abi_frame out;
				ps_abi_decode_frame(abi, d, st, i, fmts[f], &arena, &out);
				read_str(out.note);
				if (out.n_args > 0 && out.args == NULL)
					fail("frame arguments counted but missing");
				for (size_t a = 0; a < out.n_args; a++)
					walk_arg(&out.args[a], 0);
			}
	}
	ps_arena_release(&arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	struct ps_error err = { 0 };
	int fd = memfd_create("fuzz_elf", MFD_CLOEXEC);
	size_t off = 0, budget = MAX_FRAMES;

	if (n_sets == 0)
		load_dumps();
	if (fd < 0)
		return 0;
	while (off < size) {
		ssize_t n = write(fd, data + off, size - off);
		if (n <= 0) {
			close(fd);
			return 0;
		}
		off += (size_t)n;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ps_abi *abi = ps_abi_open(path, &err);
	if (abi == NULL) {
		if (err.msg[0] == '\0' || strchr(err.msg, '\n') != NULL)
			fail("a binary was refused without a one-line reason");
		close(fd);
		return 0;
	}
	read_str(ps_abi_go_version(abi));
	read_str(ps_abi_arch(abi));
	read_str(ps_abi_path(abi));
	/* the dumps of the binary's own architecture: their addresses
	 * land in its sections, so strings and symbols are looked up */
	for (size_t k = 0; k < n_sets; k++)
		for (size_t i = 0; i < sets[k].doc->n_dumps
		     && strcmp(sets[k].arch, ps_abi_arch(abi)) == 0; i++)
			decode_dump(abi, sets[k].doc->dumps[i], &budget);
	ps_abi_close(abi);
	close(fd);
	return 0;
}

#ifdef FUZZ_ELF_MUTATOR
/* ---- structure-aware, length-keeping mutations ---------------------- */

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
			       unsigned int seed);

static uint64_t next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static uint64_t get(const uint8_t *p, unsigned n, bool big)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v = v << 8 | p[big ? i : n - 1 - i];
	return v;
}

/* A region [*off, *off + *len) worth editing: the ELF header, the
 * section header table or one section's bytes (all bounds-checked: the
 * input is hostile here too). */
static void pick_region(const uint8_t *d, size_t size, uint64_t *s,
			size_t *off, size_t *len)
{
	bool is64 = d[4] == 2, big = d[5] == 2;
	uint64_t shoff = is64 ? get(d + 40, 8, big) : get(d + 32, 4, big);
	uint64_t shentsize = get(d + (is64 ? 58 : 46), 2, big);
	uint64_t shnum = get(d + (is64 ? 60 : 48), 2, big);
	uint64_t r = next(s) % 8;

	*off = 0;
	*len = is64 ? 64 : 52;
	if (r == 0 || shentsize < (is64 ? 64u : 40u) || shnum == 0
	    || shoff > size || shnum > (size - shoff) / shentsize)
		return;
	if (r < 4) {
		*off = (size_t)shoff;
		*len = (size_t)(shnum * shentsize);
		return;
	}
	const uint8_t *sh = d + shoff + next(s) % shnum * shentsize;
	uint64_t so = is64 ? get(sh + 24, 8, big) : get(sh + 16, 4, big);
	uint64_t sz = is64 ? get(sh + 32, 8, big) : get(sh + 20, 4, big);
	if (so > size || sz > size - so || sz == 0)
		return;
	*off = (size_t)so;
	*len = (size_t)(sz < 4096 || r == 7 ? sz : 4096);  /* section starts */
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
			       unsigned int seed)
{
	uint64_t s = (uint64_t)seed * 0x9e3779b97f4a7c15ULL | 1;

	if (size < 64 || memcmp(data, "\x7f" "ELF", 4) != 0)
		return LLVMFuzzerMutate(data, size, max_size);
	for (uint64_t k = 1 + next(&s) % 3; k > 0; k--) {
		size_t off, len;
		pick_region(data, size, &s, &off, &len);
		if (len == 0)
			continue;
		size_t at = off + next(&s) % len;
		unsigned n = 1u << (next(&s) % 4);     /* 1, 2, 4 or 8 bytes */
		if (n > size - at)
			n = (unsigned)(size - at);
		uint64_t v;
		switch (next(&s) % 5) {
		case 0: v = 0; break;
		case 1: v = UINT64_MAX; break;
		case 2: v = UINT64_MAX - next(&s) % 256; break;   /* wraps */
		case 3: v = get(data + at, n, false) + 1 + next(&s) % 16; break;
		default: v = next(&s); break;
		}
		for (unsigned i = 0; i < n; i++)
			data[at + i] = (uint8_t)(v >> (8 * i));
	}
	return size;
}
#endif

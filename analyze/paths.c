/* paths.c - which code is the user's, and short forms of source paths. */
#include "view_int.h"

#include <string.h>

static bool has_prefix(const char *s, const char *pre, size_t n)
{
	return strncmp(s, pre, n) == 0;
}

/* "/x/y.go" or a Windows "C:/x/y.go" / "C:\\x\\y.go" */
static bool is_abs(const char *f)
{
	return f && (f[0] == '/' || (((f[0] | 0x20) >= 'a' && (f[0] | 0x20) <= 'z') &&
				    f[1] == ':' && (f[2] == '/' || f[2] == '\\')));
}

size_t av_func_pkg_len(const char *func)
{
	const char *slash = strrchr(func, '/');
	const char *start = slash ? slash + 1 : func;
	const char *dot = strchr(start, '.');
	return dot ? (size_t)(dot - func) : 0;
}

static enum ps_view_class class_by_pkg(const char *func);

/* A standard-library frame's file gives GOROOT: ".../go/src/net/http/x.go"
 * for package net/http (or src/runtime/ for linknamed runtime code).
 * Stops at the first hit, so the cost is a few frames. */
static bool goroot_from(struct av_paths *p, const struct ps_frame *f)
{
	const char *src, *file = f->file;
	size_t pkg = av_func_pkg_len(f->func ? f->func : "");

	if (!is_abs(file) || class_by_pkg(f->func ? f->func : "") != PS_VIEW_STD)
		return false;
	for (src = strstr(file, "/src/"); src; src = strstr(src + 1, "/src/")) {
		const char *rest = src + 5;
		if ((pkg && strncmp(rest, f->func, pkg) == 0 && rest[pkg] == '/') ||
		    strncmp(rest, "runtime/", 8) == 0) {
			p->goroot = file;
			p->goroot_len = (size_t)(src - file);
			return true;
		}
	}
	return false;
}

void av_paths_find_goroot(struct av_paths *p, const struct ps_dump *d)
{
	for (size_t i = 0; i < d->n_goroutines; i++) {
		const struct ps_stack *st = &d->goroutines[i].stack;
		for (size_t j = 0; j < st->n_frames; j++)
			if (goroot_from(p, &st->frames[j]))
				return;
	}
}

/* Without a GOROOT (trimmed paths, race reports) the package decides:
 * a first path element without a dot is the standard library. */
static enum ps_view_class class_by_pkg(const char *func)
{
	size_t n = av_func_pkg_len(func);
	const char *slash = memchr(func, '/', n);
	size_t first = slash ? (size_t)(slash - func) : n;

	/* "panic", "gopanic": runtime frames printed without a package */
	if (n == 0)
		return PS_VIEW_STD;
	if (n == 4 && has_prefix(func, "main", 4))
		return PS_VIEW_USER;
	if (memchr(func, '.', first))
		return PS_VIEW_USER;
	/* go.shape, type:.eq and friends are compiler-made, not user code */
	return PS_VIEW_STD;
}

enum ps_view_class av_class(const struct av_paths *p, const char *func,
			     const char *file, enum ps_frame_kind kind)
{
	if (kind == PS_FRAME_C)
		return PS_VIEW_DEP;
	if (is_abs(file)) {
		if (p->goroot && has_prefix(file, p->goroot, p->goroot_len) &&
		    has_prefix(file + p->goroot_len, "/src/", 5))
			return PS_VIEW_STD;
		if (strstr(file, "/pkg/mod/") || strstr(file, "/vendor/"))
			return PS_VIEW_DEP;
		if (p->goroot)
			return PS_VIEW_USER;
	}
	return class_by_pkg(func ? func : "");
}

void av_paths_add_user(struct av_paths *p, const char *file)
{
	if (!is_abs(file))
		return;
	if (!p->common) {
		const char *slash = strrchr(file, '/');
		if (!slash)
			return;
		p->common = file;
		p->common_len = (size_t)(slash - file) + 1;
		return;
	}
	size_t n = 0;
	while (n < p->common_len && file[n] == p->common[n])
		n++;
	/* back to the last '/' both share: never cut a name in half */
	while (n > 0 && p->common[n - 1] != '/')
		n--;
	p->common_len = n;
}

const char *av_short_path(const struct av_paths *p, const char *file,
			  enum ps_view_class cls)
{
	const char *at;

	if (!file)
		return "";
	if (cls == PS_VIEW_STD && p->goroot && has_prefix(file, p->goroot, p->goroot_len) &&
	    has_prefix(file + p->goroot_len, "/src/", 5))
		return file + p->goroot_len + 5;
	if ((at = strstr(file, "/pkg/mod/")))
		return at + 9;
	if ((at = strstr(file, "/vendor/")))
		return at + 8;
	/* a common prefix of just "/" saves nothing */
	if (cls == PS_VIEW_USER && p->common && p->common_len > 1 &&
	    has_prefix(file, p->common, p->common_len) &&
	    file[p->common_len] != '\0')
		return file + p->common_len;
	return file;
}

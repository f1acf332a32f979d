/* html.c - one self-contained page: no network, no external assets.
 *
 * The crash header is static HTML; the groups travel as one JSON block
 * and a small script renders them in batches, each group collapsed until
 * opened (frames are built on first open), so 100k goroutines never
 * become 100k DOM nodes at once.  "#q=text" in the URL pre-fills the
 * search box, which makes searches linkable (and testable headless). */
#include "report_int.h"

#include <stdlib.h>
#include <string.h>

#define SCRATCH_FRAMES 1024     /* frames decoded between scratch resets */

/* Interned name or path -> index in the page's table.  The table is
 * written at the end from the strings themselves (the document's
 * interned names outlive the report), not kept as JSON text: 10^6
 * distinct frames would hold tens of MB of it.  Its cells are 4 bytes,
 * index + 1, not a ps_map's 16 (64 MB of the two tables on that stack,
 * now 16): a probe compares the key with the index's last string, and
 * a doubling, after the old cells are freed, walks the items in order. */
struct names {
	uint32_t *cells;        /* index + 1, or 0 */
	size_t mask;
	unsigned bits;          /* log2 of the cell count */
	struct ps_vec items;    /* per index: PER strings, as written */
	size_t per;             /* funcs: the name; files: short and full path */
};

struct hw {
	struct names funcs, files;
	struct rp_buf heads;    /* every dump's crash header, for the page's */
	char *title;            /* the first dump's message, or NULL */
	bool first;             /* no group written yet */
	struct rp_buf b;
	FILE *out;
	const struct rp_ctx *c;
	const ps_view *d;
	struct ps_arena scratch;
	struct rp_buf tmp;
};

static const char css[] =
	"body{font:14px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;"
	"margin:0;color:#1d1d1f;background:#fafafa}"
	"header{padding:12px 20px;background:#fff;border-bottom:1px solid #ddd}"
	"h1{font-size:16px;color:#b00020;margin:4px 0;white-space:pre-wrap}"
	".sig{color:#b00020}.sum{color:#666;margin-top:4px}"
	".find{color:#7a2e8e;margin:2px 0}.find[data-q]{cursor:pointer}"
	".find[data-q]:hover{text-decoration:underline}.warn{color:#9a6700}"
	".bar{position:sticky;top:0;background:#f0f0f0;padding:8px 20px;"
	"border-bottom:1px solid #ddd}"
	"#q{width:40em;max-width:70%;font:inherit;padding:3px 6px}"
	"#count{color:#666;margin-left:1em}"
	"main{padding:8px 20px}"
	"details.group{background:#fff;border:1px solid #e3e3e3;border-radius:4px;"
	"margin:6px 0;padding:4px 8px}"
	"details.crashed{border-color:#b00020}"
	"summary{cursor:pointer}.n{font-weight:bold}.st{color:#9a6700}"
	".ids{color:#888;margin-left:1em}.site{color:#0b5cad}.lab{color:#2e7d32}"
	"table.fr{border-collapse:collapse;margin:4px 0 2px 1em}"
	"table.fr td{padding:0 1.5em 0 0;vertical-align:top}"
	"tr.s td{color:#999}tr.u td.fn{font-weight:bold}td.loc{color:#0b5cad}"
	".args{color:#555;word-break:break-all}"
	"button#more{margin:8px 0;font:inherit}";

/* Plain DOM code, no libraries.  A frame is [func index, args or null,
 * file index or -1, line, class]; created-by is [func, file, line];
 * data.funcs holds the names, data.files [short, full] paths, so 100k
 * goroutines with --all do not repeat every name 100k times. */
static const char script[] =
	"(function(){\n"
	"var data=JSON.parse(document.getElementById('data').textContent);\n"
	"var main=document.getElementById('groups'),q=document.getElementById('q'),\n"
	"    cnt=document.getElementById('count'),BATCH=500,list=[],shown=0;\n"
	"var F=data.funcs,L=data.files;\n"
	"function loc(fi,line){return fi<0?'':L[fi][0]+(line?':'+line:'');}\n"
	"function full(fi,line){return fi<0?'':L[fi][1]+(line?':'+line:'');}\n"
	"function el(t,c,x){var e=document.createElement(t);if(c)e.className=c;\n"
	"  if(x!==undefined)e.textContent=x;return e;}\n"
	"function key(g){if(!g.k){var s=g.state+' '+g.ids+' '+(g.labels||'');\n"
	"  for(var i=0;i<g.frames.length;i++){var f=g.frames[i];\n"
	"    s+=' '+F[f[0]]+'('+(f[1]||'')+') '+full(f[2],f[3]);}\n"
	"  if(g.created)s+=' created by '+F[g.created[0]]+' '+full(g.created[1],g.created[2]);\n"
	"  g.k=s.toLowerCase();}return g.k;}\n"
	"function frames(d,g){var t=el('table','fr');\n"
	"  for(var i=0;i<g.frames.length;i++){var f=g.frames[i],r=el('tr',f[4]);\n"
	"    var a=el('td','fn');a.appendChild(document.createTextNode(F[f[0]]));\n"
	"    if(f[1]!==null){a.appendChild(el('span','args','('+f[1]+')'));}\n"
	"    r.appendChild(a);var l=el('td','loc',loc(f[2],f[3]));l.title=full(f[2],f[3]);\n"
	"    r.appendChild(l);t.appendChild(r);}\n"
	"  if(g.created){var c=g.created,r=el('tr','c');\n"
	"    r.appendChild(el('td','fn','created by '+F[c[0]]));\n"
	"    r.appendChild(el('td','loc',loc(c[1],c[2])));t.appendChild(r);}\n"
	"  d.appendChild(t);}\n"
	"function group(g){var d=el('details','group '+g.cls+(g.crashed?' crashed':''));\n"
	"  var s=el('summary');s.appendChild(el('span','n',g.title));\n"
	"  s.appendChild(document.createTextNode(' ['));s.appendChild(el('span','st',g.state));\n"
	"  s.appendChild(document.createTextNode((g.wait?', '+g.wait:'')+']'+(g.crashed?' (crashed)':'')+' '));\n"
	"  s.appendChild(el('span','site',g.site));s.appendChild(document.createTextNode(' '));\n"
	"  s.appendChild(el('span','ids',g.ids));\n"
	"  if(g.labels)s.appendChild(el('span','lab',' '+g.labels));\n"
	"  d.appendChild(s);var done=false;\n"
	"  d.addEventListener('toggle',function(){if(d.open&&!done){done=true;frames(d,g);}});\n"
	"  if(g.crashed){d.open=true;done=true;frames(d,g);}return d;}\n"
	"function more(){var end=Math.min(list.length,shown+BATCH),f=document.createDocumentFragment();\n"
	"  for(;shown<end;shown++)f.appendChild(group(list[shown]));\n"
	"  var b=document.getElementById('more');if(b)b.remove();main.appendChild(f);\n"
	"  if(shown<list.length){b=el('button',null,'show '+Math.min(BATCH,list.length-shown)+\n"
	"    ' more of '+(list.length-shown)+' remaining');b.id='more';b.onclick=more;main.appendChild(b);}}\n"
	"function render(){var t=q.value.trim().toLowerCase(),n=0;list=[];\n"
	"  for(var i=0;i<data.groups.length;i++){var g=data.groups[i];\n"
	"    if(!t||key(g).indexOf(t)>=0){list.push(g);n+=g.n;}}\n"
	"  main.textContent='';shown=0;more();\n"
	"  if(t&&list.length<=3){var ds=main.querySelectorAll('details');\n"
	"    for(var i=0;i<ds.length;i++)ds[i].open=true;}\n"
	"  cnt.textContent=list.length+' of '+data.groups.length+' groups, '+n+' goroutines';\n"
	"  cnt.setAttribute('data-groups',list.length);}\n"
	"var timer=null;q.addEventListener('input',function(){clearTimeout(timer);\n"
	"  timer=setTimeout(render,120);});\n"
	"var fs=document.querySelectorAll('.find[data-q]');\n"
	"for(var i=0;i<fs.length;i++)fs[i].onclick=function(){q.value=this.getAttribute('data-q');render();};\n"
	"var h=location.hash.match(/^#q=(.*)$/);\n"
	"if(h){try{q.value=decodeURIComponent(h[1]);}catch(e){q.value=h[1];}}\n"
	"render();})();\n";

static void names_init(struct names *m, size_t per)
{
	ps_vec_init(&m->items, per * sizeof(const char *));
	m->per = per;
}

static const void *names_key(const struct names *m, size_t idx)
{
	return ((const char **)ps_vec_at(&m->items, idx))[m->per - 1];
}

static size_t names_home(const struct names *m, const void *k)
{
	uint64_t h = (uint64_t)(uintptr_t)k;
	h ^= h >> 33;
	return (size_t)((h * 0xff51afd7ed558ccdULL) >> (64 - m->bits));
}

static void names_grow(struct names *m)
{
	m->bits = m->cells ? m->bits + 1 : 6;
	m->mask = ((size_t)1 << m->bits) - 1;
	free(m->cells);
	m->cells = ps_xcalloc(m->mask + 1, sizeof(*m->cells));
	for (size_t idx = 0; idx < m->items.len; idx++) {
		size_t i = names_home(m, names_key(m, idx));
		while (m->cells[i])
			i = (i + 1) & m->mask;
		m->cells[i] = (uint32_t)(idx + 1);
	}
}

/* The index of K, *ITEM set to its strings to fill when K is new (else
 * NULL).  Indexes are 32-bit (the page's frames say them): 2^32 - 1
 * distinct names, some 40 GB of input, would not fit, and are taken
 * as running out of memory. */
static uint32_t names_get(struct names *m, const void *k, const char ***item)
{
	*item = NULL;
	if ((m->items.len + 1) * 4 > (m->cells ? m->mask + 1 : 0) * 3)
		names_grow(m);
	size_t i = names_home(m, k);
	for (uint32_t c; (c = m->cells[i]); i = (i + 1) & m->mask)
		if (names_key(m, c - 1) == k)
			return c - 1;
	if (m->items.len >= UINT32_MAX - 1) /* cells hold index + 1 in 32 bits */
		ps_out_of_memory((m->items.len + 1) * m->items.elem);
	m->cells[i] = (uint32_t)(m->items.len + 1);
	*item = ps_vec_push(&m->items);
	return (uint32_t)(m->items.len - 1);
}

static void names_release(struct names *m)
{
	free(m->cells);
	m->cells = NULL;
	ps_vec_release(&m->items);
}

static void text(struct hw *w, const char *s)
{
	if (s)
		rp_html_str(&w->b, s, strlen(s));
}

static void jstr(struct rp_buf *b, const char *s)
{
	rp_json_cstr(b, s, RP_JSON_HTML);
}

static void jstrn(struct rp_buf *b, const char *s, size_t n)
{
	rp_json_str(b, s ? s : "", s ? n : 0, RP_JSON_HTML);
}

static const char *cls_name(enum ps_view_class c)
{
	return c == PS_VIEW_USER ? "u" : c == PS_VIEW_DEP ? "d" : "s";
}

static void func_ref(struct hw *w, const char *func)
{
	const char **item;
	const char *fn = func ? func : "?";
	uint32_t i = names_get(&w->funcs, fn, &item);

	if (item)
		item[0] = fn;
	rp_buf_u64(&w->b, i);
}

/* FILE's index in the files table ([short, full]), or -1. */
static void file_ref(struct hw *w, const char *file, bool present, enum ps_view_class cls)
{
	const char **item;

	if (!present || !file || !file[0]) {
		rp_buf_puts(&w->b, "-1");
		return;
	}
	uint32_t i = names_get(&w->files, file, &item);
	if (item) {
		/* a suffix of FILE, or FILE: as lasting as it */
		item[0] = ps_view_short_path(w->d, file, cls);
		item[1] = file;
	}
	rp_buf_u64(&w->b, i);
}

/* [func, args or null, file, line, class] of frame I of ST (see the
 * script) */
static void frame_json(struct hw *w, const struct ps_stack *st, size_t i, uint64_t mask)
{
	const struct ps_frame *f = &st->frames[i];
	const char *args = ps_stack_args(st, i);
	enum ps_view_class cls = ps_view_frame_class(w->d, f);
	struct ps_abi_frame af;
	struct rp_buf *b = &w->b;

	rp_buf_addc(b, '[');
	func_ref(w, f->func);
	rp_buf_addc(b, ',');
	w->tmp.len = 0;
	if (f->kind != PS_FRAME_GO || !args)
		rp_buf_puts(b, "null");
	else if (!mask)
		jstr(b, "…");
	else if (ps_view_decode(w->d, st, i, &w->scratch, &af))
		rp_abi_args_text_masked(&w->tmp, &af, mask,
					ps_view_arg_format(w->d) == PS_ARGFMT_WORDS),
		jstrn(b, w->tmp.p, w->tmp.len);
	else if (mask == ~(uint64_t)0)
		jstrn(b, args, ps_intern_len(args));
	else
		rp_args_masked(&w->tmp, args, ps_intern_len(args), mask),
		jstrn(b, w->tmp.p, w->tmp.len);
	rp_buf_addc(b, ',');
	file_ref(w, f->file, f->has_file, cls);
	rp_buf_addc(b, ',');
	rp_buf_u64(b, f->line);
	rp_buf_printf(b, ",\"%s\"]", cls_name(cls));
}

static void where(struct hw *w, const struct ps_frame *f, const char *file, uint32_t line)
{
	enum ps_view_class cls = f ? ps_view_frame_class(w->d, f) : PS_VIEW_STD;
	w->tmp.len = 0;
	if (f)
		rp_buf_puts(&w->tmp, f->func ? f->func : "?");
	if (file && file[0])
		rp_buf_printf(&w->tmp, "%s%s:%u", f ? " " : "",
			      ps_view_short_path(w->d, file, cls), line);
	jstrn(&w->b, w->tmp.p, w->tmp.len);
}

static void group_head_json(struct hw *w, const struct ps_view_group *gr, size_t dump_no)
{
	struct rp_buf *b = &w->b;
	const struct ps_goroutine *g = gr->rep;
	const struct ps_frame *site = ps_view_site(w->d, g);

	w->tmp.len = 0;
	if (dump_no)
		rp_buf_printf(&w->tmp, "dump %zu: ", dump_no);
	if (ps_goroutine_role(g)[0] && !g->has_header)
		rp_buf_puts(&w->tmp, ps_goroutine_role(g));
	else if (gr->count == 1 && gr->n_members == 1 && (g->id || g->has_header))
		rp_buf_printf(&w->tmp, "goroutine %llu", (unsigned long long)g->id);
	else
		rp_buf_printf(&w->tmp, "%llu goroutine%s", (unsigned long long)gr->count,
			      gr->count == 1 ? "" : "s");
	rp_buf_printf(b, "{\"n\":%llu,\"title\":", (unsigned long long)gr->count);
	jstrn(b, w->tmp.p, w->tmp.len);
	rp_buf_puts(b, ",\"state\":");
	jstr(b, g->state ? g->state : "");
	w->tmp.len = 0;
	if (gr->wait_max >= 0)
		rp_buf_printf(&w->tmp, gr->wait_min == gr->wait_max ? "%d minutes" :
			      "%d-%d minutes", gr->wait_min, gr->wait_max);
	if (gr->locked)
		rp_buf_printf(&w->tmp, "%s%zu locked to thread", w->tmp.len ? ", " : "",
			      gr->locked);
	rp_buf_puts(b, ",\"wait\":");
	jstrn(b, w->tmp.p, w->tmp.len);
	w->tmp.len = 0;
	if (gr->n_members > 1)
		rp_buf_puts(&w->tmp, ps_view_id_ranges(&w->scratch, gr->members,
						       gr->n_members, 8));
	rp_buf_puts(b, ",\"ids\":");
	jstrn(b, w->tmp.p, w->tmp.len);
	rp_buf_puts(b, ",\"labels\":");
	jstr(b, gr->extra_same ? ps_view_header_labels(g->header_extra, w->c->opts->all) : NULL);
	rp_buf_printf(b, ",\"crashed\":%s,\"cls\":\"%s\",\"site\":",
		      gr->crashed ? "true" : "false", cls_name(gr->cls));
	where(w, site, site ? site->file : NULL, site ? site->line : 0);
}

static void group_json(struct hw *w, const struct ps_view_group *gr, size_t dump_no)
{
	struct rp_buf *b = &w->b;
	const struct ps_goroutine *g = gr->rep;

	group_head_json(w, gr, dump_no);
	rp_buf_puts(b, ",\"frames\":[");
	for (size_t i = 0; i < g->stack.n_frames; i++) {
		if (i)
			rp_buf_addc(b, ',');
		frame_json(w, &g->stack, i, gr->arg_mask ? gr->arg_mask[i] : ~(uint64_t)0);
		/* a stack of 10^6 frames: neither its JSON nor its decoded
		 * arguments are held whole */
		if (i % SCRATCH_FRAMES == SCRATCH_FRAMES - 1)
			ps_arena_release(&w->scratch);
		rp_buf_spill(b, w->out);
	}
	rp_buf_puts(b, "],\"created\":");
	if (g->created_by) {
		const struct ps_created_by *cb = g->created_by;
		rp_buf_addc(b, '[');
		func_ref(w, cb->func);
		rp_buf_addc(b, ',');
		file_ref(w, cb->file, true, ps_view_created_class(w->d, cb));
		rp_buf_addc(b, ',');
		rp_buf_u64(b, cb->line);
		rp_buf_addc(b, ']');
	} else {
		rp_buf_puts(b, "null");
	}
	rp_buf_puts(b, "}");
	ps_arena_release(&w->scratch);
	rp_buf_spill(b, w->out);
}

/* The view's headline: the first line as the title, then the rest of
 * the chain and the signal, the summary, warnings and findings. */
static void crash_header(struct hw *w)
{
	size_t n, n_warn, n_find;
	const struct ps_view_line *l = ps_view_headline(w->d, &n);
	const char *const *warn = ps_view_warnings(w->d, &n_warn);
	const struct ps_view_finding *fs = ps_view_findings(w->d, &n_find);

	for (size_t i = 0; i < n; i++) {
		const char *open = i == 0 ? "<h1>" :
			l[i].kind == PS_VIEW_LINE_SUMMARY ? "<div class=sum>" : "<div class=sig>";
		rp_buf_puts(&w->b, open);
		text(w, l[i].text);
		rp_buf_puts(&w->b, i == 0 ? "</h1>\n" : "</div>\n");
	}
	for (size_t i = 0; i < n_warn; i++) {
		rp_buf_puts(&w->b, "<div class=warn>warning: ");
		text(w, warn[i]);
		rp_buf_puts(&w->b, "</div>\n");
	}
	/* a click on a finding searches for its site */
	for (size_t i = 0; i < n_find; i++) {
		const struct ps_frame *site = fs[i].site;
		rp_buf_puts(&w->b, "<div class=find");
		if (site && site->func) {
			rp_buf_puts(&w->b, " title=\"show these goroutines\" data-q=\"");
			text(w, site->func);
			rp_buf_addc(&w->b, '"');
		}
		rp_buf_puts(&w->b, ">! ");
		text(w, fs[i].message);
		rp_buf_puts(&w->b, "</div>\n");
	}
}

static void page_head(struct hw *w)
{
	const struct rp_ctx *c = w->c;

	rp_buf_puts(&w->b, "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>\n"
			   "<meta name=viewport content=\"width=device-width\">\n<title>panicscope: ");
	text(w, w->title && w->title[0] ? w->title : c->opts->input_name ?
	     c->opts->input_name : "report");
	rp_buf_printf(&w->b, "</title>\n<style>%s</style></head><body>\n<header>\n", css);
	if (!c->n_dumps)
		rp_buf_puts(&w->b, "<h1>no Go crash dump found</h1>\n");
	rp_buf_add(&w->b, w->heads.p, w->heads.len);
	rp_buf_puts(&w->b, "</header>\n<div class=bar><input id=q type=search "
			   "placeholder=\"search state, functions, files, goroutine ids\" "
			   "autofocus><span id=count></span></div>\n<main id=groups></main>\n"
			   "<script type=\"application/json\" id=data>{\"groups\":[\n");
}

static void dump_groups(struct hw *w, const ps_view *rd, size_t dump_no, bool *first)
{
	size_t n_gs, n_groups;
	const struct ps_goroutine *const *gs = ps_view_goroutines(rd, &n_gs);
	const struct ps_view_group *groups = ps_view_groups(rd, &n_groups);

	w->d = rd;
	for (size_t i = 0; i < (w->c->opts->all ? n_gs : n_groups); i++) {
		struct ps_view_group one;
		const struct ps_view_group *gr = &groups[i < n_groups ? i : 0];
		if (w->c->opts->all) {
			one = ps_view_single(rd, &gs[i]);
			gr = &one;
		}
		if (!*first)
			rp_buf_puts(&w->b, ",\n");
		*first = false;
		group_json(w, gr, dump_no);
	}
}

static void *html_open(const struct rp_ctx *c)
{
	struct hw *w = ps_xcalloc(1, sizeof(*w));
	w->c = c;
	w->first = true;
	names_init(&w->funcs, 1);
	names_init(&w->files, 2);
	return w;
}

/* Each dump's crash header goes to the page's header, above every
 * dump's groups: kept (a few lines a dump) until the page head. */
static void html_note(void *wp, const ps_view *v, size_t idx)
{
	struct hw *w = wp;
	struct rp_buf b = w->b;
	const struct ps_dump *d = ps_view_dump(v);

	if (idx == 0)
		w->title = ps_xstrndup(d->message ? d->message : "",
				       d->message ? strlen(d->message) : 0);
	w->d = v;
	w->b = w->heads;
	crash_header(w);
	w->heads = w->b;
	w->b = b;
}

static void html_head(void *wp, FILE *out)
{
	struct hw *w = wp;
	page_head(w);
	rp_buf_flush(&w->b, out);
}

static void html_dump_head(void *wp, const struct rp_dump_info *d, size_t idx, FILE *out)
{
	(void)wp, (void)d, (void)idx, (void)out;
}

static void html_body(void *wp, const ps_view *v, size_t idx, FILE *out)
{
	struct hw *w = wp;
	bool several = w->c->n_dumps > 1 || w->c->more;
	w->out = out;
	dump_groups(w, v, several ? idx + 1 : 0, &w->first);
	rp_buf_flush(&w->b, out);
}

/* The table M: a name each, or [short, full] for files. */
static void names_json(struct hw *w, const struct names *m, FILE *out)
{
	for (size_t i = 0; i < m->items.len; i++) {
		const char *const *item = ps_vec_at(&m->items, i);
		if (i)
			rp_buf_addc(&w->b, ',');
		if (m->per == 1) {
			jstr(&w->b, item[0]);
		} else {
			rp_buf_addc(&w->b, '[');
			jstr(&w->b, item[0]);
			rp_buf_addc(&w->b, ',');
			jstr(&w->b, item[1]);
			rp_buf_addc(&w->b, ']');
		}
		rp_buf_spill(&w->b, out);
	}
}

/* OUT NULL: an aborted report, only freed. */
static void html_tail(void *wp, FILE *out)
{
	struct hw *w = wp;
	if (out) {
		rp_buf_puts(&w->b, "],\n\"funcs\":[");
		names_json(w, &w->funcs, out);
		rp_buf_puts(&w->b, "],\n\"files\":[");
		names_json(w, &w->files, out);
		rp_buf_printf(&w->b, "]}</script>\n<script>%s</script>\n</body></html>\n", script);
		rp_buf_flush(&w->b, out);
	}
	rp_buf_release(&w->b);
	rp_buf_release(&w->heads);
	names_release(&w->funcs);
	names_release(&w->files);
	rp_buf_release(&w->tmp);
	ps_arena_release(&w->scratch);
	free(w->title);
	free(w);
}

const struct rp_writer rp_html_writer = {
	html_open, html_note, html_body, html_head, html_dump_head, html_tail,
};

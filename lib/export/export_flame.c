// SPDX-License-Identifier: LGPL-2.1
/*
 * The SVG flame graph (export_flame.h).
 */
#include "export/export_flame.h"
#include "callgraph/callview.h"
#include "export/export_folded.h"
#include "util.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define FRAME_H 16		/* a frame's height, with 1 px of gap */
#define FONT_SIZE 12
#define CHAR_W 7.0		/* the average width of a character at FONT_SIZE */
#define PAD 10			/* left and right margins */
#define TOP 46			/* title, subtitle and buttons */
#define NARROW 640		/* below: the buttons get a row of their own, under the title */
#define SUB_LINE_H 13		/* a subtitle line's height */
#define SUB_CHAR_W 6.5		/* the average width of a character of the subtitle (11px) */
#define BOTTOM 24		/* the details line */

struct flame {
	FILE *out;
	const struct flame_opts *o;
	uint64_t *width_of;	/* per node id: max(total, sum of the children's) */
	double scale;		/* pixels per unit */
	double all;		/* the root's width, for percents */
	int max_depth;
	bool samples;
	uint64_t pruned;	/* frames narrower than o->min_width, left out */
	int top;		/* where the frames begin: below the title, buttons, subtitle */
	char *subtitle;		/* its XML text, '\n' where a line ends (wrap_subtitle()) */
	int subtitle_lines;
};

/* A node's drawn width: never narrower than its children together. */
static uint64_t measure(struct flame *f, const struct stack_node *n)
{
	uint64_t kids = 0;

	if (n->depth > f->max_depth)
		f->max_depth = n->depth;
	for (int i = 0; i < n->nr_kids; i++)
		kids += measure(f, n->kids[i]);
	f->width_of[n->id] = n->total > kids ? n->total : kids;
	return f->width_of[n->id];
}

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

void flame_color(const char *name, bool comm, unsigned char rgb[3])
{
	uint64_t h = fnv1a(name);

	if (comm) {	/* blues */
		rgb[0] = 80 + h % 60;
		rgb[1] = 130 + (h >> 8) % 60;
		rgb[2] = 200 + (h >> 16) % 55;
		return;
	}
	rgb[0] = 205 + h % 50;	/* reds to yellows */
	rgb[1] = (h >> 8) % 230;
	rgb[2] = (h >> 16) % 55;
}

/* Text for XML: the five special characters escaped, control and non-ASCII bytes as '?'. */
static void put_xml(FILE *out, const char *s, size_t max)
{
	for (size_t i = 0; s[i] && i < max; i++) {
		unsigned char c = s[i];

		if (c == '&')
			fputs("&amp;", out);
		else if (c == '<')
			fputs("&lt;", out);
		else if (c == '>')
			fputs("&gt;", out);
		else if (c == '"')
			fputs("&quot;", out);
		else if (c == '\'')
			fputs("&apos;", out);
		else if (c < 0x20 || c >= 0x7f)
			fputc('?', out);
		else
			fputc(c, out);
	}
}

/* ns as --graph prints them ("1.500 ms", "2.000 s"), without its padding. */
static void put_duration(FILE *out, uint64_t ns)
{
	char buf[32], *p = buf;

	callview_format_time(buf, sizeof(buf), ns);
	while (*p == ' ')
		p++;
	for (; *p; p++)
		if (*p != ' ' || p[1] != ' ')	/* "  s": one space */
			fputc(*p, out);
}

static void put_value(struct flame *f, uint64_t v)
{
	if (f->samples)
		fprintf(f->out, "%" PRIu64 " samples", v);
	else
		put_duration(f->out, v);
}

static void put_title(struct flame *f, const struct stack_node *n)
{
	double pct = f->all ? 100.0 * (double)n->total / f->all : 0;

	fputs("<title>", f->out);
	put_xml(f->out, n->name, SIZE_MAX);
	fputs("\ntotal: ", f->out);
	put_value(f, n->total);
	fprintf(f->out, " (%.2f%%)\nself: ", pct);
	put_value(f, n->self);
	fprintf(f->out, "\n%s: %" PRIu64 "</title>", f->samples ? "samples" : "calls", n->calls);
}

static int frame_y(const struct flame *f, int depth)
{
	if (f->o->icicle)
		return f->top + depth * FRAME_H;
	return f->top + (f->max_depth - depth) * FRAME_H;
}

static void put_frame(struct flame *f, const struct stack_node *n, double x)
{
	double w = f->width_of[n->id] * f->scale;
	unsigned char rgb[3] = { 200, 200, 200 };
	size_t fit = w > 6 ? (size_t)((w - 6) / CHAR_W) : 0;
	size_t len = strlen(n->name);
	int y = frame_y(f, n->depth);

	if (n->depth)
		flame_color(n->name, n->depth == 1, rgb);
	fputs("<g>", f->out);
	put_title(f, n);
	fprintf(f->out, "<rect x=\"%.2f\" y=\"%d\" width=\"%.3f\" height=\"%d\" "
		"fill=\"rgb(%u,%u,%u)\" rx=\"2\"/>", x, y, w, FRAME_H - 1, rgb[0], rgb[1], rgb[2]);
	fprintf(f->out, "<text x=\"%.2f\" y=\"%d\">", x + 3, y + FRAME_H - 5);
	if (fit >= 3) {
		put_xml(f->out, n->name, len <= fit ? len : fit - 2);
		if (len > fit)
			fputs("..", f->out);
	}
	fputs("</text></g>\n", f->out);
}

static bool too_narrow(const struct flame *f, const struct stack_node *n)
{
	return f->width_of[n->id] * f->scale < f->o->min_width;
}

static uint64_t nr_frames(const struct stack_node *n)
{
	uint64_t nr = 1;

	for (int i = 0; i < n->nr_kids; i++)
		nr += nr_frames(n->kids[i]);
	return nr;
}

/* The frames left out under n (before drawing: the SVG says how many). */
static uint64_t count_pruned(const struct flame *f, const struct stack_node *n)
{
	uint64_t nr = 0;

	for (int i = 0; i < n->nr_kids; i++)
		nr += too_narrow(f, n->kids[i]) ? nr_frames(n->kids[i]) :
						  count_pruned(f, n->kids[i]);
	return nr;
}

static void put_frames(struct flame *f, const struct stack_node *n, double x)
{
	put_frame(f, n, x);
	for (int i = 0; i < n->nr_kids; i++) {
		if (!too_narrow(f, n->kids[i]))
			put_frames(f, n->kids[i], x);
		x += f->width_of[n->kids[i]->id] * f->scale;
	}
}

/*
 * Zoom, reset, search. Frames are read back from the SVG (the first line of
 * a frame's title is its name), so the script holds no data of its own.
 */
static const char script[] =
	"<script type=\"text/ecmascript\"><![CDATA[\n"
	"var frames = [], W, PAD = 10, details, matched, caseButton, resetSearch;\n"
	"var ignoreCase = false, term = null;\n"
	"function byId(id) { return document.getElementById(id); }\n"
	"function init(evt) {\n"
	"  W = +document.documentElement.getAttribute('width');\n"
	"  details = byId('details'); matched = byId('matched');\n"
	"  caseButton = byId('case'); resetSearch = byId('reset-search');\n"
	"  var gs = byId('frames').getElementsByTagName('g');\n"
	"  for (var i = 0; i < gs.length; i++) {\n"
	"    var g = gs[i], r = g.getElementsByTagName('rect')[0];\n"
	"    var t = g.getElementsByTagName('title')[0].textContent;\n"
	"    var fr = { g: g, r: r, t: g.getElementsByTagName('text')[0],\n"
	"      x: +r.getAttribute('x'), w: +r.getAttribute('width'),\n"
	"      name: t.split('\\n')[0], fill: r.getAttribute('fill'),\n"
	"      info: t.replace(/\\n/g, ', ') };\n"
	"    frames.push(fr);\n"
	"    g.onclick = (function(fr) { return function() { zoom(fr); }; })(fr);\n"
	"    g.onmouseover = (function(fr) {\n"
	"      return function() { details.textContent = fr.info; };\n"
	"    })(fr);\n"
	"    g.onmouseout = function() { details.textContent = ' '; };\n"
	"  }\n"
	"  document.addEventListener('keydown', onKey);\n"
	"  var s = urlParam('s');\n"
	"  if (urlParam('i') === '1') toggleCase();\n"
	"  if (s !== null) find(s);\n"
	"}\n"
	"function urlParam(name) {\n"
	"  var m = new RegExp('[?&]' + name + '=([^&]*)').exec(document.location.search || '');\n"
	"  return m ? decodeURIComponent(m[1].replace(/\\+/g, ' ')) : null;\n"
	"}\n"
	"function label(fr, x, w) {\n"
	"  var n = Math.floor((w - 6) / 7);\n"
	"  fr.t.setAttribute('x', x + 3);\n"
	"  fr.t.textContent = n < 3 ? '' :\n"
	"    fr.name.length <= n ? fr.name : fr.name.substr(0, n - 2) + '..';\n"
	"}\n"
	"function place(fr, x, w, show, faded) {\n"
	"  fr.g.style.display = show ? '' : 'none';\n"
	"  fr.g.style.opacity = faded ? 0.5 : 1;\n"
	"  fr.r.setAttribute('x', x); fr.r.setAttribute('width', w); label(fr, x, w);\n"
	"}\n"
	"function zoom(z) {\n"
	"  var s = (W - 2 * PAD) / z.w, e = 0.0001;\n"
	"  for (var i = 0; i < frames.length; i++) {\n"
	"    var fr = frames[i];\n"
	"    if (fr.x >= z.x - e && fr.x + fr.w <= z.x + z.w + e)\n"
	"      place(fr, PAD + (fr.x - z.x) * s, fr.w * s, true, false);\n"
	"    else if (fr.x <= z.x + e && fr.x + fr.w >= z.x + z.w - e)\n"
	"      place(fr, PAD, W - 2 * PAD, true, true);\n"
	"    else\n"
	"      place(fr, fr.x, fr.w, false, false);\n"
	"  }\n"
	"}\n"
	"function reset() {\n"
	"  for (var i = 0; i < frames.length; i++)\n"
	"    place(frames[i], frames[i].x, frames[i].w, true, false);\n"
	"}\n"
	/* the browser's own find cannot see names cut short, nor sum widths */
	"function onKey(e) {\n"
	"  var k = e.key || '';\n"
	"  if (k === 'F3' || ((e.ctrlKey || e.metaKey) && k.toLowerCase() === 'f')) {\n"
	"    e.preventDefault(); ask();\n"
	"  } else if (k === 'Escape') {\n"
	"    clearSearch();\n"
	"  }\n"
	"}\n"
	"function ask() {\n"
	"  var t = prompt('Search (regular expression' +\n"
	"    (ignoreCase ? ', ignoring case' : '') + '):', term === null ? '' : term);\n"
	"  if (t !== null) find(t);\n"
	"}\n"
	"function toggleCase() {\n"
	"  ignoreCase = !ignoreCase;\n"
	"  caseButton.textContent = (ignoreCase ? '\\u2611' : '\\u2610') + ' ignore case';\n"
	"  if (term !== null) find(term);\n"
	"}\n"
	"function paint(hit) {\n"
	"  for (var i = 0; i < frames.length; i++)\n"
	"    frames[i].r.setAttribute('fill', hit && hit(frames[i]) ? 'rgb(230,0,230)' : frames[i].fill);\n"
	"}\n"
	"function clearSearch() {\n"
	"  term = null; paint(null);\n"
	"  matched.textContent = ' '; resetSearch.style.display = 'none';\n"
	"}\n"
	/* the share of the total: a matched frame inside a matched one is not added again */
	"function find(t) {\n"
	"  var re, all = frames.length ? frames[0].w : 0, tops = [], sum = 0;\n"
	"  if (t === '') { clearSearch(); return; }\n"
	"  try { re = new RegExp(t, ignoreCase ? 'i' : ''); }\n"
	"  catch (err) { matched.textContent = 'Not a regular expression: ' + t; return; }\n"
	"  term = t;\n"
	"  paint(function(fr) { return re.test(fr.name); });\n"
	"  for (var i = 0; i < frames.length; i++) {\n"
	"    var fr = frames[i], inside = false;\n"
	"    if (!re.test(fr.name)) continue;\n"
	"    for (var j = 0; j < tops.length && !inside; j++)\n"
	"      inside = fr.x >= tops[j].x && fr.x + fr.w <= tops[j].x + tops[j].w;\n"
	"    if (!inside) { tops.push(fr); sum += fr.w; }\n"
	"  }\n"
	"  matched.textContent = 'Matched: ' + (all ? (100 * sum / all).toFixed(2) : 0) + '%';\n"
	"  resetSearch.style.display = '';\n"
	"}\n"
	"]]></script>\n";

/* "12.345678 s", the time as report prints it, from ns. */
static void put_seconds(FILE *out, uint64_t ns)
{
	fprintf(out, "%" PRIu64 ".%06" PRIu64 " s", ns / 1000000000, ns / 1000 % 1000000);
}

/*
 * What the picture shows: "FILE; frame width: time in calls; 1.000000 s to
 * 2.500000 s (1.500 s)", then the caller's subtitle (lost events) and the
 * frames left out.
 */
static void put_subtitle(struct flame *f)
{
	const struct flame_opts *o = f->o;
	const char *sep = "";

	if (o->source) {
		put_xml(f->out, o->source, SIZE_MAX);
		sep = "; ";
	}
	fprintf(f->out, "%sframe width: %s", sep, f->samples ? "stack-trace samples" :
		"time in calls");
	if (o->last_ts > o->first_ts) {
		fputs("; ", f->out);
		put_seconds(f->out, o->first_ts);
		fputs(" to ", f->out);
		put_seconds(f->out, o->last_ts);
		fputs(" (", f->out);
		put_duration(f->out, o->last_ts - o->first_ts);
		fputs(")", f->out);
	}
	if (o->subtitle) {
		fputs("; ", f->out);
		put_xml(f->out, o->subtitle, SIZE_MAX);
	}
	if (f->pruned)
		fprintf(f->out, "; %" PRIu64 " frame%s narrower than %g px left out",
			f->pruned, f->pruned == 1 ? "" : "s", o->min_width);
}

/*
 * The subtitle, in lines that fit the width: it is cut after a "; " where
 * the line would grow too long (a part longer than a line gets a line).
 */
static void wrap_subtitle(struct flame *f, int width)
{
	char *buf = NULL, *line, *cut = NULL;
	size_t len = 0, fit = (size_t)((width - 2 * PAD) / SUB_CHAR_W);
	FILE *mem = open_memstream(&buf, &len);
	FILE *out = f->out;

	f->subtitle_lines = 1;
	if (!mem) {	/* no memory: no subtitle rather than no graph */
		f->subtitle = xstrdup("");
		return;
	}
	f->out = mem;
	put_subtitle(f);
	f->out = out;
	fclose(mem);
	f->subtitle = buf;
	for (char *p = line = buf; (p = strstr(p, "; ")); p += 2) {
		if ((size_t)(p + 1 - line) > fit && cut) {
			*cut = '\n';
			line = cut + 1;
			f->subtitle_lines++;
		}
		cut = p + 1;
	}
	if (strlen(line) > fit && cut && cut > line) {
		*cut = '\n';
		f->subtitle_lines++;
	}
}

static void put_subtitle_lines(struct flame *f, int width)
{
	char *line = f->subtitle, *nl;

	fprintf(f->out, "<text id=\"subtitle\" x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
		"style=\"font-size: 11px\">", width / 2,
		f->top - 8 - (f->subtitle_lines - 1) * SUB_LINE_H);
	if (f->subtitle_lines == 1) {
		fprintf(f->out, "%s</text>\n", line);
		return;
	}
	for (int i = 0; line; i++, line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		fprintf(f->out, "<tspan x=\"%d\" dy=\"%d\">%.*s</tspan>", width / 2,
			i ? SUB_LINE_H : 0, nl ? (int)(nl - line) : (int)strlen(line), line);
	}
	fputs("</text>\n", f->out);
}

static void put_header(struct flame *f, int width, int height)
{
	const char *title = f->o->title;
	int buttons_y = width < NARROW ? 38 : 22;	/* under the title, or beside it */

	if (!title)
		title = f->o->icicle ? "Icicle Graph" : "Flame Graph";
	fprintf(f->out,
		"<?xml version=\"1.0\" standalone=\"no\"?>\n"
		"<svg version=\"1.1\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
		"onload=\"init(evt)\" xmlns=\"http://www.w3.org/2000/svg\">\n"
		"<style type=\"text/css\">\n"
		"text { font-family: Verdana, sans-serif; font-size: %dpx; fill: rgb(0,0,0); }\n"
		"#frames text { pointer-events: none; }\n"
		"#frames g { cursor: pointer; }\n"
		".button { cursor: pointer; fill: rgb(40,40,160); }\n"
		"</style>\n", width, height, width, height, FONT_SIZE);
	fputs(script, f->out);
	fprintf(f->out, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" "
		"fill=\"rgb(248,248,240)\"/>\n", width, height);
	fprintf(f->out, "<text x=\"%d\" y=\"22\" text-anchor=\"middle\" "
		"style=\"font-size: 17px\">", width / 2);
	put_xml(f->out, title, SIZE_MAX);
	fputs("</text>\n", f->out);
	put_subtitle_lines(f, width);
	fprintf(f->out, "<text id=\"reset-zoom\" x=\"%d\" y=\"%d\" class=\"button\" "
		"onclick=\"reset()\">Reset zoom</text>\n"
		"<text id=\"search\" x=\"%d\" y=\"%d\" text-anchor=\"end\" class=\"button\" "
		"onclick=\"ask()\"><title>Ctrl-F, F3</title>Search</text>\n"
		"<text id=\"case\" x=\"%d\" y=\"%d\" text-anchor=\"end\" class=\"button\" "
		"onclick=\"toggleCase()\">&#x2610; ignore case</text>\n"
		"<text id=\"reset-search\" x=\"%d\" y=\"%d\" text-anchor=\"end\" class=\"button\" "
		"style=\"display: none\" onclick=\"clearSearch()\"><title>Escape</title>"
		"Reset search</text>\n"
		"<text id=\"matched\" x=\"%d\" y=\"%d\" text-anchor=\"end\"> </text>\n"
		"<text id=\"details\" x=\"%d\" y=\"%d\"> </text>\n",
		PAD, buttons_y, width - PAD, buttons_y, width - PAD - 60, buttons_y,
		width - PAD - 170, buttons_y, width - PAD, height - 8, PAD, height - 8);
}

int flame_write_svg(FILE *out, const struct stacks *s, const struct flame_opts *opts)
{
	static const struct flame_opts defaults = { .min_width = FLAME_DEFAULT_MIN_WIDTH };
	const struct stack_node *root = stacks_root(s);
	struct flame f = { .out = out, .o = opts ? opts : &defaults };
	int width = f.o->width > 2 * PAD + 100 ? f.o->width : 1200, height;
	int ret = 0;

	f.width_of = xcalloc(stacks_max_id(s) + 1, sizeof(*f.width_of));
	f.samples = stacks_are_samples(s);
	f.all = (double)measure(&f, root);
	f.scale = f.all ? (width - 2.0 * PAD) / f.all : 0;
	if (f.o->min_width > 0)
		f.pruned = count_pruned(&f, root);
	wrap_subtitle(&f, width);
	f.top = (width < NARROW ? TOP + FRAME_H : TOP) + (f.subtitle_lines - 1) * SUB_LINE_H;
	height = f.top + (f.max_depth + 1) * FRAME_H + BOTTOM;

	put_header(&f, width, height);
	fputs("<g id=\"frames\">\n", out);
	put_frames(&f, root, PAD);
	fputs("</g>\n</svg>\n", out);
	free(f.width_of);
	free(f.subtitle);
	if (ferror(out) || fflush(out) != 0) {
		st_set_error("cannot write the flame graph: %s", strerror(errno));
		ret = -1;
	}
	return ret;
}

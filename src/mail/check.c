/* mamori — message analysis behind `mamori mail`: parse one RFC 5322 message
 * with GMime (headers with RFC 2047 encoded-words, every MIME part with its
 * transfer encoding and charset converted to UTF-8: ISO-2022-JP, Shift_JIS,
 * EUC-JP …), collect URLs from text and HTML parts, and score signals:
 * IoC hits, lookalikes of the organisation's own domains and brands (edit
 * distance, UTS #39-style skeletons, libidn2 for IDN), registrable domains
 * from the Public Suffix List (libpsl), shorteners, IP-literal hosts, the
 * userinfo "@" trick, link text showing another domain than the href,
 * display-name spoofing, SPF/DKIM/DMARC from Authentication-Results
 * (RFC 8601), risky attachments and lure wording. Output is one JSON object
 * per message with per-URL reasons and a score. docs/mail.md "mamori mail". */
#include "mail_int.h"

#include <ctype.h>
#include <gmime/gmime.h>
#include <libpsl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DEF_SUSPICIOUS 30
#define DEF_PHISHING 60
#define DEF_MAX_URLS 500
#define DEF_MAX_BYTES ((size_t)25 << 20)
#define TEXT_CAP ((size_t)1 << 20) /* decoded text kept per message */
#define MAX_REASONS 16
#define MAX_PROTECTED 128

/* Weights (docs/mail.md "Signals and scores"). */
enum {
	W_IOC = 80,
	W_HOMOGLYPH = 60,
	W_TYPO = 50,
	W_OTHER_SUFFIX = 40,
	W_BRAND_IN_HOST = 35,
	W_TEXT_MISMATCH = 35,
	W_USERINFO = 35,
	W_IP = 30,
	W_SHORTENER = 15,
	W_IDN = 10,
	W_FROM_LOOKALIKE = 50,
	W_DISPLAY_SPOOF = 40,
	W_DISPLAY_ADDR_SPOOF = 50,
	W_OWN_UNAUTH = 50,
	W_DMARC_FAIL = 25,
	W_SPF_FAIL = 10,
	W_SPF_SOFTFAIL = 5,
	W_DKIM_FAIL = 10,
	W_REPLY_TO = 15,
	W_ATT_EXEC = 40,
	W_ATT_DOUBLE = 50,
	W_ATT_HTML = 20,
	W_LURE = 10,
};

struct reason {
	const char *code;
	char *detail; /* owned */
	int score;
};

struct urlrec {
	char *url, *text; /* owned; text may be NULL */
	struct mm__url_parts p;
	char reg[256];
	struct reason r[MAX_REASONS];
	size_t nr;
	int score;
};

struct protected_dom {
	char reg[256];
	char name[128]; /* first label of the registrable domain */
	char skel[256];
	bool own;
};

struct mm_mail_checker {
	struct mm_mail_check_opts o;
	psl_ctx_t *psl;
	GMimeParserOptions *popts;
	struct protected_dom prot[MAX_PROTECTED];
	size_t nprot;
	/* per message (reset by each check) */
	struct urlrec *urls;
	size_t nurls, capurls;
	uint64_t urls_dropped;
	struct reason r[MAX_REASONS];
	size_t nr;
	struct mm_buf text, parts, atts;
	char *subject, *from, *from_name, *msgid, *to, *reasons_csv;
};

static int g_gmime_users;

static const char *const g_shorteners[] = {
	"bit.ly",   "tinyurl.com", "t.co",     "goo.gl",    "ow.ly",     "is.gd",    "buff.ly",
	"rebrand.ly", "cutt.ly",   "shorturl.at", "tiny.cc", "x.gd",     "t.ly",     "rb.gy",
	"bit.do",   "s.id",        "v.gd",     "lnkd.in",   "qr.paps.jp", "urx.blue", "is.gd",
	NULL};

/* ---- small helpers ----------------------------------------------------------- */

static const char *registrable(const struct mm_mail_checker *c, const char *host, char *buf,
                               size_t n)
{
	const char *r = c->psl ? psl_registrable_domain(c->psl, host) : NULL;
	const char *src = r ? r : host;
	size_t l = strlen(src);
	if (l >= n)
		l = n - 1;
	memcpy(buf, src, l);
	buf[l] = '\0';
	return buf;
}

static void first_label(const char *reg, char *out, size_t n)
{
	size_t l = strcspn(reg, ".");
	if (l >= n)
		l = n - 1;
	memcpy(out, reg, l);
	out[l] = '\0';
}

static void add_reason(struct reason *r, size_t *nr, const char *code, int score, const char *fmt,
                       ...) __attribute__((format(printf, 5, 6)));
static void add_reason(struct reason *r, size_t *nr, const char *code, int score, const char *fmt,
                       ...)
{
	if (*nr >= MAX_REASONS)
		return;
	for (size_t i = 0; i < *nr; i++)
		if (!strcmp(r[i].code, code))
			return; /* one reason per code */
	char buf[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	r[*nr].code = code;
	r[*nr].detail = mm_strdup(buf);
	r[*nr].score = score;
	(*nr)++;
}

/* JSON string content: mm_json_escape, plus the bidirectional controls
 * (U+202A-202E, U+2066-2069) and other invisible format characters written
 * as \u escapes, so a display name cannot reorder what a reader sees. */
void mm_mail_json_escape(struct mm_buf *b, const char *s, size_t n)
{
	size_t run = 0;
	for (size_t i = 0; i < n;) {
		const unsigned char *u = (const unsigned char *)s + i;
		if (i + 2 < n && u[0] == 0xE2 &&
		    ((u[1] == 0x80 && ((u[2] >= 0xAA && u[2] <= 0xAE) || (u[2] >= 0x8B && u[2] <= 0x8F))) ||
		     (u[1] == 0x81 && u[2] >= 0xA6 && u[2] <= 0xA9))) {
			mm_json_escape(b, s + run, i - run);
			unsigned cp = ((unsigned)(u[0] & 0x0F) << 12) | ((unsigned)(u[1] & 0x3F) << 6) |
			              (u[2] & 0x3F);
			mm_buf_printf(b, "\\u%04x", cp);
			i += 3;
			run = i;
			continue;
		}
		i++;
	}
	mm_json_escape(b, s + run, n - run);
}

static void jkey(struct mm_buf *b, bool *first, const char *k)
{
	mm_buf_printf(b, "%s\"%s\":", *first ? "" : ",", k);
	*first = false;
}

static void jstr(struct mm_buf *b, bool *first, const char *k, const char *v)
{
	jkey(b, first, k);
	if (!v) {
		mm_buf_puts(b, "null");
		return;
	}
	mm_buf_putc(b, '"');
	mm_mail_json_escape(b, v, strlen(v));
	mm_buf_putc(b, '"');
}

static void reasons_json(struct mm_buf *b, const struct reason *r, size_t n)
{
	mm_buf_putc(b, '[');
	for (size_t i = 0; i < n; i++) {
		mm_buf_printf(b, "%s{\"code\":\"%s\",\"score\":%d,\"detail\":\"", i ? "," : "", r[i].code,
		              r[i].score);
		mm_mail_json_escape(b, r[i].detail, strlen(r[i].detail));
		mm_buf_puts(b, "\"}");
	}
	mm_buf_putc(b, ']');
}

/* ---- construction --------------------------------------------------------------- */

static void add_protected(struct mm_mail_checker *c, const char *d, bool own)
{
	if (c->nprot >= MAX_PROTECTED || !d || !*d)
		return;
	if (*d == '@' || *d == '.')
		d++;
	char low[256];
	size_t l = strlen(d);
	if (l >= sizeof(low))
		return;
	for (size_t i = 0; i <= l; i++)
		low[i] = (char)tolower((unsigned char)d[i]);
	struct protected_dom *p = &c->prot[c->nprot];
	registrable(c, low, p->reg, sizeof(p->reg));
	first_label(p->reg, p->name, sizeof(p->name));
	if (!mm_mail_skeleton(p->reg, strlen(p->reg), p->skel, sizeof(p->skel)))
		p->skel[0] = '\0';
	p->own = own;
	c->nprot++;
}

struct mm_mail_checker *mm_mail_checker_new(const struct mm_mail_check_opts *o,
                                            struct mm_error *err)
{
	(void)err;
	if (g_gmime_users++ == 0)
		g_mime_init();
	struct mm_mail_checker *c = mm_calloc(1, sizeof(*c));
	if (o)
		c->o = *o;
	if (c->o.threshold_suspicious <= 0)
		c->o.threshold_suspicious = DEF_SUSPICIOUS;
	if (c->o.threshold_phishing <= 0)
		c->o.threshold_phishing = DEF_PHISHING;
	if (!c->o.max_urls)
		c->o.max_urls = DEF_MAX_URLS;
	if (!c->o.max_bytes)
		c->o.max_bytes = DEF_MAX_BYTES;
	if (!c->o.shorteners) {
		c->o.shorteners = g_shorteners;
		c->o.nshorteners = MM_ARRAY_LEN(g_shorteners) - 1;
	}
	/* the newest of the built-in list and the system's publicsuffix file */
	c->psl = psl_latest(NULL);
	if (!c->psl)
		c->psl = (psl_ctx_t *)psl_builtin();
	for (size_t i = 0; i < c->o.nown_domains; i++)
		add_protected(c, c->o.own_domains[i], true);
	for (size_t i = 0; i < c->o.nbrands; i++)
		add_protected(c, c->o.brands[i], false);
	c->popts = g_mime_parser_options_new();
	/* 8-bit headers without encoded-words: Japanese mailers' charsets first */
	static const char *fallback[] = {"UTF-8", "ISO-2022-JP", "CP932", "EUC-JP", "ISO-8859-1",
	                                 NULL};
	g_mime_parser_options_set_fallback_charsets(c->popts, fallback);
	mm_buf_init(&c->text, TEXT_CAP);
	mm_buf_init(&c->parts, 1 << 20);
	mm_buf_init(&c->atts, 1 << 20);
	return c;
}

static void reset(struct mm_mail_checker *c)
{
	for (size_t i = 0; i < c->nurls; i++) {
		free(c->urls[i].url);
		free(c->urls[i].text);
		for (size_t k = 0; k < c->urls[i].nr; k++)
			free(c->urls[i].r[k].detail);
	}
	c->nurls = 0;
	c->urls_dropped = 0;
	for (size_t k = 0; k < c->nr; k++)
		free(c->r[k].detail);
	c->nr = 0;
	mm_buf_reset(&c->text);
	mm_buf_reset(&c->parts);
	mm_buf_reset(&c->atts);
	free(c->subject);
	free(c->from);
	free(c->from_name);
	free(c->msgid);
	free(c->to);
	free(c->reasons_csv);
	c->subject = c->from = c->from_name = c->msgid = c->to = c->reasons_csv = NULL;
}

void mm_mail_checker_free(struct mm_mail_checker *c)
{
	if (!c)
		return;
	reset(c);
	free(c->urls);
	mm_buf_free(&c->text);
	mm_buf_free(&c->parts);
	mm_buf_free(&c->atts);
	if (c->psl && c->psl != psl_builtin())
		psl_free(c->psl);
	g_mime_parser_options_free(c->popts);
	free(c);
	if (--g_gmime_users == 0)
		g_mime_shutdown();
}

/* ---- domain signals ----------------------------------------------------------------- */

static bool host_has_token(const char *host, const char *tok)
{
	size_t tl = strlen(tok);
	if (tl < 4)
		return false;
	for (const char *p = host; *p;) {
		size_t l = strcspn(p, ".-");
		if (l == tl && !strncasecmp(p, tok, tl))
			return true;
		p += l;
		if (*p)
			p++;
	}
	return false;
}

/* Lookalike of a protected domain? Adds a reason to r. Returns true when
 * reg is itself protected (an own or brand domain: no lookalike). */
static bool lookalike(const struct mm_mail_checker *c, const char *host, const char *reg,
                      struct reason *r, size_t *nr, bool from)
{
	for (size_t i = 0; i < c->nprot; i++)
		if (!strcasecmp(reg, c->prot[i].reg))
			return true;
	char skel[256];
	bool have_skel = mm_mail_skeleton(reg, strlen(reg), skel, sizeof(skel));
	char name[128];
	first_label(reg, name, sizeof(name));
	for (size_t i = 0; i < c->nprot; i++) {
		const struct protected_dom *p = &c->prot[i];
		const char *what = p->own ? "your domain" : "the protected domain";
		if (have_skel && p->skel[0] && !strcmp(skel, p->skel)) {
			add_reason(r, nr, from ? "from_lookalike" : "lookalike_homoglyph",
			           from ? W_FROM_LOOKALIKE : W_HOMOGLYPH,
			           "%s looks like %s %s (same characters once look-alikes are folded)",
			           reg, what, p->reg);
			return false;
		}
		size_t rl = strlen(reg), pl = strlen(p->reg);
		unsigned max = pl >= 9 ? 2 : 1;
		if (pl >= 5 && mm__osa_distance(reg, rl, p->reg, pl, max) <= max) {
			add_reason(r, nr, from ? "from_lookalike" : "lookalike_typo",
			           from ? W_FROM_LOOKALIKE : W_TYPO, "%s is %u edit(s) from %s %s", reg,
			           mm__osa_distance(reg, rl, p->reg, pl, max), what, p->reg);
			return false;
		}
		if (strlen(p->name) >= 4 && !strcasecmp(name, p->name)) {
			add_reason(r, nr, from ? "from_lookalike" : "lookalike_other_suffix",
			           from ? W_FROM_LOOKALIKE : W_OTHER_SUFFIX,
			           "%s has the name of %s %s under another suffix", reg, what, p->reg);
			return false;
		}
		if (host_has_token(host, p->name)) {
			add_reason(r, nr, from ? "from_lookalike" : "brand_in_other_domain",
			           from ? W_FROM_LOOKALIKE : W_BRAND_IN_HOST,
			           "%s carries the name '%s' of %s %s but belongs to %s", host, p->name,
			           what, p->reg, reg);
			return false;
		}
	}
	return false;
}

static bool list_has_domain(const char *const *list, size_t n, const char *host, const char *reg)
{
	for (size_t i = 0; i < n; i++) {
		const char *d = list[i];
		size_t dl = strlen(d), hl = strlen(host);
		if (!strcasecmp(d, host) || !strcasecmp(d, reg))
			return true;
		if (hl > dl && host[hl - dl - 1] == '.' && !strcasecmp(host + hl - dl, d))
			return true;
	}
	return false;
}

/* ---- URLs ------------------------------------------------------------------------------ */

static void on_url(void *ud, const char *u, size_t n, const char *text, size_t tn)
{
	struct mm_mail_checker *c = ud;
	for (size_t i = 0; i < c->nurls; i++)
		if (strlen(c->urls[i].url) == n && !memcmp(c->urls[i].url, u, n)) {
			if (text && !c->urls[i].text)
				c->urls[i].text = mm_strndup(text, tn);
			return;
		}
	if (c->nurls >= c->o.max_urls) {
		c->urls_dropped++;
		return;
	}
	struct mm__url_parts p;
	if (!mm__url_parse(u, n, &p))
		return;
	if (c->nurls == c->capurls) {
		c->capurls = c->capurls ? c->capurls * 2 : 16;
		c->urls = mm_realloc(c->urls, c->capurls * sizeof(*c->urls));
	}
	struct urlrec *r = &c->urls[c->nurls++];
	memset(r, 0, sizeof(*r));
	r->url = mm_strndup(u, n);
	r->text = text ? mm_strndup(text, tn) : NULL;
	r->p = p;
}

/* Does the link text name a host (a URL or a bare domain)? Fills tp. */
static bool text_is_host(const char *t, struct mm__url_parts *tp)
{
	while (*t == ' ')
		t++;
	size_t n = strlen(t);
	while (n && t[n - 1] == ' ')
		n--;
	if (!n || n > 2000 || memchr(t, ' ', n))
		return false;
	const char *dot = memchr(t, '.', n);
	if (!dot)
		return false;
	if (!mm__url_parse(t, n, tp) || !strchr(tp->host, '.'))
		return false;
	/* a TLD of letters (not "1.5" or "v2.0") */
	const char *last = strrchr(tp->host, '.');
	if (!last[1] || tp->ip_literal)
		return tp->ip_literal;
	for (const char *q = last + 1; *q; q++)
		if (!isalpha((unsigned char)*q) && *q != '-')
			return false;
	return true;
}

static void judge_url(struct mm_mail_checker *c, struct urlrec *u)
{
	registrable(c, u->p.host, u->reg, sizeof(u->reg));
	bool ioc = list_has_domain(c->o.ioc_domains, c->o.nioc_domains, u->p.host, u->reg);
	for (size_t i = 0; i < c->o.nioc_urls && !ioc; i++)
		ioc = !strncasecmp(u->url, c->o.ioc_urls[i], strlen(c->o.ioc_urls[i]));
	if (ioc)
		add_reason(u->r, &u->nr, "ioc", W_IOC, "%s is on the configured IoC list", u->p.host);
	if (u->p.userinfo)
		add_reason(u->r, &u->nr, "userinfo_trick", W_USERINFO,
		           "text before '@' hides the real host %s", u->p.host);
	if (u->p.ip_literal)
		add_reason(u->r, &u->nr, "ip_literal", W_IP, "the host is a bare IP address (%s)",
		           u->p.host);
	else
		lookalike(c, u->p.host, u->reg, u->r, &u->nr, false);
	if (u->p.idn)
		add_reason(u->r, &u->nr, "idn", W_IDN, "internationalised host %s shown as %s",
		           u->p.host, u->p.host_utf8);
	if (list_has_domain(c->o.shorteners, c->o.nshorteners, u->p.host, u->reg))
		add_reason(u->r, &u->nr, "shortener", W_SHORTENER,
		           "%s is a URL shortener: the target is hidden", u->p.host);
	struct mm__url_parts tp;
	if (u->text && text_is_host(u->text, &tp)) {
		char treg[256];
		registrable(c, tp.host, treg, sizeof(treg));
		if (strcasecmp(treg, u->reg) != 0)
			add_reason(u->r, &u->nr, "text_mismatch", W_TEXT_MISMATCH,
			           "the link shows %s but goes to %s", tp.host, u->p.host);
	}
	u->score = 0;
	for (size_t i = 0; i < u->nr; i++)
		u->score += u->r[i].score;
}

/* ---- MIME parts -------------------------------------------------------------------------- */

static bool has_iso2022_escape(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i + 2 < n; i++)
		if (p[i] == 0x1B && p[i + 1] == '$' && (p[i + 2] == 'B' || p[i + 2] == '@'))
			return true;
	return false;
}

/* Decoded (transfer encoding) and converted (charset → UTF-8) content of a
 * part, appended to out (capped). */
static void part_text(GMimePart *part, struct mm_buf *out)
{
	GMimeDataWrapper *w = g_mime_part_get_content(part);
	if (!w)
		return;
	GMimeStream *raw = g_mime_stream_mem_new();
	g_mime_data_wrapper_write_to_stream(w, raw);
	GByteArray *ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(raw));
	const char *cs = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "charset");
	if ((!cs || !g_ascii_strcasecmp(cs, "us-ascii")) && ba &&
	    has_iso2022_escape(ba->data, ba->len))
		cs = "ISO-2022-JP"; /* unlabelled JIS text (old Japanese mailers) */
	if (cs && g_ascii_strcasecmp(cs, "utf-8") && g_ascii_strcasecmp(cs, "us-ascii") && ba &&
	    ba->len) {
		GMimeFilter *f = g_mime_filter_charset_new(cs, "UTF-8");
		if (f) {
			GMimeStream *conv = g_mime_stream_mem_new();
			GMimeStream *fs = g_mime_stream_filter_new(conv);
			g_mime_stream_filter_add(GMIME_STREAM_FILTER(fs), f);
			g_mime_stream_write(fs, (const char *)ba->data, ba->len);
			g_mime_stream_flush(fs);
			GByteArray *cb = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(conv));
			if (cb && cb->len)
				mm_buf_append(out, cb->data, MM_MIN(cb->len, TEXT_CAP));
			g_object_unref(fs);
			g_object_unref(conv);
			g_object_unref(f);
			g_object_unref(raw);
			return;
		}
	}
	if (ba && ba->len)
		mm_buf_append(out, ba->data, MM_MIN(ba->len, TEXT_CAP));
	g_object_unref(raw);
}

static const char *ext_of(const char *name)
{
	const char *d = strrchr(name, '.');
	return d ? d + 1 : "";
}

static void judge_attachment(struct mm_mail_checker *c, const char *name)
{
	static const char *const exec[] = {"exe", "scr", "com", "pif", "bat", "cmd", "js", "jse",
	                                   "vbs", "vbe", "wsf", "hta", "lnk", "iso", "img", "msi",
	                                   "jar", "ps1", "docm", "xlsm", "pptm", "one", NULL};
	static const char *const docs[] = {"pdf", "doc", "docx", "xls", "xlsx", "jpg", "png", "txt",
	                                   NULL};
	const char *e = ext_of(name);
	bool is_exec = false;
	for (size_t i = 0; exec[i]; i++)
		is_exec |= !strcasecmp(e, exec[i]);
	if (is_exec) {
		/* "invoice.pdf.exe": a document extension before the real one */
		char tmp[512];
		snprintf(tmp, sizeof(tmp), "%s", name);
		char *last = strrchr(tmp, '.');
		if (last) {
			*last = '\0';
			const char *e2 = ext_of(tmp);
			for (size_t i = 0; docs[i]; i++)
				if (!strcasecmp(e2, docs[i])) {
					add_reason(c->r, &c->nr, "attachment_double_extension", W_ATT_DOUBLE,
					           "attachment %s hides an executable type behind .%s", name,
					           docs[i]);
					return;
				}
		}
		add_reason(c->r, &c->nr, "attachment_executable", W_ATT_EXEC,
		           "attachment %s is of a type that runs code (.%s)", name, e);
	} else if (!strcasecmp(e, "html") || !strcasecmp(e, "htm") || !strcasecmp(e, "shtml")) {
		add_reason(c->r, &c->nr, "attachment_html", W_ATT_HTML,
		           "HTML attachment %s (a local phishing page)", name);
	}
}

struct walk {
	struct mm_mail_checker *c;
	struct mm_buf html;
	unsigned nparts;
};

static void on_part(GMimeObject *parent, GMimeObject *obj, gpointer ud)
{
	(void)parent;
	struct walk *w = ud;
	struct mm_mail_checker *c = w->c;
	if (!GMIME_IS_PART(obj) || w->nparts >= 200)
		return;
	w->nparts++;
	GMimePart *part = GMIME_PART(obj);
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	const char *type = ct ? g_mime_content_type_get_media_type(ct) : "text";
	const char *sub = ct ? g_mime_content_type_get_media_subtype(ct) : "plain";
	const char *cs = g_mime_object_get_content_type_parameter(obj, "charset");
	const char *fname = g_mime_part_get_filename(part);
	bool is_att = g_mime_part_is_attachment(part) || (fname && *fname);
	size_t before = c->text.n;
	bool text = !is_att && type && !g_ascii_strcasecmp(type, "text");
	bool html = text && sub && !g_ascii_strcasecmp(sub, "html");
	size_t bytes = 0;
	if (html) {
		size_t h0 = w->html.n;
		part_text(part, &w->html);
		bytes = w->html.n - h0;
		if (bytes)
			mm__urls_html(w->html.p + h0, bytes, on_url, c);
	} else if (text) {
		part_text(part, &c->text);
		bytes = c->text.n - before;
		if (bytes)
			mm__urls_text(c->text.p + before, bytes, on_url, c);
		mm_buf_putc(&c->text, '\n');
	}
	bool first = true;
	mm_buf_printf(&c->parts, "%s{", c->parts.n ? "," : "");
	char mt[128];
	snprintf(mt, sizeof(mt), "%s/%s", type ? type : "?", sub ? sub : "?");
	jstr(&c->parts, &first, "type", mt);
	jstr(&c->parts, &first, "charset", cs);
	jstr(&c->parts, &first, "filename", fname);
	jkey(&c->parts, &first, "decoded_bytes");
	mm_buf_printf(&c->parts, "%zu", bytes);
	mm_buf_putc(&c->parts, '}');
	if (is_att && fname) {
		mm_buf_printf(&c->atts, "%s\"", c->atts.n ? "," : "");
		mm_mail_json_escape(&c->atts, fname, strlen(fname));
		mm_buf_putc(&c->atts, '"');
		judge_attachment(c, fname);
	}
}

/* ---- headers ---------------------------------------------------------------------------- */

struct auth {
	char id[128];
	char spf[24], dkim[24], dmarc[24];
	bool seen;
};

static void auth_result(const char *v, struct auth *a)
{
	memset(a, 0, sizeof(*a));
	size_t l = strcspn(v, ";");
	size_t s = 0;
	while (v[s] == ' ' || v[s] == '\t')
		s++;
	size_t e = s;
	while (e < l && v[e] != ' ' && v[e] != '\t')
		e++;
	snprintf(a->id, sizeof(a->id), "%.*s", (int)(e - s), v + s);
	a->seen = true;
	const char *p = v + l;
	while (*p == ';') {
		p++;
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		size_t k = strcspn(p, "=; \t");
		char *dst = NULL;
		if (k == 3 && !strncasecmp(p, "spf", 3))
			dst = a->spf;
		else if (k == 4 && !strncasecmp(p, "dkim", 4))
			dst = a->dkim;
		else if (k == 5 && !strncasecmp(p, "dmarc", 5))
			dst = a->dmarc;
		if (dst && p[k] == '=' && !dst[0]) {
			const char *r = p + k + 1;
			size_t rl = 0;
			while (isalpha((unsigned char)r[rl]) && rl + 1 < 24)
				rl++;
			for (size_t i = 0; i < rl; i++)
				dst[i] = (char)tolower((unsigned char)r[i]);
			dst[rl] = '\0';
		}
		/* next resinfo (parenthesised comments may hold ';' rarely: ignored) */
		p = strchr(p, ';');
		if (!p)
			break;
	}
}

static bool trusted(const struct mm_mail_checker *c, const char *id)
{
	if (!c->o.ntrusted_authserv)
		return true;
	for (size_t i = 0; i < c->o.ntrusted_authserv; i++)
		if (!strcasecmp(id, c->o.trusted_authserv[i]))
			return true;
	return false;
}

static bool is_own(const struct mm_mail_checker *c, const char *reg)
{
	for (size_t i = 0; i < c->nprot; i++)
		if (c->prot[i].own && !strcasecmp(reg, c->prot[i].reg))
			return true;
	return false;
}

static const char *domain_of(const char *addr)
{
	const char *at = addr ? strrchr(addr, '@') : NULL;
	return at ? at + 1 : NULL;
}

static bool has_word(const char *hay, size_t n, const char *needle)
{
	size_t l = strlen(needle);
	for (size_t i = 0; i + l <= n; i++)
		if (!strncasecmp(hay + i, needle, l))
			return true;
	return false;
}

static void judge_sender(struct mm_mail_checker *c, GMimeMessage *msg, const struct auth *au)
{
	const char *from_dom = domain_of(c->from);
	char reg[256] = "";
	if (from_dom) {
		char low[256];
		snprintf(low, sizeof(low), "%s", from_dom);
		for (char *q = low; *q; q++)
			*q = (char)tolower((unsigned char)*q);
		registrable(c, low, reg, sizeof(reg));
		lookalike(c, low, reg, c->r, &c->nr, true);
	}
	bool own = reg[0] && is_own(c, reg);
	/* display name naming a protected domain, address or name */
	if (c->from_name && *c->from_name) {
		const char *dn = c->from_name;
		for (size_t i = 0; i < c->nprot; i++) {
			const struct protected_dom *p = &c->prot[i];
			bool hit = has_word(dn, strlen(dn), p->reg) ||
			           (strlen(p->name) >= 4 && host_has_token(dn, p->name));
			/* the name as a word of the display name ("Example サポート") */
			if (!hit && strlen(p->name) >= 4) {
				size_t nl = strlen(p->name), dl = strlen(dn);
				for (size_t k = 0; k + nl <= dl && !hit; k++)
					hit = !strncasecmp(dn + k, p->name, nl) &&
					      (k == 0 || !isalnum((unsigned char)dn[k - 1])) &&
					      (k + nl == dl || !isalnum((unsigned char)dn[k + nl]));
			}
			if (hit && strcasecmp(reg, p->reg) != 0) {
				/* a whole address in the name ("a@example.co.jp" <x@gmail.com>)
				 * is made to be read instead of the real one */
				bool addr = strchr(dn, '@') != NULL;
				add_reason(c->r, &c->nr, "display_name_spoof",
				           addr ? W_DISPLAY_ADDR_SPOOF : W_DISPLAY_SPOOF,
				           "the sender's name \"%s\" claims %s but the address is %s", dn,
				           p->reg, c->from ? c->from : "(none)");
				break;
			}
		}
	}
	if (au->seen) {
		bool dmarc_pass = !strcmp(au->dmarc, "pass");
		if (own && !dmarc_pass &&
		    !(!strcmp(au->dkim, "pass") || (!strcmp(au->spf, "pass") && !au->dmarc[0])))
			add_reason(c->r, &c->nr, "own_domain_unauthenticated", W_OWN_UNAUTH,
			           "From is your domain %s but the message failed authentication "
			           "(spf=%s dkim=%s dmarc=%s)",
			           reg, au->spf[0] ? au->spf : "none", au->dkim[0] ? au->dkim : "none",
			           au->dmarc[0] ? au->dmarc : "none");
		if (!strcmp(au->dmarc, "fail"))
			add_reason(c->r, &c->nr, "dmarc_fail", W_DMARC_FAIL,
			           "DMARC failed for the From domain %s", from_dom ? from_dom : "?");
		if (!strcmp(au->spf, "fail"))
			add_reason(c->r, &c->nr, "spf_fail", W_SPF_FAIL, "SPF failed");
		else if (!strcmp(au->spf, "softfail"))
			add_reason(c->r, &c->nr, "spf_softfail", W_SPF_SOFTFAIL, "SPF soft-failed");
		if (!strcmp(au->dkim, "fail"))
			add_reason(c->r, &c->nr, "dkim_fail", W_DKIM_FAIL, "DKIM signature failed");
	}
	/* Reply-To elsewhere than From */
	InternetAddressList *rt = g_mime_message_get_reply_to(msg);
	if (rt && internet_address_list_length(rt) > 0 && from_dom) {
		InternetAddress *ia = internet_address_list_get_address(rt, 0);
		if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
			const char *ra = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
			const char *rd = domain_of(ra);
			char rreg[256];
			if (rd) {
				char low[256];
				snprintf(low, sizeof(low), "%s", rd);
				for (char *q = low; *q; q++)
					*q = (char)tolower((unsigned char)*q);
				registrable(c, low, rreg, sizeof(rreg));
				if (strcasecmp(rreg, reg) != 0)
					add_reason(c->r, &c->nr, "reply_to_elsewhere", W_REPLY_TO,
					           "replies go to %s, not to the sender's domain %s", ra, reg);
			}
		}
	}
}

static void judge_lure(struct mm_mail_checker *c)
{
	static const char *const words[] = {
		"緊急", "至急", "アカウントが停止", "アカウントを停止", "利用停止", "本人確認",
		"お支払い情報", "支払い方法", "ログインして", "パスワードの有効期限", "不正なアクセス",
		"verify your account", "account suspended", "account has been suspended",
		"unusual sign-in", "update your payment", "password expires", "confirm your identity",
		"urgent action", NULL};
	if (!c->nurls)
		return;
	const char *hay[2] = {c->subject ? c->subject : "", c->text.p ? c->text.p : ""};
	size_t hn[2] = {strlen(hay[0]), c->text.n};
	for (size_t w = 0; words[w]; w++)
		for (int k = 0; k < 2; k++)
			if (has_word(hay[k], hn[k], words[w])) {
				add_reason(c->r, &c->nr, "lure_wording", W_LURE,
				           "urgent or account wording (\"%s\") next to links", words[w]);
				return;
			}
}

/* ---- the check ---------------------------------------------------------------------------- */

static char *dup_or_null(const char *s)
{
	return s ? mm_strdup(s) : NULL;
}

/* The first `max` bytes of s, cut on a UTF-8 boundary. */
static size_t utf8_prefix(const char *s, size_t n, size_t max)
{
	if (n <= max)
		return n;
	size_t k = max;
	while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
		k--;
	return k;
}

int mm_mail_check(struct mm_mail_checker *c, const char *name, const char *data, size_t n,
                  struct mm_buf *out, struct mm_mail_verdict *v, struct mm_error *err)
{
	int rc = MM_OK;
	GMimeStream *stream = NULL;
	GMimeParser *parser = NULL;
	GMimeMessage *msg = NULL;
	struct walk w = {.c = c};
	mm_buf_init(&w.html, TEXT_CAP);
	reset(c);
	memset(v, 0, sizeof(*v));
	v->date = MM_TS_NONE;
	if (n > c->o.max_bytes) {
		rc = mm_error_set(err, MM_ELIMIT, name, 0, 0,
		                  "message is %zu bytes, over the %zu-byte cap (max_bytes)", n,
		                  c->o.max_bytes);
		goto out;
	}
	stream = g_mime_stream_mem_new_with_buffer(data, n);
	parser = g_mime_parser_new_with_stream(stream);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	msg = g_mime_parser_construct_message(parser, c->popts);
	if (!msg) {
		rc = mm_error_set(err, MM_EPARSE, name, 0, 0,
		                  "not an RFC 5322 message (no header block); give .eml files, "
		                  "directories of them, or an mbox");
		goto out;
	}
	c->subject = dup_or_null(g_mime_message_get_subject(msg));
	c->msgid = dup_or_null(g_mime_message_get_message_id(msg));
	InternetAddressList *fl = g_mime_message_get_from(msg);
	if (fl && internet_address_list_length(fl) > 0) {
		InternetAddress *ia = internet_address_list_get_address(fl, 0);
		c->from_name = dup_or_null(internet_address_get_name(ia));
		if (INTERNET_ADDRESS_IS_MAILBOX(ia))
			c->from = dup_or_null(
				internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia)));
	}
	InternetAddressList *tl = g_mime_message_get_to(msg);
	if (tl && internet_address_list_length(tl) > 0) {
		InternetAddress *ia = internet_address_list_get_address(tl, 0);
		if (INTERNET_ADDRESS_IS_MAILBOX(ia))
			c->to = dup_or_null(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia)));
	}
	GDateTime *dt = g_mime_message_get_date(msg);
	if (dt) {
		/* int64 nanoseconds hold ±292 years around 1970: a Date: in year
		 * 9911 (found by fuzz_mail_message) is no date */
		gint64 secs = g_date_time_to_unix(dt);
		if (secs > -INT64_C(9000000000) && secs < INT64_C(9000000000))
			v->date = (int64_t)secs * MM_NS_PER_SEC;
	}
	/* Authentication-Results: the first one from a trusted authserv-id (the
	 * receiving side adds its own on top; lower ones may be forged) */
	struct auth au;
	memset(&au, 0, sizeof(au));
	GMimeHeaderList *hl = g_mime_object_get_header_list(GMIME_OBJECT(msg));
	int nh = hl ? g_mime_header_list_get_count(hl) : 0;
	for (int i = 0; i < nh && !au.seen; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(hl, i);
		const char *hn = g_mime_header_get_name(h);
		const char *hv = g_mime_header_get_value(h);
		if (hn && hv && !g_ascii_strcasecmp(hn, "Authentication-Results")) {
			struct auth t;
			auth_result(hv, &t);
			if (trusted(c, t.id))
				au = t;
		}
	}
	g_mime_message_foreach(msg, on_part, &w);
	/* the HTML's text for lure words when there was no text/plain */
	if (!c->text.n && w.html.n) {
		bool in_tag = false;
		for (size_t i = 0; i < w.html.n; i++) {
			char ch = w.html.p[i];
			if (ch == '<')
				in_tag = true;
			else if (ch == '>')
				in_tag = false;
			else if (!in_tag)
				mm_buf_putc(&c->text, ch);
		}
	}
	for (size_t i = 0; i < c->nurls; i++)
		judge_url(c, &c->urls[i]);
	judge_sender(c, msg, &au);
	judge_lure(c);

	/* score: message reasons plus the worst URL */
	int score = 0, worst = -1;
	for (size_t i = 0; i < c->nr; i++)
		score += c->r[i].score;
	for (size_t i = 0; i < c->nurls; i++)
		if (c->urls[i].score > 0 && (worst < 0 || c->urls[i].score > c->urls[worst].score))
			worst = (int)i;
	if (worst >= 0)
		score += c->urls[worst].score;
	const char *verdict = score >= c->o.threshold_phishing     ? "phishing"
	                      : score >= c->o.threshold_suspicious ? "suspicious"
	                                                           : "clean";
	/* reason codes, comma-separated, for the alert */
	struct mm_buf csv;
	mm_buf_init(&csv, 4096);
	for (size_t i = 0; i < c->nr; i++)
		mm_buf_printf(&csv, "%s%s", csv.n ? "," : "", c->r[i].code);
	if (worst >= 0)
		for (size_t i = 0; i < c->urls[worst].nr; i++)
			mm_buf_printf(&csv, "%s%s", csv.n ? "," : "", c->urls[worst].r[i].code);
	c->reasons_csv = mm_strdup(csv.p ? csv.p : "");
	mm_buf_free(&csv);

	/* JSON */
	bool first = true;
	mm_buf_putc(out, '{');
	jstr(out, &first, "file", name);
	jstr(out, &first, "verdict", verdict);
	jkey(out, &first, "score");
	mm_buf_printf(out, "%d", score);
	jstr(out, &first, "message_id", c->msgid);
	if (v->date != MM_TS_NONE) {
		char ts[40];
		mm_time_format(v->date, ts, sizeof(ts));
		jstr(out, &first, "date", ts);
	}
	jkey(out, &first, "from");
	{
		bool f2 = true;
		mm_buf_putc(out, '{');
		jstr(out, &f2, "address", c->from);
		jstr(out, &f2, "name", c->from_name);
		mm_buf_putc(out, '}');
	}
	jstr(out, &first, "to", c->to);
	jstr(out, &first, "subject", c->subject);
	jkey(out, &first, "authentication");
	{
		bool f2 = true;
		mm_buf_putc(out, '{');
		jstr(out, &f2, "authserv_id", au.seen ? au.id : NULL);
		jstr(out, &f2, "spf", au.spf[0] ? au.spf : NULL);
		jstr(out, &f2, "dkim", au.dkim[0] ? au.dkim : NULL);
		jstr(out, &f2, "dmarc", au.dmarc[0] ? au.dmarc : NULL);
		mm_buf_putc(out, '}');
	}
	jkey(out, &first, "reasons");
	reasons_json(out, c->r, c->nr);
	jkey(out, &first, "urls");
	mm_buf_putc(out, '[');
	for (size_t i = 0; i < c->nurls; i++) {
		const struct urlrec *u = &c->urls[i];
		bool f2 = true;
		mm_buf_printf(out, "%s{", i ? "," : "");
		jstr(out, &f2, "url", u->url);
		jstr(out, &f2, "host", u->p.host);
		if (u->p.idn)
			jstr(out, &f2, "host_unicode", u->p.host_utf8);
		jstr(out, &f2, "registrable_domain", u->reg);
		jstr(out, &f2, "text", u->text);
		jkey(out, &f2, "score");
		mm_buf_printf(out, "%d", u->score);
		jkey(out, &f2, "reasons");
		reasons_json(out, u->r, u->nr);
		mm_buf_putc(out, '}');
	}
	mm_buf_putc(out, ']');
	if (c->urls_dropped) {
		jkey(out, &first, "urls_not_analysed");
		mm_buf_printf(out, "%llu", (unsigned long long)c->urls_dropped);
	}
	jkey(out, &first, "attachments");
	mm_buf_printf(out, "[%s]", c->atts.p ? c->atts.p : "");
	jkey(out, &first, "parts");
	mm_buf_printf(out, "[%s]", c->parts.p ? c->parts.p : "");
	jkey(out, &first, "body_excerpt");
	mm_buf_putc(out, '"');
	if (c->text.p)
		mm_mail_json_escape(out, c->text.p, utf8_prefix(c->text.p, c->text.n, 400));
	mm_buf_putc(out, '"');
	mm_buf_putc(out, '}');

	v->verdict = verdict;
	v->score = score;
	v->rule = !strcmp(verdict, "phishing")     ? &mm__mail_rules[MM__MR_PHISH]
	          : !strcmp(verdict, "suspicious") ? &mm__mail_rules[MM__MR_SUSPICIOUS]
	                                           : NULL;
	v->subject = c->subject;
	v->from = c->from;
	v->message_id = c->msgid;
	v->to = c->to;
	v->url = worst >= 0 ? c->urls[worst].url : NULL;
	v->url_domain = worst >= 0 ? c->urls[worst].p.host : NULL;
	v->reasons = c->reasons_csv;
out:
	mm_buf_free(&w.html);
	if (msg)
		g_object_unref(msg);
	if (parser)
		g_object_unref(parser);
	if (stream)
		g_object_unref(stream);
	return rc;
}

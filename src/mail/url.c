/* mamori — URLs in mail bodies for `mamori mail`: plain-text scanning,
 * HTML <a href> links with their visible text (for href/text mismatch), and
 * a small URL splitter (RFC 3986 authority: userinfo@host:port) that turns
 * IDN hosts into their ASCII form with libidn2 (IDNA 2008, UTS #46
 * non-transitional) so lookalike checks see what the browser resolves.
 * Position: check.c (MIME parts) → here → verdict signals. */
#include "mail_int.h"

#include <ctype.h>
#include <idn2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_URL 4096

static bool url_end(unsigned char c)
{
	return c <= ' ' || c >= 0x80 || c == '"' || c == '\'' || c == '<' || c == '>' || c == '`' ||
	       c == '{' || c == '}' || c == '|' || c == '\\' || c == '^';
}

static size_t trim_trailing(const char *p, size_t n)
{
	while (n > 0 && strchr(".,;:!?)]*", p[n - 1]))
		n--;
	return n;
}

void mm__urls_text(const char *p, size_t n, mm__url_fn cb, void *ud)
{
	for (size_t i = 0; i + 4 <= n; i++) {
		size_t s = i;
		bool hit = false;
		if ((p[i] == 'h' || p[i] == 'H') && i + 7 < n &&
		    (!strncasecmp(p + i, "http://", 7) || !strncasecmp(p + i, "https://", 8)))
			hit = true;
		else if ((p[i] == 'w' || p[i] == 'W') && !strncasecmp(p + i, "www.", 4) &&
		         (i == 0 || url_end((unsigned char)p[i - 1]) || p[i - 1] == '(' ||
		          p[i - 1] == '='))
			hit = true;
		if (!hit)
			continue;
		size_t e = s;
		while (e < n && e - s < MAX_URL && !url_end((unsigned char)p[e]))
			e++;
		size_t len = trim_trailing(p + s, e - s);
		if (len > 8)
			cb(ud, p + s, len, NULL, 0);
		i = e;
	}
}

/* Decode the few HTML entities that matter in URLs and link text into out
 * (&amp; &lt; &gt; &quot; &#39; &#NN; &#xNN; for ASCII); returns the length. */
static size_t decode_entities(const char *p, size_t n, char *out, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; i < n && o + 1 < cap;) {
		if (p[i] == '&') {
			static const struct {
				const char *e;
				char c;
			} ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'},
			            {"&apos;", '\''}, {"&nbsp;", ' '}};
			bool done = false;
			for (size_t k = 0; k < MM_ARRAY_LEN(ents) && !done; k++) {
				size_t l = strlen(ents[k].e);
				if (i + l <= n && !strncasecmp(p + i, ents[k].e, l)) {
					out[o++] = ents[k].c;
					i += l;
					done = true;
				}
			}
			if (done)
				continue;
			if (i + 3 < n && p[i + 1] == '#') {
				size_t j = i + 2;
				bool hex = j < n && (p[j] == 'x' || p[j] == 'X');
				if (hex)
					j++;
				unsigned long v = 0;
				size_t ds = j;
				while (j < n && j - ds < 6 && (hex ? isxdigit((unsigned char)p[j])
				                                   : isdigit((unsigned char)p[j]))) {
					v = v * (hex ? 16 : 10) +
					    (unsigned long)(isdigit((unsigned char)p[j])
					                            ? p[j] - '0'
					                            : (tolower((unsigned char)p[j]) - 'a' + 10));
					j++;
				}
				if (j > ds && j < n && p[j] == ';' && v > 0 && v < 0x80) {
					out[o++] = (char)v;
					i = j + 1;
					continue;
				}
			}
		}
		out[o++] = p[i++];
	}
	out[o] = '\0';
	return o;
}

/* Visible text of p[0..n): tags dropped, entities decoded, white space
 * collapsed. */
static size_t visible_text(const char *p, size_t n, char *out, size_t cap)
{
	char *tmp = mm_malloc(n + 1);
	size_t t = 0;
	bool in_tag = false, sp = false;
	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		if (c == '<') {
			in_tag = true;
			continue;
		}
		if (c == '>' && in_tag) {
			in_tag = false;
			continue;
		}
		if (in_tag)
			continue;
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			if (t && !sp)
				tmp[t++] = ' ';
			sp = true;
			continue;
		}
		sp = false;
		tmp[t++] = c;
	}
	while (t && tmp[t - 1] == ' ')
		t--;
	size_t o = decode_entities(tmp, t, out, cap);
	free(tmp);
	return o;
}

void mm__urls_html(const char *p, size_t n, mm__url_fn cb, void *ud)
{
	char *url = mm_malloc(MAX_URL + 1), *text = mm_malloc(MAX_URL + 1);
	for (size_t i = 0; i + 2 < n; i++) {
		if (p[i] != '<' || (p[i + 1] != 'a' && p[i + 1] != 'A') ||
		    !(p[i + 2] == ' ' || p[i + 2] == '\t' || p[i + 2] == '\n' || p[i + 2] == '\r'))
			continue;
		const char *gt = memchr(p + i, '>', n - i);
		if (!gt)
			break;
		size_t te = (size_t)(gt - p);
		/* href= inside the tag */
		size_t h = i + 2;
		for (; h + 5 <= te; h++)
			if (!strncasecmp(p + h, "href", 4) &&
			    (p[h - 1] == ' ' || p[h - 1] == '\t' || p[h - 1] == '\n' || p[h - 1] == '\r'))
				break;
		if (h + 5 > te)
			continue;
		size_t v = h + 4;
		while (v < te && (p[v] == ' ' || p[v] == '\t'))
			v++;
		if (v >= te || p[v] != '=')
			continue;
		v++;
		while (v < te && (p[v] == ' ' || p[v] == '\t'))
			v++;
		size_t vs, ve;
		if (v < te && (p[v] == '"' || p[v] == '\'')) {
			char q = p[v];
			vs = v + 1;
			ve = vs;
			while (ve < te && p[ve] != q)
				ve++;
		} else {
			vs = v;
			ve = vs;
			while (ve < te && p[ve] != ' ' && p[ve] != '\t')
				ve++;
		}
		/* the link text runs to </a> */
		size_t close = te + 1, ce = n;
		for (size_t k = close; k + 3 < n; k++)
			if (p[k] == '<' && p[k + 1] == '/' && (p[k + 2] == 'a' || p[k + 2] == 'A') &&
			    (p[k + 3] == '>' || p[k + 3] == ' ')) {
				ce = k;
				break;
			}
		size_t ul = decode_entities(p + vs, MM_MIN(ve - vs, (size_t)MAX_URL), url, MAX_URL + 1);
		size_t s = 0;
		while (s < ul && (url[s] == ' ' || url[s] == '\t' || url[s] == '\n'))
			s++;
		if (ul - s > 4 && (!strncasecmp(url + s, "http", 4) || !strncasecmp(url + s, "www.", 4))) {
			size_t tl = visible_text(p + close, MM_MIN(ce - close, (size_t)MAX_URL), text,
			                         MAX_URL + 1);
			cb(ud, url + s, ul - s, text, tl);
		}
		i = te;
	}
	free(url);
	free(text);
	/* plain URLs in the text (outside href attributes: those are found above
	 * and the caller drops duplicates) */
	mm__urls_text(p, n, cb, ud);
}

static bool all_digits_or_hex(const char *h)
{
	if (!*h)
		return false;
	if (h[0] == '0' && (h[1] == 'x' || h[1] == 'X')) {
		for (const char *q = h + 2; *q; q++)
			if (!isxdigit((unsigned char)*q) && *q != '.')
				return false;
		return true;
	}
	for (const char *q = h; *q; q++)
		if (!isdigit((unsigned char)*q))
			return false;
	return true;
}

bool mm__url_parse(const char *u, size_t n, struct mm__url_parts *out)
{
	memset(out, 0, sizeof(*out));
	size_t i = 0;
	const char *sep = NULL;
	for (size_t k = 0; k + 2 < n && k < 16; k++)
		if (u[k] == ':' && u[k + 1] == '/' && u[k + 2] == '/') {
			sep = u + k;
			break;
		}
	if (sep) {
		size_t sl = (size_t)(sep - u);
		for (size_t k = 0; k < sl && k + 1 < sizeof(out->scheme); k++)
			out->scheme[k] = (char)tolower((unsigned char)u[k]);
		i = sl + 3;
	} else {
		memcpy(out->scheme, "http", 5);
	}
	/* authority ends at / ? # */
	size_t as = i, ae = i;
	while (ae < n && u[ae] != '/' && u[ae] != '?' && u[ae] != '#' && u[ae] != '\\')
		ae++;
	/* userinfo: the last '@' in the authority */
	for (size_t k = ae; k > as; k--)
		if (u[k - 1] == '@') {
			out->userinfo = true;
			as = k;
			break;
		}
	size_t hs = as, he = ae;
	if (hs < he && u[hs] == '[') {
		const char *rb = memchr(u + hs, ']', he - hs);
		if (!rb)
			return false;
		he = (size_t)(rb - u);
		hs++;
		out->ip_literal = true;
	} else {
		for (size_t k = hs; k < he; k++)
			if (u[k] == ':') {
				he = k;
				break;
			}
	}
	size_t hl = he - hs;
	if (hl == 0 || hl >= sizeof(out->host))
		return false;
	char raw[256];
	bool ascii = true;
	for (size_t k = 0; k < hl; k++) {
		unsigned char c = (unsigned char)u[hs + k];
		if (c >= 0x80)
			ascii = false;
		raw[k] = (char)(c < 0x80 ? tolower(c) : c);
	}
	raw[hl] = '\0';
	while (hl && raw[hl - 1] == '.')
		raw[--hl] = '\0'; /* "example.com." */
	if (!hl)
		return false;
	if (!ascii) {
		char *ace = NULL;
		out->idn = true;
		if (idn2_to_ascii_8z(raw, &ace, IDN2_NONTRANSITIONAL) == IDN2_OK && ace &&
		    strlen(ace) < sizeof(out->host)) {
			memcpy(out->host, ace, strlen(ace) + 1);
		} else {
			memcpy(out->host, raw, hl + 1);
		}
		idn2_free(ace);
		memcpy(out->host_utf8, raw, hl + 1);
	} else {
		memcpy(out->host, raw, hl + 1);
		memcpy(out->host_utf8, raw, hl + 1);
		if (strstr(raw, "xn--")) {
			char *uni = NULL;
			out->idn = true;
			if (idn2_to_unicode_8z8z(raw, &uni, 0) == IDN2_OK && uni &&
			    strlen(uni) < sizeof(out->host_utf8))
				memcpy(out->host_utf8, uni, strlen(uni) + 1);
			idn2_free(uni);
		}
	}
	if (!out->ip_literal) {
		struct mm_ip ip;
		if (mm_ip_parse(mm_slice_cstr(out->host), &ip) == MM_OK || all_digits_or_hex(out->host))
			out->ip_literal = true;
	}
	return true;
}

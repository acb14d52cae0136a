/* mamori — lookalike domains for `mamori mail`: edit distance (Damerau /
 * optimal string alignment, so "exmaple" is one step from "example") and a
 * UTS #39-style skeleton: the confusable characters attackers register in
 * IDNs (Cyrillic а е о р с, Greek ο, full-width Latin, accented letters) and
 * the ASCII look-alikes (rn→m, vv→w, 0→o, 1→l) folded to one ASCII form, so
 * "exаmple" (Cyrillic а) and "examp1e" both map to "example". The table is a
 * hand-picked subset of Unicode's confusables.txt, not the whole file.
 * Position: check.c → here. */
#include "mail_int.h"

#include <ctype.h>
#include <idn2.h>
#include <stdlib.h>
#include <string.h>

unsigned mm__osa_distance(const char *a, size_t an, const char *b, size_t bn, unsigned max)
{
	if (an > 255 || bn > 255)
		return max + 1;
	if ((an > bn ? an - bn : bn - an) > max)
		return max + 1;
	unsigned d[3][256];
	unsigned *pp = d[0], *p = d[1], *c = d[2];
	for (size_t j = 0; j <= bn; j++)
		p[j] = (unsigned)j;
	for (size_t i = 1; i <= an; i++) {
		c[0] = (unsigned)i;
		unsigned rowmin = c[0];
		for (size_t j = 1; j <= bn; j++) {
			int ca = tolower((unsigned char)a[i - 1]), cb = tolower((unsigned char)b[j - 1]);
			unsigned cost = ca != cb;
			unsigned v = MM_MIN(MM_MIN(p[j] + 1, c[j - 1] + 1), p[j - 1] + cost);
			if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) == cb)
				v = MM_MIN(v, pp[j - 2] + 1);
			c[j] = v;
			rowmin = MM_MIN(rowmin, v);
		}
		if (rowmin > max)
			return max + 1;
		unsigned *t = pp;
		pp = p;
		p = c;
		c = t;
	}
	return MM_MIN(p[bn], max + 1);
}

unsigned mm_mail_edit_distance(const char *a, size_t an, const char *b, size_t bn, unsigned max)
{
	return mm__osa_distance(a, an, b, bn, max);
}

/* Code point → ASCII letter (0 = none). */
static char confusable(uint32_t cp)
{
	static const struct {
		uint32_t cp;
		char c;
	} t[] = {
		/* Cyrillic */
		{0x0430, 'a'}, {0x0432, 'b'}, {0x0435, 'e'}, {0x043A, 'k'}, {0x043C, 'm'}, {0x043D, 'h'},
		{0x043E, 'o'}, {0x0440, 'p'}, {0x0441, 'c'}, {0x0442, 't'}, {0x0443, 'y'}, {0x0445, 'x'},
		{0x0455, 's'}, {0x0456, 'i'}, {0x0458, 'j'}, {0x04BB, 'h'}, {0x0501, 'd'}, {0x051B, 'q'},
		{0x051D, 'w'}, {0x0410, 'a'}, {0x0412, 'b'}, {0x0415, 'e'}, {0x041A, 'k'}, {0x041C, 'm'},
		{0x041D, 'h'}, {0x041E, 'o'}, {0x0420, 'p'}, {0x0421, 'c'}, {0x0422, 't'}, {0x0425, 'x'},
		{0x0406, 'l'}, {0x0405, 's'}, {0x0408, 'j'},
		/* Greek */
		{0x03B1, 'a'}, {0x03B9, 'i'}, {0x03BA, 'k'}, {0x03BD, 'v'}, {0x03BF, 'o'}, {0x03C1, 'p'},
		{0x03C5, 'u'}, {0x03C7, 'x'}, {0x0391, 'a'}, {0x0392, 'b'}, {0x0395, 'e'}, {0x0396, 'z'},
		{0x0397, 'h'}, {0x0399, 'l'}, {0x039A, 'k'}, {0x039C, 'm'}, {0x039D, 'n'}, {0x039F, 'o'},
		{0x03A1, 'p'}, {0x03A4, 't'}, {0x03A5, 'y'}, {0x03A7, 'x'},
		/* Latin look-alikes */
		{0x0131, 'i'}, {0x0261, 'g'}, {0x0269, 'i'}, {0x026A, 'i'}, {0x1D00, 'a'}, {0x1D04, 'c'},
		{0x1D0F, 'o'}, {0x1D1C, 'u'}, {0x2113, 'l'}, {0x217C, 'l'}, {0x2170, 'i'},
	};
	if (cp >= 0xFF01 && cp <= 0xFF5E) /* full-width ASCII */
		return (char)tolower((int)(cp - 0xFF01 + 0x21));
	if (cp >= 0xC0 && cp <= 0x17F) {
		/* Latin-1 Supplement / Extended-A letters with diacritics */
		static const char l1[] = "aaaaaa*ceeeeiiiidnooooo*ouuuuy*s"  /* C0-DF */
		                         "aaaaaa*ceeeeiiiidnooooo*ouuuuy*y"; /* E0-FF */
		/* U+0100-017F, in code point order (Ā ā Ă … ž ſ) */
		static const char ea[] = "aaaaaa" "cccccccc" "dddd" "eeeeeeeeee" "gggggggg" "hhhh"
		                         "iiiiiiiiii" "**" "jj" "kkk" "llllllllll" "nnnnnnnnn"
		                         "oooooo" "**" "rrrrrr" "ssssssss" "tttttt" "uuuuuuuuuuuu"
		                         "ww" "yyy" "zzzzzz" "s";
		_Static_assert(sizeof(l1) == 65 && sizeof(ea) == 129, "one letter per code point");
		char c = cp <= 0xFF ? l1[cp - 0xC0] : ea[cp - 0x100];
		return c == '*' ? 0 : c;
	}
	for (size_t i = 0; i < MM_ARRAY_LEN(t); i++)
		if (t[i].cp == cp)
			return t[i].c;
	return 0;
}

static uint32_t utf8_next(const unsigned char *p, size_t n, size_t *i)
{
	size_t l = mm_utf8_seq_len(p + *i, n - *i);
	if (!l) {
		(*i)++;
		return 0xFFFD;
	}
	uint32_t cp;
	if (l == 1)
		cp = p[*i];
	else if (l == 2)
		cp = ((uint32_t)(p[*i] & 0x1F) << 6) | (p[*i + 1] & 0x3F);
	else if (l == 3)
		cp = ((uint32_t)(p[*i] & 0x0F) << 12) | ((uint32_t)(p[*i + 1] & 0x3F) << 6) |
		     (p[*i + 2] & 0x3F);
	else
		cp = ((uint32_t)(p[*i] & 0x07) << 18) | ((uint32_t)(p[*i + 1] & 0x3F) << 12) |
		     ((uint32_t)(p[*i + 2] & 0x3F) << 6) | (p[*i + 3] & 0x3F);
	*i += l;
	return cp;
}

bool mm_mail_skeleton(const char *domain, size_t n, char *buf, size_t bufn)
{
	char tmp[512];
	if (n >= sizeof(tmp) || bufn < 2)
		return false;
	memcpy(tmp, domain, n);
	tmp[n] = '\0';
	char *uni = NULL;
	const char *src = tmp;
	if (strstr(tmp, "xn--") && idn2_to_unicode_8z8z(tmp, &uni, 0) == IDN2_OK && uni)
		src = uni;
	/* pass 1: Unicode confusables → ASCII */
	char a[512];
	size_t an = 0, sn = strlen(src);
	for (size_t i = 0; i < sn && an + 1 < sizeof(a);) {
		uint32_t cp = utf8_next((const unsigned char *)src, sn, &i);
		char c;
		if (cp < 0x80)
			c = (char)tolower((int)cp);
		else if (cp == 0x3002 || cp == 0xFF0E || cp == 0xFF61)
			c = '.'; /* ideographic full stops separate IDN labels (UTS #46) */
		else
			c = confusable(cp);
		a[an++] = c ? c : '?';
	}
	a[an] = '\0';
	idn2_free(uni);
	/* pass 2: ASCII look-alikes */
	size_t o = 0;
	for (size_t i = 0; i < an; i++) {
		char c = a[i];
		if (c == 'r' && a[i + 1] == 'n') {
			c = 'm';
			i++;
		} else if (c == 'v' && a[i + 1] == 'v') {
			c = 'w';
			i++;
		} else if (c == 'c' && a[i + 1] == 'l') {
			c = 'd';
			i++;
		} else if (c == '0') {
			c = 'o';
		} else if (c == '1' || c == '|' || c == 'i') {
			c = 'l'; /* i, l, 1 and | are one glyph in many fonts */
		}
		if (o + 1 >= bufn)
			return false;
		buf[o++] = c;
	}
	buf[o] = '\0';
	return true;
}

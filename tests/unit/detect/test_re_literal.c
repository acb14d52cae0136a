/* mamori — necessary literals of PCRE2 patterns (src/detect/re_literal.c):
 * exact answers for the syntax it models, "none" for what it does not, the
 * caseless non-ASCII variants checked against the linked PCRE2, and a
 * property test: for random patterns and subjects, a PCRE2 match implies one
 * of the literals occurs (ASCII-caselessly) in the subject. The module is
 * internal to src/detect, so its header is included by relative path. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "../../../src/detect/re_literal.h"

/* The options sigma_compile.c compiles `|re` values with. */
#define RE_OPTS (PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_NEVER_BACKSLASH_C)

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The literals of pat as one sorted, space-separated string ("" = none). */
static void lits(const char *pat, bool caseless, char *out, size_t cap)
{
	struct mm_arena *a = mm_arena_new(4096, 0);
	struct mm_slice *v = NULL;
	size_t n = mm__re_literals(a, pat, strlen(pat), caseless, &v);
	const char **s = calloc(n + 1, sizeof(*s));
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(strlen(v[i].p), v[i].n); /* NUL-terminated copies */
		s[i] = v[i].p;
	}
	qsort(s, n, sizeof(*s), cmp_str);
	size_t k = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n; i++)
		k += (size_t)snprintf(out + k, k < cap ? cap - k : 0, "%s%s", i ? " " : "", s[i]);
	assert_true(k < cap);
	free(s);
	mm_arena_free(a);
}

static void expect(const char *pat, bool caseless, const char *want)
{
	char got[8192];
	lits(pat, caseless, got, sizeof(got));
	if (strcmp(got, want) != 0)
		fail_msg("pattern '%s'%s: literals [%s], expected [%s]", pat,
		         caseless ? " (caseless)" : "", got, want);
}

static void test_plain_and_escaped(void **s)
{
	(void)s;
	expect("abc", false, "abc");
	expect("ABC", false, "abc"); /* folded: the prefilter is caseless */
	expect("/etc/passwd", false, "/etc/passwd");
	expect("\\/etc\\/passwd\\.bak", false, "/etc/passwd.bak");
	expect("a\\\\b", false, "a\\b");
	expect("\\x2fetc\\x{2F}x", false, "/etc/x");
	expect("\\tx\\n", false, "\tx\n");
	expect("\\Qa.b*\\E", false, "a.b*");
	expect("\\Qa.b", false, "a.b");                  /* \Q to the end */
	expect("\\x{e9}t\\xe9", false, "\xc3\xa9t\xc3\xa9"); /* code points, UTF-8 */
	expect("caf\xc3\xa9", false, "caf\xc3\xa9");
	expect("{a}", false, "{a}"); /* '{' not starting a quantifier is literal */
	expect("a]b}", false, "a]b}");
	expect("a#b c", false, "a#b c"); /* no x flag: '#' and ' ' are literal */
}

static void test_concat_best_factor(void **s)
{
	(void)s;
	expect("foo.*barbaz", false, "barbaz");
	expect("foo\\d+bar", false, "foo0 foo1 foo2 foo3 foo4 foo5 foo6 foo7 foo8 foo9");
	expect("^foo$", false, "foo");
	expect("\\bword\\b", false, "word");
	expect("\\Aab\\z", false, "ab");
	expect("x.y", false, "x"); /* one character each: a tie keeps the first */
	expect("a(?=bc)d", false, "ad"); /* a lookahead consumes nothing */
	expect("a(?<!b)c", false, "ac");
	expect("(?!x)abc", false, "abc");
	expect("ab(?#comment)cd", false, "abcd");
}

static void test_alternation(void **s)
{
	(void)s;
	expect("cat|dog", false, "cat dog");
	expect("(?:cat|dog)s", false, "cats dogs");
	expect("x(cat|dog)y", false, "xcaty xdogy");
	expect("(?<n>ab|cd)", false, "ab cd");
	expect("(?P<n>ab|cd)", false, "ab cd");
	expect("(?'n'ab|cd)", false, "ab cd");
	expect("(?|ab|cd)", false, "ab cd");
	expect("(?>ab|cd)", false, "ab cd");
	expect("cat|.", false, "");                    /* one branch has no literal */
	expect("cat|", false, "");                     /* the empty branch */
	expect("(?:foo|bar).*(?:bazz|quxx)", false, "bazz quxx");
	expect("(?:a|b)(?:c|d)", false, "ac ad bc bd");
	/* a superset: "abc" contains "ab" */
	expect("ab|abc", false, "ab");
}

static void test_quantifiers(void **s)
{
	(void)s;
	expect("ab?c", false, "abc ac");
	expect("ab*c", false, "a");             /* ties: the first, "a" ("c" too) */
	expect("ab+c", false, "ab");
	expect("(?:ab)+cd", false, "abcd");      /* the last copy touches "cd" */
	expect("x(?:ab)+", false, "xab");        /* the first copy touches "x" */
	expect("x{3}", false, "xxx");
	expect("(?:ab){2}", false, "abab");
	expect("x{2,}y", false, "xy");
	expect("x{0,3}", false, "");
	expect("x{0}y", false, "y");
	expect("(?:abc)*", false, "");
	expect("(?:abc)?", false, "");
	expect("a*", false, "");
	expect("a+?b", false, "ab");
	expect("a?+b", false, "b"); /* {ab, b}: "ab" implies "b" */
	expect("(?:x|y)+z", false, "xz yz");
}

static void test_classes(void **s)
{
	(void)s;
	expect("[Ss]elect", false, "select");
	expect("[abc]x", false, "ax bx cx");
	expect("[a-c]x", false, "ax bx cx");
	expect("[]a]x", false, "]x ax");
	expect("[\\]]x", false, "]x");
	expect("[a\\-z]x", false, "-x ax zx");
	expect("[a-]x", false, "-x ax");
	expect("[^a]bc", false, "bc");
	expect("[a-z]bc", false, "bc"); /* 26 members: too many */
	expect("[[:digit:]]bc", false, "bc");
	expect("[\\d]x", false, "0x 1x 2x 3x 4x 5x 6x 7x 8x 9x");
	expect("\\sx", false, "\tx \nx \x0bx \x0cx \rx  x");
	expect("\\wab", false, "ab");
	expect("[\\w]ab", false, "ab");
	expect("[\\x{e9}]ab", false, "ab");
	expect("\\p{L}ab", false, "ab");
	expect("\\pLab", false, "ab");
	expect("\\N{U+41}bc", false, "bc");
}

/* PCRE2 in UTF mode folds k to U+212A KELVIN SIGN and s to U+017F LONG S
 * when caseless; the literals carry those spellings too. */
static void test_caseless_variants(void **s)
{
	(void)s;
	expect("k", true, "k \xe2\x84\xaa");
	expect("(?i)s", false, "s \xc5\xbf");
	expect("(?i:s)", false, "s \xc5\xbf");
	expect("(?i)(?-i)s", false, "s");
	expect("(?i)(?^)s", false, "s");
	expect("(?i)[k]", false, "k \xe2\x84\xaa");
	expect("(?i)[a-c]x", false, "ax bx cx");
	expect("s", false, "s");
	expect("x(?i)s|t", false, "t xs x\xc5\xbf"); /* (?i) reaches later branches */
	expect("(?:x(?i)s|t)", false, "t xs x\xc5\xbf");
	expect("(?:(?i)a)s", false, "as"); /* (?i) ends with its group */
	/* a non-ASCII character has case variants with other bytes: unknown */
	expect("(?i)\xc3\xa9t\xc3\xa9", false, "t");
	expect("\xc3\xa9t\xc3\xa9", true, "t");
}

/* The two variants above are all there is: every non-ASCII code point that
 * the linked PCRE2 matches caselessly against an ASCII character is one of
 * them (if a new PCRE2 adds one, re_literal.c must learn it). */
static void test_caseless_table_matches_pcre2(void **s)
{
	(void)s;
	int ec;
	PCRE2_SIZE off;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR) "[\\x00-\\x7f]", PCRE2_ZERO_TERMINATED,
	                               RE_OPTS | PCRE2_CASELESS, &ec, &off, NULL);
	assert_non_null(re);
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	unsigned found = 0;
	for (uint32_t cp = 0x80; cp <= 0x10ffff; cp++) {
		if (cp >= 0xd800 && cp < 0xe000)
			continue;
		unsigned char b[4];
		size_t n;
		if (cp < 0x800) {
			b[0] = (unsigned char)(0xc0 | cp >> 6), b[1] = (unsigned char)(0x80 | (cp & 63));
			n = 2;
		} else if (cp < 0x10000) {
			b[0] = (unsigned char)(0xe0 | cp >> 12);
			b[1] = (unsigned char)(0x80 | ((cp >> 6) & 63));
			b[2] = (unsigned char)(0x80 | (cp & 63));
			n = 3;
		} else {
			b[0] = (unsigned char)(0xf0 | cp >> 18);
			b[1] = (unsigned char)(0x80 | ((cp >> 12) & 63));
			b[2] = (unsigned char)(0x80 | ((cp >> 6) & 63));
			b[3] = (unsigned char)(0x80 | (cp & 63));
			n = 4;
		}
		if (pcre2_match(re, b, n, 0, 0, md, NULL) < 0)
			continue;
		if (cp != 0x212a && cp != 0x17f)
			fail_msg("PCRE2 matches U+%04X caselessly against ASCII; re_literal.c "
			         "does not know that variant",
			         (unsigned)cp);
		found++;
	}
	assert_int_equal(found, 2);
	pcre2_match_data_free(md);
	pcre2_code_free(re);
}

/* What the reader does not model gives "none", never a guess. */
static void test_unmodelled_is_none(void **s)
{
	(void)s;
	static const char *const none[] = {
		"(?x)abc",        /* extended syntax */
		"(?x: a b )",
		"(*UTF)abc",      /* verbs */
		"a(*ACCEPT)bc",
		"(?(1)ab|cd)",    /* conditional */
		"(?C1)abc",       /* callout */
		"a{,3}bc",        /* {,m}: a quantifier only from PCRE2 10.43 */
		"a{ 3}bc",
		"a{2}{3}",        /* stacked quantifiers */
		"a**",
		"*a",
		"(?#c)*abc",      /* a quantifier after a comment */
		"\\Qab\\E+cd",    /* a quantifier after \Q…\E */
		"[[:alpha]bc",    /* '[' that is not a POSIX class */
		"[\\d-z]bc",      /* range from a class escape */
		"[z-a]bc",
		"abc)",           /* unbalanced */
		"(abc",
		"[abc",
		"\\",
		"\\ybc",          /* unknown escape */
		"a\\x{110000}b",
		"\xff\x61\x62\x63",  /* invalid UTF-8, then abc */
		".",
		"",
		"(?=abc)",        /* a lookahead only: matches empty */
	};
	for (size_t i = 0; i < sizeof(none) / sizeof(*none); i++)
		expect(none[i], false, "");
	/* back references and subroutine calls are unknown text, the rest
	 * of the pattern still counts */
	expect("\\1abc", false, "abc");
	expect("(a)\\1bc", false, "bc");
	expect("(a)\\g{1}bc", false, "bc");
	expect("(?<n>a)\\k<n>bc", false, "bc");
	expect("(?<n>a)(?P=n)bc", false, "bc");
	expect("(a)(?1)bc", false, "bc");
	expect("(a)(?-1)bc", false, "bc");
	expect("(a)(?R)?bc", false, "bc");
}

/* Long and large patterns stay bounded: literals are cut to 64 bytes, big
 * unions give up. */
static void test_limits(void **s)
{
	(void)s;
	char pat[20000], got[8192];
	memset(pat, 'a', 200);
	pat[200] = '\0';
	lits(pat, false, got, sizeof(got));
	assert_int_equal(strlen(got), 64);
	/* 300 alternatives of 3 letters: more than a set holds */
	size_t k = 0;
	for (int i = 0; i < 300; i++)
		k += (size_t)snprintf(pat + k, sizeof(pat) - k, "%s%c%c%c", i ? "|" : "",
		                      'a' + i % 26, 'a' + (i / 26) % 26, 'q');
	lits(pat, false, got, sizeof(got));
	assert_string_equal(got, "");
	/* 100 alternatives: fine */
	k = 0;
	for (int i = 0; i < 100; i++)
		k += (size_t)snprintf(pat + k, sizeof(pat) - k, "%s%c%cq", i ? "|" : "",
		                      'a' + i % 26, 'a' + i / 26);
	lits(pat, false, got, sizeof(got));
	assert_int_equal(strlen(got), 100 * 4 - 1);
	/* deep nesting */
	k = 0;
	for (int i = 0; i < 500; i++)
		pat[k++] = '(';
	pat[k++] = 'a';
	for (int i = 0; i < 500; i++)
		pat[k++] = ')';
	pat[k] = '\0';
	lits(pat, false, got, sizeof(got));
	assert_string_equal(got, "");
}

/* ---- property test ------------------------------------------------------ */

static uint64_t g_rng = 0x243f6a8885a308d3ull;

static unsigned rnd(unsigned n)
{
	g_rng ^= g_rng << 13;
	g_rng ^= g_rng >> 7;
	g_rng ^= g_rng << 17;
	return (unsigned)(g_rng % n);
}

struct sb {
	char p[1024];
	size_t n;
};

static void put(struct sb *b, const char *s)
{
	size_t l = strlen(s);
	if (b->n + l < sizeof(b->p)) {
		memcpy(b->p + b->n, s, l);
		b->n += l;
		b->p[b->n] = '\0';
	}
}

static void gen_alt(struct sb *b, unsigned depth);

static void gen_atom(struct sb *b, unsigned depth)
{
	static const char *const atoms[] = {
		"a", "b", "K", "s", "S", "k", ".", "\\.", "[ab]", "[^a]", "[Kk]", "[a-c]",
		"\\d", "\\s", "\\w", "\\x41", "\\x{e9}", "\xc3\xa9", "\\b", "^", "$", " ",
		"\\Qa.\\E", "\\1", "[\\d.]", "\\S", "(?=a)", "(?!b)", "(?<=a)", "(?i)", "(?-i)",
		"\xe2\x84\xaa", "{", "}",
	};
	unsigned r = depth < 3 ? rnd(10) : 9;
	if (r < 3) {
		static const char *const open[] = {"(", "(?:", "(?i:", "(?>", "(?<n%u>"};
		char o[16];
		unsigned k = rnd(5);
		snprintf(o, sizeof(o), open[k], depth);
		put(b, o);
		gen_alt(b, depth + 1);
		put(b, ")");
	} else {
		put(b, atoms[rnd(sizeof(atoms) / sizeof(*atoms))]);
	}
	static const char *const quant[] = {"?", "*", "+", "{2}", "{1,3}", "{0,2}", "+?", "{2,}"};
	if (rnd(4) == 0)
		put(b, quant[rnd(8)]);
}

static void gen_seq(struct sb *b, unsigned depth)
{
	unsigned n = rnd(5);
	for (unsigned i = 0; i < n; i++)
		gen_atom(b, depth);
}

static void gen_alt(struct sb *b, unsigned depth)
{
	gen_seq(b, depth);
	while (rnd(4) == 0) {
		put(b, "|");
		gen_seq(b, depth);
	}
}

static void gen_subject(char *out, size_t cap, size_t *len)
{
	static const char *const al[] = {"a", "b", "A", "B", "k", "K", "s", "S", "c", ".", " ",
	                                 "1", "\n", "\xe2\x84\xaa", "\xc5\xbf", "\xc3\xa9",
	                                 "\xc3\x89", "\xff"};
	size_t n = rnd(12), k = 0;
	for (size_t i = 0; i < n; i++) {
		const char *c = al[rnd(sizeof(al) / sizeof(*al))];
		size_t l = strlen(c);
		if (k + l >= cap)
			break;
		memcpy(out + k, c, l);
		k += l;
	}
	*len = k;
}

static bool occurs_caseless(const char *s, size_t n, const struct mm_slice *l)
{
	for (size_t i = 0; i + l->n <= n; i++) {
		size_t j = 0;
		while (j < l->n) {
			unsigned char c = (unsigned char)s[i + j];
			if (c >= 'A' && c <= 'Z')
				c |= 0x20;
			if (c != (unsigned char)l->p[j])
				break;
			j++;
		}
		if (j == l->n)
			return true;
	}
	return false;
}

static void test_property_match_implies_literal(void **s)
{
	(void)s;
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	size_t compiled = 0, with_lits = 0, matched = 0, checked = 0;
	for (int round = 0; round < 20000; round++) {
		struct sb b = {.n = 0};
		b.p[0] = '\0';
		gen_alt(&b, 0);
		bool caseless = rnd(3) == 0;
		int ec;
		PCRE2_SIZE off;
		pcre2_code *re = pcre2_compile((PCRE2_SPTR)b.p, b.n,
		                               RE_OPTS | (caseless ? PCRE2_CASELESS : 0), &ec, &off,
		                               NULL);
		struct mm_arena *a = mm_arena_new(4096, 0);
		struct mm_slice *v = NULL;
		/* invalid patterns must be read safely too (ASan build) */
		size_t n = mm__re_literals(a, b.p, b.n, caseless, &v);
		if (!re) {
			mm_arena_free(a);
			continue;
		}
		compiled++;
		if (n)
			with_lits++;
		for (int k = 0; k < 40 && n; k++) {
			char subj[64];
			size_t sl;
			gen_subject(subj, sizeof(subj), &sl);
			int rc = pcre2_match(re, (PCRE2_SPTR)subj, sl, 0, 0, md, NULL);
			if (rc < 0)
				continue;
			matched++;
			bool any = false;
			for (size_t i = 0; i < n && !any; i++)
				any = occurs_caseless(subj, sl, &v[i]);
			if (!any) {
				char shown[256];
				size_t w = 0;
				for (size_t i = 0; i < n && w < sizeof(shown); i++)
					w += (size_t)snprintf(shown + w, sizeof(shown) - w, "[%s]",
					                      v[i].p);
				fail_msg("pattern '%s'%s matches '%.*s' which holds none of %s", b.p,
				         caseless ? " (caseless)" : "", (int)sl, subj, shown);
			}
			checked++;
		}
		pcre2_code_free(re);
		mm_arena_free(a);
	}
	printf("%zu patterns compiled, %zu with literals, %zu matches checked\n", compiled,
	       with_lits, checked);
	/* the generator exercises the interesting part */
	assert_true(with_lits > compiled / 5);
	assert_true(matched > 5000);
	pcre2_match_data_free(md);
}

/* The bundled web rules' regexes get literals (the point of this module). */
static void test_bundled_rules(void **s)
{
	(void)s;
	char got[8192];
	lits("(?i)union(?:\\s|\\+|%20|%09|%0a|%0d|%a0|\\(|%28|/\\*[^/]{0,40}\\*/|%2f%2a.{0,40}?"
	     "%2a%2f)+(?:(?:all|distinct)(?:\\s|\\+|%20|%09|%0a|%0d|%a0|/\\*[^/]{0,40}\\*/|%2f%2a."
	     "{0,40}?%2a%2f)+)?select(?:\\s|\\+|%20|%09|%0a|%0d|%a0|\\(|%28|/\\*|%2f%2a)",
	     false, got, sizeof(got));
	assert_string_equal(got, "select \xc5\xbf" "elect");
	lits("(?i)(?:^|[?&;])(?:cmd|exec|execute|command|shell)=(?:whoami|id|uname|hostname|pwd|"
	     "ifconfig|ipconfig|ls|dir|cat|wget|curl|net(?:\\+|%20)user|systeminfo|echo)(?:$|&|"
	     "\\+|%20|%09|%3b|;|%7c|\\||%26)",
	     false, got, sizeof(got));
	assert_string_equal(got, "cmd= command= exec= execute= shell= \xc5\xbfhell=");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_and_escaped),
		cmocka_unit_test(test_concat_best_factor),
		cmocka_unit_test(test_alternation),
		cmocka_unit_test(test_quantifiers),
		cmocka_unit_test(test_classes),
		cmocka_unit_test(test_caseless_variants),
		cmocka_unit_test(test_caseless_table_matches_pcre2),
		cmocka_unit_test(test_unmodelled_is_none),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_property_match_implies_literal),
		cmocka_unit_test(test_bundled_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

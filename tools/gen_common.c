/* mamori tools — shared pieces of the synthetic log generators: PRNG, time
 * formatting, and the benign web-site model. Everything here is deterministic
 * (no wall clock, no locale, no libc rand()) so the demo files are reproducible
 * byte for byte on any platform. */
#include "gen_common.h"

#include <stdio.h>
#include <string.h>

void gen_rng_seed(struct gen_rng *r, uint64_t seed)
{
	r->s = seed;
}

uint64_t gen_next(struct gen_rng *r)
{
	/* splitmix64 (Steele, Lea, Flood 2014), as used to seed xoshiro. */
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint32_t gen_below(struct gen_rng *r, uint32_t n)
{
	/* Multiply-shift (Lemire) — the tiny bias is irrelevant for test data and
	 * the result depends only on the 64-bit sequence. */
	return (uint32_t)(((gen_next(r) >> 32) * (uint64_t)n) >> 32);
}

int gen_chance(struct gen_rng *r, unsigned pct)
{
	return gen_below(r, 100) < pct;
}

const char *const gen_month_abbr[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

void gen_civil(int64_t z, int *y, unsigned *m, unsigned *d)
{
	/* days_from_civil inverse, http://howardhinnant.github.io/date_algorithms.html */
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t yy = (int64_t)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yy + (*m <= 2));
}

int64_t gen_days_from_civil(int y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void split(int64_t secs, int *y, unsigned *mo, unsigned *d, unsigned *h, unsigned *mi,
                  unsigned *s)
{
	int64_t days = secs / 86400, rem = secs % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	gen_civil(days, y, mo, d);
	*h = (unsigned)(rem / 3600);
	*mi = (unsigned)(rem / 60 % 60);
	*s = (unsigned)(rem % 60);
}

size_t gen_fmt_clf_time(char *out, size_t n, int64_t local_secs, int tz_minutes)
{
	int y;
	unsigned mo, d, h, mi, s;
	split(local_secs, &y, &mo, &d, &h, &mi, &s);
	int a = tz_minutes < 0 ? -tz_minutes : tz_minutes;
	int k = snprintf(out, n, "%02u/%s/%04d:%02u:%02u:%02u %c%02d%02d", d, gen_month_abbr[mo - 1],
	                 y, h, mi, s, tz_minutes < 0 ? '-' : '+', a / 60, a % 60);
	return k < 0 ? 0 : (size_t)k;
}

size_t gen_fmt_syslog_time(char *out, size_t n, int64_t local_secs)
{
	int y;
	unsigned mo, d, h, mi, s;
	split(local_secs, &y, &mo, &d, &h, &mi, &s);
	int k = snprintf(out, n, "%s %2u %02u:%02u:%02u", gen_month_abbr[mo - 1], d, h, mi, s);
	return k < 0 ? 0 : (size_t)k;
}

/* A small shop-and-blog site. Sizes are roughly what such pages weigh. */
const struct gen_page gen_pages[] = {
	{"/", 18230},
	{"/about/", 9120},
	{"/products/", 22410},
	{"/products/tea-set-kyoto.html", 14388},
	{"/products/matcha-starter-kit.html", 15102},
	{"/products/cast-iron-kettle.html", 13876},
	{"/products/ceramic-cups-pair.html", 12450},
	{"/products/sencha-100g.html", 11932},
	{"/products/gift-box-autumn.html", 16021},
	{"/blog/", 20115},
	{"/blog/2026/10/how-to-brew-sencha.html", 17770},
	{"/blog/2026/11/autumn-harvest-report.html", 19288},
	{"/blog/2026/11/union-of-tea-growers-visit.html", 18002},
	{"/blog/2026/09/selecting-a-teapot.html", 16504},
	{"/news/", 8841},
	{"/news/2026/11/shipping-schedule.html", 7323},
	{"/contact/", 7710},
	{"/faq/", 12004},
	{"/cart/", 6650},
	{"/privacy/", 10220},
};
const size_t gen_npages = sizeof(gen_pages) / sizeof(gen_pages[0]);

const struct gen_page gen_assets[] = {
	{"/css/style.css", 24512},
	{"/js/app.js", 31877},
	{"/js/jquery-3.7.1.min.js", 87533},
	{"/images/logo.svg", 4211},
	{"/images/hero-autumn.jpg", 184220},
	{"/images/products/tea-set-kyoto-320.jpg", 38112},
	{"/images/products/matcha-kit-320.jpg", 35740},
	{"/fonts/notosansjp-regular.woff2", 402118},
	{"/favicon.ico", 1150},
};
const size_t gen_nassets = sizeof(gen_assets) / sizeof(gen_assets[0]);

/* Near-miss terms on purpose: words from SQL ("union", "select", "order by"),
 * "sleep", "shell", "passwd" used innocently, so benign traffic exercises the
 * rules' false-positive resistance. */
const char *const gen_search_terms[] = {
	"green+tea",
	"matcha",
	"union+station+gift+shop",
	"select+tea+for+beginners",
	"sleep+tea",
	"order+by+phone",
	"kettle+shell+colour",
	"forgot+passwd",
	"%E6%8A%B9%E8%8C%B6",
	"%E6%80%A5%E9%A0%88",
	"gift+box",
	"cups+or+mugs",
	"1+or+2+cups",
	"tea%27s+origin",
};
const size_t gen_nsearch = sizeof(gen_search_terms) / sizeof(gen_search_terms[0]);

const char *const gen_browser_uas[] = {
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
	"Chrome/130.0.0.0 Safari/537.36",
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
	"Version/18.1 Safari/605.1.15",
	"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
	"Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
	"Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
	"Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0",
	"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
	"Chrome/130.0.6723.102 Mobile Safari/537.36",
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0",
	"Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
	"Version/17.6 Mobile/15E148 Safari/604.1",
};
const size_t gen_nbrowser_uas = sizeof(gen_browser_uas) / sizeof(gen_browser_uas[0]);

const char *const gen_bot_uas[] = {
	"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
	"Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
	"Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
	"Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
};
const size_t gen_nbot_uas = sizeof(gen_bot_uas) / sizeof(gen_bot_uas[0]);

const char *const gen_ext_referers[] = {
	"https://www.google.com/",
	"https://www.google.co.jp/",
	"https://www.bing.com/",
	"https://search.yahoo.co.jp/",
	"https://duckduckgo.com/",
	"https://t.co/",
	"https://www.facebook.com/",
};
const size_t gen_next_referers = sizeof(gen_ext_referers) / sizeof(gen_ext_referers[0]);

size_t gen_fmt_combined(char *out, size_t n, const struct gen_req *q)
{
	char bytes[24];
	if (q->bytes)
		snprintf(bytes, sizeof(bytes), "%u", q->bytes);
	else
		memcpy(bytes, "-", 2);
	int k = snprintf(out, n, "%s - - [%s] \"%s %s HTTP/1.1\" %u %s \"%s\" \"%s\"\n", q->ip,
	                 q->time, q->method, q->target, q->status, bytes,
	                 q->referer ? q->referer : "-", q->ua);
	return (k < 0 || (size_t)k >= n) ? 0 : (size_t)k;
}

void gen_benign_ip(struct gen_rng *r, unsigned client_no, char *out, size_t n)
{
	(void)r;
	unsigned c = client_no % 300;
	if (c < 220)
		snprintf(out, n, "192.0.2.%u", c + 1);
	else if (c < 260)
		snprintf(out, n, "2001:db8:%x:%x::%x", 0x100 + c, c * 7 % 0x10000, c * 13 + 1);
	else
		snprintf(out, n, "10.20.%u.%u", c % 4, c - 250);
}

/* mamori — event time: civil ↔ epoch conversion (Howard Hinnant's
 * days_from_civil), RFC 3339 / ISO 8601 parsing, and time zones for logs that
 * write local time without an offset (RFC 3164 syslog, some app logs).
 * Named zones go through the C library (TZ + mktime), cached per local hour,
 * because zone rules are data we do not want to copy. */
#include "mamori/core.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

int64_t mm_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* int64 nanoseconds cover 1677-09-21 .. 2262-04-11; whole years inside that */
#define YEAR_MIN 1678
#define YEAR_MAX 2261

int64_t mm_time_from_civil(int y, int mon, int day, int h, int mi, int s, long ns, int tzoff)
{
	if (y < YEAR_MIN || y > YEAR_MAX)
		return MM_TS_NONE; /* not representable: never overflow */
	int64_t days = mm_days_from_civil(y, (unsigned)mon, (unsigned)day);
	int64_t secs = days * 86400 + h * 3600 + mi * 60 + s - tzoff;
	return secs * MM_NS_PER_SEC + ns;
}

void mm_time_to_civil(int64_t ts, int *y, int *mon, int *day, int *h, int *mi, int *s, long *ns)
{
	int64_t secs = ts / MM_NS_PER_SEC;
	int64_t rem = ts % MM_NS_PER_SEC;
	if (rem < 0) {
		rem += MM_NS_PER_SEC;
		secs--;
	}
	int64_t days = secs / 86400;
	int64_t sod = secs % 86400;
	if (sod < 0) {
		sod += 86400;
		days--;
	}
	/* civil_from_days */
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t yy = (int64_t)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	unsigned d = doy - (153 * mp + 2) / 5 + 1;
	unsigned m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yy + (m <= 2));
	*mon = (int)m;
	*day = (int)d;
	*h = (int)(sod / 3600);
	*mi = (int)(sod / 60 % 60);
	*s = (int)(sod % 60);
	*ns = (long)rem;
}

void mm_time_format(int64_t ts, char *buf, size_t n)
{
	int y, mo, d, h, mi, s;
	long ns;
	if (ts == MM_TS_NONE) {
		snprintf(buf, n, "%s", "");
		return;
	}
	mm_time_to_civil(ts, &y, &mo, &d, &h, &mi, &s, &ns);
	snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", y, mo, d, h, mi, s,
	         ns / 1000000);
}

int mm_month_from_abbr(const char *p)
{
	static const char names[] = "janfebmaraprmayjunjulaugsepoctnovdec";
	char a = (char)(p[0] | 0x20), b = (char)(p[1] | 0x20), c = (char)(p[2] | 0x20);
	for (int i = 0; i < 12; i++)
		if (names[i * 3] == a && names[i * 3 + 1] == b && names[i * 3 + 2] == c)
			return i + 1;
	return 0;
}

/* ---- zones ---- */
enum tz_kind { TZ_FIXED, TZ_NAMED };
struct mm_tz {
	enum tz_kind kind;
	int fixed;    /* seconds east of UTC */
	char *name;   /* for TZ_NAMED ("" = the process's local zone) */
	int64_t cache_key;
	int cache_off;
};

static int parse_offset(const char *s, int *out)
{
	/* +09:00, +0900, -05, Z */
	if (!strcmp(s, "Z") || !strcmp(s, "z")) {
		*out = 0;
		return MM_OK;
	}
	if (s[0] != '+' && s[0] != '-')
		return MM_EPARSE;
	int sign = s[0] == '-' ? -1 : 1;
	const char *p = s + 1;
	int h = 0, m = 0, nd = 0;
	while (*p >= '0' && *p <= '9' && nd < 2) {
		h = h * 10 + (*p++ - '0');
		nd++;
	}
	if (nd != 2)
		return MM_EPARSE;
	if (*p == ':')
		p++;
	nd = 0;
	while (*p >= '0' && *p <= '9' && nd < 2) {
		m = m * 10 + (*p++ - '0');
		nd++;
	}
	if (*p || (nd != 0 && nd != 2) || h > 23 || m > 59)
		return MM_EPARSE;
	*out = sign * (h * 3600 + m * 60);
	return MM_OK;
}

int mm_tz_new(struct mm_tz **out, const char *spec, struct mm_error *err)
{
	struct mm_tz *tz = mm_calloc(1, sizeof(*tz));
	tz->cache_key = INT64_MIN;
	int off;
	if (!spec || !*spec || !strcmp(spec, "local")) {
		tz->kind = TZ_NAMED;
		tz->name = mm_strdup("");
	} else if (!strcasecmp(spec, "UTC") || !strcasecmp(spec, "GMT")) {
		tz->kind = TZ_FIXED;
	} else if (parse_offset(spec, &off) == MM_OK) {
		tz->kind = TZ_FIXED;
		tz->fixed = off;
	} else {
		/* IANA name: accept only if the zone database has it. */
		char path[512];
		snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", spec);
		FILE *f = strstr(spec, "..") ? NULL : fopen(path, "rb");
		if (!f) {
			free(tz);
			return mm_error_set(err, MM_EINVAL, NULL, 0, 0,
			                    "unknown time zone '%s': use local, UTC, an offset like "
			                    "+09:00, or an IANA name like Asia/Tokyo",
			                    spec);
		}
		fclose(f);
		tz->kind = TZ_NAMED;
		tz->name = mm_strdup(spec);
	}
	*out = tz;
	return MM_OK;
}

void mm_tz_free(struct mm_tz *tz)
{
	if (!tz)
		return;
	free(tz->name);
	free(tz);
}

static int named_offset(struct mm_tz *tz, int y, int mon, int day, int h, int mi, int s)
{
	const char *old = getenv("TZ");
	char *saved = old ? mm_strdup(old) : NULL;
	if (tz->name[0])
		setenv("TZ", tz->name, 1);
	else if (saved)
		unsetenv("TZ"); /* "local": the system zone */
	tzset();
	struct tm tm = {0};
	tm.tm_year = y - 1900;
	tm.tm_mon = mon - 1;
	tm.tm_mday = day;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	tm.tm_isdst = -1;
	time_t t = mktime(&tm);
	int off = 0;
	if (t != (time_t)-1) {
		struct tm lt;
		localtime_r(&t, &lt);
		off = (int)lt.tm_gmtoff;
	}
	if (saved) {
		setenv("TZ", saved, 1);
		free(saved);
	} else {
		unsetenv("TZ");
	}
	tzset();
	return off;
}

int mm_tz_offset(struct mm_tz *tz, int y, int mon, int day, int h, int mi, int s)
{
	if (!tz || tz->kind == TZ_FIXED)
		return tz ? tz->fixed : 0;
	/* zone transitions happen on whole hours or half-hours in practice; cache
	 * per local (date, hour, half) */
	int64_t key = (((int64_t)y * 13 + mon) * 32 + day) * 48 + h * 2 + (mi >= 30);
	if (key != tz->cache_key) {
		tz->cache_off = named_offset(tz, y, mon, day, h, mi, s);
		tz->cache_key = key;
	}
	return tz->cache_off;
}

int64_t mm_tz_to_utc(struct mm_tz *tz, int y, int mon, int day, int h, int mi, int s, long ns)
{
	int off = mm_tz_offset(tz, y, mon, day, h, mi, s);
	return mm_time_from_civil(y, mon, day, h, mi, s, ns, off);
}

static int digits(const char *p, size_t n, size_t *i, int count, int *out)
{
	int v = 0;
	for (int k = 0; k < count; k++) {
		if (*i >= n || p[*i] < '0' || p[*i] > '9')
			return -1;
		v = v * 10 + (p[(*i)++] - '0');
	}
	*out = v;
	return 0;
}

int mm_time_parse_iso8601(struct mm_slice sl, struct mm_tz *tz, int64_t *out)
{
	const char *p = sl.p;
	size_t n = sl.n, i = 0;
	int y, mo, d, h = 0, mi = 0, s = 0;
	long ns = 0;
	if (!p || digits(p, n, &i, 4, &y) || i >= n || p[i++] != '-' || digits(p, n, &i, 2, &mo) ||
	    i >= n || p[i++] != '-' || digits(p, n, &i, 2, &d))
		return MM_EPARSE;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || y < YEAR_MIN || y > YEAR_MAX)
		return MM_EPARSE;
	if (i < n && (p[i] == 'T' || p[i] == 't' || p[i] == ' ')) {
		i++;
		if (digits(p, n, &i, 2, &h) || i >= n || p[i++] != ':' || digits(p, n, &i, 2, &mi))
			return MM_EPARSE;
		if (i < n && p[i] == ':') {
			i++;
			if (digits(p, n, &i, 2, &s))
				return MM_EPARSE;
		}
		if (i < n && (p[i] == '.' || p[i] == ',')) {
			i++;
			long scale = 100000000;
			size_t start = i;
			while (i < n && p[i] >= '0' && p[i] <= '9') {
				ns += (p[i] - '0') * scale;
				scale /= 10;
				i++;
			}
			if (i == start)
				return MM_EPARSE;
		}
		if (h > 24 || mi > 59 || s > 60)
			return MM_EPARSE;
		if (s == 60)
			s = 59; /* leap second: clamp */
	}
	if (i == n) {
		*out = tz ? mm_tz_to_utc(tz, y, mo, d, h, mi, s, ns)
		          : mm_time_from_civil(y, mo, d, h, mi, s, ns, 0);
		return MM_OK;
	}
	char off[8];
	size_t rest = n - i;
	if (rest >= sizeof(off))
		return MM_EPARSE;
	memcpy(off, p + i, rest);
	off[rest] = '\0';
	int tzoff;
	if (parse_offset(off, &tzoff))
		return MM_EPARSE;
	*out = mm_time_from_civil(y, mo, d, h, mi, s, ns, tzoff);
	return MM_OK;
}

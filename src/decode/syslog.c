/* mamori — decoder for syslog text: RFC 3164 (BSD, "Mmm dd hh:mm:ss host
 * tag[pid]: msg", optional <PRI>), the ISO 8601 high-precision header that
 * rsyslog writes with RSYSLOG_FileFormat, and RFC 5424 ("<PRI>1 TS HOST APP
 * PROCID MSGID SD MSG"). Pipeline position: framer → this decoder (→ sshd.c
 * for OpenSSH messages) → event. Sets the Sigma logsource (product linux,
 * services by program) so rules for sshd / auth / cron / syslog route here. */
#include "dec_util.h"
#include "exim.h"
#include "postfix.h"
#include "sshd.h"

#include <stdlib.h>

static const struct mm_decode_opts g_default_opts = {.year = 0};

/* Decimal strings for the numbers derived from PRI (RFC 5424 §6.2.1:
 * PRI = facility * 8 + severity), which are not substrings of the line. */
static const char *const g_num[24] = {"0",  "1",  "2",  "3",  "4",  "5",  "6",  "7",
                                      "8",  "9",  "10", "11", "12", "13", "14", "15",
                                      "16", "17", "18", "19", "20", "21", "22", "23"};

/* ---- logsource by program --------------------------------------------- */
enum prog_kind { PROG_OTHER, PROG_SSHD, PROG_SUDO, PROG_AUTH, PROG_CRON };

static bool tag_is(struct mm_slice t, const char *s)
{
	return mm_slice_eq_cstr(t, s);
}

static enum prog_kind classify(struct mm_slice tag)
{
	if (!tag.p || tag.n == 0)
		return PROG_OTHER;
	switch (tag.p[0]) {
	case 's':
		/* OpenSSH ≥ 9.8 logs per-connection work as sshd-session (and
		 * 10.0 as sshd-auth); both are the same daemon for rules. */
		if (tag_is(tag, "sshd") || tag_is(tag, "sshd-session") || tag_is(tag, "sshd-auth"))
			return PROG_SSHD;
		if (tag_is(tag, "sudo"))
			return PROG_SUDO;
		if (tag_is(tag, "su") || tag_is(tag, "systemd-logind"))
			return PROG_AUTH;
		break;
	case 'l':
		if (tag_is(tag, "login"))
			return PROG_AUTH;
		break;
	case 'p':
		if (tag_is(tag, "passwd") || tag_is(tag, "polkitd") || tag_is(tag, "pkexec") ||
		    (tag.n > 4 && memcmp(tag.p, "pam_", 4) == 0))
			return PROG_AUTH;
		break;
	case 'u':
		if (tag_is(tag, "useradd") || tag_is(tag, "usermod") || tag_is(tag, "userdel") ||
		    tag_is(tag, "unix_chkpwd"))
			return PROG_AUTH;
		break;
	case 'g':
		if (tag_is(tag, "groupadd") || tag_is(tag, "groupmod") || tag_is(tag, "groupdel") ||
		    tag_is(tag, "gpasswd"))
			return PROG_AUTH;
		break;
	case 'c':
		if (tag_is(tag, "chpasswd") || tag_is(tag, "chage"))
			return PROG_AUTH;
		if (tag_is(tag, "cron") || tag_is(tag, "crond"))
			return PROG_CRON;
		break;
	case 'C':
		if (tag_is(tag, "CRON"))
			return PROG_CRON;
		break;
	case 'a':
		if (tag_is(tag, "anacron"))
			return PROG_CRON;
		break;
	default:
		break;
	}
	return PROG_OTHER;
}

static void set_logsource(struct mm_event *ev, enum prog_kind k)
{
	ev->product = "linux";
	switch (k) {
	case PROG_SSHD:
		ev->service[0] = "sshd";
		ev->service[1] = "auth";
		ev->service[2] = "syslog";
		ev->dataset = "linux.sshd";
		break;
	case PROG_SUDO:
		ev->service[0] = "sudo";
		ev->service[1] = "auth";
		ev->service[2] = "syslog";
		ev->dataset = "linux.sudo";
		break;
	case PROG_AUTH:
		ev->service[0] = "auth";
		ev->service[1] = "syslog";
		ev->dataset = "linux.auth";
		break;
	case PROG_CRON:
		ev->service[0] = "cron";
		ev->service[1] = "syslog";
		ev->dataset = "linux.cron";
		break;
	default:
		ev->service[0] = "syslog";
		ev->dataset = "linux.syslog";
		break;
	}
}

/* ---- timestamps -------------------------------------------------------- */
static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int mdays(int y, int m)
{
	static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && leap(y) ? 29 : d[m - 1];
}

static int64_t local_to_utc(struct mm_tz *tz, int y, int mo, int d, int h, int mi, int s, long ns)
{
	return tz ? mm_tz_to_utc(tz, y, mo, d, h, mi, s, ns)
	          : mm_time_from_civil(y, mo, d, h, mi, s, ns, 0);
}

/* RFC 3164 has no year. With opts->year set we use it; otherwise we take the
 * year of ref_time (the file's mtime, or now) and, when that puts the line
 * more than a day after ref_time, the year before: a file rotated in January
 * still holds December lines, and a line cannot be written after the file
 * was last modified (one day of slack covers clock skew and time zones).
 * Feb 29 in a non-leap inferred year goes back to the last leap year. */
static bool year_infer(const struct mm_decode_opts *o, int mo, int d, int h, int mi, int s,
                       long ns, int64_t *out)
{
	if (o->year) {
		if (!dec_year_ok(o->year) || d > mdays(o->year, mo))
			return false;
		*out = local_to_utc(o->tz, o->year, mo, d, h, mi, s, ns);
		return true;
	}
	int ry, rmo, rd, rh, rmi, rs;
	long rns;
	mm_time_to_civil(o->ref_time, &ry, &rmo, &rd, &rh, &rmi, &rs, &rns);
	int y = ry;
	if (!dec_year_ok(y))
		return false;
	if (d > mdays(y, mo)) {
		if (mo != 2 || d != 29)
			return false;
		while (!leap(y))
			y--;
	}
	int64_t ts = local_to_utc(o->tz, y, mo, d, h, mi, s, ns);
	if (ts > o->ref_time && ts - o->ref_time > 86400 * MM_NS_PER_SEC) {
		y--;
		while (d > mdays(y, mo))
			y--; /* Feb 29 again */
		ts = local_to_utc(o->tz, y, mo, d, h, mi, s, ns);
	}
	*out = ts;
	return true;
}

/* "hh:mm:ss[.frac]" at p[*i]. */
static bool parse_hms(const char *p, size_t n, size_t *i, int *h, int *mi, int *s, long *ns)
{
	if (!dec_fixed_digits(p, n, i, 2, h) || *i >= n || p[(*i)++] != ':' ||
	    !dec_fixed_digits(p, n, i, 2, mi) || *i >= n || p[(*i)++] != ':' ||
	    !dec_fixed_digits(p, n, i, 2, s))
		return false;
	if (*h > 23 || *mi > 59 || *s > 60)
		return false;
	if (*s == 60)
		*s = 59; /* leap second */
	*ns = 0;
	if (*i < n && p[*i] == '.') {
		long scale = 100000000;
		(*i)++;
		size_t st = *i;
		while (*i < n && dec_digit(p[*i])) {
			*ns += (p[*i] - '0') * scale;
			scale /= 10;
			(*i)++;
		}
		if (*i == st)
			return false;
	}
	return true;
}

/* RFC 3164 "Mmm dd hh:mm:ss" (day padded with a space or a zero, or not at
 * all), also "Mmm dd yyyy hh:mm:ss" written by some network devices. */
static enum mm_dec_outcome parse_bsd_time(const struct mm_decode_opts *o, const char *p,
                                          size_t n, size_t *i, int64_t *out)
{
	if (*i + 4 > n || p[*i + 3] != ' ')
		return MM_DEC_BAD_TIMESTAMP;
	int mo = mm_month_from_abbr(p + *i);
	if (!mo)
		return MM_DEC_BAD_TIMESTAMP;
	*i += 4;
	if (*i < n && p[*i] == ' ')
		(*i)++;
	int64_t d, yy = 0;
	if (!dec_uint(p, n, i, 2, &d) || d < 1 || d > 31 || *i >= n || p[*i] != ' ')
		return MM_DEC_BAD_TIMESTAMP;
	(*i)++;
	size_t j = *i;
	if (dec_uint(p, n, &j, 4, &yy) && j - *i == 4 && j < n && p[j] == ' ')
		*i = j + 1;
	else
		yy = 0;
	int h, mi, s;
	long ns;
	if (!parse_hms(p, n, i, &h, &mi, &s, &ns))
		return MM_DEC_BAD_TIMESTAMP;
	if (yy) {
		if (!dec_year_ok(yy) || d > mdays((int)yy, mo))
			return MM_DEC_BAD_TIMESTAMP;
		*out = local_to_utc(o->tz, (int)yy, mo, (int)d, h, mi, s, ns);
		return MM_DEC_OK;
	}
	return year_infer(o, mo, (int)d, h, mi, s, ns, out) ? MM_DEC_OK : MM_DEC_BAD_TIMESTAMP;
}

/* ---- header parts ------------------------------------------------------ */

/* A tag is "name[pid]:", "name:", or "[name]" / "[name]:" (old sshd on some
 * systems). Sets process.name/pid and returns the index where MSG starts, or
 * (size_t)-1 when p[i] does not start a tag. */
static size_t parse_tag(const char *p, size_t n, size_t i, struct mm_slice *tag,
                        struct mm_slice *pid)
{
	size_t s = i;
	if (i < n && p[i] == '[') {
		size_t e = i + 1;
		while (e < n && p[e] != ']' && p[e] != ' ')
			e++;
		if (e >= n || p[e] != ']' || e == i + 1)
			return (size_t)-1;
		*tag = mm_slice(p + i + 1, e - i - 1);
		i = e + 1;
		if (i < n && p[i] == ':')
			i++;
		if (i < n && p[i] != ' ')
			return (size_t)-1;
		return i < n ? i + 1 : i;
	}
	while (i < n && p[i] != '[' && p[i] != ':' && p[i] != ' ' && i - s < 128)
		i++;
	if (i == s || i >= n)
		return (size_t)-1;
	*tag = mm_slice(p + s, i - s);
	if (p[i] == '[') {
		size_t ps = ++i;
		while (i < n && p[i] != ']' && i - ps < 32)
			i++;
		if (i >= n || p[i] != ']')
			return (size_t)-1;
		*pid = mm_slice(p + ps, i - ps);
		i++;
		if (i < n && p[i] == ':')
			i++;
		else if (i < n && p[i] != ' ')
			return (size_t)-1;
	} else if (p[i] == ':') {
		i++;
	} else {
		return (size_t)-1; /* "word " is message text, not a tag */
	}
	if (i < n && p[i] == ' ')
		i++;
	return i;
}

static bool all_digits(struct mm_slice s)
{
	if (s.n == 0 || s.n > 10)
		return false;
	for (size_t i = 0; i < s.n; i++)
		if (!dec_digit(s.p[i]))
			return false;
	return true;
}

/* RFC 5424 §6.3: SD-ELEMENTs "[id k="v" …]", values may contain \" \\ \].
 * Returns the index after the last element, or (size_t)-1. */
static size_t sd_end(const char *p, size_t n, size_t i)
{
	if (i < n && p[i] == '-')
		return i + 1;
	if (i >= n || p[i] != '[')
		return (size_t)-1;
	while (i < n && p[i] == '[') {
		bool q = false;
		i++;
		for (;;) {
			if (i >= n)
				return (size_t)-1;
			char c = p[i];
			if (q) {
				if (c == '\\' && i + 1 < n)
					i++;
				else if (c == '"')
					q = false;
			} else if (c == '"') {
				q = true;
			} else if (c == ']') {
				break;
			}
			i++;
		}
		i++;
	}
	return i;
}

static size_t token_end(const char *p, size_t n, size_t i)
{
	const char *sp = i < n ? memchr(p + i, ' ', n - i) : NULL;
	return sp ? (size_t)(sp - p) : n;
}

static bool set_pri(struct mm_event *ev, const char *p, size_t n, size_t *i)
{
	size_t s = 1;
	int64_t pri;
	if (!dec_uint(p, n, &s, 3, &pri) || s >= n || p[s] != '>' || pri > 191)
		return false;
	dec_set(ev, MM_F_SYSLOG_PRIORITY, p + 1, s - 1);
	ev->f[MM_F_SYSLOG_FACILITY] = mm_slice_cstr(g_num[pri >> 3]);
	ev->f[MM_F_SYSLOG_SEVERITY] = mm_slice_cstr(g_num[pri & 7]);
	*i = s + 1;
	return true;
}

/* RFC 5424 after "<PRI>": VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP
 * PROCID SP MSGID SP STRUCTURED-DATA [SP MSG]. */
static enum mm_dec_outcome parse_5424(const struct mm_decode_opts *o, const char *p, size_t n,
                                      size_t i, struct mm_event *ev, struct mm_slice *tag,
                                      size_t *msg_at)
{
	size_t e = token_end(p, n, i);
	dec_set(ev, MM_F_SYSLOG_VERSION, p + i, e - i);
	if (e >= n)
		return MM_DEC_BAD_FORMAT;
	i = e + 1;
	e = token_end(p, n, i);
	if (!(e - i == 1 && p[i] == '-') && !dec_iso8601(mm_slice(p + i, e - i), o->tz, &ev->ts))
		return MM_DEC_BAD_TIMESTAMP;
	struct mm_slice part[4];
	for (int k = 0; k < 4; k++) {
		if (e >= n)
			return MM_DEC_BAD_FORMAT;
		i = e + 1;
		e = token_end(p, n, i);
		if (e == i)
			return MM_DEC_BAD_FORMAT;
		part[k] = mm_slice(p + i, e - i);
	}
	bool nil[4];
	for (int k = 0; k < 4; k++)
		nil[k] = part[k].n == 1 && part[k].p[0] == '-';
	if (!nil[0]) {
		dec_set_s(ev, MM_F_HOST_HOSTNAME, part[0]);
		dec_set_s(ev, MM_F_SYSLOG_HOSTNAME, part[0]);
	}
	if (!nil[1]) {
		dec_set_s(ev, MM_F_SYSLOG_APPNAME, part[1]);
		dec_set_s(ev, MM_F_PROCESS_NAME, part[1]);
		*tag = part[1];
	}
	if (!nil[2]) {
		dec_set_s(ev, MM_F_SYSLOG_PROCID, part[2]);
		if (all_digits(part[2]))
			dec_set_s(ev, MM_F_PROCESS_PID, part[2]);
	}
	if (!nil[3])
		dec_set_s(ev, MM_F_SYSLOG_MSGID, part[3]);
	if (e >= n)
		return MM_DEC_BAD_FORMAT; /* STRUCTURED-DATA is mandatory */
	i = e + 1;
	e = sd_end(p, n, i);
	if (e == (size_t)-1 || (e < n && p[e] != ' '))
		return MM_DEC_BAD_FORMAT;
	if (!(e - i == 1 && p[i] == '-'))
		dec_set(ev, MM_F_SYSLOG_SD, p + i, e - i);
	i = e < n ? e + 1 : n;
	/* MSG may begin with a UTF-8 BOM (§6.4) */
	if (n - i >= 3 && (unsigned char)p[i] == 0xEF && (unsigned char)p[i + 1] == 0xBB &&
	    (unsigned char)p[i + 2] == 0xBF)
		i += 3;
	*msg_at = i;
	return MM_DEC_OK;
}

/* "message repeated N times: [ msg]" (rsyslog's $RepeatedMsgReduction):
 * the inner message is what the program said; N goes to an extra key. */
static struct mm_slice unrepeat(struct mm_decode_ctx *ctx, struct mm_event *ev, struct mm_slice m,
                                bool *copied)
{
	const char *p = m.p;
	size_t n = m.n, i = sizeof("message repeated ") - 1;
	if (!DEC_AT(p, n, 0, "message repeated "))
		return m;
	size_t ds = i;
	int64_t cnt;
	if (!dec_uint(p, n, &i, 9, &cnt) || !DEC_AT(p, n, i, " times: ["))
		return m;
	size_t de = i;
	i += sizeof(" times: [") - 1;
	size_t e = n;
	if (e > i && p[e - 1] == ']')
		e--;
	while (i < e && p[i] == ' ')
		i++;
	if (ctx->arena) {
		struct mm_kv *kv = mm_arena_alloc(ctx->arena, sizeof(*kv));
		if (kv) {
			kv->k = MM_SLICE_LIT("log.syslog.repeat_count");
			kv->v = mm_slice(p + ds, de - ds);
			ev->extra = kv;
			ev->n_extra = 1;
			*copied = true;
		}
	}
	return mm_slice(p + i, e - i);
}

struct syslog_state {
	struct mm__sshd_state *sshd;
	struct mm__postfix_state *postfix;
	struct mm__exim_state *exim;
};

static void *syslog_state_new(void)
{
	struct syslog_state *st = mm_calloc(1, sizeof(*st));
	st->sshd = mm__sshd_state_new();
	st->postfix = mm__postfix_state_new();
	st->exim = mm__exim_state_new();
	return st;
}

static void syslog_state_free(void *p)
{
	struct syslog_state *st = p;
	if (!st)
		return;
	mm__sshd_state_free(st->sshd);
	mm__postfix_state_free(st->postfix);
	mm__exim_state_free(st->exim);
	free(st);
}

static enum mm_dec_outcome syslog_decode(struct mm_decode_ctx *ctx, const char *p, size_t n,
                                         struct mm_event *ev)
{
	const struct mm_decode_opts *o = ctx->opts ? ctx->opts : &g_default_opts;
	size_t i = 0, msg_at = n;
	bool not_verbatim = false;
	struct mm_slice tag = MM_SLICE_NULL, pid = MM_SLICE_NULL;
	enum mm_dec_outcome rc;

	if (n == 0)
		return MM_DEC_SKIP;
	if (p[0] == '<') {
		if (!set_pri(ev, p, n, &i))
			return MM_DEC_BAD_FORMAT;
		not_verbatim = true;
		/* RFC 5424: VERSION is 1*2 digits, non-zero first */
		if (i + 1 < n && p[i] >= '1' && p[i] <= '9' &&
		    (p[i + 1] == ' ' || (dec_digit(p[i + 1]) && i + 2 < n && p[i + 2] == ' '))) {
			rc = parse_5424(o, p, n, i, ev, &tag, &msg_at);
			if (rc != MM_DEC_OK)
				return rc;
			goto body;
		}
	}
	if (i < n && dec_digit(p[i])) {
		size_t e = token_end(p, n, i);
		if (!dec_iso8601(mm_slice(p + i, e - i), o->tz, &ev->ts))
			return MM_DEC_BAD_TIMESTAMP;
		i = e;
	} else if (i < n && dec_alpha(p[i])) {
		rc = parse_bsd_time(o, p, n, &i, &ev->ts);
		if (rc != MM_DEC_OK)
			return rc;
	} else {
		return MM_DEC_BAD_FORMAT;
	}
	while (i < n && p[i] == ' ')
		i++;
	if (i >= n)
		return MM_DEC_BAD_FORMAT;
	{
		/* HOSTNAME is absent when the first token is already the tag
		 * ("sshd[1]:", "sudo:", "[sshd]") */
		size_t e = token_end(p, n, i);
		bool first_is_tag = p[e - 1] == ':' || p[i] == '[' || memchr(p + i, '[', e - i);
		if (!first_is_tag) {
			dec_set(ev, MM_F_HOST_HOSTNAME, p + i, e - i);
			dec_set(ev, MM_F_SYSLOG_HOSTNAME, p + i, e - i);
			i = e;
			while (i < n && p[i] == ' ')
				i++;
		}
		size_t m = parse_tag(p, n, i, &tag, &pid);
		if (m == (size_t)-1) {
			tag = MM_SLICE_NULL;
			pid = MM_SLICE_NULL;
			msg_at = i;
		} else {
			msg_at = m;
			dec_set_s(ev, MM_F_PROCESS_NAME, tag);
			if (all_digits(pid))
				dec_set_s(ev, MM_F_PROCESS_PID, pid);
		}
	}
body:;
	struct mm_slice msg = mm_slice(p + msg_at, n - msg_at);
	dec_set_s(ev, MM_F_MESSAGE, msg);
	ev->msg = msg;
	enum prog_kind k = classify(tag);
	if (k == PROG_OTHER && DEC_AT(msg.p, msg.n, 0, "pam_"))
		k = PROG_AUTH;
	set_logsource(ev, k);
	struct mm_slice pf_prog;
	if (k == PROG_OTHER && mm__postfix_tag(tag, &pf_prog)) {
		struct syslog_state *st = ctx->state;
		struct mm_slice inner = unrepeat(ctx, ev, msg, &not_verbatim);
		if (mm__postfix_decode(ctx, st ? st->postfix : NULL, pf_prog, inner.p, inner.n, ev))
			not_verbatim = true;
	} else if (k == PROG_OTHER && (tag_is(tag, "exim") || tag_is(tag, "exim4"))) {
		struct syslog_state *st = ctx->state;
		struct mm_slice inner = unrepeat(ctx, ev, msg, &not_verbatim);
		if (mm__exim_decode(ctx, st ? st->exim : NULL, inner.p, inner.n, ev))
			not_verbatim = true;
	} else if (k == PROG_SSHD) {
		struct syslog_state *st = ctx->state;
		struct mm_slice inner = unrepeat(ctx, ev, msg, &not_verbatim);
		if (mm__sshd_decode(ctx, st ? st->sshd : NULL, inner.p, inner.n, ev))
			not_verbatim = true;
	}
	if (!not_verbatim)
		ev->flags |= MM_EV_VERBATIM;
	return MM_DEC_OK;
}

/* Confidence: RFC 5424 is unmistakable; a BSD or ISO timestamp followed by a
 * "tag:" is very likely syslog. */
static int syslog_probe(const char *p, size_t n)
{
	size_t i = 0;
	if (n >= 4 && p[0] == '<') {
		i = 1;
		int64_t pri;
		if (!dec_uint(p, n, &i, 3, &pri) || i >= n || p[i] != '>' || pri > 191)
			return 0;
		i++;
		if (i + 2 < n && p[i] == '1' && p[i + 1] == ' ' &&
		    (p[i + 2] == '-' || (i + 6 < n && dec_digit(p[i + 2]) && p[i + 6] == '-')))
			return 95;
	}
	int score = 0;
	if (i + 16 <= n && dec_alpha(p[i]) && mm_month_from_abbr(p + i) && p[i + 3] == ' ') {
		size_t j = i;
		int64_t ts;
		if (parse_bsd_time(&g_default_opts, p, n, &j, &ts) == MM_DEC_OK) {
			score = 70;
			i = j;
		}
	} else if (i + 20 <= n && dec_digit(p[i]) && p[i + 4] == '-' && p[i + 10] == 'T') {
		size_t e = token_end(p, n, i);
		int64_t ts;
		if (dec_iso8601(mm_slice(p + i, e - i), NULL, &ts)) {
			score = 65;
			i = e;
		}
	}
	if (!score)
		return 0;
	/* a "tag:" or "tag[pid]:" within the next two tokens */
	size_t lim = MM_MIN(n, i + 160);
	for (size_t j = i; j + 1 < lim; j++)
		if (p[j] == ':' && p[j + 1] == ' ')
			return score + 15;
	return score;
}

/* Postfix messages assembled by queue ID that timed out (or every pending
 * one at the end of the input) become message events here. */
static enum mm_dec_outcome syslog_drain(struct mm_decode_ctx *ctx, struct mm_event *ev, bool eof)
{
	struct syslog_state *st = ctx->state;
	if (!st)
		return MM_DEC_SKIP;
	enum mm_dec_outcome o = mm__postfix_drain(ctx, st->postfix, ev, eof);
	return o == MM_DEC_OK ? o : mm__exim_drain(ctx, st->exim, ev, eof);
}

const struct mm_decoder mm__decoder_syslog = {
	.name = "syslog",
	.description = "syslog text: RFC 3164, RFC 5424, rsyslog ISO 8601 file format",
	.probe = syslog_probe,
	.decode = syslog_decode,
	.state_new = syslog_state_new,
	.state_free = syslog_state_free,
	.drain = syslog_drain,
};

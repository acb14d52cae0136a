/* mamori — decoder for web access logs in the NCSA common / combined format
 * written by Apache httpd (LogFormat "%h %l %u %t \"%r\" %>s %b
 * \"%{Referer}i\" \"%{User-agent}i\"") and nginx (log_format combined), with
 * an optional Apache vhost prefix ("%v" or "%v:%p") and trailing extra fields.
 * Pipeline position: framer → this decoder → event (ECS http.*, url.*). Two
 * registry entries ("combined", "common") share the code; only probes differ. */
#include "dec_util.h"

#include <stdlib.h>

/* Where the parts of one access-log line are. */
struct clf {
	size_t ntok;
	struct mm_slice tok[5]; /* space-separated tokens before " [" */
	struct mm_slice time;   /* inside [] */
	struct mm_slice req;    /* inside the first quotes */
	struct mm_slice status, bytes;
	struct mm_slice referrer, agent; /* inside quotes; p NULL when absent */
	bool quoted_tail;                /* referrer/agent present (combined) */
};

/* Index of the closing quote of a string that opened at p[i-1], or n.
 * Apache escapes '"' as \" and '\' as \\; nginx writes \x22 and \x5C, so a
 * quote preceded by an odd run of backslashes is part of the value. A closing
 * quote must be followed by a space or the end of the line: that also steps
 * over raw quotes some servers leave unescaped inside a User-Agent. */
static size_t quote_end(const char *p, size_t n, size_t i)
{
	while (i < n) {
		const char *q = memchr(p + i, '"', n - i);
		if (!q)
			return n;
		size_t k = (size_t)(q - p);
		size_t bs = 0;
		while (bs < k - i && p[k - 1 - bs] == '\\')
			bs++;
		if ((bs & 1) == 0 && (k + 1 == n || p[k + 1] == ' '))
			return k;
		i = k + 1;
	}
	return n;
}

/* Shape check shared by decode and probe: fills c, returns MM_DEC_OK or the
 * reason the line is not an access-log line. */
static enum mm_dec_outcome split_line(const char *p, size_t n, struct clf *c)
{
	memset(c, 0, sizeof(*c));
	/* the timestamp opens with " [": everything before it is %v %h %l %u */
	const char *lb = n > 2 ? memchr(p + 1, '[', n - 1) : NULL;
	if (!lb || lb[-1] != ' ')
		return MM_DEC_BAD_FORMAT;
	size_t k = (size_t)(lb - p), prefix = k - 1;
	size_t i = 0;
	while (i < prefix) {
		size_t s = i;
		if (c->ntok == MM_ARRAY_LEN(c->tok) - 1) {
			c->tok[c->ntok++] = mm_slice(p + s, prefix - s); /* the rest */
			break;
		}
		while (i < prefix && p[i] != ' ')
			i++;
		if (i == s)
			return MM_DEC_BAD_FORMAT; /* double space or leading space */
		c->tok[c->ntok++] = mm_slice(p + s, i - s);
		if (i < prefix)
			i++;
	}
	if (c->ntok == 0)
		return MM_DEC_BAD_FORMAT;
	i = k + 1;
	const char *rb = memchr(p + i, ']', n - i);
	if (!rb)
		return MM_DEC_BAD_FORMAT;
	c->time = mm_slice(p + i, (size_t)(rb - p) - i);
	i = (size_t)(rb - p) + 1;
	if (!DEC_AT(p, n, i, " \""))
		return MM_DEC_BAD_FORMAT;
	i += 2;
	size_t qe = quote_end(p, n, i);
	if (qe == n)
		return MM_DEC_BAD_FORMAT;
	c->req = mm_slice(p + i, qe - i);
	i = qe + 1;
	if (i >= n || p[i] != ' ')
		return MM_DEC_BAD_FORMAT;
	i++;
	size_t s = i;
	while (i < n && p[i] != ' ')
		i++;
	c->status = mm_slice(p + s, i - s);
	if (i < n)
		i++;
	s = i;
	while (i < n && p[i] != ' ')
		i++;
	c->bytes = mm_slice(p + s, i - s);
	if (c->status.n == 0 || c->bytes.n == 0)
		return MM_DEC_BAD_FORMAT;
	/* optional "%{Referer}i" "%{User-agent}i"; anything after is ignored
	 * (nginx $request_time, $upstream_response_time, rt=… uct=…). A line cut
	 * inside one of these (no closing quote) keeps the rest as the value:
	 * the mandatory part is complete and the event is worth keeping. */
	if (DEC_AT(p, n, i, " \"")) {
		i += 2;
		qe = quote_end(p, n, i);
		c->referrer = mm_slice(p + i, qe - i);
		c->quoted_tail = true;
		i = qe < n ? qe + 1 : n;
		if (DEC_AT(p, n, i, " \"")) {
			i += 2;
			qe = quote_end(p, n, i);
			c->agent = mm_slice(p + i, qe - i);
		}
	}
	return MM_DEC_OK;
}

/* Per-input decoder state: the date and zone of the last timestamp and the
 * time of that day's midnight. Lines of one log share a date for hours, so
 * most timestamps cost a compare and three two-digit numbers. */
struct clf_state {
	bool valid;
	char key[17];  /* "dd/Mon/yyyy" and " +hhmm" of the cached timestamp */
	int64_t base;  /* ns UTC at 00:00:00 of that date in that zone */
};

/* The 26-byte layout every Apache/nginx %t has: dd/Mon/yyyy:hh:mm:ss +hhmm */
static bool time_std_layout(const char *p, size_t n)
{
	return n == 26 && p[2] == '/' && p[6] == '/' && p[11] == ':' && p[14] == ':' &&
	       p[17] == ':' && p[20] == ' ';
}

/* hh:mm:ss at p[12..20) with the ranges parse_time accepts; seconds. */
static bool time_hms(const char *p, size_t n, int64_t *secs)
{
	size_t a = 12, b = 15, c = 18;
	int h, mi, s;
	if (!dec_fixed_digits(p, n, &a, 2, &h) || !dec_fixed_digits(p, n, &b, 2, &mi) ||
	    !dec_fixed_digits(p, n, &c, 2, &s) || h > 23 || mi > 59 || s > 60)
		return false;
	if (s == 60)
		s = 59;
	*secs = (int64_t)h * 3600 + mi * 60 + s;
	return true;
}

/* "10/Oct/2000:13:55:36 -0700" (Apache %t). Without a zone the decoder's
 * time zone applies. */
static bool parse_time(struct mm_slice t, struct mm_tz *tz, struct clf_state *st, int64_t *out)
{
	const char *p = t.p;
	size_t n = t.n, i = 0;
	int d, y, h, mi, s, mon;
	int64_t dd;
	if (st && st->valid && time_std_layout(p, n) && memcmp(p, st->key, 11) == 0 &&
	    memcmp(p + 20, st->key + 11, 6) == 0) {
		/* same date and zone as the cached line: the bytes that were
		 * validated then are equal, only hh:mm:ss is new */
		int64_t secs;
		if (!time_hms(p, n, &secs))
			return false;
		*out = st->base + secs * MM_NS_PER_SEC;
		return true;
	}
	if (!dec_uint(p, n, &i, 2, &dd) || i + 5 > n || p[i] != '/' || p[i + 4] != '/')
		return false;
	d = (int)dd;
	mon = mm_month_from_abbr(p + i + 1);
	i += 5;
	if (!mon || d < 1 || d > 31 || !dec_fixed_digits(p, n, &i, 4, &y) || i >= n ||
	    p[i++] != ':' || !dec_fixed_digits(p, n, &i, 2, &h) || i >= n || p[i++] != ':' ||
	    !dec_fixed_digits(p, n, &i, 2, &mi) || i >= n || p[i++] != ':' ||
	    !dec_fixed_digits(p, n, &i, 2, &s))
		return false;
	if (h > 23 || mi > 59 || s > 60 || !dec_year_ok(y))
		return false;
	if (s == 60)
		s = 59;
	long ns = 0;
	if (i < n && p[i] == '.') { /* %{msec_frac} style extensions */
		long scale = 100000000;
		i++;
		size_t st0 = i;
		while (i < n && dec_digit(p[i])) {
			ns += (p[i] - '0') * scale;
			scale /= 10;
			i++;
		}
		if (i == st0)
			return false;
	}
	if (i == n) {
		*out = tz ? mm_tz_to_utc(tz, y, mon, d, h, mi, s, ns)
		          : mm_time_from_civil(y, mon, d, h, mi, s, ns, 0);
		return true;
	}
	if (p[i] != ' ' || n - i != 6 || (p[i + 1] != '+' && p[i + 1] != '-'))
		return false;
	int oh, om;
	size_t j = i + 2;
	if (!dec_fixed_digits(p, n, &j, 2, &oh) || !dec_fixed_digits(p, n, &j, 2, &om) ||
	    oh > 23 || om > 59)
		return false;
	int off = oh * 3600 + om * 60;
	if (p[i + 1] == '-')
		off = -off;
	*out = mm_time_from_civil(y, mon, d, h, mi, s, ns, off);
	if (st && time_std_layout(p, n)) {
		/* mm_time_from_civil is linear in h, mi, s */
		memcpy(st->key, p, 11);
		memcpy(st->key + 11, p + 20, 6);
		st->base = mm_time_from_civil(y, mon, d, 0, 0, 0, 0, off);
		st->valid = true;
	}
	return true;
}

static void *clf_state_new(void)
{
	return mm_calloc(1, sizeof(struct clf_state));
}

static void clf_state_free(void *st)
{
	free(st);
}

/* A method is an RFC 9110 token; we accept the usual upper-case letters,
 * digits, '-' and '_' (WebDAV, custom verbs) and at most 32 of them. */
static bool is_method(const char *p, size_t n)
{
	if (n == 0 || n > 32)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		if (!((c >= 'A' && c <= 'Z') || dec_digit(c) || c == '-' || c == '_'))
			return false;
	}
	return true;
}

/* url.path / url.query / url.extension / url.domain from a request-target
 * (RFC 9112 §3.2: origin-form "/p?q", absolute-form "http://h/p?q"). */
static void set_target(struct mm_event *ev, const char *t, size_t n)
{
	const char *q = memchr(t, '?', n);
	size_t pn = q ? (size_t)(q - t) : n;
	if (q)
		dec_set(ev, MM_F_URL_QUERY, q + 1, n - pn - 1);
	const char *path = t;
	size_t off = 0;
	if (pn > 7 && (dec_at(t, pn, 0, "http://", 7) || dec_at(t, pn, 0, "https://", 8))) {
		size_t h = t[4] == 's' ? 8 : 7, e = h;
		while (e < pn && t[e] != '/' && t[e] != ':')
			e++;
		if (e > h)
			dec_set(ev, MM_F_URL_DOMAIN, t + h, e - h);
		while (e < pn && t[e] != '/')
			e++;
		off = e;
		if (off == pn)
			return; /* "http://host" without a path */
	}
	path += off;
	pn -= off;
	dec_set(ev, MM_F_URL_PATH, path, pn);
	/* extension: after the last '.' of the last segment; a leading dot
	 * ("/.env") names a file without an extension, as in POSIX basename
	 * conventions (and Python's splitext). One backward pass: the last '.'
	 * or '/' decides. */
	for (size_t i = pn; i > 0; i--) {
		char c = path[i - 1];
		if (c == '/')
			break; /* no dot in the last segment */
		if (c == '.') {
			/* a dot that opens the segment is not an extension's */
			if (i > 1 && path[i - 2] != '/' && i < pn)
				dec_set(ev, MM_F_URL_EXTENSION, path + i, pn - i);
			break;
		}
	}
}

static void set_request(struct mm_event *ev, struct mm_slice r)
{
	const char *p = r.p;
	size_t n = r.n;
	/* a method has at most 32 characters, so the space after it is within
	 * the first 33 bytes (a short loop beats a library call here) */
	const char *sp = NULL;
	for (size_t i = 0; i < n && i <= 32; i++)
		if (p[i] == ' ') {
			sp = p + i;
			break;
		}
	if (sp && is_method(p, (size_t)(sp - p))) {
		size_t ms = (size_t)(sp - p);
		size_t ts = ms + 1, te = n;
		/* the protocol is the last token when it reads HTTP/x */
		size_t k = n;
		while (k > ts && p[k - 1] != ' ')
			k--;
		if (k > ts && DEC_AT(p, n, k, "HTTP/")) {
			dec_set(ev, MM_F_HTTP_VERSION, p + k + 5, n - k - 5);
			te = k - 1;
		}
		if (te > ts) {
			dec_set(ev, MM_F_HTTP_REQUEST_METHOD, p, ms);
			dec_set(ev, MM_F_URL_ORIGINAL, p + ts, te - ts);
			set_target(ev, p + ts, te - ts);
			return;
		}
	}
	/* malformed request line: TLS handshake bytes on the HTTP port, "-"
	 * (connection closed before a request), scanners' junk. It is still an
	 * event; the text is kept so rules can look at it. */
	dec_set(ev, MM_F_URL_ORIGINAL, p, n);
}

/* dec_is_ip() for the client address, without building the address: a
 * dotted quad is checked here by mm_ip_parse's own rule (four parts of one
 * to three digits, each ≤ 255); anything else (IPv6, names) goes to it. */
static bool host_is_ip(const char *p, size_t n)
{
	size_t i = 0;
	for (int part = 0; part < 4; part++) {
		if (part) {
			if (i >= n || p[i] != '.')
				goto other;
			i++;
		}
		unsigned v = 0, nd = 0;
		while (i < n && dec_digit(p[i]) && nd < 4) {
			v = v * 10 + (unsigned)(p[i] - '0');
			i++;
			nd++;
		}
		if (nd == 0 || nd > 3 || v > 255)
			goto other;
	}
	if (i == n)
		return true;
other:
	/* not a dotted quad: mm_ip_parse would only accept it as IPv6 */
	return memchr(p, ':', n) != NULL && dec_is_ip(p, n);
}

static bool dash(struct mm_slice s)
{
	return s.n == 1 && s.p[0] == '-';
}

static enum mm_dec_outcome clf_decode(struct mm_decode_ctx *ctx, const char *line, size_t n,
                                      struct mm_event *ev)
{
	struct clf c;
	enum mm_dec_outcome o = split_line(line, n, &c);
	if (o != MM_DEC_OK)
		return o;

	/* %h %l %u, optionally prefixed by %v or %v:%p (Apache vhost_combined).
	 * With four or more tokens the prefix is a vhost when the second token
	 * is an address; otherwise the extra tokens belong to a user name. */
	size_t h = 0;
	struct mm_slice user = MM_SLICE_NULL;
	if (c.ntok >= 4 && dec_is_ip(c.tok[1].p, c.tok[1].n)) {
		struct mm_slice v = c.tok[0];
		const char *colon = memchr(v.p, ':', v.n);
		size_t vn = colon ? (size_t)(colon - v.p) : v.n;
		if (vn && !(vn == 1 && v.p[0] == '-'))
			dec_set(ev, MM_F_URL_DOMAIN, v.p, vn);
		h = 1;
	}
	if (c.ntok - h >= 3) {
		const char *us = c.tok[h + 2].p;
		const char *ue = c.tok[c.ntok - 1].p + c.tok[c.ntok - 1].n;
		user = mm_slice(us, (size_t)(ue - us));
	} else if (c.ntok - h == 2) {
		user = c.tok[h + 1]; /* one of %l/%u missing: take it as the user */
	}
	struct mm_slice host = c.tok[h];
	if (!dash(host)) {
		dec_set_s(ev, MM_F_SOURCE_ADDRESS, host);
		if (host_is_ip(host.p, host.n))
			dec_set_s(ev, MM_F_SOURCE_IP, host);
	}
	if (user.p && user.n && !dash(user))
		dec_set_s(ev, MM_F_USER_NAME, user);

	if (!parse_time(c.time, ctx->opts ? ctx->opts->tz : NULL, ctx->state, &ev->ts))
		return MM_DEC_BAD_TIMESTAMP;

	set_request(ev, c.req);

	if (!dash(c.status)) {
		if (c.status.n > 3)
			return MM_DEC_BAD_FIELD;
		for (size_t i = 0; i < c.status.n; i++)
			if (!dec_digit(c.status.p[i]))
				return MM_DEC_BAD_FIELD;
		dec_set_s(ev, MM_F_HTTP_RESPONSE_STATUS, c.status);
	}
	if (!dash(c.bytes)) {
		if (c.bytes.n > 19)
			return MM_DEC_BAD_FIELD;
		for (size_t i = 0; i < c.bytes.n; i++)
			if (!dec_digit(c.bytes.p[i]))
				return MM_DEC_BAD_FIELD;
		dec_set_s(ev, MM_F_HTTP_RESPONSE_BYTES, c.bytes);
	}
	if (c.referrer.p && !dash(c.referrer))
		dec_set_s(ev, MM_F_HTTP_REQUEST_REFERRER, c.referrer);
	if (c.agent.p && !dash(c.agent))
		dec_set_s(ev, MM_F_USER_AGENT_ORIGINAL, c.agent);

	ev->category = "webserver";
	ev->dataset = "web.access";
	ev->flags |= MM_EV_VERBATIM;
	return MM_DEC_OK;
}

/* Cheap shape test: "[dd/Mon/yyyy:" after the first tokens, then '] "'. */
static int clf_shape(const char *p, size_t n, bool *tail)
{
	struct clf c;
	if (n < 30 || split_line(p, n, &c) != MM_DEC_OK)
		return 0;
	const char *t = c.time.p;
	if (c.time.n < 20 || t[2] != '/' || t[6] != '/' || t[11] != ':' ||
	    !mm_month_from_abbr(t + 3) || !dec_digit(t[0]) || !dec_digit(t[7]))
		return 0;
	if (c.status.n != 3 || !dec_digit(c.status.p[0]))
		return 0;
	*tail = c.quoted_tail;
	return 1;
}

static int combined_probe(const char *line, size_t n)
{
	bool tail = false;
	if (!clf_shape(line, n, &tail))
		return 0;
	return tail ? 90 : 80;
}

/* "common" wins detection only on lines without the referrer/agent tail;
 * both entries decode either shape. */
static int common_probe(const char *line, size_t n)
{
	bool tail = false;
	if (!clf_shape(line, n, &tail))
		return 0;
	return tail ? 0 : 85;
}

const struct mm_decoder mm__decoder_combined = {
	.name = "combined",
	.description = "Apache/nginx access log, combined format (common accepted too)",
	.probe = combined_probe,
	.decode = clf_decode,
	.state_new = clf_state_new,
	.state_free = clf_state_free,
};

const struct mm_decoder mm__decoder_common = {
	.name = "common",
	.description = "Apache/nginx access log, NCSA common format (combined accepted too)",
	.probe = common_probe,
	.decode = clf_decode,
	.state_new = clf_state_new,
	.state_free = clf_state_free,
};

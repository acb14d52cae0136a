/* mamori — decoder for JSON Lines (one RFC 8259 object per line): a small,
 * strict, single-pass parser that flattens nested objects to dotted keys
 * ({"source":{"ip":…}} → "source.ip"), puts dictionary keys (fields.def) in
 * ev->f and the rest in ev->extra. Pipeline position: framer → this decoder
 * → event. Strings without escapes stay slices of the line; escaped ones are
 * unescaped into the batch arena. Depth, key length and key count are capped. */
#include "dec_util.h"

#include <strings.h>

#define JSON_MAX_DEPTH 32
#define JSON_MAX_KEY 512
#define JSON_MAX_EXTRA 256

enum ts_src { TS_AT, TS_TIMESTAMP, TS_TIME, TS_TS, TS_WIN, TS__N };

struct jp {
	const char *p;
	size_t n, i;
	struct mm_decode_ctx *ctx;
	struct mm_event *ev;
	enum mm_dec_outcome err;
	bool unescaped;
	bool windows; /* a Windows event record (EVTX rendering or Winlogbeat) */
	size_t n_extra;
	struct mm_slice ts[TS__N];
	bool ts_num[TS__N];
	char key[JSON_MAX_KEY];
	struct mm_kv extra[JSON_MAX_EXTRA];
};

static bool fail(struct jp *j, enum mm_dec_outcome o)
{
	if (j->err == MM_DEC_OK)
		j->err = o;
	return false;
}

static void skip_ws(struct jp *j)
{
	while (j->i < j->n) {
		char c = j->p[j->i];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		j->i++;
	}
}

static int hex4(const char *p)
{
	int v = 0;
	for (int k = 0; k < 4; k++) {
		char c = p[k];
		int d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			d = (c | 0x20) - 'a' + 10;
		else
			return -1;
		v = v << 4 | d;
	}
	return v;
}

/* Unescape an already validated string body into the arena. A lone
 * surrogate (legal in JavaScript, not in Unicode) becomes U+FFFD so the
 * output is always valid UTF-8. Every escape is at least as long as its
 * UTF-8 output, so the raw length bounds the buffer. */
static bool unescape(struct jp *j, const char *s, size_t n, struct mm_slice *out)
{
	char *o = j->ctx->arena ? mm_arena_alloc(j->ctx->arena, n ? n : 1) : NULL;
	if (!o)
		return fail(j, MM_DEC_LIMIT);
	size_t w = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\\') {
			o[w++] = s[i];
			continue;
		}
		char c = s[++i];
		switch (c) {
		case 'b': o[w++] = '\b'; break;
		case 'f': o[w++] = '\f'; break;
		case 'n': o[w++] = '\n'; break;
		case 'r': o[w++] = '\r'; break;
		case 't': o[w++] = '\t'; break;
		case 'u': {
			unsigned cp = (unsigned)hex4(s + i + 1);
			i += 4;
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				int lo = (i + 6 < n && s[i + 1] == '\\' && s[i + 2] == 'u')
				                 ? hex4(s + i + 3)
				                 : -1;
				if (lo >= 0xDC00 && lo <= 0xDFFF) {
					cp = 0x10000 + ((cp - 0xD800) << 10) + ((unsigned)lo - 0xDC00);
					i += 6;
				} else {
					cp = 0xFFFD;
				}
			} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
				cp = 0xFFFD;
			}
			w += mm_utf8_put(o + w, cp);
			break;
		}
		default: o[w++] = c; break; /* " \ / */
		}
	}
	*out = mm_slice(o, w);
	j->unescaped = true;
	return true;
}

/* String at j->i (opening quote). *raw is the body between the quotes. */
static bool parse_string(struct jp *j, struct mm_slice *raw, bool *esc)
{
	const char *p = j->p;
	size_t n = j->n, i = j->i + 1, s = i;
	*esc = false;
	for (;;) {
		if (i >= n)
			return fail(j, MM_DEC_BAD_JSON);
		unsigned char c = (unsigned char)p[i];
		if (c == '"')
			break;
		if (c == '\\') {
			if (i + 1 >= n)
				return fail(j, MM_DEC_BAD_JSON);
			char e = p[i + 1];
			if (e == 'u') {
				if (i + 6 > n || hex4(p + i + 2) < 0)
					return fail(j, MM_DEC_BAD_JSON);
				i += 6;
			} else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' ||
			           e == 'n' || e == 'r' || e == 't') {
				i += 2;
			} else {
				return fail(j, MM_DEC_BAD_JSON);
			}
			*esc = true;
			continue;
		}
		if (c < 0x20)
			return fail(j, MM_DEC_BAD_JSON);
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t l = mm_utf8_seq_len((const unsigned char *)p + i, n - i);
		if (!l)
			return fail(j, MM_DEC_BAD_JSON);
		i += l;
	}
	*raw = mm_slice(p + s, i - s);
	j->i = i + 1;
	return true;
}

/* RFC 8259 §6: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool parse_number(struct jp *j, struct mm_slice *out)
{
	const char *p = j->p;
	size_t n = j->n, i = j->i, s = i;
	if (i < n && p[i] == '-')
		i++;
	if (i >= n)
		return fail(j, MM_DEC_BAD_JSON);
	if (p[i] == '0')
		i++;
	else if (p[i] >= '1' && p[i] <= '9')
		while (i < n && dec_digit(p[i]))
			i++;
	else
		return fail(j, MM_DEC_BAD_JSON);
	if (i < n && p[i] == '.') {
		size_t d = ++i;
		while (i < n && dec_digit(p[i]))
			i++;
		if (i == d)
			return fail(j, MM_DEC_BAD_JSON);
	}
	if (i < n && (p[i] == 'e' || p[i] == 'E')) {
		i++;
		if (i < n && (p[i] == '+' || p[i] == '-'))
			i++;
		size_t d = i;
		while (i < n && dec_digit(p[i]))
			i++;
		if (i == d)
			return fail(j, MM_DEC_BAD_JSON);
	}
	*out = mm_slice(p + s, i - s);
	j->i = i;
	return true;
}

static bool has_prefix(struct mm_slice s, const char *pre, size_t n)
{
	return s.n > n && memcmp(s.p, pre, n) == 0;
}

/* Windows event records, in the two JSON shapes that carry them:
 *  - the EVTX rendering of evtx_dump and SigmaHQ's regression data:
 *    {"Event":{"System":{"EventID":4625,"Channel":"Security",
 *     "Provider":{"#attributes":{"Name":…}},…},"EventData":{"TargetUserName":…}}}
 *    (UserData instead of EventData for some providers: one more level);
 *  - Winlogbeat: {"winlog":{"event_id":…,"channel":…,"provider_name":…,
 *    "event_data":{…}}, plus ECS fields}.
 * Sigma's Windows rules name the payload fields bare (Image, TargetUserName)
 * and the header fields EventID, Channel, Provider_Name, Computer, so both
 * shapes are flattened to those names: the container prefix goes, "#text"
 * goes, "X.#attributes.Y" becomes "X_Y", spaces go. Which channel and event ID make
 * which Sigma logsource is data (pipelines/windows.yml), not code here.
 * Returns the key to store (key itself when no rule applies); out is
 * scratch of JSON_MAX_KEY bytes. */
static struct mm_slice win_key(struct jp *j, struct mm_slice key, char *out)
{
	static const struct {
		const char *from, *to;
	} beat[] = {
		{"winlog.event_id", "EventID"},        {"winlog.channel", "Channel"},
		{"winlog.provider_name", "Provider_Name"}, {"winlog.computer_name", "Computer"},
		{"winlog.record_id", "EventRecordID"}, {"winlog.provider_guid", "Provider_Guid"},
		{"winlog.task", "Task"},               {"winlog.opcode", "Opcode"},
		{"winlog.keywords", "Keywords"},       {"winlog.version", "Version"},
	};
	struct mm_slice s;
	if (key.n < 7 || (key.p[0] != 'E' && key.p[0] != 'w'))
		return key;
	if (has_prefix(key, "Event.System.", 13)) {
		s = mm_slice(key.p + 13, key.n - 13);
	} else if (has_prefix(key, "Event.EventData.", 16)) {
		s = mm_slice(key.p + 16, key.n - 16);
	} else if (has_prefix(key, "Event.UserData.", 15)) {
		const char *d = memchr(key.p + 15, '.', key.n - 15);
		if (!d)
			return key;
		s = mm_slice(d + 1, (size_t)(key.p + key.n - d - 1));
	} else if (has_prefix(key, "winlog.event_data.", 18)) {
		s = mm_slice(key.p + 18, key.n - 18);
	} else if (has_prefix(key, "winlog.user_data.", 17)) {
		s = mm_slice(key.p + 17, key.n - 17);
	} else if (has_prefix(key, "winlog.", 7)) {
		for (size_t i = 0; i < sizeof(beat) / sizeof(beat[0]); i++)
			if (mm_slice_eq_cstr(key, beat[i].from)) {
				if (i == 1)
					j->windows = true;
				return mm_slice_cstr(beat[i].to);
			}
		return key;
	} else {
		return key;
	}
	if (s.n >= 6 && memcmp(s.p + s.n - 6, ".#text", 6) == 0)
		s.n -= 6;
	if (s.n == 0)
		return key;
	/* "X.#attributes.Y" → "X_Y"; a bare "#attributes.Y" → "Y". Spaces go:
	 * Defender and some other providers name their data "Threat Name",
	 * "Process Name", which Sigma's rules write ThreatName, ProcessName. */
	size_t w = 0;
	for (size_t i = 0; i < s.n && w < JSON_MAX_KEY;) {
		if (s.p[i] == ' ') {
			i++;
			continue;
		}
		if (s.p[i] == '#' && s.n - i >= 12 && memcmp(s.p + i, "#attributes.", 12) == 0) {
			if (w && out[w - 1] == '.')
				out[w - 1] = '_';
			i += 12;
			continue;
		}
		out[w++] = s.p[i++];
	}
	struct mm_slice r = mm_slice(out, w);
	if (mm_slice_eq_cstr(r, "Channel") && has_prefix(key, "Event.System.", 13))
		j->windows = true;
	return r;
}

/* Store one scalar under the flattened key. in_array: the scalar is an
 * array element (first: the array's first element). */
static bool emit(struct jp *j, struct mm_slice key, bool key_in_line, size_t depth,
                 struct mm_slice v, bool is_num, bool in_array, bool first)
{
	struct mm_event *ev = j->ev;
	char wbuf[JSON_MAX_KEY];
	if (depth > 0) {
		struct mm_slice wk = win_key(j, key, wbuf);
		if (wk.p != key.p) {
			key = wk;
			key_in_line = false;
			if (mm_slice_eq_cstr(key, "TimeCreated_SystemTime")) {
				j->ts[TS_WIN] = v;
				j->ts_num[TS_WIN] = false;
			}
		}
	}
	if (depth == 0 && !in_array) {
		static const char *const names[TS__N] = {"@timestamp", "timestamp", "time", "ts"};
		for (int t = 0; t < TS__N; t++)
			if (mm_slice_eq_cstr(key, names[t])) {
				j->ts[t] = v;
				j->ts_num[t] = is_num;
			}
	}
	int id = mm_field_lookup(key.p, key.n);
	if (id >= 0 && (!in_array || first))
		ev->f[id] = v;
	if (id >= 0 && !in_array)
		return true;
	if (j->n_extra >= JSON_MAX_EXTRA)
		return fail(j, MM_DEC_LIMIT);
	struct mm_kv *kv = &j->extra[j->n_extra++];
	if (key_in_line) {
		kv->k = key;
	} else {
		kv->k = j->ctx->arena ? mm_slice_dup(j->ctx->arena, key) : MM_SLICE_NULL;
		if (!kv->k.p)
			return fail(j, MM_DEC_LIMIT);
	}
	kv->v = v;
	return true;
}

static bool parse_value(struct jp *j, size_t klen, bool key_in_line, struct mm_slice key,
                        int depth, bool in_array, bool first);

/* Object at j->i ('{'); keys are appended to j->key[0..klen) with a dot. */
static bool parse_object(struct jp *j, size_t klen, int depth)
{
	if (depth >= JSON_MAX_DEPTH)
		return fail(j, MM_DEC_LIMIT);
	j->i++; /* '{' */
	skip_ws(j);
	if (j->i < j->n && j->p[j->i] == '}') {
		j->i++;
		return true;
	}
	for (;;) {
		skip_ws(j);
		if (j->i >= j->n || j->p[j->i] != '"')
			return fail(j, MM_DEC_BAD_JSON);
		struct mm_slice kraw, k;
		bool esc;
		if (!parse_string(j, &kraw, &esc))
			return false;
		k = kraw;
		if (esc && !unescape(j, kraw.p, kraw.n, &k))
			return false;
		/* flattened name: prefix "." key, built in j->key for nested
		 * levels; a top-level key without escapes stays in the line */
		size_t nk = klen;
		bool in_line = depth == 0 && !esc;
		if (depth > 0) {
			if (klen + 1 + k.n > JSON_MAX_KEY)
				return fail(j, MM_DEC_LIMIT);
			j->key[klen] = '.';
			memcpy(j->key + klen + 1, k.p, k.n);
			nk = klen + 1 + k.n;
		} else {
			if (k.n > JSON_MAX_KEY)
				return fail(j, MM_DEC_LIMIT);
			memcpy(j->key, k.p, k.n);
			nk = k.n;
		}
		struct mm_slice full = in_line ? k : mm_slice(j->key, nk);
		skip_ws(j);
		if (j->i >= j->n || j->p[j->i] != ':')
			return fail(j, MM_DEC_BAD_JSON);
		j->i++;
		skip_ws(j);
		if (!parse_value(j, nk, in_line, full, depth, false, false))
			return false;
		skip_ws(j);
		if (j->i >= j->n)
			return fail(j, MM_DEC_BAD_JSON);
		char c = j->p[j->i++];
		if (c == '}')
			return true;
		if (c != ',')
			return fail(j, MM_DEC_BAD_JSON);
	}
}

static bool parse_lit(struct jp *j, const char *lit, size_t n)
{
	if (!dec_at(j->p, j->n, j->i, lit, n))
		return fail(j, MM_DEC_BAD_JSON);
	j->i += n;
	return true;
}

static bool parse_value(struct jp *j, size_t klen, bool key_in_line, struct mm_slice key,
                        int depth, bool in_array, bool first)
{
	if (j->i >= j->n)
		return fail(j, MM_DEC_BAD_JSON);
	char c = j->p[j->i];
	struct mm_slice v;
	switch (c) {
	case '{':
		return parse_object(j, klen, depth + 1);
	case '[': {
		if (depth + 1 >= JSON_MAX_DEPTH)
			return fail(j, MM_DEC_LIMIT);
		j->i++;
		skip_ws(j);
		if (j->i < j->n && j->p[j->i] == ']') {
			j->i++;
			return true;
		}
		for (bool f = true;; f = false) {
			skip_ws(j);
			if (!parse_value(j, klen, key_in_line, key, depth + 1, true, f))
				return false;
			skip_ws(j);
			if (j->i >= j->n)
				return fail(j, MM_DEC_BAD_JSON);
			char d = j->p[j->i++];
			if (d == ']')
				return true;
			if (d != ',')
				return fail(j, MM_DEC_BAD_JSON);
		}
	}
	case '"': {
		bool esc;
		struct mm_slice raw;
		if (!parse_string(j, &raw, &esc))
			return false;
		v = raw;
		if (esc && !unescape(j, raw.p, raw.n, &v))
			return false;
		return emit(j, key, key_in_line, (size_t)depth, v, false, in_array, first);
	}
	case 't':
		if (!parse_lit(j, "true", 4))
			return false;
		return emit(j, key, key_in_line, (size_t)depth, mm_slice(j->p + j->i - 4, 4), false,
		            in_array, first);
	case 'f':
		if (!parse_lit(j, "false", 5))
			return false;
		return emit(j, key, key_in_line, (size_t)depth, mm_slice(j->p + j->i - 5, 5), false,
		            in_array, first);
	case 'n':
		return parse_lit(j, "null", 4); /* null: the field is absent */
	default:
		if (c == '-' || dec_digit(c)) {
			if (!parse_number(j, &v))
				return false;
			return emit(j, key, key_in_line, (size_t)depth, v, true, in_array, first);
		}
		return fail(j, MM_DEC_BAD_JSON);
	}
}

/* Epoch number: seconds, milliseconds, microseconds or nanoseconds chosen by
 * magnitude (< 1e11 s, < 1e14 ms, < 1e17 µs, else ns), fraction kept. */
static bool epoch_to_ns(struct mm_slice s, int64_t *out)
{
	const char *p = s.p;
	size_t n = s.n, i = 0;
	bool neg = false;
	if (i < n && p[i] == '-') {
		neg = true;
		i++;
	}
	uint64_t ip = 0;
	size_t st = i;
	while (i < n && dec_digit(p[i])) {
		if (i - st >= 19)
			return false;
		ip = ip * 10 + (uint64_t)(p[i] - '0');
		i++;
	}
	if (i == st)
		return false;
	uint64_t frac = 0, scale = 1;
	if (i < n && p[i] == '.') {
		i++;
		while (i < n && dec_digit(p[i])) {
			if (scale < 1000000000000000000ull) {
				frac = frac * 10 + (uint64_t)(p[i] - '0');
				scale *= 10;
			}
			i++;
		}
	}
	if (i != n)
		return false; /* exponent forms are not timestamps we accept */
	uint64_t unit; /* ns per unit */
	if (ip < 100000000000ull)
		unit = 1000000000ull;
	else if (ip < 100000000000000ull)
		unit = 1000000ull;
	else if (ip < 100000000000000000ull)
		unit = 1000ull;
	else
		unit = 1;
	if (ip > (uint64_t)INT64_MAX / unit)
		return false;
	uint64_t ns = ip * unit;
	/* frac/scale of a unit, computed without overflow */
	ns += (uint64_t)((double)frac / (double)scale * (double)unit);
	if (ns > (uint64_t)INT64_MAX)
		return false;
	*out = neg ? -(int64_t)ns : (int64_t)ns;
	return true;
}

static bool ts_from(struct jp *j, int t, struct mm_tz *tz, int64_t *out)
{
	if (j->ts_num[t])
		return epoch_to_ns(j->ts[t], out);
	return dec_iso8601(j->ts[t], tz, out);
}

/* Logsource for JSON events that say where they came from (ECS
 * event.dataset / event.module as written by Elastic Beats and Filebeat
 * modules, or process.name). */
static void json_logsource(struct mm_event *ev)
{
	struct mm_slice ds = ev->f[MM_F_EVENT_DATASET];
	struct mm_slice pn = ev->f[MM_F_PROCESS_NAME];
	if (mm_slice_eq_cstr(ds, "nginx.access") || mm_slice_eq_cstr(ds, "apache.access") ||
	    mm_slice_eq_cstr(ds, "iis.access")) {
		ev->category = "webserver";
		return;
	}
	bool sshd = mm_slice_eq_cstr(pn, "sshd") || mm_slice_eq_cstr(pn, "sshd-session");
	if (mm_slice_eq_cstr(ds, "system.auth") || sshd) {
		ev->product = "linux";
		if (sshd) {
			ev->service[0] = "sshd";
			ev->service[1] = "auth";
		} else {
			ev->service[0] = "auth";
		}
		return;
	}
	if (mm_slice_eq_cstr(ds, "system.syslog")) {
		ev->product = "linux";
		ev->service[0] = "syslog";
		return;
	}
	/* application login events (ECS event.category: authentication, a list
	 * in ECS: any element counts) → logsource category "authentication",
	 * which the app-auth rules target (docs/rules.md) */
	bool auth = mm_slice_eq_cstr(ev->f[MM_F_EVENT_CATEGORY], "authentication");
	for (size_t i = 0; !auth && i < ev->n_extra; i++)
		auth = mm_slice_eq_cstr(ev->extra[i].k, "event.category") &&
		       mm_slice_eq_cstr(ev->extra[i].v, "authentication");
	if (auth)
		ev->category = "authentication";
}

/* The ECS fields Winlogbeat would add, from the Windows names, when the
 * record does not carry them itself: source.ip (IpAddress, without the
 * "::ffff:" of IPv4-mapped Kerberos addresses; "-" is no address),
 * user.name (TargetUserName), host.hostname (Computer), event.code
 * (EventID). Incidents and the text output name the attacker and the
 * account by these. Values stay slices of the line. */
static void win_ecs(struct mm_event *ev, const struct mm_kv *kv, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct mm_slice k = kv[i].k, v = kv[i].v;
		if (mm_slice_eq_cstr(k, "IpAddress")) {
			if (v.n > 7 && !strncasecmp(v.p, "::ffff:", 7) && memchr(v.p + 7, '.', v.n - 7))
				v = mm_slice(v.p + 7, v.n - 7);
			if (!ev->f[MM_F_SOURCE_IP].p && dec_is_ip(v.p, v.n))
				ev->f[MM_F_SOURCE_IP] = v;
		} else if (mm_slice_eq_cstr(k, "TargetUserName")) {
			if (!ev->f[MM_F_USER_NAME].p && v.n && !mm_slice_eq_cstr(v, "-"))
				ev->f[MM_F_USER_NAME] = v;
		} else if (mm_slice_eq_cstr(k, "Computer")) {
			if (!ev->f[MM_F_HOST_HOSTNAME].p)
				ev->f[MM_F_HOST_HOSTNAME] = v;
		} else if (mm_slice_eq_cstr(k, "EventID")) {
			if (!ev->f[MM_F_EVENT_CODE].p)
				ev->f[MM_F_EVENT_CODE] = v;
		}
	}
}

static enum mm_dec_outcome jsonl_decode(struct mm_decode_ctx *ctx, const char *line, size_t n,
                                        struct mm_event *ev)
{
	struct jp j;
	j.p = line;
	j.n = n;
	j.i = 0;
	j.ctx = ctx;
	j.ev = ev;
	j.err = MM_DEC_OK;
	j.unescaped = false;
	j.windows = false;
	j.n_extra = 0;
	memset(j.ts, 0, sizeof(j.ts));
	memset(j.ts_num, 0, sizeof(j.ts_num));

	skip_ws(&j);
	if (j.i == n)
		return MM_DEC_SKIP;
	if (line[j.i] != '{')
		return MM_DEC_BAD_JSON;
	if (!parse_object(&j, 0, 0))
		return j.err != MM_DEC_OK ? j.err : MM_DEC_BAD_JSON;
	skip_ws(&j);
	if (j.i != n)
		return MM_DEC_BAD_JSON;

	struct mm_tz *tz = ctx->opts ? ctx->opts->tz : NULL;
	if (j.ts[TS_AT].p) {
		if (!ts_from(&j, TS_AT, tz, &ev->ts))
			return MM_DEC_BAD_TIMESTAMP;
	} else {
		/* a Windows record's own TimeCreated before generic names */
		if (j.ts[TS_WIN].p && ts_from(&j, TS_WIN, tz, &ev->ts))
			j.ts[TS_TIMESTAMP] = j.ts[TS_TIME] = j.ts[TS_TS] = MM_SLICE_NULL;
		for (int t = TS_TIMESTAMP; t < TS_WIN; t++)
			if (j.ts[t].p && ts_from(&j, t, tz, &ev->ts))
				break;
	}
	if (j.n_extra) {
		struct mm_kv *kv =
			ctx->arena ? mm_arena_alloc(ctx->arena, j.n_extra * sizeof(*kv)) : NULL;
		if (!kv)
			return MM_DEC_LIMIT;
		memcpy(kv, j.extra, j.n_extra * sizeof(*kv));
		ev->extra = kv;
		ev->n_extra = j.n_extra;
	}
	if (ev->f[MM_F_MESSAGE].p)
		ev->msg = ev->f[MM_F_MESSAGE];
	if (j.windows)
		win_ecs(ev, j.extra, j.n_extra);
	if (j.windows) {
		/* product only: the channel/event-ID → service/category mapping is
		 * applied to the rules by pipelines/windows.yml (add_condition on
		 * Channel and EventID, as pySigma's Windows pipelines do) */
		ev->product = "windows";
		ev->dataset = "windows";
	} else {
		json_logsource(ev);
		ev->dataset = "json";
	}
	if (!j.unescaped)
		ev->flags |= MM_EV_VERBATIM;
	return MM_DEC_OK;
}

/* An object on one line: '{' then '"' first, '}' last (ignoring blanks). */
static int jsonl_probe(const char *p, size_t n)
{
	size_t i = 0;
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	while (n > i && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
		n--;
	if (n - i < 2 || p[i] != '{' || p[n - 1] != '}')
		return 0;
	i++;
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	if (p[i] == '"')
		return 90;
	return p[i] == '}' ? 50 : 0;
}

const struct mm_decoder mm__decoder_jsonl = {
	.name = "jsonl",
	.description = "JSON Lines: one JSON object per line (ECS names map to fields; Windows "
	               "records, EVTX JSON or Winlogbeat, get Sigma's Windows names)",
	.probe = jsonl_probe,
	.decode = jsonl_decode,
};

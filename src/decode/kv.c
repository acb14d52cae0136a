/* mamori — decoder for key=value logs (logfmt and the ad-hoc `k=v k="v w"`
 * lines many applications write for logins):
 *   time=2026-11-26T10:00:00Z user=alice src=203.0.113.5 action=login result=failure path=/login
 * Common key names map to ECS fields through a built-in table (src/client_ip →
 * source.ip, user/login → user.name, result/status → event.outcome with the
 * value normalised to success/failure/unknown, …), extended or overridden by
 * mamori.yaml (`decoders.kv.map`). Login events get event.category
 * authentication and the logsource category "authentication". Pipeline
 * position: framer → this decoder → event. Contract: docs/internals/DECODERS.md §6.
 * FortiGate logs (`date= time= devname= type="traffic" srcip= dstip= dstport=
 * sentbyte= rcvdbyte= action=`, FortiOS Log Reference) are key=value too: their
 * keys are in the table, date+time (or eventtime) give the time, and the
 * logsource becomes product fortinet, dataset fortigate.<type> (docs/egress.md). */
#include "flow_util.h"

#include <string.h>

#define KV_MAX_EXTRA 128
#define KV_MAX_KEY 128

/* Built-in key table: names as applications write them (compared ASCII
 * case-insensitively) → ECS field. Where a name has several common meanings
 * (`status`: HTTP status or auth result) the value decides: numeric `status`
 * goes to http.response.status_code, words to event.outcome. */
struct kmap {
	const char *key;
	const char *ecs;
};
static const struct kmap g_map[] = {
	{"time", "@timestamp"}, {"timestamp", "@timestamp"}, {"ts", "@timestamp"},
	{"@timestamp", "@timestamp"}, {"datetime", "@timestamp"}, {"date", "@timestamp"},
	{"src", "source.ip"}, {"src_ip", "source.ip"}, {"srcip", "source.ip"},
	{"source_ip", "source.ip"}, {"client_ip", "source.ip"}, {"clientip", "source.ip"},
	{"client", "source.ip"}, {"remote_addr", "source.ip"}, {"remote_ip", "source.ip"},
	{"ip", "source.ip"}, {"rhost", "source.ip"}, {"addr", "source.ip"},
	{"src_port", "source.port"}, {"sport", "source.port"}, {"source_port", "source.port"},
	{"user", "user.name"}, {"username", "user.name"}, {"user_name", "user.name"},
	{"login", "user.name"}, {"account", "user.name"}, {"usr", "user.name"},
	{"email", "user.name"}, {"principal", "user.name"},
	{"result", "event.outcome"}, {"outcome", "event.outcome"}, {"status", "event.outcome"},
	{"auth_result", "event.outcome"}, {"auth", "event.outcome"},
	{"action", "event.action"}, {"event", "event.action"}, {"event_type", "event.action"},
	{"activity", "event.action"}, {"op", "event.action"},
	{"category", "event.category"},
	{"path", "url.path"}, {"url", "url.path"}, {"uri", "url.path"},
	{"endpoint", "url.path"}, {"request_path", "url.path"},
	{"host", "host.hostname"}, {"hostname", "host.hostname"}, {"server", "host.hostname"},
	{"domain", "url.domain"}, {"vhost", "url.domain"},
	{"method", "http.request.method"},
	{"ua", "user_agent.original"}, {"user_agent", "user_agent.original"},
	{"agent", "user_agent.original"},
	{"msg", "message"}, {"message", "message"},
	{"reason", "event.reason"}, {"error", "event.reason"},
	/* flows and firewalls (FortiGate traffic logs, generic flow kv) */
	{"dstip", "destination.ip"}, {"dst", "destination.ip"}, {"dst_ip", "destination.ip"},
	{"destination_ip", "destination.ip"}, {"dstport", "destination.port"},
	{"dst_port", "destination.port"}, {"dport", "destination.port"},
	{"destination_port", "destination.port"}, {"srcport", "source.port"},
	{"sentbyte", "source.bytes"}, {"rcvdbyte", "destination.bytes"},
	{"bytes_out", "source.bytes"}, {"bytes_in", "destination.bytes"},
	{"sentpkt", "source.packets"}, {"rcvdpkt", "destination.packets"},
	{"devname", "observer.name"}, {"logid", "event.code"}, {"proto", "network.transport"},
	{"duration", "event.duration"}, {"eventtime", "@timestamp"},
};

static const char *const g_ok[] = {"success", "succeeded", "successful", "ok", "pass",
                                   "passed", "accepted", "accept", "allowed", "allow",
                                   "granted", "true", "authenticated", "logged_in"};
static const char *const g_fail[] = {
	"failure", "failed", "fail", "error", "denied", "deny", "rejected", "reject",
	"invalid", "unauthorized", "forbidden", "false", "bad_password", "wrong_password",
	"invalid_password", "invalid_credentials", "locked", "blocked"};
static const char *const g_login[] = {"login", "logon", "log_in", "signin", "sign_in",
                                      "sign-in", "authenticate", "authentication", "auth",
                                      "user-login", "user_login", "password_login"};

static bool in_list(struct mm_slice v, const char *const *l, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (mm_slice_ieq_cstr(v, l[i]))
			return true;
	return false;
}

static bool key_char(char c)
{
	return dec_alpha(c) || dec_digit(c) || c == '_' || c == '.' || c == '-' || c == '@';
}

struct tok {
	struct mm_slice k, v; /* k.p == NULL: a bare word */
	bool quoted, escaped;
};

/* Next token from i: `key=value`, `key="quoted"`, or a bare word. Returns
 * false at the end of the line; *bad on an unterminated quote. */
static bool next_tok(const char *p, size_t n, size_t *ip, struct tok *t, bool *bad)
{
	size_t i = *ip;
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	if (i >= n)
		return false;
	memset(t, 0, sizeof(*t));
	size_t ks = i;
	while (i < n && key_char(p[i]))
		i++;
	if (i > ks && i < n && p[i] == '=' && i - ks <= KV_MAX_KEY) {
		t->k = mm_slice(p + ks, i - ks);
		i++;
		if (i < n && (p[i] == '"' || p[i] == '\'')) {
			char q = p[i++];
			size_t vs = i;
			while (i < n && p[i] != q) {
				if (p[i] == '\\' && q == '"' && i + 1 < n) {
					t->escaped = true;
					i++;
				}
				i++;
			}
			if (i >= n) {
				*bad = true;
				return false;
			}
			t->v = mm_slice(p + vs, i - vs);
			t->quoted = true;
			i++;
		} else {
			size_t vs = i;
			while (i < n && p[i] != ' ' && p[i] != '\t')
				i++;
			t->v = mm_slice(p + vs, i - vs);
		}
	} else {
		i = ks;
		while (i < n && p[i] != ' ' && p[i] != '\t')
			i++;
		t->v = mm_slice(p + ks, i - ks);
	}
	*ip = i;
	return true;
}

static int kv_probe(const char *line, size_t n)
{
	if (!n || line[0] == '{' || line[0] == '<')
		return 0;
	size_t i = 0, kv = 0, all = 0;
	struct tok t;
	bool bad = false;
	while (all < 64 && next_tok(line, n, &i, &t, &bad)) {
		all++;
		if (t.k.p)
			kv++;
	}
	if (bad || kv < 3)
		return 0;
	/* a leading timestamp word is allowed; otherwise most tokens are pairs */
	if (kv * 10 < all * 8)
		return 0;
	return 70;
}

static bool epoch_ns(struct mm_slice s, int64_t *out)
{
	uint64_t ip, frac, scale;
	if (!flow_decimal(s, 19, &ip, &frac, &scale))
		return false;
	/* seconds, milliseconds, microseconds or nanoseconds by magnitude */
	uint64_t mul = ip < 100000000000ull      ? 1000000000ull
	               : ip < 100000000000000ull ? 1000000ull
	               : ip < 100000000000000000ull ? 1000ull
	                                            : 1ull;
	if (ip > (uint64_t)INT64_MAX / mul)
		return false;
	*out = (int64_t)(ip * mul + frac * mul / scale);
	return true;
}

static struct mm_slice unescape(struct mm_decode_ctx *ctx, struct mm_slice v, bool *ok)
{
	char *o = ctx->arena ? mm_arena_alloc(ctx->arena, v.n + 1) : NULL;
	if (!o) {
		*ok = false;
		return v;
	}
	size_t k = 0;
	for (size_t i = 0; i < v.n; i++) {
		if (v.p[i] == '\\' && i + 1 < v.n)
			i++;
		o[k++] = v.p[i];
	}
	o[k] = '\0';
	return mm_slice(o, k);
}

/* The ECS name a key maps to: the configured table first, then the built-in. */
static const char *map_key(const struct mm_decode_opts *o, struct mm_slice k)
{
	if (o && o->kv_map)
		for (size_t i = 0; i < o->nkv_map; i++)
			if (mm_slice_ieq_cstr(k, o->kv_map[2 * i]))
				return o->kv_map[2 * i + 1];
	for (size_t i = 0; i < MM_ARRAY_LEN(g_map); i++)
		if (mm_slice_ieq_cstr(k, g_map[i].key))
			return g_map[i].ecs;
	return NULL;
}

static bool all_digits(struct mm_slice v)
{
	if (!v.n)
		return false;
	for (size_t i = 0; i < v.n; i++)
		if (!dec_digit(v.p[i]))
			return false;
	return true;
}

static enum mm_dec_outcome kv_decode(struct mm_decode_ctx *ctx, const char *line, size_t n,
                                     struct mm_event *ev)
{
	const struct mm_decode_opts *o = ctx->opts;
	struct mm_tz *tz = o ? o->tz : NULL;
	size_t i = 0, npairs = 0, nextra = 0, ntok = 0;
	struct tok t;
	bool bad = false, verbatim = true, have_ts = false;
	struct mm_kv extra[KV_MAX_EXTRA];
	struct mm_slice outcome_raw = MM_SLICE_NULL;
	struct mm_slice date = MM_SLICE_NULL, tod = MM_SLICE_NULL, type = MM_SLICE_NULL;
	bool forti = false, epoch_ts = false;

	while (i < n && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (i == n)
		return MM_DEC_SKIP;
	ev->dataset = "kv";
	while (next_tok(line, n, &i, &t, &bad)) {
		ntok++;
		if (!t.k.p) {
			/* a bare word: the first may be the time (logfmt with a prefix) */
			if (ntok == 1 && dec_iso8601(t.v, tz, &ev->ts))
				have_ts = true;
			continue;
		}
		npairs++;
		struct mm_slice v = t.v;
		if (t.escaped) {
			bool ok = true;
			v = unescape(ctx, v, &ok);
			if (!ok)
				return MM_DEC_LIMIT;
			verbatim = false;
		}
		const char *ecs = map_key(o, t.k);
		if (mm_slice_ieq_cstr(t.k, "devid") || mm_slice_ieq_cstr(t.k, "devname"))
			forti = true;
		if (mm_slice_ieq_cstr(t.k, "type"))
			type = v;
		if (ecs && !strcmp(ecs, "@timestamp")) {
			int64_t ts;
			/* FortiOS: eventtime (epoch, UTC) beats date= time= (device-local) */
			if (mm_slice_ieq_cstr(t.k, "eventtime") && !epoch_ts && epoch_ns(v, &ts)) {
				ev->ts = ts;
				have_ts = epoch_ts = true;
				continue;
			}
			if (mm_slice_ieq_cstr(t.k, "date") && !date.p) {
				date = v;
				continue;
			}
			if (!have_ts && (dec_iso8601(v, tz, &ts) || epoch_ns(v, &ts))) {
				ev->ts = ts;
				have_ts = true;
				continue;
			}
			if (mm_slice_ieq_cstr(t.k, "time") && !tod.p && v.n == 8 && v.p[2] == ':') {
				tod = v;
				continue;
			}
			ecs = NULL; /* unparsable: kept as an extra */
		} else if (ecs && !strcmp(ecs, "event.duration")) {
			/* seconds (FortiOS) → ECS nanoseconds */
			if (flow_duration(ctx, ev, v)) {
				verbatim = false;
				continue;
			}
			ecs = NULL;
		} else if (ecs && !strcmp(ecs, "network.transport") && flow_proto(v)) {
			v = mm_slice_cstr(flow_proto(v));
			verbatim = false;
		} else if (ecs && !strcmp(ecs, "destination.ip") && !dec_is_ip(v.p, v.n)) {
			ecs = "destination.address";
		} else if (ecs && !strcmp(ecs, "event.outcome")) {
			if (all_digits(v) && mm_slice_ieq_cstr(t.k, "status")) {
				ecs = "http.response.status_code";
			} else {
				outcome_raw = v;
				continue;
			}
		} else if (ecs && !strcmp(ecs, "source.ip") && !dec_is_ip(v.p, v.n)) {
			ecs = "source.address";
		} else if (ecs && !strcmp(ecs, "url.path")) {
			/* a full URL or a target with a query: the path is up to '?' */
			dec_set_s(ev, MM_F_URL_ORIGINAL, v);
			size_t q = 0;
			while (q < v.n && v.p[q] != '?')
				q++;
			if (v.n > 8 && (DEC_AT(v.p, v.n, 0, "http://") || DEC_AT(v.p, v.n, 0, "https://"))) {
				size_t s = DEC_AT(v.p, v.n, 0, "http://") ? 7 : 8;
				while (s < q && v.p[s] != '/')
					s++;
				v = mm_slice(v.p + s, q - s);
			} else {
				v.n = q;
			}
		}
		int id = ecs ? mm_field_lookup(ecs, strlen(ecs)) : -1;
		if (ecs && id >= 0) {
			ev->f[id] = v;
			if (id == MM_F_SOURCE_IP)
				ev->f[MM_F_SOURCE_ADDRESS] = v;
			if (id == MM_F_MESSAGE)
				ev->msg = v;
		} else {
			if (nextra == KV_MAX_EXTRA)
				return MM_DEC_LIMIT;
			extra[nextra].k = ecs ? mm_slice_cstr(ecs) : t.k;
			extra[nextra++].v = v;
		}
	}
	if (bad)
		return MM_DEC_BAD_FORMAT;
	if (npairs < 2)
		return MM_DEC_BAD_FORMAT;
	if (!have_ts && date.p) {
		/* date=2026-11-03 time=10:00:01: one ISO 8601 local time */
		char buf[40];
		if (tod.p && date.n == 10) {
			memcpy(buf, date.p, 10);
			buf[10] = 'T';
			memcpy(buf + 11, tod.p, 8);
			have_ts = dec_iso8601(mm_slice(buf, 19), tz, &ev->ts);
		} else {
			have_ts = dec_iso8601(date, tz, &ev->ts) || epoch_ns(date, &ev->ts);
		}
	}
	if (!flow_totals(ctx, ev))
		return MM_DEC_BAD_FIELD;
	/* a computed total lives in the arena, not in the line */
	for (int k = 0; k < 2; k++) {
		struct mm_slice tot = ev->f[k ? MM_F_NETWORK_PACKETS : MM_F_NETWORK_BYTES];
		if (tot.p && (tot.p < line || tot.p >= line + n))
			verbatim = false;
	}
	if (forti) {
		ev->product = "fortinet";
		if (mm_slice_eq_cstr(type, "traffic")) {
			ev->dataset = "fortigate.traffic";
			ev->category = "firewall";
		} else if (mm_slice_eq_cstr(type, "event")) {
			ev->dataset = "fortigate.event";
		} else {
			ev->dataset = "fortigate";
		}
	}
	if (outcome_raw.p) {
		const char *norm = in_list(outcome_raw, g_ok, MM_ARRAY_LEN(g_ok))     ? "success"
		                   : in_list(outcome_raw, g_fail, MM_ARRAY_LEN(g_fail)) ? "failure"
		                                                                       : "unknown";
		ev->f[MM_F_EVENT_OUTCOME] = mm_slice_cstr(norm);
		verbatim = false;
		if (nextra < KV_MAX_EXTRA) {
			/* the value as written stays visible */
			extra[nextra].k = MM_SLICE_LIT("event.original_outcome");
			extra[nextra++].v = outcome_raw;
		}
	}
	/* a login: an action that says so, or an account with an outcome */
	struct mm_slice act = ev->f[MM_F_EVENT_ACTION];
	bool login = (act.p && in_list(act, g_login, MM_ARRAY_LEN(g_login))) ||
	             (!act.p && ev->f[MM_F_USER_NAME].p && ev->f[MM_F_EVENT_OUTCOME].p) ||
	             mm_slice_ieq_cstr(ev->f[MM_F_EVENT_CATEGORY], "authentication");
	if (login) {
		if (!mm_slice_eq_cstr(ev->f[MM_F_EVENT_CATEGORY], "authentication")) {
			ev->f[MM_F_EVENT_CATEGORY] = MM_SLICE_LIT("authentication");
			verbatim = false;
		}
		ev->category = "authentication";
	}
	if (nextra) {
		struct mm_kv *x = ctx->arena ? mm_arena_alloc(ctx->arena, nextra * sizeof(*x)) : NULL;
		if (!x && ctx->arena)
			return MM_DEC_LIMIT;
		if (x) {
			memcpy(x, extra, nextra * sizeof(*x));
			ev->extra = x;
			ev->n_extra = nextra;
		}
	}
	if (!have_ts)
		ev->ts = MM_TS_NONE;
	if (verbatim)
		ev->flags |= MM_EV_VERBATIM;
	return MM_DEC_OK;
}

const struct mm_decoder mm__decoder_kv = {
	.name = "kv",
	.description = "key=value / logfmt lines (app auth logs: user=, src=, result=, …)",
	.probe = kv_probe,
	.decode = kv_decode,
};

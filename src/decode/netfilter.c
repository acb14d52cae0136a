/* mamori — decoder for Linux netfilter/iptables (and nftables `log`) kernel
 * log lines: `[prefix]IN=eth0 OUT=ppp0 MAC=… SRC=192.0.2.1 DST=… LEN=60 …
 * PROTO=TCP SPT=51000 DPT=443 …`, behind any syslog header (RFC 3164, RFC 5424,
 * rsyslog ISO) or none. The syslog decoder reads the header (time, host); the
 * kernel message is key=value words after a free-text log prefix, which says
 * what the rule did (DROP/REJECT/ACCEPT by convention; nf_log_syslog).
 * Pipeline position: framer → this decoder → event → src/net enrichment. */
#include "flow_util.h"

extern const struct mm_decoder mm__decoder_syslog;

#define NF_MAX_EXTRA 8

static bool word_in(struct mm_slice s, const char *w)
{
	size_t wn = strlen(w);
	for (size_t i = 0; i + wn <= s.n; i++) {
		size_t k = 0;
		while (k < wn && (char)(s.p[i + k] & ~0x20) == w[k])
			k++;
		if (k == wn)
			return true;
	}
	return false;
}

/* The prefix is the administrator's free text; these words are the
 * conventions of iptables LOG targets, firewalld, ufw and OpenWrt. */
static const char *prefix_action(struct mm_slice pre)
{
	if (word_in(pre, "DROP") || word_in(pre, "REJECT") || word_in(pre, "DENY") ||
	    word_in(pre, "BLOCK") || (pre.n >= 2 && DEC_AT(pre.p, pre.n, pre.n - 2, "-D")) ||
	    (pre.n >= 3 && DEC_AT(pre.p, pre.n, pre.n - 3, "-D]")))
		return "deny";
	if (word_in(pre, "ACCEPT") || word_in(pre, "ALLOW") || word_in(pre, "PASS") ||
	    (pre.n >= 2 && DEC_AT(pre.p, pre.n, pre.n - 2, "-A")) ||
	    (pre.n >= 3 && DEC_AT(pre.p, pre.n, pre.n - 3, "-A]")))
		return "allow";
	return NULL;
}

static const char *transport(struct mm_slice v)
{
	static const char *const names[][2] = {{"TCP", "tcp"}, {"UDP", "udp"}, {"ICMP", "icmp"},
	                                       {"ICMPv6", "ipv6-icmp"}, {"UDPLITE", "udplite"},
	                                       {"SCTP", "sctp"}, {"GRE", "gre"}, {"ESP", "esp"}};
	for (size_t i = 0; i < MM_ARRAY_LEN(names); i++)
		if (mm_slice_eq_cstr(v, names[i][0]))
			return names[i][1];
	return flow_proto(v);
}

/* Where the netfilter words start: "IN=" at a word start (or glued to a
 * "]" / ":" that ends the prefix). */
static size_t find_in(const char *p, size_t n)
{
	size_t i = 0;
	while ((i = dec_find(p, n, i, "IN=", 3)) < n) {
		if (i == 0 || p[i - 1] == ' ' || p[i - 1] == ']' || p[i - 1] == ':')
			return i;
		i++;
	}
	return n;
}

static enum mm_dec_outcome nf_decode(struct mm_decode_ctx *ctx, const char *p, size_t n,
                                     struct mm_event *ev)
{
	if (!n)
		return MM_DEC_SKIP;
	size_t at = find_in(p, n);
	if (at == n)
		return MM_DEC_BAD_FORMAT;
	/* the header: whatever the syslog decoder makes of the line */
	struct mm_decode_ctx sctx = {.opts = ctx->opts, .arena = ctx->arena, .state = NULL};
	struct mm_slice msg = mm_slice(p, n);
	bool timed = false;
	if (mm__decoder_syslog.decode(&sctx, p, n, ev) == MM_DEC_OK && ev->ts != MM_TS_NONE) {
		timed = true;
		msg = ev->msg;
	}
	/* keep host/time, forget the syslog classification */
	ev->f[MM_F_MESSAGE] = MM_SLICE_NULL;
	ev->product = ev->category = NULL;
	for (int i = 0; i < MM_EVENT_MAX_SERVICES; i++)
		ev->service[i] = NULL;
	if (!timed)
		return MM_DEC_BAD_TIMESTAMP;
	size_t ms = (size_t)(msg.p - p);
	if (at < ms)
		return MM_DEC_BAD_FORMAT;
	/* prefix: after an optional "[ 1234.567890] " uptime, up to IN= */
	size_t ps = ms;
	if (ps < at && p[ps] == '[') {
		size_t k = ps + 1;
		while (k < at && (p[k] == ' ' || dec_digit(p[k]) || p[k] == '.'))
			k++;
		if (k < at && p[k] == ']')
			ps = k + 1;
	}
	while (ps < at && p[ps] == ' ')
		ps++;
	size_t pe = at;
	while (pe > ps && p[pe - 1] == ' ')
		pe--;
	struct mm_slice pre = mm_slice(p + ps, pe - ps);
	struct mm_kv extra[NF_MAX_EXTRA];
	size_t nx = 0;
	if (pre.n) {
		extra[nx].k = MM_SLICE_LIT("netfilter.prefix");
		extra[nx++].v = pre;
		const char *act = prefix_action(pre);
		if (act)
			ev->f[MM_F_EVENT_ACTION] = mm_slice_cstr(act);
	}
	bool have_src = false, have_dst = false;
	size_t i = at;
	while (i < n) {
		while (i < n && p[i] == ' ')
			i++;
		size_t s = i;
		while (i < n && p[i] != ' ')
			i++;
		struct mm_slice w = mm_slice(p + s, i - s);
		const char *eq = memchr(w.p, '=', w.n);
		if (!eq)
			continue; /* flags: DF, SYN, ACK … */
		struct mm_slice k = mm_slice(w.p, (size_t)(eq - w.p));
		struct mm_slice v = mm_slice(eq + 1, w.n - k.n - 1);
		if (mm_slice_eq_cstr(k, "SRC")) {
			if (!dec_is_ip(v.p, v.n))
				return MM_DEC_BAD_FIELD;
			ev->f[MM_F_SOURCE_IP] = v;
			have_src = true;
		} else if (mm_slice_eq_cstr(k, "DST")) {
			if (!dec_is_ip(v.p, v.n))
				return MM_DEC_BAD_FIELD;
			ev->f[MM_F_DESTINATION_IP] = v;
			have_dst = true;
		} else if (mm_slice_eq_cstr(k, "SPT")) {
			ev->f[MM_F_SOURCE_PORT] = v;
		} else if (mm_slice_eq_cstr(k, "DPT")) {
			ev->f[MM_F_DESTINATION_PORT] = v;
		} else if (mm_slice_eq_cstr(k, "PROTO")) {
			const char *t = transport(v);
			ev->f[MM_F_NETWORK_TRANSPORT] = t ? mm_slice_cstr(t) : v;
		} else if (mm_slice_eq_cstr(k, "LEN") && !ev->f[MM_F_SOURCE_BYTES].p) {
			/* the first LEN is the IP packet's: one packet from the source */
			ev->f[MM_F_SOURCE_BYTES] = v;
			ev->f[MM_F_SOURCE_PACKETS] = MM_SLICE_LIT("1");
		} else if (nx < NF_MAX_EXTRA && v.n &&
		           (mm_slice_eq_cstr(k, "IN") || mm_slice_eq_cstr(k, "OUT"))) {
			extra[nx].k = k.n == 2 ? MM_SLICE_LIT("observer.ingress.interface.name")
			                       : MM_SLICE_LIT("observer.egress.interface.name");
			extra[nx++].v = v;
		}
	}
	if (!have_src || !have_dst)
		return MM_DEC_BAD_FORMAT;
	if (!flow_totals(ctx, ev))
		return MM_DEC_BAD_FIELD;
	if (nx) {
		struct mm_kv *x = ctx->arena ? mm_arena_alloc(ctx->arena, nx * sizeof(*x)) : NULL;
		if (x) {
			memcpy(x, extra, nx * sizeof(*x));
			ev->extra = x;
			ev->n_extra = nx;
		}
	}
	if (ev->f[MM_F_HOST_HOSTNAME].p)
		ev->f[MM_F_OBSERVER_NAME] = ev->f[MM_F_HOST_HOSTNAME];
	ev->flags &= ~MM_EV_VERBATIM; /* static strings (action, transport) */
	ev->product = "linux";
	ev->category = "firewall";
	ev->service[0] = "netfilter";
	ev->dataset = "netfilter";
	return MM_DEC_OK;
}

static int nf_probe(const char *p, size_t n)
{
	size_t at = find_in(p, n);
	if (at == n)
		return 0;
	if (DEC_FIND(p, n, at, " SRC=") < n && DEC_FIND(p, n, at, " DST=") < n)
		return 97;
	return 0;
}

const struct mm_decoder mm__decoder_netfilter = {
	.name = "netfilter",
	.description = "Linux netfilter/iptables kernel log lines (IN= OUT= SRC= DST= PROTO= …)",
	.probe = nf_probe,
	.decode = nf_decode,
};

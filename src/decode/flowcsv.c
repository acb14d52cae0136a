/* mamori — decoder for flow records as CSV with a header line: nfdump
 * (`nfdump -o csv`: ts,te,td,sa,da,sp,dp,pr,…,ipkt,ibyt,opkt,obyt), Argus
 * (`ra -c ,` / Stratosphere .binetflow: StartTime,Dur,Proto,SrcAddr,Sport,
 * Dir,DstAddr,Dport,…,TotBytes,SrcBytes) and plain names (src_ip, dst_ip,
 * bytes_out, …). The header decides the columns; mamori.yaml
 * `decoders.flowcsv.map` adds or overrides names. Pipeline position: framer →
 * this decoder (per-input state: the header) → event → src/net enrichment. */
#include "flow_util.h"

#include <stdlib.h>

#define FC_MAX_COLS 64
#define FC_MAX_EXTRA 16

enum fc_act { FA_SKIP, FA_TS, FA_DURATION, FA_FIELD, FA_PROTO, FA_EXTRA };

struct fc_col {
	enum fc_act act;
	int field;
	char *key; /* FA_EXTRA: "flow.<column>" (owned) */
	size_t keyn;
};

struct fc_state {
	bool have_header;
	char delim;
	size_t ncol;
	struct fc_col col[FC_MAX_COLS];
};

static const struct {
	const char *name;
	enum fc_act act;
	int field;
} g_names[] = {
	/* nfdump -o csv */
	{"ts", FA_TS, 0}, {"td", FA_DURATION, 0}, {"sa", FA_FIELD, MM_F_SOURCE_IP},
	{"da", FA_FIELD, MM_F_DESTINATION_IP}, {"sp", FA_FIELD, MM_F_SOURCE_PORT},
	{"dp", FA_FIELD, MM_F_DESTINATION_PORT}, {"pr", FA_PROTO, MM_F_NETWORK_TRANSPORT},
	{"ipkt", FA_FIELD, MM_F_SOURCE_PACKETS}, {"ibyt", FA_FIELD, MM_F_SOURCE_BYTES},
	{"opkt", FA_FIELD, MM_F_DESTINATION_PACKETS}, {"obyt", FA_FIELD, MM_F_DESTINATION_BYTES},
	/* Argus */
	{"starttime", FA_TS, 0}, {"dur", FA_DURATION, 0}, {"proto", FA_PROTO, MM_F_NETWORK_TRANSPORT},
	{"srcaddr", FA_FIELD, MM_F_SOURCE_IP}, {"sport", FA_FIELD, MM_F_SOURCE_PORT},
	{"dstaddr", FA_FIELD, MM_F_DESTINATION_IP}, {"dport", FA_FIELD, MM_F_DESTINATION_PORT},
	{"totpkts", FA_FIELD, MM_F_NETWORK_PACKETS}, {"totbytes", FA_FIELD, MM_F_NETWORK_BYTES},
	{"srcbytes", FA_FIELD, MM_F_SOURCE_BYTES}, {"dstbytes", FA_FIELD, MM_F_DESTINATION_BYTES},
	{"srcpkts", FA_FIELD, MM_F_SOURCE_PACKETS}, {"dstpkts", FA_FIELD, MM_F_DESTINATION_PACKETS},
	/* plain names */
	{"start", FA_TS, 0}, {"timestamp", FA_TS, 0}, {"time", FA_TS, 0},
	{"duration", FA_DURATION, 0}, {"src_ip", FA_FIELD, MM_F_SOURCE_IP},
	{"src", FA_FIELD, MM_F_SOURCE_IP}, {"srcip", FA_FIELD, MM_F_SOURCE_IP},
	{"dst_ip", FA_FIELD, MM_F_DESTINATION_IP}, {"dst", FA_FIELD, MM_F_DESTINATION_IP},
	{"dstip", FA_FIELD, MM_F_DESTINATION_IP}, {"src_port", FA_FIELD, MM_F_SOURCE_PORT},
	{"dst_port", FA_FIELD, MM_F_DESTINATION_PORT}, {"protocol", FA_PROTO, MM_F_NETWORK_TRANSPORT},
	{"bytes_out", FA_FIELD, MM_F_SOURCE_BYTES}, {"bytes_in", FA_FIELD, MM_F_DESTINATION_BYTES},
	{"bytes", FA_FIELD, MM_F_NETWORK_BYTES}, {"packets", FA_FIELD, MM_F_NETWORK_PACKETS},
	{"action", FA_FIELD, MM_F_EVENT_ACTION},
};

static void cols_clear(struct fc_state *st)
{
	for (size_t i = 0; i < FC_MAX_COLS; i++)
		free(st->col[i].key);
	memset(st->col, 0, sizeof(st->col));
	st->ncol = 0;
}

static void *fc_state_new(void)
{
	struct fc_state *st = mm_calloc(1, sizeof(*st));
	st->delim = ',';
	return st;
}

static void fc_state_free(void *p)
{
	struct fc_state *st = p;
	if (!st)
		return;
	cols_clear(st);
	free(st);
}

static struct mm_slice trim(struct mm_slice s)
{
	while (s.n && (s.p[0] == ' ' || s.p[0] == '"'))
		s.p++, s.n--;
	while (s.n && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '"'))
		s.n--;
	return s;
}

/* Known column name? Sets act and field; the configured map first. */
static bool lookup(const struct mm_decode_opts *o, struct mm_slice name, enum fc_act *act,
                   int *field)
{
	if (o && o->csv_map)
		for (size_t i = 0; i < o->ncsv_map; i++)
			if (mm_slice_ieq_cstr(name, o->csv_map[2 * i])) {
				const char *ecs = o->csv_map[2 * i + 1];
				if (!strcmp(ecs, "@timestamp")) {
					*act = FA_TS;
				} else if (!strcmp(ecs, "event.duration")) {
					*act = FA_DURATION;
				} else {
					int id = mm_field_lookup(ecs, strlen(ecs));
					if (id < 0)
						return false;
					*act = id == MM_F_NETWORK_TRANSPORT ? FA_PROTO : FA_FIELD;
					*field = id;
				}
				return true;
			}
	for (size_t i = 0; i < MM_ARRAY_LEN(g_names); i++)
		if (mm_slice_ieq_cstr(name, g_names[i].name)) {
			*act = g_names[i].act;
			*field = g_names[i].field;
			return true;
		}
	return false;
}

/* A header: at least a source and a destination address column known. */
static bool is_header(const struct mm_decode_opts *o, const char *p, size_t n, char delim)
{
	bool src = false, dst = false;
	size_t i = 0;
	while (i <= n) {
		const char *q = i < n ? memchr(p + i, delim, n - i) : NULL;
		size_t e = q ? (size_t)(q - p) : n;
		enum fc_act a;
		int f = 0;
		if (lookup(o, trim(mm_slice(p + i, e - i)), &a, &f) && a == FA_FIELD) {
			src |= f == MM_F_SOURCE_IP;
			dst |= f == MM_F_DESTINATION_IP;
		}
		if (!q)
			break;
		i = e + 1;
	}
	return src && dst;
}

static char guess_delim(const char *p, size_t n)
{
	size_t c = 0, t = 0, s = 0;
	for (size_t i = 0; i < n; i++) {
		c += p[i] == ',';
		t += p[i] == '\t';
		s += p[i] == ';';
	}
	return t > c && t > s ? '\t' : s > c ? ';' : ',';
}

static void set_header(const struct mm_decode_opts *o, struct fc_state *st, const char *p, size_t n)
{
	cols_clear(st);
	st->delim = guess_delim(p, n);
	size_t i = 0;
	while (i <= n && st->ncol < FC_MAX_COLS) {
		const char *q = i < n ? memchr(p + i, st->delim, n - i) : NULL;
		size_t e = q ? (size_t)(q - p) : n;
		struct mm_slice name = trim(mm_slice(p + i, e - i));
		struct fc_col *c = &st->col[st->ncol++];
		if (!lookup(o, name, &c->act, &c->field) && name.n && name.n < 64) {
			c->act = FA_EXTRA;
			c->key = mm_malloc(name.n + 6);
			memcpy(c->key, "flow.", 5);
			for (size_t k = 0; k < name.n; k++)
				c->key[5 + k] = (char)((name.p[k] >= 'A' && name.p[k] <= 'Z') ? name.p[k] | 0x20
				                                                                 : name.p[k]);
			c->key[name.n + 5] = '\0';
			c->keyn = name.n + 5;
		}
		if (!q)
			break;
		i = e + 1;
	}
	st->have_header = true;
}

/* "2026-11-03 10:00:00.123", "2019/04/05 16:15:04.12", or epoch seconds. */
static bool parse_ts(const struct mm_decode_opts *o, struct mm_slice v, int64_t *out)
{
	if (flow_epoch_ns(v, out))
		return true;
	char buf[48];
	if (v.n < 10 || v.n >= sizeof(buf))
		return false;
	memcpy(buf, v.p, v.n);
	if (buf[4] == '/' && buf[7] == '/')
		buf[4] = buf[7] = '-';
	return dec_iso8601(mm_slice(buf, v.n), o ? o->tz : NULL, out);
}

static enum mm_dec_outcome fc_decode(struct mm_decode_ctx *ctx, const char *p, size_t n,
                                     struct mm_event *ev)
{
	struct fc_state *st = ctx->state;
	const struct mm_decode_opts *o = ctx->opts;
	if (!n || p[0] == '#')
		return MM_DEC_SKIP;
	if (is_header(o, p, n, guess_delim(p, n))) {
		if (st)
			set_header(o, st, p, n);
		return MM_DEC_SKIP;
	}
	if (!st || !st->have_header)
		return MM_DEC_BAD_FORMAT; /* a row before any header */
	struct mm_kv extra[FC_MAX_EXTRA];
	size_t nx = 0, c = 0, i = 0;
	bool have_ts = false, bad = false;
	while (c < st->ncol) {
		const char *q = i < n ? memchr(p + i, st->delim, n - i) : NULL;
		size_t e = q ? (size_t)(q - p) : n;
		struct mm_slice v = trim(mm_slice(p + i, e - i));
		const struct fc_col *col = &st->col[c++];
		if (v.n) {
			switch (col->act) {
			case FA_TS:
				if (!have_ts)
					have_ts = parse_ts(o, v, &ev->ts);
				break;
			case FA_DURATION:
				bad |= !flow_duration(ctx, ev, v);
				break;
			case FA_PROTO: {
				const char *t = flow_proto(v);
				if (!t) {
					static const char *const up[] = {"tcp", "udp", "icmp", "gre", "esp"};
					for (size_t k = 0; k < MM_ARRAY_LEN(up) && !t; k++)
						if (mm_slice_ieq_cstr(v, up[k]))
							t = up[k];
				}
				ev->f[col->field] = t ? mm_slice_cstr(t) : v;
				break;
			}
			case FA_FIELD:
				ev->f[col->field] = v;
				break;
			case FA_EXTRA:
				if (nx < FC_MAX_EXTRA) {
					extra[nx].k = mm_slice(col->key, col->keyn);
					extra[nx++].v = v;
				}
				break;
			case FA_SKIP:
				break;
			}
		}
		if (!q)
			break;
		i = e + 1;
	}
	if (c < 3 || !ev->f[MM_F_SOURCE_IP].p || !ev->f[MM_F_DESTINATION_IP].p)
		return MM_DEC_BAD_FORMAT; /* a summary line ("Summary: …") */
	if (!dec_is_ip(ev->f[MM_F_SOURCE_IP].p, ev->f[MM_F_SOURCE_IP].n) ||
	    !dec_is_ip(ev->f[MM_F_DESTINATION_IP].p, ev->f[MM_F_DESTINATION_IP].n))
		return MM_DEC_BAD_FIELD;
	if (!have_ts)
		return MM_DEC_BAD_TIMESTAMP;
	if (bad || !flow_totals(ctx, ev))
		return MM_DEC_BAD_FIELD;
	if (nx) {
		struct mm_kv *x = ctx->arena ? mm_arena_alloc(ctx->arena, nx * sizeof(*x)) : NULL;
		if (x) {
			memcpy(x, extra, nx * sizeof(*x));
			ev->extra = x;
			ev->n_extra = nx;
		}
	}
	ev->category = "network_connection";
	ev->dataset = "flow";
	return MM_DEC_OK;
}

static int fc_probe(const char *p, size_t n)
{
	if (n < 8 || n > 4096 || p[0] == '{' || p[0] == '<')
		return 0;
	return is_header(NULL, p, n, guess_delim(p, n)) ? 90 : 0;
}

const struct mm_decoder mm__decoder_flowcsv = {
	.name = "flowcsv",
	.description = "flow records as CSV with a header (nfdump -o csv, Argus/binetflow, "
	               "src_ip,dst_ip,… ; decoders.flowcsv.map)",
	.probe = fc_probe,
	.decode = fc_decode,
	.state_new = fc_state_new,
	.state_free = fc_state_free,
};

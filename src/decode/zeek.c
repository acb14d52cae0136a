/* mamori — decoder for Zeek logs, conn.log first: the TSV form (the
 * `#separator`/`#fields` header names the columns; Zeek's ASCII writer) and
 * the JSON form (one object per line, LogAscii::use_json). Columns map to ECS
 * (id.orig_h → source.ip, orig_bytes → source.bytes, duration → event.duration
 * in ns, …); the rest become extras `zeek.<column>`. Pipeline position:
 * framer → this decoder (per-input state: the header) → event → src/net
 * enrichment. The TSV path is the hot one (bench/bench_egress.sh): one pass
 * over the line with memchr, no allocation but the batch arena. */
#include "flow_util.h"

#include <stdlib.h>

#define ZK_MAX_COLS 64
#define ZK_UNSET "-"
#define ZK_EMPTY "(empty)"

extern const struct mm_decoder mm__decoder_jsonl;

enum zk_act { ZA_SKIP, ZA_TS, ZA_FIELD, ZA_DURATION, ZA_EXTRA };

struct zk_col {
	enum zk_act act;
	int field;        /* ZA_FIELD */
	const char *key;  /* ZA_EXTRA: "zeek.<column>" (owned by the state) */
	size_t keyn;
};

struct zk_state {
	char sep;
	bool have_header;
	size_t ncol, nextra;
	struct zk_col col[ZK_MAX_COLS];
	char *keys[ZK_MAX_COLS];
	const char *path; /* static: "conn", "dns", "http", "ssl", or "other" */
};

/* Zeek column → ECS field (Zeek's own logs; ECS mapping as in Filebeat's
 * zeek module). */
static const struct {
	const char *col;
	int field;
} g_cols[] = {
	{"id.orig_h", MM_F_SOURCE_IP},        {"id.orig_p", MM_F_SOURCE_PORT},
	{"id.resp_h", MM_F_DESTINATION_IP},   {"id.resp_p", MM_F_DESTINATION_PORT},
	{"proto", MM_F_NETWORK_TRANSPORT},    {"service", MM_F_NETWORK_PROTOCOL},
	{"orig_bytes", MM_F_SOURCE_BYTES},    {"resp_bytes", MM_F_DESTINATION_BYTES},
	{"orig_pkts", MM_F_SOURCE_PACKETS},   {"resp_pkts", MM_F_DESTINATION_PACKETS},
	{"query", MM_F_DESTINATION_DOMAIN},   {"server_name", MM_F_DESTINATION_DOMAIN},
	{"host", MM_F_URL_DOMAIN},            {"uri", MM_F_URL_ORIGINAL},
	{"method", MM_F_HTTP_REQUEST_METHOD}, {"status_code", MM_F_HTTP_RESPONSE_STATUS},
	{"user_agent", MM_F_USER_AGENT_ORIGINAL},
};

/* The conn.log columns of Zeek 3–6, used when a file starts without its
 * header (a cut or rotated excerpt). */
static const char g_default_fields[] =
	"ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\t"
	"orig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\t"
	"orig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents";

static const char *const g_paths[] = {"conn", "dns", "http", "ssl", "files", "notice", "weird",
                                      "ssh", "smtp", "x509", "dhcp"};

static const char *path_static(struct mm_slice s)
{
	for (size_t i = 0; i < MM_ARRAY_LEN(g_paths); i++)
		if (mm_slice_eq_cstr(s, g_paths[i]))
			return g_paths[i];
	return "other";
}

static const char *dataset_of(const char *path)
{
	static const char *const ds[] = {"zeek.conn", "zeek.dns", "zeek.http", "zeek.ssl",
	                                 "zeek.files", "zeek.notice", "zeek.weird", "zeek.ssh",
	                                 "zeek.smtp", "zeek.x509", "zeek.dhcp"};
	for (size_t i = 0; i < MM_ARRAY_LEN(g_paths); i++)
		if (path == g_paths[i])
			return ds[i];
	return "zeek";
}

static void st_clear_cols(struct zk_state *st)
{
	for (size_t i = 0; i < ZK_MAX_COLS; i++) {
		free(st->keys[i]);
		st->keys[i] = NULL;
	}
	memset(st->col, 0, sizeof(st->col));
	st->ncol = st->nextra = 0;
}

static void *zk_state_new(void)
{
	struct zk_state *st = mm_calloc(1, sizeof(*st));
	st->sep = '\t';
	st->path = "conn";
	return st;
}

static void zk_state_free(void *p)
{
	struct zk_state *st = p;
	if (!st)
		return;
	st_clear_cols(st);
	free(st);
}

static void add_col(struct zk_state *st, struct mm_slice name)
{
	if (st->ncol == ZK_MAX_COLS)
		return; /* columns beyond the cap are ignored */
	struct zk_col *c = &st->col[st->ncol];
	memset(c, 0, sizeof(*c));
	if (mm_slice_eq_cstr(name, "ts")) {
		c->act = ZA_TS;
	} else if (mm_slice_eq_cstr(name, "duration")) {
		c->act = ZA_DURATION;
	} else {
		for (size_t i = 0; i < MM_ARRAY_LEN(g_cols); i++)
			if (mm_slice_eq_cstr(name, g_cols[i].col)) {
				c->act = ZA_FIELD;
				c->field = g_cols[i].field;
				break;
			}
		if (c->act == ZA_SKIP && name.n && name.n < 100) {
			char *k = mm_malloc(name.n + 6);
			memcpy(k, "zeek.", 5);
			memcpy(k + 5, name.p, name.n);
			k[name.n + 5] = '\0';
			st->keys[st->ncol] = k;
			c->act = ZA_EXTRA;
			c->key = k;
			c->keyn = name.n + 5;
			st->nextra++;
		}
	}
	st->ncol++;
}

static void set_fields(struct zk_state *st, const char *p, size_t n, char sep)
{
	st_clear_cols(st);
	size_t i = 0;
	while (i <= n) {
		const char *q = i < n ? memchr(p + i, sep, n - i) : NULL;
		size_t e = q ? (size_t)(q - p) : n;
		add_col(st, mm_slice(p + i, e - i));
		if (!q)
			break;
		i = e + 1;
	}
	st->have_header = true;
}

/* "#separator \x09": the only directive separated by a space. */
static char parse_sep(const char *p, size_t n)
{
	if (n == 4 && p[0] == '\\' && p[1] == 'x') {
		int v = 0;
		for (int k = 2; k < 4; k++) {
			char c = (char)(p[k] | 0x20);
			int d = dec_digit(p[k]) ? p[k] - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
			if (d < 0)
				return '\t';
			v = v * 16 + d;
		}
		return v ? (char)v : '\t';
	}
	return n == 1 ? p[0] : '\t';
}

static enum mm_dec_outcome directive(struct zk_state *st, const char *p, size_t n)
{
	if (DEC_AT(p, n, 0, "#separator ")) {
		st->sep = parse_sep(p + 11, n - 11);
	} else if (DEC_AT(p, n, 0, "#fields") && n > 8) {
		set_fields(st, p + 8, n - 8, st->sep);
	} else if (DEC_AT(p, n, 0, "#path") && n > 6) {
		st->path = path_static(mm_slice(p + 6, n - 6));
	}
	return MM_DEC_SKIP;
}

/* Index of the next sep at or after i (n when none): eight bytes at a time
 * (the "has zero byte" test on w ^ sep*0x01…; exact for the lowest match on a
 * little-endian load), the tail byte by byte. */
static inline size_t next_sep(const char *p, size_t i, size_t n, char sep)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
	const uint64_t pat = ones * (uint8_t)sep;
	while (i + 8 <= n) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		uint64_t x = w ^ pat;
		uint64_t t = (x - ones) & ~x & highs;
		if (t)
			return i + ((size_t)__builtin_ctzll(t) >> 3);
		i += 8;
	}
#endif
	while (i < n && p[i] != sep)
		i++;
	return i;
}

static enum mm_dec_outcome decode_tsv(struct mm_decode_ctx *ctx, struct zk_state *st,
                                      const char *p, size_t n, struct mm_event *ev)
{
	if (!st->have_header) {
		set_fields(st, g_default_fields, sizeof(g_default_fields) - 1, '\t');
		st->sep = '\t';
	}
	struct mm_kv *x = NULL;
	size_t nx = 0;
	if (st->nextra) {
		x = ctx->arena ? mm_arena_alloc(ctx->arena, st->nextra * sizeof(*x)) : NULL;
		if (!x && ctx->arena)
			return MM_DEC_LIMIT;
	}
	bool have_ts = false, bad = false;
	size_t i = 0, c = 0;
	const char sep = st->sep;
	while (c < st->ncol) {
		size_t e = next_sep(p, i, n, sep);
		bool last = e >= n;
		struct mm_slice v = mm_slice(p + i, e - i);
		const struct zk_col *col = &st->col[c++];
		bool unset = (v.n == 1 && v.p[0] == '-') || v.n == 0 ||
		             (v.n == 7 && !memcmp(v.p, ZK_EMPTY, 7));
		if (!unset) {
			switch (col->act) {
			case ZA_TS:
				have_ts = flow_epoch_ns(v, &ev->ts);
				break;
			case ZA_FIELD:
				ev->f[col->field] = v;
				break;
			case ZA_DURATION:
				if (!flow_duration(ctx, ev, v))
					bad = true;
				break;
			case ZA_EXTRA:
				if (x) {
					x[nx].k = mm_slice(col->key, col->keyn);
					x[nx++].v = v;
				}
				break;
			case ZA_SKIP:
				break;
			}
		}
		if (last)
			break;
		i = e + 1;
	}
	if (c < 3)
		return MM_DEC_BAD_FORMAT; /* not a row of this header */
	if (!have_ts)
		return MM_DEC_BAD_TIMESTAMP;
	if (nx) {
		ev->extra = x;
		ev->n_extra = nx;
	}
	if (bad || !flow_totals(ctx, ev))
		return MM_DEC_BAD_FIELD;
	ev->product = "zeek";
	ev->service[0] = st->path;
	ev->dataset = dataset_of(st->path);
	if (st->path == g_paths[0])
		ev->category = "network_connection";
	return MM_DEC_OK;
}

/* JSON form: the jsonl decoder parses (and unescapes) the object; Zeek's
 * column names, flattened to extras, are then moved to their ECS fields. */
static enum mm_dec_outcome decode_json(struct mm_decode_ctx *ctx, const char *p, size_t n,
                                       struct mm_event *ev)
{
	enum mm_dec_outcome rc = mm__decoder_jsonl.decode(ctx, p, n, ev);
	if (rc != MM_DEC_OK)
		return rc;
	const char *path = "other";
	size_t k = 0;
	bool bad = false;
	for (size_t i = 0; i < ev->n_extra; i++) {
		struct mm_kv kv = ev->extra[i];
		int field = -1;
		bool drop = false;
		if (mm_slice_eq_cstr(kv.k, "duration")) {
			bad |= !flow_duration(ctx, ev, kv.v);
			drop = true;
		} else if (mm_slice_eq_cstr(kv.k, "_path")) {
			path = path_static(kv.v);
			drop = true;
		} else if (mm_slice_eq_cstr(kv.k, "ts")) {
			drop = true; /* already the event time */
		} else {
			for (size_t j = 0; j < MM_ARRAY_LEN(g_cols); j++)
				if (mm_slice_eq_cstr(kv.k, g_cols[j].col)) {
					field = g_cols[j].field;
					break;
				}
		}
		if (field >= 0) {
			ev->f[field] = kv.v;
			if ((field == MM_F_SOURCE_BYTES || field == MM_F_SOURCE_PACKETS) &&
			    !strcmp(path, "other"))
				path = "conn";
			continue;
		}
		/* conn.log without _path: its own columns say so */
		if (!drop && !strcmp(path, "other") &&
		    (mm_slice_eq_cstr(kv.k, "conn_state") || mm_slice_eq_cstr(kv.k, "history")))
			path = "conn";
		if (!drop) {
			/* Zeek's own names stay under zeek.* as in the TSV form */
			char *key = ctx->arena ? mm_arena_alloc(ctx->arena, kv.k.n + 5) : NULL;
			if (key) {
				memcpy(key, "zeek.", 5);
				memcpy(key + 5, kv.k.p, kv.k.n);
				kv.k = mm_slice(key, kv.k.n + 5);
			}
			ev->extra[k++] = kv;
		}
	}
	ev->n_extra = k;
	if (!k)
		ev->extra = NULL;
	if (ev->ts == MM_TS_NONE)
		return MM_DEC_BAD_TIMESTAMP;
	if (bad || !flow_totals(ctx, ev))
		return MM_DEC_BAD_FIELD;
	ev->flags &= ~MM_EV_VERBATIM;
	ev->product = "zeek";
	ev->service[0] = path;
	ev->dataset = dataset_of(path);
	if (!strcmp(path, "conn"))
		ev->category = "network_connection";
	return MM_DEC_OK;
}

static enum mm_dec_outcome zk_decode(struct mm_decode_ctx *ctx, const char *p, size_t n,
                                     struct mm_event *ev)
{
	struct zk_state local;
	struct zk_state *st = ctx->state;
	if (!n)
		return MM_DEC_SKIP;
	if (p[0] == '{')
		return decode_json(ctx, p, n, ev);
	if (!st) { /* no per-input state (a one-line test): the default header */
		memset(&local, 0, sizeof(local));
		local.sep = '\t';
		local.path = "conn";
		st = &local;
	}
	enum mm_dec_outcome rc = p[0] == '#' ? directive(st, p, n) : decode_tsv(ctx, st, p, n, ev);
	if (st == &local)
		st_clear_cols(&local);
	return rc;
}

/* Header lines are unmistakable; a headerless TSV row is recognised by an
 * epoch time, a Zeek uid ("C" + 17 base62) and many tab-separated columns;
 * a JSON row by Zeek's "id.orig_h" key (above the jsonl decoder's 90). */
static int zk_probe(const char *p, size_t n)
{
	if (DEC_AT(p, n, 0, "#separator") || DEC_AT(p, n, 0, "#fields\t") ||
	    DEC_AT(p, n, 0, "#path\t") || DEC_AT(p, n, 0, "#set_separator") ||
	    DEC_AT(p, n, 0, "#empty_field") || DEC_AT(p, n, 0, "#unset_field") ||
	    DEC_AT(p, n, 0, "#open\t") || DEC_AT(p, n, 0, "#types\t"))
		return 100;
	if (n && p[0] == '{')
		return DEC_FIND(p, n, 0, "\"id.orig_h\"") < n ? 95 : 0;
	size_t tabs = 0, i = 0;
	while (i < n && dec_digit(p[i]))
		i++;
	if (i < 9 || i > 11 || i >= n || (p[i] != '.' && p[i] != '\t'))
		return 0;
	for (size_t k = i; k < n; k++)
		tabs += p[k] == '\t';
	const char *t = memchr(p, '\t', n);
	if (!t || tabs < 8)
		return 0;
	size_t u = (size_t)(t - p) + 1;
	return u < n && p[u] == 'C' ? 80 : 40;
}

const struct mm_decoder mm__decoder_zeek = {
	.name = "zeek",
	.description = "Zeek logs (conn.log and others): TSV with #fields header, or JSON",
	.probe = zk_probe,
	.decode = zk_decode,
	.state_new = zk_state_new,
	.state_free = zk_state_free,
};

/* mamori — unit tests of Sigma correlation rules (src/detect/correlate.c,
 * corr_compile.c, sketch.c): every correlation type, including the examples
 * of the Sigma Correlation Rules Specification (event_count, value_count,
 * temporal, temporal_ordered chain, aliases), window edges, out-of-order and
 * late events, missing group-by fields, HyperLogLog accuracy, eviction, the
 * memory cap and its overflow notice, flat memory on longer input, and
 * deterministic output. */
#include "helpers.h"

#include "mamori/alert.h"

#include <math.h>

/* sketch.c internals (linked from libmamori) */
void mm__hll_add(uint8_t *reg, uint64_t hash);
double mm__hll_estimate(const uint8_t *reg);

#define T0 (INT64_C(1704880800) * MM_NS_PER_SEC) /* 2024-01-10T10:00:00Z */
#define NGOT 512
#define SEC(s) (T0 + (int64_t)(s) * MM_NS_PER_SEC)

struct got {
	char rule[64];
	bool overflow;
	uint64_t count, distinct;
	double value;
	bool approx;
	char group[128];
	int64_t first, last;
	size_t nvalues, nrefs;
	uint64_t refs_total;
	/* evidence lists (accounts, sources) joined with ',' and outcomes */
	char acc[512], src[512];
	size_t nacc, nsrc;
	uint64_t acc_total, src_total;
	bool has_outcomes;
	uint64_t failures, successes;
	char json[8192];
};

struct harness {
	struct mm_ruleset *rs;
	struct mm_detector *det;
	struct mm_correlator *cor;
	struct got *got; /* NGOT, on the heap (ASan stacks are small) */
	size_t n;
	uint64_t line;
	bool json;
};

static void on_res(void *ud, const struct mm_corr_result *r, const struct mm_event *ev)
{
	struct harness *h = ud;
	if (h->n == NGOT)
		return;
	struct got *g = &h->got[h->n++];
	memset(g, 0, sizeof(*g));
	snprintf(g->rule, sizeof(g->rule), "%s", r->rule->id);
	g->overflow = r->overflow;
	g->count = r->count;
	g->distinct = r->distinct;
	g->value = r->value;
	g->approx = r->approx;
	g->first = r->first_ts;
	g->last = r->last_ts;
	g->nvalues = r->nvalues;
	g->nrefs = r->nrefs;
	g->refs_total = r->refs_total;
	g->has_outcomes = r->has_outcomes;
	g->failures = r->failures;
	g->successes = r->successes;
	for (size_t l = 0; l < r->nlists; l++) {
		const struct mm_corr_list *li = &r->lists[l];
		bool acc = !strcmp(li->name, "accounts");
		if (!acc && strcmp(li->name, "sources") != 0)
			continue;
		char *o = acc ? g->acc : g->src;
		*(acc ? &g->nacc : &g->nsrc) = li->n;
		*(acc ? &g->acc_total : &g->src_total) = li->total;
		size_t k = 0;
		for (size_t i = 0; i < li->n && k + 2 < sizeof(g->acc); i++) {
			int w = snprintf(o + k, sizeof(g->acc) - k, "%s%.*s", i ? "," : "",
			                 (int)li->v[i].n, li->v[i].p);
			k += (size_t)w;
		}
	}
	size_t k = 0;
	for (size_t i = 0; i < r->ngroup && k + 2 < sizeof(g->group); i++) {
		int w = snprintf(g->group + k, sizeof(g->group) - k, "%s%.*s", i ? "|" : "",
		                 (int)r->group_vals[i].n, r->group_vals[i].p);
		k += (size_t)w;
	}
	if (h->json) {
		struct mm_alert a;
		struct mm_buf b;
		mm_buf_init(&b, 0);
		mm_alert_init_corr(&a, r, ev, "/src");
		assert_int_equal(mm_alert_to_json(&b, &a, 0), MM_OK);
		snprintf(g->json, sizeof(g->json), "%s", b.p);
		mm_buf_free(&b);
	}
}

static void on_match(void *ud, const struct mm_rule_info *rule, const struct mm_event *ev)
{
	struct harness *h = ud;
	mm_correlate(h->cor, rule, ev, on_res, h);
}

static void h_init(struct harness *h, const char *rules, size_t state_mem, int64_t lateness_s)
{
	memset(h, 0, sizeof(*h));
	h->got = calloc(NGOT, sizeof(*h->got));
	assert_non_null(h->got);
	h->rs = load(rules);
	assert_true(mm_ruleset_corr_count(h->rs) > 0);
	h->det = mm_detector_new(h->rs);
	struct mm_corr_opts o = {state_mem, lateness_s * MM_NS_PER_SEC};
	h->cor = mm_correlator_new(h->rs, &o);
}

static void h_free(struct harness *h)
{
	mm_correlator_free(h->cor);
	mm_detector_free(h->det);
	mm_ruleset_free(h->rs);
	free(h->got);
}

/* One event at second s with "k=v" fields (dictionary names or extra keys). */
static void ev(struct harness *h, int64_t s, ...)
{
	struct tev t;
	tev_init(&t, "linux", NULL, "sshd");
	t.ev.ts = SEC(s);
	t.ev.src_path = "test.log";
	t.ev.line_no = ++h->line;
	t.ev.offset = h->line * 100;
	va_list ap;
	va_start(ap, s);
	const char *kv;
	char keys[16][64];
	size_t nk = 0;
	while ((kv = va_arg(ap, const char *))) {
		const char *eq = strchr(kv, '=');
		assert_non_null(eq);
		assert_true(nk < 16);
		char *k = keys[nk++];
		snprintf(k, 64, "%.*s", (int)(eq - kv), kv);
		int id = mm_field_lookup(k, strlen(k));
		if (id >= 0)
			tev_set(&t, (enum mm_field_id)id, eq + 1);
		else
			tev_extra(&t, k, eq + 1);
	}
	va_end(ap);
	mm_correlator_observe(h->cor, &t.ev);
	mm_detect_event(h->det, &t.ev, on_match, h);
}

#define E(h, s, ...) ev(h, s, __VA_ARGS__, (const char *)NULL)

static const char *FAIL_RULE = "title: failed login\nid: fail\nname: failed_login\n"
                               "detection:\n  s:\n    event.outcome: failure\n  condition: s\n";

static char *cat(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 6;
	char *s = malloc(n);
	snprintf(s, n, "%s---\n%s", a, b);
	return s;
}

/* ---- event_count -------------------------------------------------------- */

static void test_event_count(void **st)
{
	(void)st;
	char *r = cat(FAIL_RULE, "title: brute\nid: bf\ncorrelation:\n  type: event_count\n"
	                         "  rules: [failed_login]\n  group-by: [source.ip]\n"
	                         "  timespan: 5m\n  condition:\n    gte: 3\n");
	struct harness h;
	h_init(&h, r, 0, 60);
	E(&h, 0, "event.outcome=failure", "source.ip=10.0.0.1");
	E(&h, 1, "event.outcome=failure", "source.ip=10.0.0.2");
	E(&h, 2, "event.outcome=failure", "source.ip=10.0.0.1");
	E(&h, 3, "event.outcome=success", "source.ip=10.0.0.1");
	assert_int_equal(h.n, 0);
	E(&h, 4, "event.outcome=failure", "source.ip=10.0.0.1");
	assert_int_equal(h.n, 1);
	assert_string_equal(h.got[0].rule, "bf");
	assert_string_equal(h.got[0].group, "10.0.0.1");
	assert_int_equal(h.got[0].count, 3);
	assert_int_equal(h.got[0].first, SEC(0));
	assert_int_equal(h.got[0].last, SEC(4));
	assert_int_equal(h.got[0].nrefs, 3);
	/* the result consumed the window: three more are needed */
	E(&h, 5, "event.outcome=failure", "source.ip=10.0.0.1");
	E(&h, 6, "event.outcome=failure", "source.ip=10.0.0.1");
	assert_int_equal(h.n, 1);
	E(&h, 7, "event.outcome=failure", "source.ip=10.0.0.1");
	assert_int_equal(h.n, 2);
	/* the base rule feeds a correlation without generate: silent */
	assert_true(mm_ruleset_rule_find(h.rs, "fail")->silent);
	h_free(&h);
	free(r);
}

/* Window edge: timespan is inclusive (last - first <= timespan). */
static void test_window_edge(void **st)
{
	(void)st;
	char *r = cat(FAIL_RULE, "title: two\nid: two\ncorrelation:\n  type: event_count\n"
	                         "  rules: [failed_login]\n  group-by: [source.ip]\n"
	                         "  timespan: 5m\n  condition:\n    gte: 2\n");
	struct harness h;
	h_init(&h, r, 0, 3600);
	E(&h, 0, "event.outcome=failure", "source.ip=a");
	E(&h, 300, "event.outcome=failure", "source.ip=a"); /* exactly at timespan */
	assert_int_equal(h.n, 1);
	E(&h, 1000, "event.outcome=failure", "source.ip=b");
	E(&h, 1301, "event.outcome=failure", "source.ip=b"); /* one second past */
	assert_int_equal(h.n, 1);
	/* sliding, not tumbling: the second b event pairs with the next */
	E(&h, 1302, "event.outcome=failure", "source.ip=b");
	assert_int_equal(h.n, 2);
	assert_int_equal(h.got[1].first, SEC(1301));
	h_free(&h);
	free(r);
}

/* Spec example "Many failed logins": gte 100 per ComputerName in 1h. */
static void test_spec_event_count(void **st)
{
	(void)st;
	char *r = cat("title: f\nid: 5638f7c0-ac70-491d-8465-2a65075e0d86\n"
	              "detection:\n  s:\n    EventID: 4625\n  condition: s\n",
	              "title: Many failed logins\nid: 0e95725d-7320-415d-80f7-004da920fc11\n"
	              "correlation:\n    type: event_count\n    rules:\n"
	              "        - 5638f7c0-ac70-491d-8465-2a65075e0d86\n    group-by:\n"
	              "        - ComputerName\n    timespan: 1h\n    condition:\n        gte: 100\n");
	struct harness h;
	h_init(&h, r, 0, 60);
	for (int i = 0; i < 99; i++)
		E(&h, i * 36, "EventID=4625", "ComputerName=dc1");
	assert_int_equal(h.n, 0);
	E(&h, 99 * 36, "EventID=4625", "ComputerName=dc2");
	assert_int_equal(h.n, 0);
	E(&h, 99 * 36, "EventID=4625", "ComputerName=dc1");
	assert_int_equal(h.n, 1);
	assert_int_equal(h.got[0].count, 100);
	assert_int_equal(h.got[0].refs_total, 100);
	assert_int_equal(h.got[0].nrefs, 10); /* first and last 5 */
	h_free(&h);
	free(r);
}

/* ---- value_count -------------------------------------------------------- */

/* Spec example: failed logons with many different accounts per source and
 * destination (scaled: gte 5 in 1d). */
static void test_spec_value_count(void **st)
{
	(void)st;
	char *r = cat(FAIL_RULE, "title: Failed login\nid: 0e95725d-7320-415d-80f7-004da920fc12\n"
	                         "correlation:\n    type: value_count\n    rules:\n"
	                         "        - failed_login\n    group-by:\n        - ComputerName\n"
	                         "        - WorkstationName\n    timespan: 1d\n    condition:\n"
	                         "        field: User\n        gte: 5\n");
	struct harness h;
	h_init(&h, r, 0, 60);
	const char *users[] = {"User=a", "User=b", "User=a", "User=c", "User=d"};
	for (int i = 0; i < 5; i++)
		E(&h, i * 600, "event.outcome=failure", "ComputerName=srv", "WorkstationName=ws1",
		  users[i]);
	assert_int_equal(h.n, 0); /* 4 distinct */
	E(&h, 4000, "event.outcome=failure", "ComputerName=srv", "WorkstationName=ws2", "User=e");
	assert_int_equal(h.n, 0); /* another group */
	/* values are compared as bytes: "A" is not "a" */
	E(&h, 4001, "event.outcome=failure", "ComputerName=srv", "WorkstationName=ws1", "User=A");
	assert_int_equal(h.n, 1);
	assert_string_equal(h.got[0].group, "srv|ws1");
	assert_int_equal(h.got[0].distinct, 5);
	assert_int_equal(h.got[0].count, 6);
	assert_int_equal(h.got[0].nvalues, 5);
	assert_false(h.got[0].approx);
	h_free(&h);
	free(r);
}

/* Distinct values leave the window: a slow spray below the rate is quiet. */
static void test_value_count_window(void **st)
{
	(void)st;
	char *r = cat(FAIL_RULE, "title: spray\nid: sp\ncorrelation:\n  type: value_count\n"
	                         "  rules: [failed_login]\n  group-by: [source.ip]\n"
	                         "  timespan: 10m\n  condition:\n    field: user.name\n"
	                         "    gt: 3\n");
	struct harness h;
	h_init(&h, r, 0, 60);
	char u[32];
	for (int i = 0; i < 20; i++) {
		snprintf(u, sizeof(u), "user.name=u%d", i);
		E(&h, i * 301, "event.outcome=failure", "source.ip=1.2.3.4", u);
	}
	assert_int_equal(h.n, 0); /* at most 2 within any 10 minutes */
	for (int i = 0; i < 4; i++) {
		snprintf(u, sizeof(u), "user.name=v%d", i);
		E(&h, 10000 + i, "event.outcome=failure", "source.ip=1.2.3.4", u);
	}
	assert_int_equal(h.n, 1);
	assert_int_equal(h.got[0].distinct, 4);
	h_free(&h);
	free(r);
}

/* ---- temporal ----------------------------------------------------------- */

static const char *RECON =
	"title: a\nid: ra\nname: recon_cmd_a\ndetection:\n  s:\n    process.name: whoami\n"
	"  condition: s\n---\n"
	"title: b\nid: rb\nname: recon_cmd_b\ndetection:\n  s:\n    process.name: id\n"
	"  condition: s\n---\n"
	"title: c\nid: rc\nname: recon_cmd_c\ndetection:\n  s:\n    process.name: uname\n"
	"  condition: s\n---\n";

/* Spec example: three recon commands in any order within 5m, same host+user. */
static void test_spec_temporal(void **st)
{
	(void)st;
	char *r = cat(RECON, "title: recon\nid: recon\ncorrelation:\n    type: temporal\n"
	                     "    rules:\n        - recon_cmd_a\n        - recon_cmd_b\n"
	                     "        - recon_cmd_c\n    group-by:\n        - ComputerName\n"
	                     "        - User\n    timespan: 5m\n");
	struct harness h;
	h_init(&h, r, 0, 60);
	E(&h, 0, "process.name=uname", "ComputerName=h1", "User=eve");
	E(&h, 10, "process.name=whoami", "ComputerName=h1", "User=eve");
	E(&h, 20, "process.name=id", "ComputerName=h1", "User=bob"); /* another user */
	assert_int_equal(h.n, 0);
	E(&h, 30, "process.name=id", "ComputerName=h1", "User=eve");
	assert_int_equal(h.n, 1);
	assert_int_equal(h.got[0].count, 3);
	assert_int_equal(h.got[0].first, SEC(0));
	assert_int_equal(h.got[0].last, SEC(30));
	/* too far apart */
	E(&h, 1000, "process.name=uname", "ComputerName=h2", "User=eve");
	E(&h, 1100, "process.name=whoami", "ComputerName=h2", "User=eve");
	E(&h, 1301, "process.name=id", "ComputerName=h2", "User=eve");
	assert_int_equal(h.n, 1);
	h_free(&h);
	free(r);
}

/* Spec example "Failed Logins Followed by Successful Login": a
 * temporal_ordered correlation over an event_count correlation (a chain). */
static void test_spec_chain(void **st)
{
	(void)st;
	const char *r =
		"title: Correlation - Multiple Failed Logins Followed by Successful Login\n"
		"id: b180ead8-d58f-40b2-ae54-c8940995b9b6\nstatus: experimental\n"
		"correlation:\n    type: temporal_ordered\n    rules:\n"
		"        - multiple_failed_login\n        - successful_login\n"
		"    group-by:\n        - User\n    timespan: 10m\nlevel: high\n---\n"
		"title: Multiple failed logons\nid: a8418a5a-5fc4-46b5-b23b-6c73beb19d41\n"
		"name: multiple_failed_login\ncorrelation:\n    type: event_count\n    rules:\n"
		"        - failed_login\n    group-by:\n        - User\n    timespan: 10m\n"
		"    condition:\n        gte: 10\n---\n"
		"title: Single failed login\nid: 53ba33fd-3a50-4468-a5ef-c583635cfa92\n"
		"name: failed_login\nlogsource:\n    product: windows\n    service: security\n"
		"detection:\n    selection:\n        EventID:\n            - 529\n            - 4625\n"
		"    condition: selection\n---\n"
		"title: Successful login\nid: 4d0a2c83-c62c-4ed4-b475-c7e23a9269b8\n"
		"name: successful_login\nlogsource:\n    product: windows\n    service: security\n"
		"detection:\n    selection:\n        EventID:\n            - 528\n            - 4624\n"
		"    condition: selection\n";
	struct harness h;
	h_init(&h, r, 0, 60);
	assert_int_equal(mm_ruleset_corr_count(h.rs), 2);
	/* the inner correlation is referenced without generate: silent */
	assert_true(mm_ruleset_rule_find(h.rs, "multiple_failed_login")->silent);
	assert_false(mm_ruleset_rule_find(h.rs, "b180ead8-d58f-40b2-ae54-c8940995b9b6")->silent);
	struct tev t;
	/* events of product windows: build them by hand */
	for (int i = 0; i < 12; i++) {
		tev_init(&t, "windows", NULL, "security");
		t.ev.ts = SEC(i * 10);
		t.ev.line_no = (uint64_t)i + 1;
		tev_extra(&t, "EventID", i == 0 ? "4624" : (i < 11 ? "4625" : "4624"));
		tev_extra(&t, "User", "carol");
		mm_correlator_observe(h.cor, &t.ev);
		mm_detect_event(h.det, &t.ev, on_match, &h);
	}
	/* success at 0 (before the failures) does not count; 10 failures fire
	 * the inner rule at 100 s, the success at 110 s completes the order */
	assert_int_equal(h.n, 2);
	assert_string_equal(h.got[0].rule, "a8418a5a-5fc4-46b5-b23b-6c73beb19d41");
	assert_string_equal(h.got[1].rule, "b180ead8-d58f-40b2-ae54-c8940995b9b6");
	assert_string_equal(h.got[1].group, "carol");
	assert_int_equal(h.got[1].count, 2);
	assert_int_equal(h.got[1].first, SEC(100));
	assert_int_equal(h.got[1].last, SEC(110));
	h_free(&h);
}

static void test_temporal_ordered_order(void **st)
{
	(void)st;
	char *r = cat(RECON, "title: o\nid: ord\ncorrelation:\n  type: temporal_ordered\n"
	                     "  rules: [recon_cmd_a, recon_cmd_b]\n  group-by: [User]\n"
	                     "  timespan: 1m\n");
	struct harness h;
	h_init(&h, r, 0, 60);
	E(&h, 0, "process.name=id", "User=u");     /* b first: no order yet */
	E(&h, 1, "process.name=whoami", "User=u"); /* a */
	assert_int_equal(h.n, 0);
	E(&h, 2, "process.name=id", "User=u"); /* b after a */
	assert_int_equal(h.n, 1);
	E(&h, 100, "process.name=whoami", "User=u");
	E(&h, 161, "process.name=id", "User=u"); /* 61 s later: too late */
	assert_int_equal(h.n, 1);
	h_free(&h);
	free(r);
}

/* Spec "Field Name Aliases" example: internal_error's destination.ip and
 * new_network_connection's source.ip are the same internal_ip. */
static void test_spec_aliases(void **st)
{
	(void)st;
	const char *r =
		"title: ie\nid: ie\nname: internal_error\ndetection:\n    selection:\n"
		"        http.response.status_code: 500\n    condition: selection\n---\n"
		"title: nc\nid: nc\nname: new_network_connection\ndetection:\n    selection:\n"
		"        event.category: network\n        event.type: connection\n"
		"        event.outcome: success\n    condition: selection\n---\n"
		"title: al\nid: al\ncorrelation:\n    type: temporal\n    rules:\n"
		"        - internal_error\n        - new_network_connection\n    group-by:\n"
		"        - internal_ip\n        - remote_ip\n    timespan: 10s\n    aliases:\n"
		"        internal_ip:\n            internal_error: destination.ip\n"
		"            new_network_connection: source.ip\n        remote_ip:\n"
		"            internal_error: source.ip\n"
		"            new_network_connection: destination.ip\n";
	struct harness h;
	h_init(&h, r, 0, 60);
	E(&h, 0, "http.response.status_code=500", "source.ip=198.51.100.9",
	  "destination.ip=10.0.0.5");
	E(&h, 3, "event.category=network", "event.type=connection", "event.outcome=success",
	  "source.ip=10.0.0.6", "destination.ip=198.51.100.9"); /* another host */
	assert_int_equal(h.n, 0);
	E(&h, 5, "event.category=network", "event.type=connection", "event.outcome=success",
	  "source.ip=10.0.0.5", "destination.ip=198.51.100.9");
	assert_int_equal(h.n, 1);
	assert_string_equal(h.got[0].group, "10.0.0.5|198.51.100.9");
	h_free(&h);
}

/* A temporal correlation over many rules: evidence stays capped. */
static void test_temporal_many_rules(void **st)
{
	(void)st;
	char rules[16384];
	size_t k = 0;
	for (int i = 0; i < 30; i++)
		k += (size_t)snprintf(rules + k, sizeof(rules) - k,
		                      "title: r%d\nid: r%d\nname: n%d\ndetection:\n  s:\n"
		                      "    process.pid: '%d'\n  condition: s\n---\n",
		                      i, i, i, i);
	k += (size_t)snprintf(rules + k, sizeof(rules) - k,
	                      "title: all\nid: all\ncorrelation:\n  type: temporal\n  rules: [");
	for (int i = 0; i < 30; i++)
		k += (size_t)snprintf(rules + k, sizeof(rules) - k, "%sn%d", i ? ", " : "", i);
	snprintf(rules + k, sizeof(rules) - k, "]\n  group-by: [host.hostname]\n  timespan: 1h\n");
	struct harness h;
	h_init(&h, rules, 0, 60);
	char pid[32];
	for (int i = 0; i < 30; i++) {
		snprintf(pid, sizeof(pid), "process.pid=%d", i);
		E(&h, i, pid, "host.hostname=h");
	}
	assert_int_equal(h.n, 1);
	assert_int_equal(h.got[0].count, 30);
	assert_int_equal(h.got[0].refs_total, 30);
	assert_true(h.got[0].nrefs <= 18);
	h_free(&h);
}

/* ---- value_* (Sigma v2.1) ------------------------------------------------ */

static void test_value_metrics(void **st)
{
	(void)st;
	const char *base = "title: up\nid: up\nname: upload\ndetection:\n  s:\n"
	                   "    event.action: upload\n  condition: s\n";
	static const struct {
		const char *type, *cond;
		double want;
		int fire_at; /* index of the event that fires, -1 none */
	} cases[] = {
		{"value_sum", "gt: 1000", 1100, 2},
		{"value_avg", "gte: 400", 500, 0},
		{"value_max", "gt: 600", 700, 2},
		{"value_min", "lt: 200", 100, 3},
		{"value_avg", "gt: 10000", 0, -1},
	};
	for (size_t i = 0; i < MM_ARRAY_LEN(cases); i++) {
		char cr[512];
		snprintf(cr, sizeof(cr),
		         "title: m\nid: m\ncorrelation:\n  type: %s\n  rules: [upload]\n"
		         "  group-by: [user.name]\n  timespan: 1h\n  condition:\n"
		         "    field: source.bytes\n    %s\n",
		         cases[i].type, cases[i].cond);
		char *r = cat(base, cr);
		struct harness h;
		h_init(&h, r, 0, 60);
		int fired = -1;
		const char *vals[] = {"source.bytes=500", "source.bytes=-", "source.bytes=600",
		                      "source.bytes=100"};
		if (!strcmp(cases[i].type, "value_max"))
			vals[2] = "source.bytes=700";
		for (int k = 0; k < 4 && fired < 0; k++) {
			E(&h, k, "event.action=upload", "user.name=x", vals[k]);
			if (h.n)
				fired = k;
		}
		if (fired != cases[i].fire_at)
			fail_msg("%s %s: fired at %d, want %d", cases[i].type, cases[i].cond, fired,
			         cases[i].fire_at);
		if (fired >= 0)
			assert_true(fabs(h.got[0].value - cases[i].want) < 1e-9);
		struct mm_corr_stats cs;
		mm_correlator_rule_stats(h.cor, 0, &cs);
		if (fired != 0 && fired != -1)
			assert_int_equal(cs.missing_field, 1); /* "-" is not a number */
		h_free(&h);
		free(r);
	}
}

/* value_percentile: the share of the window's events with this value. */
static void test_value_percentile(void **st)
{
	(void)st;
	char *r = cat("title: p\nid: p\nname: proc\ndetection:\n  s:\n    process.name|exists: true\n"
	              "  condition: s\n",
	              "title: rare\nid: rare\ncorrelation:\n  type: value_percentile\n"
	              "  rules: [proc]\n  group-by: [host.hostname]\n  timespan: 24h\n"
	              "  condition:\n    field: process.name\n    lte: 5\n");
	struct harness h;
	h_init(&h, r, 0, 60);
	/* 19 common; the 20th event with a new value has 1/20 = 5 % */
	for (int i = 0; i < 19; i++)
		E(&h, i, "process.name=bash", "host.hostname=h");
	assert_int_equal(h.n, 0);
	E(&h, 30, "process.name=nc", "host.hostname=h");
	assert_int_equal(h.n, 1);
	assert_true(fabs(h.got[0].value - 5.0) < 1e-9);
	h_free(&h);
	free(r);
}

/* ---- time ---------------------------------------------------------------- */

static void test_out_of_order(void **st)
{
	(void)st;
	char *r = cat(FAIL_RULE, "title: bf\nid: bf\ncorrelation:\n  type: event_count\n"
	                         "  rules: [failed_login]\n  group-by: [source.ip]\n"
	                         "  timespan: 1m\n  condition:\n    gte: 3\n");
	struct harness h;
	h_init(&h, r, 0, 30); /* lateness 30 s */
	E(&h, 100, "event.outcome=failure", "source.ip=x");
	E(&h, 80, "event.outcome=failure", "source.ip=x"); /* 20 s late: accepted */
	E(&h, 60, "event.outcome=failure", "source.ip=x"); /* 40 s late: beyond */
	assert_int_equal(h.n, 0);
	struct mm_corr_stats cs;
	mm_correlator_rule_stats(h.cor, 0, &cs);
	assert_int_equal(cs.late, 1);
	E(&h, 90, "event.outcome=failure", "source.ip=x");
	assert_int_equal(h.n, 1);
	assert_int_equal(h.got[0].first, SEC(80)); /* sorted window */
	assert_int_equal(h.got[0].last, SEC(100));
	/* a new source (file) has its own watermark */
	mm_correlator_source(h.cor);
	E(&h, 10, "event.outcome=failure", "source.ip=y");
	mm_correlator_rule_stats(h.cor, 0, &cs);
	assert_int_equal(cs.late, 1);
	h_free(&h);
	free(r);
}

static void test_missing_group_field(void **st)
{
	(void)st;
	char *r = cat(FAIL_RULE, "title: bf\nid: bf\ncorrelation:\n  type: event_count\n"
	                         "  rules: [failed_login]\n  group-by: [source.ip, user.name]\n"
	                         "  timespan: 1m\n  condition:\n    gte: 2\n");
	struct harness h;
	h_init(&h, r, 0, 60);
	E(&h, 0, "event.outcome=failure", "source.ip=x");
	E(&h, 1, "event.outcome=failure", "source.ip=x");
	assert_int_equal(h.n, 0);
	struct mm_corr_stats cs;
	mm_correlator_rule_stats(h.cor, 0, &cs);
	assert_int_equal(cs.missing_field, 2);
	assert_int_equal(cs.groups, 0);
	E(&h, 2, "event.outcome=failure", "source.ip=x", "user.name=");
	E(&h, 3, "event.outcome=failure", "source.ip=x", "user.name=");
	assert_int_equal(h.n, 1); /* present but empty is a value */
	h_free(&h);
	free(r);
}

/* ---- sketch ------------------------------------------------------------- */

static void test_hll_accuracy(void **st)
{
	(void)st;
	/* relative standard error 1.04/sqrt(1024) = 3.25 %: allow 4 sigma */
	const unsigned ns[] = {10, 100, 1000, 10000, 100000, 1000000};
	for (size_t i = 0; i < MM_ARRAY_LEN(ns); i++) {
		uint8_t reg[1024];
		memset(reg, 0, sizeof(reg));
		for (unsigned k = 0; k < ns[i]; k++) {
			char b[32];
			int l = snprintf(b, sizeof(b), "user%u", k);
			mm__hll_add(reg, mm_hash64(b, (size_t)l, 7));
		}
		double e = mm__hll_estimate(reg), err = fabs(e - ns[i]) / ns[i];
		if (err > 0.13)
			fail_msg("HLL n=%u estimate %.0f error %.1f%%", ns[i], e, err * 100);
	}
}

static void test_value_count_sketch(void **st)
{
	(void)st;
	char *r = cat(FAIL_RULE, "title: spray\nid: sp\ncorrelation:\n  type: value_count\n"
	                         "  rules: [failed_login]\n  group-by: [source.ip]\n"
	                         "  timespan: 1d\n  condition:\n    field: user.name\n"
	                         "    gte: 5000\n");
	struct harness h;
	h_init(&h, r, 0, 60);
	char u[32];
	unsigned k;
	for (k = 0; k < 8000 && !h.n; k++) {
		snprintf(u, sizeof(u), "user.name=acct%u", k);
		E(&h, k, "event.outcome=failure", "source.ip=203.0.113.1", u);
	}
	assert_int_equal(h.n, 1);
	assert_true(h.got[0].approx);
	/* fired when the estimate reached 5000: the true count within 13 % */
	assert_true(fabs((double)k - 5000.0) / 5000.0 < 0.13);
	/* the result keeps the first 1,024 values (the store gets them all, the
	 * alert JSON lists MM_ALERT_LIST_MAX) */
	assert_int_equal(h.got[0].nvalues, 1024);
	struct mm_corr_stats cs;
	mm_correlator_rule_stats(h.cor, 0, &cs);
	/* two sketches: the distinct set of user.name and the accounts list */
	assert_int_equal(cs.sketches, 2);
	assert_int_equal(h.got[0].nacc, 1024);
	assert_true(fabs((double)h.got[0].acc_total - (double)k) / (double)k < 0.13);
	assert_string_equal(h.got[0].src, "203.0.113.1");
	assert_int_equal(h.got[0].src_total, 1);
	assert_int_equal(h.got[0].failures, k);
	assert_true(cs.folded > 0); /* the window keeps 32 events for evidence */
	assert_int_equal(cs.overflow_alerts, 0);
	h_free(&h);
	free(r);
}


/* ---- evidence lists: accounts, sources, outcomes ----------------------- */

static const char *LOGIN_RULE = "title: login\nid: login\nname: login\n"
                                "detection:\n  s:\n    event.outcome:\n      - failure\n"
                                "      - success\n  condition: s\n";

/* Count occurrences of needle in hay. */
static size_t occurrences(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* A single-source brute force (event_count) lists the accounts it tried,
 * only those of its window, with the failure/success counts. */
static void test_brute_force_lists_accounts(void **st)
{
	(void)st;
	char *r = cat(LOGIN_RULE, "title: brute\nid: bf\ncorrelation:\n  type: event_count\n"
	                          "  rules: [login]\n  group-by: [source.ip]\n"
	                          "  timespan: 5m\n  condition:\n    gte: 10\n");
	struct harness h;
	h_init(&h, r, 0, 60);
	h.json = true;
	E(&h, 0, "event.outcome=failure", "source.ip=10.0.0.1", "user.name=old");
	static const char *const users[] = {"root", "admin", "root",   "oracle", "test",
	                                    "admin", "root", "oracle", "test",   "root"};
	for (int i = 0; i < 10; i++) {
		char u[32];
		snprintf(u, sizeof(u), "user.name=%s", users[i]);
		/* another source in between (9 attempts): not in this group */
		if (i < 9)
			E(&h, 400 + i, "event.outcome=failure", "source.ip=10.0.0.2", "user.name=bob");
		E(&h, 400 + i, i == 4 || i == 7 ? "event.outcome=success" : "event.outcome=failure",
		  "source.ip=10.0.0.1", u);
	}
	assert_int_equal(h.n, 1);
	struct got *g = &h.got[0];
	assert_string_equal(g->group, "10.0.0.1");
	assert_int_equal(g->count, 10);
	/* "old" (t=0) left the window before the burst */
	assert_string_equal(g->acc, "root,admin,oracle,test");
	assert_int_equal(g->nacc, 4);
	assert_int_equal(g->acc_total, 4);
	assert_string_equal(g->src, "10.0.0.1");
	assert_int_equal(g->src_total, 1);
	assert_true(g->has_outcomes);
	assert_int_equal(g->failures, 8);
	assert_int_equal(g->successes, 2);
	assert_false(g->approx);
	assert_non_null(strstr(g->json, "\"accounts\":[\"root\",\"admin\",\"oracle\",\"test\"]"));
	assert_non_null(strstr(g->json, "\"accounts_total\":4"));
	assert_non_null(strstr(g->json, "\"sources\":[\"10.0.0.1\"]"));
	assert_non_null(strstr(g->json, "\"sources_total\":1"));
	assert_non_null(strstr(g->json, "\"failures\":8"));
	assert_non_null(strstr(g->json, "\"successes\":2"));
	/* the existing fields stay */
	assert_non_null(strstr(g->json, "\"count\":10"));
	h_free(&h);
	free(r);
}

/* Spraying over many sources (value_count of user.name, no group-by) lists
 * the sources beside the accounts (correlation.values). */
static void test_spraying_lists_sources(void **st)
{
	(void)st;
	char *r = cat(FAIL_RULE, "title: spray\nid: sp\ncorrelation:\n  type: value_count\n"
	                         "  rules: [failed_login]\n  timespan: 10m\n"
	                         "  condition:\n    field: user.name\n    gte: 6\n");
	struct harness h;
	h_init(&h, r, 0, 60);
	h.json = true;
	for (int i = 0; i < 6; i++) {
		char u[32], ip[48];
		snprintf(u, sizeof(u), "user.name=u%d", i);
		snprintf(ip, sizeof(ip), "source.ip=203.0.113.%d", 1 + i % 3);
		E(&h, i, "event.outcome=failure", ip, u);
	}
	assert_int_equal(h.n, 1);
	struct got *g = &h.got[0];
	assert_int_equal(g->distinct, 6);
	assert_int_equal(g->nvalues, 6);
	assert_string_equal(g->acc, "u0,u1,u2,u3,u4,u5");
	assert_string_equal(g->src, "203.0.113.1,203.0.113.2,203.0.113.3");
	assert_int_equal(g->src_total, 3);
	assert_int_equal(g->failures, 6);
	assert_int_equal(g->successes, 0);
	assert_non_null(strstr(g->json, "\"values_total\":6"));
	assert_non_null(strstr(g->json, "\"sources_total\":3"));
	h_free(&h);
	free(r);
}

/* Past 1,024 distinct values a list keeps the first 1,024, the total comes
 * from the sketch (approximate); the JSON lists MM_ALERT_LIST_MAX. */
static void test_lists_cap(void **st)
{
	(void)st;
	char *r = cat(FAIL_RULE, "title: flood\nid: fl\ncorrelation:\n  type: event_count\n"
	                         "  rules: [failed_login]\n  timespan: 1d\n"
	                         "  condition:\n    gte: 3000\n");
	struct harness h;
	h_init(&h, r, 0, 60);
	h.json = true;
	for (int i = 0; i < 3000; i++) {
		char u[32], ip[48];
		snprintf(u, sizeof(u), "user.name=acct%d", i);
		snprintf(ip, sizeof(ip), "source.ip=10.%d.%d.%d", i >> 16, (i >> 8) & 255, i & 255);
		E(&h, i, "event.outcome=failure", ip, u);
	}
	assert_int_equal(h.n, 1);
	struct got *g = &h.got[0];
	assert_int_equal(g->count, 3000);
	assert_true(g->approx);
	assert_int_equal(g->nacc, 1024);
	assert_int_equal(g->nsrc, 1024);
	assert_true(fabs((double)g->acc_total - 3000.0) / 3000.0 < 0.13);
	assert_true(fabs((double)g->src_total - 3000.0) / 3000.0 < 0.13);
	assert_int_equal(g->failures, 3000);
	/* the JSON line lists 20 of each, then the totals */
	const char *a = strstr(g->json, "\"accounts\":[");
	assert_non_null(a);
	char arr[1024];
	snprintf(arr, sizeof(arr), "%.*s", (int)(strchr(a, ']') - a), a);
	assert_int_equal(occurrences(arr, "\"acct"), MM_ALERT_LIST_MAX);
	char tot[64];
	snprintf(tot, sizeof(tot), "\"accounts_total\":%llu", (unsigned long long)g->acc_total);
	assert_non_null(strstr(g->json, tot));
	struct mm_corr_stats cs;
	mm_correlator_rule_stats(h.cor, 0, &cs);
	assert_int_equal(cs.sketches, 2); /* accounts and sources */
	assert_int_equal(cs.overflow_alerts, 0);
	h_free(&h);
	free(r);
}

/* Under a small --state-mem the lists are refused, not grown: the result
 * is flagged approximate and the cap is announced once. */
static void test_lists_state_mem(void **st)
{
	(void)st;
	char *r = cat(FAIL_RULE, "title: flood\nid: fl\ncorrelation:\n  type: event_count\n"
	                         "  rules: [failed_login]\n  timespan: 1d\n"
	                         "  condition:\n    gte: 2000\n");
	struct harness h;
	h_init(&h, r, 48 * 1024, 60);
	for (int i = 0; i < 2000; i++) {
		char u[80];
		snprintf(u, sizeof(u), "user.name=a-rather-long-account-name-%06d", i);
		E(&h, i, "event.outcome=failure", "source.ip=10.0.0.1", u);
	}
	struct mm_corr_stats cs;
	mm_correlator_stats(h.cor, &cs);
	assert_true(cs.state_bytes_peak <= 48 * 1024);
	assert_true(cs.cap_hits > 0);
	assert_int_equal(cs.overflow_alerts, 1);
	size_t fired = 0;
	for (size_t i = 0; i < h.n; i++)
		if (!h.got[i].overflow) {
			fired++;
			assert_true(h.got[i].approx);
			assert_true(h.got[i].nacc < 1024);
		}
	assert_int_equal(fired, 1);
	h_free(&h);
	free(r);
}

/* A chained correlation carries the inner result's accounts, sources and
 * counts: success after a brute force names every account tried. */
static void test_chain_lists(void **st)
{
	(void)st;
	const char *r = "title: bf then ok\nid: chain\ncorrelation:\n  type: temporal_ordered\n"
	                "  rules: [bf, ok]\n  group-by: [source.ip]\n  timespan: 10m\n---\n"
	                "title: bf\nid: bf\nname: bf\ncorrelation:\n  type: event_count\n"
	                "  rules: [failed_login]\n  group-by: [source.ip]\n  timespan: 10m\n"
	                "  condition:\n    gte: 3\n---\n"
	                "title: failed login\nid: fail\nname: failed_login\n"
	                "detection:\n  s:\n    event.outcome: failure\n  condition: s\n---\n"
	                "title: ok\nid: okid\nname: ok\n"
	                "detection:\n  s:\n    event.outcome: success\n  condition: s\n";
	struct harness h;
	h_init(&h, r, 0, 60);
	E(&h, 0, "event.outcome=failure", "source.ip=10.0.0.9", "user.name=alice");
	E(&h, 1, "event.outcome=failure", "source.ip=10.0.0.9", "user.name=bob");
	E(&h, 2, "event.outcome=failure", "source.ip=10.0.0.9", "user.name=carol");
	E(&h, 3, "event.outcome=success", "source.ip=10.0.0.9", "user.name=carol");
	assert_int_equal(h.n, 2);
	assert_string_equal(h.got[0].rule, "bf");
	assert_string_equal(h.got[1].rule, "chain");
	struct got *g = &h.got[1];
	assert_string_equal(g->acc, "alice,bob,carol");
	assert_int_equal(g->acc_total, 3);
	assert_string_equal(g->src, "10.0.0.9");
	assert_int_equal(g->failures, 3);
	assert_int_equal(g->successes, 1);
	h_free(&h);
}

/* ---- memory ------------------------------------------------------------- */

static const char *BF2 = "title: bf\nid: bf\ncorrelation:\n  type: value_count\n"
                         "  rules: [failed_login]\n  group-by: [source.ip]\n"
                         "  timespan: 1m\n  condition:\n    field: user.name\n    gte: 1000\n";

/* A fixed population of 200 sources, each failing once every 10 s: n rounds. */
static void run_population(struct harness *h, int rounds)
{
	char ip[48], u[32];
	for (int rd = 0; rd < rounds; rd++)
		for (int s = 0; s < 200; s++) {
			snprintf(ip, sizeof(ip), "source.ip=10.1.%d.%d", s / 250, s % 250);
			snprintf(u, sizeof(u), "user.name=u%d", (rd + s) % 7);
			E(h, (int64_t)rd * 10, "event.outcome=failure", ip, u);
		}
}

static void test_memory_flat(void **st)
{
	(void)st;
	char *r = cat(FAIL_RULE, BF2);
	struct mm_corr_stats a, b;
	struct harness h;
	h_init(&h, r, 0, 60);
	run_population(&h, 100);
	mm_correlator_stats(h.cor, &a);
	h_free(&h);
	h_init(&h, r, 0, 60);
	run_population(&h, 1000); /* 10x longer, same keys */
	mm_correlator_stats(h.cor, &b);
	h_free(&h);
	assert_int_equal(a.state_bytes, b.state_bytes);
	assert_int_equal(a.state_bytes_peak, b.state_bytes_peak);
	assert_int_equal(a.groups, 200);
	assert_int_equal(b.groups, 200);
	assert_int_equal(b.fired, 0);
	free(r);
}

static void test_eviction(void **st)
{
	(void)st;
	char *r = cat(FAIL_RULE, BF2);
	struct harness h;
	h_init(&h, r, 0, 0);
	char ip[48];
	for (int i = 0; i < 5000; i++) {
		/* each source once: a new group every second */
		snprintf(ip, sizeof(ip), "source.ip=10.2.%d.%d", i / 250, i % 250);
		E(&h, i, "event.outcome=failure", ip, "user.name=x");
	}
	struct mm_corr_stats cs;
	mm_correlator_stats(h.cor, &cs);
	/* only the groups of the last minute survive */
	assert_true(cs.groups <= 62);
	assert_true(cs.evictions >= 5000 - 62);
	assert_int_equal(cs.cap_hits, 0);
	assert_int_equal(h.n, 0);
	h_free(&h);
	free(r);
}

static void test_cap_overflow(void **st)
{
	(void)st;
	char *r = cat(FAIL_RULE, BF2);
	struct harness h;
	h_init(&h, r, 64 * 1024, 60); /* 64 KiB */
	char ip[48];
	for (int i = 0; i < 3000; i++) {
		snprintf(ip, sizeof(ip), "source.ip=10.3.%d.%d", i / 250, i % 250);
		E(&h, 1, "event.outcome=failure", ip, "user.name=x"); /* all live */
	}
	struct mm_corr_stats cs;
	mm_correlator_stats(h.cor, &cs);
	assert_true(cs.state_bytes <= 64 * 1024);
	assert_true(cs.state_bytes_peak <= 64 * 1024);
	assert_true(cs.cap_hits > 0);
	assert_int_equal(cs.overflow_alerts, 1);
	/* one announcement, naming the rule */
	assert_int_equal(h.n, 1);
	assert_true(h.got[0].overflow);
	assert_string_equal(h.got[0].rule, "bf");
	h_free(&h);
	free(r);
}

/* ---- output ------------------------------------------------------------- */

static void run_mixed(struct harness *h)
{
	char ip[48], u[32];
	for (int i = 0; i < 400; i++) {
		snprintf(ip, sizeof(ip), "source.ip=192.0.2.%d", i % 7);
		snprintf(u, sizeof(u), "user.name=u%d", i % 13);
		E(h, i * 3, "event.outcome=failure", ip, u);
	}
}

static void test_determinism(void **st)
{
	(void)st;
	char *r = cat(FAIL_RULE, "title: spray\nid: sp\ncorrelation:\n  type: value_count\n"
	                         "  rules: [failed_login]\n  group-by: [source.ip]\n"
	                         "  timespan: 5m\n  condition:\n    field: user.name\n"
	                         "    gte: 4\n---\ntitle: bf\nid: bf\ncorrelation:\n"
	                         "  type: event_count\n  rules: [failed_login]\n"
	                         "  group-by: [source.ip]\n  timespan: 2m\n  condition:\n"
	                         "    gte: 5\n");
	static struct harness a, b;
	h_init(&a, r, 0, 60);
	a.json = true;
	run_mixed(&a);
	h_init(&b, r, 0, 60);
	b.json = true;
	run_mixed(&b);
	assert_true(a.n > 10);
	assert_int_equal(a.n, b.n);
	for (size_t i = 0; i < a.n; i++)
		assert_string_equal(a.got[i].json, b.got[i].json);
	/* identities differ between results */
	assert_string_not_equal(a.got[0].json, a.got[1].json);
	assert_non_null(strstr(a.got[0].json, "\"correlation\":{"));
	assert_non_null(strstr(a.got[0].json, "\"evidence\":{\"events\":[{"));
	h_free(&a);
	h_free(&b);
	free(r);
}

static void test_generate(void **st)
{
	(void)st;
	char *r = cat(FAIL_RULE, "title: bf\nid: bf\ngenerate: true\ncorrelation:\n"
	                         "  type: event_count\n  rules: [failed_login]\n"
	                         "  group-by: [source.ip]\n  timespan: 2m\n  condition:\n"
	                         "    gte: 5\n");
	struct mm_ruleset *rs = load(r);
	assert_false(mm_ruleset_rule_find(rs, "fail")->silent);
	mm_ruleset_free(rs);
	free(r);
}

/* ---- loading ------------------------------------------------------------ */

static void expect_status(const char *corr, enum mm_rule_state state, const char *reason_part)
{
	char *r = cat(FAIL_RULE, corr);
	struct mm_ruleset *rs = load(r);
	const struct mm_rule_status *st = mm_ruleset_status_at(rs, mm_ruleset_status_count(rs) - 1);
	if (st->state != state || (reason_part && (!st->reason || !strstr(st->reason, reason_part))))
		fail_msg("%s: got %s '%s'", corr, mm_rule_state_name(st->state),
		         st->reason ? st->reason : "");
	mm_ruleset_free(rs);
	free(r);
}

static void test_load_errors(void **st)
{
	(void)st;
	expect_status("title: x\ncorrelation:\n  type: frob\n  rules: [failed_login]\n"
	              "  timespan: 1m\n",
	              MM_RULE_INVALID, "unknown correlation type 'frob'");
	expect_status("title: x\ncorrelation:\n  type: event_count\n  rules: [nope]\n"
	              "  timespan: 1m\n  condition:\n    gte: 1\n",
	              MM_RULE_INVALID, "rule 'nope' named in 'rules' is not in the ruleset");
	expect_status("title: x\ncorrelation:\n  type: event_count\n  rules: [failed_login]\n"
	              "  timespan: 1 month\n  condition:\n    gte: 1\n",
	              MM_RULE_INVALID, "timespan");
	expect_status("title: x\ncorrelation:\n  type: event_count\n  rules: [failed_login]\n"
	              "  timespan: 1m\n",
	              MM_RULE_INVALID, "needs a 'condition'");
	expect_status("title: x\ncorrelation:\n  type: value_count\n  rules: [failed_login]\n"
	              "  timespan: 1m\n  condition:\n    gte: 2\n",
	              MM_RULE_INVALID, "needs 'field'");
	expect_status("title: x\ncorrelation:\n  type: event_count\n  rules: [failed_login]\n"
	              "  timespan: 1m\n  condition:\n    lt: 2\n",
	              MM_RULE_UNSUPPORTED, "only lt/lte");
	expect_status("title: x\ncorrelation:\n  type: event_count\n  rules: [failed_login]\n"
	              "  timespan: 1m\n  condition:\n    gt: 100\n    lte: 200\n",
	              MM_RULE_LOADED, NULL); /* spec "101 to 200" range */
	expect_status("title: x\nid: x\nname: cx\ncorrelation:\n  type: event_count\n"
	              "  rules: [cy]\n  timespan: 1m\n  condition:\n    gte: 1\n---\n"
	              "title: y\nid: y\nname: cy\ncorrelation:\n  type: event_count\n"
	              "  rules: [cx]\n  timespan: 1m\n  condition:\n    gte: 1\n",
	              MM_RULE_INVALID, "cycle");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_event_count),
		cmocka_unit_test(test_window_edge),
		cmocka_unit_test(test_spec_event_count),
		cmocka_unit_test(test_spec_value_count),
		cmocka_unit_test(test_value_count_window),
		cmocka_unit_test(test_spec_temporal),
		cmocka_unit_test(test_spec_chain),
		cmocka_unit_test(test_temporal_ordered_order),
		cmocka_unit_test(test_spec_aliases),
		cmocka_unit_test(test_temporal_many_rules),
		cmocka_unit_test(test_value_metrics),
		cmocka_unit_test(test_value_percentile),
		cmocka_unit_test(test_out_of_order),
		cmocka_unit_test(test_missing_group_field),
		cmocka_unit_test(test_hll_accuracy),
		cmocka_unit_test(test_value_count_sketch),
		cmocka_unit_test(test_brute_force_lists_accounts),
		cmocka_unit_test(test_spraying_lists_sources),
		cmocka_unit_test(test_lists_cap),
		cmocka_unit_test(test_lists_state_mem),
		cmocka_unit_test(test_chain_lists),
		cmocka_unit_test(test_memory_flat),
		cmocka_unit_test(test_eviction),
		cmocka_unit_test(test_cap_overflow),
		cmocka_unit_test(test_determinism),
		cmocka_unit_test(test_generate),
		cmocka_unit_test(test_load_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* mamori — `mamori mail FILE.eml|DIR|mbox…`: phishing analysis of messages
 * (src/mail/check.c does the work): one JSON verdict per message on stdout,
 * suspicious and phishing verdicts stored as alerts in SQLite like every
 * detector's. Also reads the mail: section of mamori.yaml for `scan` and
 * `mail` (mail_cfg.h); unknown keys are errors, as everywhere in the config. */
#include "mail_cfg.h"

#include "mamori/alert.h"
#include "mamori/input.h"
#include "mamori/store.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static size_t list(const struct mm_config *cfg, const char *path, const char **dst, size_t max)
{
	size_t n = mm_config_list(cfg, path, dst, max);
	if (n > max) {
		fprintf(stderr, "mamori: %s: only the first %zu entries are used\n", path, max);
		n = max;
	}
	return n;
}

int mm_cli_mail_config(const struct mm_config *cfg, struct mm_cli_mail_cfg *m)
{
	static const char *const keys[] = {"own_domains", "local_networks", "bulk_senders",
	                                   "brands",      "ioc_domains",    "ioc_urls",
	                                   "shorteners",  "trusted_authserv", "analyzers",
	                                   "thresholds",  NULL};
	static const char *const an_keys[] = {"enabled",     "bucket_seconds", "relay_min",
	                                      "burst_min",   "burst_domains",  "burst_factor",
	                                      "quiet_rate",  "sasl_streak",    "bounce_min",
	                                      "bounce_ratio", "listed_min",    NULL};
	static const char *const th_keys[] = {"suspicious", "phishing", NULL};
	memset(m, 0, sizeof(*m));
	if (!cfg)
		return 0;
	struct mm_error err;
	mm_error_clear(&err);
	if (mm_config_check_keys(cfg, "mail", keys, &err) ||
	    mm_config_check_keys(cfg, "mail.analyzers", an_keys, &err) ||
	    mm_config_check_keys(cfg, "mail.thresholds", th_keys, &err)) {
		mm_cli_error(&err);
		return -1;
	}
	struct mm_mail_opts *o = &m->an;
	struct mm_mail_check_opts *c = &m->chk;
	o->nown_domains = c->nown_domains = list(cfg, "mail.own_domains", m->own, MM_CLI_MAX_LIST);
	o->own_domains = c->own_domains = m->own;
	o->nbulk_senders = list(cfg, "mail.bulk_senders", m->bulk, MM_CLI_MAX_LIST);
	o->bulk_senders = m->bulk;
	c->nbrands = list(cfg, "mail.brands", m->brands, MM_CLI_MAX_LIST);
	c->brands = m->brands;
	c->nioc_domains = list(cfg, "mail.ioc_domains", m->ioc_domains, 256);
	c->ioc_domains = m->ioc_domains;
	c->nioc_urls = list(cfg, "mail.ioc_urls", m->ioc_urls, 256);
	c->ioc_urls = m->ioc_urls;
	size_t ns = list(cfg, "mail.shorteners", m->shorteners, MM_CLI_MAX_LIST);
	if (ns) {
		c->shorteners = m->shorteners;
		c->nshorteners = ns;
	}
	size_t na = list(cfg, "mail.trusted_authserv", m->authserv, MM_CLI_MAX_LIST);
	if (na) {
		c->trusted_authserv = m->authserv;
		c->ntrusted_authserv = na;
	}
	const char *nets[MM_CLI_MAX_LIST];
	size_t nn = list(cfg, "mail.local_networks", nets, MM_CLI_MAX_LIST);
	for (size_t i = 0; i < nn; i++)
		if (mm_cidr_parse(mm_slice_cstr(nets[i]), &m->nets[i])) {
			fprintf(stderr, "mamori: mail.local_networks: '%s' is not an address or CIDR "
			                "block (e.g. 10.0.0.0/8)\n", nets[i]);
			return -1;
		}
	if (nn) {
		o->local_nets = m->nets;
		o->nlocal_nets = nn;
	}
	const char *en = mm_config_str(cfg, "mail.analyzers.enabled");
	if (en && !strcmp(en, "false"))
		o->disabled = true;
	static const struct {
		const char *k;
		int64_t lo, hi;
	} nums[] = {{"bucket_seconds", 60, 7 * 86400}, {"relay_min", 1, 1000000},
	            {"burst_min", 1, 10000000},       {"burst_domains", 1, 1000000},
	            {"sasl_streak", 1, 1000000},      {"bounce_min", 1, 1000000},
	            {"listed_min", 1, 1000000}};
	for (size_t i = 0; i < MM_ARRAY_LEN(nums); i++) {
		int64_t v;
		int rc = mm_cli_config_int(cfg, "mail.analyzers", nums[i].k, nums[i].lo, nums[i].hi, &v);
		if (rc < 0)
			return -1;
		if (rc == 0)
			continue;
		switch (i) {
		case 0: o->bucket_ns = v * MM_NS_PER_SEC; break;
		case 1: o->relay_min = (uint32_t)v; break;
		case 2: o->burst_min = (uint32_t)v; break;
		case 3: o->burst_domains = (uint32_t)v; break;
		case 4: o->sasl_streak = (uint32_t)v; break;
		case 5: o->bounce_min = (uint32_t)v; break;
		default: o->listed_min = (uint32_t)v; break;
		}
	}
	static const struct {
		const char *k;
		double lo, hi;
	} dbl[] = {{"burst_factor", 1, 1e6}, {"quiet_rate", 0, 1e6}, {"bounce_ratio", 0, 1}};
	for (size_t i = 0; i < MM_ARRAY_LEN(dbl); i++) {
		char path[128];
		snprintf(path, sizeof(path), "mail.analyzers.%s", dbl[i].k);
		const char *v = mm_config_str(cfg, path);
		double d;
		if (!v)
			continue;
		if (mm_slice_to_double(mm_slice_cstr(v), &d) || d <= dbl[i].lo || d > dbl[i].hi) {
			fprintf(stderr, "mamori: %s must be a number above %g and at most %g\n", path,
			        dbl[i].lo, dbl[i].hi);
			return -1;
		}
		if (i == 0)
			o->burst_factor = d;
		else if (i == 1)
			o->quiet_rate = d;
		else
			o->bounce_ratio = d;
	}
	for (int k = 0; k < 2; k++) {
		int64_t v;
		int rc = mm_cli_config_int(cfg, "mail.thresholds", th_keys[k], 1, 1000, &v);
		if (rc < 0)
			return -1;
		if (rc == 0)
			continue;
		if (k)
			c->threshold_phishing = (int)v;
		else
			c->threshold_suspicious = (int)v;
	}
	return 0;
}

/* ---- the command ---------------------------------------------------------- */

static const char g_help[] =
	"usage: mamori mail [options] FILE.eml|DIR|MBOX...\n"
	"\n"
	"Phishing analysis of mail messages. Each message (an .eml file, every file\n"
	"of a directory, or each message of an mbox) is parsed with its MIME parts\n"
	"(charsets such as ISO-2022-JP, Shift_JIS and EUC-JP converted to UTF-8),\n"
	"its URLs are extracted from text and HTML, and signals are scored: IoC\n"
	"hits, lookalikes of your domains (edit distance, homoglyphs, IDN), link\n"
	"text showing another domain, IP-literal hosts, URL shorteners, display-name\n"
	"spoofing, SPF/DKIM/DMARC from Authentication-Results, risky attachments.\n"
	"One JSON object per message is printed (verdict clean|suspicious|phishing,\n"
	"score, reasons, every URL with its own reasons); suspicious and phishing\n"
	"verdicts are stored as alerts in the SQLite store (see docs/mail.md).\n"
	"\n"
	"Options:\n"
	"  -c, --config FILE      mamori.yaml: the mail: section (own_domains, brands,\n"
	"                         ioc_domains, ioc_urls, shorteners, trusted_authserv,\n"
	"                         thresholds)\n"
	"      --own-domain D     your domain (repeatable; adds to the config's)\n"
	"      --brand D          another protected domain, e.g. your bank (repeatable)\n"
	"      --ioc-domain D     known-bad domain (repeatable)\n"
	"      --ioc-url URL      known-bad URL prefix (repeatable)\n"
	"      --text             one line per message instead of JSON\n"
	"      --db FILE          SQLite store (default: mamori.db)\n"
	"      --no-db            do not store alerts\n"
	"      --fail-on LEVEL    exit 1 when a message is at least LEVEL: suspicious,\n"
	"                         phishing\n"
	"  -q, --quiet            no summary on stderr\n"
	"  -h, --help             this help\n"
	"\n"
	"Exit status: 0 done, 1 a verdict at or above --fail-on, 2 usage error,\n"
	"3 some input was unreadable or not a message, 5 the store failed.\n"
	"\n"
	"Example:\n"
	"  mamori mail --own-domain example.co.jp ~/Maildir/new/ --fail-on phishing\n";

enum { OPT_OWN = 256, OPT_BRAND, OPT_IOCD, OPT_IOCU, OPT_TEXT, OPT_DB, OPT_NODB, OPT_FAILON };

static const struct option g_opts[] = {
	{"config", required_argument, NULL, 'c'},   {"own-domain", required_argument, NULL, OPT_OWN},
	{"brand", required_argument, NULL, OPT_BRAND}, {"ioc-domain", required_argument, NULL, OPT_IOCD},
	{"ioc-url", required_argument, NULL, OPT_IOCU}, {"text", no_argument, NULL, OPT_TEXT},
	{"db", required_argument, NULL, OPT_DB},    {"no-db", no_argument, NULL, OPT_NODB},
	{"fail-on", required_argument, NULL, OPT_FAILON}, {"quiet", no_argument, NULL, 'q'},
	{"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0},
};

struct mail_run {
	struct mm_mail_checker *chk;
	struct mm_store *store;
	bool text;
	int fail_level; /* 0 none, 1 suspicious, 2 phishing */
	uint64_t messages, clean, suspicious, phishing, bad_inputs, stored;
	bool failed_level;
	int store_rc;
	struct mm_buf out;
};

static int level_of(const char *v)
{
	return !strcmp(v, "phishing") ? 2 : !strcmp(v, "suspicious") ? 1 : 0;
}

static void store_alert(struct mail_run *r, const char *path, const char *src_key, uint64_t off,
                        uint64_t line, const struct mm_mail_verdict *v)
{
	struct mm_event ev;
	mm_event_clear(&ev);
	char raw[1024];
	int k = snprintf(raw, sizeof(raw), "verdict=%s score=%d from=%s subject=%s reasons=%s",
	                 v->verdict, v->score, v->from ? v->from : "-",
	                 v->subject ? v->subject : "-", v->reasons);
	ev.raw = mm_slice(raw, k < 0 ? 0 : MM_MIN((size_t)k, sizeof(raw) - 1));
	ev.msg = ev.raw;
	ev.ts = v->date != MM_TS_NONE ? v->date : 0;
	ev.product = "mail";
	ev.dataset = "mail.message";
	ev.src_path = path;
	ev.offset = off;
	ev.line_no = line;
	ev.f[MM_F_EVENT_ACTION] = MM_SLICE_LIT("mail_verdict");
	ev.f[MM_F_EVENT_OUTCOME] = mm_slice_cstr(v->verdict);
	ev.f[MM_F_EVENT_REASON] = mm_slice_cstr(v->reasons);
	ev.f[MM_F_EMAIL_FROM_ADDRESS] = mm_slice_cstr(v->from);
	ev.f[MM_F_EMAIL_TO_ADDRESS] = mm_slice_cstr(v->to);
	ev.f[MM_F_EMAIL_SUBJECT] = mm_slice_cstr(v->subject);
	ev.f[MM_F_EMAIL_MESSAGE_ID] = mm_slice_cstr(v->message_id);
	ev.f[MM_F_URL_ORIGINAL] = mm_slice_cstr(v->url);
	ev.f[MM_F_URL_DOMAIN] = mm_slice_cstr(v->url_domain);
	struct mm_alert a;
	mm_alert_init(&a, v->rule, &ev, src_key);
	struct mm_buf j;
	mm_buf_init(&j, 0);
	struct mm_error err;
	mm_error_clear(&err);
	bool fresh = false;
	if (mm_alert_to_json(&j, &a, 0) == MM_OK &&
	    (r->store_rc = mm_store_add_alert(r->store, &a, j.p, j.n, &fresh, &err)) != MM_OK)
		mm_cli_error(&err);
	r->stored += fresh;
	mm_buf_free(&j);
}

static void one_message(struct mail_run *r, const char *path, const char *label,
                        const char *src_key, const char *p, size_t n, uint64_t off,
                        uint64_t line)
{
	struct mm_mail_verdict v;
	struct mm_error err;
	mm_error_clear(&err);
	mm_buf_reset(&r->out);
	if (mm_mail_check(r->chk, label, p, n, &r->out, &v, &err) != MM_OK) {
		r->bad_inputs++;
		mm_cli_error(&err);
		return;
	}
	r->messages++;
	int lv = level_of(v.verdict);
	if (lv == 2)
		r->phishing++;
	else if (lv == 1)
		r->suspicious++;
	else
		r->clean++;
	if (r->fail_level && lv >= r->fail_level)
		r->failed_level = true;
	if (r->text) {
		/* quoted JSON strings: attacker text cannot reach the terminal raw */
		struct mm_buf t;
		mm_buf_init(&t, 0);
		mm_buf_printf(&t, "%-10s %3d  \"", v.verdict, v.score);
		mm_json_escape(&t, label, strlen(label));
		mm_buf_puts(&t, "\"  subject=\"");
		if (v.subject)
			mm_json_escape(&t, v.subject, strlen(v.subject));
		mm_buf_printf(&t, "\"  reasons=%s\n", v.reasons[0] ? v.reasons : "-");
		fwrite(t.p, 1, t.n, stdout);
		mm_buf_free(&t);
	} else {
		mm_buf_putc(&r->out, '\n');
		fwrite(r->out.p, 1, r->out.n, stdout);
	}
	if (r->store && v.rule && !r->store_rc)
		store_alert(r, path, src_key, off, line, &v);
}

/* An mbox (RFC 4155): messages start at lines "From " after a blank line
 * (or at the top); each is checked with its byte offset and line number. */
static void mbox(struct mail_run *r, const char *path, const char *src_key, const char *p,
                 size_t n)
{
	size_t start = (size_t)-1, k = 0;
	uint64_t line = 1, start_line = 0;
	unsigned idx = 0;
	for (size_t i = 0; i <= n; i++) {
		bool at_from = i < n && (i == 0 || (p[i - 1] == '\n')) && n - i >= 5 &&
		               !memcmp(p + i, "From ", 5) && (i < 2 || p[i - 2] == '\n');
		if (at_from || i == n) {
			if (start != (size_t)-1 && i > start) {
				char label[4200];
				snprintf(label, sizeof(label), "%s#%u", path, ++idx);
				one_message(r, path, label, src_key, p + start, i - start, start, start_line);
			}
			if (at_from) {
				const char *nl = memchr(p + i, '\n', n - i);
				start = nl ? (size_t)(nl - p) + 1 : n;
				start_line = line + 1;
			}
		}
		if (i < n && p[i] == '\n')
			line++;
		k++;
	}
	(void)k;
}

static int one_file(void *ud, const char *path)
{
	struct mail_run *r = ud;
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "mamori: %s: %s\n", path, strerror(errno));
		r->bad_inputs++;
		return 0;
	}
	struct mm_buf b;
	mm_buf_init(&b, (size_t)1 << 30);
	char chunk[65536];
	size_t got;
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (mm_buf_append(&b, chunk, got)) {
			fprintf(stderr, "mamori: %s: larger than 1 GiB, skipped\n", path);
			r->bad_inputs++;
			fclose(f);
			mm_buf_free(&b);
			return 0;
		}
	fclose(f);
	char *abs = realpath(path, NULL);
	const char *key = abs ? abs : path;
	if (b.n >= 5 && !memcmp(b.p, "From ", 5))
		mbox(r, path, key, b.p, b.n);
	else
		one_message(r, path, path, key, b.p ? b.p : "", b.n, 0, 1);
	free(abs);
	mm_buf_free(&b);
	return r->store_rc;
}

int mm_cmd_mail(int argc, char **argv)
{
	const char *config = NULL, *db = NULL;
	const char *own[MM_CLI_MAX_LIST], *brand[MM_CLI_MAX_LIST], *iocd[MM_CLI_MAX_LIST],
		*iocu[MM_CLI_MAX_LIST];
	size_t nown = 0, nbrand = 0, niocd = 0, niocu = 0;
	bool no_db = false, quiet = false;
	struct mail_run r;
	memset(&r, 0, sizeof(r));
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "c:qh", g_opts, NULL)) != -1) {
		switch (c) {
		case 'c': config = optarg; break;
		case OPT_OWN:
			if (!mm_cli_push(own, &nown, optarg, "--own-domain"))
				return MM_EXIT_USAGE;
			break;
		case OPT_BRAND:
			if (!mm_cli_push(brand, &nbrand, optarg, "--brand"))
				return MM_EXIT_USAGE;
			break;
		case OPT_IOCD:
			if (!mm_cli_push(iocd, &niocd, optarg, "--ioc-domain"))
				return MM_EXIT_USAGE;
			break;
		case OPT_IOCU:
			if (!mm_cli_push(iocu, &niocu, optarg, "--ioc-url"))
				return MM_EXIT_USAGE;
			break;
		case OPT_TEXT: r.text = true; break;
		case OPT_DB: db = optarg; break;
		case OPT_NODB: no_db = true; break;
		case OPT_FAILON:
			r.fail_level = level_of(optarg);
			if (!r.fail_level) {
				fprintf(stderr, "mamori: --fail-on takes suspicious or phishing\n");
				return MM_EXIT_USAGE;
			}
			break;
		case 'q': quiet = true; break;
		case 'h': fputs(g_help, stdout); return MM_EXIT_OK;
		default: fputs(g_help, stderr); return MM_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fputs("mamori: mail needs FILE.eml, DIR or MBOX (see mamori mail --help)\n", stderr);
		return MM_EXIT_USAGE;
	}
	int rc = MM_EXIT_OK;
	struct mm_config *cfg = NULL;
	struct mm_cli_mail_cfg *mc = mm_calloc(1, sizeof(*mc));
	struct mm_error err;
	mm_error_clear(&err);
	if (config && mm_config_load(&cfg, config, &err)) {
		mm_cli_error(&err);
		rc = MM_EXIT_USAGE;
		goto out;
	}
	if (mm_cli_mail_config(cfg, mc)) {
		rc = MM_EXIT_USAGE;
		goto out;
	}
	/* command-line lists add to the config's */
#define MERGE(arr, narr, cnt, src, nsrc, cap)                                        \
	for (size_t i = 0; i < (nsrc) && (cnt) < (cap); i++)                             \
		(arr)[(cnt)++] = (src)[i];                                               \
	(narr) = (cnt);
	size_t k;
	k = mc->chk.nown_domains;
	MERGE(mc->own, mc->chk.nown_domains, k, own, nown, MM_CLI_MAX_LIST)
	k = mc->chk.nbrands;
	MERGE(mc->brands, mc->chk.nbrands, k, brand, nbrand, MM_CLI_MAX_LIST)
	k = mc->chk.nioc_domains;
	MERGE(mc->ioc_domains, mc->chk.nioc_domains, k, iocd, niocd, 256)
	k = mc->chk.nioc_urls;
	MERGE(mc->ioc_urls, mc->chk.nioc_urls, k, iocu, niocu, 256)
#undef MERGE
	mc->chk.own_domains = mc->own;
	mc->chk.brands = mc->brands;
	mc->chk.ioc_domains = mc->ioc_domains;
	mc->chk.ioc_urls = mc->ioc_urls;
	r.chk = mm_mail_checker_new(&mc->chk, &err);
	if (!r.chk) {
		mm_cli_error(&err);
		rc = MM_EXIT_USAGE;
		goto out;
	}
	if (!no_db) {
		if (mm_store_open(&r.store, db ? db : "mamori.db", &err) ||
		    mm_store_begin(r.store, &err)) {
			mm_cli_error(&err);
			rc = MM_EXIT_STORE;
			goto out;
		}
	}
	mm_buf_init(&r.out, 0);
	if (mm_walk((const char *const *)argv + optind, (size_t)(argc - optind), NULL, one_file, &r,
	            &err) &&
	    !r.store_rc) {
		mm_cli_error(&err);
		r.bad_inputs++;
	}
	if (r.store && !r.store_rc && mm_store_commit(r.store, &err)) {
		mm_cli_error(&err);
		r.store_rc = MM_EDB;
	}
	fflush(stdout);
	if (!quiet)
		fprintf(stderr,
		        "mamori mail: %llu messages: %llu phishing, %llu suspicious, %llu clean; "
		        "%llu inputs not read; %llu alerts stored\n",
		        (unsigned long long)r.messages, (unsigned long long)r.phishing,
		        (unsigned long long)r.suspicious, (unsigned long long)r.clean,
		        (unsigned long long)r.bad_inputs, (unsigned long long)r.stored);
	rc = r.store_rc           ? MM_EXIT_STORE
	     : r.failed_level     ? MM_EXIT_FINDINGS
	     : r.bad_inputs       ? MM_EXIT_INPUT
	                          : MM_EXIT_OK;
out:
	mm_buf_free(&r.out);
	mm_mail_checker_free(r.chk);
	mm_store_close(r.store);
	mm_config_free(cfg);
	free(mc);
	return rc;
}

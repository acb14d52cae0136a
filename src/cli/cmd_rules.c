/* mamori — `mamori rules list|check|test`: rule management. check reports
 * every rule document as loaded / filter / unsupported / invalid with the exact
 * reason (human table or JSON Lines); test runs SigmaHQ-style regression data
 * (info.yml beside sample logs with the expected match count) through the same
 * engine `scan` uses. */
#include "cli.h"

#include "mamori/net.h"

#include "mamori/engine.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char g_help[] =
	"usage: mamori rules list  [--rules PATH]... [--builtin]\n"
	"       mamori rules check [--json] [--all] [PATH]...\n"
	"       mamori rules test  [--rules PATH]... [--builtin] [-v] TESTPATH...\n"
	"\n"
	"list   the loaded rules: id, level, logsource, title (default: the bundled set)\n"
	"check  load rule files or directories (default: the bundled set) and report each\n"
	"       rule as loaded, filter, unsupported or invalid, with the exact reason.\n"
	"       Without --all only rules that did not load are listed, then a summary.\n"
	"       --json prints one JSON object per rule (path, doc, id, title, status,\n"
	"       reason, placeholder) instead; the summary goes to stderr. The summary\n"
	"       also gives the load ratio without the rules refused only for an\n"
	"       unresolved %placeholder% (expand). Exit 1 when any rule did not load.\n"
	"test   run rule regression tests: every info.yml under TESTPATH (SigmaHQ's\n"
	"       regression-data layout) names a rule (rule_metadata[].id) and test files\n"
	"       (regression_tests_info[]: type log, format, path relative to the info.yml,\n"
	"       match_count = exact number of matching events; for a correlation rule,\n"
	"       the number of correlation results; type evtx: a .evtx file or its JSON\n"
	"       rendering beside info.yml (X.json for X.evtx), at least match_count\n"
	"       matches). Exit 1 on any failure.\n"
	"\n"
	"Options:\n"
	"  -r, --rules PATH     rules to load instead of the bundled set (repeatable)\n"
	"      --builtin        load the bundled set as well\n"
	"  -p, --pipeline FILE  extra pySigma processing pipeline (repeatable)\n"
	"      --json           (check) JSON Lines output\n"
	"      --all            (check) list loaded rules too\n"
	"  -v, --verbose        (test) print every test, not only failures\n"
	"  -h, --help           this help\n";

enum { OPT_BUILTIN = 256, OPT_JSON, OPT_ALL };

static const struct option g_opts[] = {
	{"rules", required_argument, NULL, 'r'},
	{"pipeline", required_argument, NULL, 'p'},
	{"builtin", no_argument, NULL, OPT_BUILTIN},
	{"json", no_argument, NULL, OPT_JSON},
	{"all", no_argument, NULL, OPT_ALL},
	{"verbose", no_argument, NULL, 'v'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

static void json_str(struct mm_buf *b, const char *k, const char *v, bool comma)
{
	mm_buf_printf(b, "%s\"%s\":", comma ? "," : "", k);
	if (!v) {
		mm_buf_puts(b, "null");
		return;
	}
	mm_buf_putc(b, '"');
	mm_json_escape(b, v, strlen(v));
	mm_buf_putc(b, '"');
}

static int cmd_list(const struct mm_rule_opts *ro)
{
	struct mm_ruleset *rs = mm_cli_load_rules(ro, true);
	if (!rs)
		return MM_EXIT_RULES;
	for (size_t i = 0; i < mm_ruleset_rule_count(rs); i++) {
		const struct mm_rule_info *r = mm_ruleset_rule_at(rs, i);
		char ls[96];
		snprintf(ls, sizeof(ls), "%s/%s/%s", r->product ? r->product : "*",
		         r->category ? r->category : "*", r->service ? r->service : "*");
		printf("%-36s %-13s %-24s %s%s\n", r->id, r->level, ls, r->title,
		       r->silent ? " (feeds correlations only)" : "");
	}
	for (size_t i = 0; i < mm_ruleset_corr_count(rs); i++) {
		const struct mm_rule_info *r = mm_ruleset_corr_at(rs, i);
		char ls[96];
		snprintf(ls, sizeof(ls), "correlation:%s", r->corr_type);
		printf("%-36s %-13s %-24s %s%s\n", r->id, r->level, ls, r->title,
		       r->silent ? " (feeds correlations only)" : "");
	}
	/* built-in analyzers (docs/internals/CREDSTUFF.md): on unless disabled in
	 * mamori.yaml (analyzers:) */
	for (size_t i = 0; i < mm_analyzer_rule_count(); i++) {
		const struct mm_rule_info *r = mm_analyzer_rule_at(i);
		char ls[96];
		snprintf(ls, sizeof(ls), "analyzer:%s", r->corr_type);
		printf("%-36s %-13s %-24s %s\n", r->id, r->level, ls, r->title);
	}
	/* MTA-log analyzers (docs/mail.md; `mamori mail` verdicts are not scan rules) */
	for (size_t i = 0; i < mm_mail_rule_count(); i++) {
		const struct mm_rule_info *r = mm_mail_rule_at(i);
		if (!strcmp(r->corr_type, "mail_verdict"))
			continue;
		char ls[96];
		snprintf(ls, sizeof(ls), "analyzer:%s", r->corr_type);
		printf("%-36s %-13s %-24s %s\n", r->id, r->level, ls, r->title);
	}
	/* egress analyzers (docs/egress.md): on unless egress.enabled is false */
	for (size_t i = 0; i < mm_net_rule_count(); i++) {
		const struct mm_rule_info *r = mm_net_rule_at(i);
		char ls[96];
		snprintf(ls, sizeof(ls), "analyzer:%s", r->corr_type);
		printf("%-36s %-13s %-24s %s\n", r->id, r->level, ls, r->title);
	}
	mm_ruleset_free(rs);
	return MM_EXIT_OK;
}

static int cmd_check(struct mm_rule_opts *ro, char **paths, int npaths, bool json, bool all)
{
	struct mm_error err;
	mm_error_clear(&err);
	struct mm_ruleset *rs = mm_ruleset_new(!ro->no_pipeline);
	int rc = 0;
	for (size_t i = 0; i < ro->npipelines && !rc; i++)
		rc = mm_ruleset_add_pipeline_file(rs, ro->pipelines[i], &err);
	if (!rc && npaths == 0)
		rc = mm_ruleset_add_builtin(rs, &err);
	for (int i = 0; i < npaths && !rc; i++)
		rc = mm_ruleset_add_path(rs, paths[i], &err);
	if (!rc)
		rc = mm_ruleset_compile(rs, &err);
	if (rc) {
		mm_cli_error(&err);
		mm_ruleset_free(rs);
		return MM_EXIT_RULES;
	}
	size_t count[4] = {0};
	size_t placeholder = 0; /* unsupported only for an unresolved %placeholder% */
	struct mm_buf b;
	mm_buf_init(&b, 0);
	for (size_t i = 0; i < mm_ruleset_status_count(rs); i++) {
		const struct mm_rule_status *s = mm_ruleset_status_at(rs, i);
		if ((unsigned)s->state < 4)
			count[s->state]++;
		/* `expand` without a configured value is a correct refusal (Sigma
		 * spec: placeholders are filled by the user), not a gap: counted
		 * apart so the load ratio of the other rules can be quoted */
		bool ph = s->state == MM_RULE_UNSUPPORTED && s->reason &&
		          strstr(s->reason, "needs placeholder values") != NULL;
		placeholder += ph;
		if (json) {
			mm_buf_reset(&b);
			mm_buf_putc(&b, '{');
			json_str(&b, "path", s->path, false);
			mm_buf_printf(&b, ",\"doc\":%u", s->doc);
			json_str(&b, "id", s->id, true);
			json_str(&b, "title", s->title, true);
			json_str(&b, "status", mm_rule_state_name(s->state), true);
			json_str(&b, "reason", s->reason, true);
			mm_buf_printf(&b, ",\"placeholder\":%s", ph ? "true" : "false");
			mm_buf_puts(&b, "}\n");
			fwrite(b.p, 1, b.n, stdout);
		} else if (all || (s->state != MM_RULE_LOADED && s->state != MM_RULE_FILTER)) {
			printf("%-11s %s%s%s\n", mm_rule_state_name(s->state), s->path,
			       s->reason ? ": " : "", s->reason ? s->reason : "");
		}
	}
	mm_buf_free(&b);
	size_t total = count[0] + count[1] + count[2] + count[3];
	fprintf(json ? stderr : stdout,
	        "%zu rules: %zu loaded, %zu filters, %zu unsupported, %zu invalid "
	        "(%.1f%% of rules loaded)\n",
	        total, count[MM_RULE_LOADED], count[MM_RULE_FILTER], count[MM_RULE_UNSUPPORTED],
	        count[MM_RULE_INVALID],
	        total - count[MM_RULE_FILTER]
	                ? 100.0 * (double)count[MM_RULE_LOADED] /
	                          (double)(total - count[MM_RULE_FILTER])
	                : 100.0);
	size_t nonph = total - count[MM_RULE_FILTER] - placeholder;
	fprintf(json ? stderr : stdout,
	        "%zu unsupported only for unresolved placeholders (expand); without them "
	        "%zu of %zu rules loaded (%.1f%%)\n",
	        placeholder, count[MM_RULE_LOADED], nonph,
	        nonph ? 100.0 * (double)count[MM_RULE_LOADED] / (double)nonph : 100.0);
	struct mm_prefilter_info pi;
	mm_ruleset_prefilter_info(rs, &pi);
	fprintf(json ? stderr : stdout,
	        "prefilter: %zu literals; %zu rules run only when one of their literals occurs, "
	        "%zu rules run on every event of their logsource\n",
	        pi.literals, pi.rules_filtered, pi.rules_always);
	mm_ruleset_free(rs);
	return (count[MM_RULE_UNSUPPORTED] || count[MM_RULE_INVALID]) ? MM_EXIT_FINDINGS
	                                                             : MM_EXIT_OK;
}

/* ---- rules test ---- */

struct test_run {
	struct mm_ruleset *rs;
	bool verbose;
	unsigned passed, failed, skipped;
};

struct counter {
	const char *ids[16];
	size_t nids;
	uint64_t n;
};

static void count_match(void *ud, const struct mm_rule_info *rule, const struct mm_event *ev)
{
	(void)ev;
	struct counter *c = ud;
	for (size_t i = 0; i < c->nids; i++)
		if (!strcmp(rule->id, c->ids[i]) || (rule->name && !strcmp(rule->name, c->ids[i]))) {
			c->n++;
			return;
		}
}

static void report(struct test_run *tr, bool ok, const char *info, const char *name,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void report(struct test_run *tr, bool ok, const char *info, const char *name,
                   const char *fmt, ...)
{
	if (ok)
		tr->passed++;
	else
		tr->failed++;
	if (ok && !tr->verbose)
		return;
	va_list ap;
	va_start(ap, fmt);
	printf("%s %s [%s]: ", ok ? "PASS" : "FAIL", info, name ? name : "?");
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
}

static int run_info(void *ud, const char *path)
{
	struct test_run *tr = ud;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	if (strcmp(base, "info.yml") != 0)
		return 0;
	struct mm_error err;
	mm_error_clear(&err);
	struct mm_config *cfg = NULL;
	if (mm_config_load(&cfg, path, &err)) {
		char buf[1200];
		mm_error_format(&err, buf, sizeof(buf));
		report(tr, false, path, NULL, "cannot read: %s", buf);
		return 0;
	}
	struct counter c;
	memset(&c, 0, sizeof(c));
	size_t nmeta = mm_config_count(cfg, "rule_metadata");
	for (size_t i = 0; i < nmeta && c.nids < 16; i++) {
		char key[64];
		snprintf(key, sizeof(key), "rule_metadata.%zu.id", i);
		const char *id = mm_config_str(cfg, key);
		if (id) {
			c.ids[c.nids++] = id;
			bool analyzer = false; /* built-in analyzers are tested the same way */
			for (size_t k = 0; k < mm_analyzer_rule_count(); k++)
				analyzer |= !strcmp(mm_analyzer_rule_at(k)->id, id);
			analyzer |= mm_mail_rule_find(id) != NULL;
			for (size_t k = 0; k < mm_net_rule_count(); k++)
				analyzer |= !strcmp(mm_net_rule_at(k)->id, id);
			if (!analyzer && !mm_ruleset_rule_find(tr->rs, id)) {
				report(tr, false, path, id, "rule %s is not loaded", id);
				mm_config_free(cfg);
				return 0;
			}
		}
	}
	size_t ntests = mm_config_count(cfg, "regression_tests_info");
	if (c.nids && !ntests) {
		/* SigmaHQ comments out the tests of rules whose sample is missing */
		tr->skipped++;
		printf("SKIP %s [%s]: no regression_tests_info (no test event)\n", path, c.ids[0]);
		mm_config_free(cfg);
		return 0;
	}
	if (!c.nids) {
		report(tr, false, path, NULL, "needs rule_metadata[].id and regression_tests_info[]");
		mm_config_free(cfg);
		return 0;
	}
	size_t dirlen = (size_t)(base - path);
	/* mamori's own key: a mamori.yaml (relative to the info.yml) whose assets:
	 * and egress: sections configure the egress analyzers for these tests */
	struct mm_config *ncfg = NULL;
	const char *cpath = mm_config_str(cfg, "config");
	if (cpath) {
		char full[4096];
		snprintf(full, sizeof(full), "%.*s%s", (int)dirlen, path, cpath);
		if (mm_config_load(&ncfg, full, &err)) {
			report(tr, false, path, "config", "%s", err.msg);
			mm_config_free(cfg);
			return 0;
		}
	}
	for (size_t i = 0; i < ntests; i++) {
		char key[96];
#define FIELD(var, name)                                                          \
	snprintf(key, sizeof(key), "regression_tests_info.%zu." name, i);         \
	const char *var = mm_config_str(cfg, key);
		FIELD(tname, "name")
		FIELD(type, "type")
		FIELD(format, "format")
		FIELD(fpath, "path")
		FIELD(mc, "match_count")
#undef FIELD
		int64_t expect = 1;
		bool evtx = type && !strcmp(type, "evtx");
		/* SigmaHQ's evtx tests often leave match_count out: at least one */
		if (!fpath || (!mc && !evtx) || (mc && mm_slice_to_i64(mm_slice_cstr(mc), &expect))) {
			report(tr, false, path, tname, "needs path and a numeric match_count");
			continue;
		}
		/* type log: a log file, exactly match_count matches. type evtx
		 * (SigmaHQ's regression_data): a .evtx file, or the JSON rendering
		 * of it that sits beside info.yml (X.evtx → X.json); the rule must
		 * match at least match_count times, as SigmaHQ's runner checks. */
		if (type && strcmp(type, "log") != 0 && !evtx) {
			tr->skipped++;
			printf("SKIP %s [%s]: test type '%s' is not supported (only 'log', 'evtx')\n",
			       path, tname ? tname : "?", type);
			continue;
		}
		/* path relative to the info.yml, then as given (SigmaHQ uses
		 * repo-root paths), then its base name beside info.yml; for evtx
		 * also each of those with .json for .evtx */
		const char *fbase = strrchr(fpath, '/');
		fbase = fbase ? fbase + 1 : fpath;
		char *full = NULL;
		for (int cand = 0; cand < 6 && !full; cand++) {
			bool json = cand >= 3;
			if (json && !evtx)
				break;
			const char *f = cand % 3 == 2 ? fbase : fpath;
			size_t fl = strlen(f);
			if (json) {
				if (fl < 5 || strcmp(f + fl - 5, ".evtx") != 0)
					break;
				fl -= 5;
			}
			size_t pre = cand % 3 == 1 ? 0 : dirlen;
			size_t l = pre + fl + 6;
			char *t = mm_malloc(l);
			snprintf(t, l, "%.*s%.*s%s", (int)pre, path, (int)fl, f, json ? ".json" : "");
			FILE *probe = fopen(t, "rb");
			if (probe) {
				fclose(probe);
				full = t;
			} else {
				free(t);
			}
		}
		if (!full) {
			report(tr, false, path, tname, "test file %s not found", fpath);
			continue;
		}
		c.n = 0;
		struct mm_net *net = NULL;
		if (ncfg && mm_net_new(&net, ncfg, NULL, &err)) {
			report(tr, false, path, tname, "config: %s", err.msg);
			free(full);
			continue;
		}
		struct mm_engine_opts eo = {.format = format, .on_alert = count_match, .on_alert_ud = &c,
		                            .net = net};
		struct mm_engine *eng = mm_engine_new(tr->rs, &eo);
		const char *paths[1] = {full};
		int rc = mm_engine_scan(eng, paths, 1, &err);
		struct mm_engine_totals t;
		mm_engine_totals(eng, &t);
		mm_engine_free(eng);
		mm_net_free(net);
		if (rc || t.files_failed || t.files_unknown_format)
			report(tr, false, path, tname, "cannot scan %s", full);
		else
			report(tr, evtx ? (int64_t)c.n >= expect : (int64_t)c.n == expect, path, tname,
			       "%s: %llu matches of %s, expected %s%lld (%llu events, %llu malformed)",
			       full, (unsigned long long)c.n, c.ids[0], evtx ? "at least " : "",
			       (long long)expect,
			       (unsigned long long)t.events, (unsigned long long)t.malformed);
		free(full);
	}
	mm_config_free(ncfg);
	mm_config_free(cfg);
	return 0;
}

static int cmd_test(struct mm_rule_opts *ro, char **paths, int npaths, bool verbose)
{
	if (npaths == 0) {
		fputs("mamori: rules test needs a TESTPATH (e.g. tests/rules)\n", stderr);
		return MM_EXIT_USAGE;
	}
	struct test_run tr = {.verbose = verbose};
	tr.rs = mm_cli_load_rules(ro, true);
	if (!tr.rs)
		return MM_EXIT_RULES;
	struct mm_error err;
	mm_error_clear(&err);
	int rc = mm_walk((const char *const *)paths, (size_t)npaths, "info.yml", run_info, &tr, &err);
	mm_ruleset_free(tr.rs);
	if (rc) {
		mm_cli_error(&err);
		return MM_EXIT_USAGE;
	}
	if (tr.passed + tr.failed == 0) {
		fputs("mamori: no info.yml tests found\n", stderr);
		return MM_EXIT_FINDINGS;
	}
	printf("%u passed, %u failed", tr.passed, tr.failed);
	if (tr.skipped)
		printf(", %u skipped", tr.skipped);
	putchar('\n');
	return tr.failed ? MM_EXIT_FINDINGS : MM_EXIT_OK;
}

int mm_cmd_rules(int argc, char **argv)
{
	struct mm_rule_opts ro;
	memset(&ro, 0, sizeof(ro));
	bool json = false, all = false, verbose = false;
	if (argc < 2) {
		fputs(g_help, stderr);
		return MM_EXIT_USAGE;
	}
	const char *sub = argv[1];
	if (!strcmp(sub, "--help") || !strcmp(sub, "-h") || !strcmp(sub, "help")) {
		fputs(g_help, stdout);
		return MM_EXIT_OK;
	}
	int c;
	optind = 1;
	argc--;
	argv++;
	while ((c = getopt_long(argc, argv, "r:p:vh", g_opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			if (!mm_cli_push(ro.rules, &ro.nrules, optarg, "--rules"))
				return MM_EXIT_USAGE;
			break;
		case 'p':
			if (!mm_cli_push(ro.pipelines, &ro.npipelines, optarg, "--pipeline"))
				return MM_EXIT_USAGE;
			break;
		case OPT_BUILTIN: ro.builtin = true; break;
		case OPT_JSON: json = true; break;
		case OPT_ALL: all = true; break;
		case 'v': verbose = true; break;
		case 'h': fputs(g_help, stdout); return MM_EXIT_OK;
		default: fputs("Try 'mamori rules --help'.\n", stderr); return MM_EXIT_USAGE;
		}
	}
	char **rest = argv + optind;
	int nrest = argc - optind;
	if (!strcmp(sub, "list"))
		return cmd_list(&ro);
	if (!strcmp(sub, "check"))
		return cmd_check(&ro, rest, nrest, json, all);
	if (!strcmp(sub, "test"))
		return cmd_test(&ro, rest, nrest, verbose);
	fprintf(stderr, "mamori: unknown 'rules' command '%s' (list, check, test)\n", sub);
	return MM_EXIT_USAGE;
}

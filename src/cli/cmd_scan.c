/* mamori — `mamori scan`: batch detection over files, directories, .gz and
 * stdin. Reads options (and the scan: section of -c mamori.yaml), loads the
 * rules, drives the engine, prints the run summary on stderr. */
#include "cli.h"
#include "mail_cfg.h"

#include "mamori/engine.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char g_help[] =
	"usage: mamori scan [options] PATH...\n"
	"\n"
	"Scan log files (plain or .gz), directories (recursively) or '-' (stdin)\n"
	"with Sigma rules. Alerts go to stdout as JSON Lines and into the SQLite\n"
	"store; a run summary goes to stderr.\n"
	"\n"
	"Options:\n"
	"  -r, --rules PATH        rule file or directory (repeatable); default: the\n"
	"                          bundled ruleset\n"
	"      --builtin           also load the bundled ruleset when --rules is given\n"
	"  -p, --pipeline FILE     pySigma processing pipeline (field mapping,\n"
	"                          expand placeholder vars), repeatable\n"
	"      --no-default-pipeline  do not load the bundled Sigma-taxonomy → ECS mapping\n"
	"  -f, --format NAME       force the log format (see 'mamori formats');\n"
	"                          default: detected per file from its first lines\n"
	"  -o, --out FILE          write alerts to FILE instead of stdout ('-' = stdout)\n"
	"      --text              alerts as one readable line each instead of JSON\n"
	"      --db FILE           SQLite store (default: mamori.db)\n"
	"      --no-db             do not store alerts\n"
	"      --year YYYY         year for timestamps without one (default: from the\n"
	"                          file's modification time)\n"
	"      --tz ZONE           zone of timestamps without an offset: local (default),\n"
	"                          UTC, +09:00, or an IANA name such as Asia/Tokyo\n"
	"      --glob PATTERN      in directories, only files whose name matches\n"
	"                          (e.g. '*.log*')\n"
	"      --max-line BYTES    cut longer lines (counted; default 65536)\n"
	"      --raw-max BYTES     cap of evidence.raw in alerts (default 4096)\n"
	"      --state-mem SIZE    cap on correlation state (bytes, or with K, M, G;\n"
	"                          default 256M); reaching it is counted and announced\n"
	"                          by a 'state overflow' alert naming the rule\n"
	"      --lateness SECONDS  events this much older than the newest of their file\n"
	"                          still correlate; older ones are counted as late\n"
	"                          (default 60)\n"
	"      --events FILE       also write every decoded event as JSON Lines\n"
	"      --progress          show progress on stderr (default: when a TTY)\n"
	"      --no-progress       never show progress\n"
	"      --summary-json FILE write the run summary as JSON\n"
	"  -q, --quiet             no summary on stderr\n"
	"  -c, --config FILE       read defaults from FILE (section 'scan:'; also\n"
	"                          'assets:' and 'egress:' for the network egress\n"
	"                          analyzers, docs/egress.md)\n"
	"  -h, --help              this help\n"
	"\n"
	"Exit status: 0 done (with or without alerts), 2 usage or configuration error,\n"
	"3 some input could not be read (the rest was scanned), 4 rules could not be\n"
	"loaded, 5 the store or the output failed.\n"
	"\n"
	"Example:\n"
	"  mamori scan /var/log/nginx/access.log* /var/log/auth.log --db mamori.db > alerts.jsonl\n";

enum {
	OPT_DB = 256, OPT_NODB, OPT_YEAR, OPT_TZ, OPT_GLOB, OPT_MAXLINE, OPT_RAWMAX, OPT_EVENTS,
	OPT_PROGRESS, OPT_NOPROGRESS, OPT_SUMMARY, OPT_BUILTIN, OPT_NOPIPE, OPT_TEXT,
	OPT_STATEMEM, OPT_LATENESS,
};

static const struct option g_opts[] = {
	{"rules", required_argument, NULL, 'r'},
	{"builtin", no_argument, NULL, OPT_BUILTIN},
	{"pipeline", required_argument, NULL, 'p'},
	{"no-default-pipeline", no_argument, NULL, OPT_NOPIPE},
	{"format", required_argument, NULL, 'f'},
	{"out", required_argument, NULL, 'o'},
	{"text", no_argument, NULL, OPT_TEXT},
	{"db", required_argument, NULL, OPT_DB},
	{"no-db", no_argument, NULL, OPT_NODB},
	{"year", required_argument, NULL, OPT_YEAR},
	{"tz", required_argument, NULL, OPT_TZ},
	{"glob", required_argument, NULL, OPT_GLOB},
	{"max-line", required_argument, NULL, OPT_MAXLINE},
	{"raw-max", required_argument, NULL, OPT_RAWMAX},
	{"events", required_argument, NULL, OPT_EVENTS},
	{"state-mem", required_argument, NULL, OPT_STATEMEM},
	{"lateness", required_argument, NULL, OPT_LATENESS},
	{"progress", no_argument, NULL, OPT_PROGRESS},
	{"no-progress", no_argument, NULL, OPT_NOPROGRESS},
	{"summary-json", required_argument, NULL, OPT_SUMMARY},
	{"quiet", no_argument, NULL, 'q'},
	{"config", required_argument, NULL, 'c'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

static bool parse_size(const char *s, const char *what, size_t lo, size_t hi, size_t *out)
{
	int64_t v;
	if (mm_slice_to_i64(mm_slice_cstr(s), &v) || v < (int64_t)lo || (uint64_t)v > hi) {
		fprintf(stderr, "mamori: %s must be a number from %zu to %zu\n", what, lo, hi);
		return false;
	}
	*out = (size_t)v;
	return true;
}

/* "256M", "1G", "65536": bytes, with an optional K/M/G (binary) suffix. */
static bool parse_mem(const char *s, size_t *out)
{
	size_t n = strlen(s);
	uint64_t mul = 1;
	if (n && (s[n - 1] == 'K' || s[n - 1] == 'k'))
		mul = 1024;
	else if (n && (s[n - 1] == 'M' || s[n - 1] == 'm'))
		mul = 1024 * 1024;
	else if (n && (s[n - 1] == 'G' || s[n - 1] == 'g'))
		mul = 1024 * 1024 * 1024;
	int64_t v;
	if (mm_slice_to_i64(mm_slice(s, mul > 1 ? n - 1 : n), &v) || v < 1 ||
	    (uint64_t)v > (UINT64_C(1) << 40) / mul || (uint64_t)v * mul < 64 * 1024) {
		fprintf(stderr, "mamori: --state-mem must be a size from 64K to 1024G (e.g. 256M)\n");
		return false;
	}
	*out = (size_t)((uint64_t)v * mul);
	return true;
}

struct scan_args {
	struct mm_rule_opts rules;
	const char *format, *out, *db, *tz, *glob, *events, *summary_json, *config;
	bool no_db, quiet, text;
	int progress; /* -1 auto */
	size_t year, max_line, raw_max, state_mem, lateness;
	bool lateness_set;
	/* auth: / decoders: / analyzers: sections of the config */
	const char *login_paths[MM_CLI_MAX_LIST];
	size_t nlogin_paths;
	bool login_paths_set, no_login_enrich;
	int fail_status[MM_CLI_MAX_LIST], ok_status[MM_CLI_MAX_LIST];
	size_t nfail_status, nok_status;
	const char *kv_map[2 * MM_CLI_MAX_LIST];
	size_t nkv_map;
	const char *csv_map[2 * MM_CLI_MAX_LIST];
	size_t ncsv_map;
	struct mm_credstuff_opts cs;
	struct mm_cli_mail_cfg mail; /* mail: section (docs/mail.md) */
};

/* auth:, decoders.kv.map and analyzers.credential_stuffing (docs/rules.md
 * "Login events", docs/internals/CREDSTUFF.md). */
static int apply_auth_config(struct scan_args *a, const struct mm_config *cfg)
{
	static const char *const auth_keys[] = {"login_paths", "failure_status", "success_status",
	                                        "enrich", NULL};
	static const char *const dec_keys[] = {"kv", "flowcsv", NULL};
	static const char *const kv_keys[] = {"map", NULL};
	static const char *const an_keys[] = {"credential_stuffing", NULL};
	static const char *const cs_keys[] = {"enabled",      "window_seconds",    "min_sources",
	                                      "min_accounts", "min_failure_ratio", "min_source_ratio",
	                                      "spread_accounts", NULL};
	struct mm_error err;
	mm_error_clear(&err);
	if (mm_config_check_keys(cfg, "auth", auth_keys, &err) ||
	    mm_config_check_keys(cfg, "decoders", dec_keys, &err) ||
	    mm_config_check_keys(cfg, "decoders.kv", kv_keys, &err) ||
	    mm_config_check_keys(cfg, "decoders.flowcsv", kv_keys, &err) ||
	    mm_config_check_keys(cfg, "analyzers", an_keys, &err) ||
	    mm_config_check_keys(cfg, "analyzers.credential_stuffing", cs_keys, &err)) {
		mm_cli_error(&err);
		return -1;
	}
	if (mm_config_count(cfg, "auth.login_paths")) {
		a->nlogin_paths = mm_config_list(cfg, "auth.login_paths", a->login_paths, MM_CLI_MAX_LIST);
		if (a->nlogin_paths > MM_CLI_MAX_LIST)
			a->nlogin_paths = MM_CLI_MAX_LIST;
		a->login_paths_set = true;
	}
	const char *st_keys[2] = {"auth.failure_status", "auth.success_status"};
	for (int k = 0; k < 2; k++) {
		const char *items[MM_CLI_MAX_LIST];
		size_t n = mm_config_list(cfg, st_keys[k], items, MM_CLI_MAX_LIST);
		int *dst = k ? a->ok_status : a->fail_status;
		size_t *dn = k ? &a->nok_status : &a->nfail_status;
		for (size_t i = 0; i < n && i < MM_CLI_MAX_LIST; i++) {
			int64_t v;
			if (mm_slice_to_i64(mm_slice_cstr(items[i]), &v) || v < 100 || v > 999) {
				fprintf(stderr, "mamori: %s: '%s' is not an HTTP status (100-999)\n",
				        st_keys[k], items[i]);
				return -1;
			}
			dst[(*dn)++] = (int)v;
		}
	}
	const char *en = mm_config_str(cfg, "auth.enrich");
	if (en && !strcmp(en, "false"))
		a->no_login_enrich = true;
	/* decoders.kv.map / decoders.flowcsv.map: {key: ecs.field, ...} */
	for (int d = 0; d < 2; d++) {
		const char *sec = d ? "decoders.flowcsv.map" : "decoders.kv.map";
		const char **dst = d ? a->csv_map : a->kv_map;
		size_t *nd = d ? &a->ncsv_map : &a->nkv_map;
		if (!mm_config_count(cfg, sec))
			continue;
		const char *ks[MM_CLI_MAX_LIST];
		size_t nk = mm_config_keys(cfg, sec, ks, MM_CLI_MAX_LIST);
		for (size_t i = 0; i < nk && i < MM_CLI_MAX_LIST; i++) {
			char path[256];
			snprintf(path, sizeof(path), "%s.%s", sec, ks[i]);
			const char *v = mm_config_str(cfg, path);
			if (!v || (mm_field_lookup(v, strlen(v)) < 0 &&
			           !(d && (!strcmp(v, "@timestamp") || !strcmp(v, "event.duration"))))) {
				fprintf(stderr,
				        "mamori: %s.%s: '%s' is not an ECS field mamori knows "
				        "(see include/mamori/fields.def)\n",
				        sec, ks[i], v ? v : "");
				return -1;
			}
			dst[2 * *nd] = ks[i];
			dst[2 * *nd + 1] = v;
			(*nd)++;
		}
	}
	const char *cs = "analyzers.credential_stuffing";
	const char *on = mm_config_str(cfg, "analyzers.credential_stuffing.enabled");
	if (on && !strcmp(on, "false"))
		a->cs.disabled = true;
	struct {
		const char *k;
		int64_t lo, hi;
	} nums[] = {{"window_seconds", 60, 7 * 86400}, {"min_sources", 2, 1000000},
	            {"min_accounts", 1, 1000000}, {"spread_accounts", 1, 1000}};
	for (size_t i = 0; i < MM_ARRAY_LEN(nums); i++) {
		int64_t v;
		int rc = mm_cli_config_int(cfg, cs, nums[i].k, nums[i].lo, nums[i].hi, &v);
		if (rc < 0)
			return -1;
		if (rc == 0)
			continue;
		if (i == 0)
			a->cs.window_ns = v * MM_NS_PER_SEC;
		else if (i == 1)
			a->cs.min_sources = (uint32_t)v;
		else if (i == 2)
			a->cs.min_accounts = (uint32_t)v;
		else
			a->cs.spread_accounts = (uint32_t)v;
	}
	const char *rk[2] = {"min_failure_ratio", "min_source_ratio"};
	for (int k = 0; k < 2; k++) {
		char path[128];
		snprintf(path, sizeof(path), "%s.%s", cs, rk[k]);
		const char *v = mm_config_str(cfg, path);
		double d;
		if (!v)
			continue;
		if (mm_slice_to_double(mm_slice_cstr(v), &d) || d <= 0 || d > 1) {
			fprintf(stderr, "mamori: %s must be a ratio in (0, 1]\n", path);
			return -1;
		}
		if (k)
			a->cs.min_source_ratio = d;
		else
			a->cs.min_failure_ratio = d;
	}
	return 0;
}

/* Fill unset options from the config's scan: section. */
static int apply_config(struct scan_args *a, struct mm_config **cfgp)
{
	static const char *const keys[] = {"rules", "pipelines", "builtin", "format", "db",
	                                   "tz", "year", "glob", "max_line", "raw_max", NULL};
	static const char *const top[] = {"scan", "loss", "incident", "auth", "decoders",
	                                   "analyzers", "mail", "assets", "egress", NULL};
	struct mm_error err;
	struct mm_config *cfg = NULL;
	mm_error_clear(&err);
	if (mm_config_load(&cfg, a->config, &err) || mm_config_check_keys(cfg, "", top, &err) ||
	    mm_config_check_keys(cfg, "scan", keys, &err)) {
		mm_cli_error(&err);
		mm_config_free(cfg);
		return -1;
	}
	*cfgp = cfg; /* strings borrowed from it stay valid until the end */
	if (apply_auth_config(a, cfg) || mm_cli_mail_config(cfg, &a->mail))
		return -1;
	if (!a->rules.nrules) {
		a->rules.nrules = mm_config_list(cfg, "scan.rules", a->rules.rules, MM_CLI_MAX_LIST);
		if (a->rules.nrules > MM_CLI_MAX_LIST)
			a->rules.nrules = MM_CLI_MAX_LIST;
	}
	if (!a->rules.npipelines) {
		a->rules.npipelines =
			mm_config_list(cfg, "scan.pipelines", a->rules.pipelines, MM_CLI_MAX_LIST);
		if (a->rules.npipelines > MM_CLI_MAX_LIST)
			a->rules.npipelines = MM_CLI_MAX_LIST;
	}
	const char *b = mm_config_str(cfg, "scan.builtin");
	if (b && !strcmp(b, "true"))
		a->rules.builtin = true;
#define STR(field, key)                                                                   \
	if (!a->field)                                                                    \
		a->field = mm_config_str(cfg, key);
	STR(format, "scan.format")
	STR(db, "scan.db")
	STR(tz, "scan.tz")
	STR(glob, "scan.glob")
#undef STR
	int64_t v;
	int rc;
#define NUM(field, key, lo, hi)                                                           \
	if (!a->field) {                                                                  \
		rc = mm_config_int(cfg, key, &v, &err);                                   \
		if (rc == MM_EINVAL || (rc == MM_OK && (v < (lo) || v > (hi)))) {         \
			if (rc == MM_OK)                                                  \
				mm_error_set(&err, MM_EINVAL, a->config, 0, 0,            \
				             "%s must be from %d to %d", key, (int)(lo),   \
				             (int)(hi));                                   \
			mm_cli_error(&err);                                               \
			return -1;                                                        \
		}                                                                         \
		if (rc == MM_OK)                                                          \
			a->field = (size_t)v;                                             \
	}
	NUM(year, "scan.year", 1970, 9999)
	NUM(max_line, "scan.max_line", 256, 64 * 1024 * 1024)
	NUM(raw_max, "scan.raw_max", 64, 64 * 1024 * 1024)
#undef NUM
	return 0;
}

int mm_cmd_scan(int argc, char **argv)
{
	struct scan_args a;
	memset(&a, 0, sizeof(a));
	a.progress = -1;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "r:p:f:o:qc:h", g_opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			if (!mm_cli_push(a.rules.rules, &a.rules.nrules, optarg, "--rules"))
				return MM_EXIT_USAGE;
			break;
		case 'p':
			if (!mm_cli_push(a.rules.pipelines, &a.rules.npipelines, optarg, "--pipeline"))
				return MM_EXIT_USAGE;
			break;
		case OPT_BUILTIN: a.rules.builtin = true; break;
		case OPT_NOPIPE: a.rules.no_pipeline = true; break;
		case 'f': a.format = optarg; break;
		case 'o': a.out = optarg; break;
		case OPT_TEXT: a.text = true; break;
		case OPT_DB: a.db = optarg; break;
		case OPT_NODB: a.no_db = true; break;
		case OPT_YEAR:
			if (!parse_size(optarg, "--year", 1970, 9999, &a.year))
				return MM_EXIT_USAGE;
			break;
		case OPT_TZ: a.tz = optarg; break;
		case OPT_GLOB: a.glob = optarg; break;
		case OPT_MAXLINE:
			if (!parse_size(optarg, "--max-line", 256, 64 * 1024 * 1024, &a.max_line))
				return MM_EXIT_USAGE;
			break;
		case OPT_RAWMAX:
			if (!parse_size(optarg, "--raw-max", 64, 64 * 1024 * 1024, &a.raw_max))
				return MM_EXIT_USAGE;
			break;
		case OPT_EVENTS: a.events = optarg; break;
		case OPT_STATEMEM:
			if (!parse_mem(optarg, &a.state_mem))
				return MM_EXIT_USAGE;
			break;
		case OPT_LATENESS:
			if (!parse_size(optarg, "--lateness", 0, 30 * 86400, &a.lateness))
				return MM_EXIT_USAGE;
			a.lateness_set = true;
			break;
		case OPT_PROGRESS: a.progress = 1; break;
		case OPT_NOPROGRESS: a.progress = 0; break;
		case OPT_SUMMARY: a.summary_json = optarg; break;
		case 'q': a.quiet = true; break;
		case 'c': a.config = optarg; break;
		case 'h': fputs(g_help, stdout); return MM_EXIT_OK;
		default: fputs("Try 'mamori scan --help'.\n", stderr); return MM_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fputs("mamori: scan needs at least one PATH ('-' for stdin)\n"
		      "Try 'mamori scan --help'.\n",
		      stderr);
		return MM_EXIT_USAGE;
	}
	struct mm_config *cfg = NULL;
	if (a.config && apply_config(&a, &cfg)) {
		mm_config_free(cfg); /* loaded, then a setting in it was refused */
		return MM_EXIT_USAGE;
	}

	int ret = MM_EXIT_OK;
	struct mm_ruleset *rs = NULL;
	struct mm_tz *tz = NULL;
	struct mm_store *store = NULL;
	struct mm_engine *eng = NULL;
	struct mm_net *net = NULL;
	FILE *out = stdout, *evout = NULL;
	struct mm_error err;
	mm_error_clear(&err);

	if (a.format && strcmp(a.format, "auto") != 0 && !mm_decoder_find(a.format)) {
		fprintf(stderr, "mamori: unknown format '%s' (see 'mamori formats')\n", a.format);
		ret = MM_EXIT_USAGE;
		goto out;
	}
	if (mm_tz_new(&tz, a.tz ? a.tz : "local", &err)) {
		mm_cli_error(&err);
		ret = MM_EXIT_USAGE;
		goto out;
	}
	rs = mm_cli_load_rules(&a.rules, !a.quiet);
	if (!rs) {
		ret = MM_EXIT_RULES;
		goto out;
	}
	if (!a.no_db && mm_store_open(&store, a.db ? a.db : "mamori.db", &err)) {
		mm_cli_error(&err);
		ret = MM_EXIT_STORE;
		goto out;
	}
	/* egress module: assets/egress sections (docs/egress.md); state in the store */
	if (mm_net_new(&net, cfg, store, &err)) {
		mm_cli_error(&err);
		ret = MM_EXIT_USAGE;
		goto out;
	}
	if (a.out && strcmp(a.out, "-") != 0) {
		out = fopen(a.out, "w");
		if (!out) {
			perror(a.out);
			out = stdout;
			ret = MM_EXIT_STORE;
			goto out;
		}
	}
	if (a.events) {
		evout = fopen(a.events, "w");
		if (!evout) {
			perror(a.events);
			ret = MM_EXIT_STORE;
			goto out;
		}
	}
	static char obuf[1 << 16];
	setvbuf(out, obuf, _IOFBF, sizeof(obuf));
	struct mm_engine_opts eo = {
		.format = a.format,
		.year = (int)a.year,
		.tz = tz,
		.input = {.max_line = a.max_line},
		.glob = a.glob,
		.raw_max = a.raw_max,
		.progress = a.progress < 0 ? isatty(STDERR_FILENO) : a.progress,
		.alerts_out = out,
		.text = a.text,
		.events_out = evout,
		.store = store,
		.state_mem = a.state_mem,
		.lateness_ns = (int64_t)a.lateness * MM_NS_PER_SEC,
		.lateness_set = a.lateness_set,
		.no_login_enrich = a.no_login_enrich,
		.login_paths = a.login_paths_set ? a.login_paths : NULL,
		.nlogin_paths = a.nlogin_paths,
		.login_fail_status = a.nfail_status ? a.fail_status : NULL,
		.nlogin_fail_status = a.nfail_status,
		.login_ok_status = a.nok_status ? a.ok_status : NULL,
		.nlogin_ok_status = a.nok_status,
		.kv_map = a.nkv_map ? a.kv_map : NULL,
		.nkv_map = a.nkv_map,
		.csv_map = a.ncsv_map ? a.csv_map : NULL,
		.ncsv_map = a.ncsv_map,
		.credstuff = a.cs,
		.mail = a.mail.an,
		.net = net,
	};
	eng = mm_engine_new(rs, &eo);
	int64_t started = (int64_t)time(NULL);
	int rc = mm_engine_scan(eng, (const char *const *)argv + optind, (size_t)(argc - optind),
	                        &err);
	struct mm_engine_totals t;
	mm_engine_totals(eng, &t);
	if (!a.quiet) {
		mm_engine_print_summary(eng, stderr);
		mm_net_print_stats(net, stderr);
	}
	struct mm_buf sj;
	mm_buf_init(&sj, 0);
	mm_engine_summary_json(eng, &sj);
	if (net && sj.n && sj.p[sj.n - 1] == '}') { /* the egress module's figures, inside */
		sj.p[--sj.n] = '\0';
		mm_buf_putc(&sj, ',');
		mm_net_stats_json(net, &sj);
		mm_buf_putc(&sj, '}');
	}
	if (store && !rc)
		rc = mm_store_add_run(store, started, (int64_t)time(NULL), sj.p, &err);
	if (a.summary_json) {
		FILE *f = fopen(a.summary_json, "w");
		if (!f || fprintf(f, "%s\n", sj.p) < 0) {
			perror(a.summary_json);
			ret = MM_EXIT_STORE;
		}
		if (f)
			fclose(f);
	}
	mm_buf_free(&sj);
	if (rc) {
		mm_cli_error(&err);
		ret = MM_EXIT_STORE;
	} else if (ret == MM_EXIT_OK && (t.files_failed || t.files_unknown_format)) {
		ret = MM_EXIT_INPUT;
	}
out:
	mm_engine_free(eng);
	mm_net_free(net);
	if (out != stdout)
		fclose(out);
	else
		fflush(stdout);
	if (evout)
		fclose(evout);
	mm_store_close(store);
	mm_ruleset_free(rs);
	mm_tz_free(tz);
	mm_config_free(cfg);
	return ret;
}

int mm_cmd_formats(int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		puts("usage: mamori formats\n\nList the log formats (decoders) and what they read.\n"
		     "Use a name with 'mamori scan --format NAME'.");
		return MM_EXIT_OK;
	}
	for (size_t i = 0; i < mm_decoder_count(); i++) {
		const struct mm_decoder *d = mm_decoder_at(i);
		printf("%-10s %s\n", d->name, d->description);
	}
	return MM_EXIT_OK;
}

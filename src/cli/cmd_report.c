/* mamori — `mamori report`: group new alerts into incidents, then write the
 * management report for a month or a date range, in Japanese or English, as
 * HTML, Markdown or JSON. The work is in src/incident/ and src/report/. */
#include "cli.h"

#include "mamori/report.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char g_help[] =
	"usage: mamori report [options]\n"
	"\n"
	"Group the stored alerts into incidents (new alerts only; re-running adds\n"
	"nothing) and write the report for one period: incidents with evidence,\n"
	"estimated loss ranges with their formulas, what the logs cannot show, and\n"
	"recommended actions.\n"
	"\n"
	"Options:\n"
	"      --month YYYY-MM     the period is this calendar month (default: the\n"
	"                          month of the most recent alert)\n"
	"      --from DATE         start of the period (YYYY-MM-DD or RFC 3339)\n"
	"      --to DATE           end of the period; a bare date includes that day\n"
	"      --lang ja|en        language (default: ja when LANG starts with ja, else en)\n"
	"      --format html|md|json  output format (default: from -o's extension, else html)\n"
	"  -o, --out FILE          write to FILE instead of stdout\n"
	"      --db FILE           SQLite store (default: mamori.db)\n"
	"      --tz ZONE           zone for the period and the times shown: local\n"
	"                          (default), UTC, +09:00 or an IANA name\n"
	"      --gap DURATION      alerts of one class and source further apart start a\n"
	"                          new incident: 90m, 6h (default), 2d\n"
	"      --evidence N        evidence references per incident (default 5)\n"
	"      --top N             incidents in 'Top incidents' (default 5)\n"
	"  -c, --config FILE       mamori.yaml: the loss: section (see docs/loss-model.md)\n"
	"  -h, --help              this help\n"
	"\n"
	"Exit status: 0 written, 2 usage or configuration error, 5 store or output error.\n"
	"\n"
	"Example:\n"
	"  mamori report --month 2023-01 --lang ja --db mamori.db -o report.html\n";

enum { OPT_MONTH = 256, OPT_FROM, OPT_TO, OPT_LANG, OPT_FORMAT, OPT_DB, OPT_TZ, OPT_GAP,
       OPT_EVIDENCE, OPT_TOP };

static const struct option g_opts[] = {
	{"month", required_argument, NULL, OPT_MONTH},
	{"from", required_argument, NULL, OPT_FROM},
	{"to", required_argument, NULL, OPT_TO},
	{"lang", required_argument, NULL, OPT_LANG},
	{"format", required_argument, NULL, OPT_FORMAT},
	{"out", required_argument, NULL, 'o'},
	{"db", required_argument, NULL, OPT_DB},
	{"tz", required_argument, NULL, OPT_TZ},
	{"gap", required_argument, NULL, OPT_GAP},
	{"evidence", required_argument, NULL, OPT_EVIDENCE},
	{"top", required_argument, NULL, OPT_TOP},
	{"config", required_argument, NULL, 'c'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

int mm_cli_parse_duration(const char *s, int64_t *ns)
{
	size_t n = strlen(s);
	int64_t v, unit;
	if (n < 2)
		return -1;
	switch (s[n - 1]) {
	case 's': unit = 1; break;
	case 'm': unit = 60; break;
	case 'h': unit = 3600; break;
	case 'd': unit = 86400; break;
	default: return -1;
	}
	if (mm_slice_to_i64(mm_slice(s, n - 1), &v) || v <= 0 || v > 366 * 86400 / unit)
		return -1;
	*ns = v * unit * MM_NS_PER_SEC;
	return 0;
}

/* "2023-01-05" (whole day when end) or RFC 3339. */
static int parse_date(const char *s, struct mm_tz *tz, bool end, int64_t *out)
{
	int64_t y, m, d;
	if (strlen(s) == 10 && s[4] == '-' && s[7] == '-' && !mm_slice_to_i64(mm_slice(s, 4), &y) &&
	    !mm_slice_to_i64(mm_slice(s + 5, 2), &m) && !mm_slice_to_i64(mm_slice(s + 8, 2), &d) &&
	    y >= 1970 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= 31) {
		*out = mm_tz_to_utc(tz, (int)y, (int)m, (int)d, 0, 0, 0, 0);
		if (end)
			*out += INT64_C(86400) * MM_NS_PER_SEC;
		return *out == MM_TS_NONE ? -1 : 0;
	}
	return mm_time_parse_iso8601(mm_slice_cstr(s), tz, out) ? -1 : 0;
}

static int month_bounds(const char *s, struct mm_tz *tz, int64_t *from, int64_t *to)
{
	int64_t y, m;
	if (strlen(s) != 7 || s[4] != '-' || mm_slice_to_i64(mm_slice(s, 4), &y) ||
	    mm_slice_to_i64(mm_slice(s + 5, 2), &m) || y < 1970 || y > 9999 || m < 1 || m > 12)
		return -1;
	*from = mm_tz_to_utc(tz, (int)y, (int)m, 1, 0, 0, 0, 0);
	*to = mm_tz_to_utc(tz, (int)(m == 12 ? y + 1 : y), (int)(m == 12 ? 1 : m + 1), 1, 0, 0, 0, 0);
	return 0;
}

static bool ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && !strcmp(s + a - b, suf);
}

int mm_cmd_report(int argc, char **argv)
{
	const char *month = NULL, *from_s = NULL, *to_s = NULL, *lang = NULL, *format = NULL;
	const char *out_path = NULL, *db = "mamori.db", *tzs = "local", *config = NULL;
	int64_t gap = 0;
	size_t evidence = 5, top = 5;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:c:h", g_opts, NULL)) != -1) {
		int64_t v;
		switch (c) {
		case OPT_MONTH: month = optarg; break;
		case OPT_FROM: from_s = optarg; break;
		case OPT_TO: to_s = optarg; break;
		case OPT_LANG: lang = optarg; break;
		case OPT_FORMAT: format = optarg; break;
		case 'o': out_path = optarg; break;
		case OPT_DB: db = optarg; break;
		case OPT_TZ: tzs = optarg; break;
		case 'c': config = optarg; break;
		case OPT_GAP:
			if (mm_cli_parse_duration(optarg, &gap)) {
				fputs("mamori: --gap needs a duration such as 90m, 6h or 2d\n", stderr);
				return MM_EXIT_USAGE;
			}
			break;
		case OPT_EVIDENCE:
		case OPT_TOP:
			if (mm_slice_to_i64(mm_slice_cstr(optarg), &v) || v < 1 || v > 1000) {
				fprintf(stderr, "mamori: --%s must be a number from 1 to 1000\n",
				        c == OPT_TOP ? "top" : "evidence");
				return MM_EXIT_USAGE;
			}
			*(c == OPT_TOP ? &top : &evidence) = (size_t)v;
			break;
		case 'h': fputs(g_help, stdout); return MM_EXIT_OK;
		default: fputs("Try 'mamori report --help'.\n", stderr); return MM_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "mamori: report takes no arguments ('%s')\nTry 'mamori report --help'.\n",
		        argv[optind]);
		return MM_EXIT_USAGE;
	}
	if (month && (from_s || to_s)) {
		fputs("mamori: give either --month or --from/--to, not both\n", stderr);
		return MM_EXIT_USAGE;
	}
	struct mm_report_opts o;
	memset(&o, 0, sizeof(o));
	const char *env = getenv("LC_ALL");
	if (!env || !*env)
		env = getenv("LANG");
	o.lang = env && !strncmp(env, "ja", 2) ? MM_LANG_JA : MM_LANG_EN;
	if (lang) {
		if (!strcmp(lang, "ja"))
			o.lang = MM_LANG_JA;
		else if (!strcmp(lang, "en"))
			o.lang = MM_LANG_EN;
		else {
			fputs("mamori: --lang must be ja or en\n", stderr);
			return MM_EXIT_USAGE;
		}
	}
	if (!format && out_path)
		format = ends_with(out_path, ".md") ? "md" : ends_with(out_path, ".json") ? "json" : "html";
	if (!format || !strcmp(format, "html"))
		o.format = MM_REPORT_HTML;
	else if (!strcmp(format, "md") || !strcmp(format, "markdown"))
		o.format = MM_REPORT_MD;
	else if (!strcmp(format, "json"))
		o.format = MM_REPORT_JSON;
	else {
		fputs("mamori: --format must be html, md or json\n", stderr);
		return MM_EXIT_USAGE;
	}

	int ret = MM_EXIT_OK;
	struct mm_tz *tz = NULL;
	struct mm_store *store = NULL;
	struct mm_config *cfg = NULL;
	struct mm_buf out;
	struct mm_error err;
	struct mm_loss_params lp;
	char label[96];
	mm_buf_init(&out, (size_t)256 << 20);
	mm_error_clear(&err);
	mm_loss_defaults(&lp);
	if (mm_tz_new(&tz, tzs, &err)) {
		mm_cli_error(&err);
		ret = MM_EXIT_USAGE;
		goto out;
	}
	if (config) {
		static const char *const top_keys[] = {"scan", "loss", "incident", NULL};
		if (mm_config_load(&cfg, config, &err) ||
		    mm_config_check_keys(cfg, "", top_keys, &err) ||
		    mm_loss_from_config(&lp, cfg, &err)) {
			if (!err.path[0])
				snprintf(err.path, sizeof(err.path), "%s", config);
			mm_cli_error(&err);
			ret = MM_EXIT_USAGE;
			goto out;
		}
		const char *g = mm_config_str(cfg, "incident.gap");
		if (g && !gap && mm_cli_parse_duration(g, &gap)) {
			fprintf(stderr, "mamori: %s: incident.gap needs a duration such as 6h\n", config);
			ret = MM_EXIT_USAGE;
			goto out;
		}
	}
	if (mm_store_open(&store, db, &err)) {
		mm_cli_error(&err);
		ret = MM_EXIT_STORE;
		goto out;
	}
	struct mm_incident_opts io = {.gap_ns = gap};
	if (mm_incident_update(store, &io, NULL, &err)) {
		mm_cli_error(&err);
		ret = MM_EXIT_STORE;
		goto out;
	}
	if (month) {
		if (month_bounds(month, tz, &o.from, &o.to)) {
			fputs("mamori: --month needs YYYY-MM, e.g. 2023-01\n", stderr);
			ret = MM_EXIT_USAGE;
			goto out;
		}
		snprintf(label, sizeof(label), "%s", month);
	} else if (from_s || to_s) {
		if (!from_s || !to_s || parse_date(from_s, tz, false, &o.from) ||
		    parse_date(to_s, tz, true, &o.to) || o.to <= o.from) {
			fputs("mamori: --from and --to need dates (YYYY-MM-DD or RFC 3339), from before to\n",
			      stderr);
			ret = MM_EXIT_USAGE;
			goto out;
		}
		snprintf(label, sizeof(label), "%s – %s", from_s, to_s);
	} else {
		/* the month of the most recent incident, else the current month */
		struct mm_incident *v = NULL;
		size_t n = 0;
		int64_t last = (int64_t)time(NULL) * MM_NS_PER_SEC;
		if (!mm_incident_list(store, MM_TS_NONE, MM_TS_NONE, 0, &v, &n, &err)) {
			int64_t best = MM_TS_NONE;
			for (size_t i = 0; i < n; i++)
				best = MM_MAX(best, v[i].last_ts);
			if (best != MM_TS_NONE)
				last = best;
		}
		mm_incident_list_free(v, n);
		int y, mo, d, h, mi, s;
		long ns;
		mm_time_to_civil(last, &y, &mo, &d, &h, &mi, &s, &ns);
		int off = mm_tz_offset(tz, y, mo, d, h, mi, s);
		mm_time_to_civil(last + (int64_t)off * MM_NS_PER_SEC, &y, &mo, &d, &h, &mi, &s, &ns);
		snprintf(label, sizeof(label), "%04d-%02d", y, mo);
		month_bounds(label, tz, &o.from, &o.to);
	}
	o.period_label = label;
	o.tz = tz;
	o.loss = &lp;
	o.evidence_per_incident = evidence;
	o.top = top;
	const char *sde = getenv("SOURCE_DATE_EPOCH"); /* reproducible output */
	int64_t sec;
	if (sde && !mm_slice_to_i64(mm_slice_cstr(sde), &sec))
		o.generated = sec * MM_NS_PER_SEC;
	else
		o.generated = (int64_t)time(NULL) * MM_NS_PER_SEC;
	if (mm_report_write(store, &o, &out, &err)) {
		mm_cli_error(&err);
		ret = MM_EXIT_STORE;
		goto out;
	}
	FILE *f = out_path && strcmp(out_path, "-") ? fopen(out_path, "w") : stdout;
	if (!f || fwrite(out.p, 1, out.n, f) != out.n || (f != stdout && fclose(f))) {
		perror(out_path ? out_path : "stdout");
		ret = MM_EXIT_STORE;
		goto out;
	}
	if (f == stdout)
		fflush(stdout);
out:
	mm_buf_free(&out);
	mm_store_close(store);
	mm_config_free(cfg);
	mm_tz_free(tz);
	return ret;
}

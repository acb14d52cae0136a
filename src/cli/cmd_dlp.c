/* mamori — `mamori dlp`: where is personal data, and how many people's
 * records does each file hold. Walks the paths (directories recursively,
 * .gz and .zip members), prints a summary table (or JSON Lines), stores the
 * results in the SQLite store for incidents and the report. Values are shown
 * masked only. The work is in src/dlp/ (mamori/dlp.h). */
#include "cli.h"

#include "mamori/dlp.h"
#include "mamori/store.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char g_help[] =
	"usage: mamori dlp [options] PATH...\n"
	"\n"
	"Find personal data (PII) in files and count the records that hold it.\n"
	"Directories are walked recursively; .gz files and .zip members are read;\n"
	"binaries are skipped. Text may be UTF-8, UTF-16 (BOM), Shift_JIS/CP932 or\n"
	"EUC-JP; full-width digits and hyphens are folded. CSV/TSV rows, JSON Lines,\n"
	"SQL INSERT tuples and COPY rows, objects in a JSON document's arrays are\n"
	"records; other text counts lines.\n"
	"PATH '-' reads standard input (give --format for CSV and the like).\n"
	"Values are printed and stored masked only (****-****-****-1234).\n"
	"\n"
	"Options:\n"
	"      --min-confidence N  count findings with confidence >= N (0-100,\n"
	"                          default 50). A valid check digit alone gives\n"
	"                          40-45 for My Number and corporate numbers; a label,\n"
	"                          a header or a column of valid values raises it\n"
	"      --types LIST        only these types (comma-separated): my_number,\n"
	"                          corporate_number, card_number, phone_jp,\n"
	"                          postal_code_jp, email, address_jp, birth_date,\n"
	"                          person_name, bank_account_jp, passport_jp,\n"
	"                          driver_license_jp, iban, us_ssn, phone_e164\n"
	"      --json              one JSON object per file on stdout\n"
	"      --db FILE           SQLite store (default: mamori.db)\n"
	"      --no-db             do not store the results\n"
	"      --host NAME         the host the files are on, for incidents and the\n"
	"                          report (default: this machine's name)\n"
	"      --format F          treat every file as F: csv, tsv, jsonl, json, sql,\n"
	"                          text\n"
	"      --include-binary    scan files that look binary too\n"
	"      --fail              exit 1 when personal data was found\n"
	"      --progress          progress on stderr (default: when a TTY)\n"
	"      --no-progress       never show progress\n"
	"  -q, --quiet             no totals on stderr\n"
	"  -h, --help              this help\n"
	"\n"
	"Exit status: 0 done, 1 personal data found with --fail, 2 usage error,\n"
	"3 some input could not be read (the rest was scanned), 5 the store failed.\n"
	"\n"
	"Example:\n"
	"  mamori dlp --types my_number,card_number,phone_jp /srv/exports\n";

enum {
	OPT_MINCONF = 256,
	OPT_TYPES,
	OPT_JSON,
	OPT_DB,
	OPT_NODB,
	OPT_FORMAT,
	OPT_BINARY,
	OPT_FAIL,
	OPT_PROGRESS,
	OPT_NOPROGRESS,
	OPT_HOST,
};

static const struct option g_opts[] = {
	{"min-confidence", required_argument, NULL, OPT_MINCONF},
	{"types", required_argument, NULL, OPT_TYPES},
	{"json", no_argument, NULL, OPT_JSON},
	{"db", required_argument, NULL, OPT_DB},
	{"no-db", no_argument, NULL, OPT_NODB},
	{"format", required_argument, NULL, OPT_FORMAT},
	{"include-binary", no_argument, NULL, OPT_BINARY},
	{"fail", no_argument, NULL, OPT_FAIL},
	{"progress", no_argument, NULL, OPT_PROGRESS},
	{"no-progress", no_argument, NULL, OPT_NOPROGRESS},
	{"host", required_argument, NULL, OPT_HOST},
	{"quiet", no_argument, NULL, 'q'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

struct run {
	bool json, quiet, progress, progress_shown;
	struct mm_store *store;
	char host[256];
	int64_t started;
	struct mm_buf out;
	struct mm_buf table; /* the summary table's rows, printed at the end */
	uint64_t files, files_pii, skipped, records, records_pii, bytes;
	uint64_t by_type[MM_DLP__TYPES];
	double t0, t_last;
	uint64_t bytes_before; /* of the files already done */
	int store_rc;
	struct mm_error err;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void progress(void *ud, const char *path, uint64_t done, uint64_t size)
{
	struct run *r = ud;
	if (!r->progress)
		return;
	double t = now_s();
	if (done && t - r->t_last < 0.2)
		return;
	r->t_last = t;
	const char *name = strrchr(path, '/');
	name = name ? name + 1 : path;
	double el = t - r->t0;
	double mbps = el > 0 ? (double)(r->bytes_before + done) / 1e6 / el : 0;
	if (size) {
		double pct = 100.0 * (double)done / (double)size;
		int w = 30, fill = (int)(pct / 100.0 * w);
		char bar[32];
		for (int i = 0; i < w; i++)
			bar[i] = i < fill ? '#' : '.';
		bar[w] = '\0';
		fprintf(stderr, "\r\033[K%.40s [%s] %5.1f%%  %.0f MB/s  %llu files with PII", name, bar,
		        pct, mbps, (unsigned long long)r->files_pii);
	} else {
		fprintf(stderr, "\r\033[K%.40s  %.1f MB  %.0f MB/s  %llu files with PII", name,
		        (double)done / 1e6, mbps, (unsigned long long)r->files_pii);
	}
	r->progress_shown = true;
}

static void clear_progress(struct run *r)
{
	if (r->progress_shown) {
		fputs("\r\033[K", stderr);
		r->progress_shown = false;
	}
}

static void js(struct mm_buf *b, const char *s)
{
	mm_buf_putc(b, '"');
	mm_json_escape(b, s, strlen(s));
	mm_buf_putc(b, '"');
}

static void print_json(struct run *run, const char *path, const struct mm_dlp_result *r,
                       const char *skipped)
{
	struct mm_buf *b = &run->out;
	mm_buf_reset(b);
	mm_buf_puts(b, "{\"path\":");
	js(b, path);
	if (skipped) {
		mm_buf_puts(b, ",\"skipped\":");
		js(b, skipped);
		mm_buf_puts(b, "}\n");
		fwrite(b->p, 1, b->n, stdout);
		return;
	}
	mm_buf_printf(b,
	              ",\"format\":\"%s\",\"encoding\":\"%s\",\"bytes\":%llu,\"records\":%llu,"
	              "\"records_pii\":%llu,\"matches\":%llu,\"confidence\":%d,\"types\":{",
	              mm_dlp_format_name(r->format), mm_dlp_encoding_name(r->encoding),
	              (unsigned long long)r->bytes, (unsigned long long)r->records,
	              (unsigned long long)r->records_pii, (unsigned long long)r->matches,
	              r->confidence);
	bool first = true;
	for (size_t t = 0; t < MM_DLP__TYPES; t++) {
		const struct mm_dlp_type_stat *ts = &r->t[t];
		if (!ts->matches)
			continue;
		mm_buf_printf(b,
		              "%s\"%s\":{\"matches\":%llu,\"records\":%llu,\"distinct\":%llu,"
		              "\"confidence\":%d,\"sample\":",
		              first ? "" : ",", mm_dlp_type_id((enum mm_dlp_type)t),
		              (unsigned long long)ts->matches, (unsigned long long)ts->records,
		              (unsigned long long)ts->distinct, ts->confidence);
		js(b, ts->sample);
		mm_buf_printf(b, ",\"sample_record\":%llu", (unsigned long long)ts->sample_record);
		if (ts->sample_column[0]) {
			mm_buf_puts(b, ",\"sample_column\":");
			js(b, ts->sample_column);
		}
		mm_buf_putc(b, '}');
		first = false;
	}
	mm_buf_puts(b, "},\"columns\":{");
	for (size_t c = 0; c < r->ncols; c++) {
		if (c)
			mm_buf_putc(b, ',');
		js(b, r->cols[c].name);
		mm_buf_puts(b, ":{");
		bool f2 = true;
		for (size_t t = 0; t < MM_DLP__TYPES; t++)
			if (r->cols[c].count[t]) {
				mm_buf_printf(b, "%s\"%s\":%llu", f2 ? "" : ",",
				              mm_dlp_type_id((enum mm_dlp_type)t),
				              (unsigned long long)r->cols[c].count[t]);
				f2 = false;
			}
		mm_buf_putc(b, '}');
	}
	mm_buf_printf(b, "},\"candidates\":%llu,\"rejected\":%llu,\"cap_hits\":%llu,"
	                 "\"decode_errors\":%llu}\n",
	              (unsigned long long)r->candidates, (unsigned long long)r->rejected,
	              (unsigned long long)r->cap_hits, (unsigned long long)r->decode_errors);
	fwrite(b->p, 1, b->n, stdout);
}

/* Terminal-safe: control bytes out of paths and column names. */
static void safe(const char *s, char *out, size_t n)
{
	size_t k = 0;
	for (; *s && k + 1 < n; s++)
		out[k++] = (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s;
	out[k] = '\0';
}

static void print_text(const char *path, const struct mm_dlp_result *r)
{
	char p[512], col[MM_DLP_COLNAME_MAX];
	safe(path, p, sizeof(p));
	printf("%s  [%s, %s]  %llu of %llu records hold personal data (confidence %d)\n", p,
	       mm_dlp_format_name(r->format), mm_dlp_encoding_name(r->encoding),
	       (unsigned long long)r->records_pii, (unsigned long long)r->records, r->confidence);
	for (size_t t = 0; t < MM_DLP__TYPES; t++) {
		const struct mm_dlp_type_stat *ts = &r->t[t];
		if (!ts->matches)
			continue;
		safe(ts->sample_column, col, sizeof(col));
		printf("  %-18s %9llu in %9llu records, %9llu distinct  e.g. %s (record %llu%s%s)\n",
		       mm_dlp_type_id((enum mm_dlp_type)t), (unsigned long long)ts->matches,
		       (unsigned long long)ts->records, (unsigned long long)ts->distinct, ts->sample,
		       (unsigned long long)ts->sample_record, col[0] ? ", column " : "", col);
	}
}

static int on_result(void *ud, const char *path, const struct mm_dlp_result *r,
                     const char *skipped)
{
	struct run *run = ud;
	clear_progress(run);
	if (skipped) {
		run->skipped++;
		if (run->json)
			print_json(run, path, r, skipped);
		else if (!run->quiet) {
			char p[512];
			safe(path, p, sizeof(p));
			fprintf(stderr, "mamori: %s: skipped (%s)\n", p, skipped);
		}
		return 0;
	}
	run->files++;
	run->bytes += r->bytes;
	run->bytes_before += r->bytes;
	run->records += r->records;
	run->records_pii += r->records_pii;
	if (r->records_pii)
		run->files_pii++;
	for (size_t t = 0; t < MM_DLP__TYPES; t++)
		run->by_type[t] += r->t[t].matches;
	if (run->json)
		print_json(run, path, r, NULL);
	else if (r->records_pii) {
		print_text(path, r);
		char p[512], types[256] = "";
		safe(path, p, sizeof(p));
		for (size_t t = 0, k = 0; t < MM_DLP__TYPES; t++)
			if (r->t[t].matches && k < sizeof(types) - 2) {
				k += (size_t)snprintf(types + k, sizeof(types) - k, "%s%s", k ? "," : "",
				                      mm_dlp_type_id((enum mm_dlp_type)t));
				k = MM_MIN(k, sizeof(types) - 1);
			}
		mm_buf_printf(&run->table, "%10llu %10llu %4d  %-5s %-8s %s  [%s]\n",
		              (unsigned long long)r->records_pii, (unsigned long long)r->records,
		              r->confidence, mm_dlp_format_name(r->format),
		              mm_dlp_encoding_name(r->encoding), p, types);
	}
	if (run->store && !run->store_rc) {
		/* stored by absolute path: a re-scan from elsewhere replaces it */
		char abs[4096], cwd[2048];
		if (path[0] != '/' && strcmp(path, "-") && getcwd(cwd, sizeof(cwd)))
			snprintf(abs, sizeof(abs), "%s/%s", cwd, path[0] == '.' && path[1] == '/' ? path + 2 : path);
		else
			snprintf(abs, sizeof(abs), "%s", path);
		run->store_rc =
			mm_dlp_store_result(run->store, run->host, abs, r, run->started, &run->err);
	}
	return 0;
}

int mm_cmd_dlp(int argc, char **argv)
{
	struct mm_dlp_opts o;
	struct mm_dlp *d = NULL;
	struct run run;
	struct mm_error err;
	const char *db = "mamori.db";
	bool nodb = false, fail = false;
	int progress_opt = -1, rc = MM_EXIT_OK, c;
	struct mm_dlp_walk_opts wo;
	memset(&run, 0, sizeof(run));
	memset(&wo, 0, sizeof(wo));
	mm_error_clear(&err);
	mm_dlp_opts_default(&o);
	mm_buf_init(&run.out, 1 << 20);
	mm_buf_init(&run.table, 1 << 20);
	optind = 1;
	while ((c = getopt_long(argc, argv, "qh", g_opts, NULL)) != -1) {
		switch (c) {
		case OPT_MINCONF: {
			int64_t v;
			if (mm_slice_to_i64(mm_slice_cstr(optarg), &v) || v < 0 || v > 100) {
				fprintf(stderr, "mamori dlp: --min-confidence takes 0..100\n");
				rc = MM_EXIT_USAGE;
				goto out;
			}
			o.min_confidence = (int)v;
			break;
		}
		case OPT_TYPES:
			if (mm_dlp_types_parse(optarg, &o.types, &err) || !o.types) {
				if (!o.types && !err.msg[0])
					mm_error_set(&err, MM_EINVAL, "", 0, 0, "--types: no type given");
				mm_cli_error(&err);
				rc = MM_EXIT_USAGE;
				goto out;
			}
			break;
		case OPT_JSON: run.json = true; break;
		case OPT_DB: db = optarg; break;
		case OPT_NODB: nodb = true; break;
		case OPT_FORMAT: {
			static const char *const f[] = {"text", "csv", "tsv", "jsonl", "sql", "json"};
			o.force_format = -1;
			for (size_t i = 0; i < MM_ARRAY_LEN(f); i++)
				if (!strcmp(optarg, f[i]))
					o.force_format = (int)i;
			if (o.force_format < 0) {
				fprintf(stderr,
				        "mamori dlp: --format takes csv, tsv, jsonl, json, sql or text\n");
				rc = MM_EXIT_USAGE;
				goto out;
			}
			break;
		}
		case OPT_BINARY: wo.include_binary = true; break;
		case OPT_FAIL: fail = true; break;
		case OPT_PROGRESS: progress_opt = 1; break;
		case OPT_NOPROGRESS: progress_opt = 0; break;
		case OPT_HOST: snprintf(run.host, sizeof(run.host), "%s", optarg); break;
		case 'q': run.quiet = true; break;
		case 'h': fputs(g_help, stdout); goto out;
		default: fputs(g_help, stderr); rc = MM_EXIT_USAGE; goto out;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "mamori dlp: no PATH given\n\n%s", g_help);
		rc = MM_EXIT_USAGE;
		goto out;
	}
	run.progress = progress_opt >= 0 ? progress_opt == 1 : isatty(2);
	if (!run.host[0] && gethostname(run.host, sizeof(run.host) - 1))
		snprintf(run.host, sizeof(run.host), "localhost");
	if (mm_dlp_new(&d, &o, &err)) {
		mm_cli_error(&err);
		rc = MM_EXIT_USAGE;
		goto out;
	}
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	run.started = (int64_t)ts.tv_sec * MM_NS_PER_SEC + ts.tv_nsec;
	run.t0 = now_s();
	if (!nodb) {
		if (mm_store_open(&run.store, db, &err) || mm_store_begin(run.store, &err)) {
			mm_cli_error(&err);
			rc = MM_EXIT_STORE;
			goto out;
		}
	}
	wo.progress = progress;
	uint64_t unreadable = 0;
	int wr = mm_dlp_scan_paths(d, (const char *const *)argv + optind, (size_t)(argc - optind),
	                           &wo, on_result, &run, &unreadable, &err);
	clear_progress(&run);
	if (!run.json && run.table.n) {
		printf("\n%10s %10s %4s  %-5s %-8s %s\n", "WITH PII", "RECORDS", "CONF", "FMT",
		       "ENCODING", "FILE  [TYPES]");
		fwrite(run.table.p, 1, run.table.n, stdout);
		if (run.table.cap_hits)
			printf("  … (more files: see --json or the store)\n");
		printf("%10llu %10llu        total, %llu files with personal data\n",
		       (unsigned long long)run.records_pii, (unsigned long long)run.records,
		       (unsigned long long)run.files_pii);
	}
	if (wr) {
		mm_cli_error(&err);
		rc = MM_EXIT_INPUT;
	}
	if (run.store) {
		if (!run.store_rc) {
			char sum[256];
			snprintf(sum, sizeof(sum),
			         "{\"command\":\"dlp\",\"files\":%llu,\"records\":%llu,\"records_pii\":%llu}",
			         (unsigned long long)run.files, (unsigned long long)run.records,
			         (unsigned long long)run.records_pii);
			struct timespec te;
			clock_gettime(CLOCK_REALTIME, &te);
			run.store_rc = mm_store_add_run(run.store, run.started,
			                                (int64_t)te.tv_sec * MM_NS_PER_SEC + te.tv_nsec,
			                                sum, &run.err);
		}
		if (!run.store_rc)
			run.store_rc = mm_store_commit(run.store, &run.err);
		if (run.store_rc) {
			mm_store_rollback(run.store);
			mm_cli_error(&run.err);
			rc = MM_EXIT_STORE;
		}
	}
	if (!run.quiet) {
		double el = now_s() - run.t0;
		fprintf(stderr,
		        "dlp: %llu files (%.1f MB, %.0f MB/s), %llu with personal data; %llu of "
		        "%llu records hold personal data",
		        (unsigned long long)run.files, (double)run.bytes / 1e6,
		        el > 0 ? (double)run.bytes / 1e6 / el : 0.0,
		        (unsigned long long)run.files_pii, (unsigned long long)run.records_pii,
		        (unsigned long long)run.records);
		if (run.skipped)
			fprintf(stderr, "; %llu skipped", (unsigned long long)run.skipped);
		fputc('\n', stderr);
		for (size_t t = 0; t < MM_DLP__TYPES; t++)
			if (run.by_type[t])
				fprintf(stderr, "  %-18s %llu\n", mm_dlp_type_id((enum mm_dlp_type)t),
				        (unsigned long long)run.by_type[t]);
	}
	if (!rc && unreadable)
		rc = MM_EXIT_INPUT;
	if (!rc && fail && run.records_pii)
		rc = MM_EXIT_FINDINGS;
out:
	mm_store_close(run.store);
	mm_dlp_free(d);
	mm_buf_free(&run.out);
	mm_buf_free(&run.table);
	fflush(stdout);
	return rc;
}

/* mamori — `mamori vuln`: which hosts run known-vulnerable software.
 * Reads inventories (dpkg, rpm, SBOMs, java -version, CSV), indexes the
 * advisories given (OSV, NVD, CVE 5) into the store, matches, and prints
 * findings as a table or JSON Lines; --fail-on turns findings into an exit
 * status for CI. The work is in src/vuln/ (mamori/vuln.h). */
#include "cli.h"

#include "mamori/vuln.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char g_help[] =
	"usage: mamori vuln --inventory FILE... --advisories PATH... [options]\n"
	"\n"
	"Match software inventories against vulnerability advisories. Findings\n"
	"(host, package, version, vulnerability, severity, fixed version, evidence)\n"
	"are printed as a table (or JSON Lines with --json) and stored in the\n"
	"findings table of the SQLite store, where the advisories are indexed too:\n"
	"a second run re-reads only advisory files that changed.\n"
	"\n"
	"Options:\n"
	"  -i, --inventory FILE      inventory (repeatable; '-' = stdin): dpkg status\n"
	"                            file, dpkg-query -W output, rpm -qa output, CycloneDX\n"
	"                            or SPDX JSON SBOM, java -version output, or CSV\n"
	"                            host,product,version; the format is detected\n"
	"      --inventory-format F  force the format: dpkg, dpkg-query, rpm, cyclonedx,\n"
	"                            spdx, java, csv\n"
	"  -H, --host NAME           host name for the inventories (default: from the\n"
	"                            file: CSV column, SBOM name, else the file name)\n"
	"  -a, --advisories PATH     advisory file or directory of *.json (repeatable):\n"
	"                            OSV, NVD CVE API 2.0 (or one NVD CVE per file), CVE\n"
	"                            JSON 5.x. Without it, everything indexed in --db\n"
	"      --json                findings as JSON Lines instead of a table\n"
	"      --db FILE             SQLite store (default: mamori.db)\n"
	"      --fail-on LEVEL       exit 1 when a finding is at or above LEVEL: low,\n"
	"                            medium, high, critical (findings without a severity\n"
	"                            count as reaching any level)\n"
	"      --strict-platform     NVD records that require a platform (an AND\n"
	"                            configuration: \"X on platform Y\") count only when\n"
	"                            the host's inventory lists the platform; by default\n"
	"                            they are reported, marked conditional\n"
	"  -q, --quiet               no summary on stderr\n"
	"  -h, --help                this help\n"
	"\n"
	"Exit status: 0 done, 1 findings at or above --fail-on, 2 usage error,\n"
	"3 an inventory could not be read or parsed, 5 the store or the output failed.\n"
	"\n"
	"Example:\n"
	"  mamori vuln -i /var/lib/dpkg/status -a osv/Debian/ -a nvd/ --fail-on high\n";

enum { OPT_JSON = 256, OPT_DB, OPT_FAILON, OPT_INVFMT, OPT_STRICT };

static const struct option g_opts[] = {
	{"inventory", required_argument, NULL, 'i'},
	{"inventory-format", required_argument, NULL, OPT_INVFMT},
	{"host", required_argument, NULL, 'H'},
	{"advisories", required_argument, NULL, 'a'},
	{"json", no_argument, NULL, OPT_JSON},
	{"db", required_argument, NULL, OPT_DB},
	{"fail-on", required_argument, NULL, OPT_FAILON},
	{"strict-platform", no_argument, NULL, OPT_STRICT},
	{"quiet", no_argument, NULL, 'q'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

struct out_ctx {
	struct mm_store *store;
	FILE *out;
	bool json;
	enum mm_vuln_level fail_on;
	bool fail_set;
	uint64_t failing;
	struct mm_buf b;
	struct mm_error *err;
	size_t rows;
};

/* Text from inventories and advisories on a terminal: control bytes shown
 * as '?', so a hostile SBOM cannot drive the terminal. */
static void tput(FILE *f, const char *s, int width)
{
	int n = 0;
	for (; *s && (width <= 0 || n < width); s++, n++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, f);
	for (; width > 0 && n < width; n++)
		fputc(' ', f);
}

static int on_finding(void *ud, const struct mm_vuln_finding *f)
{
	struct out_ctx *o = ud;
	mm_buf_reset(&o->b);
	mm_vuln_finding_json(f, &o->b);
	if (o->fail_set && (f->level == MM_VL_UNKNOWN || f->level >= o->fail_on))
		o->failing++;
	if (o->json) {
		fwrite(o->b.p, 1, o->b.n, o->out);
		fputc('\n', o->out);
	} else {
		if (!o->rows++)
			fprintf(o->out, "%-16s %-24s %-18s %-18s %-12s %-14s %s\n", "HOST", "PACKAGE",
			        "VERSION", "VULNERABILITY", "SEVERITY", "FIXED", "EVIDENCE");
		tput(o->out, f->pkg->host, 16);
		fputc(' ', o->out);
		tput(o->out, f->pkg->name, 24);
		fputc(' ', o->out);
		tput(o->out, f->pkg->version, 18);
		fputc(' ', o->out);
		tput(o->out, f->vuln_id, 18);
		fputc(' ', o->out);
		char sev[32];
		if (f->score >= 0)
			snprintf(sev, sizeof(sev), "%s %.1f", mm_vuln_level_name(f->level), f->score);
		else
			snprintf(sev, sizeof(sev), "%s", mm_vuln_level_name(f->level));
		tput(o->out, sev, 12);
		fputc(' ', o->out);
		tput(o->out, *f->fixed ? f->fixed : "-", 14);
		fprintf(o->out, " %s:%u\n", f->pkg->file, f->pkg->line);
		if (f->conditional) {
			fputs("  conditional: only with ", o->out);
			tput(o->out, f->platform, 0);
			fputs(" (not in the inventory; --strict-platform drops it)\n", o->out);
		}
		if (*f->conflicts) {
			fputs("  conflict: ", o->out);
			tput(o->out, f->conflicts, 0);
			fputs(" — but ", o->out);
			tput(o->out, f->advisories, 0);
			fputs(" say affected\n", o->out);
		}
	}
	if (!o->store)
		return MM_OK;
	struct mm_store_finding sf = {
		.host = f->pkg->host,
		.ecosystem = f->pkg->ecosystem,
		.package = f->pkg->name,
		.version = f->pkg->version,
		.vuln_id = f->vuln_id,
		.advisories = f->advisories,
		.aliases = f->aliases,
		.severity = mm_vuln_level_name(f->level),
		.fixed = f->fixed,
		.conflicts = f->conflicts,
		.file = f->pkg->file,
		.evidence = f->pkg->evidence,
		.json = o->b.p,
		.score = f->score,
		.line = f->pkg->line,
	};
	return mm_store_add_finding(o->store, &sf, o->err);
}

int mm_cmd_vuln(int argc, char **argv)
{
	const char *invs[MM_CLI_MAX_LIST], *advs[MM_CLI_MAX_LIST];
	size_t ninv = 0, nadv = 0;
	const char *host = NULL, *invfmt = NULL, *db = "mamori.db";
	bool json = false, quiet = false, strict = false;
	enum mm_vuln_level fail_on = MM_VL_UNKNOWN;
	bool fail_set = false;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "i:H:a:qh", g_opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			if (!mm_cli_push(invs, &ninv, optarg, "--inventory"))
				return MM_EXIT_USAGE;
			break;
		case 'a':
			if (!mm_cli_push(advs, &nadv, optarg, "--advisories"))
				return MM_EXIT_USAGE;
			break;
		case 'H': host = optarg; break;
		case OPT_INVFMT: invfmt = optarg; break;
		case OPT_JSON: json = true; break;
		case OPT_STRICT: strict = true; break;
		case OPT_DB: db = optarg; break;
		case OPT_FAILON:
			if (mm_vuln_level_from_name(optarg, &fail_on) || fail_on == MM_VL_UNKNOWN ||
			    fail_on == MM_VL_NONE) {
				fprintf(stderr, "mamori: --fail-on must be low, medium, high or critical\n");
				return MM_EXIT_USAGE;
			}
			fail_set = true;
			break;
		case 'q': quiet = true; break;
		case 'h': fputs(g_help, stdout); return MM_EXIT_OK;
		default: fputs("Try 'mamori vuln --help'.\n", stderr); return MM_EXIT_USAGE;
		}
	}
	if (optind < argc || !ninv) {
		fputs(optind < argc ? "mamori: vuln takes files through --inventory and --advisories\n"
		                    : "mamori: vuln needs at least one --inventory FILE\n",
		      stderr);
		fputs("Try 'mamori vuln --help'.\n", stderr);
		return MM_EXIT_USAGE;
	}
	if (invfmt && strcmp(invfmt, "auto") != 0) {
		bool ok = false;
		for (size_t i = 0; i < mm_inventory_format_count(); i++)
			ok = ok || !strcmp(invfmt, mm_inventory_format_name(i));
		if (!ok) {
			fprintf(stderr, "mamori: unknown inventory format '%s' (see 'mamori vuln --help')\n",
			        invfmt);
			return MM_EXIT_USAGE;
		}
	}
	int ret = MM_EXIT_OK;
	struct mm_error err;
	mm_error_clear(&err);
	struct mm_inventory inv;
	mm_inventory_init(&inv);
	struct mm_store *store = NULL;
	int64_t *sources = NULL;
	size_t nsources = 0;
	struct out_ctx o = {.out = stdout, .json = json, .fail_on = fail_on, .fail_set = fail_set,
	                    .err = &err};
	mm_buf_init(&o.b, 0);
	struct timespec t0, t1, t2;
	clock_gettime(CLOCK_MONOTONIC, &t0);

	for (size_t i = 0; i < ninv; i++) {
		size_t before = inv.n;
		if (mm_inventory_load(&inv, invs[i], invfmt, host, &err)) {
			mm_cli_error(&err);
			mm_error_clear(&err);
			ret = MM_EXIT_INPUT;
		} else if (!quiet) {
			fprintf(stderr, "mamori: %s: %zu packages\n", invs[i], inv.n - before);
		}
	}
	if (mm_store_open(&store, db, &err)) {
		mm_cli_error(&err);
		ret = MM_EXIT_STORE;
		goto out;
	}
	o.store = store;
	struct mm_vuln_stats vs;
	memset(&vs, 0, sizeof(vs));
	if (nadv) {
		size_t maxsrc = 1u << 22;
		sources = mm_calloc(maxsrc, sizeof(*sources));
		if (mm_vuln_index(store, advs, nadv, sources, maxsrc, &nsources, &vs, &err)) {
			mm_cli_error(&err);
			ret = MM_EXIT_INPUT;
			goto out;
		}
		if (!nsources) {
			fputs("mamori: no advisory files (*.json) under the --advisories paths\n", stderr);
			ret = MM_EXIT_INPUT;
			goto out;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	struct mm_vuln_match_stats ms;
	if (mm_store_begin(store, &err) ||
	    mm_vuln_match(store, &inv, sources, nsources,
	                  strict ? MM_VULN_STRICT_PLATFORM : 0, on_finding, &o, &ms, &err) ||
	    mm_store_commit(store, &err)) {
		mm_cli_error(&err);
		mm_store_rollback(store);
		ret = MM_EXIT_STORE;
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &t2);
	if (fflush(stdout) != 0) {
		perror("mamori: stdout");
		ret = MM_EXIT_STORE;
	}
	if (!quiet) {
		double ti = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		double tm = (double)(t2.tv_sec - t1.tv_sec) + (double)(t2.tv_nsec - t1.tv_nsec) / 1e9;
		fprintf(stderr,
		        "mamori: %zu packages (%llu malformed entries skipped); advisories: %llu files "
		        "(%llu unchanged, %llu unreadable or not advisories), %llu records indexed, "
		        "%llu malformed parts; %llu findings (%llu with conflicting records, "
		        "%llu conditional on a platform; %llu platform-bound records dropped "
		        "by --strict-platform); load+index %.3f s, match %.3f s\n",
		        inv.n, (unsigned long long)inv.errors, (unsigned long long)vs.files,
		        (unsigned long long)vs.files_skipped_unchanged,
		        (unsigned long long)vs.files_bad, (unsigned long long)vs.advisories,
		        (unsigned long long)vs.entries_bad, (unsigned long long)ms.findings,
		        (unsigned long long)ms.conflicts, (unsigned long long)ms.conditional,
		        (unsigned long long)ms.platform_unmet, ti, tm);
	}
	if (ret == MM_EXIT_OK && o.failing)
		ret = MM_EXIT_FINDINGS;
out:
	mm_buf_free(&o.b);
	free(sources);
	mm_store_close(store);
	mm_inventory_free(&inv);
	return ret;
}

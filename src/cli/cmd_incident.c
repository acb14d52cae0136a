/* mamori — `mamori incident list|show|ack|close`: incidents on the terminal
 * and their status (open → acknowledged → closed). New alerts are grouped
 * first, so the list is always current. Text from logs is made terminal-safe. */
#include "cli.h"

#include "mamori/incident.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char g_help[] =
	"usage: mamori incident list|show|ack|close [options] [ID]\n"
	"\n"
	"  list            incidents, most severe first (new alerts are grouped first)\n"
	"  show ID         one incident with the alerts behind it\n"
	"  ack ID          mark as acknowledged (someone is on it)\n"
	"  close ID        mark as closed; later alerts open a new incident\n"
	"\n"
	"Options:\n"
	"      --db FILE       SQLite store (default: mamori.db)\n"
	"      --note TEXT     with ack/close: a note stored with the status\n"
	"      --status S      with list: only open, acknowledged or closed\n"
	"      --gap DURATION  grouping gap for new alerts (default 6h)\n"
	"  -h, --help          this help\n"
	"\n"
	"Exit status: 0 done, 1 no such incident, 2 usage error, 5 store error.\n"
	"\n"
	"Example:\n"
	"  mamori incident list --db mamori.db && mamori incident ack 3 --note 'ticket 1234'\n";

enum { OPT_DB = 256, OPT_NOTE, OPT_STATUS, OPT_GAP };

static const struct option g_opts[] = {
	{"db", required_argument, NULL, OPT_DB},
	{"note", required_argument, NULL, OPT_NOTE},
	{"status", required_argument, NULL, OPT_STATUS},
	{"gap", required_argument, NULL, OPT_GAP},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

/* terminal-safe: control bytes as \xHH, invalid UTF-8 as \xHH */
static void safe(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = strlen((const char *)p);
	for (size_t i = 0; i < n;) {
		if (p[i] >= 0x80) {
			size_t l = mm_utf8_seq_len(p + i, n - i);
			if (l) {
				fwrite(p + i, 1, l, f);
				i += l;
				continue;
			}
		}
		if (p[i] < 0x20 || p[i] == 0x7f || p[i] >= 0x80)
			fprintf(f, "\\x%02x", p[i]);
		else
			fputc(p[i], f);
		i++;
	}
}

static void ts(char *buf, size_t n, int64_t t)
{
	mm_time_format(t, buf, n);
}

int mm_cmd_incident(int argc, char **argv)
{
	const char *db = "mamori.db", *note = NULL, *status = NULL;
	int64_t gap = 0;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", g_opts, NULL)) != -1) {
		switch (c) {
		case OPT_DB: db = optarg; break;
		case OPT_NOTE: note = optarg; break;
		case OPT_STATUS: status = optarg; break;
		case OPT_GAP:
			if (mm_cli_parse_duration(optarg, &gap)) {
				fputs("mamori: --gap needs a duration such as 90m, 6h or 2d\n", stderr);
				return MM_EXIT_USAGE;
			}
			break;
		case 'h': fputs(g_help, stdout); return MM_EXIT_OK;
		default: fputs("Try 'mamori incident --help'.\n", stderr); return MM_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fputs("mamori: incident needs list, show, ack or close\n"
		      "Try 'mamori incident --help'.\n",
		      stderr);
		return MM_EXIT_USAGE;
	}
	const char *verb = argv[optind++];
	bool list = !strcmp(verb, "list");
	enum mm_incident_status want = MM_INCIDENT_OPEN;
	if (status && mm_incident_status_parse(status, &want)) {
		fputs("mamori: --status must be open, acknowledged or closed\n", stderr);
		return MM_EXIT_USAGE;
	}
	int64_t id = 0;
	if (!list) {
		if (strcmp(verb, "show") && strcmp(verb, "ack") && strcmp(verb, "close")) {
			fprintf(stderr, "mamori: unknown incident command '%s'\n", verb);
			return MM_EXIT_USAGE;
		}
		if (optind >= argc || mm_slice_to_i64(mm_slice_cstr(argv[optind]), &id) || id < 1) {
			fprintf(stderr, "mamori: incident %s needs an incident ID (a number)\n", verb);
			return MM_EXIT_USAGE;
		}
	}
	struct mm_store *s = NULL;
	struct mm_error err;
	int ret = MM_EXIT_OK, rc;
	mm_error_clear(&err);
	if (mm_store_open(&s, db, &err)) {
		mm_cli_error(&err);
		return MM_EXIT_STORE;
	}
	struct mm_incident_opts io = {.gap_ns = gap};
	if (mm_incident_update(s, &io, NULL, &err)) {
		mm_cli_error(&err);
		ret = MM_EXIT_STORE;
		goto out;
	}
	if (list) {
		struct mm_incident *v = NULL;
		size_t n = 0;
		if (mm_incident_list(s, MM_TS_NONE, MM_TS_NONE, 0, &v, &n, &err)) {
			mm_cli_error(&err);
			ret = MM_EXIT_STORE;
			goto out;
		}
		printf("%-5s %-14s %-24s %-20s %6s %-9s %3s %s\n", "ID", "CLASS", "ENTITY",
		       "FIRST SEEN", "ALERTS", "OUTCOME", "SEV", "STATUS");
		for (size_t i = 0; i < n; i++) {
			if (status && v[i].status != want)
				continue;
			char t[40];
			ts(t, sizeof(t), v[i].first_ts);
			t[19] = '\0';
			printf("%-5lld %-14s ", (long long)v[i].id, mm_incident_class_id(v[i].cls));
			safe(stdout, v[i].entity);
			int pad = 24 - (int)strlen(v[i].entity ? v[i].entity : "");
			printf("%*s %-20s %6lld %-9s %3d %s\n", pad > 0 ? pad : 0, "", t,
			       (long long)v[i].alerts, mm_incident_outcome_name(v[i].outcome),
			       v[i].severity, mm_incident_status_name(v[i].status));
		}
		mm_incident_list_free(v, n);
	} else if (!strcmp(verb, "show")) {
		struct mm_incident in;
		struct mm_incident_evidence *ev = NULL;
		size_t nev = 0;
		if ((rc = mm_incident_get(s, id, &in, &err))) {
			mm_cli_error(&err);
			ret = rc == MM_ENOENT ? MM_EXIT_FINDINGS : MM_EXIT_STORE;
			goto out;
		}
		char a[40], b[40];
		ts(a, sizeof(a), in.first_ts);
		ts(b, sizeof(b), in.last_ts);
		printf("incident %lld: %s, entity %s=", (long long)in.id, mm_incident_class_id(in.cls),
		       in.entity_kind);
		safe(stdout, in.entity);
		printf("\n  seen %s – %s, %lld alerts, severity %d, outcome %s, status %s\n", a, b,
		       (long long)in.alerts, in.severity, mm_incident_outcome_name(in.outcome),
		       mm_incident_status_name(in.status));
		printf("  IPA 10 major threats 2025 rank: %d\n  techniques: ",
		       mm_incident_class_ipa_rank(in.cls));
		safe(stdout, in.techniques);
		printf("\n  assets: ");
		safe(stdout, in.assets);
		printf("\n  accounts: ");
		safe(stdout, in.accounts);
		printf(" (targeted %lld, compromised %lld)\n  rules: ", (long long)in.accounts_targeted,
		       (long long)in.accounts_compromised);
		safe(stdout, in.rules);
		if (in.status_note) {
			printf("\n  note: ");
			safe(stdout, in.status_note);
		}
		printf("\n\n");
		if ((rc = mm_incident_evidence(s, id, 1000, &ev, &nev, &err))) {
			mm_cli_error(&err);
			ret = MM_EXIT_STORE;
			mm_incident_clear(&in);
			goto out;
		}
		for (size_t i = 0; i < nev; i++) {
			ts(a, sizeof(a), ev[i].ts);
			printf("  %s ", a);
			safe(stdout, ev[i].rule_name);
			printf("\n    ");
			safe(stdout, ev[i].file);
			printf(":%lld (offset %lld)\n    ", (long long)ev[i].line, (long long)ev[i].offset);
			safe(stdout, ev[i].raw);
			printf("\n");
		}
		mm_incident_evidence_free(ev, nev);
		mm_incident_clear(&in);
	} else {
		enum mm_incident_status st =
			!strcmp(verb, "ack") ? MM_INCIDENT_ACKNOWLEDGED : MM_INCIDENT_CLOSED;
		if ((rc = mm_incident_set_status(s, id, st, note, &err))) {
			mm_cli_error(&err);
			ret = rc == MM_ENOENT ? MM_EXIT_FINDINGS : MM_EXIT_STORE;
			goto out;
		}
		printf("incident %lld: %s\n", (long long)id, mm_incident_status_name(st));
	}
out:
	mm_store_close(s);
	return ret;
}

/* mamori alerts show ID — one stored alert with the full value lists that its
 * JSON line caps (accounts tried, sources of a campaign, compromised
 * accounts): what an admin needs to force password resets and block
 * sources. Reads the SQLite store (src/store/, schema 4 alert_lists). */
#include "cli.h"

#include "mamori/store.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char g_help[] =
	"usage: mamori alerts show ALERT_ID [--db FILE] [--list NAME] [--json]\n"
	"\n"
	"Print one stored alert and the full value lists kept with it. Every\n"
	"correlation alert has `accounts` (user.name) and `sources` (source.ip) of\n"
	"the events it counted; value_count adds `values` (its field); credential\n"
	"stuffing has `sources`, `values` (accounts failed on) and\n"
	"`compromised_accounts`. The alert's JSON line lists only the first 20 of\n"
	"each, with the total.\n"
	"ALERT_ID is mamori.alert_id of the alert (16 hex digits).\n"
	"\n"
	"Options:\n"
	"      --db FILE      the store (default mamori.db)\n"
	"      --list NAME    print only that list, one value per line (for scripts:\n"
	"                     'mamori alerts show ID --list sources > block.txt')\n"
	"      --json         print the alert's JSON line first\n"
	"  -h, --help         this text\n"
	"\n"
	"Exit status: 0 found, 2 usage error, 5 store error or no such alert.\n";

enum { OPT_DB = 256, OPT_LIST, OPT_JSON };

static const struct option g_opts[] = {
	{"db", required_argument, NULL, OPT_DB},
	{"list", required_argument, NULL, OPT_LIST},
	{"json", no_argument, NULL, OPT_JSON},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

static int show(int argc, char **argv)
{
	const char *db = "mamori.db", *only = NULL;
	bool json = false;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", g_opts, NULL)) != -1) {
		switch (c) {
		case OPT_DB: db = optarg; break;
		case OPT_LIST: only = optarg; break;
		case OPT_JSON: json = true; break;
		case 'h': fputs(g_help, stdout); return MM_EXIT_OK;
		default: fputs("Try 'mamori alerts --help'.\n", stderr); return MM_EXIT_USAGE;
		}
	}
	if (optind + 1 != argc) {
		fputs("mamori: alerts show needs exactly one ALERT_ID\nTry 'mamori alerts --help'.\n",
		      stderr);
		return MM_EXIT_USAGE;
	}
	const char *id = argv[optind];
	struct mm_store *s = NULL;
	struct mm_store_list *l = NULL;
	size_t n = 0;
	char *js = NULL;
	int ret = MM_EXIT_STORE;
	struct mm_error err;
	mm_error_clear(&err);
	if (mm_store_open(&s, db, &err) || mm_store_alert_json(s, id, &js, &err) ||
	    mm_store_alert_lists(s, id, &l, &n, &err)) {
		mm_cli_error(&err);
		goto out;
	}
	if (json && !only)
		printf("%s\n", js);
	bool found = !only;
	for (size_t i = 0; i < n; i++) {
		if (only && strcmp(only, l[i].name) != 0)
			continue;
		found = true;
		if (!only)
			printf("%s%s%s%s: %zu kept of %llu distinct\n", l[i].name,
			       l[i].field ? " (" : "", l[i].field ? l[i].field : "",
			       l[i].field ? ")" : "", l[i].n, (unsigned long long)l[i].total);
		for (size_t j = 0; j < l[i].n; j++)
			printf("%s%s\n", only ? "" : "  ", l[i].v[j]);
	}
	if (!found) {
		fprintf(stderr, "mamori: alert %s has no list '%s'\n", id, only);
		goto out;
	}
	if (!n && !only && !json)
		printf("alert %s has no value lists (only correlation and analyzer alerts do); "
		       "--json prints it\n",
		       id);
	ret = fflush(stdout) == 0 ? MM_EXIT_OK : MM_EXIT_STORE;
out:
	free(js);
	mm_store_lists_free(l, n);
	mm_store_close(s);
	return ret;
}

int mm_cmd_alerts(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(g_help, argc < 2 ? stderr : stdout);
		return argc < 2 ? MM_EXIT_USAGE : MM_EXIT_OK;
	}
	if (!strcmp(argv[1], "show"))
		return show(argc - 1, argv + 1);
	fprintf(stderr, "mamori: unknown alerts command '%s'\nTry 'mamori alerts --help'.\n",
	        argv[1]);
	return MM_EXIT_USAGE;
}

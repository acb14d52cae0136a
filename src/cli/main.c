/* mamori — command-line entry point. Dispatches `mamori <command> …` to
 * src/cli/cmd_<command>.c; everything else lives in libmamori. */
#include "cli.h"

#include "mamori/version.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *summary;
} g_cmds[] = {
	{"scan", mm_cmd_scan, "scan log files with the rules; alerts as JSON Lines + SQLite"},
	{"rules", mm_cmd_rules, "list, check and test Sigma rules"},
	{"formats", mm_cmd_formats, "list the log formats mamori decodes"},
	{"mail", mm_cmd_mail, "phishing analysis of .eml files, directories and mboxes (JSON verdicts)"},
	{"vuln", mm_cmd_vuln, "inventories (dpkg, rpm, SBOM, java, CSV) x advisories (OSV, NVD, CVE 5)"},
	{"report", mm_cmd_report, "incidents, estimated loss and the management report"},
	{"incident", mm_cmd_incident, "list incidents; show, acknowledge or close one"},
	{"alerts", mm_cmd_alerts, "show a stored alert with its full account/source lists"},
	{"dlp", mm_cmd_dlp, "find and count personal data (PII) in files, exports, archives"},
};

static void usage(FILE *f)
{
	fprintf(f, "usage: mamori <command> [options] [args]\n\n"
	           "mamori %s — security monitoring for the logs you already have.\n\n"
	           "Commands:\n",
	        MM_VERSION);
	for (size_t i = 0; i < sizeof(g_cmds) / sizeof(g_cmds[0]); i++)
		fprintf(f, "  %-9s %s\n", g_cmds[i].name, g_cmds[i].summary);
	fprintf(f, "  version   print the version\n"
	           "  help      this text; 'mamori <command> --help' for a command\n\n"
	           "Example:\n"
	           "  mamori scan /var/log/nginx/access.log* /var/log/auth.log > alerts.jsonl\n\n"
	           "See mamori(1).\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return MM_EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
		if (argc > 2) {
			for (size_t i = 0; i < sizeof(g_cmds) / sizeof(g_cmds[0]); i++)
				if (!strcmp(argv[2], g_cmds[i].name)) {
					char *av[] = {argv[2], (char *)"--help", NULL};
					return g_cmds[i].fn(2, av);
				}
		}
		usage(stdout);
		return MM_EXIT_OK;
	}
	if (!strcmp(cmd, "version") || !strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
		printf("mamori %s\n", MM_VERSION);
		return MM_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(g_cmds) / sizeof(g_cmds[0]); i++)
		if (!strcmp(cmd, g_cmds[i].name))
			return g_cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "mamori: unknown command '%s'\n\n", cmd);
	usage(stderr);
	return MM_EXIT_USAGE;
}

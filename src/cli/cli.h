/* mamori — shared pieces of the command-line front end (src/cli/): exit codes,
 * ruleset loading from options, small helpers. Each subcommand is one
 * cmd_<name>.c with an entry point and its --help text. */
#ifndef MAMORI_CLI_H
#define MAMORI_CLI_H

#include "mamori/config.h"
#include "mamori/detect.h"

/* Exit codes (documented in docs/mamori.1 and --help). */
enum {
	MM_EXIT_OK = 0,       /* done; alerts may or may not have been found */
	MM_EXIT_FINDINGS = 1, /* `rules check`: some rules not loaded; `rules test`: failures;
	                         `vuln`: findings at or above --fail-on */
	MM_EXIT_USAGE = 2,    /* bad command line or configuration */
	MM_EXIT_INPUT = 3,    /* some input could not be read (the rest was scanned) */
	MM_EXIT_RULES = 4,    /* rules or pipelines could not be loaded */
	MM_EXIT_STORE = 5,    /* the SQLite store or the output failed */
};

#define MM_CLI_MAX_LIST 64

struct mm_rule_opts {
	const char *rules[MM_CLI_MAX_LIST]; /* --rules PATH … (none = builtin) */
	size_t nrules;
	const char *pipelines[MM_CLI_MAX_LIST];
	size_t npipelines;
	bool builtin;     /* --builtin: add the bundled rules to --rules */
	bool no_pipeline; /* --no-default-pipeline */
};

/* Load and compile a ruleset per opts. On failure prints the error and
 * returns NULL. Rule-level problems are not failures (see `rules check`);
 * when warn_unloaded, a one-line count of them goes to stderr. */
struct mm_ruleset *mm_cli_load_rules(const struct mm_rule_opts *o, bool warn_unloaded);

/* Print an mm_error as "mamori: …" on stderr. */
void mm_cli_error(const struct mm_error *err);
/* The integer at config path SECTION.KEY within [lo, hi]: 1 (*v set), 0
 * when absent, -1 when not an integer or out of range (printed). */
int mm_cli_config_int(const struct mm_config *cfg, const char *section, const char *key,
                      int64_t lo, int64_t hi, int64_t *v);
/* Append to a fixed list; returns false (and prints) when full. */
bool mm_cli_push(const char **list, size_t *n, const char *v, const char *what);

int mm_cmd_scan(int argc, char **argv);
int mm_cmd_rules(int argc, char **argv);
int mm_cmd_formats(int argc, char **argv);
int mm_cmd_vuln(int argc, char **argv);
int mm_cmd_mail(int argc, char **argv);
int mm_cmd_report(int argc, char **argv);
int mm_cmd_incident(int argc, char **argv);

/* "90m", "6h", "2d", "30s" → ns. 0, or -1 when not a duration. */
int mm_cli_parse_duration(const char *s, int64_t *ns);
int mm_cmd_alerts(int argc, char **argv);
int mm_cmd_dlp(int argc, char **argv);

#endif

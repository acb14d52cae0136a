/* mamori — CLI helpers shared by the subcommands: loading the ruleset the
 * user asked for (bundled by default), and error printing. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

void mm_cli_error(const struct mm_error *err)
{
	char buf[2048];
	mm_error_format(err, buf, sizeof(buf));
	fprintf(stderr, "mamori: %s\n", buf);
}

bool mm_cli_push(const char **list, size_t *n, const char *v, const char *what)
{
	if (*n >= MM_CLI_MAX_LIST) {
		fprintf(stderr, "mamori: too many %s (at most %d)\n", what, MM_CLI_MAX_LIST);
		return false;
	}
	list[(*n)++] = v;
	return true;
}

int mm_cli_config_int(const struct mm_config *cfg, const char *section, const char *key,
                      int64_t lo, int64_t hi, int64_t *v)
{
	char path[256];
	struct mm_error err;
	snprintf(path, sizeof(path), "%s.%s", section, key);
	int rc = mm_config_int(cfg, path, v, &err);
	if (rc == MM_ENOENT)
		return 0;
	if (rc || *v < lo || *v > hi) {
		fprintf(stderr, "mamori: %s must be an integer from %lld to %lld\n", path,
		        (long long)lo, (long long)hi);
		return -1;
	}
	return 1;
}

struct mm_ruleset *mm_cli_load_rules(const struct mm_rule_opts *o, bool warn_unloaded)
{
	struct mm_error err;
	mm_error_clear(&err);
	struct mm_ruleset *rs = mm_ruleset_new(!o->no_pipeline);
	int rc = 0;
	for (size_t i = 0; i < o->npipelines && !rc; i++)
		rc = mm_ruleset_add_pipeline_file(rs, o->pipelines[i], &err);
	if (!rc && (o->nrules == 0 || o->builtin))
		rc = mm_ruleset_add_builtin(rs, &err);
	for (size_t i = 0; i < o->nrules && !rc; i++)
		rc = mm_ruleset_add_path(rs, o->rules[i], &err);
	if (!rc)
		rc = mm_ruleset_compile(rs, &err);
	if (rc) {
		mm_cli_error(&err);
		mm_ruleset_free(rs);
		return NULL;
	}
	if (warn_unloaded) {
		size_t bad = 0;
		for (size_t i = 0; i < mm_ruleset_status_count(rs); i++) {
			enum mm_rule_state s = mm_ruleset_status_at(rs, i)->state;
			bad += s == MM_RULE_UNSUPPORTED || s == MM_RULE_INVALID;
		}
		if (bad)
			fprintf(stderr,
			        "mamori: %zu rule(s) not loaded (unsupported or invalid); "
			        "'mamori rules check' lists them with the reason\n",
			        bad);
	}
	return rs;
}

/* mamori — private to src/cli/: the mail: section of mamori.yaml (own
 * domains, local networks, bulk senders, IoC lists, analyzer thresholds),
 * read once for `scan` (MTA-log analyzers) and `mail` (message verdicts).
 * Documented in docs/mail.md "Configuration". */
#ifndef MAMORI_CLI_MAIL_CFG_H
#define MAMORI_CLI_MAIL_CFG_H

#include "cli.h"
#include "mamori/mail.h"

struct mm_cli_mail_cfg {
	const char *own[MM_CLI_MAX_LIST], *bulk[MM_CLI_MAX_LIST], *brands[MM_CLI_MAX_LIST];
	const char *ioc_domains[256], *ioc_urls[256], *shorteners[MM_CLI_MAX_LIST];
	const char *authserv[MM_CLI_MAX_LIST];
	struct mm_cidr nets[MM_CLI_MAX_LIST];
	struct mm_mail_opts an;        /* points into this struct and the config */
	struct mm_mail_check_opts chk; /* same */
};

/* Read cfg's mail: section (cfg may be NULL: defaults). Returns 0, or -1
 * after printing what is wrong. Strings stay borrowed from cfg. */
int mm_cli_mail_config(const struct mm_config *cfg, struct mm_cli_mail_cfg *m);

#endif

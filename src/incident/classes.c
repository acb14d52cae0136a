/* mamori — incident classes: ids, the IPA "10大脅威" mapping, and the table
 * that puts an alert into a class from its rule's ATT&CK tags, the folder
 * its rule lives in (rules/<class-folder>/) and the event dataset.
 * Pipeline position: alerts → classify → incident grouping (incident.c). */
#include "mamori/incident.h"

#include <string.h>

static const struct {
	const char *id;
	int ipa_rank;
} g_classes[] = {
#define X(e, id, rank) {id, rank},
	MM_INCIDENT_CLASSES(X)
#undef X
};

const char *mm_incident_class_id(enum mm_incident_class c)
{
	return (unsigned)c < MM_IC__COUNT ? g_classes[c].id : "other";
}

int mm_incident_class_ipa_rank(enum mm_incident_class c)
{
	return (unsigned)c < MM_IC__COUNT ? g_classes[c].ipa_rank : 0;
}

int mm_incident_class_parse(const char *id, enum mm_incident_class *out)
{
	for (size_t i = 0; i < MM_IC__COUNT; i++)
		if (!strcmp(g_classes[i].id, id)) {
			*out = (enum mm_incident_class)i;
			return MM_OK;
		}
	return MM_ENOENT;
}

/* The class table. Rows are tried in order; a row matches when each of its
 * non-NULL keys matches: `tag` is an ATT&CK tag prefix (Sigma's tag
 * convention, "attack.t1110" also matches sub-techniques), `folder` the name
 * of the folder holding the rule ("web" for builtin:web/… or
 * /etc/mamori/rules/web/x.yml), `dataset` a prefix of event.dataset.
 * Order matters: what an alert *proves* (a web shell, a login attempt) comes
 * before how it was delivered, and reconnaissance comes after exploitation so
 * that "sqlmap" (both tags) counts as an attack, not a scan. */
static const struct {
	const char *tag, *folder, *dataset;
	enum mm_incident_class cls;
} g_map[] = {
	{"attack.t1505.003", NULL, NULL, MM_IC_WEB_ATTACK},   /* web shell */
	{"attack.t1110", NULL, NULL, MM_IC_ACCOUNT_ATTACK},   /* brute force family */
	{"attack.t1078", NULL, NULL, MM_IC_ACCOUNT_ATTACK},   /* valid accounts */
	{"attack.t1190", "web", NULL, MM_IC_WEB_ATTACK},      /* public-facing app */
	{"attack.t1190", NULL, "web.", MM_IC_WEB_ATTACK},
	{"attack.t1189", NULL, "web.", MM_IC_WEB_ATTACK},     /* drive-by (XSS) */
	{"attack.t1190", NULL, NULL, MM_IC_EXPLOIT},          /* sshd, MTA, VPN … */
	{"attack.t1048", NULL, NULL, MM_IC_EXFILTRATION},     /* exfil over other protocol */
	{"attack.t1041", NULL, NULL, MM_IC_EXFILTRATION},     /* exfil over C2 channel */
	{"attack.t1567", NULL, NULL, MM_IC_EXFILTRATION},     /* exfil to web service */
	{"attack.exfiltration", NULL, NULL, MM_IC_EXFILTRATION},
	{"attack.t1071", NULL, NULL, MM_IC_EGRESS},           /* application-layer C2 */
	{"attack.t1090", NULL, NULL, MM_IC_EGRESS},           /* proxy (router botnets) */
	{"attack.command-and-control", NULL, NULL, MM_IC_EGRESS},
	{"attack.t1566", NULL, NULL, MM_IC_PHISHING_MAIL},    /* phishing */
	{"attack.reconnaissance", NULL, NULL, MM_IC_RECON},
	{"attack.t1595", NULL, NULL, MM_IC_RECON},
	{"attack.t1046", NULL, NULL, MM_IC_RECON},
	{"attack.discovery", NULL, NULL, MM_IC_RECON},
	/* rules without ATT&CK tags: by folder (rules/<folder>/) */
	{NULL, "web", NULL, MM_IC_WEB_ATTACK},
	{NULL, "ssh", NULL, MM_IC_ACCOUNT_ATTACK},
	{NULL, "auth", NULL, MM_IC_ACCOUNT_ATTACK},
	{NULL, "egress", NULL, MM_IC_EGRESS},
	{NULL, "exfiltration", NULL, MM_IC_EXFILTRATION},
	{NULL, "mail", NULL, MM_IC_MAIL_RELAY},
	{NULL, "relay", NULL, MM_IC_MAIL_RELAY},
	{NULL, "phishing", NULL, MM_IC_PHISHING_MAIL},
	{NULL, "vuln", NULL, MM_IC_VULNERABILITY},
	{NULL, "dlp", NULL, MM_IC_PERSONAL_DATA},
	{NULL, NULL, "web.", MM_IC_WEB_ATTACK},
};

bool mm_incident_tags_have(const char *tags, const char *prefix)
{
	if (!tags)
		return false;
	size_t pn = strlen(prefix);
	/* walk the strings of a flat JSON array; tags never nest */
	for (const char *p = tags; *p; p++) {
		if (*p != '"')
			continue;
		const char *s = p + 1, *e = s;
		while (*e && *e != '"') {
			if (*e == '\\' && e[1])
				e++;
			e++;
		}
		size_t n = (size_t)(e - s);
		if (n >= pn && !strncmp(s, prefix, pn) && (n == pn || s[pn] == '.'))
			return true;
		if (!*e)
			break;
		p = e;
	}
	return false;
}

/* "builtin:web/web_x.yml" → "web"; "/etc/rules/ssh/a.yml" → "ssh". */
static bool folder_is(const char *ref, const char *folder)
{
	if (!ref)
		return false;
	const char *slash = strrchr(ref, '/');
	if (!slash)
		return false;
	const char *start = slash;
	while (start > ref && start[-1] != '/' && start[-1] != ':')
		start--;
	size_t n = (size_t)(slash - start);
	return n == strlen(folder) && !strncmp(start, folder, n);
}

enum mm_incident_class mm_incident_classify(const char *tags, const char *ref,
                                            const char *dataset)
{
	for (size_t i = 0; i < MM_ARRAY_LEN(g_map); i++) {
		if (g_map[i].tag && !mm_incident_tags_have(tags, g_map[i].tag))
			continue;
		if (g_map[i].folder && !folder_is(ref, g_map[i].folder))
			continue;
		if (g_map[i].dataset &&
		    (!dataset || strncmp(dataset, g_map[i].dataset, strlen(g_map[i].dataset))))
			continue;
		return g_map[i].cls;
	}
	return MM_IC_OTHER;
}

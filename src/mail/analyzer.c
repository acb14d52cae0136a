/* mamori — MTA-log analyzers: per sender (SASL account, client IP, local
 * uid) and per MTA host, buckets of event time (1 h) of deliveries to
 * external recipients, bounces and "your IP is listed" refusals, judged
 * against the sender's own baseline when a bucket closes; consecutive hot
 * buckets form one incident, reported once with its totals, the external
 * domains, recipients, senders and queue IDs. A Sigma correlation cannot
 * compare with a per-sender baseline or say "external", so this is a
 * built-in analyzer emitting correlation-shaped results (detect.h).
 * Position: Postfix/Exim decoders → (rules) → this → alert. docs/mail.md. */
#include "mamori/mail.h"

#include "mail_int.h"

#include <ctype.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>

#define DEF_BUCKET (3600 * MM_NS_PER_SEC)
#define DOMSET_CAP 4096 /* distinct domains counted exactly per incident */
#define LISTED 20       /* values kept per list */
#define QID_RING 16
#define MAX_FILES 4096

enum okind { K_UNAUTH, K_AUTH, K_LOCALNET, K_LOCALUID, K_HOST };

/* A set of 64-bit hashes (open addressing, capped) plus the first values. */
struct vset {
	uint64_t *h;
	uint32_t cap, n;  /* n exact while below cap */
	bool saturated;
	char *v[LISTED];
	uint32_t nv;
};

struct incident {
	bool open;
	enum mm__mail_rule rule; /* decided by the incident's first hot bucket */
	int64_t first, last;
	uint64_t ext, deliveries, sent, bounced, deferred, listed, msgs;
	uint32_t buckets;
	struct vset doms, rcpts, senders, qids, clients, msgids;
	struct mm_evref ref[2]; /* first and last contributing line */
	uint64_t refs;
	char *raw;    /* the last contributing line (the alert's evidence raw), capped */
	size_t rawn, rawcap;
};

#define RAW_MAX 4096

static void raw_set(struct incident *in, const char *p, size_t n)
{
	n = MM_MIN(n, (size_t)RAW_MAX);
	if (n + 1 > in->rawcap) {
		in->rawcap = n + 1;
		in->raw = mm_realloc(in->raw, in->rawcap);
	}
	if (n)
		memcpy(in->raw, p, n);
	in->raw[n] = '\0';
	in->rawn = n;
}

struct bucket {
	int64_t start; /* MM_TS_NONE: empty */
	uint64_t ext, deliveries, sent, bounced, deferred, listed, msgs;
	uint64_t qring[QID_RING];
	uint32_t qpos;
	struct vset doms;
	struct incident acc; /* this bucket's contributions, merged if hot */
};

struct origin {
	char *key;
	enum okind kind;
	char *g[2];     /* group values (ip / user / uid+host / host) */
	bool bulk;
	struct bucket b;
	struct incident vol, bounce, listed;
	int64_t first_bucket;
	double hist_ext;   /* external recipients in non-hot buckets so far */
	uint64_t sasl_fail; /* SASL failures of this client IP before/within */
};

struct mm_mail_an {
	struct mm_mail_opts o;
	struct mm_cidr def_nets[8];
	struct mm_map *omap;  /* key → origin */
	struct origin **ov;   /* insertion order (deterministic sweeps) */
	size_t on, ocap;
	struct mm_map *sasl;  /* client ip → uintptr_t failures */
	char *files[MAX_FILES];
	size_t nfiles;
	int64_t now, swept;
	struct mm_event last_ev; /* evidence of the newest contributing line */
	struct mm_mail_an_stats st;
};

/* ---- rules ----------------------------------------------------------------- */
static const char *const g_tags_relay[] = {"attack.resource-development", "attack.t1584"};
static const char *const g_tags_relay_sasl[] = {"attack.resource-development", "attack.t1584",
                                                "attack.credential-access"};
static const char *const g_tags_mass[] = {"attack.initial-access", "attack.t1566",
                                          "attack.t1566.002"};
static const char *const g_tags_none[] = {"attack.impact"};

const struct mm_rule_info mm__mail_rules[MM__MR_COUNT] = {
	[MM__MR_RELAY] = {
		.id = "0f7c1b64-6a0e-4d53-9a7e-2c51d9e0a101",
		.name = "mail_unauthenticated_relay",
		.title = "Mail Relayed For An Unauthenticated Outside Client",
		.level = "critical",
		.severity = 4,
		.status = "experimental",
		.description = "The MTA accepted mail from a client outside the local networks that "
		               "did not authenticate (no SASL login) and delivered it to external "
		               "domains: it is an open relay, or its sender authentication can be "
		               "bypassed. Its IP will land on blocklists.",
		.path = "analyzer:mail/mail_unauthenticated_relay",
		.tags = g_tags_relay,
		.ntags = MM_ARRAY_LEN(g_tags_relay),
		.index = SIZE_MAX,
		.corr_type = "mail_relay",
	},
	[MM__MR_RELAY_SASL] = {
		.id = "0f7c1b64-6a0e-4d53-9a7e-2c51d9e0a102",
		.name = "mail_relay_after_sasl_failures",
		.title = "Unauthenticated Relay After A Streak Of SASL Authentication Failures",
		.level = "critical",
		.severity = 4,
		.status = "experimental",
		.description = "A client that failed SASL authentication repeatedly then had mail "
		               "relayed to external domains without authenticating: the "
		               "authentication step was bypassed.",
		.path = "analyzer:mail/mail_relay_after_sasl_failures",
		.tags = g_tags_relay_sasl,
		.ntags = MM_ARRAY_LEN(g_tags_relay_sasl),
		.index = SIZE_MAX,
		.corr_type = "mail_relay",
	},
	[MM__MR_BURST] = {
		.id = "0f7c1b64-6a0e-4d53-9a7e-2c51d9e0a103",
		.name = "mail_sender_burst",
		.title = "Mail Volume Burst From One Sender Against Its Baseline",
		.level = "high",
		.severity = 3,
		.status = "experimental",
		.description = "A sender (account, client or local user) sent to many more external "
		               "recipients and domains in an hour than its own baseline: a "
		               "compromised account or host sending spam.",
		.path = "analyzer:mail/mail_sender_burst",
		.tags = g_tags_none,
		.ntags = MM_ARRAY_LEN(g_tags_none),
		.index = SIZE_MAX,
		.corr_type = "mail_burst",
	},
	[MM__MR_MASS] = {
		.id = "0f7c1b64-6a0e-4d53-9a7e-2c51d9e0a104",
		.name = "mail_quiet_sender_mass_mailing",
		.title = "Mass Mailing To External Recipients From A Normally Quiet Sender",
		.level = "high",
		.severity = 3,
		.status = "experimental",
		.description = "A host or account that normally sends little suddenly mailed many "
		               "external recipients across many domains (a breached web server "
		               "mailing its customers). Check the messages' URLs with mamori mail.",
		.path = "analyzer:mail/mail_quiet_sender_mass_mailing",
		.tags = g_tags_mass,
		.ntags = MM_ARRAY_LEN(g_tags_mass),
		.index = SIZE_MAX,
		.corr_type = "mail_burst",
	},
	[MM__MR_BOUNCE] = {
		.id = "0f7c1b64-6a0e-4d53-9a7e-2c51d9e0a105",
		.name = "mail_high_bounce_ratio",
		.title = "High Bounce Ratio From One Sender",
		.level = "medium",
		.severity = 2,
		.status = "experimental",
		.description = "Many of one sender's deliveries in an hour were refused with a "
		               "permanent (5xx) error: mailing to harvested or made-up addresses.",
		.path = "analyzer:mail/mail_high_bounce_ratio",
		.tags = g_tags_none,
		.ntags = MM_ARRAY_LEN(g_tags_none),
		.index = SIZE_MAX,
		.corr_type = "mail_bounce_ratio",
	},
	[MM__MR_LISTED] = {
		.id = "0f7c1b64-6a0e-4d53-9a7e-2c51d9e0a106",
		.name = "mail_outbound_ip_listed",
		.title = "Receiving Providers Refuse Mail Because The Server's IP Is Listed",
		.level = "high",
		.severity = 3,
		.status = "experimental",
		.description = "Remote servers deferred or refused this MTA's deliveries saying its "
		               "IP is on a blocklist or has a poor reputation: it has been sending "
		               "spam (relay abuse or a compromised sender).",
		.path = "analyzer:mail/mail_outbound_ip_listed",
		.tags = g_tags_none,
		.ntags = MM_ARRAY_LEN(g_tags_none),
		.index = SIZE_MAX,
		.corr_type = "mail_listed",
	},
	[MM__MR_PHISH] = {
		.id = "0f7c1b64-6a0e-4d53-9a7e-2c51d9e0a107",
		.name = "mail_message_phishing",
		.title = "Phishing Message (mamori mail verdict)",
		.level = "high",
		.severity = 3,
		.status = "experimental",
		.description = "mamori mail scored the message as phishing: its URLs, sender and "
		               "authentication results carry the reasons listed with the verdict.",
		.path = "analyzer:phishing/mail_message_phishing",
		.tags = g_tags_mass,
		.ntags = MM_ARRAY_LEN(g_tags_mass),
		.index = SIZE_MAX,
		.corr_type = "mail_verdict",
	},
	[MM__MR_SUSPICIOUS] = {
		.id = "0f7c1b64-6a0e-4d53-9a7e-2c51d9e0a108",
		.name = "mail_message_suspicious",
		.title = "Suspicious Message (mamori mail verdict)",
		.level = "medium",
		.severity = 2,
		.status = "experimental",
		.description = "mamori mail found phishing signals in the message, below the "
		               "phishing threshold; the reasons are listed with the verdict.",
		.path = "analyzer:phishing/mail_message_suspicious",
		.tags = g_tags_mass,
		.ntags = MM_ARRAY_LEN(g_tags_mass),
		.index = SIZE_MAX,
		.corr_type = "mail_verdict",
	},
};

/* ---- small sets ------------------------------------------------------------ */

static void vset_free(struct vset *s)
{
	free(s->h);
	for (uint32_t i = 0; i < s->nv; i++)
		free(s->v[i]);
	memset(s, 0, sizeof(*s));
}

/* Add; returns true when new. */
static bool vset_add(struct vset *s, struct mm_slice v, uint32_t cap)
{
	if (!v.p || !v.n)
		return false;
	uint64_t h = mm_hash64_ci(v.p, v.n, 0x6d61696cull) | 1;
	if (!s->h) {
		s->cap = 64;
		s->h = mm_calloc(s->cap, sizeof(uint64_t));
	}
	uint32_t m = s->cap - 1, i = (uint32_t)h & m;
	while (s->h[i]) {
		if (s->h[i] == h)
			return false;
		i = (i + 1) & m;
	}
	if (s->n + 1 > s->cap / 2) {
		if (s->cap >= cap) {
			s->saturated = true;
			s->n++; /* counted beyond the cap (may count repeats) */
			return true;
		}
		uint64_t *old = s->h;
		uint32_t oc = s->cap;
		s->cap *= 2;
		s->h = mm_calloc(s->cap, sizeof(uint64_t));
		m = s->cap - 1;
		for (uint32_t k = 0; k < oc; k++)
			if (old[k]) {
				uint32_t j = (uint32_t)old[k] & m;
				while (s->h[j])
					j = (j + 1) & m;
				s->h[j] = old[k];
			}
		free(old);
		i = (uint32_t)h & m;
		while (s->h[i])
			i = (i + 1) & m;
	}
	s->h[i] = h;
	s->n++;
	if (s->nv < LISTED) {
		char *c = mm_slice_strdup(v);
		for (char *q = c; *q; q++)
			*q = (char)tolower((unsigned char)*q);
		s->v[s->nv++] = c;
	}
	return true;
}

static void vset_merge(struct vset *dst, const struct vset *src, uint32_t cap)
{
	/* exact for the listed values; the rest counted by hash */
	for (uint32_t i = 0; i < src->nv; i++)
		vset_add(dst, mm_slice_cstr(src->v[i]), cap);
	if (src->h)
		for (uint32_t k = 0; k < src->cap; k++) {
			uint64_t h = src->h[k];
			if (!h)
				continue;
			bool listed = false;
			for (uint32_t i = 0; i < src->nv && !listed; i++)
				listed = (mm_hash64_ci(src->v[i], strlen(src->v[i]), 0x6d61696cull) | 1) == h;
			if (listed)
				continue;
			/* insert the bare hash */
			if (!dst->h) {
				dst->cap = 64;
				dst->h = mm_calloc(dst->cap, sizeof(uint64_t));
			}
			if (dst->n + 1 > dst->cap / 2 && dst->cap >= cap) {
				dst->saturated = true;
				dst->n++;
				continue;
			}
			if (dst->n + 1 > dst->cap / 2) {
				uint64_t *old = dst->h;
				uint32_t oc = dst->cap;
				dst->cap *= 2;
				dst->h = mm_calloc(dst->cap, sizeof(uint64_t));
				for (uint32_t q = 0; q < oc; q++)
					if (old[q]) {
						uint32_t j = (uint32_t)old[q] & (dst->cap - 1);
						while (dst->h[j])
							j = (j + 1) & (dst->cap - 1);
						dst->h[j] = old[q];
					}
				free(old);
			}
			uint32_t j = (uint32_t)h & (dst->cap - 1);
			bool dup = false;
			while (dst->h[j]) {
				if (dst->h[j] == h) {
					dup = true;
					break;
				}
				j = (j + 1) & (dst->cap - 1);
			}
			if (!dup) {
				dst->h[j] = h;
				dst->n++;
			}
		}
	if (src->saturated)
		dst->saturated = true;
}

static void inc_free(struct incident *in)
{
	vset_free(&in->doms);
	vset_free(&in->rcpts);
	vset_free(&in->senders);
	vset_free(&in->qids);
	vset_free(&in->clients);
	vset_free(&in->msgids);
	free(in->raw);
	memset(in, 0, sizeof(*in));
}

static void inc_merge(struct incident *dst, const struct incident *src)
{
	if (!dst->open) {
		dst->open = true;
		dst->first = src->first;
		dst->ref[0] = src->ref[0];
	}
	dst->last = src->last;
	dst->ref[1] = src->ref[1];
	if (src->raw)
		raw_set(dst, src->raw, src->rawn);
	dst->refs += src->refs;
	dst->ext += src->ext;
	dst->deliveries += src->deliveries;
	dst->sent += src->sent;
	dst->bounced += src->bounced;
	dst->deferred += src->deferred;
	dst->listed += src->listed;
	dst->msgs += src->msgs;
	dst->buckets++;
	vset_merge(&dst->doms, &src->doms, DOMSET_CAP);
	vset_merge(&dst->rcpts, &src->rcpts, DOMSET_CAP);
	vset_merge(&dst->senders, &src->senders, DOMSET_CAP);
	vset_merge(&dst->qids, &src->qids, DOMSET_CAP);
	vset_merge(&dst->clients, &src->clients, DOMSET_CAP);
	vset_merge(&dst->msgids, &src->msgids, DOMSET_CAP);
}

/* ---- construction ----------------------------------------------------------- */

struct mm_mail_an *mm_mail_an_new(const struct mm_mail_opts *o)
{
	struct mm_mail_an *a = mm_calloc(1, sizeof(*a));
	if (o)
		a->o = *o;
	if (a->o.bucket_ns <= 0)
		a->o.bucket_ns = DEF_BUCKET;
	if (!a->o.relay_min)
		a->o.relay_min = 3;
	if (!a->o.burst_min)
		a->o.burst_min = 100;
	if (!a->o.burst_domains)
		a->o.burst_domains = 10;
	if (a->o.burst_factor <= 0)
		a->o.burst_factor = 10;
	if (a->o.quiet_rate <= 0)
		a->o.quiet_rate = 2;
	if (!a->o.sasl_streak)
		a->o.sasl_streak = 5;
	if (!a->o.bounce_min)
		a->o.bounce_min = 20;
	if (a->o.bounce_ratio <= 0 || a->o.bounce_ratio > 1)
		a->o.bounce_ratio = 0.3;
	if (!a->o.listed_min)
		a->o.listed_min = 5;
	if (!a->o.max_origins)
		a->o.max_origins = 20000;
	if (!a->o.local_nets) {
		static const char *const nets[] = {"127.0.0.0/8", "10.0.0.0/8",  "172.16.0.0/12",
		                                   "192.168.0.0/16", "100.64.0.0/10", "::1/128",
		                                   "fc00::/7",    "fe80::/10"};
		for (size_t i = 0; i < MM_ARRAY_LEN(nets); i++)
			mm_cidr_parse(mm_slice_cstr(nets[i]), &a->def_nets[i]);
		a->o.local_nets = a->def_nets;
		a->o.nlocal_nets = MM_ARRAY_LEN(nets);
	}
	a->omap = mm_map_new(true);
	a->sasl = mm_map_new(false);
	a->now = a->swept = MM_TS_NONE;
	return a;
}

void mm_mail_an_free(struct mm_mail_an *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->on; i++) {
		struct origin *o = a->ov[i];
		free(o->key);
		free(o->g[0]);
		free(o->g[1]);
		vset_free(&o->b.doms);
		inc_free(&o->b.acc);
		inc_free(&o->vol);
		inc_free(&o->bounce);
		inc_free(&o->listed);
		free(o);
	}
	free(a->ov);
	mm_map_free(a->omap);
	mm_map_free(a->sasl);
	for (size_t i = 0; i < a->nfiles; i++)
		free(a->files[i]);
	free(a);
}

void mm_mail_an_stats(const struct mm_mail_an *a, struct mm_mail_an_stats *out)
{
	*out = a->st;
	out->origins = a->on;
}

size_t mm_mail_rule_count(void)
{
	return MM__MR_COUNT;
}

const struct mm_rule_info *mm_mail_rule_at(size_t i)
{
	return i < MM__MR_COUNT ? &mm__mail_rules[i] : NULL;
}

const struct mm_rule_info *mm_mail_rule_find(const char *id)
{
	for (size_t i = 0; i < MM__MR_COUNT; i++)
		if (!strcmp(mm__mail_rules[i].id, id) ||
		    (mm__mail_rules[i].name && !strcmp(mm__mail_rules[i].name, id)))
			return &mm__mail_rules[i];
	return NULL;
}

/* ---- classification --------------------------------------------------------- */

static bool domain_in(struct mm_slice d, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *s = list[i];
		if (*s == '@' || *s == '.')
			s++;
		size_t l = strlen(s);
		if (l > d.n || !l)
			continue;
		/* equal, or a subdomain (".s" suffix) */
		if (!strncasecmp(d.p + d.n - l, s, l) && (l == d.n || d.p[d.n - l - 1] == '.'))
			return true;
	}
	return false;
}

static bool ip_local(const struct mm_mail_an *a, struct mm_slice ip)
{
	struct mm_ip x;
	if (mm_ip_parse(ip, &x))
		return false;
	for (size_t i = 0; i < a->o.nlocal_nets; i++)
		if (mm_cidr_contains(&a->o.local_nets[i], &x))
			return true;
	return false;
}

/* Does a configured bulk-sender entry name this delivery's sender? */
static bool is_bulk(const struct mm_mail_an *a, const struct mm_event *ev)
{
	struct mm_slice from = ev->f[MM_F_EMAIL_FROM_ADDRESS], user = ev->f[MM_F_USER_NAME];
	struct mm_slice fd = ev->f[MM_F_EMAIL_FROM_DOMAIN], ip = ev->f[MM_F_SOURCE_IP];
	struct mm_slice uid = ev->f[MM_F_USER_ID];
	struct mm_ip x;
	bool have_ip = ip.p && !mm_ip_parse(ip, &x);
	for (size_t i = 0; i < a->o.nbulk_senders; i++) {
		const char *s = a->o.bulk_senders[i];
		size_t l = strlen(s);
		if (!strncmp(s, "uid:", 4)) {
			if (uid.p && mm_slice_eq_cstr(uid, s + 4))
				return true;
			continue;
		}
		if (strchr(s, '@') && s[0] != '@') {
			if ((from.p && mm_slice_ieq_cstr(from, s)) || (user.p && mm_slice_ieq_cstr(user, s)))
				return true;
			continue;
		}
		struct mm_cidr c;
		if (have_ip && (strchr(s, ':') || (l && isdigit((unsigned char)s[l - 1]))) &&
		    !mm_cidr_parse(mm_slice(s, l), &c)) {
			if (mm_cidr_contains(&c, &x))
				return true;
			continue;
		}
		if (user.p && mm_slice_ieq_cstr(user, s))
			return true;
		if (fd.p && domain_in(fd, &s, 1))
			return true;
	}
	return false;
}

/* Postfix local, virtual, lmtp; Exim local_delivery, dovecot_lmtp,
 * virtual_delivery, maildir/appendfile transports: a mailbox here. */
static bool local_transport(struct mm_slice t)
{
	static const char *const w[] = {"local", "lmtp", "virtual", "maildir", "appendfile"};
	for (size_t k = 0; k < MM_ARRAY_LEN(w); k++) {
		size_t l = strlen(w[k]);
		for (size_t i = 0; t.p && i + l <= t.n; i++)
			if (!strncasecmp(t.p + i, w[k], l))
				return true;
	}
	return false;
}

/* "Your IP is listed / has a poor reputation" in a remote reply. */
static bool says_listed(struct mm_slice r)
{
	static const char *const words[] = {
		"spamhaus", "spamcop", "barracuda", "blocklist", "blacklist", "block list",
		"listed", "rbl", "reputation", "blocked using", "unsolicited mail originating",
		"tss04", "s3150", "user complaints", "dnsbl"};
	if (!r.p)
		return false;
	for (size_t w = 0; w < MM_ARRAY_LEN(words); w++) {
		size_t l = strlen(words[w]);
		for (size_t i = 0; i + l <= r.n; i++)
			if (!strncasecmp(r.p + i, words[w], l))
				return true;
	}
	return false;
}

/* ---- origins ---------------------------------------------------------------- */

static struct origin *origin_get(struct mm_mail_an *a, enum okind k, struct mm_slice g0,
                                 struct mm_slice g1)
{
	char key[600];
	int kn = snprintf(key, sizeof(key), "%d|%.*s|%.*s", (int)k, (int)MM_MIN(g0.n, 255),
	                  g0.p ? g0.p : "", (int)MM_MIN(g1.n, 255), g1.p ? g1.p : "");
	if (kn <= 0)
		return NULL;
	struct origin *o = mm_map_get(a->omap, key, (size_t)kn);
	if (o)
		return o;
	if (a->on >= a->o.max_origins) {
		a->st.origin_cap_hits++;
		return NULL;
	}
	o = mm_calloc(1, sizeof(*o));
	o->key = mm_strndup(key, (size_t)kn);
	o->kind = k;
	o->g[0] = g0.p ? mm_slice_strdup(mm_slice(g0.p, MM_MIN(g0.n, 255))) : NULL;
	o->g[1] = g1.p ? mm_slice_strdup(mm_slice(g1.p, MM_MIN(g1.n, 255))) : NULL;
	o->b.start = MM_TS_NONE;
	o->first_bucket = MM_TS_NONE;
	mm_map_put(a->omap, key, (size_t)kn, o);
	if (a->on == a->ocap) {
		a->ocap = a->ocap ? a->ocap * 2 : 64;
		a->ov = mm_realloc(a->ov, a->ocap * sizeof(*a->ov));
	}
	a->ov[a->on++] = o;
	return o;
}

static const char *file_of(struct mm_mail_an *a, const char *path)
{
	if (!path)
		return "-";
	for (size_t i = a->nfiles; i-- > 0;)
		if (!strcmp(a->files[i], path))
			return a->files[i];
	if (a->nfiles == MAX_FILES)
		return "-";
	a->files[a->nfiles] = mm_strdup(path);
	return a->files[a->nfiles++];
}

/* ---- emitting --------------------------------------------------------------- */

static size_t fire(struct mm_mail_an *a, struct origin *o, struct incident *in,
                   enum mm__mail_rule r, mm_corr_fn cb, void *ud)
{
	static const char *const gn_ip[] = {"source.ip"};
	static const char *const gn_user[] = {"user.name"};
	static const char *const gn_uid[] = {"user.id", "host.hostname"};
	static const char *const gn_host[] = {"host.hostname"};
	struct mm_corr_result res;
	memset(&res, 0, sizeof(res));
	res.rule = &mm__mail_rules[r];
	struct mm_slice gv[2] = {mm_slice_cstr(o->g[0] ? o->g[0] : ""),
	                         mm_slice_cstr(o->g[1] ? o->g[1] : "")};
	switch (o->kind) {
	case K_UNAUTH:
	case K_LOCALNET:
		res.group_names = gn_ip;
		res.ngroup = 1;
		break;
	case K_AUTH:
		res.group_names = gn_user;
		res.ngroup = 1;
		break;
	case K_LOCALUID:
		res.group_names = gn_uid;
		res.ngroup = 2;
		break;
	case K_HOST:
		res.group_names = gn_host;
		res.ngroup = 1;
		break;
	}
	res.group_vals = gv;
	res.timespan_ns = (int64_t)in->buckets * a->o.bucket_ns;
	res.first_ts = in->first;
	res.last_ts = in->last;
	res.count = r == MM__MR_LISTED ? in->listed : r == MM__MR_BOUNCE ? in->deliveries : in->ext;
	res.field = "email.to.domain";
	res.has_distinct = true;
	res.distinct = in->doms.n;
	res.approx = in->doms.saturated || in->rcpts.saturated;
	struct mm_slice vals[LISTED], rc[LISTED], se[LISTED], qi[LISTED], cl[LISTED], mi[LISTED];
	for (uint32_t i = 0; i < in->doms.nv; i++)
		vals[i] = mm_slice_cstr(in->doms.v[i]);
	res.values = vals;
	res.nvalues = in->doms.nv;
	for (uint32_t i = 0; i < in->rcpts.nv; i++)
		rc[i] = mm_slice_cstr(in->rcpts.v[i]);
	for (uint32_t i = 0; i < in->senders.nv; i++)
		se[i] = mm_slice_cstr(in->senders.v[i]);
	for (uint32_t i = 0; i < in->qids.nv; i++)
		qi[i] = mm_slice_cstr(in->qids.v[i]);
	for (uint32_t i = 0; i < in->clients.nv; i++)
		cl[i] = mm_slice_cstr(in->clients.v[i]);
	for (uint32_t i = 0; i < in->msgids.nv; i++)
		mi[i] = mm_slice_cstr(in->msgids.v[i]);
	/* message-ids tie the incident to the messages `mamori mail` judges */
	struct mm_corr_list lists[6] = {
		{"external_domains", "email.to.domain", vals, in->doms.nv, in->doms.n},
		{"recipients", "email.to.address", rc, in->rcpts.nv, in->rcpts.n},
		{"senders", "email.from.address", se, in->senders.nv, in->senders.n},
		{"messages", "email.local_id", qi, in->qids.nv, in->qids.n},
		{"message_ids", "email.message_id", mi, in->msgids.nv, in->msgids.n},
		{"clients", "source.ip", cl, in->clients.nv, in->clients.n},
	};
	res.lists = lists;
	res.nlists = in->clients.nv ? 6 : 5;
	res.has_outcomes = true;
	if (r == MM__MR_RELAY_SASL) {
		res.failures = o->sasl_fail;
		res.successes = in->sent;
	} else {
		res.failures = in->bounced + in->deferred;
		res.successes = in->sent;
	}
	res.refs = in->ref;
	res.nrefs = in->refs > 1 ? 2 : in->refs;
	res.refs_total = in->refs;
	const char *rid = res.rule->id;
	res.rules = &rid;
	res.nrules = 1;
	struct mm_event ev;
	mm_event_clear(&ev);
	ev.raw = in->raw ? mm_slice(in->raw, in->rawn) : MM_SLICE_LIT("");
	ev.msg = ev.raw;
	ev.ts = in->last;
	ev.dataset = "mail.postfix";
	ev.src_path = in->ref[1].file;
	ev.offset = in->ref[1].offset;
	ev.line_no = in->ref[1].line;
	/* the group on the event too: the store's source_ip / user_name columns
	 * are what incidents are keyed by */
	switch (o->kind) {
	case K_UNAUTH:
	case K_LOCALNET:
		ev.f[MM_F_SOURCE_IP] = gv[0];
		break;
	case K_AUTH:
		ev.f[MM_F_USER_NAME] = gv[0];
		break;
	case K_LOCALUID:
		ev.f[MM_F_USER_ID] = gv[0];
		ev.f[MM_F_HOST_HOSTNAME] = gv[1];
		break;
	case K_HOST:
		ev.f[MM_F_HOST_HOSTNAME] = gv[0];
		break;
	}
	a->st.fired++;
	cb(ud, &res, &ev);
	return 1;
}

/* Close o's bucket: judge it, extend or close the incidents. */
static size_t close_bucket(struct mm_mail_an *a, struct origin *o, mm_corr_fn cb, void *ud)
{
	struct bucket *b = &o->b;
	size_t fired = 0;
	if (b->start == MM_TS_NONE)
		return 0;
	bool hot_vol = false, hot_bounce = false, hot_listed = false;
	double hours = o->first_bucket == MM_TS_NONE || b->start <= o->first_bucket
	                       ? 0
	                       : (double)(b->start - o->first_bucket) / (double)a->o.bucket_ns;
	double base = hours > 0 ? o->hist_ext / hours : 0;
	if (o->kind == K_HOST) {
		hot_listed = b->listed >= a->o.listed_min;
	} else if (!o->bulk) {
		if (o->kind == K_UNAUTH)
			hot_vol = b->ext >= a->o.relay_min;
		else
			hot_vol = b->ext >= a->o.burst_min && b->doms.n >= a->o.burst_domains &&
			          (double)b->ext >= a->o.burst_factor * (base > 1 ? base : 1);
		hot_bounce = b->deliveries >= a->o.bounce_min &&
		             (double)b->bounced >= a->o.bounce_ratio * (double)b->deliveries;
	}
	if (!hot_vol)
		o->hist_ext += (double)b->ext;
	if (o->first_bucket == MM_TS_NONE)
		o->first_bucket = b->start;
	b->acc.ext = b->ext;
	b->acc.deliveries = b->deliveries;
	b->acc.sent = b->sent;
	b->acc.bounced = b->bounced;
	b->acc.deferred = b->deferred;
	b->acc.listed = b->listed;
	b->acc.msgs = b->msgs;
	vset_merge(&b->acc.doms, &b->doms, DOMSET_CAP);
	struct {
		bool hot;
		struct incident *in;
		enum mm__mail_rule r;
	} kinds[3] = {
		{hot_vol, &o->vol,
		 o->kind == K_UNAUTH
		         ? (o->sasl_fail >= a->o.sasl_streak ? MM__MR_RELAY_SASL : MM__MR_RELAY)
		         : (base <= a->o.quiet_rate ? MM__MR_MASS : MM__MR_BURST)},
		{hot_bounce, &o->bounce, MM__MR_BOUNCE},
		{hot_listed, &o->listed, MM__MR_LISTED},
	};
	for (int k = 0; k < 3; k++) {
		if (kinds[k].hot) {
			if (!kinds[k].in->open)
				kinds[k].in->rule = kinds[k].r;
			inc_merge(kinds[k].in, &b->acc);
		} else if (kinds[k].in->open) {
			fired += fire(a, o, kinds[k].in, kinds[k].in->rule, cb, ud);
			inc_free(kinds[k].in);
		}
	}
	vset_free(&b->doms);
	inc_free(&b->acc);
	memset(b, 0, sizeof(*b));
	b->start = MM_TS_NONE;
	return fired;
}

/* Close the open incidents of o (end of input). */
static size_t close_incidents(struct mm_mail_an *a, struct origin *o, mm_corr_fn cb, void *ud)
{
	size_t fired = 0;
	struct incident *ins[3] = {&o->vol, &o->bounce, &o->listed};
	for (int k = 0; k < 3; k++)
		if (ins[k]->open) {
			fired += fire(a, o, ins[k], ins[k]->rule, cb, ud);
			inc_free(ins[k]);
		}
	return fired;
}

static int64_t bucket_of(const struct mm_mail_an *a, int64_t ts)
{
	int64_t b = a->o.bucket_ns;
	int64_t q = ts / b;
	if (ts < 0 && ts % b)
		q--;
	return q * b;
}

/* Every bucket that ended more than one bucket ago is closed (a sender that
 * went quiet still gets judged); in insertion order, so output is stable. */
static size_t sweep(struct mm_mail_an *a, mm_corr_fn cb, void *ud)
{
	size_t fired = 0;
	int64_t cur = bucket_of(a, a->now);
	if (a->swept != MM_TS_NONE && cur <= a->swept)
		return 0;
	a->swept = cur;
	for (size_t i = 0; i < a->on; i++) {
		struct origin *o = a->ov[i];
		if (o->b.start != MM_TS_NONE && o->b.start + a->o.bucket_ns < cur)
			fired += close_bucket(a, o, cb, ud);
		/* no bucket at all for a whole bucket: the incident is over */
		if (o->b.start == MM_TS_NONE &&
		    ((o->vol.open && o->vol.last + 2 * a->o.bucket_ns < a->now) ||
		     (o->bounce.open && o->bounce.last + 2 * a->o.bucket_ns < a->now) ||
		     (o->listed.open && o->listed.last + 2 * a->o.bucket_ns < a->now)))
			fired += close_incidents(a, o, cb, ud);
	}
	return fired;
}

static void note_ref(struct mm_mail_an *a, struct incident *in, const struct mm_event *ev,
                     enum mm__mail_rule r)
{
	struct mm_evref ref = {.file = file_of(a, ev->src_path),
	                       .offset = ev->offset,
	                       .line = ev->line_no,
	                       .ts = ev->ts,
	                       .rule_id = mm__mail_rules[r].id};
	if (!in->refs) {
		in->ref[0] = ref;
		in->first = ev->ts;
	}
	in->ref[1] = ref;
	in->last = ev->ts;
	in->refs++;
	raw_set(in, ev->raw.p ? ev->raw.p : "", ev->raw.n);
}

static size_t account(struct mm_mail_an *a, struct origin *o, const struct mm_event *ev,
                      bool ext, bool listed, mm_corr_fn cb, void *ud)
{
	size_t fired = 0;
	int64_t bs = bucket_of(a, ev->ts);
	struct bucket *b = &o->b;
	if (b->start != MM_TS_NONE && bs > b->start)
		fired += close_bucket(a, o, cb, ud);
	if (b->start == MM_TS_NONE)
		b->start = bs;
	if (!o->bulk && is_bulk(a, ev))
		o->bulk = true;
	struct mm_slice st = ev->f[MM_F_EMAIL_DELIVERY_STATUS];
	bool deferred = mm_slice_eq_cstr(st, "deferred");
	bool bounced = mm_slice_eq_cstr(st, "bounced") || mm_slice_eq_cstr(st, "expired");
	bool sent = mm_slice_eq_cstr(st, "sent");
	struct mm_slice qid = ev->f[MM_F_EMAIL_LOCAL_ID];
	if (qid.p) {
		uint64_t h = mm_hash64(qid.p, qid.n, 5) | 1;
		bool seen = false;
		for (int i = 0; i < QID_RING && !seen; i++)
			seen = b->qring[i] == h;
		if (!seen) {
			b->qring[b->qpos++ % QID_RING] = h;
			b->msgs++;
		}
	}
	if (o->kind == K_HOST) {
		if (listed) {
			b->listed++;
			b->deferred += deferred;
			b->bounced += bounced;
			note_ref(a, &b->acc, ev, MM__MR_LISTED);
			vset_add(&b->doms, ev->f[MM_F_EMAIL_TO_DOMAIN], DOMSET_CAP);
			vset_add(&b->acc.senders, ev->f[MM_F_EMAIL_FROM_ADDRESS], DOMSET_CAP);
			vset_add(&b->acc.rcpts, ev->f[MM_F_EMAIL_TO_ADDRESS], DOMSET_CAP);
			vset_add(&b->acc.qids, qid, DOMSET_CAP);
			vset_add(&b->acc.clients, ev->f[MM_F_SOURCE_IP], DOMSET_CAP);
		}
		return fired;
	}
	if (!deferred)
		b->deliveries++;
	b->sent += sent;
	b->bounced += bounced;
	b->deferred += deferred;
	if (ext && !deferred) {
		b->ext++;
		vset_add(&b->doms, ev->f[MM_F_EMAIL_TO_DOMAIN], DOMSET_CAP);
	}
	if (ext || bounced) {
		note_ref(a, &b->acc, ev, o->kind == K_UNAUTH ? MM__MR_RELAY : MM__MR_BURST);
		vset_add(&b->acc.rcpts, ev->f[MM_F_EMAIL_TO_ADDRESS], DOMSET_CAP);
		vset_add(&b->acc.senders, ev->f[MM_F_EMAIL_FROM_ADDRESS], DOMSET_CAP);
		vset_add(&b->acc.qids, qid, DOMSET_CAP);
		vset_add(&b->acc.msgids, ev->f[MM_F_EMAIL_MESSAGE_ID], DOMSET_CAP);
		if (o->kind == K_AUTH || o->kind == K_LOCALUID)
			vset_add(&b->acc.clients, ev->f[MM_F_SOURCE_IP], DOMSET_CAP);
	}
	return fired;
}

size_t mm_mail_an_observe(struct mm_mail_an *a, const struct mm_event *ev, mm_corr_fn cb,
                          void *ud)
{
	if (!ev->dataset || strncmp(ev->dataset, "mail.", 5) != 0 || ev->ts == MM_TS_NONE)
		return 0;
	size_t fired = 0;
	if (a->now == MM_TS_NONE || ev->ts > a->now) {
		a->now = ev->ts;
		fired += sweep(a, cb, ud);
	}
	struct mm_slice act = ev->f[MM_F_EVENT_ACTION];
	struct mm_slice ip = ev->f[MM_F_SOURCE_IP];
	if (mm_slice_eq_cstr(act, "sasl_login") &&
	    mm_slice_eq_cstr(ev->f[MM_F_EVENT_OUTCOME], "failure")) {
		a->st.sasl_failures++;
		if (ip.p) {
			uintptr_t c = (uintptr_t)mm_map_get(a->sasl, ip.p, ip.n);
			if (c || mm_map_count(a->sasl) < 100000)
				mm_map_put(a->sasl, ip.p, ip.n, (void *)(c + 1));
		}
		return fired;
	}
	if (!mm_slice_eq_cstr(act, "delivery"))
		return fired;
	a->st.deliveries++;
	struct mm_slice to_dom = ev->f[MM_F_EMAIL_TO_DOMAIN];
	struct mm_slice tr = ev->f[MM_F_EMAIL_DELIVERY_TRANSPORT];
	bool ext;
	if (a->o.nown_domains)
		ext = to_dom.p && !domain_in(to_dom, a->o.own_domains, a->o.nown_domains);
	else
		ext = to_dom.p && (mm_slice_eq_cstr(tr, "smtp") || mm_slice_eq_cstr(tr, "remote_smtp"));
	if (ext && local_transport(tr))
		ext = false; /* delivered into a local mailbox, whatever the domain */
	a->st.external += ext;
	/* which sender: SASL account, else local uid (pickup), else client IP */
	struct mm_slice user = ev->f[MM_F_USER_NAME], uid = ev->f[MM_F_USER_ID];
	struct origin *o = NULL;
	if (user.p && user.n)
		o = origin_get(a, K_AUTH, user, MM_SLICE_NULL);
	else if (mm_slice_eq_cstr(ev->f[MM_F_EMAIL_ORIGIN], "pickup") || (uid.p && !ip.p))
		o = origin_get(a, K_LOCALUID, uid.p ? uid : MM_SLICE_LIT("?"),
		               ev->f[MM_F_HOST_HOSTNAME]);
	else if (ip.p)
		o = origin_get(a, ip_local(a, ip) ? K_LOCALNET : K_UNAUTH, ip, MM_SLICE_NULL);
	if (o) {
		if (o->kind == K_UNAUTH && ip.p)
			o->sasl_fail = (uintptr_t)mm_map_get(a->sasl, ip.p, ip.n);
		fired += account(a, o, ev, ext, false, cb, ud);
	}
	struct mm_slice st = ev->f[MM_F_EMAIL_DELIVERY_STATUS];
	if (!mm_slice_eq_cstr(st, "sent") && says_listed(ev->f[MM_F_EMAIL_DELIVERY_RESPONSE])) {
		struct mm_slice host = ev->f[MM_F_HOST_HOSTNAME];
		struct origin *h = origin_get(a, K_HOST, host.p ? host : MM_SLICE_LIT("-"),
		                              MM_SLICE_NULL);
		if (h)
			fired += account(a, h, ev, ext, true, cb, ud);
	}
	return fired;
}

size_t mm_mail_an_flush(struct mm_mail_an *a, mm_corr_fn cb, void *ud)
{
	size_t fired = 0;
	for (size_t i = 0; i < a->on; i++) {
		fired += close_bucket(a, a->ov[i], cb, ud);
		fired += close_incidents(a, a->ov[i], cb, ud);
	}
	return fired;
}

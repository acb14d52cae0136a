/* mamori — the report's string table (strings.def) and lookups by class,
 * outcome, severity, status and loss item. Pipeline position: report writers. */
#include "report_int.h"

#include <string.h>

static const char *const g_en[] = {
#define S(id, en, ja) en,
#include "strings.def"
#undef S
};
static const char *const g_ja[] = {
#define S(id, en, ja) ja,
#include "strings.def"
#undef S
};

const char *mm__rs(enum mm_report_lang lang, enum rp_str id)
{
	if ((unsigned)id >= RS__COUNT)
		return "";
	return lang == MM_LANG_JA ? g_ja[id] : g_en[id];
}

#define BY_CLASS(prefix)                                                                  \
	static const enum rp_str g_##prefix[MM_IC__COUNT] = {                             \
		RS_##prefix##_WEB_ATTACK,  RS_##prefix##_ACCOUNT_ATTACK, RS_##prefix##_EXPLOIT,   \
		RS_##prefix##_RECON,       RS_##prefix##_EGRESS,      RS_##prefix##_EXFILTRATION, \
		RS_##prefix##_MAIL_RELAY,  RS_##prefix##_PHISHING_MAIL, RS_##prefix##_VULNERABILITY, \
		RS_##prefix##_PERSONAL_DATA, RS_##prefix##_OTHER,                                 \
	};
BY_CLASS(CLS)
BY_CLASS(ACT)
#undef BY_CLASS

const char *mm__rs_class(const struct rp *r, enum mm_incident_class c)
{
	return mm__rs(r->o->lang, (unsigned)c < MM_IC__COUNT ? g_CLS[c] : RS_CLS_OTHER);
}

const char *mm__rs_action(const struct rp *r, enum mm_incident_class c)
{
	return mm__rs(r->o->lang, (unsigned)c < MM_IC__COUNT ? g_ACT[c] : RS_ACT_OTHER);
}

const char *mm__rs_ipa(const struct rp *r, enum mm_incident_class c)
{
	static const enum rp_str ipa[] = {RS_IPA0, RS_IPA1, RS_IPA2, RS_IPA3, RS_IPA4, RS_IPA5,
	                                  RS_IPA6, RS_IPA7, RS_IPA8, RS_IPA9, RS_IPA10};
	int rank = mm_incident_class_ipa_rank(c);
	return mm__rs(r->o->lang, ipa[rank >= 0 && rank <= 10 ? rank : 0]);
}

/* Coverage texts: classes without a "partial" text never are partial. */
static const struct {
	enum rp_str miss, part, add_part, add_none;
} g_cov[MM_IC__COUNT] = {
	[MM_IC_WEB_ATTACK] = {RS_MISS_WEB_ATTACK, RS_PART_WEB_ATTACK, RS_ADD_WEB_ATTACK,
	                      RS_ADDN_WEB_ATTACK},
	[MM_IC_ACCOUNT_ATTACK] = {RS_MISS_ACCOUNT_ATTACK, RS_PART_ACCOUNT_ATTACK,
	                          RS_ADD_ACCOUNT_ATTACK, RS_ADDN_ACCOUNT_ATTACK},
	[MM_IC_EXPLOIT] = {RS_MISS_EXPLOIT, RS_PART_EXPLOIT, RS_ADD_EXPLOIT, RS_ADDN_EXPLOIT},
	[MM_IC_RECON] = {RS_MISS_RECON, RS_PART_RECON, RS_ADD_RECON, RS_ADDN_RECON},
	[MM_IC_EGRESS] = {RS_MISS_EGRESS, RS__COUNT, RS__COUNT, RS_ADDN_EGRESS},
	[MM_IC_EXFILTRATION] = {RS_MISS_EXFILTRATION, RS__COUNT, RS__COUNT, RS_ADDN_EXFILTRATION},
	[MM_IC_MAIL_RELAY] = {RS_MISS_MAIL_RELAY, RS__COUNT, RS__COUNT, RS_ADDN_MAIL_RELAY},
	[MM_IC_PHISHING_MAIL] = {RS_MISS_PHISHING_MAIL, RS__COUNT, RS__COUNT,
	                         RS_ADDN_PHISHING_MAIL},
	[MM_IC_VULNERABILITY] = {RS_MISS_VULNERABILITY, RS__COUNT, RS__COUNT,
	                         RS_ADDN_VULNERABILITY},
	[MM_IC_PERSONAL_DATA] = {RS_MISS_PERSONAL_DATA, RS__COUNT, RS__COUNT,
	                         RS_ADDN_PERSONAL_DATA},
	[MM_IC_OTHER] = {RS__COUNT, RS__COUNT, RS__COUNT, RS__COUNT},
};

const char *mm__rs_cov_text(const struct rp *r, enum mm_incident_class c)
{
	if (r->cov[c] == RP_COV_NO)
		return mm__rs(r->o->lang, g_cov[c].miss);
	if (r->cov[c] == RP_COV_PARTIAL)
		return mm__rs(r->o->lang, g_cov[c].part);
	return "";
}

const char *mm__rs_cov_add(const struct rp *r, enum mm_incident_class c)
{
	if (r->cov[c] == RP_COV_NO)
		return mm__rs(r->o->lang, g_cov[c].add_none);
	if (r->cov[c] == RP_COV_PARTIAL)
		return mm__rs(r->o->lang, g_cov[c].add_part);
	return "";
}

const char *mm__rs_outcome(const struct rp *r, enum mm_incident_outcome o)
{
	static const enum rp_str v[] = {RS_OUT_ATTEMPTED, RS_OUT_POSSIBLE, RS_OUT_SUCCEEDED};
	return mm__rs(r->o->lang, v[(unsigned)o < 3 ? o : 0]);
}

const char *mm__rs_inc_outcome(const struct rp *r, const struct mm_incident *in)
{
	if (in->cls == MM_IC_VULNERABILITY)
		return mm__rs(r->o->lang, RS_OUT_EXPOSED);
	if (in->cls == MM_IC_PERSONAL_DATA && in->entity_kind &&
	    !strcmp(in->entity_kind, "host.name"))
		return mm__rs(r->o->lang, RS_OUT_STORED); /* mamori dlp's files */
	return mm__rs_outcome(r, in->outcome);
}

const char *mm__rs_severity(const struct rp *r, int sev)
{
	static const enum rp_str v[] = {RS_SEV0, RS_SEV1, RS_SEV2, RS_SEV3, RS_SEV4};
	return mm__rs(r->o->lang, v[sev >= 0 && sev <= 4 ? sev : 2]);
}

const char *mm__rs_status(const struct rp *r, enum mm_incident_status s)
{
	static const enum rp_str v[] = {RS_ST_OPEN, RS_ST_ACKNOWLEDGED, RS_ST_CLOSED};
	return mm__rs(r->o->lang, v[(unsigned)s < 3 ? s : 0]);
}

const char *mm__rs_category(const struct rp *r, enum mm_loss_category c)
{
	static const enum rp_str v[] = {RS_CAT_RESPONSE, RS_CAT_COMPENSATION, RS_CAT_LOST_PROFIT,
	                                RS_CAT_MONETARY, RS_CAT_PENALTY, RS_CAT_INTANGIBLE};
	return mm__rs(r->o->lang, v[(unsigned)c < MM_ARRAY_LEN(v) ? c : 0]);
}

const char *mm__rs_item(const struct rp *r, const char *key)
{
	static const struct {
		const char *key;
		enum rp_str s;
	} v[] = {
		{"staff_review", RS_LI_STAFF_REVIEW},
		{"patching", RS_LI_PATCHING},
		{"initial_response", RS_LI_INITIAL_RESPONSE},
		{"forensics_server", RS_LI_FORENSICS_SERVER},
		{"consulting", RS_LI_CONSULTING},
		{"legal", RS_LI_LEGAL},
		{"password_resets", RS_LI_PASSWORD_RESETS},
		{"jnsa_damages", RS_LI_JNSA_DAMAGES},
		{"notification", RS_LI_NOTIFICATION},
		{"apology_gift", RS_LI_APOLOGY_GIFT},
		{"call_centre", RS_LI_CALL_CENTRE},
		{"per_record_crosscheck", RS_LI_PER_RECORD_CROSSCHECK},
		{"outage", RS_LI_OUTAGE},
		{"mail_outage", RS_LI_MAIL_OUTAGE},
		{"direct_loss", RS_LI_DIRECT_LOSS},
		{"penalty", RS_LI_PENALTY},
		{"intangible", RS_LI_INTANGIBLE},
	};
	for (size_t i = 0; i < MM_ARRAY_LEN(v); i++)
		if (!strcmp(v[i].key, key))
			return mm__rs(r->o->lang, v[i].s);
	return key;
}

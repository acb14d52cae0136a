/* mamori — the loss model: what an incident may cost, as a low / likely /
 * high range in yen, in the six cost categories of JNSA's incident damage
 * report (インシデント損害額調査レポート 2021, 第2版 2024) that IPA uses too,
 * with personal-data compensation from JNSA's damages model (情報セキュリティ
 * インシデントに関する調査報告書). Every item keeps its formula with the
 * numbers that went in, so a manager can challenge each one.
 * Pipeline position: incidents → loss → report. Sources: docs/loss-model.md. */
#include "mamori/incident.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* JNSA EP diagram (economic/privacy map): x = emotional distress level,
 * y = economic loss level, 1..3, per kind of personal data. */
static const struct {
	const char *name;
	int x, y;
} g_fields[] = {
	{"name", 1, 1},          {"address", 1, 1},        {"birth_date", 1, 1},
	{"gender", 1, 1},        {"email", 1, 1},          {"phone", 1, 1},
	{"employee_id", 1, 1},   {"occupation", 1, 1},     {"login_id", 1, 1},
	{"purchase_history", 1, 2}, {"passport", 1, 2},    {"password", 1, 2},
	{"card_number", 1, 3},   {"card_expiry", 1, 3},    {"bank_account_pin", 1, 3},
	{"medical_history", 2, 1}, {"health_checkup", 2, 1}, {"biometric", 2, 1},
	{"income", 2, 2},        {"assets", 2, 2},         {"debt", 2, 2},
	{"religion", 3, 1},      {"political_view", 3, 1}, {"medical_record", 3, 1},
	{"criminal_record", 3, 3},
};

static int clamp13(int v)
{
	return v < 1 ? 1 : v > 3 ? 3 : v;
}

double mm_loss_jnsa_sensitivity(int x, int y)
{
	x = clamp13(x);
	y = clamp13(y);
	return pow(10.0, x - 1) + pow(5.0, y - 1);
}

double mm_loss_jnsa_per_person(int x, int y, int identifiability, int social, int response)
{
	return 500.0 * mm_loss_jnsa_sensitivity(x, y) * identifiability * social * response;
}

int mm_loss_field_levels(const char *field, int *x, int *y)
{
	for (size_t i = 0; i < MM_ARRAY_LEN(g_fields); i++)
		if (!strcmp(g_fields[i].name, field)) {
			*x = g_fields[i].x;
			*y = g_fields[i].y;
			return MM_OK;
		}
	return MM_ENOENT;
}

static bool has_field(const char *const *f, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (f[i] && !strcmp(f[i], name))
			return true;
	return false;
}

int mm_loss_identifiability(const char *const *f, size_t n)
{
	bool name = has_field(f, n, "name"), addr = has_field(f, n, "address");
	if (name && addr)
		return 6;
	if (name || (addr && has_field(f, n, "phone")))
		return 3;
	return 1;
}

static void set3(double *v, double a, double b, double c)
{
	v[0] = a;
	v[1] = b;
	v[2] = c;
}

void mm_loss_defaults(struct mm_loss_params *p)
{
	memset(p, 0, sizeof(*p));
	/* a typical shop's customer table: name, address, e-mail, phone */
	static const char *const f[] = {"name", "address", "email", "phone"};
	for (size_t i = 0; i < MM_ARRAY_LEN(f); i++)
		p->fields[i] = f[i];
	p->nfields = MM_ARRAY_LEN(f);
	p->social = 1;
	p->response = 1;
	/* JNSA インシデント損害額調査レポート 2021: initial response by IR firms
	 * 200,000 / 800,000 / 1,500,000; forensics per PC 1.0–1.5 M, per server
	 * 1.5–2.0 M yen. 第2版 (2024): legal 0.3–1 M, consulting 0.1–1 M, call
	 * centre 7–10 M for three months, DM to 10,000 people 1.3 M (130 per
	 * person), prepaid-card gifts to 10,000 people 6.5 M (650 per person). */
	set3(p->initial_response, 200000, 800000, 1500000);
	set3(p->forensics_server, 1500000, 1500000, 2000000);
	set3(p->forensics_pc, 1000000, 1200000, 1500000);
	set3(p->legal, 300000, 650000, 1000000);
	set3(p->consulting, 100000, 550000, 1000000);
	set3(p->call_centre, 7000000, 8500000, 10000000);
	p->call_centre_min_people = 1000;
	p->notice_per_person = 130;
	p->gift_per_person = 650;
	/* mamori's own assumptions (docs/loss-model.md): change them */
	p->staff_hourly = 5000;
	set3(p->review_hours, 1, 2, 8);
	p->reset_per_account = 1250;
	set3(p->patch_hours, 0.5, 1, 4); /* update, restart, check; 4 h with a change window */
	p->hourly_gross_profit = 0;
	set3(p->outage_hours, 8, 24, 72);
	p->mail_day_cost = 0;
	set3(p->mail_outage_days, 1, 3, 7);
	/* IBM Cost of a Data Breach 2023: USD 165 per record, measured on breaches
	 * of 2,200 to 102,000 records; never applied outside that range. */
	p->per_record_usd = 165;
	p->usd_jpy = 150;
	p->per_record_min = 2200;
	p->per_record_max = 102000;
	p->per_record_source = "IBM Cost of a Data Breach Report 2023";
}

static int num(const struct mm_config *c, const char *key, double lo, double hi, double *out,
               struct mm_error *err)
{
	const char *v = mm_config_str(c, key);
	double d;
	if (!v)
		return MM_OK;
	if (mm_slice_to_double(mm_slice_cstr(v), &d) || !(d >= lo && d <= hi))
		return mm_error_set(err, MM_EINVAL, NULL, 0, 0,
		                    "%s: '%s' is not a number from %g to %g", key, v, lo, hi);
	*out = d;
	return MM_OK;
}

/* A range: either one number (all three) or [low, likely, high]. */
static int range(const struct mm_config *c, const char *key, double *v, struct mm_error *err)
{
	const char *items[4];
	size_t n = mm_config_list(c, key, items, 4);
	if (n == 0)
		return MM_OK;
	double d[3];
	if (n != 1 && n != 3)
		return mm_error_set(err, MM_EINVAL, NULL, 0, 0,
		                    "%s: give one number or [low, likely, high]", key);
	for (size_t i = 0; i < n; i++)
		if (mm_slice_to_double(mm_slice_cstr(items[i]), &d[i]) || !(d[i] >= 0) ||
		    d[i] > 1e15)
			return mm_error_set(err, MM_EINVAL, NULL, 0, 0,
			                    "%s: '%s' is not a non-negative number", key, items[i]);
	if (n == 1)
		d[1] = d[2] = d[0];
	if (d[0] > d[1] || d[1] > d[2])
		return mm_error_set(err, MM_EINVAL, NULL, 0, 0,
		                    "%s: needs low <= likely <= high", key);
	memcpy(v, d, sizeof(d));
	return MM_OK;
}

int mm_loss_from_config(struct mm_loss_params *p, const struct mm_config *c,
                        struct mm_error *err)
{
	static const char *const keys[] = {
		"records_held", "fields", "social_responsibility", "post_incident_response",
		"initial_response", "forensics_server", "forensics_pc", "legal", "consulting",
		"call_centre", "call_centre_min_people", "notice_per_person", "gift_per_person",
		"staff_hourly", "review_hours", "patch_hours", "reset_per_account", "hourly_gross_profit",
		"outage_hours", "mail_day_cost", "mail_outage_days", "direct_loss", "penalty",
		"per_record_usd", "usd_jpy", "per_record_min", "per_record_max", "bytes_per_record",
		NULL};
	int rc;
	double d;
	if (!c || !mm_config_count(c, "loss"))
		return MM_OK;
	if ((rc = mm_config_check_keys(c, "loss", keys, err)))
		return rc;
	d = (double)p->records_held;
	if ((rc = num(c, "loss.records_held", 0, 1e10, &d, err)))
		return rc;
	p->records_held = (int64_t)d;
	if ((rc = num(c, "loss.bytes_per_record", 0, 1e12, &p->bytes_per_record, err)))
		return rc;
	if (mm_config_count(c, "loss.fields") || mm_config_str(c, "loss.fields")) {
		size_t n = mm_config_list(c, "loss.fields", p->fields, MM_LOSS_MAX_FIELDS);
		if (n > MM_LOSS_MAX_FIELDS)
			return mm_error_set(err, MM_ELIMIT, NULL, 0, 0,
			                    "loss.fields: at most %d fields", MM_LOSS_MAX_FIELDS);
		for (size_t i = 0; i < n; i++) {
			int x, y;
			if (mm_loss_field_levels(p->fields[i], &x, &y))
				return mm_error_set(err, MM_EINVAL, NULL, 0, 0,
				                    "loss.fields: unknown field '%s' (see "
				                    "docs/loss-model.md for the list)",
				                    p->fields[i]);
		}
		p->nfields = n;
	}
	d = p->social;
	if ((rc = num(c, "loss.social_responsibility", 1, 2, &d, err)))
		return rc;
	p->social = (int)d;
	d = p->response;
	if ((rc = num(c, "loss.post_incident_response", 1, 2, &d, err)))
		return rc;
	p->response = (int)d;
#define R(k, f)                                                                           \
	if ((rc = range(c, "loss." k, p->f, err)))                                        \
		return rc;
	R("initial_response", initial_response)
	R("forensics_server", forensics_server)
	R("forensics_pc", forensics_pc)
	R("legal", legal)
	R("consulting", consulting)
	R("call_centre", call_centre)
	R("review_hours", review_hours)
	R("patch_hours", patch_hours)
	R("outage_hours", outage_hours)
	R("mail_outage_days", mail_outage_days)
	R("direct_loss", direct_loss)
	R("penalty", penalty)
#undef R
#define N(k, f, lo, hi)                                                                   \
	if ((rc = num(c, "loss." k, lo, hi, &p->f, err)))                                 \
		return rc;
	N("notice_per_person", notice_per_person, 0, 1e7)
	N("gift_per_person", gift_per_person, 0, 1e7)
	N("staff_hourly", staff_hourly, 0, 1e7)
	N("reset_per_account", reset_per_account, 0, 1e7)
	N("hourly_gross_profit", hourly_gross_profit, 0, 1e12)
	N("mail_day_cost", mail_day_cost, 0, 1e12)
	N("per_record_usd", per_record_usd, 0, 1e6)
	N("usd_jpy", usd_jpy, 1, 1e4)
#undef N
	d = (double)p->call_centre_min_people;
	if ((rc = num(c, "loss.call_centre_min_people", 0, 1e10, &d, err)))
		return rc;
	p->call_centre_min_people = (int64_t)d;
	d = (double)p->per_record_min;
	if ((rc = num(c, "loss.per_record_min", 0, 1e10, &d, err)))
		return rc;
	p->per_record_min = (int64_t)d;
	d = (double)p->per_record_max;
	if ((rc = num(c, "loss.per_record_max", 0, 1e10, &d, err)))
		return rc;
	p->per_record_max = (int64_t)d;
	return MM_OK;
}

static const char *const g_cat[] = {"response", "compensation", "lost_profit",
                                    "monetary", "penalty", "intangible"};

const char *mm_loss_category_id(enum mm_loss_category c)
{
	return (unsigned)c < MM_ARRAY_LEN(g_cat) ? g_cat[c] : "response";
}

/* 1234567 → "1,234,567" (rounded to the yen). */
static void fmt_num(char *buf, size_t n, double v)
{
	char tmp[40];
	snprintf(tmp, sizeof(tmp), "%.0f", v < 0 ? 0 : v);
	size_t len = strlen(tmp), o = 0;
	for (size_t i = 0; i < len && o + 2 < n; i++) {
		if (i && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = tmp[i];
	}
	buf[o] = '\0';
}

/* Append an item: values are unit × qty per case (unit[3], qty[3]). The
 * formula reads "(low / likely / high) × (qty…) = (…)" with the inputs. */
static void item(struct mm_loss_estimate *e, enum mm_loss_category cat, const char *key,
                 const double *unit, const double *qty, bool in_total)
{
	if (e->n == MM_LOSS_MAX_ITEMS)
		return;
	struct mm_loss_item *it = &e->items[e->n++];
	memset(it, 0, sizeof(*it));
	it->cat = cat;
	it->key = key;
	it->in_total = in_total;
	double v[3];
	for (int i = 0; i < 3; i++)
		v[i] = unit[i] * qty[i];
	it->low = v[0];
	it->likely = v[1];
	it->high = v[2];
	char u[3][40], q[3][40], r[3][40];
	for (int i = 0; i < 3; i++) {
		fmt_num(u[i], sizeof(u[i]), unit[i]);
		fmt_num(r[i], sizeof(r[i]), v[i]);
		if (qty[i] != floor(qty[i]))
			snprintf(q[i], sizeof(q[i]), "%.2f", qty[i]);
		else
			fmt_num(q[i], sizeof(q[i]), qty[i]);
	}
	bool same_q = !strcmp(q[0], q[1]) && !strcmp(q[1], q[2]);
	if (same_q)
		snprintf(it->formula, sizeof(it->formula), "(%s / %s / %s) × %s = (%s / %s / %s)",
		         u[0], u[1], u[2], q[0], r[0], r[1], r[2]);
	else
		snprintf(it->formula, sizeof(it->formula),
		         "(%s × %s / %s × %s / %s × %s) = (%s / %s / %s)", u[0], q[0], u[1], q[1],
		         u[2], q[2], r[0], r[1], r[2]);
	if (in_total) {
		e->low += v[0];
		e->likely += v[1];
		e->high += v[2];
	}
}

static void note(struct mm_loss_estimate *e, enum mm_loss_category cat, const char *key,
                 const char *formula)
{
	if (e->n == MM_LOSS_MAX_ITEMS)
		return;
	struct mm_loss_item *it = &e->items[e->n++];
	memset(it, 0, sizeof(*it));
	it->cat = cat;
	it->key = key;
	snprintf(it->formula, sizeof(it->formula), "%s", formula);
}

void mm_loss_estimate(const struct mm_loss_params *p, const struct mm_incident *inc,
                      size_t servers, struct mm_loss_estimate *e)
{
	memset(e, 0, sizeof(*e));
	enum mm_incident_outcome oc = inc->outcome;
	bool ok = oc == MM_OUTCOME_SUCCEEDED, maybe = oc == MM_OUTCOME_POSSIBLE;
	double one[3] = {1, 1, 1};
	double nsrv = (double)(servers ? servers : 1);

	if (inc->cls == MM_IC_VULNERABILITY) {
		/* Known-vulnerable software: nothing happened yet; the cost is the
		 * patching (response cost, 費用損害) — staff hours per vulnerable
		 * package, one finding per package and vulnerability. */
		double rate[3] = {p->staff_hourly, p->staff_hourly, p->staff_hourly};
		double h[3];
		for (int i = 0; i < 3; i++)
			h[i] = p->patch_hours[i] * (double)(inc->alerts > 0 ? inc->alerts : 1);
		item(e, MM_LOSS_RESPONSE, "patching", rate, h, true);
	} else if (oc == MM_OUTCOME_ATTEMPTED) {
		/* An attempt costs the time to look at it: recon usually none. */
		double h[3];
		if (inc->cls == MM_IC_RECON)
			set3(h, 0, 0, p->review_hours[0]);
		else
			memcpy(h, p->review_hours, sizeof(h));
		double rate[3] = {p->staff_hourly, p->staff_hourly, p->staff_hourly};
		item(e, MM_LOSS_RESPONSE, "staff_review", rate, h, true);
	} else {
		/* A compromise, or a possible one, needs an investigation. A
		 * "possible" one may end after the initial response. */
		item(e, MM_LOSS_RESPONSE, "initial_response", p->initial_response, one, true);
		double q[3] = {maybe ? 0 : nsrv, nsrv, nsrv};
		item(e, MM_LOSS_RESPONSE, "forensics_server", p->forensics_server, q, true);
		double lq[3] = {maybe ? 0 : 1, maybe ? 0 : 1, 1};
		item(e, MM_LOSS_RESPONSE, "consulting", p->consulting, lq, true);
		item(e, MM_LOSS_RESPONSE, "legal", p->legal, lq, true);
		if (inc->cls == MM_IC_ACCOUNT_ATTACK && inc->accounts_targeted > 0) {
			double r[3] = {p->reset_per_account, p->reset_per_account,
			               p->reset_per_account};
			double n[3] = {(double)inc->accounts_targeted, (double)inc->accounts_targeted,
			               (double)inc->accounts_targeted};
			item(e, MM_LOSS_RESPONSE, "password_resets", r, n, true);
		}
	}

	/* Personal data: people whose records the compromised system exposes. */
	bool data_class = inc->cls != MM_IC_RECON && inc->cls != MM_IC_MAIL_RELAY &&
	                  inc->cls != MM_IC_VULNERABILITY;
	if ((ok || maybe) && data_class) {
		int64_t held = inc->records_estimate >= 0 ? inc->records_estimate : p->records_held;
		/* an exfiltration volume over the size of one person's record */
		if (inc->records_estimate < 0 && inc->bytes_estimate > 0 && p->bytes_per_record > 0)
			held = (int64_t)((double)inc->bytes_estimate / p->bytes_per_record + 0.5);
		if (held <= 0) {
			e->records_unknown = true;
		} else {
			int x = 1, y = 1;
			for (size_t i = 0; i < p->nfields; i++) {
				int fx, fy;
				if (!mm_loss_field_levels(p->fields[i], &fx, &fy)) {
					x = MM_MAX(x, fx);
					y = MM_MAX(y, fy);
				}
			}
			int ident = mm_loss_identifiability(p->fields, p->nfields);
			double pp[3] = {mm_loss_jnsa_per_person(x, y, ident, p->social, 1),
			                mm_loss_jnsa_per_person(x, y, ident, p->social, p->response),
			                mm_loss_jnsa_per_person(x, y, ident, p->social, 2)};
			e->per_person = pp[1];
			double hn = (double)held;
			double people[3] = {maybe ? 0 : hn, maybe ? 0 : hn, hn};
			for (int i = 0; i < 3; i++)
				e->people[i] = (int64_t)people[i];
			item(e, MM_LOSS_COMPENSATION, "jnsa_damages", pp, people, true);
			/* the JNSA formula with its inputs, replacing the generic one */
			struct mm_loss_item *it = &e->items[e->n - 1];
			char a[3][40], b[3][40];
			for (int i = 0; i < 3; i++) {
				fmt_num(a[i], sizeof(a[i]), people[i]);
				fmt_num(b[i], sizeof(b[i]), pp[i] * people[i]);
			}
			snprintf(it->formula, sizeof(it->formula),
			         "500 × (10^(%d−1) + 5^(%d−1)) × %d × %d × (1 / %d / 2)"
			         " × (%s / %s / %s) = (%s / %s / %s)",
			         x, y, ident, p->social, p->response, a[0], a[1], a[2], b[0], b[1],
			         b[2]);
			double dm[3] = {p->notice_per_person, p->notice_per_person,
			                p->notice_per_person};
			item(e, MM_LOSS_RESPONSE, "notification", dm, people, true);
			double g[3] = {0, p->gift_per_person, p->gift_per_person};
			item(e, MM_LOSS_RESPONSE, "apology_gift", g, people, true);
			if (hn >= (double)p->call_centre_min_people) {
				double cq[3] = {maybe ? 0 : 1, maybe ? 0 : 1, 1};
				item(e, MM_LOSS_RESPONSE, "call_centre", p->call_centre, cq, true);
			}
			/* cross-check from a breach study, only inside its measured range */
			if (p->per_record_usd > 0 && held >= p->per_record_min &&
			    held <= p->per_record_max) {
				double u = p->per_record_usd * p->usd_jpy;
				double pr[3] = {u, u, u};
				item(e, MM_LOSS_COMPENSATION, "per_record_crosscheck", pr, people, false);
			}
		}
	}

	/* Lost profit: the service stops while it is investigated and rebuilt. */
	if ((ok || maybe) && inc->cls != MM_IC_RECON) {
		if (inc->cls == MM_IC_MAIL_RELAY) {
			if (p->mail_day_cost > 0) {
				double c[3] = {p->mail_day_cost, p->mail_day_cost, p->mail_day_cost};
				item(e, MM_LOSS_LOST_PROFIT, "mail_outage", c, p->mail_outage_days, true);
			} else {
				e->profit_unknown = true;
			}
		} else if (p->hourly_gross_profit > 0) {
			double c[3] = {p->hourly_gross_profit, p->hourly_gross_profit,
			               p->hourly_gross_profit};
			double h[3] = {maybe ? 0 : p->outage_hours[0], maybe ? 0 : p->outage_hours[1],
			               p->outage_hours[2]};
			item(e, MM_LOSS_LOST_PROFIT, "outage", c, h, true);
		} else {
			e->profit_unknown = true;
		}
	}
	if (ok || maybe) {
		if (p->direct_loss[2] > 0)
			item(e, MM_LOSS_MONETARY, "direct_loss", p->direct_loss, one, true);
		if (p->penalty[2] > 0)
			item(e, MM_LOSS_PENALTY, "penalty", p->penalty, one, true);
		note(e, MM_LOSS_INTANGIBLE, "intangible", "—");
	}
}

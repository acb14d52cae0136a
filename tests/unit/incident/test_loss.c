/* Unit tests: the loss model against hand-computed cases — the JNSA damages
 * formula (the check values and the EP-diagram corners), identifiability
 * from the fields held, the ranges per outcome, the per-record cross-check
 * only inside its measured range, and configuration overrides and errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mamori/incident.h"

#include <string.h>

static void test_sensitivity(void **st)
{
	(void)st;
	/* 10^(x-1) + 5^(y-1) */
	assert_true(mm_loss_jnsa_sensitivity(1, 1) == 2.0);
	assert_true(mm_loss_jnsa_sensitivity(1, 3) == 26.0);  /* card number: 1 + 25 */
	assert_true(mm_loss_jnsa_sensitivity(3, 1) == 101.0); /* medical record: 100 + 1 */
	assert_true(mm_loss_jnsa_sensitivity(2, 2) == 15.0);  /* income: 10 + 5 */
	assert_true(mm_loss_jnsa_sensitivity(3, 3) == 125.0); /* criminal record */
	assert_true(mm_loss_jnsa_sensitivity(0, 9) == 26.0);  /* clamped to 1..3 */
}

static void test_per_person_check_values(void **st)
{
	(void)st;
	/* the check values: e-mail only → 1,000 yen; name + address → 6,000 */
	const char *email[] = {"email"}, *na[] = {"name", "address"};
	int x, y;
	assert_int_equal(mm_loss_field_levels("email", &x, &y), MM_OK);
	assert_int_equal(mm_loss_identifiability(email, 1), 1);
	assert_true(mm_loss_jnsa_per_person(x, y, 1, 1, 1) == 1000.0);
	assert_int_equal(mm_loss_identifiability(na, 2), 6);
	assert_true(mm_loss_jnsa_per_person(1, 1, 6, 1, 1) == 6000.0);
	/* name + address + card number: 500 × 26 × 6 = 78,000; a highly
	 * responsible organisation that responds badly: × 2 × 2 = 312,000 */
	assert_true(mm_loss_jnsa_per_person(1, 3, 6, 1, 1) == 78000.0);
	assert_true(mm_loss_jnsa_per_person(1, 3, 6, 2, 2) == 312000.0);
	/* medical record with name and address: 500 × 101 × 6 = 303,000 */
	assert_true(mm_loss_jnsa_per_person(3, 1, 6, 1, 1) == 303000.0);
}

static void test_identifiability(void **st)
{
	(void)st;
	const char *n[] = {"name"}, *ap[] = {"address", "phone"}, *a[] = {"address"},
	           *e[] = {"email", "phone"};
	assert_int_equal(mm_loss_identifiability(n, 1), 3);
	assert_int_equal(mm_loss_identifiability(ap, 2), 3);
	assert_int_equal(mm_loss_identifiability(a, 1), 1);
	assert_int_equal(mm_loss_identifiability(e, 2), 1);
	int x, y;
	assert_int_equal(mm_loss_field_levels("card_number", &x, &y), MM_OK);
	assert_int_equal(x, 1);
	assert_int_equal(y, 3);
	assert_int_equal(mm_loss_field_levels("shoe_size", &x, &y), MM_ENOENT);
}

static struct mm_incident mk(enum mm_incident_class c, enum mm_incident_outcome o)
{
	struct mm_incident in;
	memset(&in, 0, sizeof(in));
	in.cls = c;
	in.outcome = o;
	in.records_estimate = -1;
	return in;
}

static const struct mm_loss_item *find(const struct mm_loss_estimate *e, const char *key)
{
	for (size_t i = 0; i < e->n; i++)
		if (!strcmp(e->items[i].key, key))
			return &e->items[i];
	return NULL;
}

static void test_attempt_costs_review_only(void **st)
{
	(void)st;
	struct mm_loss_params p;
	struct mm_loss_estimate e;
	mm_loss_defaults(&p);
	struct mm_incident in = mk(MM_IC_WEB_ATTACK, MM_OUTCOME_ATTEMPTED);
	mm_loss_estimate(&p, &in, 1, &e);
	/* 5,000 yen/h × 1 / 2 / 8 h */
	assert_true(e.low == 5000 && e.likely == 10000 && e.high == 40000);
	assert_non_null(find(&e, "staff_review"));
	assert_null(find(&e, "forensics_server"));
	assert_string_equal(find(&e, "staff_review")->formula,
	                    "(5,000 × 1 / 5,000 × 2 / 5,000 × 8) = (5,000 / 10,000 / 40,000)");
	in = mk(MM_IC_RECON, MM_OUTCOME_ATTEMPTED);
	mm_loss_estimate(&p, &in, 1, &e);
	assert_true(e.low == 0 && e.likely == 0 && e.high == 5000);
}

static void test_compromise_with_records(void **st)
{
	(void)st;
	struct mm_loss_params p;
	struct mm_loss_estimate e;
	mm_loss_defaults(&p);
	p.records_held = 1200; /* name, address, email, phone → 6,000 yen a person */
	struct mm_incident in = mk(MM_IC_WEB_ATTACK, MM_OUTCOME_SUCCEEDED);
	mm_loss_estimate(&p, &in, 2, &e);
	const struct mm_loss_item *d = find(&e, "jnsa_damages");
	assert_non_null(d);
	/* 1,200 × 6,000 = 7,200,000; high with response 2: 14,400,000 */
	assert_true(d->low == 7200000 && d->likely == 7200000 && d->high == 14400000);
	assert_non_null(strstr(d->formula, "500 × (10^(1−1) + 5^(1−1)) × 6 × 1 × (1 / 1 / 2)"));
	assert_true(e.per_person == 6000);
	/* forensics for two servers: 1.5 M × 2 / 1.5 M × 2 / 2.0 M × 2 */
	const struct mm_loss_item *f = find(&e, "forensics_server");
	assert_true(f->low == 3000000 && f->high == 4000000);
	/* notices 130 × 1,200; gifts 0 / 650 / 650 × 1,200; a call centre (>= 1,000) */
	assert_true(find(&e, "notification")->likely == 156000);
	assert_true(find(&e, "apology_gift")->low == 0 && find(&e, "apology_gift")->high == 780000);
	assert_non_null(find(&e, "call_centre"));
	/* IBM's per-record figure: 1,200 is below its measured range → not shown */
	assert_null(find(&e, "per_record_crosscheck"));
	double sum = 0;
	for (size_t i = 0; i < e.n; i++)
		if (e.items[i].in_total)
			sum += e.items[i].likely;
	assert_true(sum == e.likely);
	assert_true(e.low <= e.likely && e.likely <= e.high);
	assert_true(e.profit_unknown);
	assert_false(e.records_unknown);
}

static void test_possible_leak_only_in_high(void **st)
{
	(void)st;
	struct mm_loss_params p;
	struct mm_loss_estimate e;
	mm_loss_defaults(&p);
	p.records_held = 5000;
	p.hourly_gross_profit = 10000;
	struct mm_incident in = mk(MM_IC_WEB_ATTACK, MM_OUTCOME_POSSIBLE);
	mm_loss_estimate(&p, &in, 1, &e);
	const struct mm_loss_item *d = find(&e, "jnsa_damages");
	assert_true(d->low == 0 && d->likely == 0 && d->high == 5000.0 * 12000);
	const struct mm_loss_item *o = find(&e, "outage");
	assert_true(o->low == 0 && o->likely == 0 && o->high == 720000); /* 72 h */
	/* 5,000 records is inside IBM's 2,200–102,000: the cross-check appears,
	 * outside the total: 165 USD × 150 × 5,000 */
	const struct mm_loss_item *x = find(&e, "per_record_crosscheck");
	assert_non_null(x);
	assert_false(x->in_total);
	assert_true(x->high == 165.0 * 150 * 5000);
	p.records_held = 5000000; /* a mega leak: never extrapolated */
	mm_loss_estimate(&p, &in, 1, &e);
	assert_null(find(&e, "per_record_crosscheck"));
}

static void test_unknown_records(void **st)
{
	(void)st;
	struct mm_loss_params p;
	struct mm_loss_estimate e;
	mm_loss_defaults(&p);
	struct mm_incident in = mk(MM_IC_ACCOUNT_ATTACK, MM_OUTCOME_SUCCEEDED);
	in.accounts_targeted = 4;
	mm_loss_estimate(&p, &in, 1, &e);
	assert_true(e.records_unknown);
	assert_null(find(&e, "jnsa_damages"));
	assert_true(find(&e, "password_resets")->likely == 5000); /* 1,250 × 4 */
	/* 0.2 M + 1.5 M + 0.1 M + 0.3 M + 5,000 */
	assert_true(e.low == 2105000);
}

static void test_config(void **st)
{
	(void)st;
	static const char y[] = "loss:\n"
	                        "  records_held: 3000\n"
	                        "  fields: [email, card_number]\n"
	                        "  social_responsibility: 2\n"
	                        "  forensics_server: [1000000, 1200000, 3000000]\n"
	                        "  hourly_gross_profit: 20000\n";
	struct mm_config *c = NULL;
	struct mm_error err;
	struct mm_loss_params p;
	mm_error_clear(&err);
	assert_int_equal(mm_config_load_buffer(&c, "t.yaml", y, sizeof(y) - 1, &err), MM_OK);
	mm_loss_defaults(&p);
	assert_int_equal(mm_loss_from_config(&p, c, &err), MM_OK);
	assert_int_equal(p.records_held, 3000);
	assert_int_equal(p.nfields, 2);
	assert_int_equal(p.social, 2);
	assert_true(p.forensics_server[2] == 3000000);
	assert_true(p.hourly_gross_profit == 20000);
	mm_config_free(c);

	static const char bad1[] = "loss:\n  forensic_server: 1\n";
	static const char bad2[] = "loss:\n  legal: [3, 2, 1]\n";
	static const char bad3[] = "loss:\n  fields: [name, shoe_size]\n";
	static const char bad4[] = "loss:\n  social_responsibility: 3\n";
	const char *bad[] = {bad1, bad2, bad3, bad4};
	for (size_t i = 0; i < 4; i++) {
		c = NULL;
		assert_int_equal(mm_config_load_buffer(&c, "t.yaml", bad[i], strlen(bad[i]), &err),
		                 MM_OK);
		mm_loss_defaults(&p);
		assert_int_not_equal(mm_loss_from_config(&p, c, &err), MM_OK);
		assert_true(err.msg[0] != '\0');
		mm_config_free(c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sensitivity),
		cmocka_unit_test(test_per_person_check_values),
		cmocka_unit_test(test_identifiability),
		cmocka_unit_test(test_attempt_costs_review_only),
		cmocka_unit_test(test_compromise_with_records),
		cmocka_unit_test(test_possible_leak_only_in_high),
		cmocka_unit_test(test_unknown_records),
		cmocka_unit_test(test_config),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

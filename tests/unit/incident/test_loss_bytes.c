/* mamori — unit test for the loss model's exfiltration-volume hook
 * (src/incident/loss.c, docs/loss-model.md "People counted"): an incident's
 * bytes_estimate (from the egress analyzer's exfiltration alerts) counts
 * bytes_estimate / loss.bytes_per_record people when no record count is
 * known; off by default; a record count, when there is one, wins; the key is
 * read from mamori.yaml and checked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "mamori/config.h"
#include "mamori/incident.h"

static struct mm_incident exfil(int64_t bytes, int64_t records)
{
	struct mm_incident in;
	memset(&in, 0, sizeof(in));
	in.cls = MM_IC_EXFILTRATION;
	in.outcome = MM_OUTCOME_SUCCEEDED;
	in.severity = 4;
	in.records_estimate = records;
	in.bytes_estimate = bytes;
	return in;
}

static void t_bytes_to_people(void **state)
{
	(void)state;
	struct mm_loss_params p;
	struct mm_loss_estimate e;
	mm_loss_defaults(&p);
	assert_true(p.bytes_per_record == 0);
	struct mm_incident in = exfil(5000000000, -1);
	mm_loss_estimate(&p, &in, 1, &e);
	assert_true(e.records_unknown); /* off by default: no guess */
	p.bytes_per_record = 2000;      /* ~2 kB per customer row in a dump */
	mm_loss_estimate(&p, &in, 1, &e);
	assert_false(e.records_unknown);
	assert_int_equal(e.people[1], 2500000);
	in = exfil(5000000000, 1200); /* an evidence-based record count wins */
	mm_loss_estimate(&p, &in, 1, &e);
	assert_int_equal(e.people[1], 1200);
	in = exfil(-1, -1);
	mm_loss_estimate(&p, &in, 1, &e);
	assert_true(e.records_unknown);
}

static void t_config(void **state)
{
	(void)state;
	static const char ok[] = "loss:\n  bytes_per_record: 1500\n";
	static const char bad[] = "loss:\n  bytes_per_record: -3\n";
	struct mm_config *c = NULL;
	struct mm_error err;
	struct mm_loss_params p;
	mm_loss_defaults(&p);
	assert_int_equal(mm_config_load_buffer(&c, "t", ok, sizeof(ok) - 1, &err), MM_OK);
	assert_int_equal(mm_loss_from_config(&p, c, &err), MM_OK);
	assert_true(p.bytes_per_record == 1500);
	mm_config_free(c);
	assert_int_equal(mm_config_load_buffer(&c, "t", bad, sizeof(bad) - 1, &err), MM_OK);
	assert_int_not_equal(mm_loss_from_config(&p, c, &err), MM_OK);
	mm_config_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(t_bytes_to_people),
	                                   cmocka_unit_test(t_config)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

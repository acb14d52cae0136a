/* mamori — unit tests for FortiGate logs in the kv decoder (src/decode/kv.c):
 * traffic logs (addresses, ports, bytes both ways, duration in ns, protocol
 * number, date+time vs eventtime, logsource) and admin-login event logs. */
#include "dec_test.h"

static const char g_traffic[] =
	"date=2026-11-03 time=10:00:01 devname=\"fw01\" devid=\"FG100F\" eventtime=1793667601123456789 "
	"tz=\"+0900\" logid=\"0000000013\" type=\"traffic\" subtype=\"forward\" level=\"notice\" "
	"vd=\"root\" srcip=192.168.1.20 srcport=51000 srcintf=\"lan\" dstip=91.198.44.21 dstport=443 "
	"dstintf=\"wan1\" sessionid=12345 proto=6 action=\"close\" policyid=3 service=\"HTTPS\" "
	"duration=125 sentbyte=52000000 rcvdbyte=90000 sentpkt=36000 rcvdpkt=1500 dstcountry=\"Russia\"";

static void t_traffic(void **state)
{
	struct dt t;
	dt_init(&t, "kv");
	assert_int_equal(dt_decode(&t, g_traffic), MM_DEC_OK);
	/* eventtime (UTC epoch ns) beats the device-local date/time */
	assert_ts(&t, "2026-11-03T01:00:01.123Z");
	assert_field(&t, MM_F_SOURCE_IP, "192.168.1.20");
	assert_field(&t, MM_F_SOURCE_PORT, "51000");
	assert_field(&t, MM_F_DESTINATION_IP, "91.198.44.21");
	assert_field(&t, MM_F_DESTINATION_PORT, "443");
	assert_field(&t, MM_F_NETWORK_TRANSPORT, "tcp");
	assert_field(&t, MM_F_SOURCE_BYTES, "52000000");
	assert_field(&t, MM_F_DESTINATION_BYTES, "90000");
	assert_field(&t, MM_F_NETWORK_BYTES, "52090000");
	assert_field(&t, MM_F_NETWORK_PACKETS, "37500");
	assert_field(&t, MM_F_EVENT_DURATION, "125000000000");
	assert_field(&t, MM_F_EVENT_ACTION, "close");
	assert_field(&t, MM_F_OBSERVER_NAME, "fw01");
	assert_field(&t, MM_F_EVENT_CODE, "0000000013");
	assert_string_equal(dt_named(&t, "dstcountry"), "Russia");
	assert_string_equal(t.ev.product, "fortinet");
	assert_string_equal(t.ev.dataset, "fortigate.traffic");
	assert_string_equal(t.ev.category, "firewall");
	assert_false(t.ev.flags & MM_EV_VERBATIM);
	/* without eventtime: date + time in the configured zone */
	struct mm_tz *tz = NULL;
	assert_int_equal(mm_tz_new(&tz, "+09:00", NULL), MM_OK);
	t.opts.tz = tz;
	assert_int_equal(dt_decode(&t, "date=2026-11-03 time=10:00:01 devname=fw01 type=traffic "
	                               "srcip=10.0.0.1 dstip=10.0.0.2 action=deny"),
	                 MM_DEC_OK);
	assert_ts(&t, "2026-11-03T01:00:01.000Z");
	assert_field(&t, MM_F_EVENT_ACTION, "deny");
	/* a plain kv line with date= alone still parses it as before */
	assert_int_equal(dt_decode(&t, "date=2026-11-26T10:00:00Z user=bob result=ok"), MM_DEC_OK);
	assert_ts(&t, "2026-11-26T10:00:00.000Z");
	assert_null(t.ev.product);
	assert_string_equal(t.ev.dataset, "kv");
	/* packets both ways but no bytes: the computed total is not in the line */
	assert_int_equal(dt_decode(&t, "srcip=10.0.0.1 dstip=10.0.0.2 sentpkt=3 rcvdpkt=4"), MM_DEC_OK);
	assert_field(&t, MM_F_NETWORK_PACKETS, "7");
	assert_false(t.ev.flags & MM_EV_VERBATIM);
	assert_verbatim_honest(&t);
	mm_tz_free(tz);
	dt_free(&t);
}

static void t_admin_login(void **state)
{
	struct dt t;
	dt_init(&t, "kv");
	assert_int_equal(dt_decode(&t, "date=2026-11-03 time=03:12:09 devname=\"fw01\" devid=\"FG100F\" "
	                               "logid=\"0100032001\" type=\"event\" subtype=\"system\" "
	                               "level=\"information\" logdesc=\"Admin login successful\" "
	                               "user=\"admin\" ui=\"ssh(103.77.190.12)\" method=\"ssh\" "
	                               "srcip=103.77.190.12 dstip=192.168.1.254 action=\"login\" "
	                               "status=\"success\" msg=\"Administrator admin logged in\""),
	                 MM_DEC_OK);
	assert_field(&t, MM_F_USER_NAME, "admin");
	assert_field(&t, MM_F_EVENT_OUTCOME, "success");
	assert_field(&t, MM_F_EVENT_CATEGORY, "authentication");
	assert_field(&t, MM_F_SOURCE_IP, "103.77.190.12");
	assert_string_equal(t.ev.dataset, "fortigate.event");
	assert_string_equal(t.ev.category, "authentication");
	dt_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_traffic), cmocka_unit_test(t_admin_login),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

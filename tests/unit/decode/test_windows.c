/* mamori — unit tests for Windows event records in the JSON decoder
 * (src/decode/jsonl.c win_key/win_ecs): the EVTX rendering (evtx_dump,
 * SigmaHQ regression data) and Winlogbeat shapes flatten to Sigma's Windows
 * field names, mark the event product windows, take TimeCreated as event
 * time and fill the ECS source.ip/user.name/host.hostname/event.code. */
#include "dec_test.h"

static void t_evtx_json(void **state)
{
	(void)state;
	struct dt t;
	dt_init(&t, "jsonl");
	assert_int_equal(
		dt_decode(&t,
		          "{\"Event\":{\"#attributes\":{\"xmlns\":\"http://x\"},\"System\":{\"Provider\":"
		          "{\"#attributes\":{\"Name\":\"Microsoft-Windows-Security-Auditing\"}},"
		          "\"EventID\":{\"#attributes\":{\"Qualifiers\":0},\"#text\":4771},"
		          "\"TimeCreated\":{\"#attributes\":{\"SystemTime\":\"2026-11-20T09:00:01.1234567Z\"}},"
		          "\"Channel\":\"Security\",\"Computer\":\"DC01\",\"Security\":null},"
		          "\"EventData\":{\"TargetUserName\":\"alice\",\"Status\":\"0x18\","
		          "\"IpAddress\":\"::ffff:198.51.100.7\",\"Threat Name\":\"EICAR\"}}}"),
		MM_DEC_OK);
	assert_string_equal(t.ev.product, "windows");
	assert_null(t.ev.category);
	assert_null(t.ev.service[0]);
	assert_string_equal(t.ev.dataset, "windows");
	assert_string_equal(dt_named(&t, "EventID"), "4771");
	assert_string_equal(dt_named(&t, "EventID_Qualifiers"), "0");
	assert_string_equal(dt_named(&t, "Provider_Name"), "Microsoft-Windows-Security-Auditing");
	assert_string_equal(dt_named(&t, "Channel"), "Security");
	assert_string_equal(dt_named(&t, "TargetUserName"), "alice");
	assert_string_equal(dt_named(&t, "ThreatName"), "EICAR"); /* spaces go */
	assert_null(dt_named(&t, "Event.EventData.TargetUserName"));
	assert_ts(&t, "2026-11-20T09:00:01.123Z");
	/* ECS: the IPv4-mapped Kerberos address is reduced to IPv4 */
	assert_string_equal(dt_f(&t, MM_F_SOURCE_IP), "198.51.100.7");
	assert_string_equal(dt_f(&t, MM_F_USER_NAME), "alice");
	assert_string_equal(dt_f(&t, MM_F_HOST_HOSTNAME), "DC01");
	assert_string_equal(dt_f(&t, MM_F_EVENT_CODE), "4771");
	assert_verbatim_honest(&t);
	/* UserData: one more level; "-" is no address */
	assert_int_equal(dt_decode(&t, "{\"Event\":{\"System\":{\"EventID\":1102,\"Channel\":"
	                               "\"Security\"},\"UserData\":{\"LogFileCleared\":"
	                               "{\"SubjectUserName\":\"bob\"}},\"x\":1}}"),
	                 MM_DEC_OK);
	assert_string_equal(dt_named(&t, "SubjectUserName"), "bob");
	assert_null(dt_f(&t, MM_F_SOURCE_IP));
	assert_int_equal(dt_decode(&t, "{\"Event\":{\"System\":{\"Channel\":\"Security\"},"
	                               "\"EventData\":{\"IpAddress\":\"-\",\"TargetUserName\":\"-\"}}}"),
	                 MM_DEC_OK);
	assert_null(dt_f(&t, MM_F_SOURCE_IP));
	assert_null(dt_f(&t, MM_F_USER_NAME));
	/* an "Event" object without System.Channel is ordinary JSON */
	assert_int_equal(dt_decode(&t, "{\"Event\":{\"EventData\":{\"Image\":\"x\"}}}"), MM_DEC_OK);
	assert_null(t.ev.product);
	assert_string_equal(t.ev.dataset, "json");
	dt_free(&t);
}

static void t_winlogbeat(void **state)
{
	(void)state;
	struct dt t;
	dt_init(&t, "jsonl");
	assert_int_equal(
		dt_decode(&t, "{\"@timestamp\":\"2026-11-20T09:00:00.000Z\",\"source\":{\"ip\":\"10.1.1.1\"},"
		              "\"winlog\":{\"channel\":\"Microsoft-Windows-Sysmon/Operational\","
		              "\"event_id\":\"1\",\"provider_name\":\"Microsoft-Windows-Sysmon\","
		              "\"computer_name\":\"WS1\",\"event_data\":{\"Image\":\"C:\\\\x.exe\","
		              "\"IpAddress\":\"10.2.2.2\"}}}"),
		MM_DEC_OK);
	assert_string_equal(t.ev.product, "windows");
	assert_string_equal(dt_named(&t, "Channel"), "Microsoft-Windows-Sysmon/Operational");
	assert_string_equal(dt_named(&t, "EventID"), "1");
	assert_string_equal(dt_named(&t, "Provider_Name"), "Microsoft-Windows-Sysmon");
	assert_string_equal(dt_named(&t, "Computer"), "WS1");
	assert_string_equal(dt_named(&t, "Image"), "C:\\x.exe");
	assert_ts(&t, "2026-11-20T09:00:00.000Z");
	/* the record's own ECS field wins over the derived one */
	assert_string_equal(dt_f(&t, MM_F_SOURCE_IP), "10.1.1.1");
	/* winlog without a channel: not a Windows record */
	assert_int_equal(dt_decode(&t, "{\"winlog\":{\"event_id\":\"1\"}}"), MM_DEC_OK);
	assert_null(t.ev.product);
	dt_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_evtx_json),
		cmocka_unit_test(t_winlogbeat),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

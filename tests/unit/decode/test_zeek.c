/* mamori — unit tests for the Zeek decoder (src/decode/zeek.c): the TSV
 * header (separator, fields, path), column → ECS mapping, unset and empty
 * values, duration in ns, network.* totals, extras, the headerless default,
 * other logs (dns.log), the JSON form, malformed rows, every prefix of a row,
 * and the probe. */
#include "dec_test.h"

static const char g_fields[] =
	"#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\t"
	"orig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\t"
	"orig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents";
static const char g_types[] =
	"#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\t"
	"string\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]";
static const char *const g_hdr[] = {
	"#separator \\x09", "#set_separator\t,", "#empty_field\t(empty)", "#unset_field\t-",
	"#path\tconn", g_fields, g_types,
};

static const char g_row[] =
	"1601998366.785668\tCNgrt04tHika5Pgpfi\t192.168.1.5\t54170\t198.51.100.7\t443\ttcp\tssl\t"
	"20.022134\t6181\t11658\tSF\tT\tF\t0\tShADadFf\t22\t7337\t17\t12550\t(empty)";

static void header(struct dt *t)
{
	for (size_t i = 0; i < MM_ARRAY_LEN(g_hdr); i++)
		assert_int_equal(dt_decode(t, g_hdr[i]), MM_DEC_SKIP);
}

static void t_tsv_row(void **state)
{
	struct dt t;
	dt_init(&t, "zeek");
	header(&t);
	assert_int_equal(dt_decode(&t, g_row), MM_DEC_OK);
	assert_ts(&t, "2020-10-06T15:32:46.785Z");
	assert_int_equal(t.ev.ts % 1000000000, 785668000);
	assert_field(&t, MM_F_SOURCE_IP, "192.168.1.5");
	assert_field(&t, MM_F_SOURCE_PORT, "54170");
	assert_field(&t, MM_F_DESTINATION_IP, "198.51.100.7");
	assert_field(&t, MM_F_DESTINATION_PORT, "443");
	assert_field(&t, MM_F_NETWORK_TRANSPORT, "tcp");
	assert_field(&t, MM_F_NETWORK_PROTOCOL, "ssl");
	assert_field(&t, MM_F_EVENT_DURATION, "20022134000");
	assert_field(&t, MM_F_SOURCE_BYTES, "6181");
	assert_field(&t, MM_F_DESTINATION_BYTES, "11658");
	assert_field(&t, MM_F_NETWORK_BYTES, "17839");
	assert_field(&t, MM_F_SOURCE_PACKETS, "22");
	assert_field(&t, MM_F_DESTINATION_PACKETS, "17");
	assert_field(&t, MM_F_NETWORK_PACKETS, "39");
	assert_string_equal(dt_named(&t, "zeek.uid"), "CNgrt04tHika5Pgpfi");
	assert_string_equal(dt_named(&t, "zeek.conn_state"), "SF");
	assert_string_equal(dt_named(&t, "zeek.history"), "ShADadFf");
	assert_null(dt_named(&t, "zeek.tunnel_parents")); /* (empty) is no value */
	assert_string_equal(t.ev.product, "zeek");
	assert_string_equal(t.ev.service[0], "conn");
	assert_string_equal(t.ev.dataset, "zeek.conn");
	assert_string_equal(t.ev.category, "network_connection");
	assert_verbatim_honest(&t);
	dt_free(&t);
}

static void t_unset_and_short(void **state)
{
	struct dt t;
	dt_init(&t, "zeek");
	header(&t);
	/* unset duration/bytes (a rejected connection): absent, totals absent */
	assert_int_equal(dt_decode(&t, "1601998368.9\tCx\t10.0.0.1\t5353\t224.0.0.251\t5353\tudp\t-\t-"
	                               "\t-\t-\tS0\t-\t-\t0\tD\t2\t2009\t0\t0\t-"),
	                 MM_DEC_OK);
	assert_no_field(&t, MM_F_EVENT_DURATION);
	assert_no_field(&t, MM_F_SOURCE_BYTES);
	assert_no_field(&t, MM_F_NETWORK_BYTES);
	assert_field(&t, MM_F_NETWORK_PACKETS, "2");
	/* a row cut short keeps what it has */
	assert_int_equal(dt_decode(&t, "1601998368.9\tCx\t10.0.0.1\t5353"), MM_DEC_OK);
	assert_field(&t, MM_F_SOURCE_PORT, "5353");
	assert_no_field(&t, MM_F_DESTINATION_IP);
	/* bad time, bad duration, too few columns */
	assert_int_equal(dt_decode(&t, "yesterday\tCx\t10.0.0.1\t1\t10.0.0.2\t2"), MM_DEC_BAD_TIMESTAMP);
	assert_int_equal(dt_decode(&t, "1601998368.9\tCx\t10.0.0.1\t1\t10.0.0.2\t2\ttcp\t-\tlong"),
	                 MM_DEC_BAD_FIELD);
	assert_int_equal(dt_decode(&t, "1601998368.9\tCx"), MM_DEC_BAD_FORMAT);
	/* every prefix of a row: an outcome, never a crash (ASan checks reads) */
	for (size_t n = 0; n <= sizeof(g_row) - 1; n++) {
		enum mm_dec_outcome o = dt_decode_n(&t, g_row, n);
		assert_true(o == MM_DEC_OK || o == MM_DEC_BAD_FORMAT || o == MM_DEC_BAD_TIMESTAMP ||
		            o == MM_DEC_BAD_FIELD || o == MM_DEC_SKIP);
	}
	dt_free(&t);
}

static void t_headerless_and_dns(void **state)
{
	struct dt t;
	dt_init(&t, "zeek");
	/* no header yet: the conn.log columns of Zeek 3-6 */
	assert_int_equal(dt_decode(&t, g_row), MM_DEC_OK);
	assert_field(&t, MM_F_DESTINATION_PORT, "443");
	/* a dns.log header: query → destination.domain */
	assert_int_equal(dt_decode(&t, "#path\tdns"), MM_DEC_SKIP);
	assert_int_equal(dt_decode(&t, "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p"
	                               "\tproto\ttrans_id\tquery"),
	                 MM_DEC_SKIP);
	assert_int_equal(dt_decode(&t, "1601998366.1\tCa\t10.0.0.5\t5000\t10.0.0.1\t53\tudp\t4711\t"
	                               "evil.example.com"),
	                 MM_DEC_OK);
	assert_field(&t, MM_F_DESTINATION_DOMAIN, "evil.example.com");
	assert_string_equal(dt_named(&t, "zeek.trans_id"), "4711");
	assert_string_equal(t.ev.dataset, "zeek.dns");
	assert_string_equal(t.ev.service[0], "dns");
	assert_null(t.ev.category);
	/* a different separator */
	assert_int_equal(dt_decode(&t, "#separator ,"), MM_DEC_SKIP);
	assert_int_equal(dt_decode(&t, "#fields,ts,id.orig_h,id.resp_h"), MM_DEC_SKIP);
	assert_int_equal(dt_decode(&t, "1601998366,10.0.0.5,10.0.0.9"), MM_DEC_OK);
	assert_field(&t, MM_F_DESTINATION_IP, "10.0.0.9");
	dt_free(&t);
}

static void t_json(void **state)
{
	struct dt t;
	dt_init(&t, "zeek");
	assert_int_equal(dt_decode(&t, "{\"ts\":1546981792.481978,\"uid\":\"Cu00My2F0RlLbdpIhj\","
	                               "\"id.orig_h\":\"192.168.86.167\",\"id.orig_p\":55010,"
	                               "\"id.resp_h\":\"17.248.128.151\",\"id.resp_p\":443,"
	                               "\"proto\":\"tcp\",\"service\":\"ssl\",\"duration\":20.5,"
	                               "\"orig_bytes\":6181,\"resp_bytes\":11658,\"conn_state\":\"SF\","
	                               "\"orig_pkts\":22,\"resp_pkts\":17}"),
	                 MM_DEC_OK);
	assert_ts(&t, "2019-01-08T21:09:52.481Z");
	assert_field(&t, MM_F_SOURCE_IP, "192.168.86.167");
	assert_field(&t, MM_F_DESTINATION_PORT, "443");
	assert_field(&t, MM_F_EVENT_DURATION, "20500000000");
	assert_field(&t, MM_F_NETWORK_BYTES, "17839");
	assert_string_equal(dt_named(&t, "zeek.conn_state"), "SF");
	assert_string_equal(t.ev.dataset, "zeek.conn");
	assert_int_equal(dt_decode(&t, "{\"uid\":\"x\",\"id.orig_h\":\"10.0.0.1\"}"), MM_DEC_BAD_TIMESTAMP);
	assert_int_equal(dt_decode(&t, "{\"ts\":1,"), MM_DEC_BAD_JSON);
	dt_free(&t);
}

static void t_probe(void **state)
{
	const struct mm_decoder *d = mm_decoder_find("zeek");
	assert_int_equal(d->probe(g_hdr[0], strlen(g_hdr[0])), 100);
	assert_int_equal(d->probe(g_hdr[5], strlen(g_hdr[5])), 100);
	assert_int_equal(d->probe(g_row, sizeof(g_row) - 1), 80);
	static const char j[] = "{\"ts\":1,\"id.orig_h\":\"10.0.0.1\"}";
	assert_int_equal(d->probe(j, sizeof(j) - 1), 95);
	static const char other[] = "{\"ts\":1,\"user\":\"x\"}";
	assert_int_equal(d->probe(other, sizeof(other) - 1), 0);
	static const char sl[] = "Nov 26 10:00:00 host sshd[1]: Accepted password for a from 1.2.3.4";
	assert_int_equal(d->probe(sl, sizeof(sl) - 1), 0);
	/* auto-detection: a conn.log with its header is zeek, a JSON one too */
	struct mm_slice s[8];
	for (size_t i = 0; i < 7; i++)
		s[i] = mm_slice_cstr(g_hdr[i]);
	s[7] = mm_slice(g_row, sizeof(g_row) - 1);
	assert_string_equal(mm_decoder_detect(s, 8)->name, "zeek");
	s[0] = mm_slice(j, sizeof(j) - 1);
	assert_string_equal(mm_decoder_detect(s, 1)->name, "zeek");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_tsv_row), cmocka_unit_test(t_unset_and_short),
		cmocka_unit_test(t_headerless_and_dns), cmocka_unit_test(t_json),
		cmocka_unit_test(t_probe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

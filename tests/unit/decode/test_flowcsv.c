/* mamori — unit tests for the CSV flow decoder (src/decode/flowcsv.c):
 * nfdump, Argus/binetflow and plain headers, the configured column map,
 * protocol names and numbers, timestamps, extras, rows before a header,
 * summary lines, every prefix of a row, and the probe. */
#include "dec_test.h"

static void t_nfdump(void **state)
{
	struct dt t;
	dt_init(&t, "flowcsv");
	assert_int_equal(dt_decode(&t, "ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt"),
	                 MM_DEC_SKIP);
	assert_int_equal(dt_decode(&t, "2026-11-03 10:00:00.123,2026-11-03 10:00:05.000,4.877,"
	                               "192.168.1.20,91.198.44.21,51000,443,TCP,.AP.SF,0,0,9000,"
	                               "52000000,4000,200000"),
	                 MM_DEC_OK);
	assert_ts(&t, "2026-11-03T10:00:00.123Z");
	assert_field(&t, MM_F_SOURCE_IP, "192.168.1.20");
	assert_field(&t, MM_F_DESTINATION_PORT, "443");
	assert_field(&t, MM_F_NETWORK_TRANSPORT, "tcp");
	assert_field(&t, MM_F_EVENT_DURATION, "4877000000");
	assert_field(&t, MM_F_SOURCE_BYTES, "52000000");
	assert_field(&t, MM_F_NETWORK_BYTES, "52200000");
	assert_field(&t, MM_F_NETWORK_PACKETS, "13000");
	assert_string_equal(dt_named(&t, "flow.flg"), ".AP.SF");
	assert_string_equal(t.ev.dataset, "flow");
	/* nfdump's summary lines are not flows */
	assert_int_equal(dt_decode(&t, "Summary"), MM_DEC_BAD_FORMAT);
	assert_int_equal(dt_decode(&t, "flows,bytes,packets,avg_bps,avg_pps,avg_bpp"), MM_DEC_BAD_FIELD);
	dt_free(&t);
}

static void t_argus_and_map(void **state)
{
	struct dt t;
	dt_init(&t, "flowcsv");
	assert_int_equal(dt_decode(&t, "StartTime,Dur,Proto,SrcAddr,Sport,Dir,DstAddr,Dport,State,"
	                               "sTos,dTos,TotPkts,TotBytes,SrcBytes,Label"),
	                 MM_DEC_SKIP);
	assert_int_equal(dt_decode(&t, "2018/12/18 14:00:00.527,0.699716,tcp,216.73.23.146,52798,"
	                               "   ->,147.32.81.58,445,S_RA,0,0,2,134,70,flow=Background"),
	                 MM_DEC_OK);
	assert_ts(&t, "2018-12-18T14:00:00.527Z");
	assert_field(&t, MM_F_NETWORK_BYTES, "134"); /* TotBytes wins over the sum */
	assert_field(&t, MM_F_SOURCE_BYTES, "70");
	assert_field(&t, MM_F_DESTINATION_IP, "147.32.81.58");
	assert_string_equal(dt_named(&t, "flow.label"), "flow=Background");
	assert_string_equal(dt_named(&t, "flow.dir"), "->");
	dt_free(&t);
	/* the configured map: own column names */
	static const char *const map[] = {"when", "@timestamp", "from", "source.ip", "to",
	                                  "destination.ip", "sent", "source.bytes", "p", "network.transport"};
	dt_init(&t, "flowcsv");
	t.opts.csv_map = map;
	t.opts.ncsv_map = 5;
	assert_int_equal(dt_decode(&t, "when;from;to;sent;p"), MM_DEC_SKIP);
	assert_int_equal(dt_decode(&t, "1790812800;10.0.0.1;8.8.8.8;512;17"), MM_DEC_OK);
	assert_ts(&t, "2026-10-01T00:00:00.000Z");
	assert_field(&t, MM_F_SOURCE_BYTES, "512");
	assert_field(&t, MM_F_NETWORK_TRANSPORT, "udp");
	dt_free(&t);
}

static void t_malformed(void **state)
{
	struct dt t;
	dt_init(&t, "flowcsv");
	assert_int_equal(dt_decode(&t, "2026-11-03 10:00:00,1.2.3.4,5.6.7.8"), MM_DEC_BAD_FORMAT);
	assert_int_equal(dt_decode(&t, "# comment"), MM_DEC_SKIP);
	static const char hdr[] = "src_ip,dst_ip,dst_port,start,duration,bytes_out";
	assert_int_equal(dt_decode(&t, hdr), MM_DEC_SKIP);
	assert_int_equal(dt_decode(&t, "1.2.3.4,5.6.7.8,80,soon,1,2"), MM_DEC_BAD_TIMESTAMP);
	assert_int_equal(dt_decode(&t, "1.2.3.4,5.6.7.8,80,1790812800,x,2"), MM_DEC_BAD_FIELD);
	assert_int_equal(dt_decode(&t, "1.2.3.4,5.6.7.8,80,1790812800,1,many"), MM_DEC_BAD_FIELD);
	static const char row[] = "\"1.2.3.4\",\"5.6.7.8\",80,1790812800,1.5,200";
	assert_int_equal(dt_decode(&t, row), MM_DEC_OK);
	assert_field(&t, MM_F_SOURCE_IP, "1.2.3.4");
	for (size_t n = 0; n <= sizeof(row) - 1; n++)
		assert_true((unsigned)dt_decode_n(&t, row, n) < MM_DEC__COUNT);
	dt_free(&t);
}

static void t_probe(void **state)
{
	const struct mm_decoder *d = mm_decoder_find("flowcsv");
	static const char h[] = "ts,te,td,sa,da,sp,dp,pr,ipkt,ibyt";
	assert_int_equal(d->probe(h, sizeof(h) - 1), 90);
	static const char a[] = "a,b,c,d";
	assert_int_equal(d->probe(a, sizeof(a) - 1), 0);
	static const char r[] = "2026-11-03 10:00:00,1.2.3.4,5.6.7.8";
	assert_int_equal(d->probe(r, sizeof(r) - 1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_nfdump), cmocka_unit_test(t_argus_and_map),
		cmocka_unit_test(t_malformed), cmocka_unit_test(t_probe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

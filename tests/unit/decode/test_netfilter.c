/* mamori — unit tests for the netfilter decoder (src/decode/netfilter.c):
 * fields of a kernel LOG line behind RFC 3164, ISO and RFC 5424 headers, the
 * log prefix and its action, IPv6, flags, lines without a time, malformed
 * lines, every prefix of a line, and the probe. */
#include "dec_test.h"

static const char g_line[] =
	"Oct 10 07:25:12 gw kernel: [wan-lan-default-D]IN=eth0 OUT= "
	"MAC=90:10:20:76:8d:20:90:10:65:29:b6:2a:08:00 SRC=158.109.0.1 DST=10.4.0.5 LEN=52 "
	"TOS=0x00 PREC=0x00 TTL=63 ID=0 DF PROTO=TCP SPT=38842 DPT=443 WINDOW=2853 RES=0x00 ACK URGP=0";

static void t_line(void **state)
{
	struct dt t;
	dt_init(&t, "netfilter");
	t.opts.year = 2026;
	assert_int_equal(dt_decode(&t, g_line), MM_DEC_OK);
	assert_ts(&t, "2026-10-10T07:25:12.000Z");
	assert_field(&t, MM_F_SOURCE_IP, "158.109.0.1");
	assert_field(&t, MM_F_DESTINATION_IP, "10.4.0.5");
	assert_field(&t, MM_F_SOURCE_PORT, "38842");
	assert_field(&t, MM_F_DESTINATION_PORT, "443");
	assert_field(&t, MM_F_NETWORK_TRANSPORT, "tcp");
	assert_field(&t, MM_F_SOURCE_BYTES, "52");
	assert_field(&t, MM_F_NETWORK_BYTES, "52");
	assert_field(&t, MM_F_NETWORK_PACKETS, "1");
	assert_field(&t, MM_F_EVENT_ACTION, "deny");
	assert_field(&t, MM_F_HOST_HOSTNAME, "gw");
	assert_field(&t, MM_F_OBSERVER_NAME, "gw");
	assert_no_field(&t, MM_F_MESSAGE);
	assert_string_equal(dt_named(&t, "netfilter.prefix"), "[wan-lan-default-D]");
	assert_string_equal(dt_named(&t, "observer.ingress.interface.name"), "eth0");
	assert_null(dt_named(&t, "observer.egress.interface.name")); /* OUT= empty */
	assert_string_equal(t.ev.dataset, "netfilter");
	assert_string_equal(t.ev.product, "linux");
	assert_string_equal(t.ev.category, "firewall");
	dt_free(&t);
}

static void t_variants(void **state)
{
	struct dt t;
	dt_init(&t, "netfilter");
	/* ISO header, uptime stamp, prefix words */
	assert_int_equal(dt_decode(&t, "2026-11-03T10:00:01+09:00 rt01 kernel: [12345.678901] "
	                               "UFW BLOCK IN=ppp0 OUT= SRC=203.0.113.9 DST=192.0.2.1 LEN=60 "
	                               "PROTO=UDP SPT=5000 DPT=161 LEN=40"),
	                 MM_DEC_OK);
	assert_ts(&t, "2026-11-03T01:00:01.000Z");
	assert_field(&t, MM_F_EVENT_ACTION, "deny");
	assert_field(&t, MM_F_NETWORK_TRANSPORT, "udp");
	assert_field(&t, MM_F_SOURCE_BYTES, "60"); /* the IP length, not the UDP one */
	assert_string_equal(dt_named(&t, "netfilter.prefix"), "UFW BLOCK");
	/* RFC 5424, accept prefix, IPv6, ICMP without ports */
	assert_int_equal(dt_decode(&t, "<4>1 2026-11-03T10:00:01Z fw kernel - - - ACCEPT-OUT: "
	                               "IN= OUT=eth1 SRC=2001:db8::1 DST=2001:db8::2 LEN=104 "
	                               "PROTO=ICMPv6 TYPE=128 CODE=0"),
	                 MM_DEC_OK);
	assert_field(&t, MM_F_EVENT_ACTION, "allow");
	assert_field(&t, MM_F_NETWORK_TRANSPORT, "ipv6-icmp");
	assert_field(&t, MM_F_SOURCE_IP, "2001:db8::1");
	assert_no_field(&t, MM_F_DESTINATION_PORT);
	/* no prefix words that say what happened: no action */
	assert_int_equal(dt_decode(&t, "2026-11-03T10:00:01Z fw kernel: fwlog IN=a OUT=b SRC=1.2.3.4 "
	                               "DST=5.6.7.8 PROTO=47"),
	                 MM_DEC_OK);
	assert_no_field(&t, MM_F_EVENT_ACTION);
	assert_field(&t, MM_F_NETWORK_TRANSPORT, "gre");
	/* failures */
	assert_int_equal(dt_decode(&t, "[ 1.0] IN=a OUT= SRC=1.2.3.4 DST=5.6.7.8"), MM_DEC_BAD_TIMESTAMP);
	assert_int_equal(dt_decode(&t, "2026-11-03T10:00:01Z fw kernel: IN=a OUT= SRC=x DST=5.6.7.8"),
	                 MM_DEC_BAD_FIELD);
	assert_int_equal(dt_decode(&t, "2026-11-03T10:00:01Z fw kernel: IN=a OUT= DST=5.6.7.8"),
	                 MM_DEC_BAD_FORMAT);
	assert_int_equal(dt_decode(&t, "2026-11-03T10:00:01Z fw kernel: hello"), MM_DEC_BAD_FORMAT);
	assert_int_equal(dt_decode(&t, ""), MM_DEC_SKIP);
	for (size_t n = 0; n <= sizeof(g_line) - 1; n++) {
		enum mm_dec_outcome o = dt_decode_n(&t, g_line, n);
		assert_true((unsigned)o < MM_DEC__COUNT);
	}
	dt_free(&t);
}

static void t_probe(void **state)
{
	const struct mm_decoder *d = mm_decoder_find("netfilter");
	assert_int_equal(d->probe(g_line, sizeof(g_line) - 1), 97);
	static const char sl[] = "Oct 10 07:25:12 gw sshd[1]: Accepted password for a from 1.2.3.4";
	assert_int_equal(d->probe(sl, sizeof(sl) - 1), 0);
	static const char kv[] = "user=WIN SRC=1 DST=2"; /* no IN= word */
	assert_int_equal(d->probe(kv, sizeof(kv) - 1), 0);
	struct mm_slice s[2] = {mm_slice(g_line, sizeof(g_line) - 1), mm_slice(sl, sizeof(sl) - 1)};
	assert_string_equal(mm_decoder_detect(s, 1)->name, "netfilter");
	(void)s;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_line), cmocka_unit_test(t_variants), cmocka_unit_test(t_probe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

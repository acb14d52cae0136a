/* mamori — unit tests for the decoder registry (src/decode/registry.c):
 * lookup by --format name, iteration, outcome names, and auto-detection by
 * summed probe scores over sample lines (ties by registry order). */
#include "dec_test.h"

static void t_find_and_iterate(void **state)
{
	const char *names[] = {"combined", "common", "exim",    "syslog", "zeek",
	                       "netfilter", "flowcsv", "jsonl", "kv"};
	assert_int_equal(mm_decoder_count(), MM_ARRAY_LEN(names));
	for (size_t i = 0; i < MM_ARRAY_LEN(names); i++) {
		const struct mm_decoder *d = mm_decoder_find(names[i]);
		assert_non_null(d);
		assert_ptr_equal(mm_decoder_at(i), d);
		assert_string_equal(d->name, names[i]);
		assert_non_null(d->description);
		assert_non_null(d->probe);
		assert_non_null(d->decode);
		assert_true((d->state_new == NULL) == (d->state_free == NULL));
	}
	assert_null(mm_decoder_at(mm_decoder_count()));
	assert_null(mm_decoder_find("nope"));
	assert_null(mm_decoder_find(NULL));
	assert_null(mm_decoder_find("Syslog")); /* exact names */
	/* both access-log names decode both shapes with one implementation */
	assert_ptr_equal(mm_decoder_find("common")->decode, mm_decoder_find("combined")->decode);
}

static void t_outcome_names(void **state)
{
	const char *want[] = {"ok", "skipped", "bad_format", "bad_timestamp", "bad_field",
	                      "bad_json", "limit"};
	assert_int_equal(MM_DEC__COUNT, MM_ARRAY_LEN(want));
	for (int i = 0; i < MM_DEC__COUNT; i++)
		assert_string_equal(mm_dec_outcome_name((enum mm_dec_outcome)i), want[i]);
	assert_string_equal(mm_dec_outcome_name(MM_DEC__COUNT), "unknown");
	assert_string_equal(mm_dec_outcome_name((enum mm_dec_outcome)-1), "unknown");
}

static const struct mm_decoder *detect(const char *const *lines, size_t n)
{
	struct mm_slice s[16];
	for (size_t i = 0; i < n; i++)
		s[i] = mm_slice_cstr(lines[i]);
	return mm_decoder_detect(s, n);
}

static void t_detect(void **state)
{
	const char *combined[] = {
		"83.149.9.216 - - [17/May/2015:10:05:03 +0000] \"GET /a.png HTTP/1.1\" 200 203023 "
		"\"http://semicomplete.com/\" \"Mozilla/5.0\"",
		"83.149.9.216 - - [17/May/2015:10:05:43 +0000] \"GET /b.png HTTP/1.1\" 200 171717 "
		"\"-\" \"Mozilla/5.0\"",
	};
	const char *common[] = {
		"127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326",
		"127.0.0.1 - - [10/Oct/2000:13:55:37 -0700] \"GET / HTTP/1.0\" 304 -",
	};
	const char *sys[] = {
		("Feb 21 21:54:44 localhost sshd[3402]: Accepted publickey for vagrant from 10.0.2.2 "
		 "port 63673 ssh2"),
		"<38>1 2019-07-08T17:40:16.954167-04:00 h sshd 57915 - - Failed unknown for x",
		"2023-01-05T10:00:00.123456+09:00 host tag[1]: msg",
	};
	const char *json[] = {
		"{\"ts\":1546981792.481978,\"uid\":\"Cu00My2F0RlLbdpIhj\",\"id.orig_h\":\"192.168.86.167\"}",
		"{\"@timestamp\":\"2024-01-01T00:00:00Z\",\"message\":\"x\"}",
	};
	assert_string_equal(detect(combined, 2)->name, "combined");
	assert_string_equal(detect(common, 2)->name, "common");
	assert_string_equal(detect(sys, 3)->name, "syslog");
	assert_string_equal(detect(json, 2)->name, "jsonl");
	/* a mostly-syslog sample with one stray JSON line is still syslog */
	const char *mixed[] = {sys[0], sys[1], json[0]};
	assert_string_equal(detect(mixed, 3)->name, "syslog");
	/* junk and nothing */
	const char *junk[] = {"\177ELF\x02\x01\x01", "\x00\x01\x02\x03", "PK\x03\x04 binary", "",
	                      "just words without any shape"};
	assert_null(detect(junk, MM_ARRAY_LEN(junk)));
	assert_null(mm_decoder_detect(NULL, 0));
	struct mm_slice nulls[2] = {MM_SLICE_NULL, MM_SLICE_NULL};
	assert_null(mm_decoder_detect(nulls, 2));
	/* random bytes never pick a decoder */
	unsigned char buf[256];
	uint32_t x = 12345;
	for (int round = 0; round < 200; round++) {
		for (size_t i = 0; i < sizeof(buf); i++) {
			x = x * 1103515245u + 12345u;
			buf[i] = (unsigned char)(x >> 16);
		}
		struct mm_slice s = mm_slice((const char *)buf, sizeof(buf));
		assert_null(mm_decoder_detect(&s, 1));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_find_and_iterate),
		cmocka_unit_test(t_outcome_names),
		cmocka_unit_test(t_detect),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* mamori — libFuzzer target for `mamori mail`'s message analysis
 * (src/mail/check.c, url.c, lookalike.c): the input is one RFC 5322 message
 * parsed by GMime with all its MIME parts and charsets, URLs, lookalike and
 * authentication checks; the verdict JSON must be valid UTF-8 JSON-escaped
 * text (no raw control bytes). Seed corpus: tests/fuzz/corpus/fuzz_mail_message/
 * (the .eml samples and MIME edge cases). */
#include "mamori/mail.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mm_mail_checker *c;
	if (!c) {
		static const char *const own[] = {"example.co.jp", "shop.example.jp"};
		static const char *const ioc[] = {"evil-cdn.test"};
		struct mm_mail_check_opts o = {.own_domains = own, .nown_domains = 2,
		                               .ioc_domains = ioc, .nioc_domains = 1,
		                               .max_urls = 64, .max_bytes = 1 << 20};
		c = mm_mail_checker_new(&o, NULL);
		if (!c)
			abort();
	}
	struct mm_buf out;
	mm_buf_init(&out, 0);
	struct mm_mail_verdict v;
	struct mm_error err;
	if (mm_mail_check(c, "fuzz.eml", (const char *)data, size, &out, &v, &err) == MM_OK) {
		for (size_t i = 0; i < out.n; i++)
			if ((unsigned char)out.p[i] < 0x20)
				abort(); /* JSON strings never carry raw control bytes */
		if (mm_utf8_seq_len((const unsigned char *)out.p, out.n) == 0 && out.n)
			abort();
		if (!v.verdict || v.score < 0)
			abort();
	}
	mm_buf_free(&out);
	/* skeleton and distance on the raw bytes */
	char sk[256];
	(void)mm_mail_skeleton((const char *)data, size < 200 ? size : 200, sk, sizeof(sk));
	(void)mm_mail_edit_distance((const char *)data, size < 100 ? size : 100, "example.co.jp", 13, 2);
	return 0;
}

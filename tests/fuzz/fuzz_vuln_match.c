/* mamori — libFuzzer target for advisory indexing and matching
 * (src/vuln/adv*.c → store → src/vuln/match.c): the input is one advisory
 * document, indexed into a fresh in-memory store and matched, with and
 * without --strict-platform, against fixed inventories (CSV appliances with
 * platforms, a CycloneDX SBOM with PyPI/Alpine/Maven purls, java -version,
 * a dpkg status); every finding is rendered as JSON. Exercises range
 * evaluation, grouping and the NVD platform requirements on hostile data.
 * Seed corpus: tests/fuzz/corpus/fuzz_vuln_match/. */
#include "mamori/vuln.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char g_csv[] = "host,product,version\n"
                            "h1,webmail,1.8\nh1,windows,10.0\nh2,webmail,1.2\n"
                            "h3,macos,13.1\nh3,webmail,1.0\nmx,m-FILTER,5.60R02\n";
static const char g_cdx[] =
	"{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"metadata\":{\"component\":"
	"{\"name\":\"img\"}},\"components\":["
	"{\"name\":\"requests\",\"purl\":\"pkg:pypi/requests@2.31.0rc1\"},"
	"{\"name\":\"libcrypto3\",\"purl\":\"pkg:apk/alpine/libcrypto3@3.1.4_rc1-r5\"},"
	"{\"name\":\"log4j-core\",\"purl\":\"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1\"},"
	"{\"name\":\"lodash\",\"purl\":\"pkg:npm/lodash@4.17.20\"},"
	"{\"name\":\"openssl\",\"version\":\"3.0.7\",\"cpe\":\"cpe:2.3:a:openssl:openssl:3.0.7\"}]}";
static const char g_java[] = "openjdk version \"17.0.5\" 2022-10-18\n"
                             "OpenJDK Runtime Environment Temurin-17.0.5+8 (build 17.0.5+8)\n";
static const char g_dpkg[] = "Package: nginx-full\nStatus: install ok installed\n"
                             "Source: nginx (1.2.1-2.2+wheezy2)\nVersion: 1.2.1-2.2+wheezy2\n";

static struct mm_inventory g_inv;
static char g_path[64];

static void setup(void)
{
	if (g_path[0])
		return;
	snprintf(g_path, sizeof(g_path), "/tmp/mm-fuzz-match-%ld.json", (long)getpid());
	mm_log_set_level(MM_LOG_ERROR); /* "not an advisory" warnings, once per input */
	mm_inventory_init(&g_inv);
	struct mm_error err;
	mm_error_clear(&err);
	mm_inventory_parse(&g_inv, g_csv, sizeof(g_csv) - 1, "a.csv", "csv", NULL, &err);
	mm_inventory_parse(&g_inv, g_cdx, sizeof(g_cdx) - 1, "b.json", "cyclonedx", NULL, &err);
	mm_inventory_parse(&g_inv, g_java, sizeof(g_java) - 1, "java.txt", "java", "h1", &err);
	mm_inventory_parse(&g_inv, g_dpkg, sizeof(g_dpkg) - 1, "status", "dpkg", "h2", &err);
	if (g_inv.n < 10)
		__builtin_trap();
}

struct out {
	struct mm_buf b;
	size_t n;
};

static int on_finding(void *ud, const struct mm_vuln_finding *f)
{
	struct out *o = ud;
	mm_buf_reset(&o->b);
	mm_vuln_finding_json(f, &o->b);
	if (!o->b.n || o->b.p[0] != '{' || o->b.p[o->b.n - 1] != '}')
		__builtin_trap();
	if (f->conditional && !f->platform[0])
		__builtin_trap(); /* a conditional finding names its platform */
	o->n++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	setup();
	FILE *f = fopen(g_path, "wb");
	if (!f)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	struct mm_store *s = NULL;
	struct mm_error err;
	mm_error_clear(&err);
	if (mm_store_open(&s, ":memory:", &err) == MM_OK) {
		struct mm_vuln_stats st = {0};
		const char *paths[] = {g_path};
		int64_t ids[4];
		size_t nids = 0;
		if (mm_vuln_index(s, paths, 1, ids, 4, &nids, &st, &err) == MM_OK) {
			struct out o = {.n = 0};
			mm_buf_init(&o.b, 0);
			struct mm_vuln_match_stats ms, ms2;
			mm_vuln_match(s, &g_inv, ids, nids, 0, on_finding, &o, &ms, &err);
			size_t loose = o.n;
			o.n = 0;
			mm_vuln_match(s, &g_inv, ids, nids, MM_VULN_STRICT_PLATFORM, on_finding, &o, &ms2,
			              &err);
			/* strict mode removes exactly the conditional findings */
			if (o.n > loose || ms2.conditional != 0 || loose - o.n != ms.conditional)
				__builtin_trap();
			mm_buf_free(&o.b);
		}
	}
	mm_store_close(s);
	unlink(g_path);
	return 0;
}

/* mamori — libFuzzer target for the egress module (src/net/): every line is
 * decoded by the kv decoder (so any field can carry any value: addresses,
 * ports, byte counts, durations, times, device names, login outcomes), then
 * enriched and observed as the engine does, and the end-of-input analyses
 * run. Checks that nothing crashes or reads out of bounds and that state
 * stays within its cap. Seed corpus: tests/fuzz/corpus/fuzz_net_flows/. */
#include "mamori/decode.h"
#include "mamori/net.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char g_cfg[] = "assets:\n"
                            "  admin_networks: [192.168.10.0/24]\n"
                            "  roles:\n"
                            "    network-device: {cidrs: [192.168.1.0/29]}\n"
                            "    server: {cidrs: [192.168.1.10/32], ports: [443]}\n"
                            "  hosts:\n"
                            "    rt01: {ip: 192.168.1.1, role: network-device}\n"
                            "egress:\n"
                            "  learn_days: 0.001\n"
                            "  resolvers: [203.0.113.53]\n"
                            "  beacon: {min_connections: 3}\n"
                            "  exfil: {min_hour_mb: 0.001, min_day_mb: 0.001, min_history_days: 1}\n"
                            "  silence: {hours: 1}\n"
                            "  state_mem_mb: 4\n";

static volatile uint64_t g_sink;

static void on_res(void *ud, const struct mm_corr_result *r, const struct mm_event *ev)
{
	(void)ud;
	g_sink += r->count + r->ngroup + ev->raw.n;
	for (size_t i = 0; i < r->nlists; i++)
		for (size_t k = 0; k < r->lists[i].n; k++)
			g_sink += r->lists[i].v[k].n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mm_config *cfg;
	struct mm_error err;
	if (!cfg && mm_config_load_buffer(&cfg, "fuzz.yaml", g_cfg, sizeof(g_cfg) - 1, &err))
		abort();
	struct mm_net *n = NULL;
	if (mm_net_new(&n, cfg, NULL, &err) || !n)
		abort();
	const struct mm_decoder *d = mm_decoder_find("kv");
	struct mm_decode_opts opts = {.ref_time = 0};
	struct mm_arena *arena = mm_arena_new(512, 64 * 1024);
	struct mm_decode_ctx ctx = {&opts, arena, NULL};
	size_t i = 0;
	uint64_t line_no = 0;
	while (i < size) {
		const uint8_t *nl = memchr(data + i, '\n', size - i);
		size_t e = nl ? (size_t)(nl - data) : size;
		size_t len = e - i;
		char *line = malloc(len ? len : 1);
		if (!line)
			abort();
		memcpy(line, data + i, len);
		struct mm_event ev;
		mm_event_clear(&ev);
		ev.raw = mm_slice(line, len);
		ev.msg = ev.raw;
		ev.src_path = "fuzz";
		ev.offset = i;
		ev.line_no = ++line_no;
		if (d->decode(&ctx, line, len, &ev) == MM_DEC_OK) {
			mm_net_enrich(n, &ev);
			mm_net_observe(n, &ev, on_res, NULL);
		}
		mm_arena_reset(arena);
		free(line);
		i = e + 1;
	}
	mm_net_flush(n, on_res, NULL);
	struct mm_net_stats st;
	mm_net_stats(n, &st);
	if (st.state_bytes_peak > ((size_t)4 << 20) + ((size_t)2 << 20))
		abort(); /* the cap (plus one chunk) holds */
	mm_net_free(n);
	mm_arena_free(arena);
	return 0;
}

/* mamori — libFuzzer target for the Postfix message decoder (src/decode/
 * postfix.c, mailq.c) through the syslog decoder: every input line gets a
 * syslog header for a Postfix program picked by the line (smtpd, qmgr, smtp,
 * cleanup, pickup, postscreen, anvil, bounce, dnsblog, tlsproxy, lmtp) and
 * an event time that jumps ahead so the idle timeout fires; after every line
 * and at the end the drain runs until empty, the way the engine does. Event
 * invariants as in fuzz_decode_common.h. Seed corpus:
 * tests/fuzz/corpus/fuzz_decode_postfix/. */
#include "fuzz_decode_common.h"

#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void drain_all(const struct mm_decoder *d, struct mm_decode_ctx *ctx, bool eof)
{
	for (int guard = 0; guard < 100000; guard++) {
		struct mm_event ev;
		mm_event_clear(&ev);
		mm_arena_reset(ctx->arena);
		enum mm_dec_outcome o = d->drain(ctx, &ev, eof);
		if (o == MM_DEC_SKIP)
			return;
		if (o != MM_DEC_OK)
			abort();
		fz_check(&ev, o, ev.raw.p, ev.raw.n);
	}
	abort(); /* the drain must run dry */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const progs[] = {"smtpd", "qmgr", "smtp", "cleanup", "pickup",
	                                    "postscreen", "anvil", "bounce", "dnsblog", "tlsproxy",
	                                    "lmtp", "submission/smtpd"};
	const struct mm_decoder *d = mm_decoder_find("syslog");
	if (!d || !d->drain)
		abort();
	struct mm_decode_opts opts = {.year = 2026};
	struct mm_arena *arena = mm_arena_new(512, 16 * 1024);
	struct mm_decode_ctx ctx = {&opts, arena, d->state_new()};
	size_t i = 0, k = 0;
	while (i < size) {
		const uint8_t *nl = memchr(data + i, '\n', size - i);
		size_t e = nl ? (size_t)(nl - data) : size;
		char head[96];
		/* minutes jump by 37 per line: hours pass within a few lines */
		unsigned mins = (unsigned)(k * 37 % (24 * 60));
		int hl = snprintf(head, sizeof(head), "Nov 26 %02u:%02u:00 mx1 postfix/%s[%u]: ",
		                  mins / 60, mins % 60, progs[(e - i + k) % MM_ARRAY_LEN(progs)],
		                  (unsigned)k);
		size_t n = (size_t)hl + (e - i);
		char *line = malloc(n ? n : 1);
		if (!line)
			abort();
		memcpy(line, head, (size_t)hl);
		memcpy(line + hl, data + i, e - i);
		struct mm_event ev;
		mm_event_clear(&ev);
		ev.raw = mm_slice(line, n);
		ev.msg = ev.raw;
		ev.line_no = ++k;
		mm_arena_reset(arena);
		enum mm_dec_outcome o = d->decode(&ctx, line, n, &ev);
		fz_check(&ev, o, line, n);
		free(line); /* assembled state must hold its own copies */
		drain_all(d, &ctx, false);
		i = e + 1;
	}
	drain_all(d, &ctx, true);
	d->state_free(ctx.state);
	mm_arena_free(arena);
	/* the input as plain syslog lines too (whatever headers it carries) */
	return fz_run("syslog", data, size);
}

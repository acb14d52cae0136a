/* mamori — fuzz target: Windows event logs through the same path as every
 * other input: the input reader (src/input: .evtx by its "ElfFile" magic via
 * libevtx and the record renderer; pretty-printed JSON framed by structure)
 * and then the jsonl decoder with its Windows flattening, as `scan` does.
 * Checks: peeked and framed lines within the cap, non-decreasing line numbers,
 * event invariants (fuzz_decode_common.h). Input arrives through a memfd, as
 * a file would (libevtx opens it by path). Seeds: tests/fuzz/corpus/fuzz_evtx/
 * (a header-only .evtx written for mamori, EVTX-JSON and Winlogbeat records). */
#define _GNU_SOURCE
#include "fuzz_decode_common.h"

#include "mamori/input.h"

#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* libevtx 20181227 (Debian) leaks its XML tag tree when a record's BinXML is
 * malformed (libfwevt's error paths; found by this target). The leak is the
 * library's, a few hundred bytes per bad record, not mamori's: suppressed
 * for LeakSanitizer in this target only (libevtx frames alone). */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libevtx.so\n";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz_evtx", 0);
	if (fd < 0)
		return 0;
	if (size && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	const struct mm_decoder *d = mm_decoder_find("jsonl");
	struct mm_input *in = NULL;
	struct mm_error err;
	struct mm_input_opts o = {.max_line = 4096, .chunk = 1024};
	if (!d)
		abort();
	if (mm_input_open(&in, path, &o, &err) == MM_OK) {
		struct mm_slice peek[4];
		size_t np = mm_input_peek(in, peek, 4);
		for (size_t i = 0; i < np; i++)
			if (peek[i].n > 4096)
				abort();
		struct mm_decode_opts opts = {.ref_time = 0};
		struct mm_arena *arena = mm_arena_new(512, 64 * 1024);
		struct mm_decode_ctx ctx = {&opts, arena, NULL};
		struct mm_line l;
		uint64_t last = 0;
		while (mm_input_next(in, &l, &err) == 1) {
			/* several JSON objects may start on one line ("[{…},{…}]") */
			if (l.n > 4096 || l.line_no < last || l.line_no == 0)
				abort();
			last = l.line_no;
			/* an exact-size copy: ASan sees any read past the line */
			char *line = malloc(l.n ? l.n : 1);
			if (!line)
				abort();
			memcpy(line, l.p, l.n);
			struct mm_event ev;
			mm_event_clear(&ev);
			ev.raw = mm_slice(line, l.n);
			ev.msg = ev.raw;
			enum mm_dec_outcome oc = d->decode(&ctx, line, l.n, &ev);
			fz_check(&ev, oc, line, l.n);
			mm_arena_reset(arena);
			free(line);
		}
		mm_arena_free(arena);
		mm_input_close(in);
	}
	close(fd);
	return 0;
}

/* mamori — fuzz target: the input reader and line framer (plain and gzip,
 * the gzip path is reached when the input starts with 1f 8b), with a small
 * line cap so over-long-line handling is exercised. Every framed line is also
 * run through the JSON escaper, whose output must contain no raw control
 * bytes. Input arrives through a memfd, as a file would. */
#define _GNU_SOURCE
#include "mamori/input.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz", 0);
	if (fd < 0)
		return 0;
	if (size && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	struct mm_input *in = NULL;
	struct mm_error err;
	struct mm_input_opts o = {.max_line = 300, .chunk = 512};
	if (mm_input_open(&in, path, &o, &err) == MM_OK) {
		struct mm_slice peek[8];
		size_t np = mm_input_peek(in, peek, 8);
		for (size_t i = 0; i < np; i++)
			if (peek[i].n > 300)
				abort();
		struct mm_line l;
		struct mm_buf b;
		mm_buf_init(&b, 0);
		uint64_t last = 0;
		bool first = true;
		while (mm_input_next(in, &l, &err) == 1) {
			if (l.n > 300 || (!first && l.offset <= last))
				abort();
			first = false;
			last = l.offset;
			mm_buf_reset(&b);
			mm_json_escape(&b, l.p, l.n);
			for (size_t i = 0; i < b.n; i++)
				if ((unsigned char)b.p[i] < 0x20 || b.p[i] == 0x7f)
					abort();
		}
		mm_buf_free(&b);
		mm_input_close(in);
	}
	close(fd);
	return 0;
}

/* mamori — inputs and the line framer. Reads plain files, gzip streams
 * (detected by the RFC 1952 magic bytes, not the name; concatenated members
 * are read through) and stdin in large chunks, and frames LF-terminated lines
 * with their offsets. A line longer than max_line is cut at the cap, flagged
 * and the rest of it skipped, so one hostile 10 MB line costs no memory. */
#include "mamori/input.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

struct mm_input {
	char *path;
	int fd;
	bool own_fd;
	bool gz;
	bool eof;     /* no more bytes from the source */
	bool started; /* mm_input_next() called */
	z_stream zs;
	bool zs_init;
	unsigned char *zbuf; /* compressed read buffer */
	size_t zbuf_cap;
	char *buf; /* decompressed data: [start, end) unread */
	size_t cap, start, end;
	size_t max_line;
	uint64_t buf_offset; /* stream offset of buf[0] */
	uint64_t line_no;
	bool skipping; /* inside the discarded tail of an over-long line */
	int64_t mtime;
	uint64_t size;
	struct mm_input_stats st;
};

static int fill_raw(struct mm_input *in, unsigned char *dst, size_t cap, size_t *got,
                    struct mm_error *err)
{
	for (;;) {
		ssize_t r = read(in->fd, dst, cap);
		if (r >= 0) {
			*got = (size_t)r;
			in->st.bytes_raw += (uint64_t)r;
			return MM_OK;
		}
		if (errno == EINTR)
			continue;
		in->st.read_errors++;
		return mm_error_set(err, MM_EIO, in->path, 0, 0, "read failed: %s", strerror(errno));
	}
}

/* Append decompressed or raw bytes after in->end; returns bytes added. */
static int fill(struct mm_input *in, size_t *added, struct mm_error *err)
{
	*added = 0;
	if (in->eof)
		return MM_OK;
	/* make room: slide unread data to the front */
	if (in->start > 0) {
		memmove(in->buf, in->buf + in->start, in->end - in->start);
		in->buf_offset += in->start;
		in->end -= in->start;
		in->start = 0;
	}
	if (in->end == in->cap)
		return MM_OK; /* caller handles a full buffer */
	size_t room = in->cap - in->end;
	if (!in->gz) {
		size_t got = 0;
		int rc = fill_raw(in, (unsigned char *)in->buf + in->end, room, &got, err);
		if (rc)
			return rc;
		if (got == 0)
			in->eof = true;
		in->end += got;
		*added = got;
		return MM_OK;
	}
	in->zs.next_out = (unsigned char *)in->buf + in->end;
	in->zs.avail_out = (uInt)room;
	while (in->zs.avail_out == room) {
		if (in->zs.avail_in == 0) {
			size_t got = 0;
			int rc = fill_raw(in, in->zbuf, in->zbuf_cap, &got, err);
			if (rc)
				return rc;
			if (got == 0) {
				in->eof = true;
				if (in->zs_init && in->zs.total_in > 0) {
					/* stream ended inside a member */
					in->st.read_errors++;
					return mm_error_set(err, MM_EIO, in->path, 0, 0,
					                    "gzip stream is truncated");
				}
				break;
			}
			in->zs.next_in = in->zbuf;
			in->zs.avail_in = (uInt)got;
		}
		int zr = inflate(&in->zs, Z_NO_FLUSH);
		if (zr == Z_STREAM_END) {
			/* another member may follow (concatenated .gz, RFC 1952 §2.2) */
			inflateReset(&in->zs);
			in->zs.total_in = 0;
			if (in->zs.avail_in == 0) {
				size_t got = 0;
				int rc = fill_raw(in, in->zbuf, in->zbuf_cap, &got, err);
				if (rc)
					return rc;
				if (got == 0) {
					in->eof = true;
					break;
				}
				in->zs.next_in = in->zbuf;
				in->zs.avail_in = (uInt)got;
			}
		} else if (zr != Z_OK && zr != Z_BUF_ERROR) {
			in->st.read_errors++;
			in->eof = true;
			size_t produced = room - in->zs.avail_out;
			in->end += produced;
			*added = produced;
			return mm_error_set(err, MM_EIO, in->path, 0, 0, "gzip data error: %s",
			                    in->zs.msg ? in->zs.msg : "corrupt stream");
		}
	}
	size_t produced = room - in->zs.avail_out;
	in->end += produced;
	*added = produced;
	return MM_OK;
}

int mm_input_open(struct mm_input **out, const char *path, const struct mm_input_opts *opts,
                  struct mm_error *err)
{
	struct mm_input *in = mm_calloc(1, sizeof(*in));
	in->path = mm_strdup(path);
	in->max_line = (opts && opts->max_line) ? opts->max_line : 64 * 1024;
	size_t chunk = (opts && opts->chunk) ? opts->chunk : 1024 * 1024;
	in->cap = chunk > in->max_line * 2 ? chunk : in->max_line * 2;
	in->buf = mm_malloc(in->cap);
	if (!strcmp(path, "-")) {
		in->fd = STDIN_FILENO;
	} else {
		in->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (in->fd < 0) {
			int e = errno;
			int code = e == ENOENT ? MM_ENOENT : MM_EIO;
			mm_error_set(err, code, path, 0, 0, "cannot open: %s", strerror(e));
			free(in->buf);
			free(in->path);
			free(in);
			return code;
		}
		in->own_fd = true;
		struct stat st;
		if (fstat(in->fd, &st) == 0) {
			if (S_ISDIR(st.st_mode)) {
				close(in->fd);
				free(in->buf);
				free(in->path);
				free(in);
				return mm_error_set(err, MM_EINVAL, path, 0, 0, "is a directory");
			}
			in->mtime = (int64_t)st.st_mtim.tv_sec * MM_NS_PER_SEC + st.st_mtim.tv_nsec;
			in->size = S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
		}
	}
	/* sniff the gzip magic from the first raw bytes */
	size_t got = 0;
	int rc = fill_raw(in, (unsigned char *)in->buf, chunk, &got, err);
	if (rc) {
		mm_input_close(in);
		return rc;
	}
	if (got >= 2 && (unsigned char)in->buf[0] == 0x1f && (unsigned char)in->buf[1] == 0x8b) {
		in->gz = true;
		in->zbuf_cap = chunk;
		in->zbuf = mm_malloc(in->zbuf_cap);
		memcpy(in->zbuf, in->buf, got);
		memset(&in->zs, 0, sizeof(in->zs));
		if (inflateInit2(&in->zs, 15 + 16) != Z_OK) {
			mm_input_close(in);
			return mm_error_set(err, MM_EIO, path, 0, 0, "zlib initialisation failed");
		}
		in->zs_init = true;
		in->zs.next_in = in->zbuf;
		in->zs.avail_in = (uInt)got;
		in->end = 0;
	} else {
		in->end = got;
		if (got == 0)
			in->eof = true;
	}
	*out = in;
	return MM_OK;
}

void mm_input_close(struct mm_input *in)
{
	if (!in)
		return;
	if (in->own_fd)
		close(in->fd);
	if (in->zs_init)
		inflateEnd(&in->zs);
	free(in->zbuf);
	free(in->buf);
	free(in->path);
	free(in);
}

static void emit(struct mm_input *in, struct mm_line *line, size_t off, size_t len, bool trunc)
{
	line->p = in->buf + off;
	line->n = len;
	if (len && line->p[len - 1] == '\r')
		line->n--;
	line->offset = in->buf_offset + off;
	line->line_no = ++in->line_no;
	line->truncated = trunc;
	in->st.lines++;
	if (trunc)
		in->st.truncated_lines++;
}

int mm_input_next(struct mm_input *in, struct mm_line *line, struct mm_error *err)
{
	in->started = true;
	for (;;) {
		size_t avail = in->end - in->start;
		char *s = in->buf + in->start;
		if (in->skipping) {
			char *nl = memchr(s, '\n', avail);
			if (nl) {
				size_t k = (size_t)(nl - s) + 1;
				in->start += k;
				in->st.bytes += k;
				in->skipping = false;
				continue;
			}
			in->st.bytes += avail;
			in->start = in->end;
			if (in->eof)
				return 0; /* input ended inside the cut line */
		} else {
			size_t look = avail < in->max_line + 1 ? avail : in->max_line + 1;
			char *nl = memchr(s, '\n', look);
			if (nl) {
				size_t len = (size_t)(nl - s);
				size_t off = in->start;
				in->start += len + 1;
				in->st.bytes += len + 1;
				emit(in, line, off, len, false);
				return 1;
			}
			if (avail > in->max_line) {
				/* over-long line: cut, then skip to the next LF */
				size_t off = in->start;
				in->start += in->max_line;
				in->st.bytes += in->max_line;
				in->skipping = true;
				emit(in, line, off, in->max_line, true);
				return 1;
			}
			if (in->eof) {
				if (avail == 0)
					return 0;
				size_t off = in->start;
				in->start = in->end;
				in->st.bytes += avail;
				emit(in, line, off, avail, false); /* last line without LF */
				return 1;
			}
		}
		size_t added;
		int rc = fill(in, &added, err);
		if (rc) {
			/* deliver what is buffered before reporting: let the caller
			 * see the error; buffered lines are lost only past the error */
			return rc;
		}
		if (added == 0 && !in->eof && in->end == in->cap && !in->skipping) {
			/* cannot happen: cap >= 2*max_line guarantees progress */
			return mm_error_set(err, MM_EIO, in->path, 0, 0, "framer made no progress");
		}
	}
}

size_t mm_input_peek(struct mm_input *in, struct mm_slice *lines, size_t max)
{
	struct mm_error err;
	if (in->started)
		return 0;
	/* make sure some decompressed data is there for gzip inputs */
	while (in->end - in->start < 64 * 1024 && !in->eof) {
		size_t added;
		if (fill(in, &added, &err) || (added == 0 && in->end == in->cap))
			break;
	}
	size_t n = 0, i = in->start;
	while (n < max && i < in->end) {
		char *nl = memchr(in->buf + i, '\n', in->end - i);
		size_t len = nl ? (size_t)(nl - (in->buf + i)) : in->end - i;
		if (!nl && !in->eof)
			break; /* partial line */
		size_t l = len;
		if (l && in->buf[i + l - 1] == '\r')
			l--;
		if (l > in->max_line)
			l = in->max_line;
		if (l > 0)
			lines[n++] = mm_slice(in->buf + i, l);
		i += len + (nl ? 1 : 0);
	}
	return n;
}

const char *mm_input_path(const struct mm_input *in)
{
	return in->path;
}

bool mm_input_is_gzip(const struct mm_input *in)
{
	return in->gz;
}

int64_t mm_input_mtime(const struct mm_input *in)
{
	return in->mtime;
}

uint64_t mm_input_size(const struct mm_input *in)
{
	return in->size;
}

void mm_input_stats(const struct mm_input *in, struct mm_input_stats *out)
{
	*out = in->st;
}

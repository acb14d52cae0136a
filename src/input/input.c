/* mamori — inputs and the line framer. Reads plain files, gzip streams
 * (detected by the RFC 1952 magic bytes, not the name; concatenated members
 * are read through) and stdin in large chunks, and frames LF-terminated lines
 * with their offsets. A line longer than max_line is cut at the cap, flagged
 * and the rest of it skipped, so one hostile 10 MB line costs no memory.
 * Two inputs are not line-based: pretty-printed JSON (a stream or array of
 * objects spread over lines, as evtx_dump and jq write them) is framed one
 * object per "line", compacted; Windows .evtx files (magic "ElfFile\0") are
 * read record by record through libevtx and each record is rendered as one
 * JSON line (evtx_render.c). Decoders see the same kind of line either way. */
#include "mamori/input.h"

#include "input_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
/* Debian's libevtx-dev declares its libbfio entry points (features.h sets
 * LIBEVTX_HAVE_BFIO) but libbfio-dev is another package; mamori uses only
 * the path-based API, so the libbfio part of the header is left out. */
#include <libevtx/features.h>
#undef LIBEVTX_HAVE_BFIO
#include <libevtx.h>

enum frame_mode { MODE_UNDECIDED, MODE_LINES, MODE_JSON, MODE_EVTX };

/* JSON document framing state (RFC 8259 structure only: strings, escapes,
 * nesting; values are validated later by the jsonl decoder). */
struct jframe {
	int depth;      /* 0: between documents */
	bool in_str, esc;
	bool garbage;   /* collecting a non-JSON run up to the next LF */
	bool trunc;     /* document longer than max_line: cut */
	uint64_t line;  /* 1-based line of the next byte */
	uint64_t doc_off, doc_line;
};

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
	enum frame_mode mode;
	int deferred_rc; /* a read error met while peeking, reported at its place */
	struct mm_error deferred;
	struct jframe jf;
	char *doc;      /* compacted JSON document / rendered EVTX record */
	size_t doc_n, doc_cap;
	char *peekbuf;  /* mm_input_peek() copies for the JSON and EVTX modes */
	size_t peek_cap;
	libevtx_file_t *evtx;
	int evtx_nrec, evtx_next;
	char *xml; /* libevtx's XML rendering of the current record */
	size_t xml_cap;
	struct mm_buf rec;
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

/* libevtx reports errors as an object with a message; keep the first line. */
static int evtx_fail(struct mm_input *in, libevtx_error_t **e, struct mm_error *err,
                     const char *what)
{
	char msg[256] = "";
	if (e && *e) {
		libevtx_error_sprint(*e, msg, sizeof(msg));
		libevtx_error_free(e);
		char *nl = strchr(msg, '\n');
		if (nl)
			*nl = '\0';
	}
	in->st.read_errors++;
	return mm_error_set(err, MM_EIO, in->path, 0, 0, "%s: %s", what,
	                    msg[0] ? msg : "libevtx error");
}

/* A .evtx file (Windows XML Event Log, "ElfFile\0" file header): libevtx
 * reads it by path (it seeks between chunks), so stdin cannot be one. */
static int evtx_open(struct mm_input *in, struct mm_error *err)
{
	libevtx_error_t *e = NULL;
	if (!in->own_fd)
		return mm_error_set(err, MM_EINVAL, in->path, 0, 0,
		                    "a .evtx log must be given as a file, not on stdin");
	if (libevtx_file_initialize(&in->evtx, &e) != 1)
		return evtx_fail(in, &e, err, "cannot read .evtx");
	if (libevtx_file_open(in->evtx, in->path, LIBEVTX_OPEN_READ, &e) != 1) {
		libevtx_file_free(&in->evtx, NULL);
		return evtx_fail(in, &e, err, "cannot open .evtx");
	}
	int nrec = 0;
	if (libevtx_file_get_number_of_records(in->evtx, &nrec, &e) != 1)
		return evtx_fail(in, &e, err, "cannot read .evtx");
	in->evtx_nrec = nrec;
	in->mode = MODE_EVTX;
	in->eof = true;
	mm_buf_init(&in->rec, in->max_line);
	return MM_OK;
}

/* Render record idx into in->rec. 1: done; 0: this record is unreadable
 * (counted as a read error, skipped). */
static int evtx_record(struct mm_input *in, int idx, uint64_t *off)
{
	libevtx_record_t *r = NULL;
	libevtx_error_t *e = NULL;
	size_t xn = 0;
	int ok = 0;
	*off = 0;
	if (libevtx_file_get_record_by_index(in->evtx, idx, &r, &e) != 1)
		goto out;
	if (libevtx_record_get_utf8_xml_string_size(r, &xn, &e) != 1 || xn == 0 ||
	    xn > (16u << 20))
		goto out;
	if (in->xml_cap < xn) {
		in->xml = mm_realloc(in->xml, xn);
		in->xml_cap = xn;
	}
	if (libevtx_record_get_utf8_xml_string(r, (uint8_t *)in->xml, xn, &e) != 1)
		goto out;
	off64_t o = 0;
	/* evidence identity needs a distinct offset: libevtx 20181227 reports
	 * 0 for every record, so the record's position stands in for it */
	*off = (uint64_t)idx;
	if (libevtx_record_get_offset(r, &o, &e) == 1 && o > 0)
		*off = (uint64_t)o;
	mm_buf_reset(&in->rec);
	ok = mm__evtx_render(in->xml, strnlen(in->xml, xn), &in->rec) == MM_OK;
out:
	if (e)
		libevtx_error_free(&e);
	if (r)
		libevtx_record_free(&r, NULL);
	if (!ok)
		in->st.read_errors++;
	return ok;
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
	} else if (got >= 8 && memcmp(in->buf, "ElfFile", 8) == 0) {
		rc = evtx_open(in, err);
		if (rc) {
			mm_input_close(in);
			return rc;
		}
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
	if (in->evtx) {
		libevtx_file_close(in->evtx, NULL);
		libevtx_file_free(&in->evtx, NULL);
	}
	free(in->xml);
	mm_buf_free(&in->rec);
	free(in->doc);
	free(in->peekbuf);
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

/* ---- JSON documents and EVTX records as lines ---- */

/* Pretty-printed JSON (evtx_dump, jq, SigmaHQ regression data) is framed by
 * structure, not by LF: a stream starting with '[' (a JSON array of events)
 * or whose first line is a lone '{' is read object by object. JSON Lines
 * never looks like that, so line framing stays the default. */
static void decide_mode(struct mm_input *in)
{
	struct mm_error e;
	if (in->mode != MODE_UNDECIDED)
		return;
	while (in->end - in->start < 4096 && !in->eof) {
		size_t added;
		int rc = fill(in, &added, &e);
		if (rc && !in->deferred_rc) {
			in->deferred_rc = rc;
			in->deferred = e;
		}
		if (rc || (added == 0 && in->end == in->cap))
			break;
	}
	in->mode = MODE_LINES;
	const char *p = in->buf + in->start;
	size_t n = in->end - in->start, i = 0;
	if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		i = 3; /* UTF-8 BOM */
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
		i++;
	if (i >= n || (p[i] != '[' && p[i] != '{'))
		return;
	if (p[i] == '{') {
		size_t k = i + 1;
		while (k < n && (p[k] == ' ' || p[k] == '\t' || p[k] == '\r'))
			k++;
		if (k < n && p[k] != '\n')
			return; /* something after '{' on its line: JSON Lines */
		if (k >= n && !in->eof)
			return;
	}
	in->mode = MODE_JSON;
	in->jf.line = 1;
	in->doc_cap = in->max_line;
	in->doc = mm_malloc(in->doc_cap);
	/* count the lines skipped so far (blank lines before the first '[') */
	for (size_t k = 0; k < i; k++)
		if (p[k] == '\n')
			in->jf.line++;
	in->start += i;
	in->st.bytes += i;
}

/* One byte of a JSON stream; returns true when a document (or a run of
 * non-JSON bytes up to LF, which the decoder will reject) is complete.
 * Whitespace outside strings is dropped, so the document comes out on one
 * line; separators between documents (',', '[', ']') are skipped. */
static bool jf_step(struct jframe *f, unsigned char c, uint64_t off, char *out, size_t *on,
                    size_t cap)
{
#define PUT(ch)                                                                  \
	do {                                                                     \
		if (*on < cap)                                                   \
			out[(*on)++] = (char)(ch);                               \
		else                                                             \
			f->trunc = true;                                         \
	} while (0)
	if (f->garbage) {
		if (c == '\n') {
			f->line++;
			f->garbage = false;
			return true;
		}
		PUT(c);
		return false;
	}
	if (f->depth == 0) {
		if (c == '\n') {
			f->line++;
			return false;
		}
		if (c == ' ' || c == '\t' || c == '\r' || c == ',' || c == '[' || c == ']')
			return false;
		*on = 0;
		f->trunc = false;
		f->doc_off = off;
		f->doc_line = f->line;
		if (c != '{') {
			f->garbage = true;
			PUT(c);
			return false;
		}
		f->depth = 1;
		f->in_str = f->esc = false;
		PUT(c);
		return false;
	}
	if (c == '\n')
		f->line++;
	if (f->in_str) {
		PUT(c);
		if (f->esc)
			f->esc = false;
		else if (c == '\\')
			f->esc = true;
		else if (c == '"')
			f->in_str = false;
		return false;
	}
	switch (c) {
	case ' ':
	case '\t':
	case '\r':
	case '\n':
		return false;
	case '"':
		f->in_str = true;
		break;
	case '{':
	case '[':
		if (f->depth < 1000000)
			f->depth++;
		break;
	case '}':
	case ']':
		PUT(c);
		return --f->depth == 0;
	default:
		break;
	}
	PUT(c);
	return false;
#undef PUT
}

static void emit_doc(struct mm_input *in, struct mm_line *line, const char *p, size_t n,
                     uint64_t off, uint64_t line_no, bool trunc)
{
	while (n && (p[n - 1] == '\r'))
		n--;
	line->p = p;
	line->n = n;
	line->offset = off;
	line->line_no = line_no;
	in->line_no = line_no;
	line->truncated = trunc;
	in->st.lines++;
	if (trunc)
		in->st.truncated_lines++;
}

/* At the end of the buffered data: the read error met while peeking, once. */
static int deferred(struct mm_input *in, struct mm_error *err)
{
	int rc = in->deferred_rc;
	if (rc && err)
		*err = in->deferred;
	in->deferred_rc = 0;
	return rc;
}

static int next_json(struct mm_input *in, struct mm_line *line, struct mm_error *err)
{
	struct jframe *f = &in->jf;
	for (;;) {
		while (in->start < in->end) {
			unsigned char c = (unsigned char)in->buf[in->start];
			uint64_t off = in->buf_offset + in->start;
			in->start++;
			in->st.bytes++;
			if (jf_step(f, c, off, in->doc, &in->doc_n, in->doc_cap)) {
				emit_doc(in, line, in->doc, in->doc_n, f->doc_off, f->doc_line, f->trunc);
				return 1;
			}
		}
		if (in->eof) {
			if (f->depth > 0 || f->garbage) {
				/* unterminated: the decoder counts it as bad JSON */
				f->depth = 0;
				f->garbage = false;
				emit_doc(in, line, in->doc, in->doc_n, f->doc_off, f->doc_line, f->trunc);
				return 1;
			}
			return deferred(in, err);
		}
		size_t added;
		int rc = fill(in, &added, err);
		if (rc)
			return rc;
	}
}

static int next_evtx(struct mm_input *in, struct mm_line *line)
{
	while (in->evtx_next < in->evtx_nrec) {
		int idx = in->evtx_next++;
		uint64_t off;
		if (!evtx_record(in, idx, &off))
			continue;
		in->st.bytes += in->rec.n;
		emit_doc(in, line, in->rec.p, in->rec.n, off, (uint64_t)idx + 1,
		         in->rec.cap_hits > 0);
		in->rec.cap_hits = 0;
		return 1;
	}
	return 0;
}

/* Peek for the structured modes: render the first documents/records into
 * peekbuf without consuming anything. */
static size_t peek_structured(struct mm_input *in, struct mm_slice *lines, size_t max)
{
	if (!in->peekbuf) {
		in->peek_cap = in->max_line * 2;
		in->peekbuf = mm_malloc(in->peek_cap);
	}
	size_t used = 0, n = 0;
	if (in->mode == MODE_EVTX) {
		for (int i = 0; i < in->evtx_nrec && n < max; i++) {
			uint64_t off;
			uint64_t errs = in->st.read_errors;
			int ok = evtx_record(in, i, &off);
			in->st.read_errors = errs; /* counted when actually read */
			if (!ok || in->rec.n > in->peek_cap - used)
				continue;
			memcpy(in->peekbuf + used, in->rec.p, in->rec.n);
			lines[n++] = mm_slice(in->peekbuf + used, in->rec.n);
			used += in->rec.n;
		}
		return n;
	}
	struct jframe f = in->jf;
	size_t dn = 0;
	for (size_t i = in->start; i < in->end && n < max; i++) {
		char *o = in->peekbuf + used;
		size_t room = in->peek_cap - used;
		if (room > in->max_line)
			room = in->max_line;
		if (jf_step(&f, (unsigned char)in->buf[i], 0, o, &dn, room)) {
			if (!f.trunc && dn) {
				lines[n++] = mm_slice(o, dn);
				used += dn;
			}
			dn = 0;
		}
	}
	return n;
}

int mm_input_next(struct mm_input *in, struct mm_line *line, struct mm_error *err)
{
	in->started = true;
	decide_mode(in);
	if (in->mode == MODE_JSON)
		return next_json(in, line, err);
	if (in->mode == MODE_EVTX)
		return next_evtx(in, line);
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
				return deferred(in, err); /* input ended inside the cut line */
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
					return deferred(in, err);
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
		int rc = fill(in, &added, &err);
		if (rc && !in->deferred_rc) {
			in->deferred_rc = rc;
			in->deferred = err;
		}
		if (rc || (added == 0 && in->end == in->cap))
			break;
	}
	decide_mode(in);
	if (in->mode != MODE_LINES)
		return peek_structured(in, lines, max);
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

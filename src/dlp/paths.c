/* mamori — DLP over paths: files and directories (mm_walk: recursive,
 * sorted), gzip streams (RFC 1952, by magic) and ZIP archives (APPNOTE, by
 * magic, through libzip: each member is scanned as "archive!member"), with
 * binaries skipped by content unless asked. Pipeline position: paths →
 * bytes → the scanner (scan.c). */
#include "mamori/dlp.h"
#include "mamori/input.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>
#include <zlib.h>

#define CHUNK (1u << 20)

struct walk {
	struct mm_dlp *d;
	const struct mm_dlp_walk_opts *o;
	mm_dlp_result_fn cb;
	void *ud;
	uint64_t *unreadable;
	char *buf;
};

/* A reader: plain fd, gzip stream or zip member. */
typedef long (*read_fn)(void *h, char *buf, size_t n);

static long rd_fd(void *h, char *buf, size_t n)
{
	ssize_t r;
	do
		r = read(*(int *)h, buf, n);
	while (r < 0 && errno == EINTR);
	return (long)r;
}

static long rd_gz(void *h, char *buf, size_t n)
{
	int r = gzread((gzFile)h, buf, (unsigned)n);
	return r;
}

static long rd_zip(void *h, char *buf, size_t n)
{
	zip_int64_t r = zip_fread((zip_file_t *)h, buf, n);
	return (long)r;
}

/* Scan one stream; binaries (by the first chunk) are skipped unless asked. */
static int scan_stream(struct walk *w, const char *path, const char *name, read_fn rd, void *h,
                       uint64_t size)
{
	struct mm_dlp_result r;
	struct mm_dlp_file *f = NULL;
	uint64_t done = 0;
	long n;
	int rc = 0;
	bool first = true;
	memset(&r, 0, sizeof(r));
	if (w->o && w->o->progress)
		w->o->progress(w->ud, path, 0, size);
	while ((n = rd(h, w->buf, CHUNK)) > 0) {
		if (first) {
			size_t bom;
			first = false;
			if (!(w->o && w->o->include_binary) &&
			    mm_dlp_detect_encoding(w->buf, (size_t)n, &bom) == MM_DLP_ENC_BINARY) {
				mm_dlp_file_free(f);
				return w->cb(w->ud, path, &r, "binary");
			}
			f = mm_dlp_file_new(w->d, name);
		}
		done += (uint64_t)n;
		if ((rc = mm_dlp_file_feed(f, w->buf, (size_t)n))) {
			mm_dlp_file_free(f);
			(*w->unreadable)++;
			return w->cb(w->ud, path, &r, "scanner error");
		}
		if (w->o && w->o->progress)
			w->o->progress(w->ud, path, done, size);
	}
	if (n < 0) {
		mm_dlp_file_free(f);
		(*w->unreadable)++;
		return w->cb(w->ud, path, &r, "read error");
	}
	if (!f)
		f = mm_dlp_file_new(w->d, name);
	mm_dlp_file_finish(f, &r);
	mm_dlp_file_free(f);
	rc = w->cb(w->ud, path, &r, NULL);
	mm_dlp_result_clear(&r);
	return rc;
}

static int scan_zip(struct walk *w, const char *path, int fd)
{
	int zerr = 0, rc = 0;
	zip_t *z = zip_fdopen(fd, ZIP_RDONLY, &zerr);
	if (!z) {
		close(fd);
		(*w->unreadable)++;
		struct mm_dlp_result r;
		memset(&r, 0, sizeof(r));
		return w->cb(w->ud, path, &r, "unreadable zip archive");
	}
	zip_int64_t n = zip_get_num_entries(z, 0);
	uint64_t maxm = w->o && w->o->max_member ? w->o->max_member : (uint64_t)4 << 30;
	for (zip_int64_t i = 0; i < n && !rc; i++) {
		zip_stat_t st;
		if (zip_stat_index(z, (zip_uint64_t)i, 0, &st) || !(st.valid & ZIP_STAT_NAME))
			continue;
		size_t nl = strlen(st.name);
		if (nl && st.name[nl - 1] == '/')
			continue; /* a directory entry */
		size_t pl = strlen(path) + nl + 2;
		char *mp = mm_malloc(pl);
		snprintf(mp, pl, "%s!%s", path, st.name);
		struct mm_dlp_result r;
		memset(&r, 0, sizeof(r));
		if ((st.valid & ZIP_STAT_SIZE) && st.size > maxm) {
			rc = w->cb(w->ud, mp, &r, "archive member larger than the limit");
		} else {
			zip_file_t *zf = zip_fopen_index(z, (zip_uint64_t)i, 0);
			if (!zf) {
				(*w->unreadable)++;
				rc = w->cb(w->ud, mp, &r, "unreadable archive member (encrypted?)");
			} else {
				rc = scan_stream(w, mp, st.name, rd_zip, zf,
				                 (st.valid & ZIP_STAT_SIZE) ? st.size : 0);
				zip_fclose(zf);
			}
		}
		free(mp);
	}
	zip_discard(z);
	return rc;
}

static int one(void *ud, const char *path)
{
	struct walk *w = ud;
	struct mm_dlp_result r;
	memset(&r, 0, sizeof(r));
	/* "-": standard input (plain text; a pipe cannot be probed for gzip/zip) */
	int fd = strcmp(path, "-") ? open(path, O_RDONLY) : dup(0);
	if (fd < 0) {
		(*w->unreadable)++;
		return w->cb(w->ud, path, &r, "cannot open");
	}
	struct stat st;
	uint64_t size = fstat(fd, &st) == 0 ? (uint64_t)st.st_size : 0;
	unsigned char m[4] = {0};
	ssize_t k = pread(fd, m, sizeof(m), 0);
	if (k == 4 && m[0] == 'P' && m[1] == 'K' && m[2] == 3 && m[3] == 4)
		return scan_zip(w, path, fd); /* takes fd */
	int rc;
	if (k >= 2 && m[0] == 0x1f && m[1] == 0x8b) {
		gzFile g = gzdopen(fd, "rb");
		if (!g) {
			close(fd);
			(*w->unreadable)++;
			return w->cb(w->ud, path, &r, "cannot open gzip stream");
		}
		gzbuffer(g, 1 << 17);
		rc = scan_stream(w, path, path, rd_gz, g, 0);
		gzclose(g);
		return rc;
	}
	rc = scan_stream(w, path, path, rd_fd, &fd, size);
	close(fd);
	return rc;
}

int mm_dlp_scan_paths(struct mm_dlp *d, const char *const *paths, size_t n,
                      const struct mm_dlp_walk_opts *o, mm_dlp_result_fn cb, void *ud,
                      uint64_t *unreadable, struct mm_error *err)
{
	uint64_t dummy = 0;
	struct walk w = {d, o, cb, ud, unreadable ? unreadable : &dummy, mm_malloc(CHUNK)};
	int rc = mm_walk(paths, n, NULL, one, &w, err);
	free(w.buf);
	return rc;
}

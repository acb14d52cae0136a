/* mamori — core contract: status codes, user-facing errors, allocation, slices,
 * arenas, capped buffers, hashing, a string map, time and IP helpers.
 * Every other subsystem builds on this header; it depends on nothing but libc.
 * Ownership is stated per prototype: "borrows", "takes", or "returns owned". */
#ifndef MAMORI_CORE_H
#define MAMORI_CORE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- status codes ------------------------------------------------------ */
enum mm_status {
	MM_OK = 0,
	MM_ENOMEM = -1,
	MM_EINVAL = -2,
	MM_EIO = -3,
	MM_EPARSE = -4,
	MM_ELIMIT = -5,
	MM_ENOTSUP = -6,
	MM_ENOENT = -7,
	MM_EEXIST = -8,
	MM_EDB = -9,
};
/* Static string for a status code; never NULL. */
const char *mm_strerror(int code);

/* A failure a user must read (config, rules, store, files). msg says what to
 * do. path/line/col are optional (empty / 0). */
struct mm_error {
	int code;
	unsigned line, col;
	char path[512];
	char msg[1024];
};
void mm_error_clear(struct mm_error *e);
/* Fill e (may be NULL: then nothing happens) and return code. */
int mm_error_set(struct mm_error *e, int code, const char *path, unsigned line,
                 unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* "path:line:col: msg" into buf (always NUL-terminated). */
void mm_error_format(const struct mm_error *e, char *buf, size_t n);

/* ---- allocation: failure aborts through mm_oom() ----------------------- */
_Noreturn void mm_oom(void);
void *mm_malloc(size_t n);            /* returns owned */
void *mm_calloc(size_t n, size_t sz); /* returns owned */
void *mm_realloc(void *p, size_t n);  /* takes p, returns owned */
char *mm_strdup(const char *s);       /* returns owned */
char *mm_strndup(const char *s, size_t n); /* returns owned, NUL-terminated */

/* ---- slices: borrowed views (pointer + length), never NUL-terminated ---- */
struct mm_slice {
	const char *p;
	size_t n;
};
#define MM_SLICE_LIT(s) ((struct mm_slice){(s), sizeof(s) - 1})
#define MM_SLICE_NULL ((struct mm_slice){NULL, 0})
static inline struct mm_slice mm_slice(const char *p, size_t n)
{
	struct mm_slice s = {p, n};
	return s;
}
struct mm_slice mm_slice_cstr(const char *s); /* borrows s; NULL gives MM_SLICE_NULL */
static inline bool mm_slice_present(struct mm_slice s) { return s.p != NULL; }
bool mm_slice_eq(struct mm_slice a, struct mm_slice b);
bool mm_slice_eq_cstr(struct mm_slice a, const char *s);
bool mm_slice_ieq(struct mm_slice a, struct mm_slice b);   /* ASCII case-folded */
bool mm_slice_ieq_cstr(struct mm_slice a, const char *s);
/* Parse a whole slice as a signed decimal integer (optional sign, digits only,
 * optionally a fraction that is truncated when allow_frac). MM_OK or MM_EPARSE. */
int mm_slice_to_i64(struct mm_slice s, int64_t *out);
int mm_slice_to_double(struct mm_slice s, double *out);
/* Returns owned NUL-terminated copy. */
char *mm_slice_strdup(struct mm_slice s);

/* ---- arena: bump allocator with a hard cap ----------------------------- */
struct mm_arena;
/* chunk: allocation granule; cap: total bytes allowed (0 = unlimited).
 * Returns owned; never NULL (OOM aborts). */
struct mm_arena *mm_arena_new(size_t chunk, size_t cap);
void mm_arena_free(struct mm_arena *a); /* accepts NULL */
/* Returns memory owned by the arena, 16-byte aligned, or NULL when the cap
 * would be exceeded (counted in mm_arena_cap_hits()). */
void *mm_arena_alloc(struct mm_arena *a, size_t n);
/* Forget every allocation but keep the first chunk. */
void mm_arena_reset(struct mm_arena *a);
size_t mm_arena_used(const struct mm_arena *a);
uint64_t mm_arena_cap_hits(const struct mm_arena *a);
/* Copies s into the arena (NUL-terminated); returns a slice of the copy, or
 * MM_SLICE_NULL when the cap is hit. */
struct mm_slice mm_slice_dup(struct mm_arena *a, struct mm_slice s);
char *mm_arena_strndup(struct mm_arena *a, const char *s, size_t n);

/* ---- capped growable buffer (curl's dynbuf) ---------------------------- */
struct mm_buf {
	char *p;     /* owned; always NUL-terminated when non-NULL */
	size_t n;    /* bytes used, excluding the NUL */
	size_t cap;  /* bytes allocated */
	size_t max;  /* hard cap on n; 0 = unlimited */
	uint64_t cap_hits;
};
void mm_buf_init(struct mm_buf *b, size_t max);
void mm_buf_free(struct mm_buf *b); /* accepts a zeroed buf */
void mm_buf_reset(struct mm_buf *b);
/* MM_OK, or MM_ELIMIT (counted, nothing appended) when max would be passed. */
int mm_buf_append(struct mm_buf *b, const void *p, size_t n);
int mm_buf_putc(struct mm_buf *b, char c);
int mm_buf_puts(struct mm_buf *b, const char *s);
int mm_buf_printf(struct mm_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int mm_buf_vprintf(struct mm_buf *b, const char *fmt, va_list ap);

/* ---- hashing and a string-keyed map ------------------------------------ */
uint64_t mm_hash64(const void *p, size_t n, uint64_t seed);
uint64_t mm_hash64_ci(const void *p, size_t n, uint64_t seed); /* ASCII case-folded */

/* Open-addressing map from byte strings to void *. Keys are copied. */
struct mm_map;
struct mm_map *mm_map_new(bool case_insensitive); /* returns owned */
void mm_map_free(struct mm_map *m);               /* accepts NULL; values not freed */
/* Insert or replace. */
void mm_map_put(struct mm_map *m, const char *k, size_t kn, void *v);
/* Returns the value or NULL. */
void *mm_map_get(const struct mm_map *m, const char *k, size_t kn);
size_t mm_map_count(const struct mm_map *m);
/* Iterate: *it starts at 0; returns false at the end. */
bool mm_map_next(const struct mm_map *m, size_t *it, const char **k, size_t *kn, void **v);

/* ---- time: int64 nanoseconds since the Unix epoch, UTC ----------------- */
#define MM_TS_NONE INT64_MIN
#define MM_NS_PER_SEC INT64_C(1000000000)
/* Days since 1970-01-01 for a proleptic Gregorian date. */
int64_t mm_days_from_civil(int64_t y, unsigned m, unsigned d);
/* UTC civil time to ns; tzoff_sec is the zone's offset east of UTC.
 * Years outside 1678..2261 (the int64 ns range) give MM_TS_NONE. */
int64_t mm_time_from_civil(int y, int mon, int day, int h, int mi, int s, long ns,
                           int tzoff_sec);
/* Split ns into civil UTC parts. */
void mm_time_to_civil(int64_t ts, int *y, int *mon, int *day, int *h, int *mi, int *s,
                      long *ns);
/* RFC 3339 UTC with milliseconds: "2023-01-05T10:00:00.123Z" (buf >= 32). */
void mm_time_format(int64_t ts, char *buf, size_t n);
/* Month name "Jan".."Dec" (case-insensitive) to 1..12, 0 if not one. */
int mm_month_from_abbr(const char *p);

/* A time zone for logs that carry local time without an offset.
 * spec: "local", "UTC", "+09:00"/"-0500", or an IANA name ("Asia/Tokyo"). */
struct mm_tz;
int mm_tz_new(struct mm_tz **out, const char *spec, struct mm_error *err);
void mm_tz_free(struct mm_tz *tz); /* accepts NULL */
/* Offset east of UTC, in seconds, in force at the given local civil time. */
int mm_tz_offset(struct mm_tz *tz, int y, int mon, int day, int h, int mi, int s);
/* Local civil time to UTC ns using tz. */
int64_t mm_tz_to_utc(struct mm_tz *tz, int y, int mon, int day, int h, int mi, int s,
                     long ns);
/* Parse RFC 3339 / ISO 8601 ("2023-01-05T10:00:00[.fff][Z|+09:00]", also with a
 * space instead of T). Without an offset, tz is used (UTC if tz is NULL).
 * MM_OK or MM_EPARSE. */
int mm_time_parse_iso8601(struct mm_slice s, struct mm_tz *tz, int64_t *out);

/* ---- IP addresses and CIDR blocks -------------------------------------- */
struct mm_ip {
	uint8_t a[16]; /* IPv4 is stored as ::ffff:a.b.c.d */
	bool v4;
};
/* MM_OK or MM_EPARSE. Accepts dotted IPv4 and RFC 4291 IPv6 text. */
int mm_ip_parse(struct mm_slice s, struct mm_ip *out);
struct mm_cidr {
	struct mm_ip net;
	unsigned bits; /* prefix length in the 128-bit space */
};
/* "10.0.0.0/8", "2001:db8::/32", or a bare address (full length). */
int mm_cidr_parse(struct mm_slice s, struct mm_cidr *out);
bool mm_cidr_contains(const struct mm_cidr *c, const struct mm_ip *ip);

/* ---- JSON string escaping (shared by every writer) ---------------------- */
/* Appends s as the inside of a JSON string: escapes ", \, control chars, and
 * replaces invalid UTF-8 with U+FFFD, so the output is always valid JSON. */
int mm_json_escape(struct mm_buf *b, const char *s, size_t n);

/* Length (1..4) of the valid UTF-8 sequence at p (RFC 3629: no overlongs,
 * no surrogates, at most U+10FFFF), or 0 when the bytes there are not one. */
size_t mm_utf8_seq_len(const unsigned char *p, size_t n);
/* Is the valid UTF-8 sequence p[0..l) an invisible format character that can
 * change how the text around it is shown (bidi controls U+202A-202E and
 * U+2066-2069, zero-width U+200B-200F, U+2028/2029, U+FEFF)? Writers of
 * untrusted text show these as \uXXXX instead. Returns the code point, or 0. */
unsigned mm_utf8_invisible(const unsigned char *p, size_t l);
/* Write code point cp (≤ U+10FFFF, not a surrogate: the caller checks) as
 * UTF-8 into o (room for 4 bytes); returns the bytes written. */
size_t mm_utf8_put(char *o, unsigned cp);

/* ---- logging to stderr ------------------------------------------------- */
enum mm_log_level { MM_LOG_ERROR, MM_LOG_WARN, MM_LOG_INFO, MM_LOG_DEBUG };
void mm_log_set_level(enum mm_log_level lvl);
void mm_log(enum mm_log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- files compiled into the binary (cmake/embed.cmake) ---------------- */
struct mm_embedded_file {
	const char *path; /* relative to the embedded tree's root */
	const char *data; /* NUL-terminated */
	size_t len;
};

#define MM_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define MM_MIN(a, b) ((a) < (b) ? (a) : (b))
#define MM_MAX(a, b) ((a) > (b) ? (a) : (b))

#endif

/* mamori — DLP: find and count personal data (PII) in files, exports and
 * transfers (`mamori dlp`). Candidates (Hyperscan + a digit-run scanner) are
 * validated (check digits, Luhn, mod 97, numbering plan); records (CSV/TSV
 * rows, JSON Lines, SQL tuples, text lines) holding PII are counted exactly.
 * Pipeline: files → text → records → detect → findings (SQLite, report).
 * Values never leave unmasked, except via the in-process on_finding hook. */
#ifndef MAMORI_DLP_H
#define MAMORI_DLP_H

#include "mamori/core.h"

/* X(ENUM, id, JNSA loss-model field (docs/loss-model.md) or NULL) */
#define MM_DLP_TYPES(X)                                            \
	X(MY_NUMBER, "my_number", "passport")                        \
	X(CORPORATE_NUMBER, "corporate_number", NULL)                \
	X(CARD, "card_number", "card_number")                        \
	X(PHONE_JP, "phone_jp", "phone")                             \
	X(POSTAL_JP, "postal_code_jp", "address")                    \
	X(EMAIL, "email", "email")                                   \
	X(ADDRESS_JP, "address_jp", "address")                       \
	X(BIRTH_DATE, "birth_date", "birth_date")                    \
	X(NAME, "person_name", "name")                               \
	X(BANK_ACCOUNT, "bank_account_jp", "bank_account_pin")       \
	X(PASSPORT, "passport_jp", "passport")                       \
	X(DRIVER_LICENSE, "driver_license_jp", "passport")           \
	X(IBAN, "iban", "bank_account_pin")                          \
	X(US_SSN, "us_ssn", "passport")                              \
	X(PHONE_INTL, "phone_e164", "phone")

enum mm_dlp_type {
#define X(e, id, f) MM_DLP_##e,
	MM_DLP_TYPES(X)
#undef X
	MM_DLP__TYPES
};
#define MM_DLP_ALL_TYPES ((1u << MM_DLP__TYPES) - 1u)

const char *mm_dlp_type_id(enum mm_dlp_type t);      /* static; "?" when out of range */
const char *mm_dlp_type_loss_field(enum mm_dlp_type t); /* static or NULL */
/* MM_OK or MM_ENOENT. */
int mm_dlp_type_parse(const char *id, size_t n, enum mm_dlp_type *out);
/* "email,card_number" → bitmask. MM_OK, or MM_ENOENT with err naming the
 * unknown type. */
int mm_dlp_types_parse(const char *list, unsigned *mask, struct mm_error *err);

/* ---- validators (pure; exposed for the unit tests) ----------------------- */
/* d: ASCII digits only. */
bool mm_dlp_my_number_valid(const char *d, size_t n); /* 12 digits, 番号法 check digit */
bool mm_dlp_corporate_number_valid(const char *d, size_t n); /* 13 digits, leading check */
bool mm_dlp_luhn_valid(const char *d, size_t n);
/* Card brand from the IIN and length ("visa", "mastercard", "amex", "jcb",
 * "diners", "discover", "unionpay"), or NULL. */
const char *mm_dlp_card_brand(const char *d, size_t n);
/* IBAN (ISO 13616) without spaces: country length and mod 97 == 1. */
bool mm_dlp_iban_valid(const char *s, size_t n);
/* A Japanese phone number from its digits (national form, leading 0) and the
 * digit-group lengths as written (ngroups = 1 when written without
 * separators): 0 not one; 1 fixed line; 2 mobile/PHS/M2M (070/080/090/020);
 * 3 IP phone (050); 4 toll-free/navi dial (0120/0800/0570). */
int mm_dlp_phone_jp_kind(const char *d, size_t n, const unsigned *groups, size_t ngroups);

/* ---- text: encodings and width normalisation ------------------------------ */
enum mm_dlp_encoding {
	MM_DLP_ENC_UTF8,
	MM_DLP_ENC_UTF16LE,
	MM_DLP_ENC_UTF16BE,
	MM_DLP_ENC_CP932, /* Shift_JIS with Microsoft's extensions */
	MM_DLP_ENC_EUCJP,
	MM_DLP_ENC_BINARY,
};
const char *mm_dlp_encoding_name(enum mm_dlp_encoding e); /* static */
/* Guess from the first bytes of a file: BOMs, NUL patterns (UTF-16 and
 * binary), valid UTF-8, else the better-scoring of CP932 and EUC-JP. *bom is
 * the BOM length to skip. */
enum mm_dlp_encoding mm_dlp_detect_encoding(const void *p, size_t n, size_t *bom);
/* Append p to out with NFKC-style width folding of what identifiers are
 * written with: full-width ASCII (U+FF01–U+FF5E, except the full-width
 * quote, apostrophe and comma, which would change CSV structure) to ASCII,
 * hyphen-like dashes (U+2010–U+2015, U+2212, U+FF70, and U+30FC after a
 * full-width digit and before a digit) to '-'. The ideographic space U+3000
 * stays (name detection treats it as a space). MM_OK or MM_ELIMIT. */
int mm_dlp_normalize(const char *p, size_t n, struct mm_buf *out);
/* Does p hold anything mm_dlp_normalize() would change? (cheap pre-check) */
bool mm_dlp_needs_normalize(const char *p, size_t n);

/* ---- masking --------------------------------------------------------------
 * Writes a masked rendering of value v of type t (NUL-terminated, at most n
 * bytes): digits kept only at the end (cards, numbers: last 4; phones: last
 * 3), e-mail to the local part's first character and the domain (its digits
 * masked), names to the first
 * character, addresses to prefecture + municipality, dates to the year. */
void mm_dlp_mask(enum mm_dlp_type t, const char *v, size_t vn, char *out, size_t n);

/* ---- the scanner ----------------------------------------------------------- */
enum mm_dlp_format {
	MM_DLP_FMT_TEXT,
	MM_DLP_FMT_CSV,
	MM_DLP_FMT_TSV,
	MM_DLP_FMT_JSONL,
	MM_DLP_FMT_SQL,
	MM_DLP_FMT_JSON, /* a JSON document: each object in an array is a record */
};
const char *mm_dlp_format_name(enum mm_dlp_format f); /* static */

/* One validated finding, for in-process callers (the evaluation test). v is
 * the normalised value, borrowed for the duration of the call: never print
 * it or store it. */
struct mm_dlp_finding {
	enum mm_dlp_type type;
	int confidence; /* 0..100 after context and column adjustments */
	uint64_t record; /* 1-based data record (CSV row after the header, tuple, line) */
	int column;      /* 0-based column, -1 for free text */
	const char *v;
	size_t vn;
};
typedef void (*mm_dlp_finding_fn)(void *ud, const struct mm_dlp_finding *f);

struct mm_dlp_opts {
	unsigned types;       /* bitmask of 1u << type; 0 = all */
	int min_confidence;   /* findings below are not counted (0..100) */
	size_t max_record;    /* longest record kept whole (0 = 1 MiB); longer is cut, counted */
	size_t calib_records; /* records used to learn per-column validity (0 = 2000) */
	int force_format;     /* -1 = detect; else enum mm_dlp_format */
	mm_dlp_finding_fn on_finding; /* may be NULL; called for counted findings */
	void *ud;
};
/* Fill o with the defaults: all types, min_confidence 50, detect format. */
void mm_dlp_opts_default(struct mm_dlp_opts *o);

#define MM_DLP_SAMPLE_MAX 96
#define MM_DLP_MAX_COLUMNS 256
#define MM_DLP_COLNAME_MAX 64

struct mm_dlp_type_stat {
	uint64_t matches;  /* counted findings */
	uint64_t records;  /* records holding at least one */
	uint64_t distinct; /* distinct values: exact up to 16,384, then a HyperLogLog
	                      estimate (about 1 % error) */
	int confidence;    /* highest confidence seen */
	char sample[MM_DLP_SAMPLE_MAX]; /* masked; "" when none */
	uint64_t sample_record;         /* record (or line) of the sample */
	char sample_column[MM_DLP_COLNAME_MAX]; /* column name or "" */
};

struct mm_dlp_column {
	char name[MM_DLP_COLNAME_MAX]; /* header cell / JSON key / SQL column; "" = unnamed */
	uint64_t count[MM_DLP__TYPES]; /* counted findings per type */
};

/* The result for one file (or archive member). Owned arrays: free with
 * mm_dlp_result_clear(). */
struct mm_dlp_result {
	enum mm_dlp_format format;
	enum mm_dlp_encoding encoding;
	uint64_t bytes;       /* input bytes (before conversion) */
	uint64_t records;     /* data records seen (rows, tuples, lines) */
	uint64_t records_pii; /* records holding at least one counted finding */
	uint64_t matches;     /* counted findings, all types */
	unsigned types;       /* bitmask of types counted */
	int confidence;       /* highest confidence counted */
	struct mm_dlp_type_stat t[MM_DLP__TYPES];
	struct mm_dlp_column *cols; /* columns holding findings, in column order */
	size_t ncols;
	uint64_t candidates;  /* shapes the matcher reported */
	uint64_t rejected;    /* candidates that failed validation or confidence */
	uint64_t cap_hits;    /* records cut, distinct sets full, columns beyond the cap */
	uint64_t decode_errors; /* bytes that did not convert from the detected encoding */
};
void mm_dlp_result_clear(struct mm_dlp_result *r); /* accepts a zeroed result */

struct mm_dlp;
/* Compile the matcher. Returns MM_OK or MM_EPARSE (err filled). o is copied. */
int mm_dlp_new(struct mm_dlp **out, const struct mm_dlp_opts *o, struct mm_error *err);
void mm_dlp_free(struct mm_dlp *d); /* accepts NULL */

/* Streaming scan of one file. name (borrowed during the call) picks the
 * format by extension (.csv .tsv .jsonl/.ndjson .json .sql), else by content. One
 * file object per thread; the scanner may be shared. */
struct mm_dlp_file;
struct mm_dlp_file *mm_dlp_file_new(struct mm_dlp *d, const char *name); /* returns owned */
void mm_dlp_file_free(struct mm_dlp_file *f);                          /* accepts NULL */
/* Feed the next bytes (any split). MM_OK or MM_EIO (Hyperscan failure). */
int mm_dlp_file_feed(struct mm_dlp_file *f, const void *p, size_t n);
/* Finish and fill *out (owned by the caller; clear it). */
int mm_dlp_file_finish(struct mm_dlp_file *f, struct mm_dlp_result *out);

/* Whole buffer in one call. */
int mm_dlp_scan_buffer(struct mm_dlp *d, const char *name, const void *p, size_t n,
                       struct mm_dlp_result *out);

/* ---- paths: files, directories, .gz and .zip members ---------------------- */
struct mm_dlp_walk_opts {
	bool include_binary;  /* scan files that look binary (default: skip) */
	uint64_t max_member;  /* largest archive member read (0 = 4 GiB) */
	/* called before each file (or member) with its size (0 = unknown), and
	 * during it with the bytes read so far; may be NULL */
	void (*progress)(void *ud, const char *path, uint64_t done, uint64_t size);
};
/* Result for one scanned file or member. path is "a/b.csv", "x.zip!dir/m.csv"
 * or "y.csv.gz". skipped != NULL (static reason) when the file was not
 * scanned (binary, unreadable); then r is zeroed. A non-zero return stops. */
typedef int (*mm_dlp_result_fn)(void *ud, const char *path, const struct mm_dlp_result *r,
                                const char *skipped);
/* Scan paths (files or directories, recursively in sorted order). Unreadable
 * files are reported through cb (skipped) and counted in *unreadable.
 * MM_OK, or the callback's non-zero value, or MM_EIO. */
int mm_dlp_scan_paths(struct mm_dlp *d, const char *const *paths, size_t n,
                      const struct mm_dlp_walk_opts *o, mm_dlp_result_fn cb, void *ud,
                      uint64_t *unreadable, struct mm_error *err);

/* ---- store (`--db`): the dlp_findings table ------------------------------- */
struct mm_store;
/* Write one file's result into the store: a dlp_files row (host, path,
 * format, encoding, records, records with PII, types, loss-model fields) and
 * one dlp_findings row per type found (matches, records, distinct, masked
 * sample, confidence, columns), keyed by path (and type) so a re-scan
 * replaces the earlier rows; a file without PII removes them. Incidents
 * (src/incident/dlp_incident.c) group the files by host, with the records as
 * the number of people affected. run_ts: the run's start (ns). */
int mm_dlp_store_result(struct mm_store *s, const char *host, const char *path,
                        const struct mm_dlp_result *r, int64_t run_ts, struct mm_error *err);

#endif

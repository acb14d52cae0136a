/* mamori — DLP results into the SQLite store (schema 5: dlp_files,
 * dlp_findings). Only counts, masked samples and column names are written:
 * a value is never stored. Keyed by path (and type), so a re-scan replaces
 * the earlier rows. Pipeline position: result → store → incidents/report. */
#include "mamori/dlp.h"
#include "mamori/store.h"

#include <sqlite3.h>
#include <string.h>

static int fail(struct mm_store *s, struct mm_error *err, const char *what)
{
	return mm_error_set(err, MM_EDB, mm_store_path(s), 0, 0, "%s: %s", what,
	                    sqlite3_errmsg(mm_store_sqlite(s)));
}

static void json_types(struct mm_buf *b, const struct mm_dlp_result *r, bool loss)
{
	mm_buf_putc(b, '[');
	bool first = true;
	const char *seen[MM_DLP__TYPES];
	size_t ns = 0;
	for (size_t t = 0; t < MM_DLP__TYPES; t++) {
		if (!(r->types & (1u << t)))
			continue;
		const char *v = loss ? mm_dlp_type_loss_field((enum mm_dlp_type)t)
		                     : mm_dlp_type_id((enum mm_dlp_type)t);
		if (!v)
			continue;
		bool dup = false;
		for (size_t i = 0; i < ns; i++)
			dup = dup || seen[i] == v;
		if (dup)
			continue;
		seen[ns++] = v;
		mm_buf_printf(b, "%s\"%s\"", first ? "" : ",", v);
		first = false;
	}
	mm_buf_putc(b, ']');
}

int mm_dlp_store_result(struct mm_store *s, const char *host, const char *path,
                        const struct mm_dlp_result *r, int64_t run_ts, struct mm_error *err)
{
	sqlite3 *db = mm_store_sqlite(s);
	sqlite3_stmt *st = NULL;
	struct mm_buf b, c;
	int rc = MM_OK;
	mm_buf_init(&b, 1 << 16);
	mm_buf_init(&c, 1 << 16);
	if (sqlite3_prepare_v2(db, "DELETE FROM dlp_findings WHERE path = ?", -1, &st, NULL) !=
	    SQLITE_OK) {
		rc = fail(s, err, "cannot clear earlier DLP findings");
		goto out;
	}
	sqlite3_bind_text(st, 1, path, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_DONE) {
		rc = fail(s, err, "cannot clear earlier DLP findings");
		goto out;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (!r->records_pii && !r->matches) {
		/* nothing (any more): the file's row goes too */
		if (sqlite3_prepare_v2(db, "DELETE FROM dlp_files WHERE path = ?", -1, &st, NULL) !=
		    SQLITE_OK) {
			rc = fail(s, err, "cannot clear an earlier DLP file row");
			goto out;
		}
		sqlite3_bind_text(st, 1, path, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = fail(s, err, "cannot clear an earlier DLP file row");
		goto out;
	}
	json_types(&b, r, false);
	json_types(&c, r, true);
	if (sqlite3_prepare_v2(db,
	                       "INSERT OR REPLACE INTO dlp_files (path, format, encoding, bytes,"
	                       " records, records_pii, types, fields, confidence, run, host)"
	                       " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
	                       -1, &st, NULL) != SQLITE_OK) {
		rc = fail(s, err, "cannot store DLP results");
		goto out;
	}
	sqlite3_bind_text(st, 1, path, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, mm_dlp_format_name(r->format), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, mm_dlp_encoding_name(r->encoding), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (int64_t)r->bytes);
	sqlite3_bind_int64(st, 5, (int64_t)r->records);
	sqlite3_bind_int64(st, 6, (int64_t)r->records_pii);
	sqlite3_bind_text(st, 7, b.p, (int)b.n, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 8, c.p, (int)c.n, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 9, r->confidence);
	sqlite3_bind_int64(st, 10, run_ts);
	sqlite3_bind_text(st, 11, host, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_DONE) {
		rc = fail(s, err, "cannot store DLP results");
		goto out;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (sqlite3_prepare_v2(db,
	                       "INSERT OR REPLACE INTO dlp_findings (path, type, matches, records,"
	                       " distinct_values, confidence, sample, sample_record, sample_column,"
	                       " columns, run) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
	                       -1, &st, NULL) != SQLITE_OK) {
		rc = fail(s, err, "cannot store DLP findings");
		goto out;
	}
	for (size_t t = 0; t < MM_DLP__TYPES; t++) {
		const struct mm_dlp_type_stat *ts = &r->t[t];
		if (!ts->matches)
			continue;
		mm_buf_reset(&b);
		mm_buf_putc(&b, '[');
		bool first = true;
		for (size_t k = 0; k < r->ncols; k++) {
			if (!r->cols[k].count[t])
				continue;
			if (!first)
				mm_buf_putc(&b, ',');
			mm_buf_putc(&b, '"');
			mm_json_escape(&b, r->cols[k].name, strlen(r->cols[k].name));
			mm_buf_putc(&b, '"');
			first = false;
		}
		mm_buf_putc(&b, ']');
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, path, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, mm_dlp_type_id((enum mm_dlp_type)t), -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, (int64_t)ts->matches);
		sqlite3_bind_int64(st, 4, (int64_t)ts->records);
		sqlite3_bind_int64(st, 5, (int64_t)ts->distinct);
		sqlite3_bind_int(st, 6, ts->confidence);
		sqlite3_bind_text(st, 7, ts->sample, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 8, (int64_t)ts->sample_record);
		sqlite3_bind_text(st, 9, ts->sample_column, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 10, b.p, (int)b.n, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 11, run_ts);
		if (sqlite3_step(st) != SQLITE_DONE) {
			rc = fail(s, err, "cannot store DLP findings");
			goto out;
		}
	}
out:
	sqlite3_finalize(st);
	mm_buf_free(&b);
	mm_buf_free(&c);
	return rc;
}

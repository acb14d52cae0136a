/* mamori — the egress module's learned state in the SQLite store (tables of
 * schema migration 5, src/store/store.c): hosts with the start of their
 * learning period and log coverage, the destinations each host used, the
 * sources that logged in to each device, and per host the last
 * MM__NET_HIST values of bytes out per hour of day and per day ("hour:bytes",
 * hours since the epoch, so a re-scan replaces rather than repeats them). Loaded by
 * mm_net_new, saved by mm_net_flush inside the scan's transaction, so a
 * second `scan --db` detects against what the first one learned. */
#include "net_mod.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

static int db_err(struct mm_net *n, struct mm_error *err, const char *what)
{
	return mm_error_set(err, MM_EDB, mm_store_path(n->store), 0, 0, "%s: %s", what,
	                    sqlite3_errmsg(mm_store_sqlite(n->store)));
}

static int host_of_text(struct mm_net *n, const char *text, uint32_t *out)
{
	struct mm_ip ip;
	if (!text || mm_ip_parse(mm_slice_cstr(text), &ip) != MM_OK)
		return MM_EPARSE;
	*out = mm__net_host(n, &ip, mm__ipset_lookup(&n->roles, &ip));
	return *out == UINT32_MAX ? MM_ELIMIT : MM_OK;
}

int mm__net_load(struct mm_net *n, struct mm_error *err)
{
	sqlite3 *db = mm_store_sqlite(n->store);
	sqlite3_stmt *st = NULL;
	int rc = MM_OK;
	if (sqlite3_prepare_v2(db, "SELECT host, first_ts, log_hours, hours FROM net_hosts ORDER BY rowid",
	                       -1, &st, NULL) != SQLITE_OK) {
		rc = db_err(n, err, "cannot read the learned hosts");
		goto out;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		uint32_t hi;
		if (host_of_text(n, (const char *)sqlite3_column_text(st, 0), &hi))
			continue;
		struct mm__host *h = &n->hosts[hi];
		h->first_ts = sqlite3_column_int64(st, 1);
		h->hist_log_hours = (uint64_t)sqlite3_column_int64(st, 2);
		h->hist_hours = (uint64_t)sqlite3_column_int64(st, 3);
		h->known = true;
	}
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(db, "SELECT host, peer, port, proto, first_ts FROM net_seen", -1, &st,
	                       NULL) != SQLITE_OK) {
		rc = db_err(n, err, "cannot read the learned destinations");
		goto out;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		uint32_t hi;
		struct mm_ip peer;
		const char *pt = (const char *)sqlite3_column_text(st, 1);
		if (host_of_text(n, (const char *)sqlite3_column_text(st, 0), &hi) || !pt ||
		    mm_ip_parse(mm_slice_cstr(pt), &peer) != MM_OK)
			continue;
		uint32_t pi = mm__net_pair(n, hi, &peer, (uint16_t)sqlite3_column_int(st, 2),
		                           (uint8_t)sqlite3_column_int(st, 3), true);
		if (pi == UINT32_MAX)
			break; /* state cap: counted */
		struct mm__pair *p = MM__PAIR(n, pi);
		if (!(p->flags & PF_SEEN))
			n->hosts[hi].nseen++;
		p->flags |= PF_SEEN | PF_STORED;
		p->first_ts = sqlite3_column_int64(st, 4);
		n->st.learned_pairs_loaded++;
	}
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(db, "SELECT device, source, first_ts FROM net_admin", -1, &st, NULL) !=
	    SQLITE_OK) {
		rc = db_err(n, err, "cannot read the learned admin sources");
		goto out;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *dev = (const char *)sqlite3_column_text(st, 0);
		const char *src = (const char *)sqlite3_column_text(st, 1);
		struct mm_ip ip;
		if (!dev || !src || mm_ip_parse(mm_slice_cstr(src), &ip) != MM_OK)
			continue;
		mm__net_admin_add(n, mm_hash64(dev, strlen(dev), 0x61646d) ^ mm__ip_hash(&ip, 0x73726363),
		                  sqlite3_column_int64(st, 2));
	}
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(db, "SELECT host, slot, vals FROM net_volume", -1, &st, NULL) !=
	    SQLITE_OK) {
		rc = db_err(n, err, "cannot read the volume baselines");
		goto out;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		uint32_t hi;
		int slot = sqlite3_column_int(st, 1);
		const char *v = (const char *)sqlite3_column_text(st, 2);
		if (host_of_text(n, (const char *)sqlite3_column_text(st, 0), &hi) || slot < 0 ||
		    slot > 24 || !v)
			continue;
		struct mm__host *h = &n->hosts[hi];
		h->nhist[slot] = 0;
		while (*v && h->nhist[slot] < MM__NET_HIST) {
			size_t l = strcspn(v, " ");
			const char *colon = memchr(v, ':', l);
			int64_t hr, x;
			if (colon && !mm_slice_to_i64(mm_slice(v, (size_t)(colon - v)), &hr) &&
			    !mm_slice_to_i64(mm_slice(colon + 1, l - (size_t)(colon - v) - 1), &x) && x >= 0)
				h->hist[slot][h->nhist[slot]++] = (struct mm__hv){hr, (uint64_t)x};
			v += l;
			while (*v == ' ')
				v++;
		}
	}
	sqlite3_finalize(st);
	st = NULL;
out:
	sqlite3_finalize(st);
	return rc;
}

static int exec_step(struct mm_net *n, sqlite3_stmt *st, struct mm_error *err)
{
	int r = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r == SQLITE_DONE ? MM_OK : db_err(n, err, "cannot save the learned egress state");
}

int mm__net_save(struct mm_net *n, struct mm_error *err)
{
	sqlite3 *db = mm_store_sqlite(n->store);
	sqlite3_stmt *sh = NULL, *sp = NULL, *sa = NULL, *sv = NULL;
	struct mm_buf b;
	int rc = MM_OK;
	mm_buf_init(&b, 0);
	if (sqlite3_prepare_v2(db,
	                       "INSERT OR REPLACE INTO net_hosts(host, first_ts, last_ts, log_hours, "
	                       "hours) VALUES(?,?,?,?,?)",
	                       -1, &sh, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db,
	                       "INSERT OR IGNORE INTO net_seen(host, peer, port, proto, first_ts) "
	                       "VALUES(?,?,?,?,?)",
	                       -1, &sp, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO net_admin(device, source, first_ts) VALUES(?,?,?)",
	                       -1, &sa, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO net_volume(host, slot, vals) VALUES(?,?,?)",
	                       -1, &sv, NULL) != SQLITE_OK) {
		rc = db_err(n, err, "cannot save the learned egress state (is the store's schema current?)");
		goto out;
	}
	for (size_t i = 0; i < n->nhosts && !rc; i++) {
		const struct mm__host *h = &n->hosts[i];
		if (h->first_ts == MM_TS_NONE)
			continue;
		sqlite3_bind_text(sh, 1, h->name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(sh, 2, h->first_ts);
		sqlite3_bind_int64(sh, 3, h->last_ts);
		sqlite3_bind_int64(sh, 4, (sqlite3_int64)h->hist_log_hours);
		sqlite3_bind_int64(sh, 5, (sqlite3_int64)h->hist_hours);
		rc = exec_step(n, sh, err);
		for (int s = 0; s < 25 && !rc; s++) {
			if (!h->nhist[s])
				continue;
			mm_buf_reset(&b);
			for (size_t k = 0; k < h->nhist[s]; k++)
				mm_buf_printf(&b, "%s%lld:%llu", k ? " " : "", (long long)h->hist[s][k].hour,
				              (unsigned long long)h->hist[s][k].v);
			sqlite3_bind_text(sv, 1, h->name, -1, SQLITE_STATIC);
			sqlite3_bind_int(sv, 2, s);
			sqlite3_bind_text(sv, 3, b.p, (int)b.n, SQLITE_STATIC);
			rc = exec_step(n, sv, err);
		}
	}
	for (size_t i = 0; i < n->npairs && !rc; i++) {
		const struct mm__pair *p = MM__PAIR(n, i);
		if (!(p->flags & PF_NEW))
			continue;
		char peer[48];
		mm__ip_text(&p->dst, peer, sizeof(peer));
		sqlite3_bind_text(sp, 1, n->hosts[p->host].name, -1, SQLITE_STATIC);
		sqlite3_bind_text(sp, 2, peer, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(sp, 3, p->port);
		sqlite3_bind_int(sp, 4, p->proto);
		sqlite3_bind_int64(sp, 5, p->first_ts);
		rc = exec_step(n, sp, err);
		n->st.learned_pairs_saved++;
	}
	for (size_t i = 0; i < n->nadmin_new && !rc; i++) {
		char *line = n->admin_new[i];
		char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
		if (!t2)
			continue;
		int64_t ts = 0;
		mm_slice_to_i64(mm_slice_cstr(t2 + 1), &ts);
		sqlite3_bind_text(sa, 1, line, (int)(t1 - line), SQLITE_STATIC);
		sqlite3_bind_text(sa, 2, t1 + 1, (int)(t2 - t1 - 1), SQLITE_STATIC);
		sqlite3_bind_int64(sa, 3, ts);
		rc = exec_step(n, sa, err);
	}
out:
	sqlite3_finalize(sh);
	sqlite3_finalize(sp);
	sqlite3_finalize(sa);
	sqlite3_finalize(sv);
	mm_buf_free(&b);
	return rc;
}

/* mamori — pending mail messages by queue ID (see mailq.h): a chained hash
 * table plus an LRU list in event-time order of the last line seen, so the
 * idle timeout and the cap both take the front of one list. Shared by the
 * Postfix and Exim decoders; owned by one input's decoder state. */
#include "mailq.h"

#include <stdlib.h>
#include <string.h>

#define NBUCKETS 16384u

struct mm__mailq {
	struct mm__mq_msg *bucket[NBUCKETS];
	struct mm__mq_msg *head, *tail; /* LRU: head is the least recently seen */
	struct mm__mq_msg *out;         /* pushed out by the cap, waiting for drain */
	struct mm__mq_msg *handed;      /* handed out by the last call: freed on release */
	size_t n, cap;
	int64_t idle, now;
	struct mm__mailq_stats st;
};

struct mm__mailq *mm__mailq_new(size_t cap, int64_t idle_ns)
{
	struct mm__mailq *q = mm_calloc(1, sizeof(*q));
	q->cap = cap ? cap : MQ_DEFAULT_CAP;
	q->idle = idle_ns > 0 ? idle_ns : MQ_DEFAULT_IDLE;
	q->now = MM_TS_NONE;
	return q;
}

static void msg_free(struct mm__mq_msg *m)
{
	if (!m)
		return;
	mm_buf_free(&m->b);
	free(m);
}

static void list_free(struct mm__mq_msg *m, bool lru)
{
	while (m) {
		struct mm__mq_msg *nx = lru ? m->next : m->hnext;
		msg_free(m);
		m = nx;
	}
}

void mm__mailq_free(struct mm__mailq *q)
{
	if (!q)
		return;
	list_free(q->head, true);
	list_free(q->out, false);
	list_free(q->handed, false);
	free(q);
}

static uint32_t bucket_of(const char *id, size_t n)
{
	return (uint32_t)(mm_hash64(id, n, 0x6d61696c71ull) & (NBUCKETS - 1));
}

static void lru_unlink(struct mm__mailq *q, struct mm__mq_msg *m)
{
	if (m->prev)
		m->prev->next = m->next;
	else
		q->head = m->next;
	if (m->next)
		m->next->prev = m->prev;
	else
		q->tail = m->prev;
	m->prev = m->next = NULL;
}

static void lru_append(struct mm__mailq *q, struct mm__mq_msg *m)
{
	m->prev = q->tail;
	m->next = NULL;
	if (q->tail)
		q->tail->next = m;
	else
		q->head = m;
	q->tail = m;
}

/* Unlink from hash and LRU (not freed). */
static void detach(struct mm__mailq *q, struct mm__mq_msg *m)
{
	struct mm__mq_msg **pp = &q->bucket[bucket_of(m->id, m->idn)];
	while (*pp && *pp != m)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = m->hnext;
	m->hnext = NULL;
	lru_unlink(q, m);
	q->n--;
}

/* Singly linked through hnext: out (FIFO) and handed lists. */
static void push_back(struct mm__mq_msg **list, struct mm__mq_msg *m)
{
	m->hnext = NULL;
	while (*list)
		list = &(*list)->hnext;
	*list = m;
}

void mm__mailq_tick(struct mm__mailq *q, int64_t ts)
{
	if (ts != MM_TS_NONE && (q->now == MM_TS_NONE || ts > q->now))
		q->now = ts;
}

struct mm__mq_msg *mm__mailq_get(struct mm__mailq *q, const char *id, size_t n, int64_t ts,
                                 bool create, const struct mm_event *ev)
{
	if (n == 0 || n >= sizeof(((struct mm__mq_msg *)0)->id))
		return NULL;
	mm__mailq_tick(q, ts);
	uint32_t b = bucket_of(id, n);
	struct mm__mq_msg *m = q->bucket[b];
	while (m && !(m->idn == n && !memcmp(m->id, id, n)))
		m = m->hnext;
	if (!m) {
		if (!create)
			return NULL;
		if (q->n >= q->cap && q->head) {
			/* the cap: the least recently seen message is emitted as it is */
			struct mm__mq_msg *old = q->head;
			detach(q, old);
			push_back(&q->out, old);
			q->st.evicted_cap++;
		}
		m = mm_calloc(1, sizeof(*m));
		memcpy(m->id, id, n);
		m->idn = (uint8_t)n;
		mm_buf_init(&m->b, MQ_MSG_BYTES);
		m->nrcpt = m->size = -1;
		m->first_ts = ts;
		if (ev) {
			m->off = ev->offset;
			m->line = ev->line_no;
		}
		m->hnext = q->bucket[b];
		q->bucket[b] = m;
		q->n++;
		q->st.created++;
		lru_append(q, m);
		if (ev && ev->raw.p)
			mm__mailq_set(q, m, MQ_RAW, mm_slice(ev->raw.p, MM_MIN(ev->raw.n, 1024)));
	} else {
		lru_unlink(q, m);
		lru_append(q, m);
	}
	if (ts != MM_TS_NONE)
		m->last_ts = ts;
	return m;
}

void mm__mailq_set(struct mm__mailq *q, struct mm__mq_msg *m, enum mm__mq_attr a,
                   struct mm_slice v)
{
	if (!v.p || (unsigned)a >= MQ__N)
		return;
	/* a replaced value's old bytes stay in the buffer: replacements are rare
	 * (a second client= line) and the buffer is capped */
	size_t off = m->b.n;
	if (mm_buf_append(&m->b, v.p, v.n)) {
		q->st.dropped_bytes += v.n;
		return;
	}
	m->s[a].off = (uint32_t)off;
	m->s[a].n = (uint32_t)v.n;
	m->s[a].set = true;
}

struct mm_slice mm__mailq_str(const struct mm__mq_msg *m, enum mm__mq_attr a)
{
	if ((unsigned)a >= MQ__N || !m->s[a].set)
		return MM_SLICE_NULL;
	return mm_slice(m->b.p ? m->b.p + m->s[a].off : "", m->s[a].n);
}

struct mm_slice mm__mail_domain(struct mm_slice addr)
{
	for (size_t i = addr.n; i > 0; i--)
		if (addr.p[i - 1] == '@')
			return i < addr.n ? mm_slice(addr.p + i, addr.n - i) : MM_SLICE_NULL;
	return MM_SLICE_NULL;
}

/* Append ", v" (or v) to a list attribute. The list is rebuilt in place by
 * appending a new copy (old + sep + v): simple and bounded by MQ_MSG_BYTES. */
static void list_add(struct mm__mailq *q, struct mm__mq_msg *m, enum mm__mq_attr a,
                     struct mm_slice v)
{
	struct mm_slice old = mm__mailq_str(m, a);
	size_t need = old.n + 2 + v.n;
	if (m->b.n + need > MQ_MSG_BYTES) {
		q->st.dropped_bytes += v.n;
		return;
	}
	size_t off = m->b.n;
	if (old.p && old.n) {
		/* old points into m->b, which may move on append: copy it first */
		char tmp[MQ_MSG_BYTES];
		memcpy(tmp, old.p, old.n);
		mm_buf_append(&m->b, tmp, old.n);
		mm_buf_append(&m->b, ", ", 2);
	}
	mm_buf_append(&m->b, v.p, v.n);
	m->s[a].off = (uint32_t)off;
	m->s[a].n = (uint32_t)(m->b.n - off);
	m->s[a].set = true;
}

void mm__mailq_rcpt(struct mm__mailq *q, struct mm__mq_msg *m, struct mm_slice rcpt,
                    struct mm_slice status)
{
	if (mm_slice_eq_cstr(status, "sent"))
		m->sent++;
	else if (mm_slice_eq_cstr(status, "deferred"))
		m->deferred++;
	else if (mm_slice_eq_cstr(status, "bounced") || mm_slice_eq_cstr(status, "expired"))
		m->bounced++;
	/* a deferred recipient is tried again: list it once (its first attempt) */
	if (!rcpt.p)
		return;
	struct mm_slice rs = mm__mailq_str(m, MQ_RCPTS);
	for (size_t i = 0; rs.p && i + rcpt.n <= rs.n;) {
		if (!memcmp(rs.p + i, rcpt.p, rcpt.n) && (i + rcpt.n == rs.n || rs.p[i + rcpt.n] == ','))
			return;
		const char *c = memchr(rs.p + i, ',', rs.n - i);
		if (!c)
			break;
		i = (size_t)(c - rs.p) + 2;
	}
	m->rcpts++;
	if (m->rcpts <= MQ_MAX_LISTED)
		list_add(q, m, MQ_RCPTS, rcpt);
	struct mm_slice d = mm__mail_domain(rcpt);
	if (!d.p)
		return;
	uint64_t h = mm_hash64_ci(d.p, d.n, 7) | 1;
	uint32_t k = MM_MIN(m->ndomains, MQ_MAX_LISTED);
	for (uint32_t i = 0; i < k; i++)
		if (m->dom_h[i] == h)
			return;
	if (m->ndomains < MQ_MAX_LISTED) {
		m->dom_h[m->ndomains] = h;
		list_add(q, m, MQ_DOMAINS, d);
	}
	m->ndomains++;
}

void mm__mailq_remove(struct mm__mailq *q, struct mm__mq_msg *m)
{
	detach(q, m);
	m->removed = true;
	push_back(&q->handed, m);
}

void mm__mailq_release(struct mm__mailq *q)
{
	list_free(q->handed, false);
	q->handed = NULL;
}

struct mm__mq_msg *mm__mailq_due(struct mm__mailq *q, bool eof)
{
	struct mm__mq_msg *m = q->out;
	if (m) {
		q->out = m->hnext;
		push_back(&q->handed, m);
		return m;
	}
	m = q->head;
	if (!m)
		return NULL;
	if (!eof && (q->now == MM_TS_NONE || m->last_ts == MM_TS_NONE ||
	             q->now - m->last_ts <= q->idle))
		return NULL;
	if (!eof)
		q->st.timed_out++;
	detach(q, m);
	push_back(&q->handed, m);
	return m;
}

void mm__mailq_stats(const struct mm__mailq *q, struct mm__mailq_stats *out)
{
	*out = q->st;
	out->pending = q->n;
}

/* Decimal digits of v into the arena (values that are not substrings). */
static struct mm_slice num(struct mm_arena *a, int64_t v)
{
	char tmp[24];
	int k = snprintf(tmp, sizeof(tmp), "%lld", (long long)v);
	if (!a || k <= 0)
		return MM_SLICE_NULL;
	return mm_slice_dup(a, mm_slice(tmp, (size_t)k));
}

void mm__mailq_origin(const struct mm__mq_msg *m, struct mm_event *ev)
{
	struct mm_slice s;
	ev->f[MM_F_EMAIL_LOCAL_ID] = mm_slice(m->id, m->idn);
	if ((s = mm__mailq_str(m, MQ_CLIENT_IP)).p && !ev->f[MM_F_SOURCE_IP].p)
		ev->f[MM_F_SOURCE_IP] = s;
	if ((s = mm__mailq_str(m, MQ_CLIENT_HOST)).p && !ev->f[MM_F_SOURCE_DOMAIN].p)
		ev->f[MM_F_SOURCE_DOMAIN] = s;
	if ((s = mm__mailq_str(m, MQ_SASL_USER)).p && !ev->f[MM_F_USER_NAME].p)
		ev->f[MM_F_USER_NAME] = s;
	if ((s = mm__mailq_str(m, MQ_SASL_METHOD)).p)
		ev->f[MM_F_EMAIL_AUTH_METHOD] = s;
	if ((s = mm__mailq_str(m, MQ_UID)).p && !ev->f[MM_F_USER_ID].p)
		ev->f[MM_F_USER_ID] = s;
	if ((s = mm__mailq_str(m, MQ_FROM)).p && !ev->f[MM_F_EMAIL_FROM_ADDRESS].p)
		ev->f[MM_F_EMAIL_FROM_ADDRESS] = s;
	if ((s = mm__mailq_str(m, MQ_FROM_DOMAIN)).p && !ev->f[MM_F_EMAIL_FROM_DOMAIN].p)
		ev->f[MM_F_EMAIL_FROM_DOMAIN] = s;
	if ((s = mm__mailq_str(m, MQ_MSGID)).p && !ev->f[MM_F_EMAIL_MESSAGE_ID].p)
		ev->f[MM_F_EMAIL_MESSAGE_ID] = s;
	if ((s = mm__mailq_str(m, MQ_ORIGIN)).p && !ev->f[MM_F_EMAIL_ORIGIN].p)
		ev->f[MM_F_EMAIL_ORIGIN] = s;
	if ((s = mm__mailq_str(m, MQ_SUBJECT)).p && !ev->f[MM_F_EMAIL_SUBJECT].p)
		ev->f[MM_F_EMAIL_SUBJECT] = s;
}

void mm__mailq_fill(struct mm_decode_ctx *ctx, const struct mm__mq_msg *m, struct mm_event *ev,
                    bool complete)
{
	struct mm_slice s;
	mm__mailq_origin(m, ev);
	ev->f[MM_F_EVENT_ACTION] = MM_SLICE_LIT("message");
	ev->f[MM_F_EVENT_CATEGORY] = MM_SLICE_LIT("email");
	if ((s = mm__mailq_str(m, MQ_HOST)).p && !ev->f[MM_F_HOST_HOSTNAME].p)
		ev->f[MM_F_HOST_HOSTNAME] = s;
	int64_t nr = m->nrcpt >= 0 ? m->nrcpt : (int64_t)m->rcpts;
	ev->f[MM_F_EMAIL_TO_COUNT] = num(ctx->arena, nr);
	if (m->size >= 0)
		ev->f[MM_F_EMAIL_SIZE] = num(ctx->arena, m->size);
	s = mm__mailq_str(m, MQ_RCPTS);
	if (s.p) {
		/* the first recipient; every one is in email.to.addresses */
		const char *c = memchr(s.p, ',', s.n);
		ev->f[MM_F_EMAIL_TO_ADDRESS] = mm_slice(s.p, c ? (size_t)(c - s.p) : s.n);
		ev->f[MM_F_EMAIL_TO_DOMAIN] = mm__mail_domain(ev->f[MM_F_EMAIL_TO_ADDRESS]);
	}
	const char *status, *outcome;
	if (!complete) {
		status = "pending";
		outcome = "unknown";
	} else if (m->bounced && !m->sent) {
		status = "bounced";
		outcome = "failure";
	} else if (m->bounced) {
		status = "partly_bounced";
		outcome = "failure";
	} else if (m->sent) {
		status = "sent";
		outcome = "success";
	} else {
		status = "removed";
		outcome = "unknown";
	}
	ev->f[MM_F_EMAIL_DELIVERY_STATUS] = mm_slice_cstr(status);
	ev->f[MM_F_EVENT_OUTCOME] = mm_slice_cstr(outcome);
	ev->flags &= ~MM_EV_VERBATIM;
	if (!ctx->arena)
		return;
	struct mm_kv *kv = mm_arena_alloc(ctx->arena, 6 * sizeof(*kv));
	if (!kv)
		return;
	size_t k = 0;
	if ((s = mm__mailq_str(m, MQ_RCPTS)).p)
		kv[k++] = (struct mm_kv){MM_SLICE_LIT("email.to.addresses"), s};
	if ((s = mm__mailq_str(m, MQ_DOMAINS)).p)
		kv[k++] = (struct mm_kv){MM_SLICE_LIT("email.to.domains"), s};
	kv[k++] = (struct mm_kv){MM_SLICE_LIT("email.to.domains_count"),
	                         num(ctx->arena, m->ndomains)};
	kv[k++] = (struct mm_kv){MM_SLICE_LIT("email.delivery.sent"), num(ctx->arena, m->sent)};
	kv[k++] = (struct mm_kv){MM_SLICE_LIT("email.delivery.deferred"),
	                         num(ctx->arena, m->deferred)};
	kv[k++] = (struct mm_kv){MM_SLICE_LIT("email.delivery.bounced"),
	                         num(ctx->arena, m->bounced)};
	ev->extra = kv;
	ev->n_extra = k;
}

/* mamori — OpenSSH message decoder: turns the MSG part of an sshd syslog line
 * into event.action / event.outcome / user.name / source.ip / source.port /
 * event.reason, with a fixed action vocabulary documented in
 * docs/internals/DECODERS.md (rule authors depend on it: keep it stable).
 * Pipeline position: called by the syslog decoder for program sshd,
 * sshd-session and sshd-auth. Message texts follow OpenSSH's auth.c, sshd.c,
 * packet.c and PAM's pam_unix; each pattern below names the line it reads. */
#include "dec_util.h"
#include "sshd.h"

#include <stdlib.h>

/* ---- vocabulary (static strings; see DECODERS.md) ----------------------- */
#define A_LOGIN "ssh_login"
#define A_INVALID_USER "invalid_user"
#define A_NOT_ALLOWED "user_not_allowed"
#define A_MAX_AUTH "max_auth_attempts"
#define A_PAM_FAIL "pam_auth_failure"
#define A_CLOSED_PREAUTH "connection_closed_preauth"
#define A_DISC_PREAUTH "disconnect_preauth"
#define A_NO_IDENT "no_identification"
#define A_NEGOTIATION "negotiation_failed"
#define A_PROTOCOL "protocol_error"
#define A_TIMEOUT "preauth_timeout"
#define A_REFUSED "connection_refused"
#define A_REVERSE "reverse_mapping_failed"
#define A_CONN_OPEN "connection_opened"
#define A_CONN_CLOSED "connection_closed"
#define A_DISCONNECT "disconnect"
#define A_SESSION_OPEN "session_opened"
#define A_SESSION_CLOSE "session_closed"

#define O_SUCCESS "success"
#define O_FAILURE "failure"
#define O_UNKNOWN "unknown"

#define C_AUTH "authentication"
#define C_SESSION "session"
#define C_NETWORK "network"

/* ---- per-input connection memory ---------------------------------------- */
#define SSHD_SLOTS 1024u /* cap: one slot per (host, pid) hash, overwritten */

struct slot {
	uint64_t key; /* 0 = empty */
	uint8_t ipn, portn;
	char ip[46];
	char port[6];
};

struct mm__sshd_state {
	struct slot slots[SSHD_SLOTS];
};

struct mm__sshd_state *mm__sshd_state_new(void)
{
	return mm_calloc(1, sizeof(struct mm__sshd_state));
}

void mm__sshd_state_free(struct mm__sshd_state *st)
{
	free(st);
}

static uint64_t conn_key(const struct mm_event *ev)
{
	struct mm_slice pid = ev->f[MM_F_PROCESS_PID], host = ev->f[MM_F_HOST_HOSTNAME];
	if (!pid.p)
		return 0;
	uint64_t h = mm_hash64(pid.p, pid.n, 0x5353484455ull);
	if (host.p)
		h ^= mm_hash64(host.p, host.n, h);
	return h | 1;
}

/* ---- working context ---------------------------------------------------- */
struct sx {
	struct mm_decode_ctx *ctx;
	struct mm__sshd_state *st;
	struct mm_event *ev;
	bool copied; /* a value is not a substring of the line */
};

static void act(struct sx *x, const char *action, const char *outcome, const char *category)
{
	struct mm_event *ev = x->ev;
	ev->f[MM_F_EVENT_ACTION] = mm_slice_cstr(action);
	ev->f[MM_F_EVENT_OUTCOME] = mm_slice_cstr(outcome);
	ev->f[MM_F_EVENT_CATEGORY] = mm_slice_cstr(category);
	x->copied = true;
}

static void mark_invalid(struct sx *x)
{
	x->ev->f[MM_F_EVENT_TYPE] = MM_SLICE_LIT("invalid_user");
	x->copied = true;
}

static void set_user(struct sx *x, const char *p, size_t n)
{
	if (n)
		dec_set(x->ev, MM_F_USER_NAME, p, n);
}

static bool host_char(char c)
{
	return dec_alpha(c) || dec_digit(c) || c == '.' || c == '-' || c == '_';
}

struct addr {
	struct mm_slice host, port;
};

/* Is the token an address OpenSSH could have printed: an IP (IPv4-mapped
 * IPv6 included) or a host name (UseDNS yes)? */
static bool addr_ok(const char *p, size_t n)
{
	if (n == 0 || n > 253)
		return false;
	if (dec_is_ip(p, n))
		return true;
	for (size_t i = 0; i < n; i++)
		if (!host_char(p[i]))
			return false;
	return true;
}

/* source.address always; source.ip for addresses, source.domain for names.
 * An IPv4-mapped IPv6 text ("::ffff:1.2.3.4", dual-stack listeners) is
 * reported as the IPv4 address it is. */
static void set_source(struct sx *x, struct addr a)
{
	struct mm_event *ev = x->ev;
	const char *p = a.host.p;
	size_t n = a.host.n;
	if (!p || !n)
		return;
	if (n > 7 && (memcmp(p, "::ffff:", 7) == 0 || memcmp(p, "::FFFF:", 7) == 0) &&
	    memchr(p + 7, '.', n - 7) && dec_is_ip(p + 7, n - 7)) {
		p += 7;
		n -= 7;
	}
	dec_set(ev, MM_F_SOURCE_ADDRESS, p, n);
	if (dec_is_ip(p, n))
		dec_set(ev, MM_F_SOURCE_IP, p, n);
	else
		dec_set(ev, MM_F_SOURCE_DOMAIN, p, n);
	if (a.port.p && a.port.n)
		dec_set_s(ev, MM_F_SOURCE_PORT, a.port);
}

/* After " from ": ADDR [" port " N] [" ssh" D] [" via " X], then the end,
 * ':' (OpenSSH's ": <auth info>"), or " [preauth]". Strict so that a user
 * name containing " from " cannot move the address (fail2ban gh-2185). */
static bool from_tail(const char *p, size_t n, size_t i, struct addr *a)
{
	size_t e = i;
	while (e < n && p[e] != ' ')
		e++;
	if (!addr_ok(p + i, e - i))
		return false;
	a->host = mm_slice(p + i, e - i);
	a->port = MM_SLICE_NULL;
	i = e;
	if (DEC_AT(p, n, i, " port ")) {
		size_t s = i += 6;
		while (i < n && dec_digit(p[i]) && i - s < 5)
			i++;
		if (i == s)
			return false;
		a->port = mm_slice(p + s, i - s);
	}
	if (DEC_AT(p, n, i, " ssh")) {
		i += 4;
		while (i < n && dec_digit(p[i]))
			i++;
	}
	if (DEC_AT(p, n, i, " via ")) {
		i += 5;
		while (i < n && p[i] != ' ')
			i++;
	}
	if (i == n || p[i] == ':')
		return true;
	return n - i == 10 && DEC_AT(p, n, i, " [preauth]");
}

/* The first " from " at or after start-1 whose tail is an address. Returns
 * its index (the user is p[start..index)) or n. */
static size_t find_from(const char *p, size_t n, size_t start, struct addr *a)
{
	size_t k = start ? start - 1 : 0;
	for (;;) {
		k = DEC_FIND(p, n, k, " from ");
		if (k == n)
			return n;
		if (from_tail(p, n, k + 6, a))
			return k;
		k++;
	}
}

/* "[invalid user |illegal user ]USER from ADDR[ port P]…" at i: the tail that
 * the login, MaxAuthTries and PAM messages share. OpenSSH writes an
 * unprintable or empty name as "<invalid username>" (auth.c). */
struct user_from {
	size_t us, ue; /* the user name is p[us, ue); empty when none */
	bool invalid;
	struct addr a;
};

static bool user_from_parse(const char *p, size_t n, size_t i, struct user_from *u)
{
	u->invalid = false;
	if (DEC_AT(p, n, i, "invalid user ") || DEC_AT(p, n, i, "illegal user ")) {
		u->invalid = true;
		i += 13;
	}
	u->us = i;
	u->ue = find_from(p, n, i, &u->a);
	if (u->ue == n)
		return false;
	/* "invalid user from ADDR" (an empty name): find_from matched the
	 * " from " that starts one byte before i */
	if (u->ue < u->us)
		u->us = u->ue;
	if (u->ue > u->us && DEC_AT(p, u->ue, u->us, "<invalid username>")) {
		u->invalid = true;
		u->us = u->ue;
	}
	return true;
}

static void user_from_set(struct sx *x, const char *p, const struct user_from *u)
{
	set_user(x, p + u->us, u->ue - u->us);
	if (u->invalid)
		mark_invalid(x);
	set_source(x, u->a);
}

/* "[WHO ]ADDR[ port N][ [preauth]]" read from the end (user names may hold
 * spaces, the address and port never do). */
static bool by_tail(const char *p, size_t n, size_t i, struct addr *a, struct mm_slice *who)
{
	size_t e = n;
	if (e - i >= 10 && memcmp(p + e - 10, " [preauth]", 10) == 0)
		e -= 10;
	a->port = MM_SLICE_NULL;
	size_t k = e;
	while (k > i && dec_digit(p[k - 1]))
		k--;
	if (k < e && k - i >= 6 && memcmp(p + k - 6, " port ", 6) == 0) {
		a->port = mm_slice(p + k, e - k);
		e = k - 6;
	}
	size_t s = e;
	while (s > i && p[s - 1] != ' ')
		s--;
	if (!addr_ok(p + s, e - s))
		return false;
	a->host = mm_slice(p + s, e - s);
	*who = s > i ? mm_slice(p + i, s - 1 - i) : MM_SLICE_NULL;
	return true;
}

/* WHO in by_tail: "authenticating user U", "invalid user U", "user U". */
static void who_user(struct sx *x, struct mm_slice w)
{
	const char *p = w.p;
	size_t n = w.n;
	if (!p)
		return;
	if (DEC_AT(p, n, 0, "authenticating user ")) {
		set_user(x, p + 20, n - 20);
	} else if (DEC_AT(p, n, 0, "invalid user ")) {
		set_user(x, p + 13, n - 13);
		mark_invalid(x);
	} else if (DEC_AT(p, n, 0, "user ")) {
		set_user(x, p + 5, n - 5);
	}
}

static bool ends_preauth(const char *p, size_t n)
{
	return n >= 9 && memcmp(p + n - 9, "[preauth]", 9) == 0;
}

/* value of "key=" in PAM's "k1=v1 k2=v2" list (pam_unix's failure line) */
static struct mm_slice pam_kv(const char *p, size_t n, size_t from, const char *key, size_t kn)
{
	size_t k = from;
	for (;;) {
		k = dec_find(p, n, k, key, kn);
		if (k == n)
			return MM_SLICE_NULL;
		if (k == 0 || p[k - 1] == ' ' || p[k - 1] == ';')
			break;
		k++;
	}
	size_t s = k + kn, e = s;
	while (e < n && p[e] != ' ')
		e++;
	return mm_slice(p + s, e - s);
}

/* ---- messages ----------------------------------------------------------- */

/* "Accepted|Failed METHOD for [invalid user ]USER from ADDR port P ssh2[: info]"
 * (auth.c auth_log) */
static bool m_login(struct sx *x, const char *p, size_t n, size_t i, bool ok)
{
	size_t ms = i;
	while (i < n && p[i] != ' ')
		i++;
	if (i == ms || !DEC_AT(p, n, i, " for "))
		return false;
	struct mm_slice method = mm_slice(p + ms, i - ms);
	struct user_from u;
	if (!user_from_parse(p, n, i + 5, &u))
		return false;
	act(x, A_LOGIN, ok ? O_SUCCESS : O_FAILURE, C_AUTH);
	dec_set_s(x->ev, MM_F_EVENT_REASON, method);
	user_from_set(x, p, &u);
	return true;
}

/* "Invalid user U from ADDR[ port P]" (auth2.c), "Illegal user" (older) */
static bool m_invalid_user(struct sx *x, const char *p, size_t n, size_t i)
{
	struct addr a;
	size_t k = find_from(p, n, i, &a);
	if (k == n)
		return false;
	act(x, A_INVALID_USER, O_FAILURE, C_AUTH);
	mark_invalid(x);
	if (k > i)
		set_user(x, p + i, k - i);
	set_source(x, a);
	return true;
}

/* "User U from ADDR not allowed because REASON" / "User U not allowed
 * because REASON" (auth.c allowed_user) */
static bool m_user_not_allowed(struct sx *x, const char *p, size_t n, size_t i)
{
	size_t b = DEC_FIND(p, n, i, " not allowed because ");
	if (b == n)
		return false;
	act(x, A_NOT_ALLOWED, O_FAILURE, C_AUTH);
	dec_set(x->ev, MM_F_EVENT_REASON, p + b + 21, n - b - 21);
	size_t f = DEC_FIND(p, b, i, " from ");
	if (f != b) {
		struct addr a = {mm_slice(p + f + 6, b - f - 6), MM_SLICE_NULL};
		if (addr_ok(a.host.p, a.host.n)) {
			set_source(x, a);
			set_user(x, p + i, f - i);
			return true;
		}
	}
	set_user(x, p + i, b - i);
	return true;
}

/* A "[authenticating|invalid user U ]ADDR[ port P] [preauth]" tail: a failed
 * authentication when it ends in [preauth], else the given plain action. */
static bool by_tail_event(struct sx *x, const char *p, size_t n, size_t i,
                          const char *preauth_action, const char *action,
                          const char *category)
{
	struct addr a;
	struct mm_slice who;
	if (!by_tail(p, n, i, &a, &who))
		return false;
	if (ends_preauth(p, n))
		act(x, preauth_action, O_FAILURE, C_AUTH);
	else
		act(x, action, O_UNKNOWN, category);
	who_user(x, who);
	set_source(x, a);
	return true;
}

/* "Connection closed|reset by [authenticating|invalid user U ]ADDR[ port P]
 * [preauth]" (packet.c / sshd.c) */
static bool m_conn_closed(struct sx *x, const char *p, size_t n, size_t i)
{
	return by_tail_event(x, p, n, i, A_CLOSED_PREAUTH, A_CONN_CLOSED, C_NETWORK);
}

/* "Disconnected from [authenticating|invalid user U ]ADDR port P [preauth]"
 * and, after a session, "Disconnected from user U ADDR port P" */
static bool m_disconnected(struct sx *x, const char *p, size_t n, size_t i)
{
	return by_tail_event(x, p, n, i, A_DISC_PREAUTH, A_DISCONNECT, C_SESSION);
}

/* "Received disconnect from ADDR port P:CODE: TEXT [preauth]" and the older
 * "Received disconnect from ADDR: CODE: TEXT [preauth]" */
static bool m_received_disconnect(struct sx *x, const char *p, size_t n, size_t i)
{
	struct addr a = {MM_SLICE_NULL, MM_SLICE_NULL};
	size_t e = i;
	while (e < n && p[e] != ' ')
		e++;
	if (DEC_AT(p, n, e, " port ")) {
		a.host = mm_slice(p + i, e - i);
		size_t s = e + 6, k = s;
		while (k < n && dec_digit(p[k]))
			k++;
		if (k == s)
			return false;
		a.port = mm_slice(p + s, k - s);
		i = k;
	} else if (e > i && p[e - 1] == ':') {
		a.host = mm_slice(p + i, e - 1 - i);
		i = e - 1;
	} else {
		a.host = mm_slice(p + i, e - i);
		i = e;
	}
	if (!addr_ok(a.host.p, a.host.n))
		return false;
	/* ":CODE: TEXT" */
	if (i < n && p[i] == ':')
		i++;
	while (i < n && p[i] == ' ')
		i++;
	while (i < n && dec_digit(p[i]))
		i++;
	if (i < n && p[i] == ':')
		i++;
	while (i < n && p[i] == ' ')
		i++;
	size_t te = n;
	bool pre = ends_preauth(p, n);
	if (pre) {
		te -= 9;
		while (te > i && p[te - 1] == ' ')
			te--;
	}
	struct mm_slice text = mm_slice(p + i, te > i ? te - i : 0);
	/* RFC 4253 §11.1 code 14 / client texts that say authentication failed
	 * mean the client gave up authenticating even without [preauth] */
	bool authfail = pre || DEC_FIND(text.p, text.n, 0, "Auth fail") != text.n ||
	                DEC_FIND(text.p, text.n, 0, "authentication methods") != text.n;
	if (authfail)
		act(x, A_DISC_PREAUTH, O_FAILURE, C_AUTH);
	else
		act(x, A_DISCONNECT, O_UNKNOWN, C_SESSION);
	if (text.n)
		dec_set_s(x->ev, MM_F_EVENT_REASON, text);
	set_source(x, a);
	return true;
}

/* "Disconnecting [authenticating |invalid ]user U ADDR port P: REASON
 * [preauth]" and "Disconnecting: Too many authentication failures[ for U]
 * [preauth]" (packet.c ssh_packet_disconnect) */
static bool m_disconnecting(struct sx *x, const char *p, size_t n, size_t i)
{
	if (i < n && p[i] == ':') {
		i++;
		while (i < n && p[i] == ' ')
			i++;
		if (DEC_AT(p, n, i, "Too many authentication failures")) {
			act(x, A_MAX_AUTH, O_FAILURE, C_AUTH);
			size_t j = i + 32;
			if (DEC_AT(p, n, j, " for ")) {
				j += 5;
				size_t e = n;
				if (ends_preauth(p, n))
					e -= 10;
				if (e > j)
					set_user(x, p + j, e - j);
			}
		} else if (ends_preauth(p, n)) {
			act(x, A_DISC_PREAUTH, O_FAILURE, C_AUTH);
		} else {
			act(x, A_DISCONNECT, O_UNKNOWN, C_SESSION);
		}
		size_t e = ends_preauth(p, n) ? n - 10 : n;
		if (e > i)
			dec_set(x->ev, MM_F_EVENT_REASON, p + i, e - i);
		return true;
	}
	if (i < n && p[i] == ' ')
		i++;
	/* the first ": " right after " port N" ends the address part */
	size_t c = i;
	for (;;) {
		c = DEC_FIND(p, n, c, ": ");
		if (c == n)
			return false;
		size_t k = c;
		while (k > i && dec_digit(p[k - 1]))
			k--;
		if (k < c && k - i >= 6 && memcmp(p + k - 6, " port ", 6) == 0)
			break;
		c++;
	}
	struct addr a;
	struct mm_slice who;
	if (!by_tail(p, c, i, &a, &who))
		return false;
	size_t rs = c + 2, re = ends_preauth(p, n) ? n - 10 : n;
	if (DEC_AT(p, n, rs, "Too many authentication failures"))
		act(x, A_MAX_AUTH, O_FAILURE, C_AUTH);
	else if (ends_preauth(p, n) || (who.p && !DEC_AT(who.p, who.n, 0, "user ")))
		act(x, A_DISC_PREAUTH, O_FAILURE, C_AUTH);
	else
		act(x, A_DISCONNECT, O_UNKNOWN, C_SESSION);
	if (re > rs)
		dec_set(x->ev, MM_F_EVENT_REASON, p + rs, re - rs);
	who_user(x, who);
	set_source(x, a);
	return true;
}

/* "maximum authentication attempts exceeded for [invalid user ]U from ADDR
 * port P ssh2 [preauth]" (auth2.c, OpenSSH ≥ 6.8) */
static bool m_max_auth(struct sx *x, const char *p, size_t n, size_t i)
{
	struct user_from u;
	if (!user_from_parse(p, n, i, &u))
		return false;
	act(x, A_MAX_AUTH, O_FAILURE, C_AUTH);
	user_from_set(x, p, &u);
	return true;
}

/* messages that only carry " from ADDR[ port P]" after some text */
static bool m_from(struct sx *x, const char *p, size_t n, size_t i, const char *action,
                   const char *outcome, const char *cat)
{
	struct addr a;
	if (find_from(p, n, i, &a) == n)
		return false;
	act(x, action, outcome, cat);
	set_source(x, a);
	return true;
}

/* "… Connection from ADDR port P: TEXT" (banner exchange, ssh_dispatch_run_fatal) */
static bool m_conn_from(struct sx *x, const char *p, size_t n, size_t i, const char *action)
{
	if (!DEC_AT(p, n, i, "Connection from "))
		return false;
	i += 16;
	size_t e = i;
	while (e < n && p[e] != ' ')
		e++;
	struct addr a = {mm_slice(p + i, e - i), MM_SLICE_NULL};
	if (!addr_ok(a.host.p, a.host.n))
		return false;
	if (DEC_AT(p, n, e, " port ")) {
		size_t s = e + 6, k = s;
		while (k < n && dec_digit(p[k]))
			k++;
		if (k > s)
			a.port = mm_slice(p + s, k - s);
		e = k;
	}
	act(x, action, O_FAILURE, C_NETWORK);
	if (DEC_AT(p, n, e, ": ")) {
		size_t re = ends_preauth(p, n) ? n - 10 : n;
		if (re > e + 2)
			dec_set(x->ev, MM_F_EVENT_REASON, p + e + 2, re - e - 2);
	}
	set_source(x, a);
	return true;
}

/* "Connection from ADDR port P on LADDR port LP[ rdomain "…"]" (sshd.c,
 * LogLevel VERBOSE): remembered for later lines of the same pid. */
static bool m_connection_from(struct sx *x, const char *p, size_t n, size_t i)
{
	size_t e = i;
	while (e < n && p[e] != ' ')
		e++;
	struct addr a = {mm_slice(p + i, e - i), MM_SLICE_NULL};
	if (!addr_ok(a.host.p, a.host.n))
		return false;
	i = e;
	if (DEC_AT(p, n, i, " port ")) {
		size_t s = i + 6;
		i = s;
		while (i < n && dec_digit(p[i]) && i - s < 5)
			i++;
		if (i > s)
			a.port = mm_slice(p + s, i - s);
	}
	if (DEC_AT(p, n, i, " on ")) {
		size_t s = i + 4;
		e = s;
		while (e < n && p[e] != ' ')
			e++;
		if (dec_is_ip(p + s, e - s))
			dec_set(x->ev, MM_F_DESTINATION_IP, p + s, e - s);
		if (DEC_AT(p, n, e, " port ")) {
			size_t ps = e + 6, k = ps;
			while (k < n && dec_digit(p[k]) && k - ps < 5)
				k++;
			if (k > ps)
				dec_set(x->ev, MM_F_DESTINATION_PORT, p + ps, k - ps);
		}
	}
	act(x, A_CONN_OPEN, O_UNKNOWN, C_NETWORK);
	set_source(x, a);
	return true;
}

/* pam_unix / pam_sss / … "(sshd:auth): authentication failure; logname= uid=0
 * euid=0 tty=ssh ruser= rhost=ADDR[  user=U]" and "(sshd:session): session
 * opened|closed for user U[(uid=N)][ by …]" */
static bool m_pam_module(struct sx *x, const char *p, size_t n, size_t i)
{
	size_t c = DEC_FIND(p, MM_MIN(n, i + 40), i, "(sshd:");
	if (c == MM_MIN(n, i + 40))
		return false;
	size_t j = c + 6;
	if (DEC_AT(p, n, j, "auth): authentication failure;")) {
		act(x, A_PAM_FAIL, O_FAILURE, C_AUTH);
		struct addr a = {pam_kv(p, n, j, "rhost=", 6), MM_SLICE_NULL};
		if (a.host.n && addr_ok(a.host.p, a.host.n))
			set_source(x, a);
		struct mm_slice u = pam_kv(p, n, j, "user=", 5);
		set_user(x, u.p, u.n);
		return true;
	}
	bool open = DEC_AT(p, n, j, "session): session opened for user ");
	if (open || DEC_AT(p, n, j, "session): session closed for user ")) {
		size_t s = j + 34, e = s;
		while (e < n && p[e] != ' ' && p[e] != '(')
			e++;
		if (open)
			act(x, A_SESSION_OPEN, O_SUCCESS, C_SESSION);
		else
			act(x, A_SESSION_CLOSE, O_SUCCESS, C_SESSION);
		set_user(x, p + s, e - s);
		return true;
	}
	return false;
}

/* "PAM: Authentication failure for U from ADDR", "PAM: authentication error
 * for U from ADDR via LADDR", "PAM: User not known to the underlying
 * authentication module for illegal user U from ADDR" (portable OpenSSH's
 * auth-pam.c), and pam's "PAM N more authentication failures; … rhost=ADDR" */
static bool m_pam_text(struct sx *x, const char *p, size_t n, size_t i)
{
	if (DEC_AT(p, n, i, "PAM: ")) {
		i += 5;
		size_t f = DEC_FIND(p, n, i, " for ");
		if (f == n)
			return false;
		struct user_from u;
		if (!user_from_parse(p, n, f + 5, &u))
			return false;
		act(x, A_PAM_FAIL, O_FAILURE, C_AUTH);
		user_from_set(x, p, &u);
		return true;
	}
	size_t j = i + 4;
	while (j < n && dec_digit(p[j]))
		j++;
	if (j == i + 4 || !DEC_AT(p, n, j, " more authentication failure"))
		return false;
	act(x, A_PAM_FAIL, O_FAILURE, C_AUTH);
	struct addr a = {pam_kv(p, n, j, "rhost=", 6), MM_SLICE_NULL};
	if (a.host.n && addr_ok(a.host.p, a.host.n))
		set_source(x, a);
	struct mm_slice u = pam_kv(p, n, j, "user=", 5);
	set_user(x, u.p, u.n);
	return true;
}

/* "refused connect from NAME (ADDR)" (tcp_wrappers) */
static bool m_refused(struct sx *x, const char *p, size_t n, size_t i)
{
	size_t o = n;
	while (o > i && p[o - 1] != '(')
		o--;
	if (o == i || p[n - 1] != ')')
		return false;
	struct addr a = {mm_slice(p + o, n - 1 - o), MM_SLICE_NULL};
	if (!addr_ok(a.host.p, a.host.n))
		return false;
	act(x, A_REFUSED, O_FAILURE, C_NETWORK);
	set_source(x, a);
	return true;
}

/* "reverse mapping checking getaddrinfo for NAME [ADDR] failed - POSSIBLE
 * BREAK-IN ATTEMPT!" and "Address ADDR maps to NAME, but this does not map
 * back to the address - POSSIBLE BREAK-IN ATTEMPT!" (canohost.c) */
static bool m_reverse(struct sx *x, const char *p, size_t n, size_t i, bool address_form)
{
	struct addr a = {MM_SLICE_NULL, MM_SLICE_NULL};
	if (address_form) {
		size_t e = i;
		while (e < n && p[e] != ' ')
			e++;
		a.host = mm_slice(p + i, e - i);
	} else {
		size_t b = DEC_FIND(p, n, i, " [");
		if (b == n)
			return false;
		size_t e = b + 2;
		while (e < n && p[e] != ']')
			e++;
		if (e == n)
			return false;
		a.host = mm_slice(p + b + 2, e - b - 2);
	}
	if (!dec_is_ip(a.host.p, a.host.n))
		return false;
	act(x, A_REVERSE, O_UNKNOWN, C_NETWORK);
	set_source(x, a);
	return true;
}

/* "SSH: Server;Ltype: Version;Remote: ADDR-PORT;…" (a patched sshd seen in
 * fail2ban gh-864): no event, but the address is remembered. */
static void remember(struct sx *x, struct addr a)
{
	uint64_t key = conn_key(x->ev);
	if (!x->st || !key || !a.host.p || a.host.n >= sizeof(x->st->slots[0].ip))
		return;
	struct slot *s = &x->st->slots[key % SSHD_SLOTS];
	s->key = key;
	s->ipn = (uint8_t)a.host.n;
	memcpy(s->ip, a.host.p, a.host.n);
	s->portn = 0;
	if (a.port.p && a.port.n < sizeof(s->port)) {
		s->portn = (uint8_t)a.port.n;
		memcpy(s->port, a.port.p, a.port.n);
	}
}

static void recall(struct sx *x)
{
	uint64_t key = conn_key(x->ev);
	if (!x->st || !key || !x->ctx->arena)
		return;
	struct slot *s = &x->st->slots[key % SSHD_SLOTS];
	if (s->key != key)
		return;
	struct mm_slice ip = mm_slice_dup(x->ctx->arena, mm_slice(s->ip, s->ipn));
	if (!ip.p)
		return;
	struct addr a = {ip, MM_SLICE_NULL};
	if (s->portn) {
		a.port = mm_slice_dup(x->ctx->arena, mm_slice(s->port, s->portn));
	}
	set_source(x, a);
	x->copied = true;
}

static bool m_ssh_remote(struct sx *x, const char *p, size_t n, size_t i)
{
	size_t r = DEC_FIND(p, n, i, ";Remote: ");
	if (r == n)
		return false;
	size_t s = r + 9, e = s;
	while (e < n && p[e] != ';')
		e++;
	size_t d = e;
	while (d > s && p[d - 1] != '-')
		d--;
	if (d <= s + 1)
		return false;
	struct addr a = {mm_slice(p + s, d - 1 - s), mm_slice(p + d, e - d)};
	if (dec_is_ip(a.host.p, a.host.n))
		remember(x, a);
	return false; /* not an event of its own */
}

static bool dispatch(struct sx *x, const char *p, size_t n)
{
	switch (p[0]) {
	case 'A':
		if (DEC_AT(p, n, 0, "Accepted "))
			return m_login(x, p, n, 9, true);
		if (DEC_AT(p, n, 0, "Address "))
			return m_reverse(x, p, n, 8, true);
		break;
	case 'B':
		/* "Bad protocol version identification 'X' from ADDR port P" */
		if (DEC_AT(p, n, 0, "Bad protocol version identification"))
			return m_from(x, p, n, 35, A_NO_IDENT, O_FAILURE, C_NETWORK);
		break;
	case 'b':
		/* "banner exchange: Connection from ADDR port P: invalid format" */
		if (DEC_AT(p, n, 0, "banner exchange: "))
			return m_conn_from(x, p, n, 17, A_NO_IDENT);
		break;
	case 'C':
		if (DEC_AT(p, n, 0, "Connection closed by ") || DEC_AT(p, n, 0, "Connection reset by ")) {
			size_t i = p[11] == 'c' ? 21 : 20;
			return m_conn_closed(x, p, n, i);
		}
		if (DEC_AT(p, n, 0, "Connection from "))
			return m_connection_from(x, p, n, 16);
		/* "Close session: user U from ADDR port P id N" (sftp subsystem) */
		if (DEC_AT(p, n, 0, "Close session: user ")) {
			size_t k = DEC_FIND(p, n, 20, " from ");
			if (k == n)
				return false;
			size_t e = k + 6;
			while (e < n && p[e] != ' ')
				e++;
			struct addr a = {mm_slice(p + k + 6, e - k - 6), MM_SLICE_NULL};
			if (!addr_ok(a.host.p, a.host.n))
				return false;
			if (DEC_AT(p, n, e, " port ")) {
				size_t s = e + 6, q = s;
				while (q < n && dec_digit(p[q]))
					q++;
				a.port = mm_slice(p + s, q - s);
			}
			act(x, A_SESSION_CLOSE, O_SUCCESS, C_SESSION);
			set_user(x, p + 20, k - 20);
			set_source(x, a);
			return true;
		}
		break;
	case 'D':
		if (DEC_AT(p, n, 0, "Disconnected from "))
			return m_disconnected(x, p, n, 18);
		if (DEC_AT(p, n, 0, "Disconnecting"))
			return m_disconnecting(x, p, n, 13);
		/* "Did not receive identification string from ADDR[ port P]" */
		if (DEC_AT(p, n, 0, "Did not receive identification string"))
			return m_from(x, p, n, 37, A_NO_IDENT, O_FAILURE, C_NETWORK);
		break;
	case 'F':
		if (DEC_AT(p, n, 0, "Failed "))
			return m_login(x, p, n, 7, false);
		break;
	case 'I':
		if (DEC_AT(p, n, 0, "Invalid user ") || DEC_AT(p, n, 0, "Illegal user "))
			return m_invalid_user(x, p, n, 13);
		break;
	case 'M':
		/* "Magic value check failed (N) on obfuscated handshake from ADDR
		 * port P" (obfuscated-ssh builds, CrowdSec sshd-logs) */
		if (DEC_AT(p, n, 0, "Magic value check failed"))
			return m_from(x, p, n, 24, A_PROTOCOL, O_FAILURE, C_NETWORK);
		break;
	case 'P':
		if (DEC_AT(p, n, 0, "PAM"))
			return m_pam_text(x, p, n, 0);
		break;
	case 'R':
		if (DEC_AT(p, n, 0, "Received disconnect from "))
			return m_received_disconnect(x, p, n, 25);
		/* "ROOT LOGIN REFUSED FROM ADDR[ port P]" (PermitRootLogin no) */
		if (DEC_AT(p, n, 0, "ROOT LOGIN REFUSED FROM ")) {
			struct addr a;
			size_t e = 23;
			/* reuse the strict tail check on " FROM " */
			if (!from_tail(p, n, e + 1, &a))
				return false;
			act(x, A_NOT_ALLOWED, O_FAILURE, C_AUTH);
			set_source(x, a);
			return true;
		}
		/* "Read from socket failed: Connection reset by peer [preauth]" */
		if (DEC_AT(p, n, 0, "Read from socket failed") && ends_preauth(p, n)) {
			act(x, A_CLOSED_PREAUTH, O_FAILURE, C_AUTH);
			return true;
		}
		break;
	case 'S':
		if (DEC_AT(p, n, 0, "SSH: Server;"))
			return m_ssh_remote(x, p, n, 12);
		break;
	case 'T':
		/* "Timeout before authentication for ADDR port P" and
		 * "Timeout before authentication for connection from ADDR to …" */
		if (DEC_AT(p, n, 0, "Timeout before authentication for ")) {
			size_t i = 34;
			if (DEC_AT(p, n, i, "connection from ")) {
				i += 16;
				size_t e = i;
				while (e < n && p[e] != ' ')
					e++;
				struct addr a = {mm_slice(p + i, e - i), MM_SLICE_NULL};
				if (!addr_ok(a.host.p, a.host.n))
					return false;
				act(x, A_TIMEOUT, O_FAILURE, C_NETWORK);
				set_source(x, a);
				return true;
			}
			struct addr a;
			struct mm_slice who;
			if (!by_tail(p, n, i, &a, &who) || who.p)
				return false;
			act(x, A_TIMEOUT, O_FAILURE, C_NETWORK);
			set_source(x, a);
			return true;
		}
		break;
	case 'U':
		if (DEC_AT(p, n, 0, "User "))
			return m_user_not_allowed(x, p, n, 5);
		/* "Unable to negotiate with ADDR port P: no matching X found.
		 * Their offer: …" and "Unable to negotiate a key exchange method" */
		if (DEC_AT(p, n, 0, "Unable to negotiate with ")) {
			size_t i = 25, e = i;
			while (e < n && p[e] != ' ' && !(p[e] == ':' && (e + 1 == n || p[e + 1] == ' ')))
				e++;
			struct addr a = {mm_slice(p + i, e - i), MM_SLICE_NULL};
			if (!addr_ok(a.host.p, a.host.n))
				return false;
			if (DEC_AT(p, n, e, " port ")) {
				size_t s = e + 6, q = s;
				while (q < n && dec_digit(p[q]))
					q++;
				a.port = mm_slice(p + s, q - s);
				e = q;
			}
			act(x, A_NEGOTIATION, O_FAILURE, C_NETWORK);
			if (DEC_AT(p, n, e, ": ")) {
				size_t r = e + 2, re = r;
				while (re < n && p[re] != '.')
					re++;
				dec_set(x->ev, MM_F_EVENT_REASON, p + r, re - r);
			}
			set_source(x, a);
			return true;
		}
		if (DEC_AT(p, n, 0, "Unable to negotiate")) {
			act(x, A_NEGOTIATION, O_FAILURE, C_NETWORK);
			return true;
		}
		break;
	case 'W':
		if (DEC_AT(p, n, 0, "Write failed") && ends_preauth(p, n)) {
			act(x, A_CLOSED_PREAUTH, O_FAILURE, C_AUTH);
			return true;
		}
		break;
	case 'k':
		/* "kex_exchange_identification: client sent invalid protocol
		 * identifier", "…: Connection closed by remote host", "…: read:
		 * Connection reset by peer" (no address on the line) */
		if (DEC_AT(p, n, 0, "kex_exchange_identification: ")) {
			if (DEC_AT(p, n, 29, "banner line too long"))
				return false; /* a local condition, not a client's fault */
			act(x, A_NO_IDENT, O_FAILURE, C_NETWORK);
			dec_set(x->ev, MM_F_EVENT_REASON, p + 29, n - 29);
			return true;
		}
		break;
	case 'm':
		if (DEC_AT(p, n, 0, "maximum authentication attempts exceeded for "))
			return m_max_auth(x, p, n, 45);
		break;
	case 'n':
		/* "no matching mac found: client … server …" (older kex.c) */
		if (DEC_AT(p, n, 0, "no matching ") && DEC_FIND(p, n, 12, " found") != n) {
			act(x, A_NEGOTIATION, O_FAILURE, C_NETWORK);
			return true;
		}
		break;
	case 'p':
		if (DEC_AT(p, n, 0, "pam_"))
			return m_pam_module(x, p, n, 0);
		break;
	case 'r':
		if (DEC_AT(p, n, 0, "refused connect from "))
			return m_refused(x, p, n, 21);
		if (DEC_AT(p, n, 0, "reverse mapping checking getaddrinfo for "))
			return m_reverse(x, p, n, 41, false);
		break;
	case 's':
		/* "ssh_dispatch_run_fatal: Connection from ADDR port P: message
		 * authentication code incorrect [preauth]" */
		if (DEC_AT(p, n, 0, "ssh_dispatch_run_fatal: "))
			return m_conn_from(x, p, n, 24, A_PROTOCOL);
		break;
	default:
		break;
	}
	return false;
}

/* Prefixes in front of the OpenSSH text: log level words ("error: ",
 * "fatal: "), Solaris' "[ID 800047 auth.info] ", and kernel-style
 * "kernel: [  970.69] " junk seen in journal exports. */
static size_t skip_prefixes(const char *p, size_t n)
{
	size_t i = 0;
	for (int round = 0; round < 4; round++) {
		if (DEC_AT(p, n, i, "error: ") || DEC_AT(p, n, i, "fatal: ")) {
			i += 7;
		} else if (DEC_AT(p, n, i, "[ID ")) {
			const char *e = memchr(p + i, ']', n - i);
			if (!e)
				break;
			i = (size_t)(e - p) + 1;
			while (i < n && p[i] == ' ')
				i++;
		} else if (DEC_AT(p, n, i, "kernel:")) {
			i += 7;
			while (i < n && p[i] == ' ')
				i++;
			if (i < n && p[i] == '[') {
				const char *e = memchr(p + i, ']', n - i);
				if (!e)
					break;
				i = (size_t)(e - p) + 1;
				if (i < n && p[i] == ':')
					i++;
				while (i < n && p[i] == ' ')
					i++;
			}
		} else {
			break;
		}
	}
	return i;
}

bool mm__sshd_decode(struct mm_decode_ctx *ctx, struct mm__sshd_state *st, const char *msg,
                     size_t n, struct mm_event *ev)
{
	struct sx x = {ctx, st, ev, false};
	while (n > 0 && (msg[n - 1] == ' ' || msg[n - 1] == '\t'))
		n--;
	size_t i = skip_prefixes(msg, n);
	msg += i;
	n -= i;
	if (n == 0)
		return false;
	if (dispatch(&x, msg, n)) {
		if (mm_slice_eq_cstr(ev->f[MM_F_EVENT_ACTION], A_CONN_OPEN)) {
			struct addr a = {ev->f[MM_F_SOURCE_ADDRESS], ev->f[MM_F_SOURCE_PORT]};
			remember(&x, a);
		} else if (!ev->f[MM_F_SOURCE_ADDRESS].p) {
			recall(&x);
		}
	}
	return x.copied;
}

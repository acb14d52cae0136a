/* mamori — unit tests for the OpenSSH message decoder (src/decode/sshd.c)
 * through the syslog decoder: one row per message shape with the expected
 * action vocabulary (docs/internals/DECODERS.md), plus the per-connection
 * memory that fills source.ip on lines OpenSSH writes without one. */
#include "dec_test.h"

struct row {
	const char *msg;
	const char *action, *outcome, *category;
	const char *user, *ip, *port, *reason, *type;
};

static const struct row rows[] = {
	{"Accepted password for vagrant from 192.168.33.1 port 58803 ssh2", "ssh_login", "success",
	 "authentication", "vagrant", "192.168.33.1", "58803", "password", NULL},
	{"Accepted publickey for git from 2001:db8::7 port 57904 ssh2: ED25519 SHA256:abc/def+g",
	 "ssh_login", "success", "authentication", "git", "2001:db8::7", "57904", "publickey", NULL},
	{"Accepted keyboard-interactive/pam for alice from 10.0.0.5 port 1 ssh2", "ssh_login",
	 "success", "authentication", "alice", "10.0.0.5", "1", "keyboard-interactive/pam", NULL},
	{"Failed password for root from 216.160.83.57 port 29160 ssh2", "ssh_login", "failure",
	 "authentication", "root", "216.160.83.57", "29160", "password", NULL},
	{"Failed password for invalid user admin from 1.2.3.4 port 22 ssh2", "ssh_login", "failure",
	 "authentication", "admin", "1.2.3.4", "22", "password", "invalid_user"},
	{"Failed none for invalid user  from 1.2.3.4 port 22 ssh2", "ssh_login", "failure",
	 "authentication", NULL, "1.2.3.4", "22", "none", "invalid_user"},
	/* one space: the " from " search starts a byte before the name */
	{"Failed password for invalid user from 1.2.3.4 port 22 ssh2", "ssh_login", "failure",
	 "authentication", NULL, "1.2.3.4", "22", "password", "invalid_user"},
	{"error: maximum authentication attempts exceeded for invalid user from 1.2.3.4 port 22 ssh2 "
	 "[preauth]", "max_auth_attempts", "failure", "authentication", NULL, "1.2.3.4", "22",
	 NULL, "invalid_user"},
	{"Failed keyboard-interactive for <invalid username> from 205.186.180.55 port 42742 ssh2",
	 "ssh_login", "failure", "authentication", NULL, "205.186.180.55", "42742",
	 "keyboard-interactive", "invalid_user"},
	{"Failed password for invalid user test from 10.10.1.2 port 55555 ssh2 from 127.0.0.1 port "
	 "58946 ssh2",
	 "ssh_login", "failure", "authentication", "test from 10.10.1.2 port 55555 ssh2", "127.0.0.1",
	 "58946", "password", "invalid_user"},
	{"Failed password for invalid user test from 127.0.0.1 port 58946 ssh2: from 10.10.1.2 port "
	 "55555 ssh2",
	 "ssh_login", "failure", "authentication", "test", "127.0.0.1", "58946", "password",
	 "invalid_user"},
	{"Invalid user webmaster from 173.234.31.186", "invalid_user", "failure", "authentication",
	 "webmaster", "173.234.31.186", NULL, NULL, "invalid_user"},
	{"Invalid user pascal from 35.188.49.176 port 53502", "invalid_user", "failure",
	 "authentication", "pascal", "35.188.49.176", "53502", NULL, "invalid_user"},
	{"Invalid user  from 192.0.2.68 port 34916", "invalid_user", "failure", "authentication",
	 NULL, "192.0.2.68", "34916", NULL, "invalid_user"},
	{"User root from 46.45.128.3 not allowed because listed in DenyUsers", "user_not_allowed",
	 "failure", "authentication", "root", "46.45.128.3", NULL, "listed in DenyUsers", NULL},
	{"User root not allowed because account is locked", "user_not_allowed", "failure",
	 "authentication", "root", NULL, NULL, "account is locked", NULL},
	{"ROOT LOGIN REFUSED FROM ::ffff:1.2.3.4 port 12345 [preauth]", "user_not_allowed",
	 "failure", "authentication", NULL, "1.2.3.4", "12345", NULL, NULL},
	{"error: maximum authentication attempts exceeded for invalid user xxx from 192.0.2.7 port "
	 "49941 ssh2 [preauth]",
	 "max_auth_attempts", "failure", "authentication", "xxx", "192.0.2.7", "49941", NULL,
	 "invalid_user"},
	{"Disconnecting authenticating user root 192.0.2.8 port 4: Too many authentication failures "
	 "[preauth]",
	 "max_auth_attempts", "failure", "authentication", "root", "192.0.2.8", "4",
	 "Too many authentication failures", NULL},
	{"Disconnecting: Too many authentication failures for git [preauth]", "max_auth_attempts",
	 "failure", "authentication", "git", NULL, NULL, "Too many authentication failures for git",
	 NULL},
	{"Disconnecting invalid user admin 192.0.2.117 port 44004: Change of username or service "
	 "not allowed: (admin,ssh-connection) -> (user,ssh-connection) [preauth]",
	 "disconnect_preauth", "failure", "authentication", "admin", "192.0.2.117", "44004",
	 "Change of username or service not allowed: (admin,ssh-connection) -> (user,ssh-connection)",
	 "invalid_user"},
	{"pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= "
	 "rhost=5.33.63.160 user=workshop",
	 "pam_auth_failure", "failure", "authentication", "workshop", "5.33.63.160", NULL, NULL, NULL},
	{"pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser=rda "
	 "rhost=192.0.2.113 [preauth]",
	 "pam_auth_failure", "failure", "authentication", NULL, "192.0.2.113", NULL, NULL, NULL},
	{"PAM 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=1.2.3.4  "
	 "user=root",
	 "pam_auth_failure", "failure", "authentication", "root", "1.2.3.4", NULL, NULL, NULL},
	{"error: PAM: Authentication failure for stefanor from example.com", "pam_auth_failure",
	 "failure", "authentication", "stefanor", NULL, NULL, NULL, NULL},
	{"error: PAM: authentication error for james from 205.186.180.88 via 192.168.1.201",
	 "pam_auth_failure", "failure", "authentication", "james", "205.186.180.88", NULL, NULL, NULL},
	{"Connection closed by authenticating user root 206.81.24.125 port 45362 [preauth]",
	 "connection_closed_preauth", "failure", "authentication", "root", "206.81.24.125", "45362",
	 NULL, NULL},
	{"Connection reset by authenticating user root 80.94.92.63 port 49115 [preauth]",
	 "connection_closed_preauth", "failure", "authentication", "root", "80.94.92.63", "49115",
	 NULL, NULL},
	{"Connection closed by invalid user root 206.81.24.125 port 45362 [preauth]",
	 "connection_closed_preauth", "failure", "authentication", "root", "206.81.24.125", "45362",
	 NULL, "invalid_user"},
	{"Connection closed by 118.27.24.104 port 33594 [preauth]", "connection_closed_preauth",
	 "failure", "authentication", NULL, "118.27.24.104", "33594", NULL, NULL},
	{"Connection closed by authenticating user test 127.0.0.1 port 12345 192.0.2.11 port 46039 "
	 "[preauth]",
	 "connection_closed_preauth", "failure", "authentication", "test 127.0.0.1 port 12345",
	 "192.0.2.11", "46039", NULL, NULL},
	{"Connection closed by 192.0.2.5", "connection_closed", "unknown", "network", NULL,
	 "192.0.2.5", NULL, NULL, NULL},
	{"fatal: Read from socket failed: Connection reset by peer [preauth]",
	 "connection_closed_preauth", "failure", "authentication", NULL, NULL, NULL, NULL, NULL},
	{"Disconnected from authenticating user ftp 92.255.85.135 port 26138 [preauth]",
	 "disconnect_preauth", "failure", "authentication", "ftp", "92.255.85.135", "26138", NULL,
	 NULL},
	{"Disconnected from invalid user ftp 92.255.85.135 port 26138 [preauth]", "disconnect_preauth",
	 "failure", "authentication", "ftp", "92.255.85.135", "26138", NULL, "invalid_user"},
	{"Disconnected from 192.0.2.4 port 36985 [preauth]", "disconnect_preauth", "failure",
	 "authentication", NULL, "192.0.2.4", "36985", NULL, NULL},
	{"Disconnected from user bob 10.0.0.2 port 5000", "disconnect", "unknown", "session", "bob",
	 "10.0.0.2", "5000", NULL, NULL},
	{"Received disconnect from 198.51.100.76 port 58846:11: Bye Bye [preauth]",
	 "disconnect_preauth", "failure", "authentication", NULL, "198.51.100.76", "58846", "Bye Bye",
	 NULL},
	{"error: Received disconnect from 198.51.100.34: 11: Bye Bye [preauth]", "disconnect_preauth",
	 "failure", "authentication", NULL, "198.51.100.34", NULL, "Bye Bye", NULL},
	{"Received disconnect from 89.24.13.192: 3: com.jcraft.jsch.JSchException: Auth fail",
	 "disconnect_preauth", "failure", "authentication", NULL, "89.24.13.192", NULL,
	 "com.jcraft.jsch.JSchException: Auth fail", NULL},
	{"Received disconnect from 10.0.0.2 port 5000:11: disconnected by user", "disconnect",
	 "unknown", "session", NULL, "10.0.0.2", "5000", "disconnected by user", NULL},
	{"Did not receive identification string from 2.125.160.217", "no_identification", "failure",
	 "network", NULL, "2.125.160.217", NULL, NULL, NULL},
	{"Did not receive identification string from 192.0.2.5 port 35836", "no_identification",
	 "failure", "network", NULL, "192.0.2.5", "35836", NULL, NULL},
	{"banner exchange: Connection from 192.0.2.12 port 44105: invalid format", "no_identification",
	 "failure", "network", NULL, "192.0.2.12", "44105", "invalid format", NULL},
	{"Bad protocol version identification 'dummy string' from 192.0.2.1' from 69.61.56.115 port "
	 "31778",
	 "no_identification", "failure", "network", NULL, "69.61.56.115", "31778", NULL, NULL},
	{"error: kex_exchange_identification: Connection closed by remote host", "no_identification",
	 "failure", "network", NULL, NULL, NULL, "Connection closed by remote host", NULL},
	{"Unable to negotiate with 123.57.135.134 port 45626: no matching key exchange method found. "
	 "Their offer: diffie-hellman-group14-sha1 [preauth]",
	 "negotiation_failed", "failure", "network", NULL, "123.57.135.134", "45626",
	 "no matching key exchange method found", NULL},
	{"fatal: Unable to negotiate a key exchange method [preauth]", "negotiation_failed", "failure",
	 "network", NULL, NULL, NULL, NULL, NULL},
	{"ssh_dispatch_run_fatal: Connection from 192.168.9.213 port 48680: message authentication "
	 "code incorrect [preauth]",
	 "protocol_error", "failure", "network", NULL, "192.168.9.213", "48680",
	 "message authentication code incorrect", NULL},
	{"Magic value check failed (4289475479) on obfuscated handshake from 94.232.46.213 port 62730",
	 "protocol_error", "failure", "network", NULL, "94.232.46.213", "62730", NULL, NULL},
	{"fatal: Timeout before authentication for 192.168.9.212 port 47056", "preauth_timeout",
	 "failure", "network", NULL, "192.168.9.212", "47056", NULL, NULL},
	{"Timeout before authentication for connection from 192.0.2.17 to 127.0.0.1, pid = 29098",
	 "preauth_timeout", "failure", "network", NULL, "192.0.2.17", NULL, NULL, NULL},
	{"refused connect from example.com (192.168.1.1)", "connection_refused", "failure", "network",
	 NULL, "192.168.1.1", NULL, NULL, NULL},
	{"reverse mapping checking getaddrinfo for ns.example.com [173.234.31.186] failed - POSSIBLE "
	 "BREAK-IN ATTEMPT!",
	 "reverse_mapping_failed", "unknown", "network", NULL, "173.234.31.186", NULL, NULL, NULL},
	{"Address 1.2.3.4 maps to 1234.bbbbbb.com, but this does not map back to the address - "
	 "POSSIBLE BREAK-IN ATTEMPT!",
	 "reverse_mapping_failed", "unknown", "network", NULL, "1.2.3.4", NULL, NULL, NULL},
	{"Connection from 192.0.2.10 port 62004 on 192.0.2.20 port 22 rdomain \"\"",
	 "connection_opened", "unknown", "network", NULL, "192.0.2.10", "62004", NULL, NULL},
	{"pam_unix(sshd:session): session opened for user rda by (uid=0)", "session_opened", "success",
	 "session", "rda", NULL, NULL, NULL, NULL},
	{"pam_unix(sshd:session): session opened for user bob(uid=1000) by (uid=0)", "session_opened",
	 "success", "session", "bob", NULL, NULL, NULL, NULL},
	{"pam_unix(sshd:session): session closed for user rda", "session_closed", "success", "session",
	 "rda", NULL, NULL, NULL, NULL},
	{"Close session: user ansible from 192.168.1.1 port 34928 id 0", "session_closed", "success",
	 "session", "ansible", "192.168.1.1", "34928", NULL, NULL},
	/* Solaris and journal prefixes */
	{"[ID 800047 auth.info] Failed keyboard-interactive for james from 205.186.180.30 port 54520 "
	 "ssh2",
	 "ssh_login", "failure", "authentication", "james", "205.186.180.30", "54520",
	 "keyboard-interactive", NULL},
	{"kernel: [  970.699397] Failed password for user admin from 192.0.2.10 port 42745 ssh2",
	 "ssh_login", "failure", "authentication", "user admin", "192.0.2.10", "42745", "password",
	 NULL},
	/* known, no action */
	{"Postponed publickey for git from 192.0.2.1 port 57904 ssh2 [preauth]", NULL, NULL, NULL,
	 NULL, NULL, NULL, NULL, NULL},
	{"input_userauth_request: invalid user root [preauth]", NULL, NULL, NULL, NULL, NULL, NULL,
	 NULL, NULL},
	{"error: kex_exchange_identification: banner line too long", NULL, NULL, NULL, NULL, NULL,
	 NULL, NULL, NULL},
	{"Server listening on 0.0.0.0 port 22.", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL},
	{"Failed password for root from not-an-address! port 1 ssh2", NULL, NULL, NULL, NULL, NULL,
	 NULL, NULL, NULL},
	{"", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL},
};

static void check(struct dt *t, enum mm_field_id id, const char *want, const char *msg)
{
	const char *got = dt_f(t, id);
	if (!want && got)
		fail_msg("%s: %s = '%s', want absent", msg, mm_field_name(id), got);
	if (want && (!got || strcmp(got, want) != 0))
		fail_msg("%s: %s = '%s', want '%s'", msg, mm_field_name(id), got ? got : "(absent)",
		         want);
}

static void t_table(void **state)
{
	struct dt t;
	dt_init(&t, "syslog");
	char line[1024];
	for (size_t i = 0; i < MM_ARRAY_LEN(rows); i++) {
		const struct row *r = &rows[i];
		/* each row gets its own pid so the connection memory stays out */
		snprintf(line, sizeof(line), "Feb  1 10:00:00 host sshd[%zu]: %s", 1000 + i, r->msg);
		assert_int_equal(dt_decode(&t, line), MM_DEC_OK);
		check(&t, MM_F_EVENT_ACTION, r->action, r->msg);
		check(&t, MM_F_EVENT_OUTCOME, r->outcome, r->msg);
		check(&t, MM_F_EVENT_CATEGORY, r->category, r->msg);
		check(&t, MM_F_USER_NAME, r->user, r->msg);
		if (r->ip || !r->action)
			check(&t, MM_F_SOURCE_IP, r->ip, r->msg);
		check(&t, MM_F_SOURCE_PORT, r->port, r->msg);
		check(&t, MM_F_EVENT_REASON, r->reason, r->msg);
		check(&t, MM_F_EVENT_TYPE, r->type, r->msg);
		assert_string_equal(t.ev.dataset, "linux.sshd");
		assert_true(mm_event_in_logsource(&t.ev, "linux", NULL, "sshd"));
		if (r->action)
			assert_false(t.ev.flags & MM_EV_VERBATIM);
		else
			assert_true(t.ev.flags & MM_EV_VERBATIM);
	}
	dt_free(&t);
}

static void t_hostname_source(void **state)
{
	struct dt t;
	dt_init(&t, "syslog");
	assert_int_equal(dt_decode(&t, "Feb 25 14:34:11 belka sshd[31607]: User root from example.com "
	                               "not allowed because not listed in AllowUsers"),
	                 MM_DEC_OK);
	assert_no_field(&t, MM_F_SOURCE_IP);
	assert_field(&t, MM_F_SOURCE_ADDRESS, "example.com");
	assert_field(&t, MM_F_SOURCE_DOMAIN, "example.com");
	assert_int_equal(dt_decode(&t, "Nov 11 23:33:27 Server sshd[5174]: refused connect from "
	                               "_U2FsdGVkX19P3BCJmFBHhjLza8BcMH06WCUVwttMHpE=_@::ffff:"
	                               "218.249.210.161 (::ffff:218.249.210.161)"),
	                 MM_DEC_OK);
	assert_field(&t, MM_F_SOURCE_IP, "218.249.210.161");
	dt_free(&t);
}

static void t_connection_memory(void **state)
{
	struct dt t;
	dt_init(&t, "syslog");
	assert_non_null(t.ctx.state);
	assert_int_equal(dt_decode(&t, "Feb 12 04:09:18 h1 sshd[26713]: Connection from 115.249.163.77 "
	                               "port 51353 on 127.0.0.1 port 22"),
	                 MM_DEC_OK);
	assert_field(&t, MM_F_DESTINATION_IP, "127.0.0.1");
	assert_field(&t, MM_F_DESTINATION_PORT, "22");
	/* same host and pid: the address comes back, copied into the arena */
	assert_int_equal(dt_decode(&t, "Feb 12 04:09:21 h1 sshd[26713]: Disconnecting: Too many "
	                               "authentication failures [preauth]"),
	                 MM_DEC_OK);
	assert_field(&t, MM_F_EVENT_ACTION, "max_auth_attempts");
	assert_field(&t, MM_F_SOURCE_IP, "115.249.163.77");
	assert_field(&t, MM_F_SOURCE_PORT, "51353");
	assert_false(dt_in_raw(&t, t.ev.f[MM_F_SOURCE_IP]));
	/* other pid, other host: nothing */
	assert_int_equal(dt_decode(&t, "Feb 12 04:09:21 h1 sshd[26714]: Disconnecting: Too many "
	                               "authentication failures [preauth]"),
	                 MM_DEC_OK);
	assert_no_field(&t, MM_F_SOURCE_IP);
	assert_int_equal(dt_decode(&t, "Feb 12 04:09:21 h2 sshd[26713]: Disconnecting: Too many "
	                               "authentication failures [preauth]"),
	                 MM_DEC_OK);
	assert_no_field(&t, MM_F_SOURCE_IP);
	/* the patched-sshd "SSH: Server;…;Remote: IP-PORT;" form */
	assert_int_equal(dt_decode(&t, "Nov 24 23:46:39 host sshd[32686]: SSH: Server;Ltype: "
	                               "Version;Remote: 127.0.0.1-1780;Protocol: 2.0"),
	                 MM_DEC_OK);
	assert_no_field(&t, MM_F_EVENT_ACTION);
	assert_int_equal(dt_decode(&t, "Nov 24 23:46:43 host sshd[32686]: fatal: Read from socket "
	                               "failed: Connection reset by peer [preauth]"),
	                 MM_DEC_OK);
	assert_field(&t, MM_F_SOURCE_IP, "127.0.0.1");
	assert_field(&t, MM_F_SOURCE_PORT, "1780");
	/* a line that has its own address is not overridden */
	assert_int_equal(dt_decode(&t, "Feb 12 04:09:22 h1 sshd[26713]: Connection closed by 9.9.9.9 "
	                               "port 1 [preauth]"),
	                 MM_DEC_OK);
	assert_field(&t, MM_F_SOURCE_IP, "9.9.9.9");
	/* a full arena: the recall is skipped, the event still decodes */
	struct mm_arena *tiny = mm_arena_new(16, 16);
	assert_non_null(mm_arena_alloc(tiny, 16));
	t.ctx.arena = tiny;
	assert_int_equal(dt_decode(&t, "Feb 12 04:09:21 h1 sshd[26713]: Disconnecting: Too many "
	                               "authentication failures [preauth]"),
	                 MM_DEC_OK);
	assert_no_field(&t, MM_F_SOURCE_IP);
	assert_field(&t, MM_F_EVENT_ACTION, "max_auth_attempts");
	t.ctx.arena = t.arena;
	mm_arena_free(tiny);
	dt_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_table),
		cmocka_unit_test(t_hostname_source),
		cmocka_unit_test(t_connection_memory),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test-detect-bruteforce.c
 * Many connections from one source to one login service (the service
 * table's: ssh, rdp ..., not smtp or http), in an exact sliding window;
 * the rest of each counted connection belongs to the episode. Every
 * threshold is set here (not the defaults), and the expected counts
 * follow from it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "detect-harness.h"
#include "packet-builder.h"

#define ATTACKER "198.51.100.66"
#define SERVER   "203.0.113.20"

/* The rules under test. */
#define ATTEMPTS  8         /* bruteforce_attempts */
#define WINDOW_MS 28000     /* bruteforce_window */
#define SLOW      5         /* bruteforce_slow_attempts: failed attempts */
#define SLOW_WINDOW_MS 600000   /* bruteforce_slow_window */
#define TRACKERS  1000      /* max_trackers: room for every pair here */
/* Attempts this far apart: ATTEMPTS of them span the window exactly. */
#define EDGE_GAP_MS (WINDOW_MS / (ATTEMPTS - 1))

static detect_harness_t *harness(void)
{
    ntt_detect_config_t c;

    ntt_detect_config_init(&c);
    c.bruteforce_attempts = ATTEMPTS;
    c.bruteforce_window_ns = MS(WINDOW_MS);
    c.bruteforce_slow_attempts = SLOW;
    c.bruteforce_slow_window_ns = MS(SLOW_WINDOW_MS);
    c.max_trackers = TRACKERS;
    return harness_new(&ntt_detect_bruteforce_ops, &c);
}

/* n connections to port, one every gap_ms (from 0), each SYN then
 * SYN-ACK: the k-th SYN (from 1) is frame 2k - 1. */
static detect_harness_t *connect_n(int n, uint16_t port, int64_t gap_ms)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;

    for (int i = 0; i < n; i++) {
        ntt_packet_t syn = tcp4(frame++, MS(i * gap_ms), ATTACKER, (uint16_t)(40000 + i),
                                SERVER, port, NTT_TCP_SYN, 1, 0);
        ntt_packet_t synack = tcp4(frame++, MS(i * gap_ms + 1), SERVER, port,
                                   ATTACKER, (uint16_t)(40000 + i),
                                   NTT_TCP_SYN | NTT_TCP_ACK, 5, 0);

        harness_feed(h, &syn);
        harness_feed(h, &synack);
    }
    return h;
}

static void ssh_connections_raise_at_the_bruteforce_attempts_th(void **state)
{
    detect_harness_t *h = connect_n(ATTEMPTS + 5, 22, 1200);
    const recorded_mark_t *r;

    (void)state;
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_BRUTEFORCE), 1);
    r = harness_raise(h, NTT_EPISODE_BRUTEFORCE, 0);
    assert_int_equal(r->frame, 2 * ATTEMPTS - 1);     /* the ATTEMPTS-th SYN */
    assert_int_equal(r->mark.info.detail.bruteforce.attempts, ATTEMPTS);
    assert_int_equal(r->mark.info.port, 22);
    assert_int_equal(r->mark.info.first_frame, 1);
    harness_free(h);
}

static void one_attempt_fewer_does_not(void **state)
{
    detect_harness_t *h = connect_n(ATTEMPTS - 1, 22, 1000);

    (void)state;
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_TYPE_COUNT), 0);
    harness_free(h);
}

static void another_login_service_of_the_table_counts(void **state)
{
    /* rdp 3389, as docs/detectors.md lists the login services. */
    detect_harness_t *h = connect_n(ATTEMPTS, 3389, 1000);

    (void)state;
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_BRUTEFORCE), 1);
    assert_int_equal(harness_raise(h, NTT_EPISODE_BRUTEFORCE, 0)->mark.info.port, 3389);
    harness_free(h);
}

static void the_same_burst_to_smtp_or_http_is_nothing(void **state)
{
    static const uint16_t not_logins[] = { 25, 80 };

    (void)state;
    /* Five times the attempts, fast: a mail relay, a browser. */
    for (size_t i = 0; i < sizeof not_logins / sizeof not_logins[0]; i++) {
        detect_harness_t *h = connect_n(5 * ATTEMPTS, not_logins[i], 100);

        assert_int_equal(harness_raise_count(h, NTT_EPISODE_TYPE_COUNT), 0);
        assert_int_equal(harness_marks(h)->len, 0);
        harness_free(h);
    }
}

static void attempts_spanning_just_over_the_window_do_not(void **state)
{
    detect_harness_t *edge = connect_n(ATTEMPTS, 22, EDGE_GAP_MS);
    detect_harness_t *over = connect_n(5 * ATTEMPTS, 22, EDGE_GAP_MS + 1);

    (void)state;
    assert_int_equal((ATTEMPTS - 1) * EDGE_GAP_MS, WINDOW_MS);
    /* The window is exact: ATTEMPTS attempts spanning it, to the
     * millisecond, raise; one millisecond more apart, never. */
    assert_int_equal(harness_raise_count(edge, NTT_EPISODE_BRUTEFORCE), 1);
    assert_int_equal(harness_raise_count(over, NTT_EPISODE_TYPE_COUNT), 0);
    harness_free(edge);
    harness_free(over);
}

static bool frame_is_marked(const detect_harness_t *h, uint32_t frame)
{
    const GArray *marks = harness_marks(h);

    for (guint i = 0; i < marks->len; i++) {
        if (g_array_index(marks, recorded_mark_t, i).frame == frame)
            return true;
    }
    return false;
}

static void an_attempts_connection_is_marked_a_midstream_one_is_not(void **state)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;
    uint32_t midstream[2 * ATTEMPTS];
    unsigned n_midstream = 0;
    const recorded_mark_t *r;

    (void)state;
    /* ATTEMPTS ssh logins, each a handshake, a password and its answer;
     * between them, the same pair's connection that was already open
     * when the capture began (it has no SYN here): its packets are not
     * an attempt's and never the episode's. */
    for (int i = 0; i < ATTEMPTS; i++) {
        uint16_t sport = (uint16_t)(40000 + i);
        int64_t t = MS(i * 1000);
        ntt_packet_t login[5] = {
            tcp4(0, t, ATTACKER, sport, SERVER, 22, NTT_TCP_SYN, 1, 0),
            tcp4(0, t + 100000, SERVER, 22, ATTACKER, sport, NTT_TCP_SYN | NTT_TCP_ACK, 5, 0),
            tcp4(0, t + 200000, ATTACKER, sport, SERVER, 22, NTT_TCP_ACK, 2, 0),
            tcp4(0, t + 300000, ATTACKER, sport, SERVER, 22, NTT_TCP_ACK | NTT_TCP_PSH, 2, 64),
            tcp4(0, t + 400000, SERVER, 22, ATTACKER, sport, NTT_TCP_ACK | NTT_TCP_PSH, 6, 48),
        };
        ntt_packet_t old[2] = {
            tcp4(0, t + 500000, ATTACKER, 39999, SERVER, 22, NTT_TCP_ACK | NTT_TCP_PSH,
                 1000 + (uint32_t)i, 64),
            tcp4(0, t + 600000, SERVER, 22, ATTACKER, 39999, NTT_TCP_ACK | NTT_TCP_PSH,
                 2000 + (uint32_t)i, 48),
        };

        for (int k = 0; k < 5; k++) {
            login[k].frame = frame++;
            harness_feed(h, &login[k]);
        }
        for (int k = 0; k < 2; k++) {
            old[k].frame = frame++;
            midstream[n_midstream++] = old[k].frame;
            harness_feed(h, &old[k]);
        }
    }
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_BRUTEFORCE), 1);
    r = harness_raise(h, NTT_EPISODE_BRUTEFORCE, 0);
    assert_int_equal(r->frame, 7 * (ATTEMPTS - 1) + 1);   /* the last SYN */
    /* Every packet of the logins, answers included, before the raise
     * and after it. */
    assert_int_equal(harness_frames_of_token(h, r->mark.token), 5 * ATTEMPTS);
    for (unsigned i = 0; i < n_midstream; i++)
        assert_false(frame_is_marked(h, midstream[i]));
    harness_free(h);
}

static void udp_and_pings_to_the_login_host_are_not_attempts(void **state)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;

    (void)state;
    /* Five times the attempts as UDP to port 22 and pings, in a second. */
    for (int i = 0; i < 5 * ATTEMPTS; i++) {
        ntt_packet_t udp = udp4(frame++, MS(i * 10), ATTACKER, (uint16_t)(40000 + i),
                                SERVER, 22, 40);
        ntt_packet_t echo = icmp4(frame++, MS(i * 10 + 1), ATTACKER, SERVER, 8, 0,
                                  (uint16_t)i);

        harness_feed(h, &udp);
        harness_feed(h, &echo);
    }
    assert_int_equal(harness_marks(h)->len, 0);
    harness_free(h);
}

/* ------------------------------------------------------ slow horizon -- */

/* How a connection to a login service goes, as the wire shows it. */
typedef enum {
    SSH_REFUSED,     /* key exchange, a few passwords refused, closed: 0.4 s */
    SSH_SESSION,     /* key exchange, login, a shell's output: 40 s, 60 KB */
    SSH_LONG_IDLE,   /* refused-sized but open 5 minutes (an idle session) */
    SSH_PORT_CHECK,  /* connect and close, no key exchange (monitoring) */
} ssh_shape_t;

/* One SSH connection at t_ms from sport, fed through h: handshake, the
 * server's banner and key exchange (about 1.5 KB back), then the shape's
 * exchange, then the client's FIN and the server's (a guessing tool closes
 * first once the server has refused the last password, as hydra does).
 * Returns the closing packet's frame. */
static uint32_t ssh_connection(detect_harness_t *h, uint32_t *frame, int64_t t_ms,
                               uint16_t sport, ssh_shape_t shape)
{
    int64_t t = MS(t_ms);
    int64_t end = shape == SSH_SESSION ? MS(40000) : shape == SSH_LONG_IDLE ? MS(300000)
                                                                            : MS(400);
    ntt_packet_t p;
    int rounds = shape == SSH_SESSION ? 60 : shape == SSH_PORT_CHECK ? 0 : 6;

#define FEED(pkt) do { p = (pkt); p.frame = (*frame)++; harness_feed(h, &p); } while (0)
    FEED(tcp4(0, t, ATTACKER, sport, SERVER, 22, NTT_TCP_SYN, 1, 0));
    FEED(tcp4(0, t + 100000, SERVER, 22, ATTACKER, sport, NTT_TCP_SYN | NTT_TCP_ACK, 5, 0));
    FEED(tcp4(0, t + 200000, ATTACKER, sport, SERVER, 22, NTT_TCP_ACK, 2, 0));
    if (shape != SSH_PORT_CHECK) {
        FEED(tcp4(0, t + MS(1), SERVER, 22, ATTACKER, sport, NTT_TCP_ACK | NTT_TCP_PSH, 6, 41));
        FEED(tcp4(0, t + MS(2), ATTACKER, sport, SERVER, 22, NTT_TCP_ACK | NTT_TCP_PSH, 3, 900));
        FEED(tcp4(0, t + MS(3), SERVER, 22, ATTACKER, sport, NTT_TCP_ACK | NTT_TCP_PSH, 7, 1088));
    }
    for (int i = 0; i < rounds; i++) {
        int64_t at = t + MS(10) + (end - MS(20)) * i / rounds;

        FEED(tcp4(0, at, ATTACKER, sport, SERVER, 22, NTT_TCP_ACK | NTT_TCP_PSH, 4, 76));
        FEED(tcp4(0, at + MS(1), SERVER, 22, ATTACKER, sport, NTT_TCP_ACK | NTT_TCP_PSH, 8,
                  shape == SSH_SESSION ? 1000 : 52));
    }
    FEED(tcp4(0, t + end - MS(2), ATTACKER, sport, SERVER, 22, NTT_TCP_ACK | NTT_TCP_FIN, 5, 0));
    FEED(tcp4(0, t + end - MS(1), SERVER, 22, ATTACKER, sport, NTT_TCP_ACK | NTT_TCP_FIN, 9, 0));
    FEED(tcp4(0, t + end, ATTACKER, sport, SERVER, 22, NTT_TCP_ACK, 6, 0));
#undef FEED
    return *frame - 2;     /* the server's FIN: both FINs seen, closed */
}

/* n SSH connections of a shape, one every gap_ms; the frame that closed
 * the k-th (from 0) in closes[k]. */
static detect_harness_t *ssh_n(int n, int64_t gap_ms, ssh_shape_t shape, uint32_t *closes)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;

    for (int i = 0; i < n; i++) {
        uint32_t c = ssh_connection(h, &frame, i * gap_ms, (uint16_t)(41000 + i), shape);

        if (closes)
            closes[i] = c;
    }
    return h;
}

static void slow_refused_ssh_connections_raise_at_the_slow_attempts_th(void **state)
{
    uint32_t closes[SLOW + 3];
    /* 20 s apart: never ATTEMPTS within WINDOW_MS, the fast rule is quiet. */
    detect_harness_t *h = ssh_n(SLOW + 3, 20000, SSH_REFUSED, closes);
    const recorded_mark_t *r;
    const GArray *marks = harness_marks(h);

    (void)state;
    assert_true((ATTEMPTS - 1) * 20000 > WINDOW_MS);
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_BRUTEFORCE), 1);
    r = harness_raise(h, NTT_EPISODE_BRUTEFORCE, 0);
    assert_int_equal(r->frame, closes[SLOW - 1]);     /* judged at its close */
    assert_int_equal(r->mark.info.detail.bruteforce.attempts, SLOW);
    assert_int_equal(r->mark.info.port, 22);
    assert_int_equal(r->mark.info.first_frame, 1);
    /* Attempts over the whole episode: every connection. */
    assert_int_equal(g_array_index(marks, recorded_mark_t, marks->len - 1)
                         .mark.info.detail.bruteforce.attempts, SLOW + 3);
    harness_free(h);
}

static void one_refused_connection_fewer_does_not(void **state)
{
    detect_harness_t *h = ssh_n(SLOW - 1, 20000, SSH_REFUSED, NULL);

    (void)state;
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_TYPE_COUNT), 0);
    harness_free(h);
}

static void refused_connections_spread_past_the_slow_window_do_not(void **state)
{
    /* SLOW failures span the slow window and 1 ms more, 3 times over. */
    int64_t gap = SLOW_WINDOW_MS / (SLOW - 1) + 1;
    detect_harness_t *edge = ssh_n(SLOW, SLOW_WINDOW_MS / (SLOW - 1), SSH_REFUSED, NULL);
    detect_harness_t *over = ssh_n(3 * SLOW, gap, SSH_REFUSED, NULL);

    (void)state;
    assert_int_equal(harness_raise_count(edge, NTT_EPISODE_BRUTEFORCE), 1);
    assert_int_equal(harness_raise_count(over, NTT_EPISODE_TYPE_COUNT), 0);
    harness_free(edge);
    harness_free(over);
}

static void sessions_idle_sessions_and_port_checks_are_no_failures(void **state)
{
    static const ssh_shape_t ordinary[] = { SSH_SESSION, SSH_LONG_IDLE, SSH_PORT_CHECK };

    (void)state;
    /* Three times the slow attempts of each, one a minute: a person's
     * shell sessions, sessions left open, a monitor checking the port. */
    for (size_t i = 0; i < sizeof ordinary / sizeof ordinary[0]; i++) {
        detect_harness_t *h = ssh_n(3 * SLOW, 60000, ordinary[i], NULL);

        assert_int_equal(harness_raise_count(h, NTT_EPISODE_TYPE_COUNT), 0);
        harness_free(h);
    }
}

static void a_few_mistyped_passwords_then_a_session_are_nothing(void **state)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;

    (void)state;
    for (int i = 0; i < SLOW - 1; i++)
        ssh_connection(h, &frame, i * 5000, (uint16_t)(42000 + i), SSH_REFUSED);
    ssh_connection(h, &frame, SLOW * 5000, 42100, SSH_SESSION);
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_TYPE_COUNT), 0);
    harness_free(h);
}

/* An FTP reply from the server: its payload's first bytes are the code. */
static ntt_packet_t ftp_reply(uint32_t frame, int64_t ts, uint16_t cport, const char *text)
{
    ntt_packet_t p = tcp4(frame, ts, SERVER, 21, ATTACKER, cport, NTT_TCP_ACK | NTT_TCP_PSH,
                          9, (uint32_t)strlen(text));

    p.payload_head_len = (uint8_t)MIN(strlen(text), sizeof p.payload_head);
    memcpy(p.payload_head, text, p.payload_head_len);
    return p;
}

/* An FTP login at t_ms from cport: banner, then `passwords` USER/PASS
 * pairs each answered by reply (the final one's), then QUIT, 221, and
 * the server's close. */
static void ftp_login(detect_harness_t *h, uint32_t *frame, int64_t t_ms, uint16_t cport,
                      int passwords, const char *reply)
{
    int64_t t = MS(t_ms);
    ntt_packet_t p;

#define FEED(pkt) do { p = (pkt); p.frame = (*frame)++; harness_feed(h, &p); } while (0)
    FEED(tcp4(0, t, ATTACKER, cport, SERVER, 21, NTT_TCP_SYN, 1, 0));
    FEED(tcp4(0, t + 100000, SERVER, 21, ATTACKER, cport, NTT_TCP_SYN | NTT_TCP_ACK, 5, 0));
    FEED(tcp4(0, t + 200000, ATTACKER, cport, SERVER, 21, NTT_TCP_ACK, 2, 0));
    FEED(ftp_reply(0, t + MS(1), cport, "220 (vsFTPd 3.0.3)\r\n"));
    for (int i = 0; i < passwords; i++) {
        int64_t at = t + MS(10 + 1100 * i);

        FEED(tcp4(0, at, ATTACKER, cport, SERVER, 21, NTT_TCP_ACK | NTT_TCP_PSH, 3, 12));
        FEED(ftp_reply(0, at + MS(1), cport, "331 Please specify the password.\r\n"));
        FEED(tcp4(0, at + MS(2), ATTACKER, cport, SERVER, 21, NTT_TCP_ACK | NTT_TCP_PSH, 4, 14));
        FEED(ftp_reply(0, at + MS(1002), cport, reply));
    }
    t += MS(10 + 1100 * passwords);
    FEED(tcp4(0, t, ATTACKER, cport, SERVER, 21, NTT_TCP_ACK | NTT_TCP_PSH, 5, 6));
    FEED(ftp_reply(0, t + MS(1), cport, "221 Goodbye.\r\n"));
    FEED(tcp4(0, t + MS(1), SERVER, 21, ATTACKER, cport, NTT_TCP_ACK | NTT_TCP_FIN, 10, 0));
    FEED(tcp4(0, t + MS(2), ATTACKER, cport, SERVER, 21, NTT_TCP_ACK | NTT_TCP_FIN, 6, 0));
    FEED(tcp4(0, t + MS(3), SERVER, 21, ATTACKER, cport, NTT_TCP_ACK, 11, 0));
#undef FEED
}

static void each_ftp_530_is_a_failed_attempt(void **state)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;
    const recorded_mark_t *r;
    const GArray *marks;

    (void)state;
    /* Two connections 30 s apart, three refused passwords each: SLOW (5)
     * failures by the second connection's second 530. */
    ftp_login(h, &frame, 0, 43000, 3, "530 Login incorrect.\r\n");
    ftp_login(h, &frame, 30000, 43001, 3, "530 Login incorrect.\r\n");
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_BRUTEFORCE), 1);
    r = harness_raise(h, NTT_EPISODE_BRUTEFORCE, 0);
    assert_int_equal(r->mark.info.port, 21);
    assert_int_equal(r->mark.info.detail.bruteforce.attempts, SLOW);
    marks = harness_marks(h);
    /* Six passwords tried: six attempts, not two connections. */
    assert_int_equal(g_array_index(marks, recorded_mark_t, marks->len - 1)
                         .mark.info.detail.bruteforce.attempts, 6);
    harness_free(h);
}

static void ftp_logins_that_succeed_are_nothing(void **state)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;

    (void)state;
    /* Three times the slow attempts, a minute apart, each accepted (230)
     * and closed by the server after QUIT, the way every FTP session
     * ends: the server's close is no refusal. */
    for (int i = 0; i < 3 * SLOW; i++)
        ftp_login(h, &frame, i * 60000, (uint16_t)(43100 + i), 1, "230 Login successful.\r\n");
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_TYPE_COUNT), 0);
    harness_free(h);
}

static void imap_polling_every_minute_is_nothing(void **state)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;

    (void)state;
    /* A mail client's poll, once a minute for half an hour: greeting,
     * LOGIN, SELECT, LOGOUT, BYE and the server's close; short and small
     * like a refused login, but IMAP's replies are not read and the
     * server closes every IMAP session, so its close is no sign. */
    for (int i = 0; i < 30; i++) {
        int64_t t = MS(i * 60000);
        uint16_t cport = (uint16_t)(44000 + i);
        ntt_packet_t pk[] = {
            tcp4(0, t, ATTACKER, cport, SERVER, 143, NTT_TCP_SYN, 1, 0),
            tcp4(0, t + 100000, SERVER, 143, ATTACKER, cport, NTT_TCP_SYN | NTT_TCP_ACK, 5, 0),
            tcp4(0, t + 200000, ATTACKER, cport, SERVER, 143, NTT_TCP_ACK, 2, 0),
            tcp4(0, t + MS(1), SERVER, 143, ATTACKER, cport, NTT_TCP_ACK | NTT_TCP_PSH, 6, 90),
            tcp4(0, t + MS(2), ATTACKER, cport, SERVER, 143, NTT_TCP_ACK | NTT_TCP_PSH, 3, 40),
            tcp4(0, t + MS(30), SERVER, 143, ATTACKER, cport, NTT_TCP_ACK | NTT_TCP_PSH, 7, 60),
            tcp4(0, t + MS(31), ATTACKER, cport, SERVER, 143, NTT_TCP_ACK | NTT_TCP_PSH, 4, 20),
            tcp4(0, t + MS(32), SERVER, 143, ATTACKER, cport, NTT_TCP_ACK | NTT_TCP_PSH, 8, 400),
            tcp4(0, t + MS(33), ATTACKER, cport, SERVER, 143, NTT_TCP_ACK | NTT_TCP_PSH, 5, 12),
            tcp4(0, t + MS(34), SERVER, 143, ATTACKER, cport, NTT_TCP_ACK | NTT_TCP_PSH, 9, 60),
            tcp4(0, t + MS(34), SERVER, 143, ATTACKER, cport, NTT_TCP_ACK | NTT_TCP_FIN, 10, 0),
            tcp4(0, t + MS(35), ATTACKER, cport, SERVER, 143, NTT_TCP_ACK | NTT_TCP_FIN, 6, 0),
            tcp4(0, t + MS(36), SERVER, 143, ATTACKER, cport, NTT_TCP_ACK, 11, 0),
        };

        for (size_t k = 0; k < sizeof pk / sizeof pk[0]; k++) {
            pk[k].frame = frame++;
            harness_feed(h, &pk[k]);
        }
    }
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_TYPE_COUNT), 0);
    harness_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ssh_connections_raise_at_the_bruteforce_attempts_th),
        cmocka_unit_test(one_attempt_fewer_does_not),
        cmocka_unit_test(another_login_service_of_the_table_counts),
        cmocka_unit_test(the_same_burst_to_smtp_or_http_is_nothing),
        cmocka_unit_test(attempts_spanning_just_over_the_window_do_not),
        cmocka_unit_test(an_attempts_connection_is_marked_a_midstream_one_is_not),
        cmocka_unit_test(udp_and_pings_to_the_login_host_are_not_attempts),
        cmocka_unit_test(slow_refused_ssh_connections_raise_at_the_slow_attempts_th),
        cmocka_unit_test(one_refused_connection_fewer_does_not),
        cmocka_unit_test(refused_connections_spread_past_the_slow_window_do_not),
        cmocka_unit_test(sessions_idle_sessions_and_port_checks_are_no_failures),
        cmocka_unit_test(a_few_mistyped_passwords_then_a_session_are_nothing),
        cmocka_unit_test(each_ftp_530_is_a_failed_attempt),
        cmocka_unit_test(ftp_logins_that_succeed_are_nothing),
        cmocka_unit_test(imap_polling_every_minute_is_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

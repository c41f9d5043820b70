/* test-conn-state.c
 * The Zeek connection states, one handshake story each.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "flow/conn-state.h"

#define O NTT_DIR_ORIG
#define R NTT_DIR_RESP
enum { SYN = NTT_TCP_SYN, ACK = NTT_TCP_ACK, FIN = NTT_TCP_FIN,
       RST = NTT_TCP_RST, PSH = NTT_TCP_PSH, URG = NTT_TCP_URG };

typedef struct { ntt_dir_t dir; uint16_t flags; uint32_t len; } seg_t;

static ntt_conn_state_t run(const seg_t *segs, size_t n)
{
    ntt_tcp_tracker_t t = { 0 };

    for (size_t i = 0; i < n; i++)
        ntt_tcp_track(&t, segs[i].dir, segs[i].flags, segs[i].len);
    return ntt_tcp_conn_state(&t);
}

#define RUN(...) ({ const seg_t s_[] = { __VA_ARGS__ }; \
                    run(s_, sizeof s_ / sizeof s_[0]); })

static void test_syn_only_is_s0(void **state)
{
    (void)state;
    assert_int_equal(RUN({O, SYN, 0}), NTT_STATE_S0);
    assert_int_equal(RUN({O, SYN, 0}, {O, SYN, 0}), NTT_STATE_S0);
}

static void test_synack_establishes(void **state)
{
    (void)state;
    assert_int_equal(RUN({O, SYN, 0}, {R, SYN | ACK, 0}), NTT_STATE_S1);
    assert_int_equal(RUN({O, SYN, 0}, {R, SYN | ACK, 0}, {O, ACK, 0},
                         {O, PSH | ACK, 100}), NTT_STATE_S1);
}

static void test_normal_close_is_sf(void **state)
{
    (void)state;
    assert_int_equal(RUN({O, SYN, 0}, {R, SYN | ACK, 0}, {O, ACK, 0},
                         {O, PSH | ACK, 100}, {R, ACK, 0},
                         {O, FIN | ACK, 0}, {R, FIN | ACK, 0}, {O, ACK, 0}),
                     NTT_STATE_SF);
}

static void test_half_closes(void **state)
{
    (void)state;
    assert_int_equal(RUN({O, SYN, 0}, {R, SYN | ACK, 0}, {O, ACK, 0},
                         {O, FIN | ACK, 0}), NTT_STATE_S2);
    assert_int_equal(RUN({O, SYN, 0}, {R, SYN | ACK, 0}, {O, ACK, 0},
                         {R, FIN | ACK, 0}), NTT_STATE_S3);
}

static void test_rst_answer_is_rej(void **state)
{
    (void)state;
    /* A closed port: nmap -sS, or connect() refused. */
    assert_int_equal(RUN({O, SYN, 0}, {R, RST | ACK, 0}), NTT_STATE_REJ);
}

static void test_resets_after_establishment(void **state)
{
    (void)state;
    /* An open port under nmap -sS: SYN, SYN-ACK, RST from the scanner. */
    assert_int_equal(RUN({O, SYN, 0}, {R, SYN | ACK, 0}, {O, RST, 0}),
                     NTT_STATE_RSTO);
    assert_int_equal(RUN({O, SYN, 0}, {R, SYN | ACK, 0}, {O, ACK, 0},
                         {O, PSH | ACK, 10}, {R, RST, 0}), NTT_STATE_RSTR);
}

static void test_syn_then_rst_is_rstos0(void **state)
{
    (void)state;
    assert_int_equal(RUN({O, SYN, 0}, {O, RST, 0}), NTT_STATE_RSTOS0);
}

static void test_syn_then_fin_is_sh(void **state)
{
    (void)state;
    assert_int_equal(RUN({O, SYN, 0}, {O, FIN, 0}), NTT_STATE_SH);
    /* SYN and FIN in one segment (a flags anomaly) too. */
    assert_int_equal(RUN({O, SYN | FIN, 0}), NTT_STATE_SH);
}

static void test_midstream_is_oth(void **state)
{
    (void)state;
    assert_int_equal(RUN({O, PSH | ACK, 100}, {R, ACK, 0}), NTT_STATE_OTH);
}

static void test_xmas_probe_answered_by_rst(void **state)
{
    (void)state;
    /* FIN/PSH/URG to a closed port: the probe closes the originator, the
     * answer resets the responder. */
    assert_int_equal(RUN({O, FIN | PSH | URG, 0}, {R, RST | ACK, 0}),
                     NTT_STATE_RSTR);
}

static void test_finished(void **state)
{
    ntt_tcp_tracker_t t = { 0 };

    (void)state;
    ntt_tcp_track(&t, O, SYN, 0);
    assert_false(ntt_tcp_finished(&t));
    ntt_tcp_track(&t, R, RST | ACK, 0);
    assert_true(ntt_tcp_finished(&t));
}

static void test_datagram_states(void **state)
{
    (void)state;
    assert_int_equal(ntt_datagram_conn_state(1, 0), NTT_STATE_S0);
    assert_int_equal(ntt_datagram_conn_state(3, 2), NTT_STATE_SF);
    assert_string_equal(ntt_conn_state_name(NTT_STATE_RSTOS0), "RSTOS0");
    assert_string_equal(ntt_conn_state_name(NTT_STATE_NONE), "");
    assert_string_equal(ntt_conn_state_name((ntt_conn_state_t)200), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_syn_only_is_s0),
        cmocka_unit_test(test_synack_establishes),
        cmocka_unit_test(test_normal_close_is_sf),
        cmocka_unit_test(test_half_closes),
        cmocka_unit_test(test_rst_answer_is_rej),
        cmocka_unit_test(test_resets_after_establishment),
        cmocka_unit_test(test_syn_then_rst_is_rstos0),
        cmocka_unit_test(test_syn_then_fin_is_sh),
        cmocka_unit_test(test_midstream_is_oth),
        cmocka_unit_test(test_xmas_probe_answered_by_rst),
        cmocka_unit_test(test_finished),
        cmocka_unit_test(test_datagram_states),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

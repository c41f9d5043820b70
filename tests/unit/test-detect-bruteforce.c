/* test-detect-bruteforce.c
 * Many connections from one source to one authentication service, in an
 * exact sliding window.
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

/* n connections to port, one every gap_ms, each SYN then SYN-ACK. */
static detect_harness_t *connect_n(int n, uint16_t port, int64_t gap_ms)
{
    ntt_detect_config_t c;
    detect_harness_t *h;
    uint32_t frame = 1;

    ntt_detect_config_init(&c);
    h = harness_new(&ntt_detect_bruteforce_ops, &c);
    for (int i = 0; i < n; i++) {
        ntt_packet_t syn = tcp4(frame++, MS(i * gap_ms), "198.51.100.66", (uint16_t)(40000 + i),
                                "203.0.113.20", port, NTT_TCP_SYN, 1, 0);
        ntt_packet_t synack = tcp4(frame++, MS(i * gap_ms + 1), "203.0.113.20", port,
                                   "198.51.100.66", (uint16_t)(40000 + i),
                                   NTT_TCP_SYN | NTT_TCP_ACK, 5, 0);

        harness_feed(h, &syn);
        harness_feed(h, &synack);
    }
    return h;
}

static void twenty_ssh_connections_raise_at_the_twentieth(void **state)
{
    detect_harness_t *h = connect_n(25, 22, 1200);
    const recorded_mark_t *r;

    (void)state;
    assert_int_equal(harness_raise_count(h, NTT_ALERT_BRUTEFORCE), 1);
    r = harness_raise(h, NTT_ALERT_BRUTEFORCE, 0);
    assert_int_equal(r->frame, 39);              /* the 20th SYN */
    assert_int_equal(r->mark.info.detail.bruteforce.attempts, 20);
    assert_int_equal(r->mark.info.port, 22);
    assert_int_equal(r->mark.info.first_frame, 1);
    harness_free(h);
}

static void nineteen_do_not(void **state)
{
    detect_harness_t *h = connect_n(19, 22, 1000);

    (void)state;
    assert_int_equal(harness_raise_count(h, NTT_ALERT_TYPE_COUNT), 0);
    harness_free(h);
}

static void web_connections_do_not(void **state)
{
    detect_harness_t *h = connect_n(100, 80, 100);

    (void)state;
    assert_int_equal(harness_raise_count(h, NTT_ALERT_TYPE_COUNT), 0);
    harness_free(h);
}

static void attempts_beyond_the_window_do_not(void **state)
{
    /* One every 4 s: 20 span 76 s, over the 60 s window. */
    detect_harness_t *h = connect_n(40, 22, 4000);

    (void)state;
    assert_int_equal(harness_raise_count(h, NTT_ALERT_TYPE_COUNT), 0);
    harness_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(twenty_ssh_connections_raise_at_the_twentieth),
        cmocka_unit_test(nineteen_do_not),
        cmocka_unit_test(web_connections_do_not),
        cmocka_unit_test(attempts_beyond_the_window_do_not),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

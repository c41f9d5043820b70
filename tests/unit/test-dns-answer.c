/* test-dns-answer.c
 * The DNS answer reader on messages written out by hand, byte by byte,
 * after RFC 1035 4.1: what it must read, and what it must not.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ntt/dns-answer.h"
#include "packet-builder.h"

/* Header of a standard query response, no error, RD RA: 0x8180. */
#define RESPONSE(qd, an) 0x12, 0x34, 0x81, 0x80, 0, (qd), 0, (an), 0, 0, 0, 0
/* The question "www.example.com" A IN, at offset 12. */
#define QUESTION 3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', \
                 3, 'c', 'o', 'm', 0, 0, 1, 0, 1
/* An answer's name: a pointer to the question's name. */
#define NAME_PTR 0xc0, 12
#define A_RR(a, b, c, d) NAME_PTR, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4, (a), (b), (c), (d)

static void check_v4(const ntt_resolved_t *r, const char *text)
{
    ntt_addr_t want = addr4(text);

    assert_int_equal(r->ip_version, 4);
    assert_memory_equal(r->addr.bytes, want.bytes, 16);
}

static void reads_a_and_aaaa_after_a_cname_in_order(void **state)
{
    /* www.example.com CNAME web.example.com (written as "web" + a pointer
     * to "example.com"), then its A and AAAA. */
    static const uint8_t msg[] = {
        RESPONSE(1, 3), QUESTION,
        NAME_PTR, 0, 5, 0, 1, 0, 0, 0, 60, 0, 6, 3, 'w', 'e', 'b', 0xc0, 16,
        0xc0, 45, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 203, 0, 113, 7,
        0xc0, 45, 0, 28, 0, 1, 0, 0, 0, 60, 0, 16,
        0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x42,
    };
    ntt_resolved_t out[4];
    ntt_addr_t v6 = addr6("2001:db8::42");

    (void)state;
    assert_int_equal(msg[45], 3);          /* "web" is where the pointers say */
    assert_int_equal(ntt_dns_answers_read(msg, sizeof msg, out, 4), 2);
    check_v4(&out[0], "203.0.113.7");
    assert_int_equal(out[1].ip_version, 6);
    assert_memory_equal(out[1].addr.bytes, v6.bytes, 16);
}

static void a_query_gives_nothing(void **state)
{
    uint8_t msg[] = { RESPONSE(1, 1), QUESTION, A_RR(192, 0, 2, 1) };
    ntt_resolved_t out[4];

    (void)state;
    assert_int_equal(ntt_dns_answers_read(msg, sizeof msg, out, 4), 1);
    msg[2] &= 0x7f;                         /* QR clear: a query */
    assert_int_equal(ntt_dns_answers_read(msg, sizeof msg, out, 4), 0);
    msg[2] = 0x80 | (5 << 3);               /* opcode UPDATE */
    assert_int_equal(ntt_dns_answers_read(msg, sizeof msg, out, 4), 0);
}

static void a_cut_message_gives_the_answers_before_the_cut(void **state)
{
    static const uint8_t msg[] = {
        RESPONSE(1, 2), QUESTION, A_RR(192, 0, 2, 1), A_RR(192, 0, 2, 2),
    };
    ntt_resolved_t out[4];

    (void)state;
    /* Every length from nothing to the whole message, under ASan. */
    for (size_t len = 0; len < sizeof msg; len++) {
        unsigned n = ntt_dns_answers_read(msg, len, out, 4);

        if (len < 12 + 21 + 16)
            assert_int_equal(n, 0);
        else
            assert_int_equal(n, 1);
    }
    assert_int_equal(ntt_dns_answers_read(msg, sizeof msg, out, 4), 2);
    check_v4(&out[1], "192.0.2.2");
}

static void other_records_and_odd_lengths_are_skipped(void **state)
{
    static const uint8_t msg[] = {
        RESPONSE(1, 4), QUESTION,
        /* A in class CH, an A of 5 bytes, an MX, then a good A. */
        NAME_PTR, 0, 1, 0, 3, 0, 0, 0, 60, 0, 4, 10, 0, 0, 1,
        NAME_PTR, 0, 1, 0, 1, 0, 0, 0, 60, 0, 5, 10, 0, 0, 2, 9,
        NAME_PTR, 0, 15, 0, 1, 0, 0, 0, 60, 0, 4, 0, 10, 0xc0, 12,
        A_RR(198, 51, 100, 9),
    };
    ntt_resolved_t out[4];

    (void)state;
    assert_int_equal(ntt_dns_answers_read(msg, sizeof msg, out, 4), 1);
    check_v4(&out[0], "198.51.100.9");
}

static void at_most_max_are_read(void **state)
{
    static const uint8_t msg[] = {
        RESPONSE(1, 3), QUESTION, A_RR(192, 0, 2, 1), A_RR(192, 0, 2, 2),
        A_RR(192, 0, 2, 3),
    };
    ntt_resolved_t out[2];

    (void)state;
    assert_int_equal(ntt_dns_answers_read(msg, sizeof msg, out, 2), 2);
    check_v4(&out[1], "192.0.2.2");
}

static void names_are_skipped_not_followed(void **state)
{
    /* The question's name is a pointer to itself (a loop if followed);
     * skipping reads two bytes and goes on. A reserved label kind (0x40)
     * ends the reading. */
    uint8_t msg[] = {
        RESPONSE(1, 1), 0xc0, 12, 0, 1, 0, 1, A_RR(192, 0, 2, 77),
    };
    ntt_resolved_t out[4];

    (void)state;
    assert_int_equal(ntt_dns_answers_read(msg, sizeof msg, out, 4), 1);
    check_v4(&out[0], "192.0.2.77");
    msg[12] = 0x40;
    assert_int_equal(ntt_dns_answers_read(msg, sizeof msg, out, 4), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_a_and_aaaa_after_a_cname_in_order),
        cmocka_unit_test(a_query_gives_nothing),
        cmocka_unit_test(a_cut_message_gives_the_answers_before_the_cut),
        cmocka_unit_test(other_records_and_odd_lengths_are_skipped),
        cmocka_unit_test(at_most_max_are_read),
        cmocka_unit_test(names_are_skipped_not_followed),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

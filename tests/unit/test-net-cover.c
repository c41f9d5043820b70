/* test-net-cover.c
 * The swept range: the smallest network covering every host added (the
 * values worked out by hand from the addresses' bits), never wider than a
 * /16 or /48, and the prefix length read back from CIDR text.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "track/net-cover.h"

static ntt_addr_t addr(const char *text, uint8_t version)
{
    ntt_addr_t a;

    memset(&a, 0, sizeof a);
    assert_int_equal(inet_pton(version == 6 ? AF_INET6 : AF_INET, text, a.bytes), 1);
    return a;
}

static const char *cover_of(const char *const *hosts, uint8_t version)
{
    static char buf[NTT_EPISODE_NET_SIZE];
    ntt_net_cover_t cover;

    memset(&cover, 0, sizeof cover);
    for (; *hosts; hosts++) {
        ntt_addr_t a = addr(*hosts, version);

        ntt_net_cover_add(&cover, &a, version);
    }
    return ntt_net_cover_text(&cover, buf);
}

static void covers_the_hosts_added(void **state)
{
    static const char *const one[] = { "10.0.0.7", NULL };
    /* 10.0.0.0 and 10.0.0.255 differ in bit 24: a /24 */
    static const char *const ends[] = { "10.0.0.128", "10.0.0.0", "10.0.0.255", NULL };
    /* .1 .2 .254: 00000001, 00000010, 11111110 share nothing: /24 */
    static const char *const three[] = { "10.0.0.1", "10.0.0.2", "10.0.0.254", NULL };
    /* 192.0.2.64 - .127: 01xxxxxx, a /26 */
    static const char *const quarter[] = { "192.0.2.64", "192.0.2.100", "192.0.2.127", NULL };
    /* 246.237.103.5 and .90: 00000101 and 01011010, first bit shared: /25 */
    static const char *const half[] = { "246.237.103.5", "246.237.103.90", NULL };
    /* third octets 16 and 31: 0001xxxx, a /20 (a bit not on a byte edge) */
    static const char *const twenty[] = { "172.16.16.1", "172.16.31.200", NULL };

    (void)state;
    assert_string_equal(cover_of(one, 4), "10.0.0.7/32");
    assert_string_equal(cover_of(ends, 4), "10.0.0.0/24");
    assert_string_equal(cover_of(three, 4), "10.0.0.0/24");
    assert_string_equal(cover_of(quarter, 4), "192.0.2.64/26");
    assert_string_equal(cover_of(half, 4), "246.237.103.0/25");
    assert_string_equal(cover_of(twenty, 4), "172.16.16.0/20");
}

static void never_wider_than_a_slash_16_or_48(void **state)
{
    static const char *const wide[] = { "10.1.2.3", "10.200.0.1", "11.0.0.1", NULL };
    static const char *const wide6[] = { "2001:db8:1::1", "2001:db9::1", NULL };
    static const char *const ula6[] = { "2001:db8:0:1::5", "2001:db8:0:2::9", NULL };

    (void)state;
    assert_string_equal(cover_of(wide, 4), "10.1.0.0/16");
    assert_string_equal(cover_of(wide6, 6), "2001:db8:1::/48");
    /* ...:0001:: and ...:0002:: share 62 bits */
    assert_string_equal(cover_of(ula6, 6), "2001:db8::/62");
}

static void other_family_and_empty(void **state)
{
    char buf[NTT_EPISODE_NET_SIZE];
    ntt_net_cover_t cover;
    ntt_addr_t v4 = addr("10.0.0.1", 4), v6 = addr("::1", 6);

    (void)state;
    memset(&cover, 0, sizeof cover);
    assert_string_equal(ntt_net_cover_text(&cover, buf), "");
    ntt_net_cover_add(&cover, &v4, 4);
    ntt_net_cover_add(&cover, &v6, 6);
    assert_string_equal(ntt_net_cover_text(&cover, buf), "10.0.0.1/32");
}

static void said_only_when_it_widens(void **state)
{
    char buf[NTT_EPISODE_NET_SIZE];
    ntt_net_cover_t cover;
    ntt_addr_t a = addr("10.0.0.1", 4), b = addr("10.0.0.2", 4), c = addr("10.0.0.3", 4),
               far = addr("10.9.0.1", 4), farther = addr("200.0.0.1", 4);

    (void)state;
    memset(&cover, 0, sizeof cover);
    assert_string_equal(ntt_net_cover_say(&cover, buf), "");        /* nothing yet */
    ntt_net_cover_add(&cover, &a, 4);
    ntt_net_cover_add(&cover, &b, 4);
    assert_string_equal(ntt_net_cover_say(&cover, buf), "10.0.0.0/30");
    assert_string_equal(ntt_net_cover_say(&cover, buf), "");        /* said */
    ntt_net_cover_add(&cover, &c, 4);                                /* still /30 */
    assert_string_equal(ntt_net_cover_say(&cover, buf), "");
    ntt_net_cover_add(&cover, &far, 4);
    assert_string_equal(ntt_net_cover_say(&cover, buf), "10.0.0.0/16");
    /* wider than a /16 is shown as the /16: nothing new to say, ever */
    ntt_net_cover_add(&cover, &farther, 4);
    assert_string_equal(ntt_net_cover_say(&cover, buf), "");
    assert_string_equal(ntt_net_cover_text(&cover, buf), "10.0.0.0/16");
}

static void prefix_length_of_text(void **state)
{
    (void)state;
    assert_int_equal(ntt_net_text_bits("10.0.0.0/24"), 24);
    assert_int_equal(ntt_net_text_bits("2001:db8::/48"), 48);
    assert_int_equal(ntt_net_text_bits(""), -1);
    assert_int_equal(ntt_net_text_bits("10.0.0.0"), -1);
    assert_int_equal(ntt_net_text_bits("10.0.0.0/"), -1);
    assert_int_equal(ntt_net_text_bits("10.0.0.0/24x"), -1);
    assert_int_equal(ntt_net_text_bits("10.0.0.0/129"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(covers_the_hosts_added),
        cmocka_unit_test(never_wider_than_a_slash_16_or_48),
        cmocka_unit_test(other_family_and_empty),
        cmocka_unit_test(said_only_when_it_widens),
        cmocka_unit_test(prefix_length_of_text),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

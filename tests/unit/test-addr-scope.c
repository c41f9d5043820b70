/* test-addr-scope.c
 * Address scopes after IANA's special-purpose registries: the first and
 * last address of every range, and the addresses just outside them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "ntt/addr-scope.h"
#include "ntt/packet.h"

typedef struct scope_case {
    const char      *address;
    ntt_addr_scope_t scope;
} scope_case_t;

#define G  NTT_SCOPE_GLOBAL
#define P  NTT_SCOPE_PRIVATE
#define L  NTT_SCOPE_LOOPBACK
#define LL NTT_SCOPE_LINK_LOCAL
#define M  NTT_SCOPE_MULTICAST
#define D  NTT_SCOPE_DOCUMENTATION
#define R  NTT_SCOPE_RESERVED

static ntt_addr_scope_t scope_of(const char *text)
{
    ntt_addr_t addr;
    memset(&addr, 0, sizeof addr);
    if (strchr(text, ':') != NULL) {
        assert_int_equal(inet_pton(AF_INET6, text, addr.bytes), 1);
        return ntt_addr_scope(&addr, 6);
    }
    assert_int_equal(inet_pton(AF_INET, text, addr.bytes), 1);
    return ntt_addr_scope(&addr, 4);
}

static void check_cases(const scope_case_t *cases, size_t count)
{
    int failures = 0;

    for (size_t i = 0; i < count; i++) {
        ntt_addr_scope_t got = scope_of(cases[i].address);
        if (got != cases[i].scope) {
            print_error("%s: got %s, expected %s\n", cases[i].address,
                        ntt_addr_scope_name(got),
                        ntt_addr_scope_name(cases[i].scope));
            failures++;
        }
    }
    assert_int_equal(failures, 0);
}

static void test_ipv4_edges(void **state)
{
    (void)state;
    static const scope_case_t cases[] = {
        /* 0/8 this network */
        { "0.0.0.0", R }, { "0.255.255.255", R }, { "1.0.0.0", G },
        /* 10/8 */
        { "9.255.255.255", G }, { "10.0.0.0", P }, { "10.255.255.255", P }, { "11.0.0.0", G },
        /* 100.64/10 shared (CGN) */
        { "100.63.255.255", G }, { "100.64.0.0", P }, { "100.127.255.255", P }, { "100.128.0.0", G },
        /* 127/8 */
        { "126.255.255.255", G }, { "127.0.0.0", L }, { "127.0.0.1", L },
        { "127.255.255.255", L }, { "128.0.0.0", G },
        /* 169.254/16 */
        { "169.253.255.255", G }, { "169.254.0.0", LL }, { "169.254.255.255", LL }, { "169.255.0.0", G },
        /* 172.16/12 */
        { "172.15.255.255", G }, { "172.16.0.0", P }, { "172.31.255.255", P }, { "172.32.0.0", G },
        /* 192.0.0/24 IETF protocol assignments, with the two global anycasts */
        { "191.255.255.255", G }, { "192.0.0.0", R }, { "192.0.0.8", R }, { "192.0.0.9", G },
        { "192.0.0.10", G }, { "192.0.0.11", R }, { "192.0.0.255", R }, { "192.0.1.0", G },
        /* 192.0.2/24 TEST-NET-1 */
        { "192.0.1.255", G }, { "192.0.2.0", D }, { "192.0.2.255", D }, { "192.0.3.0", G },
        /* 192.88.99/24 deprecated 6to4 relays */
        { "192.88.98.255", G }, { "192.88.99.0", R }, { "192.88.99.255", R }, { "192.88.100.0", G },
        /* 192.168/16 */
        { "192.167.255.255", G }, { "192.168.0.0", P }, { "192.168.255.255", P }, { "192.169.0.0", G },
        /* 198.18/15 benchmarking */
        { "198.17.255.255", G }, { "198.18.0.0", R }, { "198.19.255.255", R }, { "198.20.0.0", G },
        /* 198.51.100/24 TEST-NET-2 */
        { "198.51.99.255", G }, { "198.51.100.0", D }, { "198.51.100.255", D }, { "198.51.101.0", G },
        /* 203.0.113/24 TEST-NET-3 */
        { "203.0.112.255", G }, { "203.0.113.0", D }, { "203.0.113.255", D }, { "203.0.114.0", G },
        /* 224/4 multicast, 240/4 future use, limited broadcast */
        { "223.255.255.255", G }, { "224.0.0.0", M }, { "239.255.255.255", M },
        { "240.0.0.0", R }, { "255.255.255.254", R }, { "255.255.255.255", R },
        /* Ordinary public addresses, AS112 and AMT */
        { "8.8.8.8", G }, { "81.2.69.142", G }, { "192.31.196.1", G },
        { "192.52.193.1", G }, { "192.175.48.1", G },
    };
    check_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_ipv6_edges(void **state)
{
    (void)state;
    static const scope_case_t cases[] = {
        /* ::, ::1 and the reserved ::/8 around them */
        { "::", R }, { "::1", L }, { "::2", R }, { "::192.0.2.1", R },
        /* ::ffff:0:0/96: what the embedded IPv4 address is */
        { "::ffff:0.0.0.0", R }, { "::ffff:8.8.8.8", G }, { "::ffff:10.1.2.3", P },
        { "::ffff:127.0.0.1", L }, { "::ffff:169.254.1.1", LL }, { "::ffff:192.0.2.10", D },
        { "::ffff:224.0.0.1", M }, { "::ffff:255.255.255.255", R },
        { "::fffe:ffff:ffff", R }, { "::1:0:0:0", R },
        /* 64:ff9b::/96 NAT64, global; 64:ff9b:1::/48 local-use */
        { "64:ff9a:ffff:ffff:ffff:ffff:ffff:ffff", R }, { "64:ff9b::", G },
        { "64:ff9b::ffff:ffff", G }, { "64:ff9b::1:0:0", R },
        { "64:ff9b:1::", P }, { "64:ff9b:1:ffff:ffff:ffff:ffff:ffff", P }, { "64:ff9b:2::", R },
        /* 100::/64 discard-only */
        { "ff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", R }, { "100::", R },
        { "100::ffff:ffff:ffff:ffff", R }, { "100:0:0:1::", R },
        /* 2000::/3 global unicast */
        { "1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", R }, { "2000::", G },
        { "2000:ffff:ffff:ffff:ffff:ffff:ffff:ffff", G },
        { "3fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", G }, { "4000::", R },
        /* 2001::/23 IETF protocol assignments, with the global exceptions */
        { "2001::", R }, { "2001:0:ffff::1", R }, { "2001:1::", R }, { "2001:1::1", G },
        { "2001:1::2", G }, { "2001:1::3", G }, { "2001:1::4", R }, { "2001:2::", R },
        { "2001:2:ffff::", R }, { "2001:3::", G }, { "2001:3:ffff:ffff:ffff:ffff:ffff:ffff", G },
        { "2001:4::", R }, { "2001:4:112::", G }, { "2001:4:112:ffff:ffff:ffff:ffff:ffff", G },
        { "2001:4:113::", R }, { "2001:1f:ffff:ffff:ffff:ffff:ffff:ffff", R },
        { "2001:20::", G }, { "2001:2f:ffff:ffff:ffff:ffff:ffff:ffff", G },
        { "2001:30::", G }, { "2001:3f:ffff:ffff:ffff:ffff:ffff:ffff", G },
        { "2001:40::", R }, { "2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff", R }, { "2001:200::", G },
        /* 2001:db8::/32 documentation */
        { "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", G }, { "2001:db8::", D },
        { "2001:db8:2::10", D }, { "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", D }, { "2001:db9::", G },
        /* 2002::/16 6to4: routable */
        { "2002::", G }, { "2002:c000:20a::1", G },
        /* 3fff::/20 documentation */
        { "3ffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff", G }, { "3fff::", D },
        { "3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff", D }, { "3fff:1000::", G },
        /* 5f00::/16 SRv6 SIDs */
        { "5eff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", R }, { "5f00::", R },
        /* fc00::/7 unique local */
        { "fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", R }, { "fc00::", P },
        { "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", P }, { "fe00::", R },
        /* fe80::/10 link-local; fec0::/10 deprecated site-local */
        { "fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff", R }, { "fe80::", LL }, { "fe80::1", LL },
        { "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", LL }, { "fec0::", R },
        /* ff00::/8 multicast */
        { "feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", R }, { "ff00::", M }, { "ff02::1", M },
        { "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", M },
        /* Ordinary public addresses */
        { "2001:4860:4860::8888", G }, { "2a00:1450::1", G }, { "2001:480:10::1", G },
    };
    check_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_lab_addresses(void **state)
{
    (void)state;
    /* What the end-to-end captures hold. */
    static const scope_case_t cases[] = {
        { "192.0.2.10", D }, { "198.51.100.66", D }, { "203.0.113.20", D },
        { "203.0.113.80", D }, { "2001:db8:20::20", D }, { "2001:db8:66::66", D },
    };
    check_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_ipv4_ignores_trailing_bytes(void **state)
{
    (void)state;
    ntt_addr_t addr = { { 10, 1, 2, 3, 0xff, 0xff, 0xff, 0xff } };
    assert_int_equal(ntt_addr_scope(&addr, 4), NTT_SCOPE_PRIVATE);
}

static void test_odd_input(void **state)
{
    (void)state;
    ntt_addr_t addr = { { 8, 8, 8, 8 } };
    assert_int_equal(ntt_addr_scope(&addr, 0), NTT_SCOPE_RESERVED);
    assert_int_equal(ntt_addr_scope(&addr, 5), NTT_SCOPE_RESERVED);
    assert_int_equal(ntt_addr_scope(NULL, 4), NTT_SCOPE_RESERVED);
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(ntt_addr_scope_name(NTT_SCOPE_GLOBAL), "global");
    assert_string_equal(ntt_addr_scope_name(NTT_SCOPE_PRIVATE), "private");
    assert_string_equal(ntt_addr_scope_name(NTT_SCOPE_LOOPBACK), "loopback");
    assert_string_equal(ntt_addr_scope_name(NTT_SCOPE_LINK_LOCAL), "link-local");
    assert_string_equal(ntt_addr_scope_name(NTT_SCOPE_MULTICAST), "multicast");
    assert_string_equal(ntt_addr_scope_name(NTT_SCOPE_DOCUMENTATION), "documentation");
    assert_string_equal(ntt_addr_scope_name(NTT_SCOPE_RESERVED), "reserved");
    assert_string_equal(ntt_addr_scope_name(NTT_SCOPE_COUNT), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ipv4_edges),
        cmocka_unit_test(test_ipv6_edges),
        cmocka_unit_test(test_lab_addresses),
        cmocka_unit_test(test_ipv4_ignores_trailing_bytes),
        cmocka_unit_test(test_odd_input),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

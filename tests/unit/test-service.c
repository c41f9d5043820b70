/* test-service.c
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ntt/packet.h"
#include "ntt/service.h"

static const char *name(uint8_t proto, uint16_t orig, uint16_t resp)
{
    return ntt_service_name(ntt_service_classify(proto, orig, resp));
}

static void test_well_known_ports(void **state)
{
    (void)state;
    assert_string_equal(name(NTT_IPPROTO_TCP, 51000, 80), "http");
    assert_string_equal(name(NTT_IPPROTO_TCP, 51000, 443), "https");
    assert_string_equal(name(NTT_IPPROTO_UDP, 51000, 443), "quic");
    assert_string_equal(name(NTT_IPPROTO_UDP, 51000, 53), "dns");
    assert_string_equal(name(NTT_IPPROTO_TCP, 51000, 53), "dns");
    assert_string_equal(name(NTT_IPPROTO_TCP, 51000, 22), "ssh");
    assert_string_equal(name(NTT_IPPROTO_TCP, 51000, 21), "ftp");
    assert_string_equal(name(NTT_IPPROTO_TCP, 51000, 25), "smtp");
    assert_string_equal(name(NTT_IPPROTO_UDP, 123, 123), "ntp");
    assert_string_equal(name(NTT_IPPROTO_UDP, 5353, 5353), "mdns");
    assert_string_equal(name(NTT_IPPROTO_UDP, 546, 547), "dhcpv6");
    assert_string_equal(name(NTT_IPPROTO_UDP, 51000, 51820), "wireguard");
}

static void test_responder_port_wins(void **state)
{
    (void)state;
    /* A client that happens to use source port 22 talking to a web
     * server is web traffic. */
    assert_string_equal(name(NTT_IPPROTO_TCP, 22, 80), "http");
    /* A reply seen without its request still names the service. */
    assert_string_equal(name(NTT_IPPROTO_UDP, 53, 40000), "dns");
}

static void test_unknown(void **state)
{
    (void)state;
    assert_string_equal(name(NTT_IPPROTO_TCP, 40000, 40001), "");
    assert_string_equal(name(NTT_IPPROTO_UDP, 0, 0), "");
    assert_string_equal(name(NTT_IPPROTO_ICMP, 0, 80), "");
    assert_string_equal(name(NTT_IPPROTO_UDP, 40000, 80), "");   /* tcp only */
    assert_string_equal(ntt_service_name(255), "");
}

static void test_names_are_unique_and_lowercase(void **state)
{
    (void)state;
    for (unsigned i = 1; i < ntt_service_count(); i++) {
        const char *a = ntt_service_name((ntt_service_t)i);

        assert_true(strlen(a) > 0);
        for (const char *p = a; *p; p++)
            assert_false(*p >= 'A' && *p <= 'Z');
        for (unsigned j = i + 1; j < ntt_service_count(); j++)
            assert_string_not_equal(a, ntt_service_name((ntt_service_t)j));
    }
}

static ntt_service_t tcp_service(uint16_t port)
{
    return ntt_service_classify(NTT_IPPROTO_TCP, 50000, port);
}

/* The login services and how each shows a refused login: one table. */
static void test_login_services_and_their_refusals(void **state)
{
    (void)state;
    assert_true(ntt_service_is_login(tcp_service(22)));
    assert_true(ntt_service_is_login(tcp_service(21)));
    assert_true(ntt_service_is_login(tcp_service(143)));
    assert_false(ntt_service_is_login(tcp_service(80)));
    assert_false(ntt_service_is_login(NTT_SERVICE_UNKNOWN));
    assert_int_equal(ntt_service_login_refusal(tcp_service(22)), NTT_REFUSAL_SHAPE);
    assert_int_equal(ntt_service_login_refusal(tcp_service(21)), NTT_REFUSAL_REPLY_530);
    /* mail closes every session the same way: no refusal to read */
    assert_int_equal(ntt_service_login_refusal(tcp_service(143)), NTT_REFUSAL_UNSEEN);
    assert_int_equal(ntt_service_login_refusal(tcp_service(80)), NTT_REFUSAL_UNSEEN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_well_known_ports),
        cmocka_unit_test(test_responder_port_wins),
        cmocka_unit_test(test_unknown),
        cmocka_unit_test(test_names_are_unique_and_lowercase),
        cmocka_unit_test(test_login_services_and_their_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

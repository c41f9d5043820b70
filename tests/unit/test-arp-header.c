/* test-arp-header.c
 * The ARP reader: IPv4-over-Ethernet ARP found after the link headers a
 * Wireshark frame can have, read within what was captured, and anything
 * else left alone.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ntt/arp-header.h"

/* who-has 198.51.100.7 tell 198.51.100.66 */
static const uint8_t request[NTT_ARP_HEADER_LEN] = {
    0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01,
    0x02, 0x00, 0x00, 0x00, 0x0a, 0x02, 198, 51, 100, 66,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 198, 51, 100, 7,
};

/* A frame: link header bytes, then the ARP message (and padding). */
static size_t frame_with(uint8_t *out, const uint8_t *link, size_t link_len,
                         const uint8_t *msg, size_t pad)
{
    memcpy(out, link, link_len);
    memcpy(out + link_len, msg, NTT_ARP_HEADER_LEN);
    memset(out + link_len + NTT_ARP_HEADER_LEN, 0, pad);
    return link_len + NTT_ARP_HEADER_LEN + pad;
}

static const uint8_t ethernet[14] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x00, 0x00, 0x0a, 0x02, 0x08, 0x06,
};
static const uint8_t vlan[18] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x00, 0x00, 0x0a, 0x02,
    0x81, 0x00, 0x00, 0x0a, 0x08, 0x06,
};
static const uint8_t qinq[22] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x00, 0x00, 0x0a, 0x02,
    0x88, 0xa8, 0x00, 0x64, 0x81, 0x00, 0x00, 0x0a, 0x08, 0x06,
};
static const uint8_t sll[16] = {
    0x00, 0x04, 0x00, 0x01, 0x00, 0x06, 0x02, 0x00, 0x00, 0x00, 0x0a, 0x02, 0x00, 0x00,
    0x08, 0x06,
};
static const uint8_t sll2[20] = {
    0x08, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01, 0x04, 0x06,
    0x02, 0x00, 0x00, 0x00, 0x0a, 0x02, 0x00, 0x00,
};

static void check_request(const uint8_t *frame, size_t len, size_t want_offset)
{
    ntt_packet_t p;
    size_t offset = 99;

    memset(&p, 0, sizeof p);
    assert_true(ntt_arp_header_find(frame, len, &offset));
    assert_int_equal(offset, want_offset);
    assert_true(ntt_arp_header_parse(frame + offset, len - offset, &p));
    assert_true(p.is_arp);
    assert_int_equal(p.arp_op, NTT_ARP_REQUEST);
    assert_memory_equal(p.arp_sender_ip.bytes, request + 14, 4);
    assert_memory_equal(p.arp_target_ip.bytes, request + 24, 4);
    for (size_t i = 4; i < sizeof p.arp_sender_ip.bytes; i++) {
        assert_int_equal(p.arp_sender_ip.bytes[i], 0);
        assert_int_equal(p.arp_target_ip.bytes[i], 0);
    }
    assert_int_equal(p.ip_version, 0);        /* still not IP */
}

static void found_after_every_link_header(void **state)
{
    uint8_t frame[128];

    (void)state;
    check_request(frame, frame_with(frame, ethernet, sizeof ethernet, request, 18), 14);
    check_request(frame, frame_with(frame, ethernet, sizeof ethernet, request, 0), 14);
    check_request(frame, frame_with(frame, vlan, sizeof vlan, request, 14), 18);
    check_request(frame, frame_with(frame, qinq, sizeof qinq, request, 10), 22);
    check_request(frame, frame_with(frame, sll, sizeof sll, request, 0), 16);
    check_request(frame, frame_with(frame, sll2, sizeof sll2, request, 0), 20);
    check_request(request, sizeof request, 0);
}

static void a_reply_is_read(void **state)
{
    uint8_t msg[NTT_ARP_HEADER_LEN];
    ntt_packet_t p;

    (void)state;
    memcpy(msg, request, sizeof msg);
    msg[7] = NTT_ARP_REPLY;
    memset(&p, 0, sizeof p);
    assert_true(ntt_arp_header_parse(msg, sizeof msg, &p));
    assert_int_equal(p.arp_op, NTT_ARP_REPLY);
}

static void a_truncated_message_is_left_alone(void **state)
{
    uint8_t frame[128];
    size_t len = frame_with(frame, ethernet, sizeof ethernet, request, 0);
    ntt_packet_t p;
    size_t offset;

    (void)state;
    memset(&p, 0, sizeof p);
    /* One byte short of the target address: not found, not read. */
    assert_false(ntt_arp_header_find(frame, len - 1, &offset));
    assert_false(ntt_arp_header_parse(frame + 14, len - 15, &p));
    assert_false(p.is_arp);
    for (size_t cut = 0; cut < len; cut++)
        (void)ntt_arp_header_find(frame, cut, &offset);   /* stays inside */
    assert_false(ntt_arp_header_find(frame, 0, &offset));
    assert_false(ntt_arp_header_parse(NULL, 0, &p));
    assert_false(ntt_arp_header_find(NULL, 0, &offset));
}

static void other_arp_is_not_read(void **state)
{
    static const size_t fixed[] = { 1, 2, 4, 5 };  /* htype, ptype, hlen, plen */
    uint8_t msg[NTT_ARP_HEADER_LEN];
    ntt_packet_t p;

    (void)state;
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        memcpy(msg, request, sizeof msg);
        msg[fixed[i]] ^= 0x40;
        memset(&p, 0, sizeof p);
        assert_false(ntt_arp_header_parse(msg, sizeof msg, &p));
        assert_false(p.is_arp);
    }
    /* An opcode beyond what the record holds. */
    memcpy(msg, request, sizeof msg);
    msg[6] = 0x01;
    assert_false(ntt_arp_header_parse(msg, sizeof msg, &p));
}

static void an_ip_frame_is_not_arp(void **state)
{
    uint8_t frame[128];
    size_t len;
    size_t offset;

    (void)state;
    /* The ARP bytes after an IPv4 EtherType are not an ARP message. */
    len = frame_with(frame, ethernet, sizeof ethernet, request, 0);
    frame[12] = 0x08;
    frame[13] = 0x00;
    assert_false(ntt_arp_header_find(frame, len, &offset));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(found_after_every_link_header),
        cmocka_unit_test(a_reply_is_read),
        cmocka_unit_test(a_truncated_message_is_left_alone),
        cmocka_unit_test(other_arp_is_not_read),
        cmocka_unit_test(an_ip_frame_is_not_arp),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* arp-header.c
 * See ntt/arp-header.h. Every read is bounded by the captured length.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ntt/arp-header.h"

#include <string.h>

#define ETHERTYPE_ARP 0x0806

/* Where a link header of each kind leaves the ARP message, and where it
 * keeps the EtherType that says so. */
typedef struct link_layout {
    size_t arp_offset;
    size_t ethertype_offset;
} link_layout_t;

static const link_layout_t layouts[] = {
    { 14, 12 },   /* Ethernet II */
    { 18, 16 },   /* Ethernet + 802.1Q */
    { 22, 20 },   /* Ethernet + 802.1ad + 802.1Q (QinQ) */
    { 16, 14 },   /* Linux cooked capture (SLL) */
    { 20, 0 },    /* Linux cooked capture v2 (SLL2): protocol type first */
};

static uint16_t be16(const uint8_t *b)
{
    return (uint16_t)(b[0] << 8 | b[1]);
}

/* The fixed part of IPv4-over-Ethernet ARP, and room for its addresses. */
static bool is_ipv4_over_ethernet(const uint8_t *bytes, size_t len)
{
    return len >= NTT_ARP_HEADER_LEN &&
           be16(bytes) == 1 && be16(bytes + 2) == 0x0800 &&
           bytes[4] == 6 && bytes[5] == 4;
}

bool ntt_arp_header_parse(const uint8_t *bytes, size_t len, ntt_packet_t *record)
{
    uint16_t op;

    if (!bytes || !is_ipv4_over_ethernet(bytes, len))
        return false;
    op = be16(bytes + 6);
    if (op > UINT8_MAX)
        return false;
    record->is_arp = true;
    record->arp_op = (uint8_t)op;
    /* Sender MAC at 8, sender IP at 14, target MAC at 18, target IP at 24. */
    memset(&record->arp_sender_ip, 0, sizeof record->arp_sender_ip);
    memset(&record->arp_target_ip, 0, sizeof record->arp_target_ip);
    memcpy(record->arp_sender_ip.bytes, bytes + 14, 4);
    memcpy(record->arp_target_ip.bytes, bytes + 24, 4);
    return true;
}

bool ntt_arp_header_find(const uint8_t *frame, size_t len, size_t *offset)
{
    if (!frame)
        return false;
    for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++) {
        const link_layout_t *l = &layouts[i];

        if (l->arp_offset > len)
            continue;
        if (be16(frame + l->ethertype_offset) == ETHERTYPE_ARP &&
            is_ipv4_over_ethernet(frame + l->arp_offset, len - l->arp_offset)) {
            *offset = l->arp_offset;
            return true;
        }
    }
    if (is_ipv4_over_ethernet(frame, len)) {
        *offset = 0;
        return true;
    }
    return false;
}

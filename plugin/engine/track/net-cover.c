/* net-cover.c
 * See net-cover.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "track/net-cover.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned address_bits(uint8_t version)
{
    return version == 6 ? 128 : 32;
}

/* How many leading bits a and b share, at most limit. Addresses of
 * either family are held from bytes[0]. */
static unsigned common_prefix(const ntt_addr_t *a, const ntt_addr_t *b, unsigned limit)
{
    unsigned bits = 0;

    for (unsigned i = 0; i < (limit + 7) / 8 && bits < limit; i++) {
        uint8_t x = a->bytes[i] ^ b->bytes[i];

        if (x) {
            while (!(x & 0x80)) {
                x <<= 1;
                bits++;
            }
            break;
        }
        bits += 8;
    }
    return bits < limit ? bits : limit;
}

void ntt_net_cover_add(ntt_net_cover_t *cover, const ntt_addr_t *host, uint8_t version)
{
    unsigned shared;

    if (cover->version == 0) {
        cover->first = *host;
        cover->version = version;
        cover->bits = (uint8_t)address_bits(version);
        return;
    }
    if (version != cover->version)
        return;
    shared = common_prefix(&cover->first, host, cover->bits);
    if (shared < cover->bits)
        cover->bits = (uint8_t)shared;
}

/* The prefix length shown: the cover's, within the widest named. */
static unsigned shown_bits(const ntt_net_cover_t *cover)
{
    unsigned widest = cover->version == 6 ? NTT_NET_COVER_WIDEST_V6 : NTT_NET_COVER_WIDEST_V4;

    return cover->bits < widest ? widest : cover->bits;
}

char *ntt_net_cover_text(const ntt_net_cover_t *cover, char *buf)
{
    unsigned bits = shown_bits(cover);
    char addr[NTT_ADDR_STRLEN];
    ntt_addr_t net;

    buf[0] = '\0';
    if (cover->version == 0)
        return buf;
    memset(&net, 0, sizeof net);
    for (unsigned i = 0; i < bits / 8; i++)
        net.bytes[i] = cover->first.bytes[i];
    if (bits % 8)
        net.bytes[bits / 8] = (uint8_t)(cover->first.bytes[bits / 8] & (0xff << (8 - bits % 8)));
    snprintf(buf, NTT_EPISODE_NET_SIZE, "%s/%u", ntt_addr_format(&net, cover->version, addr), bits);
    return buf;
}

char *ntt_net_cover_say(ntt_net_cover_t *cover, char *buf)
{
    if (cover->version == 0 || (cover->said_bits && shown_bits(cover) >= cover->said_bits)) {
        buf[0] = '\0';
        return buf;
    }
    cover->said_bits = (uint8_t)shown_bits(cover);
    return ntt_net_cover_text(cover, buf);
}

int ntt_net_text_bits(const char *text)
{
    const char *slash = text ? strrchr(text, '/') : NULL;
    char *end;
    long bits;

    if (!slash || !slash[1])
        return -1;
    bits = strtol(slash + 1, &end, 10);
    return *end == '\0' && bits >= 0 && bits <= 128 ? (int)bits : -1;
}

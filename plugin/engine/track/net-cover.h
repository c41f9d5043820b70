/* net-cover.h
 * The smallest network that covers every host a sweep probed: the prefix
 * all of them share with the first one (the common prefix of a set is
 * its common prefix with any one member), kept in O(1) per host. Named
 * in CIDR form as the sweep's dst_net, never wider than a /16 (IPv4) or
 * a /48 (IPv6): a sweep spread wider is named by the /16 or /48 it began
 * in, a range one can still filter on, rather than by a /1.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_NET_COVER_H
#define NTT_NET_COVER_H

#include <stddef.h>
#include <stdint.h>

#include "ntt/episode.h"
#include "ntt/packet.h"

#define NTT_NET_COVER_WIDEST_V4 16
#define NTT_NET_COVER_WIDEST_V6 48

typedef struct ntt_net_cover {
    ntt_addr_t first;     /* the first host added */
    uint8_t    bits;      /* prefix it shares with every later one */
    uint8_t    version;   /* 4 or 6; 0 while empty */
    uint8_t    said_bits; /* prefix shown when last said (ntt_net_cover_say);
                             0: never */
} ntt_net_cover_t;

/* Adds a host; a host of the other family is ignored (a sweep is of one
 * family: its tracker is keyed by its source). */
void ntt_net_cover_add(ntt_net_cover_t *cover, const ntt_addr_t *host, uint8_t version);

/* The covering network in CIDR form, its host bits cleared ("" when
 * empty). Returns buf, of NTT_EPISODE_NET_SIZE bytes. */
char *ntt_net_cover_text(const ntt_net_cover_t *cover, char *buf);

/* For an episode's update: the covering network into buf when it is
 * wider than when last said (or never said), else "" -- an episode's
 * dst_net only widens, so an empty one leaves it as it is, and a raised
 * sweep formats its range only when the range grows, not per packet.
 * Returns buf. */
char *ntt_net_cover_say(ntt_net_cover_t *cover, char *buf);

/* The prefix length of a network in CIDR form ("10.0.0.0/24": 24), or -1
 * when text is not one. */
int ntt_net_text_bits(const char *text);

#endif /* NTT_NET_COVER_H */

/* dns-answer.c
 * See ntt/dns-answer.h. RFC 1035 section 4.1: a 12-byte header (ID,
 * flags, QDCOUNT, ANCOUNT, NSCOUNT, ARCOUNT), the questions (a name, type,
 * class), then the answers (a name, type, class, TTL, RDLENGTH, RDATA).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ntt/dns-answer.h"

#include <string.h>

enum {
    DNS_HEADER_LEN = 12,
    DNS_QR         = 0x80,      /* in the first flags byte */
    DNS_OPCODE     = 0x78,      /* likewise; QUERY is 0 */
    DNS_TYPE_A     = 1,
    DNS_TYPE_AAAA  = 28,
    DNS_CLASS_IN   = 1,
    DNS_PTR_TAG    = 0xc0,      /* a label length byte that is a pointer */
};

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)((p[0] << 8) | p[1]);
}

/* The offset after the name at off (labels ending in a zero byte or a
 * compression pointer), or 0 when the name runs past the message. */
static size_t skip_name(const uint8_t *msg, size_t len, size_t off)
{
    while (off < len) {
        uint8_t label = msg[off];

        if (label == 0)
            return off + 1;
        if ((label & DNS_PTR_TAG) == DNS_PTR_TAG)
            return off + 2 <= len ? off + 2 : 0;
        if (label & DNS_PTR_TAG)
            return 0;               /* the reserved label kinds (RFC 6891) */
        off += 1u + label;
    }
    return 0;
}

unsigned ntt_dns_answers_read(const uint8_t *msg, size_t len,
                              ntt_resolved_t *out, unsigned max)
{
    unsigned questions, answers, n = 0;
    size_t off = DNS_HEADER_LEN;

    if (len < DNS_HEADER_LEN || !(msg[2] & DNS_QR) || (msg[2] & DNS_OPCODE))
        return 0;
    questions = get16(msg + 4);
    answers = get16(msg + 6);
    for (unsigned i = 0; i < questions; i++) {
        off = skip_name(msg, len, off);
        if (off == 0 || off + 4 > len)
            return 0;
        off += 4;                   /* type, class */
    }
    for (unsigned i = 0; i < answers && n < max; i++) {
        uint16_t type, klass, rdlength;

        off = skip_name(msg, len, off);
        if (off == 0 || off + 10 > len)
            break;
        type = get16(msg + off);
        klass = get16(msg + off + 2);
        rdlength = get16(msg + off + 8);
        off += 10;                  /* type, class, TTL, RDLENGTH */
        if (off + rdlength > len)
            break;
        if (klass == DNS_CLASS_IN &&
            ((type == DNS_TYPE_A && rdlength == 4) ||
             (type == DNS_TYPE_AAAA && rdlength == 16))) {
            memset(&out[n], 0, sizeof out[n]);
            memcpy(out[n].addr.bytes, msg + off, rdlength);
            out[n].ip_version = type == DNS_TYPE_A ? 4 : 6;
            n++;
        }
        off += rdlength;
    }
    return n;
}

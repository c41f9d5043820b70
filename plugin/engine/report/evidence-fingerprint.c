/* evidence-fingerprint.c
 * The content fingerprint of a capture (ntt/evidence.h): how the
 * evidence database knows a capture it has already recorded. GLib's
 * SHA-256, fed a fixed 16-byte header and the captured bytes of every
 * packet: O(captured bytes) a packet, paid only when -z ntt,evidence asks.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ntt/evidence.h"

#include <string.h>

#include <glib.h>

struct ntt_fingerprint {
    GChecksum           *sha256;
    ntt_capture_extent_t extent;
};

ntt_fingerprint_t *ntt_fingerprint_new(void)
{
    ntt_fingerprint_t *fp = g_new0(ntt_fingerprint_t, 1);

    fp->sha256 = g_checksum_new(G_CHECKSUM_SHA256);
    return fp;
}

void ntt_fingerprint_free(ntt_fingerprint_t *fp)
{
    if (!fp)
        return;
    g_checksum_free(fp->sha256);
    g_free(fp);
}

void ntt_fingerprint_reset(ntt_fingerprint_t *fp)
{
    g_checksum_reset(fp->sha256);
    memset(&fp->extent, 0, sizeof fp->extent);
}

static void put_le(uint8_t *out, uint64_t value, unsigned size)
{
    for (unsigned i = 0; i < size; i++)
        out[i] = (uint8_t)(value >> (8 * i));
}

void ntt_fingerprint_add(ntt_fingerprint_t *fp, int64_t ts_ns, uint32_t frame_len,
                         const uint8_t *bytes, uint32_t caplen)
{
    uint8_t header[16];
    ntt_capture_extent_t *e = &fp->extent;

    /* Byte order fixed, so the digest is the same on every machine. */
    put_le(header, (uint64_t)ts_ns, 8);
    put_le(header + 8, frame_len, 4);
    put_le(header + 12, caplen, 4);
    g_checksum_update(fp->sha256, header, sizeof header);
    if (bytes && caplen)
        g_checksum_update(fp->sha256, bytes, caplen);

    if (e->packets == 0) {
        e->first_ns = e->last_ns = ts_ns;
    } else {
        if (ts_ns < e->first_ns)
            e->first_ns = ts_ns;
        if (ts_ns > e->last_ns)
            e->last_ns = ts_ns;
    }
    e->packets++;
    e->bytes += frame_len;
}

void ntt_fingerprint_hex(const ntt_fingerprint_t *fp, char *hex)
{
    /* A copy: reading the digest closes a GChecksum. */
    GChecksum *copy = g_checksum_copy(fp->sha256);

    g_strlcpy(hex, g_checksum_get_string(copy), NTT_FINGERPRINT_HEX_SIZE);
    g_checksum_free(copy);
}

void ntt_fingerprint_extent(const ntt_fingerprint_t *fp, ntt_capture_extent_t *extent)
{
    *extent = fp->extent;
}

/* fuzz-engine.c
 * Fuzz target for the engine, the report and the IP header reader: the
 * input is read once as raw packet bytes, then as a stream of packet
 * records drawn from a small address and port space, so flows collide,
 * split, expire and get evicted, with a tiny flow table.
 * Built for libFuzzer with clang (-DNTT_FUZZ_LIBFUZZER via CMake) or
 * driven by fuzz-driver.c under the sanitizers.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ntt/engine.h"
#include "ntt/ip-header.h"
#include "ntt/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Bytes per record: enough for every field below. */
#define RECORD_BYTES 16

static void fill_addr(ntt_addr_t *addr, uint8_t version, uint8_t pick)
{
    memset(addr, 0, sizeof *addr);
    if (version == 4) {
        addr->bytes[0] = 192;
        addr->bytes[1] = 0;
        addr->bytes[2] = 2;
        addr->bytes[3] = pick & 0x0f;     /* 16 hosts: collisions */
    } else {
        addr->bytes[0] = 0x20;
        addr->bytes[1] = 0x01;
        addr->bytes[2] = 0x0d;
        addr->bytes[3] = 0xb8;
        addr->bytes[15] = pick & 0x0f;
    }
}

static void read_record(const uint8_t *b, uint32_t frame, int64_t *clock,
                        ntt_packet_t *p)
{
    static const uint8_t protos[] = { 6, 17, 1, 58, 132, 47 };

    memset(p, 0, sizeof *p);
    p->frame = frame;
    /* Time mostly moves forward, sometimes jumps, sometimes goes back. */
    *clock += (int64_t)(b[0] & 0x7f) * 1000000;
    if (b[0] & 0x80)
        *clock += (int64_t)b[1] * 1000000000;
    if (b[1] == 0xff)
        *clock -= 5000000000;
    p->ts_ns = *clock;
    p->frame_len = (uint32_t)(b[2] | b[3] << 8);
    p->ip_version = (b[4] & 3) == 0 ? 0 : (b[4] & 3) == 3 ? 6 : 4;
    p->ip_proto = protos[b[5] % sizeof protos];
    p->ttl = b[6];
    p->ip_payload_len = (uint32_t)(b[7] << 4);
    p->payload_len = b[7];
    if (p->ip_version) {
        fill_addr(&p->src, p->ip_version, b[8]);
        fill_addr(&p->dst, p->ip_version, b[8] >> 4);
    }
    p->has_ports = (p->ip_proto == 6 || p->ip_proto == 17 || p->ip_proto == 132)
                   && !(b[4] & 0x80);
    p->sport = (uint16_t)(b[9] % 8 + (b[9] & 0x80 ? 0 : 40000));
    p->dport = (uint16_t)(b[10] % 8 + 20);
    p->has_tcp = p->ip_proto == 6 && !(b[4] & 0x40);
    p->tcp_flags = (uint16_t)(b[11] | (b[12] & 1) << 8);
    p->tcp_seq = b[13] & 3;
    p->has_icmp = (p->ip_proto == 1 || p->ip_proto == 58) && !(b[4] & 0x20);
    p->icmp_type = b[14] & 1 ? (p->ip_proto == 1 ? 8 : 128) : b[14];
    p->icmp_code = b[15] & 7;
    p->icmp_id = b[15] >> 5;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ntt_config_t config;
    ntt_report_limits_t limits;
    ntt_engine_t *engine;
    ntt_report_t *report;
    GString *out;
    int64_t clock = 1700000000LL * 1000000000;
    uint32_t frame = 1;

    if (size < 2)
        return 0;

    /* The header reader gets the raw input as packet bytes: it must stay
     * inside them (the sanitizers watch) and report offsets inside too. */
    {
        ntt_packet_t raw;
        size_t transport_offset, start;

        memset(&raw, 0, sizeof raw);
        if (ntt_ip_header_parse(data, size, &raw, &transport_offset) &&
            transport_offset > size)
            __builtin_trap();
        if (size >= 8 &&
            ntt_ip_header_find_icmp_carrier(data, size - 8, data[1] & 1 ? 6 : 4,
                                            &start) &&
            start >= size - 8)
            __builtin_trap();
    }

    ntt_config_init(&config);
    config.max_flows = 1u + data[0] % 32;
    config.flow_timeout_ns = (int64_t)(1 + data[1] % 60) * 1000000000;
    ntt_report_limits_init(&limits);
    limits.max_talkers = 1u + data[1] % 8;
    limits.top_n = 1u + data[0] % 12;
    engine = ntt_engine_new(&config);
    report = ntt_report_new(&limits, data[0] & 1 ? "tcp" : NULL);

    for (size_t off = 2; off + RECORD_BYTES <= size; off += RECORD_BYTES) {
        ntt_packet_t p;
        const ntt_frame_t *f;

        read_record(data + off, frame, &clock, &p);
        /* Now and then the same frame again, as a buggy caller might. */
        if (!(data[off + 4] & 0x10))
            frame++;
        f = ntt_engine_process(engine, &p);
        ntt_report_add(report, engine, p.ts_ns, p.frame_len, f);
        if (f && f->has_flow && !ntt_engine_flow(engine, f->flow.flow_id))
            __builtin_trap();   /* every result names a recorded flow */
    }

    out = g_string_new(NULL);
    ntt_report_render_text(report, out);
    ntt_report_render_json(report, out);
    g_string_free(out, TRUE);
    ntt_report_free(report);
    ntt_engine_unref(engine);
    return 0;
}

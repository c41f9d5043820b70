/* fuzz-engine.c
 * Fuzz target for the engine, the report and the IP header reader: the
 * input is read once as raw packet bytes, then as a stream of packet
 * records drawn from a small address and port space, so flows collide,
 * split, expire and get evicted, with a tiny flow table and a tiny memcap
 * (emergency mode). Records carry names and DNS answers against a small
 * blocklist, and the addresses are
 * placed by the .mmdb test fixtures when they are built, so the blocklist
 * and geo detectors, the Geography and Blocklist sections and the maps
 * are fuzzed too. The entropy's window is short (1 to 8 s) and its
 * tables tiny, so windows slide, close and fill on most inputs; its
 * figures are checked to stay within their bounds.
 * Built for libFuzzer with clang (-DNTT_FUZZ_LIBFUZZER via CMake) or
 * driven by fuzz-driver.c under the sanitizers.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <glib.h>

#include "ntt/arp-header.h"
#include "ntt/dns-answer.h"
#include "ntt/engine.h"
#include "ntt/evidence.h"
#include "ntt/entropy.h"
#include "ntt/ip-header.h"
#include "ntt/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An anomaly model trained on the first input that had two flows. */
static GString *baseline;

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

/* Names a record may carry: listed, below a listed suffix, or not. */
static const char *const names[] = {
    "evil.example", "x.bad.example", "bad.example", "ok.example", "EVIL.EXAMPLE.",
    "http://evil.example:81/p", "",
};

static void add_names(const uint8_t *b, ntt_packet_t *p, ntt_name_t *name,
                      ntt_resolved_t *resolved)
{
    uint8_t pick = b[13] >> 2;

    if (!p->ip_version || (pick & 3) == 0)
        return;
    name->text = names[(pick >> 2) % (sizeof names / sizeof names[0])];
    name->len = (uint16_t)strlen(name->text);
    name->kind = (uint8_t)((pick & 3) - 1 + (b[12] & 2 ? 1 : 0)) % NTT_NAME_KIND_COUNT;
    p->names = name;
    p->name_count = 1;
    if (name->kind == NTT_NAME_DNS_ANSWER) {
        resolved->ip_version = p->ip_version;
        fill_addr(&resolved->addr, p->ip_version, b[9]);
        p->resolved = resolved;
        p->resolved_count = 1;
    }
    if (b[12] & 4) {
        p->http_uri = name->text;
        p->http_uri_len = name->len;
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
    p->ip_total_len = p->ip_payload_len + (p->ip_version == 6 ? 40 : 20);
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
    /* Acknowledgements near the sequence numbers, or far off (a jump of
     * 2^28 at a time), for the conn.log sequence bookkeeping. */
    p->tcp_ack = (uint32_t)(b[13] >> 2) * (b[12] & 2 ? UINT32_C(0x10000000) : 1u);
    p->has_icmp = (p->ip_proto == 1 || p->ip_proto == 58) && !(b[4] & 0x20);
    p->icmp_type = b[14] & 1 ? (p->ip_proto == 1 ? 8 : 128) : b[14];
    p->icmp_code = b[15] & 7;
    p->icmp_id = b[15] >> 5;
    /* Not IP: now and then an ARP request or reply inside 192.0.2.0/28. */
    if (!p->ip_version && (b[5] & 0x40)) {
        p->is_arp = true;
        p->arp_op = (uint8_t)(1 + (b[5] >> 7));
        fill_addr(&p->arp_sender_ip, 4, b[8]);
        fill_addr(&p->arp_target_ip, 4, b[8] >> 4);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ntt_config_t config;
    ntt_report_limits_t limits;
    ntt_engine_t *engine;
    ntt_report_t *report;
    ntt_evidence_t *evidence;
    ntt_fingerprint_t *fingerprint;
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
        /* The DNS answer reader, on the input as a message. */
        {
            ntt_resolved_t answers[NTT_DNS_MAX_RESOLVED];
            unsigned n = ntt_dns_answers_read(data, size, answers, 1u + data[0] % 16);

            if (n > 1u + data[0] % 16)
                __builtin_trap();
            for (unsigned i = 0; i < n; i++)
                if (answers[i].ip_version != 4 && answers[i].ip_version != 6)
                    __builtin_trap();
        }
        /* And the ARP reader, as a frame and as a bare header. */
        if (ntt_arp_header_find(data, size, &start) && start >= size)
            __builtin_trap();
        memset(&raw, 0, sizeof raw);
        ntt_arp_header_parse(data, size, &raw);
    }

    ntt_config_init(&config);
    {
        static const char list[] =
            "192.0.2.0/30\n2001:db8::5\nevil.example\n.bad.example\n# c\n300.1.2.3\n";
        char *error = NULL;

        config.blocklist = ntt_blocklist_parse(list, sizeof list - 1, "fuzz", NULL, NULL);
#ifdef NTT_GEO_FIXTURES_DIR
        config.geo = ntt_geo_new(1u + data[1] % 16);       /* a tiny cache */
        if (!ntt_geo_attach(config.geo, NTT_GEO_LOCATION,
                            NTT_GEO_FIXTURES_DIR "/ntt-test-city.mmdb", &error))
            g_free(error);
        error = NULL;
        if (!ntt_geo_attach(config.geo, NTT_GEO_ASN,
                            NTT_GEO_FIXTURES_DIR "/ntt-test-asn.mmdb", &error))
            g_free(error);
#endif
        (void)error;
        g_strlcpy(config.detect.geo_watch_countries, data[0] & 2 ? "US" : "",
                  sizeof config.detect.geo_watch_countries);
        g_strlcpy(config.detect.geo_allow_countries, data[0] & 4 ? "GB,DE" : "",
                  sizeof config.detect.geo_allow_countries);
    }
    config.max_flows = 1u + data[0] % 32;
    config.detect.max_trackers = 1u + data[1] % 16;
    config.flow_timeout_ns = (int64_t)(1 + data[1] % 60) * 1000000000;
    /* Mostly a tiny memcap (512 bytes to 32 KiB), so that emergency mode
     * -- early expiry, eviction, refused targets, charges past the cap --
     * runs on nearly every input; now and then none. Any seed. */
    config.memcap_bytes = (data[1] & 0x80) ? 0
                          : (uint64_t)(1 + (data[0] ^ data[1]) % 64) * 512;
    config.hash_seed = (data[1] & 0x40) ? (uint64_t)data[0] * UINT64_C(0x100000001) : 0;
    config.entropy_window_ns = (int64_t)(1 + data[0] % 8) * 1000000000;
    config.entropy_max_addresses = 1u + data[1] % 16;
    config.conn_records = (data[0] & 8) != 0;
    ntt_report_limits_init(&limits);
    limits.max_talkers = 1u + data[1] % 8;
    limits.top_n = 1u + data[0] % 12;
    /* Now and then a baseline anomaly model (one an earlier input's flows
     * trained) with a low threshold: flows are then watched, scored as
     * they end and raise anomaly episodes. */
    if ((data[1] & 0x20) && baseline) {
        config.anomaly.model = ntt_anomaly_model_parse(baseline->str, baseline->len, NULL);
        if (!config.anomaly.model)
            __builtin_trap();
        config.anomaly.threshold = 0.3;
    }
    engine = ntt_engine_new(&config);
    report = ntt_report_new(&limits, data[0] & 1 ? "tcp" : NULL);
    evidence = ntt_evidence_new();
    fingerprint = ntt_fingerprint_new();

    for (size_t off = 2; off + RECORD_BYTES <= size; off += RECORD_BYTES) {
        ntt_packet_t p;
        ntt_frame_t stored;
        const ntt_frame_t *f;
        ntt_name_t name;
        ntt_resolved_t resolved;

        read_record(data + off, frame, &clock, &p);
        add_names(data + off, &p, &name, &resolved);
        /* Now and then the same frame again, as a buggy caller might. */
        if (!(data[off + 4] & 0x10))
            frame++;
        f = ntt_engine_process(engine, &p, &stored) ? &stored : NULL;
        ntt_report_add(report, engine, p.ts_ns, p.frame_len, f);
        /* The evidence: every record's bytes into the fingerprint, and
         * (as a filter would) some of the frames into the flows' ranges. */
        ntt_fingerprint_add(fingerprint, p.ts_ns, p.frame_len, data + off, RECORD_BYTES);
        if (!(data[off] & 0x20))
            ntt_evidence_add(evidence, engine, p.frame, p.frame_len, f);
        if (f && f->has_flow && !ntt_engine_flow(engine, f->flow.flow_id))
            __builtin_trap();   /* every result names a recorded flow */
    }
    /* The tables' shares add up to the whole. */
    {
        ntt_engine_memory_t memory;
        ntt_table_memory_t table;
        uint64_t sum = 0;

        ntt_engine_memory(engine, &memory);
        for (unsigned i = 0; ntt_engine_table_memory(engine, i, &table); i++)
            sum += table.bytes;
        if (sum != memory.used_bytes || memory.used_bytes > memory.peak_bytes)
            __builtin_trap();
    }

    /* Every alerted flow lies within the frames given it and is a real flow. */
    {
        unsigned n;
        ntt_evidence_flow_t *flows = ntt_evidence_alerted_flows(evidence, &n);
        char hex[NTT_FINGERPRINT_HEX_SIZE];

        for (unsigned i = 0; i < n; i++)
            if (flows[i].first_frame > flows[i].last_frame || flows[i].packets == 0 ||
                flows[i].summary != ntt_engine_flow(engine, flows[i].flow_id) ||
                (i > 0 && flows[i].flow_id <= flows[i - 1].flow_id))
                __builtin_trap();
        g_free(flows);
        ntt_fingerprint_hex(fingerprint, hex);
        if (strlen(hex) != NTT_FINGERPRINT_HEX_SIZE - 1)
            __builtin_trap();
    }
    ntt_evidence_free(evidence);
    ntt_fingerprint_free(fingerprint);
    /* Entropy stays within its bounds: 0 <= bits <= log2 n, normalised
     * 0 .. 1, values at most packets. */
    {
        ntt_entropy_view_t *view = g_new(ntt_entropy_view_t, 1);

        ntt_entropy_view(ntt_engine_entropy(engine), view);
        for (unsigned i = 0; i <= view->timeline_count; i++) {
            const ntt_entropy_window_t *w = i < view->timeline_count ? &view->timeline[i]
                                            : view->has_open ? &view->open : NULL;

            for (int d = 0; w && d < NTT_ENTROPY_DIMS; d++) {
                const ntt_entropy_figure_t *fig = &w->figure[d];

                if (fig->distinct > fig->packets || fig->bits < 0 ||
                    fig->normalized < 0 || fig->normalized > 1 + 1e-9 ||
                    (fig->packets > 1 && fig->bits > log2((double)fig->packets) + 1e-9))
                    __builtin_trap();
            }
        }
        g_free(view);
    }

    out = g_string_new(NULL);
    ntt_report_render_text(report, out);
    ntt_report_render_json(report, out);
    ntt_report_render_kml(report, out);
    ntt_report_render_geojson(report, out);
    ntt_report_render_conn(report, out);
    ntt_report_render_csv(report, out);
    ntt_report_render_csv_alerts(report, out);
    g_string_free(out, TRUE);
    if (!baseline) {
        ntt_anomaly_model_t *model = ntt_engine_anomaly_train(engine);

        if (model) {
            baseline = g_string_new(NULL);
            ntt_anomaly_model_write(model, baseline);
            ntt_anomaly_model_free(model);
        }
    }
    ntt_report_free(report);
    ntt_engine_unref(engine);
    return 0;
}

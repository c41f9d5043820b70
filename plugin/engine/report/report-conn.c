/* report-conn.c
 * -z ntt,conn: the flows as Zeek's conn.log (its ASCII writer's TSV with
 * the #-header lines), so that zeek-cut, RITA and other readers of Zeek
 * logs take ntt's flows. Field names, types and formats are Zeek's
 * (scripts/base/protocols/conn/main.zeek); docs/exports.md says where
 * ntt's reading of a field differs from Zeek's.
 *
 * Deterministic: #open and #close are the first and last packet times
 * (Zeek writes the wall clock), the uid is a hash of the flow (Zeek's is
 * random), rows are in the order flows began.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "report/report-data.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util/hash.h"

/* The classic 21 columns (Zeek 7 adds ip_proto after them; readers pick
 * columns by the #fields line). */
static const char *const conn_fields =
    "ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\t"
    "duration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\t"
    "missed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\t"
    "tunnel_parents";
static const char *const conn_types =
    "time\tstring\taddr\tport\taddr\tport\tenum\tstring\t"
    "interval\tcount\tcount\tstring\tbool\tbool\t"
    "count\tstring\tcount\tcount\tcount\tcount\t"
    "set[string]";

#define UNSET "-"

/* Zeek's log header time, "2024-01-02-03-04-05" (in UTC here). */
static void append_header_time(GString *out, const char *tag, int64_t ts_ns)
{
    time_t t = (time_t)(ts_ns / NTT_NS_PER_SEC - (ts_ns % NTT_NS_PER_SEC < 0));
    struct tm tm;
    char buf[32];

    if (!gmtime_r(&t, &tm) || !strftime(buf, sizeof buf, "%Y-%m-%d-%H-%M-%S", &tm))
        snprintf(buf, sizeof buf, "1970-01-01-00-00-00");
    g_string_append_printf(out, "#%s\t%s\n", tag, buf);
}

/* Zeek reads captures through libpcap, which hands nanosecond
 * timestamps over cut to the microsecond: times and durations are taken
 * from timestamps cut the same way, so that they agree to the digit. */
static int64_t to_us(int64_t ns)
{
    return ns / 1000 - (ns % 1000 < 0);
}

/* Seconds with six decimals, as Zeek writes time and interval. */
static void append_seconds(GString *out, int64_t us)
{
    if (us < 0) {
        g_string_append_c(out, '-');
        us = -us;
    }
    g_string_append_printf(out, "%" PRId64 ".%06" PRId64, us / 1000000, us % 1000000);
}

/* Zeek's uid: "C" and 96 bits in base 62 (a 64-bit and a 32-bit word,
 * least significant digit first, as Zeek's uitoa_n writes them). */
static void append_base62(GString *out, uint64_t v)
{
    static const char digits[] =
        "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    do {
        g_string_append_c(out, digits[v % 62]);
        v /= 62;
    } while (v);
}

/* A fixed seed, not the engine's ntt.hash_seed: the uid names the flow,
 * whatever the tables' seed. */
#define UID_SEED UINT64_C(0x6e74742d636f6e6e)   /* "ntt-conn" */

void ntt_conn_uid(const ntt_flow_summary_t *f, uint32_t id, char *buf, size_t size)
{
    struct {
        ntt_addr_t orig, resp;
        int64_t    first_ns;
        uint32_t   id;
        uint16_t   orig_port, resp_port;
        uint8_t    ip_version, ip_proto, zero[6];
    } key;
    GString *uid = g_string_new("C");

    memset(&key, 0, sizeof key);
    key.orig = f->orig_addr;
    key.resp = f->resp_addr;
    key.first_ns = f->first_ns;
    key.id = id;
    key.orig_port = f->orig_port;
    key.resp_port = f->resp_port;
    key.ip_version = f->ip_version;
    key.ip_proto = f->ip_proto;
    append_base62(uid, ntt_hash_bytes(&key, sizeof key, UID_SEED));
    append_base62(uid, ntt_hash_bytes(&key, sizeof key, ~UID_SEED) & 0xffffffffu);
    g_strlcpy(buf, uid->str, size);
    g_string_free(uid, TRUE);
}

/* Zeek's ICMP "ports": the type, and the type answering it (echo request
 * and reply, router, neighbour, timestamp, information, mask, MLD and
 * node information queries) or, for a one-way message, the code. */
static int icmp_counterpart(uint8_t ip_proto, uint8_t type)
{
    static const uint8_t v4[][2] = {
        { 8, 0 }, { 0, 8 }, { 9, 10 }, { 10, 9 }, { 13, 14 }, { 14, 13 },
        { 15, 16 }, { 16, 15 }, { 17, 18 }, { 18, 17 },
    };
    static const uint8_t v6[][2] = {
        { 128, 129 }, { 129, 128 }, { 133, 134 }, { 134, 133 }, { 135, 136 },
        { 136, 135 }, { 130, 131 }, { 131, 130 }, { 139, 140 }, { 140, 139 },
    };
    const uint8_t (*pairs)[2] = ip_proto == NTT_IPPROTO_ICMP ? v4 : v6;
    size_t n = ip_proto == NTT_IPPROTO_ICMP ? G_N_ELEMENTS(v4) : G_N_ELEMENTS(v6);

    for (size_t i = 0; i < n; i++) {
        if (pairs[i][0] == type)
            return pairs[i][1];
    }
    return -1;
}

static void icmp_ports(const ntt_flow_summary_t *f, const ntt_conn_record_t *rec,
                       unsigned *orig_p, unsigned *resp_p)
{
    int counterpart;

    /* An echo flow's originator is the side that asked (the engine turns
     * a reply-first flow around). */
    if (ntt_icmp_is_echo(f->ip_proto, rec->icmp_type)) {
        *orig_p = f->ip_proto == NTT_IPPROTO_ICMP ? 8 : 128;
        *resp_p = f->ip_proto == NTT_IPPROTO_ICMP ? 0 : 129;
        return;
    }
    counterpart = icmp_counterpart(f->ip_proto, rec->icmp_type);
    *orig_p = rec->icmp_type;
    *resp_p = counterpart >= 0 ? (unsigned)counterpart : rec->icmp_code;
}

static const char *zeek_proto(uint8_t ip_proto)
{
    switch (ip_proto) {
    case NTT_IPPROTO_TCP:    return "tcp";
    case NTT_IPPROTO_UDP:    return "udp";
    case NTT_IPPROTO_ICMP:
    case NTT_IPPROTO_ICMPV6: return "icmp";
    default:                 return "unknown_transport";
    }
}

/* Zeek's conn_state() gives TCP and UDP flows their states, and every
 * other protocol OTH. */
static const char *zeek_state(const ntt_flow_summary_t *f)
{
    if (f->ip_proto != NTT_IPPROTO_TCP && f->ip_proto != NTT_IPPROTO_UDP)
        return "OTH";
    if (f->state == NTT_STATE_NONE)
        return UNSET;
    return ntt_conn_state_name((ntt_conn_state_t)f->state);
}

static void append_flow(GString *out, const ntt_flow_summary_t *f,
                        const ntt_conn_record_t *rec, uint32_t id)
{
    char a[NTT_ADDR_STRLEN], uid[32];
    unsigned orig_p = f->orig_port, resp_p = f->resp_port;
    int64_t duration = to_us(rec->open_last_ns) - to_us(f->first_ns);

    if (f->ip_proto == NTT_IPPROTO_ICMP || f->ip_proto == NTT_IPPROTO_ICMPV6)
        icmp_ports(f, rec, &orig_p, &resp_p);
    else if (f->ip_proto != NTT_IPPROTO_TCP && f->ip_proto != NTT_IPPROTO_UDP)
        orig_p = resp_p = 0;   /* Zeek reads no ports of other protocols */
    ntt_conn_uid(f, id, uid, sizeof uid);

    append_seconds(out, to_us(f->first_ns));
    g_string_append_printf(out, "\t%s", uid);
    g_string_append_printf(out, "\t%s\t%u", ntt_addr_format(&f->orig_addr, f->ip_version, a),
                           orig_p);
    g_string_append_printf(out, "\t%s\t%u", ntt_addr_format(&f->resp_addr, f->ip_version, a),
                           resp_p);
    /* service: Zeek names the protocols its analysers confirmed; ntt
     * names services by port only, so it claims none here. */
    g_string_append_printf(out, "\t%s\t" UNSET "\t", zeek_proto(f->ip_proto));
    /* Zeek sets duration and the payload sizes only when the duration is
     * not zero. */
    if (duration > 0) {
        append_seconds(out, duration);
        g_string_append_printf(out, "\t%" PRIu64 "\t%" PRIu64,
                               rec->payload_bytes[NTT_DIR_ORIG],
                               rec->payload_bytes[NTT_DIR_RESP]);
    } else {
        g_string_append(out, UNSET "\t" UNSET "\t" UNSET);
    }
    /* local_orig, local_resp (no local networks configured), missed_bytes
     * (ntt does not reassemble streams), history (see docs/exports.md). */
    g_string_append_printf(out, "\t%s\t" UNSET "\t" UNSET "\t" UNSET "\t" UNSET, zeek_state(f));
    g_string_append_printf(out, "\t%u\t%" PRIu64 "\t%u\t%" PRIu64,
                           f->pkts[NTT_DIR_ORIG], rec->ip_bytes[NTT_DIR_ORIG],
                           f->pkts[NTT_DIR_RESP], rec->ip_bytes[NTT_DIR_RESP]);
    /* tunnel_parents: ntt keeps the innermost header only. */
    g_string_append(out, "\t" UNSET "\n");
}

void ntt_report_render_conn(const ntt_report_t *r, GString *out)
{
    g_string_append(out, "#separator \\x09\n");
    g_string_append(out, "#set_separator\t,\n");
    g_string_append(out, "#empty_field\t(empty)\n");
    g_string_append(out, "#unset_field\t-\n");
    g_string_append(out, "#path\tconn\n");
    append_header_time(out, "open", r->packets ? r->first_ns : 0);
    g_string_append_printf(out, "#fields\t%s\n", conn_fields);
    g_string_append_printf(out, "#types\t%s\n", conn_types);
    for (uint32_t id = 0; r->engine && id < r->flows->len; id++) {
        const ntt_flow_summary_t *f;
        const ntt_conn_record_t *rec;

        if (!ntt_report_flow_seen(&g_array_index(r->flows, ntt_report_flow_t, id)))
            continue;
        f = ntt_engine_flow(r->engine, id);
        rec = ntt_engine_conn_record(r->engine, id);
        /* No record: the engine was made without conn.log records (the
         * glue asks for them when -z ntt,conn is given), and the line
         * would claim sizes no one counted. */
        if (f && rec)
            append_flow(out, f, rec, id);
    }
    append_header_time(out, "close", r->packets ? r->last_ns : 0);
}

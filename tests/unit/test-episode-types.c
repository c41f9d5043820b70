/* test-episode-types.c
 * The episode descriptors: every type's detail fields lie inside the
 * detail union and are named once per type; the size and summary texts
 * they drive read as the Alerts section and ntt.alert have always shown
 * them; merging keeps the largest numbers and the first names learnt.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ntt/episode.h"
#include "packet-builder.h"

static ntt_episode_t episode(ntt_episode_type_t type)
{
    ntt_episode_t ep;

    memset(&ep, 0, sizeof ep);
    ep.type = (uint8_t)type;
    ep.ip_version = 4;
    ep.has_src = ep.has_dst = true;
    ep.src = addr4("192.0.2.66");
    ep.dst = addr4("198.51.100.20");
    return ep;
}

static const char *size_of(const ntt_episode_t *ep)
{
    static char buf[96];

    return ntt_episode_size_text(ep, buf, sizeof buf);
}

static size_t kind_size(ntt_episode_field_kind_t kind)
{
    switch (kind) {
    case NTT_EPISODE_FIELD_U32:     return 4;
    case NTT_EPISODE_FIELD_U64:     return 8;
    case NTT_EPISODE_FIELD_RATE:    return sizeof(double);
    case NTT_EPISODE_FIELD_SCORE:   return sizeof(double);
    case NTT_EPISODE_FIELD_ENTROPY: return sizeof(double);
    case NTT_EPISODE_FIELD_MISUSE:  return 1;
    case NTT_EPISODE_FIELD_COUNTRY: return 3;
    case NTT_EPISODE_FIELD_TEXT:    return sizeof(const char *);
    case NTT_EPISODE_FIELD_NET:     return NTT_EPISODE_NET_SIZE;
    }
    return SIZE_MAX;
}

static void every_type_is_described_within_the_detail(void **state)
{
    (void)state;
    for (unsigned t = 0; t < NTT_EPISODE_TYPE_COUNT; t++) {
        const ntt_episode_descriptor_t *desc = ntt_episode_describe((ntt_episode_type_t)t);

        assert_non_null(desc);
        assert_string_equal(desc->name, ntt_episode_type_name((ntt_episode_type_t)t));
        assert_true(desc->field_count > 0);
        for (unsigned i = 0; i < desc->field_count; i++) {
            const ntt_episode_field_t *f = &desc->fields[i];

            assert_true(f->offset + kind_size(f->kind) <= sizeof(ntt_episode_detail_t));
            assert_true(strncmp(f->abbrev, "ntt.", 4) == 0);
            /* a maximum of a name means nothing */
            /* (a network's maximum is the wider one) */
            assert_true(f->merge != NTT_EPISODE_MERGE_MAX || f->kind <= NTT_EPISODE_FIELD_RATE ||
                        f->kind == NTT_EPISODE_FIELD_NET);
            /* what the engine measures at detection, and only that, is kept */
            assert_true((f->merge == NTT_EPISODE_MERGE_KEEP) ==
                        (f->kind == NTT_EPISODE_FIELD_ENTROPY));
            /* the size text puts at most one value in its words */
            if (f->size_words && strstr(f->size_words, "%s"))
                assert_null(strstr(strstr(f->size_words, "%s") + 2, "%"));
            for (unsigned k = 0; k < i; k++) {
                assert_string_not_equal(desc->fields[k].key, f->key);
                assert_string_not_equal(desc->fields[k].abbrev, f->abbrev);
            }
        }
    }
    assert_null(ntt_episode_describe(NTT_EPISODE_TYPE_COUNT));
}

static void size_texts_name_each_types_numbers(void **state)
{
    ntt_episode_t ep;

    (void)state;
    ep = episode(NTT_EPISODE_PORTSCAN);
    ep.detail.portscan.ports = 25;
    ep.detail.portscan.probes = 1000;
    assert_string_equal(size_of(&ep), "25 ports");
    ep = episode(NTT_EPISODE_SWEEP);
    ep.detail.sweep.hosts = 31;
    assert_string_equal(size_of(&ep), "31 hosts");
    ep = episode(NTT_EPISODE_SYNFLOOD);
    ep.detail.flood.sources = 1;
    ep.detail.flood.half_open = 1200;
    ep.detail.flood.peak_pps = 949.6;
    assert_string_equal(size_of(&ep), "1200 half-open, peak 950 SYN/s");
    ep = episode(NTT_EPISODE_UDPFLOOD);
    ep.detail.flood.sources = 1;
    ep.detail.flood.peak_pps = 1805;
    assert_string_equal(size_of(&ep), "peak 1805 packets/s");
    ep = episode(NTT_EPISODE_ICMPFLOOD);
    assert_string_equal(size_of(&ep), "peak 0 packets/s");
    ep = episode(NTT_EPISODE_DDOS);
    ep.detail.flood.sources = 40;
    ep.detail.flood.peak_pps = 120.4;
    assert_string_equal(size_of(&ep), "40 sources, peak 120 packets/s");
    ep = episode(NTT_EPISODE_BRUTEFORCE);
    ep.detail.bruteforce.attempts = 30;
    assert_string_equal(size_of(&ep), "30 connections");
    ep = episode(NTT_EPISODE_FLAGS);
    ep.detail.flags.count = 7;
    ep.detail.flags.misuse = NTT_MISUSE_SYN_FIN;
    assert_string_equal(size_of(&ep), "SYN+FIN");
    ep = episode(NTT_EPISODE_BLOCKLIST);
    ep.detail.blocklist.bytes_received = UINT64_C(5000000000);
    assert_string_equal(size_of(&ep), "5000000000 bytes received");
    ep = episode(NTT_EPISODE_GEO);
    memcpy(ep.detail.geo.country, "DE", 3);
    assert_string_equal(size_of(&ep), "country DE");
}

/* A surge says its direction, peak and usual rate and when it came; its
 * summary counts the host's peers on the side it has many of. */
static void surge_texts(void **state)
{
    ntt_episode_t ep = episode(NTT_EPISODE_SURGE);
    char buf[200];

    (void)state;
    ep.has_dst = false;
    ep.detail.surge.hosts = 3;
    ep.detail.surge.peak_pps = 812.4;
    ep.detail.surge.usual_pps = 12.2;
    ep.detail.surge.direction = "sending";
    ep.detail.surge.when = "off-hours";
    assert_string_equal(size_of(&ep),
                        "sending, peak 812 packets/s, usual 12 packets/s, off-hours");
    assert_string_equal(ntt_episode_summary(&ep, buf, sizeof buf),
                        "surge 192.0.2.66 \xe2\x86\x92 3 hosts: sending, peak 812 packets/s, "
                        "usual 12 packets/s, off-hours");
    ep = episode(NTT_EPISODE_SURGE);
    ep.has_src = false;
    ep.detail.surge.sources = 40;
    ep.detail.surge.direction = "receiving";
    ep.detail.surge.when = "working hours";
    assert_string_equal(ntt_episode_summary(&ep, buf, sizeof buf),
                        "surge 40 sources \xe2\x86\x92 198.51.100.20: receiving, peak 0 packets/s, "
                        "usual 0 packets/s, working hours");
}

static void a_short_buffer_cuts_the_size_text(void **state)
{
    ntt_episode_t ep = episode(NTT_EPISODE_SYNFLOOD);
    char buf[8];

    (void)state;
    ep.detail.flood.half_open = 1200;
    assert_string_equal(ntt_episode_size_text(&ep, buf, sizeof buf), "1200 ha");
}

static void summaries_count_many_sources_and_hosts(void **state)
{
    ntt_episode_t ep;
    char buf[256];

    (void)state;
    ep = episode(NTT_EPISODE_DDOS);
    ep.has_src = false;
    ep.has_port = true;
    ep.port = 80;
    ep.detail.flood.sources = 40;
    ep.detail.flood.peak_pps = 300;
    assert_string_equal(ntt_episode_summary(&ep, buf, sizeof buf),
                        "ddos 40 sources \xe2\x86\x92 198.51.100.20:80: "
                        "40 sources, peak 300 packets/s");
    ep = episode(NTT_EPISODE_SWEEP);
    ep.has_dst = false;
    ep.has_port = true;
    ep.port = 22;
    ep.detail.sweep.hosts = 64;
    assert_string_equal(ntt_episode_summary(&ep, buf, sizeof buf),
                        "sweep 192.0.2.66 \xe2\x86\x92 64 hosts, port 22: 64 hosts");
    /* With its range, the range names the target and the size the hosts:
     * each said once. */
    strcpy(ep.detail.sweep.dst_net, "10.0.0.0/24");
    assert_string_equal(ntt_episode_summary(&ep, buf, sizeof buf),
                        "sweep 192.0.2.66 \xe2\x86\x92 10.0.0.0/24 port 22: 64 hosts");
    ep.has_port = false;
    assert_string_equal(ntt_episode_summary(&ep, buf, sizeof buf),
                        "sweep 192.0.2.66 \xe2\x86\x92 10.0.0.0/24: 64 hosts");
    ep = episode(NTT_EPISODE_BLOCKLIST);
    ep.detail.blocklist.entry_text = "malware.bad.example";
    ep.detail.blocklist.bytes_received = 21945;
    assert_string_equal(ntt_episode_summary(&ep, buf, sizeof buf),
                        "blocklist 192.0.2.66 \xe2\x86\x92 malware.bad.example "
                        "(198.51.100.20): 21945 bytes received");
}

static void merging_keeps_the_largest_numbers(void **state)
{
    ntt_episode_detail_t into, from;

    (void)state;
    memset(&into, 0, sizeof into);
    memset(&from, 0, sizeof from);
    into.portscan.ports = 30;
    into.portscan.probes = 40;
    from.portscan.ports = 25;           /* the window slid: fewer ports now */
    from.portscan.probes = 55;
    ntt_episode_detail_merge(NTT_EPISODE_PORTSCAN, &into, &from);
    assert_int_equal(into.portscan.ports, 30);
    assert_int_equal(into.portscan.probes, 55);

    memset(&into, 0, sizeof into);
    memset(&from, 0, sizeof from);
    into.flood.peak_pps = 900.5;
    from.flood.peak_pps = 950.25;
    from.flood.half_open = 1200;
    from.flood.sources = 2;
    ntt_episode_detail_merge(NTT_EPISODE_SYNFLOOD, &into, &from);
    assert_true(into.flood.peak_pps == 950.25);
    assert_int_equal(into.flood.half_open, 1200);
    assert_int_equal(into.flood.sources, 2);
    from.flood.peak_pps = 10;
    ntt_episode_detail_merge(NTT_EPISODE_SYNFLOOD, &into, &from);
    assert_true(into.flood.peak_pps == 950.25);
}

/* A detector's later report (its detail holds 0 where the engine wrote
 * the entropy it measured) never changes the measurement, not even an
 * unmeasured -1; "measured" is 0 or more. */
static void merging_keeps_the_engines_measurements(void **state)
{
    ntt_episode_detail_t into, from;
    const ntt_episode_descriptor_t *desc = ntt_episode_describe(NTT_EPISODE_SYNFLOOD);
    const ntt_episode_field_t *entropy = NULL;

    (void)state;
    for (unsigned i = 0; i < desc->field_count; i++)
        if (strcmp(desc->fields[i].key, "entropy_src") == 0)
            entropy = &desc->fields[i];
    assert_non_null(entropy);
    memset(&into, 0, sizeof into);
    memset(&from, 0, sizeof from);
    into.flood.entropy_src = 0.97;
    into.flood.half_open = 10;
    from.flood.half_open = 20;
    from.flood.entropy_src = 0.99;
    ntt_episode_detail_merge(NTT_EPISODE_SYNFLOOD, &into, &from);
    assert_int_equal(into.flood.half_open, 20);
    assert_float_equal(into.flood.entropy_src, 0.97, 0);
    into.flood.entropy_src = -1;
    from.flood.entropy_src = 0;
    ntt_episode_detail_merge(NTT_EPISODE_SYNFLOOD, &into, &from);
    assert_float_equal(into.flood.entropy_src, -1, 0);
    assert_false(ntt_episode_field_is_set(entropy, &into));
    into.flood.entropy_src = 0;
    assert_true(ntt_episode_field_is_set(entropy, &into));
    assert_float_equal(ntt_episode_field_rate(entropy, &into), 0, 0);
}

static void merging_keeps_what_was_learnt_first(void **state)
{
    static const char first[] = "/first.bin", later[] = "/later.bin";
    static const char entry[] = "malware.bad.example";
    ntt_episode_detail_t into, from;

    (void)state;
    memset(&into, 0, sizeof into);
    memset(&from, 0, sizeof from);
    into.flags.misuse = NTT_MISUSE_SYN_FIN;
    into.flags.count = 1;
    from.flags.misuse = NTT_MISUSE_ALL_FLAGS;
    from.flags.count = 2;
    ntt_episode_detail_merge(NTT_EPISODE_FLAGS, &into, &from);
    assert_int_equal(into.flags.misuse, NTT_MISUSE_SYN_FIN);
    assert_int_equal(into.flags.count, 2);

    memset(&into, 0, sizeof into);
    memset(&from, 0, sizeof from);
    into.blocklist.entry = 3;
    into.blocklist.entry_text = entry;
    into.blocklist.bytes_received = 100;
    from.blocklist.entry = 3;
    from.blocklist.entry_text = entry;
    from.blocklist.bytes_received = 20054;
    from.blocklist.uri = first;         /* the URI comes after the raise */
    ntt_episode_detail_merge(NTT_EPISODE_BLOCKLIST, &into, &from);
    assert_ptr_equal(into.blocklist.uri, first);
    assert_int_equal(into.blocklist.bytes_received, 20054);
    from.blocklist.uri = later;
    from.blocklist.bytes_received = 54;
    ntt_episode_detail_merge(NTT_EPISODE_BLOCKLIST, &into, &from);
    assert_ptr_equal(into.blocklist.uri, first);
    assert_int_equal(into.blocklist.bytes_received, 20054);
    assert_int_equal(into.blocklist.entry, 3);
    assert_ptr_equal(into.blocklist.entry_text, entry);

    memset(&into, 0, sizeof into);
    memset(&from, 0, sizeof from);
    memcpy(into.geo.country, "DE", 3);
    memcpy(from.geo.country, "US", 3);
    ntt_episode_detail_merge(NTT_EPISODE_GEO, &into, &from);
    assert_string_equal(into.geo.country, "DE");
}

static void merging_keeps_the_wider_network(void **state)
{
    ntt_episode_detail_t into, from;

    (void)state;
    memset(&into, 0, sizeof into);
    memset(&from, 0, sizeof from);
    strcpy(from.sweep.dst_net, "10.0.0.0/26");
    ntt_episode_detail_merge(NTT_EPISODE_SWEEP, &into, &from);
    assert_string_equal(into.sweep.dst_net, "10.0.0.0/26");
    strcpy(from.sweep.dst_net, "10.0.0.0/24");
    ntt_episode_detail_merge(NTT_EPISODE_SWEEP, &into, &from);
    assert_string_equal(into.sweep.dst_net, "10.0.0.0/24");
    /* a narrower later view (a new window) does not narrow the episode */
    strcpy(from.sweep.dst_net, "10.0.0.128/25");
    ntt_episode_detail_merge(NTT_EPISODE_SWEEP, &into, &from);
    assert_string_equal(into.sweep.dst_net, "10.0.0.0/24");
    from.sweep.dst_net[0] = '\0';
    ntt_episode_detail_merge(NTT_EPISODE_SWEEP, &into, &from);
    assert_string_equal(into.sweep.dst_net, "10.0.0.0/24");
}

static void field_values_by_kind(void **state)
{
    const ntt_episode_descriptor_t *flags = ntt_episode_describe(NTT_EPISODE_FLAGS);
    const ntt_episode_descriptor_t *blocklist = ntt_episode_describe(NTT_EPISODE_BLOCKLIST);
    ntt_episode_detail_t d;

    (void)state;
    memset(&d, 0, sizeof d);
    d.flags.count = 4;
    d.flags.misuse = NTT_MISUSE_LAND;
    assert_string_equal(flags->fields[0].key, "attempts");
    assert_int_equal(ntt_episode_field_uint(&flags->fields[0], &d), 4);
    assert_string_equal(flags->fields[1].key, "misuse");
    assert_string_equal(ntt_episode_field_string(&flags->fields[1], &d),
                        "LAND (to its own address and port)");
    assert_true(ntt_episode_field_is_set(&flags->fields[1], &d));
    d.flags.misuse = NTT_MISUSE_NONE;
    assert_false(ntt_episode_field_is_set(&flags->fields[1], &d));

    memset(&d, 0, sizeof d);
    for (unsigned i = 0; i < blocklist->field_count; i++) {
        const ntt_episode_field_t *f = &blocklist->fields[i];

        if (f->kind == NTT_EPISODE_FIELD_TEXT) {   /* a missing text reads "" */
            assert_false(ntt_episode_field_is_set(f, &d));
            assert_string_equal(ntt_episode_field_string(f, &d), "");
        }
    }
}

/* Every field of every type reads back through the one reader its value
 * class names, and a writer that switches on the class (tree, JSON, CSV,
 * database) never sees a kind it does not know: a real read as a number
 * is what was stored, not 0 or an empty text. */
static void every_field_reads_back_by_its_value_class(void **state)
{
    (void)state;
    for (unsigned t = 0; t < NTT_EPISODE_TYPE_COUNT; t++) {
        const ntt_episode_descriptor_t *desc = ntt_episode_describe((ntt_episode_type_t)t);

        for (unsigned i = 0; i < desc->field_count; i++) {
            const ntt_episode_field_t *f = &desc->fields[i];
            ntt_episode_detail_t d;
            char *at = (char *)&d + f->offset;

            memset(&d, 0, sizeof d);
            switch (f->kind) {
            case NTT_EPISODE_FIELD_U32: {
                uint32_t v = 7;
                memcpy(at, &v, sizeof v);
                assert_int_equal(ntt_episode_field_value(f), NTT_EPISODE_VALUE_UINT);
                assert_int_equal(ntt_episode_field_uint(f, &d), 7);
                break;
            }
            case NTT_EPISODE_FIELD_U64: {
                uint64_t v = UINT64_C(1) << 40;
                memcpy(at, &v, sizeof v);
                assert_int_equal(ntt_episode_field_value(f), NTT_EPISODE_VALUE_UINT);
                assert_true(ntt_episode_field_uint(f, &d) == v);
                break;
            }
            case NTT_EPISODE_FIELD_RATE:
            case NTT_EPISODE_FIELD_SCORE:
            case NTT_EPISODE_FIELD_ENTROPY: {
                double v = 0.75;
                memcpy(at, &v, sizeof v);
                assert_int_equal(ntt_episode_field_value(f), NTT_EPISODE_VALUE_REAL);
                assert_true(ntt_episode_field_rate(f, &d) == 0.75);
                assert_int_equal(ntt_episode_field_uint(f, &d), 0);
                break;
            }
            default:
                assert_int_equal(ntt_episode_field_value(f), NTT_EPISODE_VALUE_TEXT);
                assert_true(ntt_episode_field_rate(f, &d) == 0.0);
                assert_non_null(ntt_episode_field_string(f, &d));
                break;
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_type_is_described_within_the_detail),
        cmocka_unit_test(size_texts_name_each_types_numbers),
        cmocka_unit_test(surge_texts),
        cmocka_unit_test(a_short_buffer_cuts_the_size_text),
        cmocka_unit_test(summaries_count_many_sources_and_hosts),
        cmocka_unit_test(merging_keeps_the_largest_numbers),
        cmocka_unit_test(merging_keeps_what_was_learnt_first),
        cmocka_unit_test(merging_keeps_the_engines_measurements),
        cmocka_unit_test(merging_keeps_the_wider_network),
        cmocka_unit_test(field_values_by_kind),
        cmocka_unit_test(every_field_reads_back_by_its_value_class),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

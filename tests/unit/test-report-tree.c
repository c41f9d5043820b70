/* test-report-tree.c
 * The rows of the GUI's statistics tree a packet counts in
 * (ntt_tree_packet): what is ticked, once per flow and per type, the
 * talker cap, a new pass starting over, episode names.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <glib.h>

#include "ntt/engine.h"
#include "ntt/report-tree.h"
#include "packet-builder.h"

/* What a stats_tree would count: "section" or "section/item" -> count. */
typedef struct counts {
    GHashTable *rows;
} counts_t;

static void count_tick(void *ctx, ntt_tree_section_t section, const char *item)
{
    counts_t *c = ctx;
    char *key = item ? g_strdup_printf("%s/%s", ntt_tree_section_name(section), item)
                     : g_strdup(ntt_tree_section_name(section));
    gpointer old = g_hash_table_lookup(c->rows, key);

    g_hash_table_replace(c->rows, key, GUINT_TO_POINTER(GPOINTER_TO_UINT(old) + 1));
}

static unsigned row(const counts_t *c, ntt_tree_section_t section, const char *item)
{
    char key[256];

    if (item)
        snprintf(key, sizeof key, "%s/%s", ntt_tree_section_name(section), item);
    else
        snprintf(key, sizeof key, "%s", ntt_tree_section_name(section));
    return GPOINTER_TO_UINT(g_hash_table_lookup(c->rows, key));
}

static void counts_init(counts_t *c)
{
    c->rows = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
}

/* Flow 0: a rejected attempt (2 packets); ARP; flow 1: a UDP pair. */
static const int MIX = 5;

static ntt_packet_t mix_packet(int i)
{
    switch (i) {
    case 0: return tcp4(1, MS(1000), "192.0.2.1", 40000, "203.0.113.9", 80, NTT_TCP_SYN, 1, 0);
    case 1: return tcp4(2, MS(1001), "203.0.113.9", 80, "192.0.2.1", 40000,
                        NTT_TCP_RST | NTT_TCP_ACK, 0, 0);
    case 2: return non_ip(3, MS(1200), 60);
    case 3: return udp4(4, MS(2100), "192.0.2.1", 5000, "198.51.100.53", 53, 40);
    default: return udp4(5, MS(2101), "198.51.100.53", 53, "192.0.2.1", 5000, 80);
    }
}

/* The first pass: each packet processed and ticked; frames[] keeps them. */
static void first_pass(ntt_engine_t *e, ntt_tree_t *t, counts_t *c, ntt_frame_t frames[])
{
    for (int i = 0; i < MIX; i++) {
        ntt_packet_t p = mix_packet(i);

        assert_true(ntt_engine_process(e, &p, &frames[i]));
        ntt_tree_packet(t, e, p.frame, &frames[i], false, count_tick, c);
    }
}

static void test_rows_of_a_mix(void **state)
{
    ntt_engine_t *e = ntt_engine_new(NULL);
    ntt_tree_t *t = ntt_tree_new(100);
    ntt_frame_t frames[5];
    counts_t one, two;

    (void)state;
    counts_init(&one);
    first_pass(e, t, &one, frames);
    /* The first pass cannot know final states. */
    assert_int_equal(row(&one, NTT_TREE_FLOWS, NULL), 2);
    assert_int_equal(row(&one, NTT_TREE_FLOWS, ntt_tree_needs_two_passes), 2);
    assert_int_equal(row(&one, NTT_TREE_ALERTS, NULL), 0);
    assert_int_equal(row(&one, NTT_TREE_PROTOCOLS, NULL), 5);
    assert_int_equal(row(&one, NTT_TREE_PROTOCOLS, "TCP"), 2);
    assert_int_equal(row(&one, NTT_TREE_PROTOCOLS, "UDP"), 2);
    assert_int_equal(row(&one, NTT_TREE_PROTOCOLS, "Non-IP"), 1);
    assert_int_equal(row(&one, NTT_TREE_SERVICES, NULL), 4);
    assert_int_equal(row(&one, NTT_TREE_SERVICES, "http"), 2);
    assert_int_equal(row(&one, NTT_TREE_SERVICES, "dns"), 2);
    /* Each IP packet counts for both its ends. */
    assert_int_equal(row(&one, NTT_TREE_TALKERS, NULL), 4);
    assert_int_equal(row(&one, NTT_TREE_TALKERS, "192.0.2.1"), 4);
    assert_int_equal(row(&one, NTT_TREE_TALKERS, "203.0.113.9"), 2);
    assert_int_equal(row(&one, NTT_TREE_TALKERS, "198.51.100.53"), 2);

    /* A later pass (frame 1 again) starts over and knows final states. */
    counts_init(&two);
    for (int i = 0; i < MIX; i++)
        ntt_tree_packet(t, e, (uint32_t)i + 1, &frames[i], true, count_tick, &two);
    assert_int_equal(row(&two, NTT_TREE_FLOWS, NULL), 2);
    assert_int_equal(row(&two, NTT_TREE_FLOWS, "REJ"), 1);
    assert_int_equal(row(&two, NTT_TREE_FLOWS, "SF"), 1);
    assert_int_equal(row(&two, NTT_TREE_FLOWS, ntt_tree_needs_two_passes), 0);
    assert_int_equal(row(&two, NTT_TREE_TALKERS, "192.0.2.1"), 4);

    g_hash_table_destroy(one.rows);
    g_hash_table_destroy(two.rows);
    ntt_tree_free(t);
    ntt_engine_unref(e);
}

/* A filter that leaves out a flow's first packet: the flow is counted at
 * the first packet it lets through, once. */
static void test_flow_counts_at_its_first_counted_packet(void **state)
{
    ntt_engine_t *e = ntt_engine_new(NULL);
    ntt_tree_t *t = ntt_tree_new(100);
    ntt_frame_t frames[5];
    counts_t all, replies;

    (void)state;
    counts_init(&all);
    first_pass(e, t, &all, frames);
    counts_init(&replies);
    /* Only the responders' packets (frames 2 and 5). */
    ntt_tree_packet(t, e, 2, &frames[1], true, count_tick, &replies);
    ntt_tree_packet(t, e, 5, &frames[4], true, count_tick, &replies);
    assert_int_equal(row(&replies, NTT_TREE_FLOWS, NULL), 2);
    assert_int_equal(row(&replies, NTT_TREE_FLOWS, "REJ"), 1);
    assert_int_equal(row(&replies, NTT_TREE_FLOWS, "SF"), 1);
    assert_int_equal(row(&replies, NTT_TREE_PROTOCOLS, NULL), 2);
    g_hash_table_destroy(all.rows);
    g_hash_table_destroy(replies.rows);
    ntt_tree_free(t);
    ntt_engine_unref(e);
}

static void test_talkers_past_the_cap_are_other(void **state)
{
    ntt_engine_t *e = ntt_engine_new(NULL);
    ntt_tree_t *t = ntt_tree_new(2);
    ntt_frame_t frames[5];
    counts_t c;

    (void)state;
    counts_init(&c);
    first_pass(e, t, &c, frames);
    assert_int_equal(row(&c, NTT_TREE_TALKERS, "192.0.2.1"), 4);
    assert_int_equal(row(&c, NTT_TREE_TALKERS, "203.0.113.9"), 2);
    assert_int_equal(row(&c, NTT_TREE_TALKERS, "198.51.100.53"), 0);
    assert_int_equal(row(&c, NTT_TREE_TALKERS, ntt_tree_other_talkers), 2);
    g_hash_table_destroy(c.rows);
    ntt_tree_free(t);
    ntt_engine_unref(e);
}

/* A port scan of 10 closed ports: every probe and refusal is an alert
 * packet of one portscan episode; before its detection only on a later
 * pass. */
static void test_alerts_and_episodes(void **state)
{
    ntt_engine_t *e = ntt_engine_new(NULL);
    ntt_tree_t *t = ntt_tree_new(100);
    ntt_frame_t frames[20];
    counts_t one, two;
    const ntt_episode_t *ep;
    char name[160];
    uint32_t n = 0;

    (void)state;
    counts_init(&one);
    for (int port = 0; port < 10; port++) {
        ntt_packet_t syn = tcp4(n + 1, MS(1000 + 10 * port), "192.0.2.66", 50000,
                                "198.51.100.20", (uint16_t)(1000 + port), NTT_TCP_SYN, 1, 0);
        ntt_packet_t rst = tcp4(n + 2, MS(1001 + 10 * port), "198.51.100.20",
                                (uint16_t)(1000 + port), "192.0.2.66", 50000,
                                NTT_TCP_RST | NTT_TCP_ACK, 0, 0);

        assert_true(ntt_engine_process(e, &syn, &frames[n]));
        ntt_tree_packet(t, e, n + 1, &frames[n], false, count_tick, &one);
        assert_true(ntt_engine_process(e, &rst, &frames[n + 1]));
        ntt_tree_packet(t, e, n + 2, &frames[n + 1], false, count_tick, &one);
        n += 2;
    }
    assert_int_equal(ntt_engine_episode_count(e), 1);
    ep = ntt_engine_episode(e, 0);
    assert_int_equal(ep->type, NTT_EPISODE_PORTSCAN);
    ntt_tree_episode_name(ep, name, sizeof name);
    assert_string_equal(name, "#0 portscan 192.0.2.66 -> 198.51.100.20");

    counts_init(&two);
    for (uint32_t i = 0; i < n; i++)
        ntt_tree_packet(t, e, i + 1, &frames[i], true, count_tick, &two);
    assert_int_equal(row(&two, NTT_TREE_ALERTS, NULL), ep->packets);
    assert_int_equal(row(&two, NTT_TREE_ALERTS, "portscan"), ep->packets);
    assert_int_equal(row(&two, NTT_TREE_EPISODES, NULL), ep->packets);
    assert_int_equal(row(&two, NTT_TREE_EPISODES, name), ep->packets);
    /* The first pass counts from the detection on only. */
    assert_true(row(&one, NTT_TREE_ALERTS, "portscan") > 0);
    assert_true(row(&one, NTT_TREE_ALERTS, "portscan") < row(&two, NTT_TREE_ALERTS, "portscan"));
    assert_int_equal(row(&one, NTT_TREE_ALERTS, "portscan"), n - ep->detect_frame + 1);

    g_hash_table_destroy(one.rows);
    g_hash_table_destroy(two.rows);
    ntt_tree_free(t);
    ntt_engine_unref(e);
}

static void test_alert_sections_stay_on_top(void **state)
{
    (void)state;
    assert_true(ntt_tree_section_on_top(NTT_TREE_ALERTS));
    assert_true(ntt_tree_section_on_top(NTT_TREE_EPISODES));
    assert_true(ntt_tree_section_on_top(NTT_TREE_FLOWS));
    assert_true(ntt_tree_section_on_top(NTT_TREE_TALKERS));
    assert_false(ntt_tree_section_on_top(NTT_TREE_PROTOCOLS));
    assert_false(ntt_tree_section_on_top(NTT_TREE_SERVICES));
}

static void test_episode_names(void **state)
{
    ntt_episode_t ep;
    char name[160];

    (void)state;
    memset(&ep, 0, sizeof ep);
    ep.id = 7;
    ep.type = NTT_EPISODE_SYNFLOOD;
    ep.ip_version = 4;
    ep.has_dst = true;
    ep.dst = addr4("203.0.113.20");
    ep.has_port = true;
    ep.port = 80;
    assert_string_equal(ntt_tree_episode_name(&ep, name, sizeof name),
                        "#7 synflood (many) -> 203.0.113.20:80");
    ep.type = NTT_EPISODE_SWEEP;
    ep.has_dst = false;
    ep.has_src = true;
    ep.src = addr4("198.51.100.66");
    ep.has_port = false;
    /* The swept range widens as probes come: the name does not show it. */
    snprintf(ep.detail.sweep.dst_net, sizeof ep.detail.sweep.dst_net, "198.51.100.0/24");
    assert_string_equal(ntt_tree_episode_name(&ep, name, sizeof name),
                        "#7 sweep 198.51.100.66 -> (many)");
    ep.ip_version = 6;
    ep.has_dst = true;
    ep.has_port = true;
    ep.port = 22;
    ep.src = addr6("2001:db8::66");
    ep.dst = addr6("2001:db8::20");
    assert_string_equal(ntt_tree_episode_name(&ep, name, sizeof name),
                        "#7 sweep 2001:db8::66 -> [2001:db8::20]:22");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows_of_a_mix),
        cmocka_unit_test(test_flow_counts_at_its_first_counted_packet),
        cmocka_unit_test(test_talkers_past_the_cap_are_other),
        cmocka_unit_test(test_alerts_and_episodes),
        cmocka_unit_test(test_alert_sections_stay_on_top),
        cmocka_unit_test(test_episode_names),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

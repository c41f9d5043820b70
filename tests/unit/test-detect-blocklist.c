/* test-detect-blocklist.c
 * Contacts with blocklisted destinations: by address (flow), by name
 * (DNS query, DNS answer and the addresses it resolves, HTTP Host, an
 * absolute URI, TLS SNI), one episode per (host, entry), bytes received.
 * The detector has no threshold; its table sizes are set here.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "ntt/blocklist.h"

#include "detect-harness.h"
#include "packet-builder.h"

#define CLIENT "192.0.2.10"
#define DNS    "203.0.113.53"
#define BAD    "203.0.113.80"

/* max_trackers: room for every contact and resolved address here. */
#define TRACKERS 1000

typedef struct fixture {
    ntt_blocklist_t  *list;
    detect_harness_t *h;
    uint32_t          frame;
} fixture_t;

static fixture_t *fixture_new(const char *list_text)
{
    fixture_t *f = g_new0(fixture_t, 1);
    ntt_detect_config_t c;

    ntt_detect_config_init(&c);
    c.max_trackers = TRACKERS;
    f->list = ntt_blocklist_parse(list_text, strlen(list_text), "test", NULL, NULL);
    c.blocklist = f->list;
    f->h = harness_new(&ntt_detect_blocklist_ops, &c);
    f->frame = 1;
    return f;
}

static void fixture_free(fixture_t *f)
{
    harness_free(f->h);
    ntt_blocklist_free(f->list);
    g_free(f);
}

static void feed(fixture_t *f, ntt_packet_t *p)
{
    p->frame = f->frame++;
    harness_feed(f->h, p);
}

/* A DNS query for name and its answer giving resolved (IPv4). */
static void lookup(fixture_t *f, const char *name, const char *resolved)
{
    ntt_name_t q = { name, (uint16_t)strlen(name), NTT_NAME_DNS_QUERY };
    ntt_name_t a = { name, (uint16_t)strlen(name), NTT_NAME_DNS_ANSWER };
    ntt_resolved_t r = { addr4(resolved), 4 };
    ntt_packet_t query = udp4(0, MS(f->frame), CLIENT, 40000, DNS, 53, 40);
    ntt_packet_t answer = udp4(0, MS(f->frame), DNS, 53, CLIENT, 40000, 56);

    query.names = &q;
    query.name_count = 1;
    answer.names = &a;
    answer.name_count = 1;
    answer.resolved = &r;
    answer.resolved_count = 1;
    feed(f, &query);
    feed(f, &answer);
}

/* A TCP download of body bytes from server to the client. */
static void download(fixture_t *f, const char *server, uint16_t sport, uint32_t body,
                     const char *host, const char *uri)
{
    ntt_name_t h = { host, host ? (uint16_t)strlen(host) : 0, NTT_NAME_HTTP_HOST };
    ntt_packet_t syn = tcp4(0, MS(f->frame), CLIENT, sport, server, 80, NTT_TCP_SYN, 1, 0);
    ntt_packet_t synack = tcp4(0, MS(f->frame), server, 80, CLIENT, sport,
                               NTT_TCP_SYN | NTT_TCP_ACK, 7, 0);
    ntt_packet_t get = tcp4(0, MS(f->frame), CLIENT, sport, server, 80,
                            NTT_TCP_ACK | NTT_TCP_PSH, 2, 80);
    ntt_packet_t data = tcp4(0, MS(f->frame), server, 80, CLIENT, sport,
                             NTT_TCP_ACK | NTT_TCP_PSH, 8, body);

    feed(f, &syn);
    feed(f, &synack);
    if (host) {
        get.names = &h;
        get.name_count = 1;
    }
    if (uri) {
        get.http_uri = uri;
        get.http_uri_len = (uint16_t)strlen(uri);
    }
    feed(f, &get);
    feed(f, &data);
}

static const recorded_mark_t *last_mark_of(const detect_harness_t *h, uint32_t token)
{
    const GArray *marks = harness_marks(h);
    const recorded_mark_t *last = NULL;

    for (guint i = 0; i < marks->len; i++) {
        const recorded_mark_t *r = &g_array_index(marks, recorded_mark_t, i);

        if (r->mark.token == token)
            last = r;
    }
    return last;
}

static void a_listed_name_resolved_then_downloaded_is_one_episode(void **state)
{
    fixture_t *f = fixture_new("malware.bad.example\n");
    const recorded_mark_t *raise, *last;
    ntt_addr_t client = addr4(CLIENT), bad = addr4(BAD);

    (void)state;
    lookup(f, "www.lab.example", "203.0.113.20");           /* frames 1-2: benign */
    lookup(f, "malware.bad.example", BAD);                   /* frames 3-4 */
    download(f, BAD, 41000, 20000, NULL, NULL);              /* frames 5-8: no Host */
    assert_int_equal(harness_raise_count(f->h, NTT_EPISODE_TYPE_COUNT), 1);
    raise = harness_raise(f->h, NTT_EPISODE_BLOCKLIST, 0);
    assert_int_equal(raise->frame, 3);                       /* the query */
    assert_int_equal(raise->mark.info.detail.blocklist.entry, 1);
    assert_string_equal(raise->mark.info.detail.blocklist.entry_text, "malware.bad.example");
    assert_memory_equal(&raise->mark.info.src, &client, sizeof client);
    /* Every frame from the query on is the episode's: 2 DNS + 4 TCP. */
    assert_int_equal(harness_frames_of_token(f->h, raise->mark.token), 6);
    last = last_mark_of(f->h, raise->mark.token);
    assert_int_equal(last->frame, 8);
    assert_int_equal(last->mark.count, 6);
    assert_true(last->mark.info.has_dst);
    assert_memory_equal(&last->mark.info.dst, &bad, sizeof bad);
    /* Received: the SYN-ACK and the data segment, frame bytes. */
    assert_int_equal(last->mark.info.detail.blocklist.bytes_received, 54 + 20054);
    fixture_free(f);
}

static void address_and_network_entries_match_flows_once_per_host_and_entry(void **state)
{
    fixture_t *f = fixture_new("203.0.113.0/24\n203.0.113.80\n");
    const recorded_mark_t *r;

    (void)state;
    download(f, "203.0.113.21", 41000, 100, NULL, NULL);     /* the /24 */
    download(f, "203.0.113.22", 41001, 100, NULL, NULL);     /* the /24 again */
    download(f, BAD, 41002, 100, NULL, NULL);                /* the exact address wins */
    assert_int_equal(harness_raise_count(f->h, NTT_EPISODE_BLOCKLIST), 2);
    r = harness_raise(f->h, NTT_EPISODE_BLOCKLIST, 0);
    assert_int_equal(r->frame, 1);
    assert_int_equal(r->mark.info.detail.blocklist.entry, 1);
    assert_int_equal(harness_frames_of_token(f->h, r->mark.token), 8);
    r = harness_raise(f->h, NTT_EPISODE_BLOCKLIST, 1);
    assert_int_equal(r->frame, 9);
    assert_int_equal(r->mark.info.detail.blocklist.entry, 2);
    fixture_free(f);
}

static void http_host_and_absolute_uri_name_the_destination(void **state)
{
    fixture_t *f = fixture_new("*.evil.example\nproxy-target.example\n");
    const recorded_mark_t *r;
    ntt_addr_t server = addr4("198.51.100.9");

    (void)state;
    download(f, "198.51.100.9", 41000, 500, "cdn.evil.example", "/x.bin");
    assert_int_equal(harness_raise_count(f->h, NTT_EPISODE_BLOCKLIST), 1);
    r = harness_raise(f->h, NTT_EPISODE_BLOCKLIST, 0);
    assert_int_equal(r->frame, 3);                            /* the GET */
    assert_memory_equal(&r->mark.info.dst, &server, sizeof server);
    assert_string_equal(r->mark.info.detail.blocklist.uri, "/x.bin");
    /* Received: the SYN-ACK before the GET is not the episode's yet
     * (the flow was not known bad); the response is. */
    assert_int_equal(last_mark_of(f->h, r->mark.token)->mark.info.detail.blocklist.bytes_received, 554);
    /* A proxy request names its target in the URI. */
    download(f, "198.51.100.200", 41001, 10, NULL, "http://proxy-target.example:8080/a");
    assert_int_equal(harness_raise_count(f->h, NTT_EPISODE_BLOCKLIST), 2);
    fixture_free(f);
}

static void unlisted_traffic_is_never_marked(void **state)
{
    fixture_t *f = fixture_new("malware.bad.example\n198.51.100.0/24\n");

    (void)state;
    lookup(f, "www.lab.example", "203.0.113.20");
    lookup(f, "bad.example", "203.0.113.99");                 /* a parent, not listed */
    download(f, "203.0.113.20", 41000, 1000, "www.lab.example", "/");
    assert_int_equal(harness_marks(f->h)->len, 0);
    fixture_free(f);
}

static void the_hosts_other_flows_are_not_the_episodes(void **state)
{
    fixture_t *f = fixture_new("malware.bad.example\n");
    const recorded_mark_t *raise;
    uint32_t good_first;

    (void)state;
    lookup(f, "malware.bad.example", BAD);                   /* frames 1-2 */
    download(f, BAD, 41000, 2000, NULL, NULL);               /* frames 3-6 */
    good_first = f->frame;
    /* The same client, in the middle of its episode, looks up and
     * downloads from a site no list names: those flows are not the
     * episode's, and no packet of them is marked. */
    lookup(f, "www.lab.example", "203.0.113.20");
    download(f, "203.0.113.20", 41001, 2000, "www.lab.example", "/");
    assert_int_equal(harness_raise_count(f->h, NTT_EPISODE_TYPE_COUNT), 1);
    raise = harness_raise(f->h, NTT_EPISODE_BLOCKLIST, 0);
    assert_int_equal(harness_frames_of_token(f->h, raise->mark.token), good_first - 1);
    assert_int_equal(harness_marks(f->h)->len, good_first - 1);
    fixture_free(f);
}

static void no_list_no_work(void **state)
{
    ntt_detect_config_t c;
    detect_harness_t *h;
    ntt_packet_t p = tcp4(1, 0, CLIENT, 1, BAD, 80, NTT_TCP_SYN, 1, 0);

    (void)state;
    ntt_detect_config_init(&c);
    c.max_trackers = TRACKERS;
    h = harness_new(&ntt_detect_blocklist_ops, &c);
    /* Off: no packet reaches it, no flow carries a slot for it. */
    assert_false(harness_family_on(h));
    harness_feed(h, &p);
    assert_int_equal(harness_marks(h)->len, 0);
    harness_free(h);
}

static void contacts_are_capped(void **state)
{
    ntt_detect_config_t c;
    ntt_blocklist_t *list = ntt_blocklist_parse("10.0.0.0/8\n", 11, "t", NULL, NULL);
    detect_harness_t *h;

    (void)state;
    ntt_detect_config_init(&c);
    c.blocklist = list;
    c.max_trackers = 8;
    h = harness_new(&ntt_detect_blocklist_ops, &c);
    for (uint32_t i = 0; i < 100; i++) {
        char src[32];
        ntt_packet_t p;

        snprintf(src, sizeof src, "192.0.2.%u", i + 1);
        p = tcp4(i + 1, MS(i), src, 40000, "10.1.1.1", 80, NTT_TCP_SYN, 1, 0);
        harness_feed(h, &p);
    }
    /* One episode per host all the same; the table evicted and said so. */
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_BLOCKLIST), 100);
    assert_true(harness_evictions(h, NTT_EPISODE_BLOCKLIST) > 0);
    harness_free(h);
    ntt_blocklist_free(list);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_listed_name_resolved_then_downloaded_is_one_episode),
        cmocka_unit_test(address_and_network_entries_match_flows_once_per_host_and_entry),
        cmocka_unit_test(http_host_and_absolute_uri_name_the_destination),
        cmocka_unit_test(unlisted_traffic_is_never_marked),
        cmocka_unit_test(the_hosts_other_flows_are_not_the_episodes),
        cmocka_unit_test(no_list_no_work),
        cmocka_unit_test(contacts_are_capped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

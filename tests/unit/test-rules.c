/* test-rules.c
 * Detection rules pinned through the engine's public API: each test is a
 * piece of traffic and the verdict the rule gives it, at the rule's
 * boundary where it has one, so that changing the rule (a constant, a
 * `<=` for a `<`, a reset left out) fails a test. tests/mutations.sh
 * applies such changes one at a time and checks that a test here fails.
 *
 * Every threshold a test depends on is set here (rules_config()), never
 * taken from the defaults; the expected values follow from those
 * thresholds and the traffic.
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

#include "ntt/engine.h"
#include "packet-builder.h"

enum { SYN = NTT_TCP_SYN, ACK = NTT_TCP_ACK, RST = NTT_TCP_RST };
enum { ECHO_REQUEST = 8 };

#define SEC(x) ((int64_t)(x) * NTT_NS_PER_SEC)

/* Packet times start here, not at 0, so no tracker starts at time 0. */
#define T0 SEC(1000)

/* The thresholds the tests reason from (see rules_config()). */
#define FLOOD_WINDOW        SEC(1)
#define ICMPFLOOD_RATE      100     /* requests a second */
#define BRUTEFORCE_ATTEMPTS 5
#define BRUTEFORCE_WINDOW   SEC(10)
#define SYNFLOOD_SYNS       100     /* SYNs a second, and half-open */
#define DDOS_SOURCES        100     /* sources, and new flows a second */

#define ATTACKER "192.0.2.66"
#define VICTIM   "203.0.113.20"

/* The thresholds every test starts from. Each detector gets values its
 * own tests reason from; a test's traffic stays far below the thresholds
 * of the families it is not about (and each test counts episodes of one
 * type), so only the rule under test decides its verdict. */
static void rules_config(ntt_config_t *config)
{
    ntt_detect_config_t *c = &config->detect;

    ntt_config_init(config);
    c->enabled = true;
    c->max_trackers = 1000;
    c->reply_timeout_ns = SEC(1);

    c->portscan_ports = 1000;
    c->portscan_window_ns = SEC(60);

    /* Each answered first contact multiplies the walk's likelihood ratio
     * by theta1/theta0 = 1/4, each failed one by (1-theta1)/(1-theta0) =
     * 4; scanner at beta/alpha = 99, benign at (1-beta)/(1-alpha) = 1/99.
     * 4^3 = 64 < 99 < 256 = 4^4: four steps in a row decide either way. */
    c->sweep_theta0 = 0.8;
    c->sweep_theta1 = 0.2;
    c->sweep_alpha = 0.01;
    c->sweep_beta = 0.99;
    c->sweep_hosts = 1000;           /* the backstop out of the way */
    c->sweep_burst = 0;              /* no burst rule: the walk alone */
    c->sweep_window_ns = SEC(60);

    c->flood_window_ns = FLOOD_WINDOW;
    c->synflood_rate = SYNFLOOD_SYNS;
    c->synflood_half_open = SYNFLOOD_SYNS;
    c->synflood_completion = 0.2;
    c->udpflood_rate = 10000.0;
    c->udpflood_unanswered = 0.8;
    c->icmpflood_rate = ICMPFLOOD_RATE;
    c->flood_baseline_factor = 0;    /* the floor alone, unless a test says */
    c->flood_baseline_windows = 0;

    c->ddos_sources = DDOS_SOURCES;
    c->ddos_rate = DDOS_SOURCES;
    c->ddos_window_ns = SEC(10);

    c->bruteforce_attempts = BRUTEFORCE_ATTEMPTS;
    c->bruteforce_window_ns = BRUTEFORCE_WINDOW;

    c->big_echo_bytes = 1472;
    c->misuse_window_ns = SEC(60);
    c->geo_watch_countries[0] = '\0';
    c->geo_allow_countries[0] = '\0';
}

/* A capture being fed to an engine, frame by frame. */
typedef struct capture {
    ntt_engine_t *engine;
    uint32_t      frame;    /* the last frame fed */
} capture_t;

static capture_t capture_new(const ntt_config_t *config)
{
    capture_t cap = { ntt_engine_new(config), 0 };

    assert_non_null(cap.engine);
    return cap;
}

static uint32_t feed(capture_t *cap, ntt_packet_t p)
{
    assert_true(ntt_engine_process(cap->engine, &p, NULL));
    return p.frame;
}

static uint32_t echo_request(capture_t *cap, int64_t ts, const char *src, const char *dst)
{
    return feed(cap, icmp4(++cap->frame, ts, src, dst, ECHO_REQUEST, 0, 1));
}

static uint32_t tcp(capture_t *cap, int64_t ts, const char *src, uint16_t sport,
                    const char *dst, uint16_t dport, uint16_t flags)
{
    return feed(cap, tcp4(++cap->frame, ts, src, sport, dst, dport, flags, 1000, 0));
}

static uint32_t udp(capture_t *cap, int64_t ts, const char *src, uint16_t sport,
                    const char *dst, uint16_t dport)
{
    return feed(cap, udp4(++cap->frame, ts, src, sport, dst, dport, 32));
}

/* The episodes of one type, in order of detection; returns how many. */
static unsigned episodes_of(const capture_t *cap, ntt_episode_type_t type,
                            const ntt_episode_t **out, unsigned max)
{
    unsigned n = 0;

    for (uint32_t i = 0; i < ntt_engine_episode_count(cap->engine); i++) {
        const ntt_episode_t *ep = ntt_engine_episode(cap->engine, i);

        if (ep->type != type)
            continue;
        if (n < max)
            out[n] = ep;
        n++;
    }
    return n;
}

static void assert_addr(const ntt_addr_t *a, const char *text)
{
    ntt_addr_t expected = addr4(text);

    assert_memory_equal(a->bytes, expected.bytes, sizeof expected.bytes);
}

/* ---- floods: four sources or fewer are put on the main one ------------- */

static const char *const BYSTANDERS[] = {
    "198.51.100.1", "198.51.100.2", "198.51.100.3", "198.51.100.4",
};

/* `bystanders` other hosts send one echo request each, then the attacker
 * floods; the flood condition first holds at the ICMPFLOOD_RATE-th request
 * (1 ms apart: all within one window), where the episode is raised with
 * the sources seen so far. */
static capture_t icmp_flood_with_bystanders(unsigned bystanders, uint32_t *raise_frame)
{
    ntt_config_t config;
    capture_t cap;
    unsigned i;
    int64_t t = T0;

    rules_config(&config);
    cap = capture_new(&config);
    for (i = 0; i < bystanders; i++, t += MS(1))
        echo_request(&cap, t, BYSTANDERS[i], VICTIM);
    for (; i < ICMPFLOOD_RATE; i++, t += MS(1))
        *raise_frame = echo_request(&cap, t, ATTACKER, VICTIM);
    return cap;
}

static void flood_from_four_sources_is_put_on_its_main_source(void **state)
{
    uint32_t raise_frame = 0;
    capture_t cap = icmp_flood_with_bystanders(3, &raise_frame);
    const ntt_episode_t *ep = NULL;

    (void)state;
    assert_int_equal(episodes_of(&cap, NTT_EPISODE_ICMPFLOOD, &ep, 1), 1);
    assert_int_equal(ep->detect_frame, raise_frame);
    assert_int_equal(ep->detail.flood.sources, 4);
    assert_true(ep->has_src);
    assert_addr(&ep->src, ATTACKER);
    ntt_engine_unref(cap.engine);
}

static void flood_from_five_sources_has_no_single_source(void **state)
{
    uint32_t raise_frame = 0;
    capture_t cap = icmp_flood_with_bystanders(4, &raise_frame);
    const ntt_episode_t *ep = NULL;

    (void)state;
    assert_int_equal(episodes_of(&cap, NTT_EPISODE_ICMPFLOOD, &ep, 1), 1);
    assert_int_equal(ep->detect_frame, raise_frame);
    assert_int_equal(ep->detail.flood.sources, 5);
    assert_false(ep->has_src);
    ntt_engine_unref(cap.engine);
}

/* ---- floods: an episode ends ten windows after the condition last held - */

/* An ICMP flood, a pause, the flood again: the attacker sends
 * ICMPFLOOD_RATE requests 1 ms apart (the condition holds at the last
 * one, L), then one request a second for TRICKLE seconds (1/s: the
 * condition does not hold, though the host is not idle), then
 * ICMPFLOOD_RATE requests 1 ms apart again, the last of which -- where
 * the condition holds again -- lands `back_after` after L.
 * With the baseline on, the host's tracker outlives 60 idle windows, so
 * only the episode rule can end the episode within them; the flood's own
 * windows are not learnt and the trickle's 1/s times the factor stays
 * under the floor, so the condition is the floor rate throughout. */
#define TRICKLE 8

typedef struct flood_frames {
    uint32_t first_hot;   /* the condition first holds */
    uint32_t back_hot;    /* it holds again, after the pause */
} flood_frames_t;

static capture_t icmp_flood_and_back(int64_t back_after, flood_frames_t *frames)
{
    ntt_config_t config;
    capture_t cap;
    int64_t t = T0, last_hot;

    rules_config(&config);
    config.detect.flood_baseline_factor = 10;
    config.detect.flood_baseline_windows = 60;
    cap = capture_new(&config);
    for (unsigned i = 0; i < ICMPFLOOD_RATE; i++, t += MS(1))
        frames->first_hot = echo_request(&cap, t, ATTACKER, VICTIM);
    last_hot = t - MS(1);
    for (int s = 1; s <= TRICKLE; s++)
        echo_request(&cap, last_hot + SEC(s), ATTACKER, VICTIM);
    t = last_hot + back_after - (ICMPFLOOD_RATE - 1) * MS(1);
    for (unsigned i = 0; i < ICMPFLOOD_RATE; i++, t += MS(1))
        frames->back_hot = echo_request(&cap, t, ATTACKER, VICTIM);
    return cap;
}

static void icmp_flood_back_ten_windows_after_it_last_held_is_one_episode(void **state)
{
    flood_frames_t frames;
    capture_t cap = icmp_flood_and_back(10 * FLOOD_WINDOW, &frames);
    const ntt_episode_t *ep = NULL;

    (void)state;
    assert_int_equal(episodes_of(&cap, NTT_EPISODE_ICMPFLOOD, &ep, 1), 1);
    assert_int_equal(ep->detect_frame, frames.first_hot);
    /* Both bursts and the trickle between them. */
    assert_int_equal(ep->packets, ICMPFLOOD_RATE + TRICKLE + ICMPFLOOD_RATE);
    assert_int_equal(ep->last_frame, frames.back_hot);
    ntt_engine_unref(cap.engine);
}

static void icmp_flood_back_just_over_ten_windows_later_is_a_new_episode(void **state)
{
    flood_frames_t frames;
    capture_t cap = icmp_flood_and_back(10 * FLOOD_WINDOW + 1, &frames);
    const ntt_episode_t *eps[2] = { NULL, NULL };

    (void)state;
    assert_int_equal(episodes_of(&cap, NTT_EPISODE_ICMPFLOOD, eps, 2), 2);
    /* The first ended with the trickle; the second starts where the
     * condition holds again. */
    assert_int_equal(eps[0]->detect_frame, frames.first_hot);
    assert_int_equal(eps[0]->packets, ICMPFLOOD_RATE + TRICKLE + ICMPFLOOD_RATE - 1);
    assert_int_equal(eps[0]->last_frame, frames.back_hot - 1);
    assert_int_equal(eps[1]->detect_frame, frames.back_hot);
    assert_int_equal(eps[1]->first_frame, frames.back_hot);
    assert_int_equal(eps[1]->packets, 1);
    ntt_engine_unref(cap.engine);
}

/* ---- sweep: the Threshold Random Walk starts over once benign ---------- */

/* The client's first contact with host 198.51.100.<host> on port 80,
 * answered 1 ms later with a SYN-ACK (success) or a RST (failure).
 * Returns the answer's frame. */
static uint32_t first_contact(capture_t *cap, int64_t t, unsigned host, bool answered)
{
    char addr[32];

    snprintf(addr, sizeof addr, "198.51.100.%u", host);
    tcp(cap, t, ATTACKER, (uint16_t)(40000 + host), addr, 80, SYN);
    return tcp(cap, t + MS(1), addr, 80, ATTACKER, (uint16_t)(40000 + host),
               answered ? SYN | ACK : RST | ACK);
}

/* `successes` answered first contacts, then `failures` refused ones, 10
 * ms apart (each answered long before the reply timeout). Returns the
 * capture, with the frame of each refusal's answer in refusal_frames. */
static capture_t walk_of(unsigned successes, unsigned failures, uint32_t *refusal_frames)
{
    ntt_config_t config;
    capture_t cap;
    unsigned host = 1;
    int64_t t = T0;

    rules_config(&config);
    cap = capture_new(&config);
    for (unsigned i = 0; i < successes; i++, t += MS(10))
        first_contact(&cap, t, host++, true);
    for (unsigned i = 0; i < failures; i++, t += MS(10))
        refusal_frames[i] = first_contact(&cap, t, host++, false);
    return cap;
}

static void sweep_walk_starts_over_after_four_answered_contacts(void **state)
{
    uint32_t refusals[4];
    capture_t cap = walk_of(4, 4, refusals);
    const ntt_episode_t *ep = NULL;

    (void)state;
    /* 4^-4 <= 1/99: benign, the ratio starts over at 1; four refusals
     * take it to 4^4 >= 99. Without the fresh start they would only
     * bring it back to 1. */
    assert_int_equal(episodes_of(&cap, NTT_EPISODE_SWEEP, &ep, 1), 1);
    assert_int_equal(ep->detect_frame, refusals[3]);
    assert_true(ep->has_src);
    assert_addr(&ep->src, ATTACKER);
    assert_int_equal(ep->detail.sweep.hosts, 8);
    ntt_engine_unref(cap.engine);
}

static void sweep_walk_not_yet_benign_keeps_its_history(void **state)
{
    uint32_t refusals[7];
    capture_t cap = walk_of(3, 7, refusals);
    const ntt_episode_t *ep = NULL;

    (void)state;
    /* 4^-3 = 1/64 > 1/99: not benign, so the three answers count against
     * the refusals: 4^-3 * 4^6 = 64 < 99, 4^-3 * 4^7 = 256 >= 99. */
    assert_int_equal(episodes_of(&cap, NTT_EPISODE_SWEEP, &ep, 1), 1);
    assert_int_equal(ep->detect_frame, refusals[6]);
    assert_int_equal(ep->detail.sweep.hosts, 10);
    ntt_engine_unref(cap.engine);
}

/* ---- brute force: the window is inclusive ------------------------------ */

/* `attempts` ssh connection attempts (SYNs on new flows) from the
 * attacker to the victim, evenly spaced, the last `span` after the first.
 * Returns the capture, with the frame of attempt i in frames[i]. */
static capture_t ssh_attempts(unsigned attempts, int64_t span, uint32_t *frames)
{
    ntt_config_t config;
    capture_t cap;

    rules_config(&config);
    cap = capture_new(&config);
    for (unsigned i = 0; i < attempts; i++) {
        int64_t t = T0 + (i + 1 == attempts ? span : span / (attempts - 1) * i);

        frames[i] = tcp(&cap, t, ATTACKER, (uint16_t)(50000 + i), VICTIM, 22, SYN);
    }
    return cap;
}

static void bruteforce_nth_attempt_exactly_one_window_after_the_first_is_raised(void **state)
{
    uint32_t frames[BRUTEFORCE_ATTEMPTS];
    capture_t cap = ssh_attempts(BRUTEFORCE_ATTEMPTS, BRUTEFORCE_WINDOW, frames);
    const ntt_episode_t *ep = NULL;

    (void)state;
    assert_int_equal(episodes_of(&cap, NTT_EPISODE_BRUTEFORCE, &ep, 1), 1);
    assert_int_equal(ep->detect_frame, frames[BRUTEFORCE_ATTEMPTS - 1]);
    assert_int_equal(ep->first_frame, frames[0]);
    assert_int_equal(ep->detail.bruteforce.attempts, BRUTEFORCE_ATTEMPTS);
    assert_int_equal(ep->port, 22);
    ntt_engine_unref(cap.engine);
}

static void bruteforce_nth_attempt_one_ns_past_the_window_is_not_raised(void **state)
{
    uint32_t frames[BRUTEFORCE_ATTEMPTS];
    capture_t cap = ssh_attempts(BRUTEFORCE_ATTEMPTS, BRUTEFORCE_WINDOW + 1, frames);
    const ntt_episode_t *ep = NULL;

    (void)state;
    assert_int_equal(episodes_of(&cap, NTT_EPISODE_BRUTEFORCE, &ep, 1), 0);
    ntt_engine_unref(cap.engine);
}

/* ---- episode book: statistics keep growing after the raise ------------- */

static void bruteforce_episode_counts_the_attempts_after_its_raise(void **state)
{
    enum { ATTEMPTS = BRUTEFORCE_ATTEMPTS + 3 };
    uint32_t frames[ATTEMPTS];
    /* 1 s apart: the first BRUTEFORCE_ATTEMPTS span 4 s, well within. */
    capture_t cap = ssh_attempts(ATTEMPTS, SEC(ATTEMPTS - 1), frames);
    const ntt_episode_t *ep = NULL;

    (void)state;
    /* Raised at the BRUTEFORCE_ATTEMPTS-th attempt; the three after it
     * are the same attack, and the episode says so. */
    assert_int_equal(episodes_of(&cap, NTT_EPISODE_BRUTEFORCE, &ep, 1), 1);
    assert_int_equal(ep->detect_frame, frames[BRUTEFORCE_ATTEMPTS - 1]);
    assert_int_equal(ep->detail.bruteforce.attempts, ATTEMPTS);
    assert_int_equal(ep->packets, ATTEMPTS);
    assert_int_equal(ep->last_frame, frames[ATTEMPTS - 1]);
    ntt_engine_unref(cap.engine);
}

/* ---- ddos: not said again while its host is under a SYN flood ---------- */

/* One UDP datagram from the i-th of many hosts (10.1.x.y) to the
 * victim's port 53: a new flow from a new source. */
static uint32_t udp_from_host(capture_t *cap, int64_t t, unsigned i)
{
    char src[32];

    snprintf(src, sizeof src, "10.1.%u.%u", i / 250, i % 250 + 1);
    return udp(cap, t, src, 33000, VICTIM, 53);
}

static void ddos_from_many_sources_is_raised(void **state)
{
    ntt_config_t config;
    capture_t cap;
    const ntt_episode_t *ep = NULL;

    (void)state;
    rules_config(&config);
    cap = capture_new(&config);
    /* DDOS_SOURCES + 50 hosts 1 ms apart: DDOS_SOURCES sources and as
     * many new flows within the second once the DDOS_SOURCES-th has sent. */
    for (unsigned i = 0; i < DDOS_SOURCES + 50; i++)
        udp_from_host(&cap, T0 + i * MS(1), i);
    assert_int_equal(episodes_of(&cap, NTT_EPISODE_DDOS, &ep, 1), 1);
    assert_int_equal(ep->detect_frame, DDOS_SOURCES);
    assert_false(ep->has_src);
    assert_addr(&ep->dst, VICTIM);
    ntt_engine_unref(cap.engine);
}

/* The i-th spoofed SYN to the victim's port 80 (from 10.2.x.y), never
 * completed. */
static uint32_t spoofed_syn(capture_t *cap, int64_t t, unsigned i)
{
    char src[32];

    snprintf(src, sizeof src, "10.2.%u.%u", i / 250, i % 250 + 1);
    return tcp(cap, t, src, 1024, VICTIM, 80, SYN);
}

static void ddos_during_a_syn_flood_is_said_as_the_syn_flood_alone(void **state)
{
    ntt_config_t config;
    capture_t cap;
    const ntt_episode_t *ep = NULL;
    uint32_t raise_frame = 0;
    unsigned syns = 0;
    int64_t t = T0;

    (void)state;
    rules_config(&config);
    cap = capture_new(&config);
    /* SYNFLOOD_SYNS uncompleted SYNs 1 ms apart: the rate within the
     * window, as many half-open, none completed -- raised at the last. */
    for (; syns < SYNFLOOD_SYNS; syns++, t += MS(1))
        raise_frame = spoofed_syn(&cap, t, syns);
    assert_int_equal(episodes_of(&cap, NTT_EPISODE_SYNFLOOD, &ep, 1), 1);
    assert_int_equal(ep->detect_frame, raise_frame);
    /* The flood goes on, and between its SYNs comes the many-source
     * traffic that raises a ddos on its own (ddos_from_many_sources_is_raised):
     * one UDP datagram from each of DDOS_SOURCES + 50 hosts. */
    for (unsigned i = 0; i < DDOS_SOURCES + 50; i++, syns++, t += MS(1)) {
        spoofed_syn(&cap, t, syns);
        udp_from_host(&cap, t, i);
    }
    assert_int_equal(episodes_of(&cap, NTT_EPISODE_SYNFLOOD, &ep, 1), 1);
    assert_int_equal(episodes_of(&cap, NTT_EPISODE_DDOS, &ep, 1), 0);
    ntt_engine_unref(cap.engine);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(flood_from_four_sources_is_put_on_its_main_source),
        cmocka_unit_test(flood_from_five_sources_has_no_single_source),
        cmocka_unit_test(icmp_flood_back_ten_windows_after_it_last_held_is_one_episode),
        cmocka_unit_test(icmp_flood_back_just_over_ten_windows_later_is_a_new_episode),
        cmocka_unit_test(sweep_walk_starts_over_after_four_answered_contacts),
        cmocka_unit_test(sweep_walk_not_yet_benign_keeps_its_history),
        cmocka_unit_test(bruteforce_nth_attempt_exactly_one_window_after_the_first_is_raised),
        cmocka_unit_test(bruteforce_nth_attempt_one_ns_past_the_window_is_not_raised),
        cmocka_unit_test(bruteforce_episode_counts_the_attempts_after_its_raise),
        cmocka_unit_test(ddos_from_many_sources_is_raised),
        cmocka_unit_test(ddos_during_a_syn_flood_is_said_as_the_syn_flood_alone),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

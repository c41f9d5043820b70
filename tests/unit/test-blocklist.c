/* test-blocklist.c
 * The blocklist: every accepted line form, every matching rule, every
 * kind of malformed line (exact message and line number), the caps, and
 * loading from files.
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

#include <arpa/inet.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "ntt/blocklist.h"

/* ---- helpers ------------------------------------------------------- */

static void collect_problem(void *ctx, const char *message)
{
    g_ptr_array_add((GPtrArray *)ctx, g_strdup(message));
}

static GPtrArray *problems_new(void)
{
    return g_ptr_array_new_with_free_func(g_free);
}

static ntt_blocklist_t *parse(const char *text, GPtrArray *problems)
{
    return ntt_blocklist_parse(text, strlen(text), "list.txt",
                               problems ? collect_problem : NULL, problems);
}

/* Parses one malformed text and checks it gives exactly this message. */
static void expect_one_problem(const char *text, const char *message)
{
    GPtrArray *problems = problems_new();
    ntt_blocklist_t *list = parse(text, problems);

    if (problems->len != 1 || strcmp(g_ptr_array_index(problems, 0), message) != 0) {
        for (unsigned i = 0; i < problems->len; i++)
            print_error("got: %s\n", (const char *)g_ptr_array_index(problems, i));
        print_error("for: %s\nwanted: %s\n", text, message);
        fail();
    }
    assert_int_equal(ntt_blocklist_size(list), 0);
    ntt_blocklist_free(list);
    g_ptr_array_free(problems, TRUE);
}

static uint32_t match_ip(const ntt_blocklist_t *list, const char *text)
{
    ntt_addr_t addr;

    memset(&addr, 0, sizeof addr);
    if (strchr(text, ':')) {
        assert_int_equal(inet_pton(AF_INET6, text, addr.bytes), 1);
        return ntt_blocklist_match_addr(list, &addr, 6);
    }
    assert_int_equal(inet_pton(AF_INET, text, addr.bytes), 1);
    return ntt_blocklist_match_addr(list, &addr, 4);
}

static uint32_t match_name(const ntt_blocklist_t *list, const char *name)
{
    return ntt_blocklist_match_name(list, name, strlen(name));
}

/* The text of the entry that matched, "" for no match. */
static const char *hit_text(const ntt_blocklist_t *list, uint32_t id)
{
    const ntt_blocklist_entry_t *entry = ntt_blocklist_entry(list, id);

    return entry ? entry->text : "";
}

#define assert_ip_hits(list, ip, text) \
    assert_string_equal(hit_text((list), match_ip((list), (ip))), (text))
#define assert_name_hits(list, name, text) \
    assert_string_equal(hit_text((list), match_name((list), (name))), (text))

/* ---- accepted forms ------------------------------------------------ */

static void test_entries_and_ids(void **state)
{
    GPtrArray *problems = problems_new();
    ntt_blocklist_t *list = parse(
        "192.0.2.7\n"
        "2001:db8::bad\n"
        "198.51.100.0/24\n"
        "Evil.Example\n"
        "*.example.org\n"
        ".example.net\n", problems);
    const ntt_blocklist_entry_t *e;

    (void)state;
    assert_int_equal(problems->len, 0);
    assert_int_equal(ntt_blocklist_size(list), 6);

    e = ntt_blocklist_entry(list, 1);
    assert_string_equal(e->text, "192.0.2.7");
    assert_int_equal(e->line, 1);
    assert_int_equal(e->indicator, NTT_INDICATOR_IP);
    e = ntt_blocklist_entry(list, 2);
    assert_string_equal(e->text, "2001:db8::bad");
    assert_int_equal(e->indicator, NTT_INDICATOR_IP);
    e = ntt_blocklist_entry(list, 3);
    assert_string_equal(e->text, "198.51.100.0/24");
    assert_int_equal(e->indicator, NTT_INDICATOR_CIDR);
    e = ntt_blocklist_entry(list, 4);
    assert_string_equal(e->text, "Evil.Example");     /* as written */
    assert_int_equal(e->line, 4);
    assert_int_equal(e->indicator, NTT_INDICATOR_DOMAIN);
    assert_int_equal(ntt_blocklist_entry(list, 6)->indicator, NTT_INDICATOR_DOMAIN);

    assert_null(ntt_blocklist_entry(list, 0));
    assert_null(ntt_blocklist_entry(list, 7));
    assert_int_equal(match_ip(list, "192.0.2.7"), 1);
    assert_int_equal(match_ip(list, "2001:db8::bad"), 2);
    assert_int_equal(match_ip(list, "198.51.100.200"), 3);
    assert_int_equal(match_name(list, "evil.example"), 4);
    assert_int_equal(match_name(list, "www.example.org"), 5);
    assert_int_equal(match_name(list, "example.net"), 6);

    assert_string_equal(ntt_indicator_name(NTT_INDICATOR_IP), "ip");
    assert_string_equal(ntt_indicator_name(NTT_INDICATOR_CIDR), "cidr");
    assert_string_equal(ntt_indicator_name(NTT_INDICATOR_DOMAIN), "domain");
    assert_string_equal(ntt_indicator_name(NTT_INDICATOR_COUNT), "");

    ntt_blocklist_free(list);
    g_ptr_array_free(problems, TRUE);
}

static void test_null_and_empty(void **state)
{
    ntt_addr_t addr = { { 1, 2, 3, 4 } };
    ntt_blocklist_t *list;

    (void)state;
    assert_int_equal(ntt_blocklist_size(NULL), 0);
    assert_null(ntt_blocklist_entry(NULL, 1));
    assert_int_equal(ntt_blocklist_match_addr(NULL, &addr, 4), 0);
    assert_int_equal(ntt_blocklist_match_name(NULL, "a", 1), 0);
    ntt_blocklist_free(NULL);

    list = ntt_blocklist_parse(NULL, 0, NULL, NULL, NULL);
    assert_int_equal(ntt_blocklist_size(list), 0);
    assert_int_equal(ntt_blocklist_match_addr(list, &addr, 4), 0);
    assert_int_equal(ntt_blocklist_match_name(list, "a", 1), 0);
    ntt_blocklist_free(list);

    /* Comments and blanks only. */
    list = parse("# nothing\n\n   \n\t# here\n", NULL);
    assert_int_equal(ntt_blocklist_size(list), 0);
    ntt_blocklist_free(list);
}

static void test_line_format(void **state)
{
    GPtrArray *problems = problems_new();
    /* BOM, CRLF, tabs, comments after entries, a final line without a
     * newline, a lone \r line. */
    static const char text[] =
        "\xEF\xBB\xBF" "192.0.2.1\r\n"
        "  \t 192.0.2.2 \t \r\n"
        "192.0.2.3 # the third\r\n"
        "192.0.2.4#no space\n"
        "\r\n"
        "# 192.0.2.5\n"
        "   # 192.0.2.6 indented comment\n"
        "bad.example\t# a name\n"
        "last.example";
    ntt_blocklist_t *list = parse(text, problems);

    (void)state;
    assert_int_equal(problems->len, 0);
    assert_int_equal(ntt_blocklist_size(list), 6);
    assert_ip_hits(list, "192.0.2.1", "192.0.2.1");
    assert_ip_hits(list, "192.0.2.2", "192.0.2.2");
    assert_ip_hits(list, "192.0.2.3", "192.0.2.3");
    assert_ip_hits(list, "192.0.2.4", "192.0.2.4");
    assert_ip_hits(list, "192.0.2.5", "");
    assert_ip_hits(list, "192.0.2.6", "");
    assert_name_hits(list, "bad.example", "bad.example");
    assert_name_hits(list, "last.example", "last.example");
    assert_int_equal(ntt_blocklist_entry(list, 5)->line, 8);
    assert_int_equal(ntt_blocklist_entry(list, 6)->line, 9);
    ntt_blocklist_free(list);

    /* Text need not be NUL-terminated: only len bytes are read. */
    list = ntt_blocklist_parse("192.0.2.9\n192.0.2.10", 19, "x", NULL, NULL);
    assert_int_equal(ntt_blocklist_size(list), 2);
    assert_ip_hits(list, "192.0.2.1", "192.0.2.1");
    assert_ip_hits(list, "192.0.2.10", "");
    ntt_blocklist_free(list);
    g_ptr_array_free(problems, TRUE);
}

static void test_hosts_file_lines(void **state)
{
    GPtrArray *problems = problems_new();
    ntt_blocklist_t *list = parse(
        "# Title: a hosts-file blocklist\n"
        "127.0.0.1 localhost\n"
        "127.0.0.1 localhost.localdomain\n"
        "255.255.255.255 broadcasthost\n"
        "::1 localhost ip6-localhost ip6-loopback\n"
        "fe80::1%lo0 localhost\n"
        "0.0.0.0 0.0.0.0\n"
        "0.0.0.0 evil.example\n"
        "127.0.0.1\tTracker.Example  # with a comment\n"
        ":: v6sink.example\n"
        "0.0.0.0 one.example two.example\n"
        "10.0.0.1 notasink.example\n"
        "0.0.0.0 192.0.2.1\n", problems);

    (void)state;
    assert_int_equal(ntt_blocklist_size(list), 5);
    assert_name_hits(list, "evil.example", "evil.example");
    assert_name_hits(list, "tracker.example", "Tracker.Example");
    assert_name_hits(list, "v6sink.example", "v6sink.example");
    assert_name_hits(list, "one.example", "one.example");
    assert_name_hits(list, "two.example", "two.example");
    assert_int_equal(ntt_blocklist_entry(list, 5)->line, 11);
    assert_int_equal(ntt_blocklist_entry(list, 5)->indicator, NTT_INDICATOR_DOMAIN);
    /* The sink address itself is not an entry; the boilerplate names
     * are not either. */
    assert_ip_hits(list, "0.0.0.0", "");
    assert_ip_hits(list, "127.0.0.1", "");
    assert_name_hits(list, "localhost", "");
    assert_name_hits(list, "notasink.example", "");

    assert_int_equal(problems->len, 2);
    assert_string_equal(g_ptr_array_index(problems, 0),
        "list.txt:12: '10.0.0.1 notasink.example' has more than one field (one entry per line)");
    assert_string_equal(g_ptr_array_index(problems, 1),
        "list.txt:13: '192.0.2.1' is not a valid domain name");
    ntt_blocklist_free(list);
    g_ptr_array_free(problems, TRUE);
}

/* ---- matching rules ------------------------------------------------ */

static void test_longest_prefix(void **state)
{
    ntt_blocklist_t *list = parse(
        "10.0.0.0/8\n"
        "10.1.2.0/24\n"
        "10.1.0.0/16\n"
        "10.1.2.3\n"
        "10.1.2.4/32\n"
        "10.1.2.128/25\n"
        "2001:db8::/32\n"
        "2001:db8:bad::/48\n"
        "2001:db8:bad::1/128\n"
        "2001:db8:bad::2\n", NULL);

    (void)state;
    assert_int_equal(ntt_blocklist_size(list), 10);
    assert_ip_hits(list, "10.1.2.3", "10.1.2.3");          /* exact first */
    assert_ip_hits(list, "10.1.2.4", "10.1.2.4/32");       /* /32 is exact */
    assert_int_equal(ntt_blocklist_entry(list, match_ip(list, "10.1.2.4"))->indicator,
                     NTT_INDICATOR_CIDR);
    assert_ip_hits(list, "10.1.2.5", "10.1.2.0/24");
    assert_ip_hits(list, "10.1.2.200", "10.1.2.128/25");
    assert_ip_hits(list, "10.1.3.1", "10.1.0.0/16");
    assert_ip_hits(list, "10.200.0.1", "10.0.0.0/8");
    assert_ip_hits(list, "11.0.0.1", "");
    assert_ip_hits(list, "9.255.255.255", "");
    assert_ip_hits(list, "2001:db8:bad::1", "2001:db8:bad::1/128");
    assert_ip_hits(list, "2001:db8:bad::2", "2001:db8:bad::2");
    assert_ip_hits(list, "2001:db8:bad::3", "2001:db8:bad::/48");
    assert_ip_hits(list, "2001:db8:bad:1::", "2001:db8:bad::/48");
    assert_ip_hits(list, "2001:db8:bae::", "2001:db8::/32");
    assert_ip_hits(list, "2001:db9::", "");
    ntt_blocklist_free(list);
}

static void test_zero_length_networks(void **state)
{
    ntt_blocklist_t *list = parse("0.0.0.0/0\n", NULL);

    (void)state;
    assert_ip_hits(list, "1.2.3.4", "0.0.0.0/0");
    assert_ip_hits(list, "255.255.255.255", "0.0.0.0/0");
    assert_ip_hits(list, "::1", "");
    ntt_blocklist_free(list);

    list = parse("::/0\n2001:db8::/32\n", NULL);
    assert_ip_hits(list, "2001:db8::1", "2001:db8::/32");
    assert_ip_hits(list, "fe80::1", "::/0");
    assert_ip_hits(list, "1.2.3.4", "");
    ntt_blocklist_free(list);
}

static void test_versions_not_mixed(void **state)
{
    /* 102:304:: has the same first bytes as 1.2.3.4; ::1.2.3.4 and
     * ::ffff:1.2.3.4 end with them. None is the IPv4 address. */
    ntt_blocklist_t *list = parse("1.2.3.4\n1.2.0.0/16\n", NULL);
    ntt_addr_t addr;

    (void)state;
    assert_ip_hits(list, "102:304::", "");
    assert_ip_hits(list, "102::", "");
    assert_ip_hits(list, "::1.2.3.4", "");
    assert_ip_hits(list, "::ffff:1.2.3.4", "");
    assert_ip_hits(list, "1.2.3.4", "1.2.3.4");
    /* Bytes past the first four of an IPv4 address are ignored. */
    memset(&addr, 0xee, sizeof addr);
    addr.bytes[0] = 1; addr.bytes[1] = 2; addr.bytes[2] = 3; addr.bytes[3] = 4;
    assert_int_equal(ntt_blocklist_match_addr(list, &addr, 4), 1);
    addr.bytes[3] = 5;
    assert_int_equal(ntt_blocklist_match_addr(list, &addr, 4), 2);
    assert_int_equal(ntt_blocklist_match_addr(list, &addr, 0), 0);
    assert_int_equal(ntt_blocklist_match_addr(list, &addr, 5), 0);
    ntt_blocklist_free(list);

    list = parse("102:304::\n102::/16\n", NULL);
    assert_ip_hits(list, "1.2.3.4", "");
    assert_ip_hits(list, "102:304::", "102:304::");
    assert_ip_hits(list, "102:ffff::", "102::/16");
    ntt_blocklist_free(list);
}

static void test_names(void **state)
{
    ntt_blocklist_t *list = parse(
        "evil.example\n"
        "*.wild.example\n"
        ".dot.example\n"
        "Mixed.CASE.example.\n"
        "*.org\n"
        "deep.sub.dot.example\n"
        "*.sub.dot.example\n"
        "x_y.example\n", NULL);

    (void)state;
    assert_int_equal(ntt_blocklist_size(list), 8);
    /* Exact names: case and a trailing dot do not matter, either side. */
    assert_name_hits(list, "evil.example", "evil.example");
    assert_name_hits(list, "EVIL.Example.", "evil.example");
    assert_name_hits(list, "mixed.case.example", "Mixed.CASE.example.");
    assert_name_hits(list, "MIXED.case.EXAMPLE.", "Mixed.CASE.example.");
    assert_name_hits(list, "www.evil.example", "");      /* exact only */
    assert_name_hits(list, "vil.example", "");
    assert_name_hits(list, "x_y.example", "x_y.example");
    /* *.x: strictly below. */
    assert_name_hits(list, "wild.example", "");
    assert_name_hits(list, "a.wild.example", "*.wild.example");
    assert_name_hits(list, "a.b.c.WILD.example", "*.wild.example");
    assert_name_hits(list, "awild.example", "");         /* label boundary */
    /* .x: the name and below. */
    assert_name_hits(list, "dot.example", ".dot.example");
    assert_name_hits(list, "dot.example.", ".dot.example");
    assert_name_hits(list, "www.dot.example", ".dot.example");
    assert_name_hits(list, "xdot.example", "");
    /* The most specific wins: exact, then the longest suffix. */
    assert_name_hits(list, "deep.sub.dot.example", "deep.sub.dot.example");
    assert_name_hits(list, "a.deep.sub.dot.example", "*.sub.dot.example");
    assert_name_hits(list, "sub.dot.example", ".dot.example");
    assert_name_hits(list, "anything.org", "*.org");
    assert_name_hits(list, "org", "");
    /* Degenerate names. */
    assert_name_hits(list, "", "");
    assert_name_hits(list, ".", "");
    assert_name_hits(list, "..", "");
    assert_name_hits(list, "a..wild.example", "*.wild.example");
    assert_int_equal(ntt_blocklist_match_name(list, NULL, 0), 0);
    /* len bounds the name: no NUL needed. */
    assert_int_equal(ntt_blocklist_match_name(list, "evil.example.com", 12), 1);
    assert_int_equal(ntt_blocklist_match_name(list, "evil.exampl", 11), 0);
    ntt_blocklist_free(list);
}

static void test_long_names(void **state)
{
    char name[300], entry[600];
    ntt_blocklist_t *list;
    GPtrArray *problems = problems_new();

    (void)state;
    /* 63-character labels up to a 253-character name: accepted. */
    memset(name, 'a', 63);
    name[63] = '.';
    memset(name + 64, 'b', 63);
    name[127] = '.';
    memset(name + 128, 'c', 63);
    name[191] = '.';
    memset(name + 192, 'd', 61);
    name[253] = '\0';
    snprintf(entry, sizeof entry, "%s\n*.%s\n", name + 2, name + 64);
    list = parse(entry, problems);
    assert_int_equal(problems->len, 0);
    assert_int_equal(ntt_blocklist_size(list), 2);
    assert_int_equal(match_name(list, name + 2), 1);
    assert_int_equal(match_name(list, name), 2);        /* 253 characters */
    name[253] = '.';
    name[254] = '\0';
    assert_int_equal(match_name(list, name), 2);        /* trailing dot */
    name[254] = 'x';
    name[255] = '\0';
    assert_int_equal(match_name(list, name), 0);        /* too long: no match */
    ntt_blocklist_free(list);
    g_ptr_array_free(problems, TRUE);
}

static void test_duplicates_keep_first(void **state)
{
    GPtrArray *problems = problems_new();
    ntt_blocklist_t *list = parse(
        "192.0.2.1\n"
        "192.0.2.1\n"
        "192.0.2.1/32\n"
        "10.0.0.0/8\n"
        "10.0.0.0/8\n"
        "evil.example\n"
        "EVIL.example.\n"
        "0.0.0.0 evil.example\n"
        "*.x.example\n"
        ".x.example\n"                 /* adds x.example itself */
        "*.x.example\n"
        ".x.example\n"
        "2001:db8::1\n"
        "2001:DB8:0::1\n", problems);

    (void)state;
    assert_int_equal(problems->len, 0);
    assert_int_equal(ntt_blocklist_size(list), 6);
    assert_ip_hits(list, "192.0.2.1", "192.0.2.1");
    assert_int_equal(ntt_blocklist_entry(list, 1)->line, 1);
    assert_ip_hits(list, "10.9.9.9", "10.0.0.0/8");
    assert_int_equal(ntt_blocklist_entry(list, 2)->line, 4);
    assert_name_hits(list, "evil.example", "evil.example");
    assert_name_hits(list, "a.x.example", "*.x.example");
    assert_name_hits(list, "x.example", ".x.example");
    assert_int_equal(ntt_blocklist_entry(list, match_name(list, "x.example"))->line, 10);
    assert_int_equal(ntt_blocklist_entry(list, 6)->line, 13);
    ntt_blocklist_free(list);
    g_ptr_array_free(problems, TRUE);
}

/* ---- malformed lines ----------------------------------------------- */

static void test_bad_addresses(void **state)
{
    (void)state;
    expect_one_problem("300.1.2.3\n",
                       "list.txt:1: '300.1.2.3' is not a valid IPv4 address");
    expect_one_problem("# x\n1.2.3\n",
                       "list.txt:2: '1.2.3' is not a valid IPv4 address");
    expect_one_problem("1.2.3.4.\n",
                       "list.txt:1: '1.2.3.4.' is not a valid IPv4 address");
    expect_one_problem("1.2.3.4.5\n",
                       "list.txt:1: '1.2.3.4.5' is not a valid IPv4 address");
    expect_one_problem("2001:db8::g\n",
                       "list.txt:1: '2001:db8::g' is not a valid IPv6 address");
    expect_one_problem("1:2:3:4:5:6:7:8:9\n",
                       "list.txt:1: '1:2:3:4:5:6:7:8:9' is not a valid IPv6 address");
    expect_one_problem("fe80::1%eth0\n",
                       "list.txt:1: 'fe80::1%eth0' is not a valid IPv6 address");
    expect_one_problem("[2001:db8::1]\n",
                       "list.txt:1: '[2001:db8::1]' is not a valid IPv6 address");
}

static void test_bad_networks(void **state)
{
    (void)state;
    expect_one_problem("10.1.2.3/8\n",
        "list.txt:1: '10.1.2.3/8' has host bits set; did you mean 10.0.0.0/8?");
    expect_one_problem("2001:db8::1/32\n",
        "list.txt:1: '2001:db8::1/32' has host bits set; did you mean 2001:db8::/32?");
    expect_one_problem("1.2.3.4/0\n",
        "list.txt:1: '1.2.3.4/0' has host bits set; did you mean 0.0.0.0/0?");
    expect_one_problem("10.0.0.0/33\n",
        "list.txt:1: '10.0.0.0/33' has a bad prefix length (0..32 for IPv4)");
    expect_one_problem("2001:db8::/129\n",
        "list.txt:1: '2001:db8::/129' has a bad prefix length (0..128 for IPv6)");
    expect_one_problem("10.0.0.0/\n",
        "list.txt:1: '10.0.0.0/' has a bad prefix length (0..32 for IPv4)");
    expect_one_problem("10.0.0.0/+8\n",
        "list.txt:1: '10.0.0.0/+8' has a bad prefix length (0..32 for IPv4)");
    expect_one_problem("10.0.0.0/8/8\n",
        "list.txt:1: '10.0.0.0/8/8' has a bad prefix length (0..32 for IPv4)");
    expect_one_problem("10.0.0.0/0008\n",
        "list.txt:1: '10.0.0.0/0008' has a bad prefix length (0..32 for IPv4)");
    expect_one_problem("10.0.0/8\n",
        "list.txt:1: '10.0.0/8' is not a valid network");
    expect_one_problem("/8\n", "list.txt:1: '/8' is not a valid network");
    expect_one_problem("evil.example/8\n",
        "list.txt:1: 'evil.example/8' is not a valid network");
}

static void test_bad_names(void **state)
{
    char text[400];

    (void)state;
    expect_one_problem("*\n",
        "list.txt:1: '*' is not an address, network or domain name");
    expect_one_problem("*.\n",
        "list.txt:1: '*.' is not an address, network or domain name");
    expect_one_problem(".\n",
        "list.txt:1: '.' is not an address, network or domain name");
    expect_one_problem("*.*.example\n",
        "list.txt:1: '*.*.example' is not an address, network or domain name");
    expect_one_problem("*example.org\n",
        "list.txt:1: '*example.org' is not an address, network or domain name");
    expect_one_problem("evil!.example\n",
        "list.txt:1: 'evil!.example' is not an address, network or domain name");
    expect_one_problem("http://evil.example/\n",
        "list.txt:1: 'http://evil.example/' is not a valid network");
    expect_one_problem("a..b\n", "list.txt:1: 'a..b' has an empty label");
    expect_one_problem("..example\n", "list.txt:1: '..example' has an empty label");
    expect_one_problem("evil.example..\n",
                       "list.txt:1: 'evil.example..' has an empty label");
    expect_one_problem("-evil.example\n",
        "list.txt:1: '-evil.example' has a label that starts or ends with '-'");
    expect_one_problem("evil-.example\n",
        "list.txt:1: 'evil-.example' has a label that starts or ends with '-'");
    expect_one_problem("*.1.2.3\n",
        "list.txt:1: '*.1.2.3' is not an address, network or domain name");
    expect_one_problem("caf\xc3\xa9.example\n",
        "list.txt:1: 'caf\\xc3\\xa9.example' is not an address, network or domain name");

    {
        char message[600];

        memset(text, 'a', 64);
        strcpy(text + 64, ".example");
        snprintf(message, sizeof message,
                 "list.txt:1: '%s' has a label longer than 63 characters", text);
        strcat(text, "\n");
        expect_one_problem(text, message);

        /* Four 63-character labels less one: 254 characters. */
        for (int i = 0; i < 4; i++) {
            memset(text + i * 64, 'a', 63);
            text[i * 64 + 63] = '.';
        }
        text[254] = '\0';
        snprintf(message, sizeof message,
                 "list.txt:1: '%s' is longer than 253 characters", text);
        text[253] = 'b';
        message[13 + 253] = 'b';
        text[254] = '\n';
        text[255] = '\0';
        expect_one_problem(text, message);
    }
}

static void test_extra_fields(void **state)
{
    (void)state;
    expect_one_problem("192.0.2.1 192.0.2.2\n",
        "list.txt:1: '192.0.2.1 192.0.2.2' has more than one field (one entry per line)");
    expect_one_problem("evil.example extra\n",
        "list.txt:1: 'evil.example extra' has more than one field (one entry per line)");
    expect_one_problem("  10.0.0.0/8\tfoo  # c\n",
        "list.txt:1: '10.0.0.0/8\\x09foo' has more than one field (one entry per line)");
    expect_one_problem("0.0.0.0/8 evil.example\n",
        "list.txt:1: '0.0.0.0/8 evil.example' has more than one field (one entry per line)");
}

static void test_control_bytes_escaped(void **state)
{
    static const char text[] = "evil\x01.example\nab\0c\n";
    GPtrArray *problems = problems_new();
    ntt_blocklist_t *list = ntt_blocklist_parse(text, sizeof text - 1, "l",
                                                collect_problem, problems);

    (void)state;
    assert_int_equal(problems->len, 2);
    assert_string_equal(g_ptr_array_index(problems, 0),
        "l:1: 'evil\\x01.example' is not an address, network or domain name");
    assert_string_equal(g_ptr_array_index(problems, 1),
        "l:2: 'ab\\x00c' is not an address, network or domain name");
    ntt_blocklist_free(list);
    g_ptr_array_free(problems, TRUE);
}

static void test_rest_still_works(void **state)
{
    GPtrArray *problems = problems_new();
    ntt_blocklist_t *list = parse(
        "192.0.2.1\n"
        "300.1.2.3\n"
        "a..b\n"
        "10.1.2.3/8\n"
        "evil.example\n"
        "evil.example junk\n"
        "10.0.0.0/8\n", problems);

    (void)state;
    assert_int_equal(problems->len, 4);
    assert_string_equal(g_ptr_array_index(problems, 0),
                        "list.txt:2: '300.1.2.3' is not a valid IPv4 address");
    assert_string_equal(g_ptr_array_index(problems, 1),
                        "list.txt:3: 'a..b' has an empty label");
    assert_string_equal(g_ptr_array_index(problems, 2),
        "list.txt:4: '10.1.2.3/8' has host bits set; did you mean 10.0.0.0/8?");
    assert_string_equal(g_ptr_array_index(problems, 3),
        "list.txt:6: 'evil.example junk' has more than one field (one entry per line)");
    assert_int_equal(ntt_blocklist_size(list), 3);
    assert_ip_hits(list, "192.0.2.1", "192.0.2.1");
    assert_ip_hits(list, "10.1.2.3", "10.0.0.0/8");
    assert_name_hits(list, "evil.example", "evil.example");
    assert_int_equal(ntt_blocklist_entry(list, 3)->line, 7);
    ntt_blocklist_free(list);

    /* No callback: the same list, silently. */
    list = parse("300.1.2.3\nevil.example\n", NULL);
    assert_int_equal(ntt_blocklist_size(list), 1);
    ntt_blocklist_free(list);
    g_ptr_array_free(problems, TRUE);
}

/* ---- caps ---------------------------------------------------------- */

static void test_long_lines(void **state)
{
    GString *text = g_string_new(NULL);
    GPtrArray *problems = problems_new();
    ntt_blocklist_t *list;

    (void)state;
    /* 1000 bytes: fine (an entry then a comment); 1001: a problem, even
     * when it would be a comment. */
    g_string_append(text, "192.0.2.1 #");
    while (text->len < 1000)
        g_string_append_c(text, 'x');
    g_string_append(text, "\r\n#");
    for (int i = 0; i < 1000; i++)
        g_string_append_c(text, 'y');
    g_string_append(text, "\n192.0.2.2 #");
    for (int i = 0; i < 2000; i++)
        g_string_append_c(text, 'z');
    g_string_append(text, "\n192.0.2.3\n");
    list = ntt_blocklist_parse(text->str, text->len, "list.txt", collect_problem,
                               problems);
    assert_int_equal(problems->len, 2);
    assert_string_equal(g_ptr_array_index(problems, 0),
                        "list.txt:2: line is longer than 1000 bytes");
    assert_string_equal(g_ptr_array_index(problems, 1),
                        "list.txt:3: line is longer than 1000 bytes");
    assert_int_equal(ntt_blocklist_size(list), 2);
    assert_ip_hits(list, "192.0.2.1", "192.0.2.1");
    assert_ip_hits(list, "192.0.2.2", "");
    assert_ip_hits(list, "192.0.2.3", "192.0.2.3");
    ntt_blocklist_free(list);
    g_ptr_array_free(problems, TRUE);
    g_string_free(text, TRUE);
}

static void test_entry_cap(void **state)
{
    const uint32_t cap = 2000000;
    GString *text = g_string_sized_new(cap * 12u);
    GPtrArray *problems = problems_new();
    ntt_blocklist_t *list;
    char message[100];

    (void)state;
    /* 2,000,000 distinct addresses in 10.0.0.0/8, then more lines. */
    for (uint32_t i = 0; i < cap; i++)
        g_string_append_printf(text, "10.%u.%u.%u\n", i >> 16, (i >> 8) & 255, i & 255);
    g_string_append(text, "# a comment is not an entry\n");
    g_string_append(text, "192.0.2.1\n192.0.2.2\nevil.example\n");
    list = ntt_blocklist_parse(text->str, text->len, "list.txt", collect_problem,
                               problems);
    assert_int_equal(ntt_blocklist_size(list), cap);
    assert_int_equal(problems->len, 1);
    snprintf(message, sizeof message, "list.txt:%u: list truncated at 2000000 entries",
             cap + 2);
    assert_string_equal(g_ptr_array_index(problems, 0), message);
    assert_ip_hits(list, "10.0.0.0", "10.0.0.0");
    assert_int_equal(match_ip(list, "10.30.132.127"), cap);
    assert_ip_hits(list, "192.0.2.1", "");
    assert_name_hits(list, "evil.example", "");
    ntt_blocklist_free(list);
    g_ptr_array_free(problems, TRUE);
    g_string_free(text, TRUE);
}

/* ---- many entries -------------------------------------------------- */

static void test_large_list(void **state)
{
    const unsigned n = 100000;
    GString *text = g_string_new(NULL);
    GPtrArray *problems = problems_new();
    ntt_blocklist_t *list;
    char buf[128];

    (void)state;
    /* Four kinds in turn: IPv4 addresses, IPv4 /24s, IPv6 /48s, names
     * and name suffixes. Entry i has id i + 1. */
    for (unsigned i = 0; i < n; i++) {
        switch (i % 5) {
        case 0: g_string_append_printf(text, "100.%u.%u.%u\n", i >> 16, (i >> 8) & 255, i & 255); break;
        case 1: g_string_append_printf(text, "172.%u.%u.0/24\n", i >> 16, (i >> 8) & 255); break;
        case 2: g_string_append_printf(text, "2001:db8:%x:%x::/64\n", i >> 16, i & 0xffff); break;
        case 3: g_string_append_printf(text, "host%u.bad%u.example\n", i, i % 97); break;
        default: g_string_append_printf(text, "*.zone%u.example\n", i); break;
        }
    }
    list = ntt_blocklist_parse(text->str, text->len, "big", collect_problem, problems);
    assert_int_equal(problems->len, 0);
    /* case 1 repeats a /24 for i sharing i >> 8: only the first counts. */
    for (unsigned i = 0; i < n; i++) {
        uint32_t id = 0;
        const ntt_blocklist_entry_t *e;

        switch (i % 5) {
        case 0:
            snprintf(buf, sizeof buf, "100.%u.%u.%u", i >> 16, (i >> 8) & 255, i & 255);
            id = match_ip(list, buf);
            break;
        case 1:
            snprintf(buf, sizeof buf, "172.%u.%u.77", i >> 16, (i >> 8) & 255);
            id = match_ip(list, buf);
            break;
        case 2:
            snprintf(buf, sizeof buf, "2001:db8:%x:%x:1::99", i >> 16, i & 0xffff);
            id = match_ip(list, buf);
            break;
        case 3:
            snprintf(buf, sizeof buf, "HOST%u.bad%u.example.", i, i % 97);
            id = match_name(list, buf);
            break;
        default:
            snprintf(buf, sizeof buf, "www.zone%u.example", i);
            id = match_name(list, buf);
            assert_int_equal(match_name(list, buf + 4), 0);
            break;
        }
        e = ntt_blocklist_entry(list, id);
        assert_non_null(e);
        assert_int_equal(e->indicator, (i % 5) == 0 ? NTT_INDICATOR_IP :
                                       (i % 5) <= 2 ? NTT_INDICATOR_CIDR :
                                       NTT_INDICATOR_DOMAIN);
        if ((i % 5) != 1)
            assert_int_equal(e->line, i + 1);
    }
    /* Near misses. */
    assert_ip_hits(list, "100.9.0.0", "");
    assert_ip_hits(list, "172.200.0.1", "");
    assert_ip_hits(list, "2001:db9::", "");
    assert_name_hits(list, "host3.bad4.example", "");
    assert_name_hits(list, "host8.bad8.example.org", "");
    assert_name_hits(list, "zone4.example", "");
    ntt_blocklist_free(list);
    g_ptr_array_free(problems, TRUE);
    g_string_free(text, TRUE);
}

/* ---- files --------------------------------------------------------- */

static char *make_temp_dir(void)
{
    char *dir = g_dir_make_tmp("ntt-blocklist-XXXXXX", NULL);

    assert_non_null(dir);
    return dir;
}

static void test_load(void **state)
{
    char *dir = make_temp_dir();
    char *path = g_build_filename(dir, "list.txt", NULL);
    char *empty = g_build_filename(dir, "empty.txt", NULL);
    char *missing = g_build_filename(dir, "missing.txt", NULL);
    char *error = NULL, *expected;
    GPtrArray *problems = problems_new();
    ntt_blocklist_t *list;

    (void)state;
    assert_true(g_file_set_contents(path, "192.0.2.1\nbad..name\nevil.example\n", -1, NULL));
    list = ntt_blocklist_load(path, collect_problem, problems, &error);
    assert_non_null(list);
    assert_null(error);
    assert_int_equal(ntt_blocklist_size(list), 2);
    assert_int_equal(problems->len, 1);
    expected = g_strdup_printf("%s:2: 'bad..name' has an empty label", path);
    assert_string_equal(g_ptr_array_index(problems, 0), expected);
    g_free(expected);
    assert_name_hits(list, "evil.example", "evil.example");
    ntt_blocklist_free(list);

    /* 0 bytes: a valid, empty list. */
    assert_true(g_file_set_contents(empty, "", 0, NULL));
    list = ntt_blocklist_load(empty, NULL, NULL, &error);
    assert_non_null(list);
    assert_null(error);
    assert_int_equal(ntt_blocklist_size(list), 0);
    ntt_blocklist_free(list);

    list = ntt_blocklist_load(missing, NULL, NULL, &error);
    assert_null(list);
    expected = g_strdup_printf("cannot read %s: No such file or directory", missing);
    assert_string_equal(error, expected);
    g_free(expected);
    g_free(error);

    list = ntt_blocklist_load(dir, NULL, NULL, &error);
    assert_null(list);
    expected = g_strdup_printf("cannot read %s: Is a directory", dir);
    assert_string_equal(error, expected);
    g_free(expected);
    g_free(error);

    list = ntt_blocklist_load("", NULL, NULL, &error);
    assert_null(list);
    assert_string_equal(error, "cannot read the blocklist: no file name given");
    g_free(error);
    list = ntt_blocklist_load(NULL, NULL, NULL, &error);
    assert_null(list);
    g_free(error);
    /* error may be NULL. */
    assert_null(ntt_blocklist_load(missing, NULL, NULL, NULL));

    g_unlink(path);
    g_unlink(empty);
    g_rmdir(dir);
    g_free(path);
    g_free(empty);
    g_free(missing);
    g_free(dir);
    g_ptr_array_free(problems, TRUE);
}

static void test_load_unreadable(void **state)
{
    char *dir, *path, *error = NULL, *expected;

    (void)state;
    if (geteuid() == 0)
        skip();     /* root reads a mode-000 file anyway */
    dir = make_temp_dir();
    path = g_build_filename(dir, "secret.txt", NULL);
    assert_true(g_file_set_contents(path, "192.0.2.1\n", -1, NULL));
    assert_int_equal(g_chmod(path, 0), 0);
    assert_null(ntt_blocklist_load(path, NULL, NULL, &error));
    expected = g_strdup_printf("cannot read %s: Permission denied", path);
    assert_string_equal(error, expected);
    g_free(expected);
    g_free(error);
    g_unlink(path);
    g_rmdir(dir);
    g_free(path);
    g_free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_entries_and_ids),
        cmocka_unit_test(test_null_and_empty),
        cmocka_unit_test(test_line_format),
        cmocka_unit_test(test_hosts_file_lines),
        cmocka_unit_test(test_longest_prefix),
        cmocka_unit_test(test_zero_length_networks),
        cmocka_unit_test(test_versions_not_mixed),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_long_names),
        cmocka_unit_test(test_duplicates_keep_first),
        cmocka_unit_test(test_bad_addresses),
        cmocka_unit_test(test_bad_networks),
        cmocka_unit_test(test_bad_names),
        cmocka_unit_test(test_extra_fields),
        cmocka_unit_test(test_control_bytes_escaped),
        cmocka_unit_test(test_rest_still_works),
        cmocka_unit_test(test_long_lines),
        cmocka_unit_test(test_entry_cap),
        cmocka_unit_test(test_large_list),
        cmocka_unit_test(test_load),
        cmocka_unit_test(test_load_unreadable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

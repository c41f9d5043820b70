/* fuzz-blocklist.c
 * Fuzz target for the blocklist parser and matcher. The input is parsed
 * twice: as raw text, then translated into list-like text (each byte picks
 * a fragment such as "10.", "/24", "*.", "example", a newline, a comment),
 * so that random bytes still make addresses, networks, names and hosts
 * lines. Every entry must then match what it was written as, and slices
 * of the input are matched as addresses and names.
 * Built for libFuzzer with clang or driven by fuzz-driver.c under the
 * sanitizers.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "ntt/blocklist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_problem(void *ctx, const char *message)
{
    unsigned *count = ctx;

    /* "<name>:<line>: <what>", never empty. */
    if (message == NULL || strstr(message, ": ") == NULL)
        abort();
    (*count)++;
}

static void check_id(const ntt_blocklist_t *list, uint32_t id)
{
    if (id > ntt_blocklist_size(list))
        abort();
    if (id != NTT_BLOCKLIST_NO_MATCH && ntt_blocklist_entry(list, id) == NULL)
        abort();
}

/* Each entry covers what it says: its address, the base of its network,
 * its name, or a name below its suffix. */
static void check_entry_matches(const ntt_blocklist_t *list, uint32_t id)
{
    const ntt_blocklist_entry_t *e = ntt_blocklist_entry(list, id);
    char text[1024];
    uint32_t got;

    if (e == NULL || e->indicator >= NTT_INDICATOR_COUNT)
        abort();
    snprintf(text, sizeof text, "%s", e->text);
    if (e->indicator != NTT_INDICATOR_DOMAIN) {
        ntt_addr_t addr;
        char *slash = strchr(text, '/');
        uint8_t version = strchr(text, ':') ? 6 : 4;

        if (slash)
            *slash = '\0';
        memset(&addr, 0, sizeof addr);
        if (inet_pton(version == 6 ? AF_INET6 : AF_INET, text, addr.bytes) != 1)
            abort();
        got = ntt_blocklist_match_addr(list, &addr, version);
    } else {
        /* What the entry covers: "*.x" -> "a.x", ".x" -> "x". */
        char query[1100];
        size_t qlen;

        if (text[0] == '*' && text[1] == '.')
            snprintf(query, sizeof query, "a%s", text + 1);
        else
            snprintf(query, sizeof query, "%s", text[0] == '.' ? text + 1 : text);
        qlen = strlen(query);
        if (qlen > 0 && query[qlen - 1] == '.')
            qlen--;
        if (qlen > 253)
            return;     /* past the name limit: cannot be asked for */
        got = ntt_blocklist_match_name(list, query, qlen);
    }
    check_id(list, got);
    if (got == NTT_BLOCKLIST_NO_MATCH)
        abort();
}

static void exercise(const char *text, size_t len, const uint8_t *data, size_t size)
{
    unsigned problems = 0;
    ntt_blocklist_t *list = ntt_blocklist_parse(text, len, "fuzz", check_problem,
                                                &problems);
    uint32_t n = ntt_blocklist_size(list);

    for (uint32_t id = 1; id <= n && id <= 256; id++)
        check_entry_matches(list, id);
    if (ntt_blocklist_entry(list, n + 1) != NULL || ntt_blocklist_entry(list, 0) != NULL)
        abort();
    /* Slices of the input as addresses and as names. */
    for (size_t off = 0; off + 16 <= size && off < 512; off += 16) {
        ntt_addr_t addr;

        memcpy(addr.bytes, data + off, 16);
        check_id(list, ntt_blocklist_match_addr(list, &addr, 4));
        check_id(list, ntt_blocklist_match_addr(list, &addr, 6));
        check_id(list, ntt_blocklist_match_addr(list, &addr, data[off]));
    }
    for (size_t off = 0; off < len && off < 2048; off += 61) {
        size_t take = len - off < 300 ? len - off : 300;

        for (size_t l = 0; l <= take; l += 37)
            check_id(list, ntt_blocklist_match_name(list, text + off, l));
    }
    ntt_blocklist_free(list);
}

/* Fragments that list lines are made of. */
static const char *const fragments[] = {
    "\n", "\n", "\n", "\r\n", " ", "\t", "# c", "#",
    "0", "1", "2", "5", "9", "10", "127", "192", "255", "256", "300", "00",
    ".", ".", ".", "..", "/", "/0", "/8", "/16", "/24", "/25", "/32", "/33",
    "/64", "/128", "/129", "/", ":", "::", "2001:db8", "fe80", "ffff", "%lo0",
    "10.0.0.0", "192.0.2.", "0.0.0.0 ", "127.0.0.1 ", "::1 ", "localhost",
    "*", "*.", "-", "_", "a", "x", "evil", "Example", "org", "bad-host",
    "xn--p1ai", "\xEF\xBB\xBF", "\xc3\xa9", "\0", "\x01", "\"",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Fragments make text about four times the input: 4 KiB of input is
     * plenty of lines and keeps the sanitized CTest run short. */
    size_t take = size < 4096 ? size : 4096;
    GString *text = g_string_sized_new(take * 4);

    exercise((const char *)data, size, data, size);
    for (size_t i = 0; i < take; i++) {
        const char *f = fragments[data[i] % G_N_ELEMENTS(fragments)];

        /* "\0" is one byte, not an empty string. */
        if (f[0] == '\0')
            g_string_append_c(text, '\0');
        else
            g_string_append(text, f);
    }
    exercise(text->str, text->len, data, size);
    g_string_free(text, TRUE);
    return 0;
}

/* episode.c
 * Names of episode types and misuses, and the texts an episode is shown by
 * (its size, its summary line), as the fields and reports show them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ntt/episode.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

const char *ntt_episode_type_name(ntt_episode_type_t type)
{
    const ntt_episode_descriptor_t *desc = ntt_episode_describe(type);

    return desc ? desc->name : "";
}

const char *ntt_misuse_name(ntt_misuse_t misuse)
{
    switch (misuse) {
    case NTT_MISUSE_SYN_FIN:   return "SYN+FIN";
    case NTT_MISUSE_SYN_RST:   return "SYN+RST";
    case NTT_MISUSE_NO_FLAGS:  return "no TCP flags";
    case NTT_MISUSE_ALL_FLAGS: return "all TCP flags";
    case NTT_MISUSE_BIG_ECHO:  return "oversized ICMP echo";
    case NTT_MISUSE_LAND:      return "LAND (to its own address and port)";
    case NTT_MISUSE_FIN_NO_ACK: return "FIN without ACK";
    case NTT_MISUSE_NONE:
    default:                   return "";
    }
}

bool ntt_episode_has_attacker(const ntt_episode_t *ep)
{
    return ep->has_src && ep->type != NTT_EPISODE_BLOCKLIST;
}

/* A field's value as the size text writes it: rates rounded. */
static const char *value_text(const ntt_episode_field_t *field,
                              const ntt_episode_detail_t *detail, char *buf, size_t size)
{
    switch (field->kind) {
    case NTT_EPISODE_FIELD_U32:
    case NTT_EPISODE_FIELD_U64:
        snprintf(buf, size, "%" PRIu64, ntt_episode_field_uint(field, detail));
        return buf;
    case NTT_EPISODE_FIELD_RATE:
        snprintf(buf, size, "%.0f", ntt_episode_field_rate(field, detail));
        return buf;
    case NTT_EPISODE_FIELD_SCORE:
        snprintf(buf, size, "%.2f", ntt_episode_field_rate(field, detail));
        return buf;
    default:
        return ntt_episode_field_string(field, detail);
    }
}

/* Appends n bytes of text to buf, truncating as snprintf does. */
static void append(char *buf, size_t size, size_t *len, const char *text, size_t n)
{
    if (*len + 1 >= size)
        return;
    if (n > size - 1 - *len)
        n = size - 1 - *len;
    memcpy(buf + *len, text, n);
    *len += n;
    buf[*len] = '\0';
}

/* The words of each field that has some, its value where "%s" is, joined
 * by ", ": "1200 half-open, peak 950 SYN/s". Built in buf: it is shown on
 * every packet of an episode. */
char *ntt_episode_size_text(const ntt_episode_t *ep, char *buf, size_t size)
{
    const ntt_episode_descriptor_t *desc = ntt_episode_describe((ntt_episode_type_t)ep->type);
    size_t len = 0;
    unsigned parts = 0;

    if (size)
        buf[0] = '\0';
    for (unsigned i = 0; desc && i < desc->field_count; i++) {
        const ntt_episode_field_t *field = &desc->fields[i];
        const char *words = field->size_words, *at, *value;
        char number[32];

        if (!words)
            continue;
        if (parts++)
            append(buf, size, &len, ", ", 2);
        at = strstr(words, "%s");
        if (!at) {
            append(buf, size, &len, words, strlen(words));
            continue;
        }
        value = value_text(field, &ep->detail, number, sizeof number);
        append(buf, size, &len, words, (size_t)(at - words));
        append(buf, size, &len, value, strlen(value));
        append(buf, size, &len, at + 2, strlen(at + 2));
    }
    return buf;
}

/* The count a type keeps under key ("distinct_sources"), 0 when it keeps
 * none: what the summary says instead of many sources or targets. */
static uint64_t detail_count(const ntt_episode_t *ep, const char *key)
{
    const ntt_episode_descriptor_t *desc = ntt_episode_describe((ntt_episode_type_t)ep->type);

    for (unsigned i = 0; desc && i < desc->field_count; i++) {
        if (strcmp(desc->fields[i].key, key) == 0)
            return ntt_episode_field_uint(&desc->fields[i], &ep->detail);
    }
    return 0;
}

char *ntt_episode_summary(const ntt_episode_t *ep, char *buf, size_t size)
{
    char addr[NTT_ADDR_STRLEN], who[64], whom[112], what[96];
    const char *entry_text = ep->type == NTT_EPISODE_BLOCKLIST ?
        ep->detail.blocklist.entry_text : NULL;

    if (ep->has_src)
        snprintf(who, sizeof who, "%s", ntt_addr_format(&ep->src, ep->ip_version, addr));
    else
        snprintf(who, sizeof who, "%" PRIu64 " sources", detail_count(ep, "distinct_sources"));
    if (entry_text && ep->has_dst)
        snprintf(whom, sizeof whom, "%.40s (%s)", entry_text,
                 ntt_addr_format(&ep->dst, ep->ip_version, addr));
    else if (entry_text)
        snprintf(whom, sizeof whom, "%.60s", entry_text);
    else if (ep->has_dst && ep->has_port)
        snprintf(whom, sizeof whom, ep->ip_version == 6 ? "[%s]:%u" : "%s:%u",
                 ntt_addr_format(&ep->dst, ep->ip_version, addr), ep->port);
    else if (ep->has_dst)
        snprintf(whom, sizeof whom, "%s", ntt_addr_format(&ep->dst, ep->ip_version, addr));
    else if (ep->type == NTT_EPISODE_SWEEP && ep->detail.sweep.dst_net[0] && ep->has_port)
        /* The range swept; the size says how many hosts. */
        snprintf(whom, sizeof whom, "%s port %u", ep->detail.sweep.dst_net, ep->port);
    else if (ep->type == NTT_EPISODE_SWEEP && ep->detail.sweep.dst_net[0])
        snprintf(whom, sizeof whom, "%s", ep->detail.sweep.dst_net);
    else if (ep->has_port)
        snprintf(whom, sizeof whom, "%" PRIu64 " hosts, port %u",
                 detail_count(ep, "distinct_hosts"), ep->port);
    else
        snprintf(whom, sizeof whom, "%" PRIu64 " hosts", detail_count(ep, "distinct_hosts"));
    snprintf(buf, size, "%s %s \xe2\x86\x92 %s: %s",
             ntt_episode_type_name((ntt_episode_type_t)ep->type), who, whom,
             ntt_episode_size_text(ep, what, sizeof what));
    return buf;
}

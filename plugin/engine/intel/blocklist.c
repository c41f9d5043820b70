/* blocklist.c
 * Known-bad destinations: parses a list of addresses, CIDR networks and
 * domain names (plain lists and hosts files) and matches packet addresses
 * and names against it without allocating.
 *
 * Addresses live in small open-addressing tables of fixed-size keys (4
 * bytes for IPv4, 16 for IPv6): one table of exact addresses per version
 * and one per prefix length present, probed from the longest length down.
 * Names live in two tables, exact and suffix, keyed by the lower-cased
 * name; a lookup hashes the name once from the right, which gives the hash
 * of every suffix for free.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ntt/blocklist.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "util/hash.h"

/* Bounds: entries kept, bytes per line, bytes per file. */
#define MAX_ENTRIES     2000000u
#define MAX_LINE_BYTES  1000u
#define MAX_FILE_BYTES  ((goffset)1 << 30)
#define MAX_NAME_LEN    253u
#define MAX_LABEL_LEN   63u

/* ---- address tables ------------------------------------------------ */

/* Open addressing with linear probing. A slot is the key (key_len bytes)
 * followed by the id (4 bytes, 0 for a free slot), side by side so that a
 * probe touches one cache line: 8 bytes for IPv4, 20 for IPv6. */
typedef struct addr_table {
    uint8_t  *slots;
    uint32_t  mask;         /* capacity - 1; capacity is a power of two */
    uint32_t  count;
    uint8_t   key_len;      /* 4 or 16 */
} addr_table_t;

/* The list's keys come from its file, not from traffic, and the list is
 * built before any engine (and its seed) exists: the fixed seed. Lookups
 * of chosen addresses only probe, and at a load of 1/2 with a well-mixed
 * hash no cluster is long. */
static inline uint32_t hash_addr_key(const uint8_t *key, unsigned key_len)
{
    return (uint32_t)ntt_hash_bytes(key, key_len, NTT_HASH_DEFAULT_SEED);
}

static uint32_t slot_id(const addr_table_t *t, const uint8_t *slot)
{
    uint32_t id;

    memcpy(&id, slot + t->key_len, sizeof id);
    return id;
}

/* The key length is a constant in each copy, so the compare and the
 * hash compile to a few loads instead of library calls. */
static inline uint32_t addr_table_find_len(const addr_table_t *t, const uint8_t *key,
                                           unsigned key_len)
{
    const size_t stride = (size_t)key_len + 4;
    uint32_t i;

    if (t->count == 0)
        return NTT_BLOCKLIST_NO_MATCH;
    i = hash_addr_key(key, key_len) & t->mask;
    for (;;) {
        const uint8_t *slot = t->slots + i * stride;
        uint32_t id;

        memcpy(&id, slot + key_len, sizeof id);
        if (id == 0)
            return NTT_BLOCKLIST_NO_MATCH;
        if (memcmp(slot, key, key_len) == 0)
            return id;
        i = (i + 1) & t->mask;
    }
}

static uint32_t addr_table_find(const addr_table_t *t, const uint8_t *key)
{
    return t->key_len == 4 ? addr_table_find_len(t, key, 4)
                           : addr_table_find_len(t, key, 16);
}

static void addr_table_put(addr_table_t *t, const uint8_t *key, uint32_t id)
{
    size_t stride = (size_t)t->key_len + 4;
    uint32_t i = hash_addr_key(key, t->key_len) & t->mask;

    while (slot_id(t, t->slots + i * stride) != 0)
        i = (i + 1) & t->mask;
    memcpy(t->slots + i * stride, key, t->key_len);
    memcpy(t->slots + i * stride + t->key_len, &id, sizeof id);
    t->count++;
}

static void addr_table_grow(addr_table_t *t)
{
    addr_table_t old = *t;
    size_t stride = (size_t)t->key_len + 4;
    uint32_t capacity = old.slots ? (old.mask + 1) * 2 : 8;

    t->slots = g_malloc0((size_t)capacity * stride);
    t->mask = capacity - 1;
    t->count = 0;
    if (old.slots) {
        for (uint32_t i = 0; i <= old.mask; i++) {
            const uint8_t *slot = old.slots + i * stride;
            uint32_t id = slot_id(&old, slot);

            if (id != 0)
                addr_table_put(t, slot, id);
        }
    }
    g_free(old.slots);
}

/* Misses are the common case (most traffic is not on the list), and a
 * miss walks to a free slot: keep the load at or below 1/2 so that walk
 * stays around two slots. */
static bool table_needs_growth(bool empty, uint32_t count, uint32_t mask)
{
    return empty || (uint64_t)(count + 1) * 2 > (uint64_t)mask + 1;
}

/* False when the key is already there (the first entry is kept). */
static bool addr_table_insert(addr_table_t *t, const uint8_t *key, uint32_t id)
{
    if (addr_table_find(t, key) != NTT_BLOCKLIST_NO_MATCH)
        return false;
    if (table_needs_growth(t->slots == NULL, t->count, t->mask))
        addr_table_grow(t);
    addr_table_put(t, key, id);
    return true;
}

static void addr_table_clear(addr_table_t *t)
{
    g_free(t->slots);
    t->slots = NULL;
    t->count = 0;
}

/* ---- name tables --------------------------------------------------- */

/* Names are kept once in an arena as <length byte><name><NUL>; a slot
 * holds the name's full hash (compared first), its arena offset and id. */
typedef struct name_slot {
    uint32_t hash;
    uint32_t id;            /* 0: free */
    uint32_t off;
} name_slot_t;

typedef struct name_table {
    name_slot_t *slots;
    uint32_t     mask;
    uint32_t     count;
} name_table_t;

/* FNV-1a run from the last byte to the first: the state after byte i is
 * the hash of the suffix starting at i, so one pass over a name gives the
 * hash of every suffix. The final mix (the engine's hash, fixed seed as
 * for addresses) spreads it for linear probing. */
static uint32_t mix_name_hash(uint32_t state)
{
    return (uint32_t)ntt_hash_bytes(&state, sizeof state, NTT_HASH_DEFAULT_SEED);
}

static uint32_t hash_name(const char *name, size_t len)
{
    uint32_t state = 2166136261u;

    while (len > 0) {
        state ^= (uint8_t)name[--len];
        state *= 16777619u;
    }
    return mix_name_hash(state);
}

/* g_ascii_tolower() is a library call; this is on every lookup. */
static inline char ascii_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c + ('a' - 'A')) : c;
}

static uint32_t name_table_find(const name_table_t *t, const GString *arena,
                                const char *name, size_t len, uint32_t hash)
{
    uint32_t i;

    if (t->count == 0)
        return NTT_BLOCKLIST_NO_MATCH;
    i = hash & t->mask;
    for (;;) {
        const name_slot_t *slot = &t->slots[i];

        if (slot->id == 0)
            return NTT_BLOCKLIST_NO_MATCH;
        if (slot->hash == hash) {
            const char *stored = arena->str + slot->off;

            if ((uint8_t)stored[0] == len && memcmp(stored + 1, name, len) == 0)
                return slot->id;
        }
        i = (i + 1) & t->mask;
    }
}

static void name_table_put(name_table_t *t, name_slot_t slot)
{
    uint32_t i = slot.hash & t->mask;

    while (t->slots[i].id != 0)
        i = (i + 1) & t->mask;
    t->slots[i] = slot;
    t->count++;
}

/* The caller has checked that the name is not there yet. */
static void name_table_insert(name_table_t *t, uint32_t hash, uint32_t off,
                              uint32_t id)
{
    name_slot_t slot = { hash, id, off };

    if (table_needs_growth(t->slots == NULL, t->count, t->mask)) {
        name_table_t old = *t;
        uint32_t capacity = old.slots ? (old.mask + 1) * 2 : 8;

        t->slots = g_malloc0((size_t)capacity * sizeof *t->slots);
        t->mask = capacity - 1;
        t->count = 0;
        if (old.slots) {
            for (uint32_t i = 0; i <= old.mask; i++)
                if (old.slots[i].id != 0)
                    name_table_put(t, old.slots[i]);
        }
        g_free(old.slots);
    }
    name_table_put(t, slot);
}

/* ---- the list ------------------------------------------------------ */

struct ntt_blocklist {
    GArray       *entries;          /* ntt_blocklist_entry_t, id - 1 */
    GStringChunk *texts;            /* entry texts as written */
    addr_table_t  exact[2];         /* [0] IPv4, [1] IPv6 */
    addr_table_t  nets4[33];        /* by prefix length */
    addr_table_t  nets6[129];
    uint8_t       lengths[2][129];  /* network lengths present, longest first */
    uint8_t       n_lengths[2];
    name_table_t  exact_names;      /* "a.example", and ".a.example" itself */
    name_table_t  suffix_names;     /* "*.a.example", ".a.example" */
    GString      *name_arena;
};

/* What one parsed token stands for, before it becomes an entry. */
typedef struct parsed_entry {
    ntt_indicator_t indicator;
    uint8_t         version;        /* addresses: 4 or 6 */
    uint8_t         prefix;         /* networks */
    uint8_t         addr[16];
    bool            exact_name;     /* names: the name itself matches */
    bool            below_name;     /* names: names below it match */
    char            name[MAX_NAME_LEN + 1];
    size_t          name_len;
} parsed_entry_t;

typedef struct parser {
    ntt_blocklist_t         *list;
    const char              *source;
    ntt_blocklist_problem_fn problem;
    void                    *ctx;
    uint32_t                 line;
    bool                     truncated;
} parser_t;

const char *ntt_indicator_name(ntt_indicator_t indicator)
{
    switch (indicator) {
    case NTT_INDICATOR_IP:     return "ip";
    case NTT_INDICATOR_CIDR:   return "cidr";
    case NTT_INDICATOR_DOMAIN: return "domain";
    default:                   return "";
    }
}

static void deliver(parser_t *p, const char *what)
{
    char *message = g_strdup_printf("%s:%u: %s", p->source, p->line, what);

    p->problem(p->ctx, message);
    g_free(message);
}

static G_GNUC_PRINTF(2, 3) void report(parser_t *p, const char *format, ...)
{
    va_list args;
    char *what;

    if (p->problem == NULL)
        return;
    va_start(args, format);
    what = g_strdup_vprintf(format, args);
    va_end(args);
    deliver(p, what);
    g_free(what);
}

/* "'<token>' <what>". The token is shown with printable ASCII kept and
 * other bytes as \xNN, so a binary file cannot put control characters
 * into a log. Nothing is formatted when nobody listens. */
static G_GNUC_PRINTF(4, 5) void bad_token(parser_t *p, const char *s, size_t len,
                                          const char *format, ...)
{
    va_list args;
    GString *out;

    if (p->problem == NULL)
        return;
    out = g_string_sized_new(len + 64);
    g_string_append_c(out, '\'');
    for (size_t i = 0; i < len; i++) {
        uint8_t c = (uint8_t)s[i];

        if (c >= 0x20 && c < 0x7f)
            g_string_append_c(out, (char)c);
        else
            g_string_append_printf(out, "\\x%02x", c);
    }
    g_string_append(out, "' ");
    va_start(args, format);
    g_string_append_vprintf(out, format, args);
    va_end(args);
    deliver(p, out->str);
    g_string_free(out, TRUE);
}

static bool all_digits_and_dots(const char *s, size_t len)
{
    bool digit = false;

    for (size_t i = 0; i < len; i++) {
        if (g_ascii_isdigit(s[i]))
            digit = true;
        else if (s[i] != '.')
            return false;
    }
    return digit;
}

/* inet_pton needs a NUL-terminated copy; tokens are short (a line is at
 * most MAX_LINE_BYTES). */
static bool parse_address(const char *s, size_t len, uint8_t *version, uint8_t *addr)
{
    char text[INET6_ADDRSTRLEN + 1];

    if (len == 0 || len >= sizeof text || memchr(s, '\0', len) != NULL)
        return false;
    memcpy(text, s, len);
    text[len] = '\0';
    memset(addr, 0, 16);
    if (memchr(text, ':', len) != NULL) {
        *version = 6;
        return inet_pton(AF_INET6, text, addr) == 1;
    }
    *version = 4;
    return inet_pton(AF_INET, text, addr) == 1;
}

static void mask_address(const uint8_t *addr, unsigned prefix, uint8_t *out)
{
    unsigned full = prefix / 8, bits = prefix % 8;

    memset(out, 0, 16);
    memcpy(out, addr, full);
    if (bits != 0)
        out[full] = (uint8_t)(addr[full] & (0xFFu << (8 - bits)));
}

static bool parse_network(parser_t *p, const char *s, size_t len,
                          parsed_entry_t *e)
{
    const char *tok = s;
    size_t tok_len = len;
    const char *slash = memchr(s, '/', len);
    size_t addr_len = (size_t)(slash - s), digits = len - addr_len - 1;
    unsigned prefix = 0, max_prefix;
    uint8_t masked[16];

    if (!parse_address(s, addr_len, &e->version, e->addr)) {
        bad_token(p, tok, tok_len, "is not a valid network");
        return false;
    }
    max_prefix = e->version == 4 ? 32 : 128;
    for (size_t i = 0; i < digits; i++) {
        if (!g_ascii_isdigit(slash[1 + i]) || prefix > max_prefix) {
            prefix = max_prefix + 1;
            break;
        }
        prefix = prefix * 10 + (unsigned)(slash[1 + i] - '0');
    }
    if (digits == 0 || digits > 3 || prefix > max_prefix) {
        bad_token(p, tok, tok_len, "has a bad prefix length (0..%u for IPv%u)",
               max_prefix, e->version);
        return false;
    }
    mask_address(e->addr, prefix, masked);
    if (memcmp(masked, e->addr, 16) != 0) {
        char suggestion[INET6_ADDRSTRLEN];

        inet_ntop(e->version == 4 ? AF_INET : AF_INET6, masked, suggestion,
                  sizeof suggestion);
        bad_token(p, tok, tok_len, "has host bits set; did you mean %s/%u?",
               suggestion, prefix);
        return false;
    }
    e->indicator = NTT_INDICATOR_CIDR;
    e->prefix = (uint8_t)prefix;
    return true;
}

static bool name_char_ok(char c)
{
    return g_ascii_isalnum(c) || c == '-' || c == '_';
}

/* Domain names: "a.example", "*.a.example" (strictly below) and
 * ".a.example" (the name and below); lower-cased, one trailing dot
 * dropped. */
static bool parse_domain(parser_t *p, const char *s, size_t len,
                         parsed_entry_t *e)
{
    const char *tok = s;
    size_t tok_len = len;
    size_t label = 0;

    e->exact_name = true;
    e->below_name = false;
    if (len >= 2 && s[0] == '*' && s[1] == '.') {
        e->exact_name = false;
        e->below_name = true;
        s += 2;
        len -= 2;
    } else if (len >= 1 && s[0] == '.') {
        e->below_name = true;
        s += 1;
        len -= 1;
    }
    if (len > 0 && s[len - 1] == '.')
        len--;
    if (len == 0) {
        bad_token(p, tok, tok_len, "is not an address, network or domain name");
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '.' && !name_char_ok(s[i])) {
            bad_token(p, tok, tok_len, "is not an address, network or domain name");
            return false;
        }
    }
    if (all_digits_and_dots(s, len)) {
        /* "10.1.2" or "*.1.2.3.4": an address gone wrong, not a name. */
        if (e->exact_name && !e->below_name)
            bad_token(p, tok, tok_len, "is not a valid IPv4 address");
        else
            bad_token(p, tok, tok_len, "is not an address, network or domain name");
        return false;
    }
    if (len > MAX_NAME_LEN) {
        bad_token(p, tok, tok_len, "is longer than %u characters", MAX_NAME_LEN);
        return false;
    }
    for (size_t i = 0; i <= len; i++) {
        if (i < len && s[i] != '.') {
            label++;
            continue;
        }
        if (label == 0) {
            bad_token(p, tok, tok_len, "has an empty label");
            return false;
        }
        if (label > MAX_LABEL_LEN) {
            bad_token(p, tok, tok_len, "has a label longer than %u characters",
                   MAX_LABEL_LEN);
            return false;
        }
        if (s[i - label] == '-' || s[i - 1] == '-') {
            bad_token(p, tok, tok_len, "has a label that starts or ends with '-'");
            return false;
        }
        label = 0;
    }
    for (size_t i = 0; i < len; i++)
        e->name[i] = g_ascii_tolower(s[i]);
    e->name[len] = '\0';
    e->name_len = len;
    e->indicator = NTT_INDICATOR_DOMAIN;
    return true;
}

/* One token: an address, a network or a name. Reports why not. */
static bool parse_token(parser_t *p, const char *s, size_t len, parsed_entry_t *e)
{
    const char *tok = s;
    size_t tok_len = len;
    bool ok;

    if (memchr(s, '/', len) != NULL) {
        ok = parse_network(p, s, len, e);
    } else if (memchr(s, ':', len) != NULL) {
        ok = parse_address(s, len, &e->version, e->addr);
        if (!ok)
            bad_token(p, tok, tok_len, "is not a valid IPv6 address");
        e->indicator = NTT_INDICATOR_IP;
    } else if (all_digits_and_dots(s, len)) {
        ok = parse_address(s, len, &e->version, e->addr);
        if (!ok)
            bad_token(p, tok, tok_len, "is not a valid IPv4 address");
        e->indicator = NTT_INDICATOR_IP;
    } else {
        ok = parse_domain(p, s, len, e);
    }
    return ok;
}

static void note_length(ntt_blocklist_t *list, unsigned v, uint8_t prefix)
{
    uint8_t *lengths = list->lengths[v];
    unsigned n = list->n_lengths[v], at = 0;

    while (at < n && lengths[at] > prefix)
        at++;
    memmove(lengths + at + 1, lengths + at, n - at);
    lengths[at] = prefix;
    list->n_lengths[v] = (uint8_t)(n + 1);
}

/* Adds the entry unless everything it says is already in the list (a
 * duplicate: the first one is kept, silently). */
static void add_entry(parser_t *p, const parsed_entry_t *e, const char *text, size_t len)
{
    ntt_blocklist_t *list = p->list;
    uint32_t id = list->entries->len + 1;
    bool added = false;

    if (e->indicator == NTT_INDICATOR_DOMAIN) {
        uint32_t hash = hash_name(e->name, e->name_len);
        bool to_exact = e->exact_name &&
            !name_table_find(&list->exact_names, list->name_arena, e->name,
                             e->name_len, hash);
        bool to_suffix = e->below_name &&
            !name_table_find(&list->suffix_names, list->name_arena, e->name,
                             e->name_len, hash);

        if (to_exact || to_suffix) {
            uint32_t off = (uint32_t)list->name_arena->len;

            g_string_append_c(list->name_arena, (char)e->name_len);
            g_string_append_len(list->name_arena, e->name, (gssize)e->name_len);
            g_string_append_c(list->name_arena, '\0');
            if (to_exact)
                name_table_insert(&list->exact_names, hash, off, id);
            if (to_suffix)
                name_table_insert(&list->suffix_names, hash, off, id);
            added = true;
        }
    } else {
        unsigned v = e->version == 6;
        unsigned full = e->version == 6 ? 128 : 32;
        addr_table_t *table;

        if (e->indicator == NTT_INDICATOR_IP || e->prefix == full) {
            table = &list->exact[v];
        } else {
            table = v ? &list->nets6[e->prefix] : &list->nets4[e->prefix];
            if (table->slots == NULL)
                note_length(list, v, e->prefix);
        }
        added = addr_table_insert(table, e->addr, id);
    }
    if (added) {
        ntt_blocklist_entry_t entry = {
            .text = g_string_chunk_insert_len(list->texts, text, (gssize)len),
            .line = p->line,
            .indicator = (uint8_t)e->indicator,
        };
        g_array_append_val(list->entries, entry);
    }
}

/* False once the cap is reached: the caller stops reading. */
static bool room_for_entry(parser_t *p)
{
    if (p->list->entries->len < MAX_ENTRIES)
        return true;
    if (!p->truncated)
        report(p, "list truncated at %u entries", MAX_ENTRIES);
    p->truncated = true;
    return false;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Names hosts files give to the machine itself; a blocklist that is a
 * hosts file starts with them and they are not destinations to flag. */
static bool is_hosts_boilerplate(const char *s, size_t len)
{
    static const char *const names[] = {
        "localhost", "localhost.localdomain", "local", "broadcasthost",
        "ip6-localhost", "ip6-loopback", "ip6-localnet", "ip6-mcastprefix",
        "ip6-allnodes", "ip6-allrouters", "ip6-allhosts", "0.0.0.0",
    };

    for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
        if (strlen(names[i]) == len && g_ascii_strncasecmp(names[i], s, len) == 0)
            return true;
    return false;
}

/* The addresses hosts-file blocklists point bad names at. */
static bool is_sink_address(uint8_t version, const uint8_t *addr)
{
    static const uint8_t zero[16], loop6[16] = { [15] = 1 };
    static const uint8_t loop4[4] = { 127, 0, 0, 1 };

    if (version == 4)
        return memcmp(addr, zero, 4) == 0 || memcmp(addr, loop4, 4) == 0;
    return memcmp(addr, zero, 16) == 0 || memcmp(addr, loop6, 16) == 0;
}

typedef struct token {
    const char *s;
    size_t      len;
} token_t;

/* "0.0.0.0 evil.example [more names]": each name is an entry. */
static bool parse_hosts_line(parser_t *p, const token_t *tokens, size_t n)
{
    uint8_t version, addr[16];
    bool boilerplate = true;

    /* A zone ("fe80::1%lo0") only ever appears on boilerplate lines. */
    if (!parse_address(tokens[0].s, tokens[0].len, &version, addr)) {
        const char *pct = memchr(tokens[0].s, '%', tokens[0].len);

        if (pct == NULL ||
            !parse_address(tokens[0].s, (size_t)(pct - tokens[0].s), &version, addr))
            return false;
        version = 0;    /* not a sink */
    }
    for (size_t i = 1; i < n; i++)
        boilerplate = boilerplate && is_hosts_boilerplate(tokens[i].s, tokens[i].len);
    if (boilerplate)
        return true;
    if (version == 0 || !is_sink_address(version, addr))
        return false;
    for (size_t i = 1; i < n; i++) {
        const char *tok = tokens[i].s;
        size_t tok_len = tokens[i].len;
        parsed_entry_t e;

        if (is_hosts_boilerplate(tok, tok_len))
            continue;
        /* Hosts files map names; an address or network here is a typo. */
        if (memchr(tok, '/', tok_len) || memchr(tok, ':', tok_len) ||
            all_digits_and_dots(tok, tok_len))
            bad_token(p, tok, tok_len, "is not a valid domain name");
        else if (parse_domain(p, tok, tok_len, &e)) {
            if (!room_for_entry(p))
                return true;
            add_entry(p, &e, tok, tok_len);
        }
    }
    return true;
}

/* Splits a trimmed, comment-free line on blanks. At most MAX_LINE_BYTES
 * bytes, so at most half as many tokens. */
static size_t split_line(const char *s, size_t len, token_t *tokens)
{
    size_t n = 0, i = 0;

    while (i < len) {
        size_t start;

        while (i < len && is_blank(s[i]))
            i++;
        if (i == len)
            break;
        start = i;
        while (i < len && !is_blank(s[i]))
            i++;
        tokens[n].s = s + start;
        tokens[n].len = i - start;
        n++;
    }
    return n;
}

static void parse_line(parser_t *p, const char *s, size_t len)
{
    token_t tokens[MAX_LINE_BYTES / 2 + 1];
    size_t n;
    const char *hash = memchr(s, '#', len);

    if (len > MAX_LINE_BYTES) {
        report(p, "line is longer than %u bytes", MAX_LINE_BYTES);
        return;
    }
    if (hash != NULL)
        len = (size_t)(hash - s);
    while (len > 0 && (is_blank(s[len - 1]) || s[len - 1] == '\r'))
        len--;
    while (len > 0 && is_blank(s[0])) {
        s++;
        len--;
    }
    if (len == 0)
        return;
    if (!room_for_entry(p))
        return;
    n = split_line(s, len, tokens);
    if (n == 1) {
        parsed_entry_t e;

        if (parse_token(p, s, len, &e))
            add_entry(p, &e, s, len);
        return;
    }
    if (!parse_hosts_line(p, tokens, n)) {
        bad_token(p, s, len, "has more than one field (one entry per line)");
    }
}

ntt_blocklist_t *ntt_blocklist_parse(const char *text, size_t len,
                                     const char *name,
                                     ntt_blocklist_problem_fn problem,
                                     void *ctx)
{
    ntt_blocklist_t *list = g_new0(ntt_blocklist_t, 1);
    parser_t p = {
        .list = list,
        .source = name ? name : "blocklist",
        .problem = problem,
        .ctx = ctx,
    };
    const char *end;

    list->entries = g_array_new(FALSE, FALSE, sizeof(ntt_blocklist_entry_t));
    list->texts = g_string_chunk_new(64 * 1024);
    list->name_arena = g_string_new(NULL);
    list->exact[0].key_len = 4;
    list->exact[1].key_len = 16;
    for (unsigned i = 0; i < G_N_ELEMENTS(list->nets4); i++)
        list->nets4[i].key_len = 4;
    for (unsigned i = 0; i < G_N_ELEMENTS(list->nets6); i++)
        list->nets6[i].key_len = 16;
    if (text == NULL)
        len = 0;
    end = text + len;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        text += 3;
    while (len > 0 && text < end && !p.truncated) {
        const char *nl = memchr(text, '\n', (size_t)(end - text));
        const char *line_end = nl ? nl : end;
        size_t line_len = (size_t)(line_end - text);

        if (line_len > 0 && text[line_len - 1] == '\r')
            line_len--;
        p.line++;
        parse_line(&p, text, line_len);
        if (nl == NULL)
            break;
        text = nl + 1;
    }
    return list;
}

/* GLib's file errors carry their own wording; messages here use the
 * system's, like every other "cannot read" in ntt. */
static const char *file_error_text(const GError *error)
{
    static const struct { GFileError code; int errnum; } map[] = {
        { G_FILE_ERROR_NOENT, ENOENT }, { G_FILE_ERROR_ACCES, EACCES },
        { G_FILE_ERROR_ISDIR, EISDIR }, { G_FILE_ERROR_PERM, EPERM },
        { G_FILE_ERROR_NOMEM, ENOMEM }, { G_FILE_ERROR_IO, EIO },
        { G_FILE_ERROR_NOTDIR, ENOTDIR }, { G_FILE_ERROR_LOOP, ELOOP },
        { G_FILE_ERROR_NAMETOOLONG, ENAMETOOLONG }, { G_FILE_ERROR_FAULT, EFAULT },
    };

    if (error->domain == G_FILE_ERROR)
        for (size_t i = 0; i < G_N_ELEMENTS(map); i++)
            if ((gint)map[i].code == error->code)
                return g_strerror(map[i].errnum);
    return error->message;
}

ntt_blocklist_t *ntt_blocklist_load(const char *path,
                                    ntt_blocklist_problem_fn problem,
                                    void *ctx, char **error)
{
    GStatBuf st;
    GError *gerror = NULL;
    gchar *contents = NULL;
    gsize length = 0;
    ntt_blocklist_t *list;
    char *message = NULL;

    if (path == NULL || path[0] == '\0') {
        message = g_strdup("cannot read the blocklist: no file name given");
    } else if (g_stat(path, &st) != 0) {
        message = g_strdup_printf("cannot read %s: %s", path, g_strerror(errno));
    } else if (S_ISDIR(st.st_mode)) {
        message = g_strdup_printf("cannot read %s: %s", path, g_strerror(EISDIR));
    } else if (S_ISREG(st.st_mode) && st.st_size > MAX_FILE_BYTES) {
        message = g_strdup_printf("cannot read %s: larger than 1 GiB", path);
    } else if (!g_file_get_contents(path, &contents, &length, &gerror)) {
        message = g_strdup_printf("cannot read %s: %s", path, file_error_text(gerror));
        g_error_free(gerror);
    }
    if (message != NULL) {
        if (error != NULL)
            *error = message;
        else
            g_free(message);
        return NULL;
    }
    list = ntt_blocklist_parse(contents, length, path, problem, ctx);
    g_free(contents);
    return list;
}

void ntt_blocklist_free(ntt_blocklist_t *list)
{
    if (list == NULL)
        return;
    g_array_free(list->entries, TRUE);
    g_string_chunk_free(list->texts);
    g_string_free(list->name_arena, TRUE);
    for (unsigned v = 0; v < 2; v++)
        addr_table_clear(&list->exact[v]);
    for (unsigned i = 0; i < G_N_ELEMENTS(list->nets4); i++)
        addr_table_clear(&list->nets4[i]);
    for (unsigned i = 0; i < G_N_ELEMENTS(list->nets6); i++)
        addr_table_clear(&list->nets6[i]);
    g_free(list->exact_names.slots);
    g_free(list->suffix_names.slots);
    g_free(list);
}

uint32_t ntt_blocklist_size(const ntt_blocklist_t *list)
{
    return list ? list->entries->len : 0;
}

const ntt_blocklist_entry_t *ntt_blocklist_entry(const ntt_blocklist_t *list,
                                                 uint32_t id)
{
    if (list == NULL || id == NTT_BLOCKLIST_NO_MATCH || id > list->entries->len)
        return NULL;
    return &g_array_index(list->entries, ntt_blocklist_entry_t, id - 1);
}

uint32_t ntt_blocklist_match_addr(const ntt_blocklist_t *list,
                                  const ntt_addr_t *addr, uint8_t ip_version)
{
    unsigned v;
    uint32_t id;
    uint8_t masked[16];

    if (list == NULL || addr == NULL || (ip_version != 4 && ip_version != 6))
        return NTT_BLOCKLIST_NO_MATCH;
    v = ip_version == 6;
    id = addr_table_find(&list->exact[v], addr->bytes);
    if (id != NTT_BLOCKLIST_NO_MATCH)
        return id;
    for (unsigned i = 0; i < list->n_lengths[v]; i++) {
        uint8_t prefix = list->lengths[v][i];
        const addr_table_t *table = v ? &list->nets6[prefix] : &list->nets4[prefix];

        mask_address(addr->bytes, prefix, masked);
        id = addr_table_find(table, masked);
        if (id != NTT_BLOCKLIST_NO_MATCH)
            return id;
    }
    return NTT_BLOCKLIST_NO_MATCH;
}

uint32_t ntt_blocklist_match_name(const ntt_blocklist_t *list,
                                  const char *name, size_t len)
{
    char buf[MAX_NAME_LEN + 3];
    uint32_t suffix_hash[MAX_NAME_LEN + 1];
    uint32_t state = 2166136261u, id;

    if (list == NULL || name == NULL)
        return NTT_BLOCKLIST_NO_MATCH;
    if (len > 0 && name[len - 1] == '.')
        len--;
    if (len == 0 || len > MAX_NAME_LEN)
        return NTT_BLOCKLIST_NO_MATCH;
    if (list->exact_names.count == 0 && list->suffix_names.count == 0)
        return NTT_BLOCKLIST_NO_MATCH;
    for (size_t i = 0; i < len; i++)
        buf[i] = ascii_lower(name[i]);
    /* One pass from the right gives the hash of every suffix. */
    for (size_t i = len; i-- > 0;) {
        state ^= (uint8_t)buf[i];
        state *= 16777619u;
        suffix_hash[i] = state;
    }
    id = name_table_find(&list->exact_names, list->name_arena, buf, len,
                         mix_name_hash(suffix_hash[0]));
    if (id != NTT_BLOCKLIST_NO_MATCH || list->suffix_names.count == 0)
        return id;
    /* Proper suffixes only, longest first: "*.x" never matches "x". */
    for (size_t i = 0; i + 1 < len; i++) {
        if (buf[i] != '.')
            continue;
        id = name_table_find(&list->suffix_names, list->name_arena, buf + i + 1,
                             len - i - 1, mix_name_hash(suffix_hash[i + 1]));
        if (id != NTT_BLOCKLIST_NO_MATCH)
            return id;
    }
    return NTT_BLOCKLIST_NO_MATCH;
}

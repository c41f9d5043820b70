/* episode.h
 * Attack episodes: what the detectors found, as the glue and the report
 * see it.
 *
 * An episode is one attack of one type by one source (or against one
 * victim, for spoofed and distributed attacks). Its id is its rank in
 * order of detection, 0-based. A packet belongs to an episode when the
 * detector attributed it to the attack; on the first pass only from the
 * detection frame on, on every later pass (the whole file read) from the
 * episode's first packet on.
 *
 * "Episode" is the one name of the concept in ntt's code and docs; the
 * user-visible ntt.alert.* fields, the Alerts report section and the
 * JSON "alerts" array keep the word they were published with (each shows
 * episodes).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_EPISODE_H
#define NTT_EPISODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ntt/packet.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ntt_episode_type {
    NTT_EPISODE_PORTSCAN = 0,   /* many ports of one host, failed or unanswered */
    NTT_EPISODE_SWEEP,          /* many hosts, one port or ping */
    NTT_EPISODE_SYNFLOOD,       /* SYNs to one host:port that do not complete */
    NTT_EPISODE_UDPFLOOD,       /* UDP to one host above rate */
    NTT_EPISODE_ICMPFLOOD,      /* ICMP to one host above rate */
    NTT_EPISODE_DDOS,           /* many sources to one host in a short window */
    NTT_EPISODE_BRUTEFORCE,     /* many short connections to an auth service */
    NTT_EPISODE_FLAGS,          /* impossible TCP flags, oversized echo, LAND */
    NTT_EPISODE_BLOCKLIST,      /* a host contacted a blocklisted destination */
    NTT_EPISODE_GEO,            /* traffic with a watched or not-allowed country */
    NTT_EPISODE_ANOMALY,        /* a flow the baseline anomaly model scores
                                   above ntt.anomaly_threshold */
    NTT_EPISODE_SURGE,          /* a host far above its usual rate, sustained */
    NTT_EPISODE_TYPE_COUNT
} ntt_episode_type_t;

/* "portscan", "sweep", ... as in the ntt.alert.type field. */
const char *ntt_episode_type_name(ntt_episode_type_t type);

/* What misuse a flags episode saw first (detail.flags.misuse). */
typedef enum ntt_misuse {
    NTT_MISUSE_NONE = 0,
    NTT_MISUSE_SYN_FIN,       /* SYN and FIN together */
    NTT_MISUSE_SYN_RST,       /* SYN and RST together */
    NTT_MISUSE_NO_FLAGS,      /* a TCP segment with no flag at all */
    NTT_MISUSE_ALL_FLAGS,     /* FIN SYN RST PSH ACK URG all set */
    NTT_MISUSE_BIG_ECHO,      /* ICMP echo payload over the limit */
    NTT_MISUSE_LAND,          /* TCP/UDP to its own address and port */
    NTT_MISUSE_FIN_NO_ACK,    /* FIN without ACK (FIN and Xmas probes): no
                                 TCP stack sends one, every segment after
                                 the first SYN carries ACK */
} ntt_misuse_t;

const char *ntt_misuse_name(ntt_misuse_t misuse);

/* A network in CIDR form and its NUL ("...:ffff/128"). */
#define NTT_EPISODE_NET_SIZE 50

/* What only one type of episode counts: its detail, typed by ep->type.
 * Which member a type uses, and how each number is named, shown and
 * merged, is said once in the episode descriptors (ntt_episode_describe). */
typedef union ntt_episode_detail {
    struct {
        uint32_t ports;          /* distinct ports failed or unanswered (peak) */
        uint32_t probes;         /* probes sent */
        double   entropy_dport;  /* normalised entropy of the ports the
                                    target received (engine, at detection) */
    } portscan;
    struct {
        uint32_t hosts;          /* distinct hosts contacted */
        uint32_t probes;         /* probes sent: first contacts (ARP:
                                    requests, repeats included) */
        char     dst_net[NTT_EPISODE_NET_SIZE]; /* the smallest network
                                    covering the hosts (at most a /16 or
                                    /48), CIDR form; "" while unknown */
        double   entropy_dst;    /* normalised entropy of the source's
                                    destinations (engine, at detection) */
    } sweep;
    struct {                     /* synflood, udpflood, icmpflood, ddos */
        uint32_t sources;        /* distinct sources (estimated) */
        uint32_t half_open;      /* synflood: SYNs not completed */
        double   peak_pps;       /* highest rate over the flood window */
        double   entropy_src;    /* normalised entropy of the sources toward
                                    the target (engine, at detection) */
    } flood;
    struct {
        uint32_t attempts;       /* connections to the service */
    } bruteforce;
    struct {
        uint32_t count;          /* misusing packets */
        uint8_t  misuse;         /* ntt_misuse_t, the first one seen */
    } flags;
    struct {
        uint32_t    entry;       /* ntt_blocklist_entry() id */
        const char *entry_text;  /* that entry as written (owned by the
                                    engine's blocklist) */
        uint64_t    bytes_received; /* from the destination to the host */
        const char *uri;         /* first HTTP request URI seen, or NULL
                                    (owned by the engine) */
    } blocklist;
    struct {
        char country[3];         /* the country that raised it */
    } geo;
    struct {
        double   score;          /* the flow's anomaly score when it ended */
        uint32_t flow;           /* the flow's id */
    } anomaly;
    struct {                     /* one host sending or receiving */
        uint32_t    hosts;       /* sending: distinct destinations (estimated) */
        uint32_t    sources;     /* receiving: distinct sources (estimated) */
        double      peak_pps;    /* highest rate over the surge window */
        double      usual_pps;   /* the host's usual rate when it began */
        const char *direction;   /* "sending" or "receiving" (static) */
        const char *when;        /* "off-hours" or "working hours" (static),
                                    of the surge's first packet */
    } surge;
} ntt_episode_detail_t;

typedef struct ntt_episode {
    uint32_t   id;              /* 0-based, in order of detection */
    uint8_t    type;            /* ntt_episode_type_t */
    uint8_t    ip_version;      /* of src/dst */
    bool       has_src;         /* false: spoofed / many sources */
    bool       has_dst;         /* false: many targets (sweep) */
    bool       has_port;        /* port names the target service */
    ntt_addr_t src;             /* blocklist: the internal host */
    ntt_addr_t dst;             /* blocklist: the destination, when known */
    uint16_t   port;
    uint32_t   first_frame;     /* first packet of the attack */
    uint32_t   detect_frame;    /* where the detector decided */
    uint32_t   last_frame;      /* latest packet attributed so far */
    int64_t    start_ns;
    int64_t    detect_ns;
    int64_t    end_ns;
    uint64_t   packets;         /* packets attributed, before detection too */
    ntt_episode_detail_t detail;
} ntt_episode_t;

/* How a detail field is stored, and so how it is shown. */
typedef enum ntt_episode_field_kind {
    NTT_EPISODE_FIELD_U32,      /* uint32_t count */
    NTT_EPISODE_FIELD_U64,      /* uint64_t count */
    NTT_EPISODE_FIELD_RATE,     /* double, per second */
    NTT_EPISODE_FIELD_MISUSE,   /* uint8_t ntt_misuse_t, shown by its name */
    NTT_EPISODE_FIELD_COUNTRY,  /* char[3], an ISO 3166 code or "" */
    NTT_EPISODE_FIELD_TEXT,     /* const char *, NULL when not known */
    NTT_EPISODE_FIELD_NET,      /* char[NTT_EPISODE_NET_SIZE], a network in
                                   CIDR form or ""; merged: the wider */
    NTT_EPISODE_FIELD_SCORE,    /* double, a score from 0 to 1 */
    NTT_EPISODE_FIELD_ENTROPY,  /* double, normalised entropy 0 .. 1 (below
                                   0: not measured) */
} ntt_episode_field_kind_t;

/* How a later report of the same attack updates a field: statistics only
 * grow (a detector's window slides, the episode's record does not), what
 * was learnt first is kept. */
typedef enum ntt_episode_merge {
    NTT_EPISODE_MERGE_MAX,      /* numbers: the largest seen */
    NTT_EPISODE_MERGE_FIRST,    /* the first value set (ntt_episode_field_is_set) */
    NTT_EPISODE_MERGE_KEEP,     /* what the engine measured at detection: a
                                   detector's later report does not carry it */
} ntt_episode_merge_t;

/* One detail field of an episode type, as every output shows it. */
typedef struct ntt_episode_field {
    const char *key;            /* its key in the JSON alerts: "distinct_ports" */
    const char *abbrev;         /* the Wireshark field showing it: "ntt.alert.ports" */
    ntt_episode_field_kind_t kind;
    size_t      offset;         /* in ntt_episode_detail_t */
    bool        only_if_set;    /* shown only when set (nonzero, non-empty) */
    ntt_episode_merge_t merge;
    const char *size_words;     /* its part of ntt_episode_size_text, the value
                                   where "%s" is ("%s ports"); NULL: none */
} ntt_episode_field_t;

/* An episode type: its name and its detail fields, in the order the
 * packet tree, the JSON and the size text show them. */
typedef struct ntt_episode_descriptor {
    const char                *name;      /* as ntt_episode_type_name */
    const ntt_episode_field_t *fields;
    unsigned                   field_count;
} ntt_episode_descriptor_t;

/* The descriptor of a type; NULL when type is out of range. */
const ntt_episode_descriptor_t *ntt_episode_describe(ntt_episode_type_t type);

/* What a field's value is, for a writer that shows it (tree, JSON, CSV,
 * database): each kind is mapped here once, so a writer switches on these
 * three and a new kind needs no writer changed. */
typedef enum ntt_episode_value {
    NTT_EPISODE_VALUE_UINT,     /* ntt_episode_field_uint(): U32, U64 */
    NTT_EPISODE_VALUE_REAL,     /* ntt_episode_field_rate(): RATE, SCORE, ENTROPY */
    NTT_EPISODE_VALUE_TEXT,     /* ntt_episode_field_string(): the others */
} ntt_episode_value_t;

ntt_episode_value_t ntt_episode_field_value(const ntt_episode_field_t *field);

/* A field's value in detail: whole numbers as uint, reals as rate, the
 * others as string: the misuse's name, the country, the text ("" when
 * NULL). A field of another value reads 0 or "". */
uint64_t ntt_episode_field_uint(const ntt_episode_field_t *field,
                                const ntt_episode_detail_t *detail);
double ntt_episode_field_rate(const ntt_episode_field_t *field,
                              const ntt_episode_detail_t *detail);
const char *ntt_episode_field_string(const ntt_episode_field_t *field,
                                     const ntt_episode_detail_t *detail);

/* True when the field holds something: a number above 0, a misuse, a
 * country, a text that is not NULL, an entropy measured (0 or more). */
bool ntt_episode_field_is_set(const ntt_episode_field_t *field,
                              const ntt_episode_detail_t *detail);

/* Folds a later report of a type's attack, from, into the episode's
 * detail, each field by its merge rule. Fields the type does not
 * describe keep the value they were raised with. */
void ntt_episode_detail_merge(ntt_episode_type_t type, ntt_episode_detail_t *into,
                              const ntt_episode_detail_t *from);

/* True when the episode's source is an attacker: it has one source, and
 * is not a blocklist contact (whose source is the internal host). */
bool ntt_episode_has_attacker(const ntt_episode_t *ep);

/* The episode's size in words: "25 ports", "31 hosts", "1200 half-open,
 * peak 950 SYN/s", "SYN+FIN" ... Returns buf. */
char *ntt_episode_size_text(const ntt_episode_t *ep, char *buf, size_t size);

/* The line ntt.alert shows: "portscan 192.0.2.66 → 198.51.100.20: 25
 * ports" (many sources or targets are counted instead). Returns buf. */
char *ntt_episode_summary(const ntt_episode_t *ep, char *buf, size_t size);

/* A packet's membership of episodes, as the engine stores it per frame:
 * at most NTT_FRAME_EPISODES (the rare further ones are not recorded). */
#define NTT_FRAME_EPISODES 4

#ifdef __cplusplus
}
#endif

#endif /* NTT_EPISODE_H */

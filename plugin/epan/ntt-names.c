/* ntt-names.c
 * See ntt-names.h. Reading names from the fields Wireshark's DNS, HTTP
 * and TLS dissectors produced (rather than from bytes) gets reassembly,
 * DNS over TCP, decompression of DNS names and TLS records spread over
 * segments for free. The fields are wanted (set_postdissector_wanted_hfids)
 * only while a blocklist is loaded: without one ntt needs no tree. The
 * addresses a DNS response gives are read from its bytes instead, on
 * every response (ntt-record.c): the sweep detector needs them always.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ntt-names.h"

#include <string.h>

#include <epan/proto.h>

#include "ntt-compat.h"

/* At most this many of each per packet: a DNS response with hundreds of
 * answers is matched on its first ones. */
#define MAX_NAMES    16

typedef enum {
    F_DNS_RESPONSE, F_DNS_QRY_NAME, F_DNS_RESP_NAME,
    F_HTTP_HOST, F_HTTP_URI, F_TLS_SNI, F_COUNT
} field_t;

static const char *const field_names[F_COUNT] = {
    [F_DNS_RESPONSE]  = "dns.flags.response",
    [F_DNS_QRY_NAME]  = "dns.qry.name",
    [F_DNS_RESP_NAME] = "dns.resp.name",
    [F_HTTP_HOST]     = "http.host",
    [F_HTTP_URI]      = "http.request.uri",
    [F_TLS_SNI]       = "tls.handshake.extensions_server_name",
};

static int field_ids[F_COUNT];
static bool wanted;

void ntt_names_want(dissector_handle_t handle, bool want)
{
    GArray *ids = NULL;

    wanted = false;
    if (want) {
        ids = g_array_new(FALSE, FALSE, sizeof(int));
        for (int i = 0; i < F_COUNT; i++) {
            field_ids[i] = proto_registrar_get_id_byname(field_names[i]);
            if (field_ids[i] > 0)
                g_array_append_val(ids, field_ids[i]);
        }
        wanted = ids->len > 0;
    }
    /* Wireshark takes the array over (and frees the previous one). */
    set_postdissector_wanted_hfids(handle, ids);
}

static GPtrArray *values(proto_tree *tree, field_t f)
{
    return field_ids[f] > 0 ? proto_get_finfo_ptr_array(tree, field_ids[f]) : NULL;
}

static void add_names(ntt_name_t *names, unsigned *count, proto_tree *tree,
                      field_t f, ntt_name_kind_t kind)
{
    GPtrArray *fis = values(tree, f);

    for (guint i = 0; fis && i < fis->len && *count < MAX_NAMES; i++) {
        const char *s = ntt_fi_get_string((const field_info *)g_ptr_array_index(fis, i));
        size_t len = s ? strlen(s) : 0;

        if (len == 0 || len > UINT16_MAX)
            continue;
        names[*count].text = s;
        names[*count].len = (uint16_t)len;
        names[*count].kind = (uint8_t)kind;
        (*count)++;
    }
}

static bool is_dns_response(proto_tree *tree)
{
    GPtrArray *fis = values(tree, F_DNS_RESPONSE);
    uint64_t v = 0;

    return fis && fis->len &&
           ntt_fi_get_uint64((const field_info *)g_ptr_array_index(fis, 0), &v) && v;
}

void ntt_names_fill(ntt_packet_t *record, proto_tree *tree, packet_info *pinfo)
{
    ntt_name_t names[MAX_NAMES];
    unsigned n = 0;
    GPtrArray *uri;

    if (!wanted || !tree)
        return;
    if (values(tree, F_DNS_QRY_NAME)) {
        bool response = is_dns_response(tree);

        add_names(names, &n, tree, F_DNS_QRY_NAME,
                  response ? NTT_NAME_DNS_ANSWER : NTT_NAME_DNS_QUERY);
        if (response)
            add_names(names, &n, tree, F_DNS_RESP_NAME, NTT_NAME_DNS_ANSWER);
    }
    add_names(names, &n, tree, F_HTTP_HOST, NTT_NAME_HTTP_HOST);
    add_names(names, &n, tree, F_TLS_SNI, NTT_NAME_TLS_SNI);
    uri = values(tree, F_HTTP_URI);
    if (uri && uri->len) {
        const char *s = ntt_fi_get_string((const field_info *)g_ptr_array_index(uri, 0));
        size_t len = s ? strlen(s) : 0;

        if (len && len <= UINT16_MAX) {
            record->http_uri = s;
            record->http_uri_len = (uint16_t)len;
        }
    }
    if (n) {
        record->names = wmem_memdup(NTT_PACKET_SCOPE(pinfo), names, n * sizeof names[0]);
        record->name_count = (uint8_t)n;
    }
}

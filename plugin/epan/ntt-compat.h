/* ntt-compat.h
 * Hides the API differences between the Wireshark releases ntt supports
 * (4.0, 4.4, 4.6), so the glue code reads the same for all of them.
 *
 * Every difference named here was read from the real development headers
 * of each release (Debian 12 4.0.17, Debian 13 4.4.19, Debian forky
 * 4.6.9); docs/wireshark-api-differences.md lists them with the exact
 * signatures. packaging/check-compat.sh compiles the glue against all
 * three header sets.
 *
 * Rules of thumb for code that must build on all three:
 *  - allocate per-packet memory from pinfo->pool (NTT_PACKET_SCOPE);
 *    wmem_packet_scope() no longer exists in 4.6;
 *  - read field values only through the ntt_fi_*() helpers below:
 *    field_info.value is an embedded fvalue_t in 4.0 and a pointer from
 *    4.4 on, and several fvalue getters only exist from 4.4 on;
 *  - read packet bytes with tvb_get_ntohs()/ntohl()/ntoh64()/letoh*()
 *    (unchanged everywhere): tvb_get_guint8() and friends are deprecated
 *    from 4.4 on (a warning, so an error here) and tvb_get_uint8() does
 *    not exist in 4.0;
 *  - use EI_INIT for expert fields (its value changed in 4.6);
 *  - boolean preference variables: ntt_pref_bool_t (uint and enum
 *    preferences take the same types everywhere).
 *
 * Only what the glue uses is here; docs/wireshark-api-differences.md
 * lists the other differences found.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_COMPAT_H
#define NTT_COMPAT_H

#include <stdbool.h>
#include <stdint.h>

#include <ws_version.h>
#include <epan/packet.h>
#include <epan/proto.h>
#include <epan/ftypes/ftypes.h>
#include <epan/tap.h>

#define NTT_WS_AT_LEAST(major, minor) \
    (WIRESHARK_VERSION_MAJOR > (major) || \
     (WIRESHARK_VERSION_MAJOR == (major) && WIRESHARK_VERSION_MINOR >= (minor)))

#if NTT_WS_AT_LEAST(4, 4)
/* WS_PLUGIN_DESC_* and plugin_describe_func: new header in 4.4. */
#include <wsutil/plugins.h>
#endif

/* ------------------------------------------------------------------ */
/* Booleans in callbacks and preferences                              */
/* ------------------------------------------------------------------ */

/* Preferences registered with prefs_register_bool_preference() point at a
 * gboolean before 4.4 and at a bool from 4.4 on. */
#if WIRESHARK_VERSION_MAJOR > 4 || (WIRESHARK_VERSION_MAJOR == 4 && WIRESHARK_VERSION_MINOR >= 4)
typedef bool ntt_pref_bool_t;
#else
typedef gboolean ntt_pref_bool_t;
#endif

/* ------------------------------------------------------------------ */
/* Statistics (-z) and taps                                           */
/* ------------------------------------------------------------------ */

/* stat_tap_ui init callbacks return void before 4.6 and bool from 4.6 on
 * (false: the -z argument was refused). */
#if NTT_WS_AT_LEAST(4, 6)
#define NTT_STAT_TAP_INIT_RETURN bool
#define NTT_STAT_TAP_INIT_OK     return true
#define NTT_STAT_TAP_INIT_FAIL   return false
#else
#define NTT_STAT_TAP_INIT_RETURN void
#define NTT_STAT_TAP_INIT_OK     return
#define NTT_STAT_TAP_INIT_FAIL   return
#endif

/* ------------------------------------------------------------------ */
/* Memory scopes                                                      */
/* ------------------------------------------------------------------ */

/* Per-packet allocations. pinfo->pool exists in 4.0, 4.4 and 4.6;
 * wmem_packet_scope() exists in 4.0 and 4.4 but is gone in 4.6, so code
 * that has no pinfo at hand has no per-packet scope there: pass pinfo
 * along. wmem_file_scope() and wmem_epan_scope() are unchanged. */
#define NTT_PACKET_SCOPE(pinfo) ((pinfo)->pool)

/* ------------------------------------------------------------------ */
/* Reading values out of a field_info (from proto_get_finfo_ptr_array) */
/* ------------------------------------------------------------------ */

/* Type tests on an enum ftenum: IS_FT_UINT() & co. in 4.0 were renamed
 * FT_IS_UINT() & co. in 4.4, and the old names are gone. */
#if NTT_WS_AT_LEAST(4, 4)
#define NTT_FT_IS_INT32(ft)  FT_IS_INT32(ft)
#define NTT_FT_IS_INT64(ft)  FT_IS_INT64(ft)
#define NTT_FT_IS_UINT32(ft) FT_IS_UINT32(ft)
#define NTT_FT_IS_UINT64(ft) FT_IS_UINT64(ft)
#define NTT_FT_IS_STRING(ft) FT_IS_STRING(ft)
#else
#define NTT_FT_IS_INT32(ft)  IS_FT_INT32(ft)
#define NTT_FT_IS_INT64(ft)  IS_FT_INT64(ft)
#define NTT_FT_IS_UINT32(ft) IS_FT_UINT32(ft)
#define NTT_FT_IS_UINT64(ft) IS_FT_UINT64(ft)
#define NTT_FT_IS_STRING(ft) IS_FT_STRING(ft)
#endif

/* The fvalue_t of a field_info: embedded in 4.0 (&fi->value), a pointer
 * from 4.4 on (fi->value). The fvalue_get_*() getters take a non-const
 * fvalue_t * in every release, hence the non-const result. */
static inline fvalue_t *ntt_fi_fvalue(const field_info *fi)
{
#if NTT_WS_AT_LEAST(4, 4)
    return fi->value;
#else
    return (fvalue_t *)(uintptr_t)&fi->value;
#endif
}

/* The field type (FT_*) of a field_info (fi->hfinfo is const from 4.4). */
static inline enum ftenum ntt_fi_type(const field_info *fi)
{
    return fi->hfinfo->type;
}

/* Integer value of an integer field (FT_CHAR, FT_UINT8..FT_UINT64,
 * FT_INT8..FT_INT64, FT_FRAMENUM) or an FT_BOOLEAN, whatever its width.
 * Each fvalue_get_*() getter suits only some types and, on the others,
 * calls a NULL function pointer (seen in 4.0) or aborts, so the getter
 * is picked from the field type: fvalue_get_uinteger() for the 32-bit
 * unsigned family, fvalue_get_uinteger64() for the 64-bit one and for
 * FT_BOOLEAN, fvalue_get_sinteger()/_sinteger64() for the signed ones.
 * (Not fvalue_to_uinteger64(): in 4.0 it, too, calls a NULL pointer for a
 * non-integer field.) Returns false for any other type. */
static inline bool ntt_fi_get_int64(const field_info *fi, int64_t *out)
{
    fvalue_t *fv;
    enum ftenum ft;

    if (!fi)
        return false;
    fv = ntt_fi_fvalue(fi);
    ft = ntt_fi_type(fi);
    if (NTT_FT_IS_UINT32(ft))
        *out = (int64_t)fvalue_get_uinteger(fv);
    else if (NTT_FT_IS_INT32(ft))
        *out = fvalue_get_sinteger(fv);
    else if (NTT_FT_IS_INT64(ft))
        *out = fvalue_get_sinteger64(fv);
    else if (NTT_FT_IS_UINT64(ft) || ft == FT_BOOLEAN) {
        uint64_t u = fvalue_get_uinteger64(fv);

        if (u > (uint64_t)INT64_MAX)
            return false;
        *out = (int64_t)u;
    } else
        return false;
    return true;
}

/* Unsigned value of the same fields; false for a negative signed value. */
static inline bool ntt_fi_get_uint64(const field_info *fi, uint64_t *out)
{
    enum ftenum ft;
    int64_t s;

    if (!fi)
        return false;
    ft = ntt_fi_type(fi);
    if (NTT_FT_IS_UINT64(ft) || ft == FT_BOOLEAN) {
        *out = fvalue_get_uinteger64(ntt_fi_fvalue(fi));
        return true;
    }
    if (!ntt_fi_get_int64(fi, &s) || s < 0)
        return false;
    *out = (uint64_t)s;
    return true;
}

/* Value of a string field (FT_STRING, FT_STRINGZ, ...), owned by the
 * field: valid for the current packet only. NULL for other types. */
static inline const char *ntt_fi_get_string(const field_info *fi)
{
    if (!fi || !NTT_FT_IS_STRING(ntt_fi_type(fi)))
        return NULL;
    return fvalue_get_string(ntt_fi_fvalue(fi));
}

/* ------------------------------------------------------------------ */
/* Plugin entry points                                                */
/* ------------------------------------------------------------------ */

/* plugin_version, plugin_want_major/minor and plugin_register() are the
 * same in all three; Wireshark loads a plugin only into the major.minor it
 * was built for. From 4.4 a plugin may also say what kind it is with
 * plugin_describe() (optional: without it the flags are 0); 4.0 has no
 * WS_PLUGIN_DESC_* and never calls it. */
#if NTT_WS_AT_LEAST(4, 4)
#define NTT_PLUGIN_DESCRIBE_DECL WS_DLL_PUBLIC uint32_t plugin_describe(void);
#define NTT_PLUGIN_DESCRIBE_DEF \
    uint32_t plugin_describe(void) { return WS_PLUGIN_DESC_DISSECTOR; }
#else
#define NTT_PLUGIN_DESCRIBE_DECL
#define NTT_PLUGIN_DESCRIBE_DEF
#endif

#endif /* NTT_COMPAT_H */

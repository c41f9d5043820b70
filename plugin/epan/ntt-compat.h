/* ntt-compat.h
 * Hides the API differences between the Wireshark releases ntt supports
 * (4.0, 4.4, 4.6), so the glue code reads the same for all of them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_COMPAT_H
#define NTT_COMPAT_H

#include <ws_version.h>
#include <epan/packet.h>

#define NTT_WS_AT_LEAST(major, minor) \
    (WIRESHARK_VERSION_MAJOR > (major) || \
     (WIRESHARK_VERSION_MAJOR == (major) && WIRESHARK_VERSION_MINOR >= (minor)))

/* Preferences registered with prefs_register_bool_preference() point at a
 * gboolean before 4.4 and at a bool from 4.4 on. */
#if WIRESHARK_VERSION_MAJOR > 4 || (WIRESHARK_VERSION_MAJOR == 4 && WIRESHARK_VERSION_MINOR >= 4)
typedef bool ntt_pref_bool_t;
#else
typedef gboolean ntt_pref_bool_t;
#endif

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

/* From 4.4 a plugin may say what kind it is; older releases ignore it. */
#if NTT_WS_AT_LEAST(4, 4)
#define NTT_PLUGIN_DESCRIBE_DECL WS_DLL_PUBLIC uint32_t plugin_describe(void);
#define NTT_PLUGIN_DESCRIBE_DEF \
    uint32_t plugin_describe(void) { return WS_PLUGIN_DESC_DISSECTOR; }
#else
#define NTT_PLUGIN_DESCRIBE_DECL
#define NTT_PLUGIN_DESCRIBE_DEF
#endif

#endif /* NTT_COMPAT_H */

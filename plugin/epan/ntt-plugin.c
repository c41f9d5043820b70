/* ntt-plugin.c
 * The symbols Wireshark looks for when it loads a plugin.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <epan/packet.h>
#include <epan/proto.h>
#include <ws_version.h>

#include "ntt-compat.h"
#include "packet-ntt.h"

WS_DLL_PUBLIC_DEF const gchar plugin_version[] = NTT_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);
NTT_PLUGIN_DESCRIBE_DECL

void plugin_register(void)
{
    static proto_plugin plug;

    plug.register_protoinfo = proto_register_ntt;
    plug.register_handoff = proto_reg_handoff_ntt;
    proto_register_plugin(&plug);
}

NTT_PLUGIN_DESCRIBE_DEF

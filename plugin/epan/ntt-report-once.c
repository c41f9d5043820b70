/* ntt-report-once.c
 * See ntt-report-once.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ntt-report-once.h"

#include <glib.h>
#include <wsutil/report_message.h>

static GHashTable *reported;

void ntt_report_once(const char *message)
{
    if (!reported)
        reported = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    if (g_hash_table_contains(reported, message))
        return;
    g_hash_table_add(reported, g_strdup(message));
    report_failure("%s", message);
}

/* ntt-blocklist-file.h
 * The blocklist in Wireshark: the ntt.blocklist_file preference, and
 * loading the file it names when a capture file is opened.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_BLOCKLIST_FILE_H
#define NTT_BLOCKLIST_FILE_H

#include <epan/prefs.h>

#include "ntt/blocklist.h"

void ntt_blocklist_file_register(module_t *module);

/* The list the preference names, or NULL (none named, or unreadable: said
 * once). Malformed lines are reported with file and line number, once,
 * and skipped. */
ntt_blocklist_t *ntt_blocklist_file_load(void);

/* The file the preference names ("" for none), for the evidence record. */
const char *ntt_blocklist_file_path(void);

#endif /* NTT_BLOCKLIST_FILE_H */

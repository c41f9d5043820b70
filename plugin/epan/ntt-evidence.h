/* ntt-evidence.h
 * -z ntt,evidence,<path.db>[,filter]: the capture's episodes, blocklist
 * hits and the flows of alerted hosts appended to an SQLite (optionally
 * SQLCipher-encrypted) database, one transaction per capture
 * (docs/evidence.md).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_EVIDENCE_GLUE_H
#define NTT_EVIDENCE_GLUE_H

#include <stdbool.h>

#include <epan/prefs.h>

/* ntt.evidence_key_file and ntt.evidence_busy_timeout. */
void ntt_evidence_register(module_t *module);

/* Starts the listeners for one -z argument ("ntt,evidence,PATH[,FILTER]");
 * false (said with report_failure) when it cannot. */
bool ntt_evidence_start(const char *opt_arg);

#endif /* NTT_EVIDENCE_GLUE_H */

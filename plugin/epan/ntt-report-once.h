/* ntt-report-once.h
 * A problem with an input (a database, a blocklist) is said once per
 * session, not again at every file the GUI opens.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_REPORT_ONCE_H
#define NTT_REPORT_ONCE_H

/* report_failure(message) unless the same message was reported before. */
void ntt_report_once(const char *message);

#endif /* NTT_REPORT_ONCE_H */

/* ntt-blocklist-file.c
 * See ntt-blocklist-file.h. The list is read again for every capture
 * file, so an edited list takes effect at the next file (or reload)
 * without restarting Wireshark.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ntt-blocklist-file.h"

#include <glib.h>

#include "ntt-report-once.h"

/* Malformed lines listed in the one message; the rest are counted. */
#define LISTED_PROBLEMS 10

static const char *pref_blocklist_file = "";

void ntt_blocklist_file_register(module_t *module)
{
    prefs_register_filename_preference(module, "blocklist_file",
        "Blocklist file",
        "Known-bad destinations, one per line: addresses, CIDR networks, domain "
        "names (*.example.org or .example.org for a suffix), # comments "
        "(docs/blocklist.md)", &pref_blocklist_file, FALSE);
}

typedef struct problems {
    GString *text;
    unsigned count;
} problems_t;

static void collect_problem(void *ctx, const char *message)
{
    problems_t *p = ctx;

    if (++p->count <= LISTED_PROBLEMS)
        g_string_append_printf(p->text, "\n  %s", message);
}

ntt_blocklist_t *ntt_blocklist_file_load(void)
{
    problems_t problems = { g_string_new(NULL), 0 };
    ntt_blocklist_t *list;
    char *error = NULL;

    if (!pref_blocklist_file || !*pref_blocklist_file) {
        g_string_free(problems.text, TRUE);
        return NULL;
    }
    list = ntt_blocklist_load(pref_blocklist_file, collect_problem, &problems, &error);
    if (!list) {
        char *message = g_strdup_printf("ntt: blocklist off: %s (preference "
                                        "ntt.blocklist_file)", error);

        ntt_report_once(message);
        g_free(message);
        g_free(error);
    } else if (problems.count) {
        char *message;

        if (problems.count > LISTED_PROBLEMS)
            g_string_append_printf(problems.text, "\n  ... and %u more",
                                   problems.count - LISTED_PROBLEMS);
        message = g_strdup_printf("ntt: %u malformed line%s skipped in blocklist "
                                  "%s (%u entries loaded):%s", problems.count,
                                  problems.count == 1 ? "" : "s", pref_blocklist_file,
                                  ntt_blocklist_size(list), problems.text->str);
        ntt_report_once(message);
        g_free(message);
    }
    g_string_free(problems.text, TRUE);
    return list;
}

const char *ntt_blocklist_file_path(void)
{
    return pref_blocklist_file ? pref_blocklist_file : "";
}

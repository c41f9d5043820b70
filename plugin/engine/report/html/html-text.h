/* html-text.h
 * What every part of the HTML report writes text with: escaping (no
 * string from a capture can open a tag), the one rounding rule for the
 * numbers it shows, and values taken from the JSON report together with
 * the attributes naming them (data-json: the value's path in -z ntt,json;
 * data-value: its literal text there), so a reader or a test can tie each
 * shown number to the JSON.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_HTML_TEXT_H
#define NTT_HTML_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include <glib.h>

#include "report/html/json-tree.h"

/* Element text or an attribute value: & < > " ' as entities, bytes that
 * are not UTF-8 as U+FFFD, control characters other than tab and line
 * feed dropped. NULL writes nothing. */
void ntt_html_escape(GString *out, const char *text);

#define NTT_HTML_NUMBER_SIZE 48

/* The rounding rule of every number shown: whole numbers as they are,
 * other numbers from 999.5 up rounded to whole, both with "," between
 * thousands; anything else to 3 significant digits (C's "%#.3g", without
 * a trailing "."). Returns buf. */
char *ntt_html_number(double value, char *buf, size_t size);

/* Whether the value at a JSON path names something rather than counts
 * it (a port, a frame, flow or episode number, an AS number, a line, a
 * bin; also of either end, "src_asn", "dst_port"): such numbers are
 * shown with their digits alone, no ",". A measure of such things
 * ("entropy_dport") is a number like any other. */
bool ntt_html_is_identifier(const char *path);

/* A JSON time (seconds since the epoch, e.g. 1795516927.677655) as
 * "2026-11-24 10:42:07.677655" (UTC), digits taken from its literal text;
 * "-" when it is not a number. Returns buf (at least 48 bytes). */
char *ntt_html_utc(const ntt_jv_t *time, char *buf, size_t size);

/* ` data-json="PATH" data-value="LITERAL"` (the literal escaped). */
void ntt_html_ref_attrs(GString *out, const char *path, const ntt_jv_t *value);

/* A value as shown: a number by the rule above (digits alone for an
 * identifier), a string escaped, true / false as "yes" / "no", null or
 * missing as "-". */
void ntt_html_value_text(GString *out, const ntt_jv_t *value, bool identifier);

/* <TAG class="CLS" data-json=.. data-value=..>value</TAG> for the value at
 * path in the report (cls may be NULL). */
void ntt_html_valuef(GString *out, const ntt_jv_t *root, const char *tag,
                     const char *cls, const char *path_format, ...) G_GNUC_PRINTF(5, 6);

/* A table cell <td> holding the value at path; numbers right-aligned. */
void ntt_html_cellf(GString *out, const ntt_jv_t *root, const char *path_format, ...)
    G_GNUC_PRINTF(3, 4);

/* <td>TEXT</td>, escaped. */
void ntt_html_text_cell(GString *out, const char *text);

#endif /* NTT_HTML_TEXT_H */

/* json-tree.h
 * The JSON report read back into a tree, so that the HTML report is
 * drawn from the very numbers -z ntt,json prints (not from a second
 * computation of them). Enough JSON for what json-writer.c writes:
 * objects, arrays, strings, numbers, true, false, null.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_JSON_TREE_H
#define NTT_JSON_TREE_H

#include <stdbool.h>

#include <glib.h>

typedef enum ntt_jv_kind {
    NTT_JV_NULL = 0,
    NTT_JV_BOOL,
    NTT_JV_NUMBER,
    NTT_JV_STRING,
    NTT_JV_ARRAY,
    NTT_JV_OBJECT,
} ntt_jv_kind_t;

typedef struct ntt_jv ntt_jv_t;
struct ntt_jv {
    ntt_jv_kind_t kind;
    bool          boolean;
    double        number;
    char         *text;     /* a string's value; a number's literal text */
    GPtrArray    *items;    /* an array's items, an object's values */
    GPtrArray    *keys;     /* an object's keys, in document order */
};

/* NULL when text is not one JSON value (then *error_at, if given, is the
 * offset the reading stopped at). */
ntt_jv_t *ntt_jv_parse(const char *text, size_t *error_at);
void ntt_jv_free(ntt_jv_t *value);

/* The value at a path such as "time_profile.timeline.packets[3]" or
 * "alerts[0].src"; NULL when any step is missing or of another kind. */
const ntt_jv_t *ntt_jv_path(const ntt_jv_t *root, const char *path);
/* printf-style path. */
const ntt_jv_t *ntt_jv_pathf(const ntt_jv_t *root, const char *format, ...)
    G_GNUC_PRINTF(2, 3);

/* Member of an object / item of an array (NULL when absent). */
const ntt_jv_t *ntt_jv_get(const ntt_jv_t *object, const char *key);
const ntt_jv_t *ntt_jv_at(const ntt_jv_t *array, unsigned index);
/* Items of an array or members of an object; 0 for anything else. */
unsigned ntt_jv_len(const ntt_jv_t *value);

/* Kind checks that take NULL. */
bool ntt_jv_is(const ntt_jv_t *value, ntt_jv_kind_t kind);
/* A number's value, or fallback for anything else. */
double ntt_jv_num(const ntt_jv_t *value, double fallback);
/* A string's value, or NULL. */
const char *ntt_jv_str(const ntt_jv_t *value);
/* Something to show: present, not null, not an empty array or object. */
bool ntt_jv_has_content(const ntt_jv_t *value);

#endif /* NTT_JSON_TREE_H */

/* json-tree.c
 * A recursive-descent reader for the JSON the reports write. Strict
 * where it costs nothing (no trailing commas, no bare words), lenient
 * with bytes above 0x7f inside strings (the writer passes names from the
 * capture through as they are; the HTML writer makes them valid UTF-8).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "report/html/json-tree.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Far deeper than any report nests; bounds the recursion. */
#define JV_MAX_DEPTH 64

typedef struct reader {
    const char *s;
    size_t      pos;
    bool        failed;
} reader_t;

static ntt_jv_t *read_value(reader_t *r, int depth);

static void skip_space(reader_t *r)
{
    while (r->s[r->pos] == ' ' || r->s[r->pos] == '\n' || r->s[r->pos] == '\r' ||
           r->s[r->pos] == '\t')
        r->pos++;
}

static ntt_jv_t *new_value(ntt_jv_kind_t kind)
{
    ntt_jv_t *v = g_new0(ntt_jv_t, 1);

    v->kind = kind;
    if (kind == NTT_JV_ARRAY || kind == NTT_JV_OBJECT)
        v->items = g_ptr_array_new_with_free_func((GDestroyNotify)ntt_jv_free);
    if (kind == NTT_JV_OBJECT)
        v->keys = g_ptr_array_new_with_free_func(g_free);
    return v;
}

static ntt_jv_t *fail(reader_t *r, ntt_jv_t *partial)
{
    r->failed = true;
    ntt_jv_free(partial);
    return NULL;
}

static int hex4(const char *p)
{
    int v = 0;

    for (int i = 0; i < 4; i++) {
        int c = p[i], d;

        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return -1;
        v = v * 16 + d;
    }
    return v;
}

/* A string's contents after its opening quote; NULL on bad input. */
static char *read_string(reader_t *r)
{
    GString *out = g_string_new(NULL);

    for (;;) {
        unsigned char c = (unsigned char)r->s[r->pos];

        if (c == '"') {
            r->pos++;
            return g_string_free(out, FALSE);
        }
        if (c < 0x20)
            break;          /* the end of the text, or a raw control */
        r->pos++;
        if (c != '\\') {
            g_string_append_c(out, (char)c);
            continue;
        }
        c = (unsigned char)r->s[r->pos++];
        switch (c) {
        case '"': case '\\': case '/': g_string_append_c(out, (char)c); break;
        case 'b': g_string_append_c(out, '\b'); break;
        case 'f': g_string_append_c(out, '\f'); break;
        case 'n': g_string_append_c(out, '\n'); break;
        case 'r': g_string_append_c(out, '\r'); break;
        case 't': g_string_append_c(out, '\t'); break;
        case 'u': {
            int u = hex4(r->s + r->pos);

            if (u < 0)
                goto bad;
            r->pos += 4;
            if (u >= 0xd800 && u < 0xdc00 && r->s[r->pos] == '\\' &&
                r->s[r->pos + 1] == 'u') {
                int lo = hex4(r->s + r->pos + 2);

                if (lo >= 0xdc00 && lo < 0xe000) {
                    u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
                    r->pos += 6;
                }
            }
            if (u >= 0xd800 && u < 0xe000)
                u = 0xfffd;         /* a lone surrogate */
            g_string_append_unichar(out, (gunichar)u);
            break;
        }
        default:
            goto bad;
        }
    }
bad:
    g_string_free(out, TRUE);
    return NULL;
}

static ntt_jv_t *read_number(reader_t *r)
{
    const char *start = r->s + r->pos;
    char *end;
    ntt_jv_t *v;
    double d;

    /* JSON's grammar: -?digits(.digits)?([eE][+-]?digits)? */
    size_t n = 0;
    if (start[n] == '-')
        n++;
    if (!g_ascii_isdigit(start[n]))
        return fail(r, NULL);
    while (g_ascii_isdigit(start[n]))
        n++;
    if (start[n] == '.') {
        n++;
        if (!g_ascii_isdigit(start[n]))
            return fail(r, NULL);
        while (g_ascii_isdigit(start[n]))
            n++;
    }
    if (start[n] == 'e' || start[n] == 'E') {
        n++;
        if (start[n] == '+' || start[n] == '-')
            n++;
        if (!g_ascii_isdigit(start[n]))
            return fail(r, NULL);
        while (g_ascii_isdigit(start[n]))
            n++;
    }
    d = g_ascii_strtod(start, &end);
    if ((size_t)(end - start) != n)
        return fail(r, NULL);
    v = new_value(NTT_JV_NUMBER);
    v->number = d;
    v->text = g_strndup(start, n);
    r->pos += n;
    return v;
}

static bool read_word(reader_t *r, const char *word)
{
    size_t n = strlen(word);

    if (strncmp(r->s + r->pos, word, n) != 0)
        return false;
    r->pos += n;
    return true;
}

static ntt_jv_t *read_container(reader_t *r, int depth, bool object)
{
    ntt_jv_t *v = new_value(object ? NTT_JV_OBJECT : NTT_JV_ARRAY);
    char close = object ? '}' : ']';

    r->pos++;
    skip_space(r);
    if (r->s[r->pos] == close) {
        r->pos++;
        return v;
    }
    for (;;) {
        ntt_jv_t *item;

        skip_space(r);
        if (object) {
            char *key;

            if (r->s[r->pos] != '"')
                return fail(r, v);
            r->pos++;
            if (!(key = read_string(r)))
                return fail(r, v);
            g_ptr_array_add(v->keys, key);
            skip_space(r);
            if (r->s[r->pos] != ':')
                return fail(r, v);
            r->pos++;
        }
        if (!(item = read_value(r, depth + 1)))
            return fail(r, v);
        g_ptr_array_add(v->items, item);
        skip_space(r);
        if (r->s[r->pos] == ',') {
            r->pos++;
            continue;
        }
        if (r->s[r->pos] == close) {
            r->pos++;
            return v;
        }
        return fail(r, v);
    }
}

static ntt_jv_t *read_value(reader_t *r, int depth)
{
    ntt_jv_t *v;

    if (depth > JV_MAX_DEPTH)
        return fail(r, NULL);
    skip_space(r);
    switch (r->s[r->pos]) {
    case '{':
        return read_container(r, depth, true);
    case '[':
        return read_container(r, depth, false);
    case '"': {
        char *s;

        r->pos++;
        if (!(s = read_string(r)))
            return fail(r, NULL);
        v = new_value(NTT_JV_STRING);
        v->text = s;
        return v;
    }
    case 't': case 'f': {
        bool is_true = read_word(r, "true");

        if (!is_true && !read_word(r, "false"))
            return fail(r, NULL);
        v = new_value(NTT_JV_BOOL);
        v->boolean = is_true;
        return v;
    }
    case 'n':
        if (!read_word(r, "null"))
            return fail(r, NULL);
        return new_value(NTT_JV_NULL);
    default:
        return read_number(r);
    }
}

ntt_jv_t *ntt_jv_parse(const char *text, size_t *error_at)
{
    reader_t r = { text, 0, false };
    ntt_jv_t *v = read_value(&r, 0);

    if (v) {
        skip_space(&r);
        if (r.s[r.pos] != '\0') {
            ntt_jv_free(v);
            v = NULL;
        }
    }
    if (!v && error_at)
        *error_at = r.pos;
    return v;
}

void ntt_jv_free(ntt_jv_t *v)
{
    if (!v)
        return;
    g_free(v->text);
    if (v->items)
        g_ptr_array_free(v->items, TRUE);
    if (v->keys)
        g_ptr_array_free(v->keys, TRUE);
    g_free(v);
}

const ntt_jv_t *ntt_jv_get(const ntt_jv_t *object, const char *key)
{
    if (!ntt_jv_is(object, NTT_JV_OBJECT))
        return NULL;
    for (unsigned i = 0; i < object->keys->len; i++) {
        if (strcmp(g_ptr_array_index(object->keys, i), key) == 0)
            return g_ptr_array_index(object->items, i);
    }
    return NULL;
}

const ntt_jv_t *ntt_jv_at(const ntt_jv_t *array, unsigned index)
{
    if (!ntt_jv_is(array, NTT_JV_ARRAY) || index >= array->items->len)
        return NULL;
    return g_ptr_array_index(array->items, index);
}

unsigned ntt_jv_len(const ntt_jv_t *value)
{
    return value && value->items ? value->items->len : 0;
}

const ntt_jv_t *ntt_jv_path(const ntt_jv_t *root, const char *path)
{
    const ntt_jv_t *v = root;
    const char *p = path;

    while (v && *p) {
        if (*p == '[') {
            char *end;
            unsigned long i = strtoul(p + 1, &end, 10);

            if (end == p + 1 || *end != ']')
                return NULL;
            v = ntt_jv_at(v, (unsigned)i);
            p = end + 1;
        } else {
            size_t n = strcspn(p, ".[");
            char key[128];

            if (n == 0 || n >= sizeof key)
                return NULL;
            memcpy(key, p, n);
            key[n] = '\0';
            v = ntt_jv_get(v, key);
            p += n;
        }
        if (*p == '.')
            p++;
    }
    return v;
}

const ntt_jv_t *ntt_jv_pathf(const ntt_jv_t *root, const char *format, ...)
{
    va_list ap;
    char *path;
    const ntt_jv_t *v;

    va_start(ap, format);
    path = g_strdup_vprintf(format, ap);
    va_end(ap);
    v = ntt_jv_path(root, path);
    g_free(path);
    return v;
}

bool ntt_jv_is(const ntt_jv_t *value, ntt_jv_kind_t kind)
{
    return value && value->kind == kind;
}

double ntt_jv_num(const ntt_jv_t *value, double fallback)
{
    return ntt_jv_is(value, NTT_JV_NUMBER) ? value->number : fallback;
}

const char *ntt_jv_str(const ntt_jv_t *value)
{
    return ntt_jv_is(value, NTT_JV_STRING) ? value->text : NULL;
}

bool ntt_jv_has_content(const ntt_jv_t *value)
{
    if (!value || value->kind == NTT_JV_NULL)
        return false;
    if (value->kind == NTT_JV_ARRAY || value->kind == NTT_JV_OBJECT)
        return value->items->len > 0;
    return true;
}

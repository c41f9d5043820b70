/* test-json-writer.c
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <locale.h>
#include <math.h>

#include "report/json-writer.h"

static void test_nesting_and_commas(void **state)
{
    GString *out = g_string_new(NULL);
    ntt_json_t j;

    (void)state;
    ntt_json_init(&j, out, 0);
    ntt_json_begin_object(&j);
    ntt_json_kv_uint(&j, "a", 1);
    ntt_json_key(&j, "b");
    ntt_json_begin_array(&j);
    ntt_json_int(&j, -2);
    ntt_json_begin_object(&j);
    ntt_json_end_object(&j);
    ntt_json_begin_array(&j);
    ntt_json_end_array(&j);
    ntt_json_bool(&j, true);
    ntt_json_null(&j);
    ntt_json_end_array(&j);
    ntt_json_kv_string(&j, "c", "x");
    ntt_json_end_object(&j);
    assert_string_equal(out->str, "{\"a\":1,\"b\":[-2,{},[],true,null],\"c\":\"x\"}");
    g_string_free(out, TRUE);
}

static void test_escaping(void **state)
{
    GString *out = g_string_new(NULL);
    ntt_json_t j;

    (void)state;
    ntt_json_init(&j, out, 0);
    ntt_json_string(&j, "q\"b\\n\n\x01t\tü");
    assert_string_equal(out->str, "\"q\\\"b\\\\n\\n\\u0001t\\tü\"");
    g_string_free(out, TRUE);
}

static void test_doubles_are_json_in_any_locale(void **state)
{
    GString *out = g_string_new(NULL);
    ntt_json_t j;

    (void)state;
    /* Where available, a locale with a decimal comma must not leak. */
    setlocale(LC_NUMERIC, "de_DE.UTF-8");
    ntt_json_init(&j, out, 0);
    ntt_json_begin_array(&j);
    ntt_json_double(&j, 1.5);
    ntt_json_double(&j, NAN);
    ntt_json_double(&j, INFINITY);
    ntt_json_end_array(&j);
    assert_string_equal(out->str, "[1.500000,null,null]");
    setlocale(LC_NUMERIC, "C");
    g_string_free(out, TRUE);
}

static void test_pretty_output(void **state)
{
    GString *out = g_string_new(NULL);
    ntt_json_t j;

    (void)state;
    ntt_json_init(&j, out, 2);
    ntt_json_begin_object(&j);
    ntt_json_kv_uint(&j, "a", 1);
    ntt_json_key(&j, "b");
    ntt_json_begin_array(&j);
    ntt_json_end_array(&j);
    ntt_json_end_object(&j);
    assert_string_equal(out->str, "{\n  \"a\": 1,\n  \"b\": []\n}");
    g_string_free(out, TRUE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nesting_and_commas),
        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_doubles_are_json_in_any_locale),
        cmocka_unit_test(test_pretty_output),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

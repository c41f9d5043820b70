/* test-sqlite-lazy.c
 * The loader of the evidence database's library (plugin/epan/
 * ntt-sqlite-lazy.c): a library that is not there and one without
 * SQLite's functions are refused with a message naming them, and leave
 * no half-filled table; the build's own soname opens a working SQLite
 * (SQLCipher when the build has it). This test does not link SQLite: it
 * gets it the way ntt.so does.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <dlfcn.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <glib.h>

#include "ntt-sqlite-lazy.h"

static void assert_empty(const ntt_sqlite_t *api)
{
    static const ntt_sqlite_t none;

    assert_memory_equal(api, &none, sizeof none);
}

static void test_a_missing_library_is_refused_by_name(void **state)
{
    const char *soname = "libntt-no-such-sqlite.so.0";
    GString *why = g_string_new(NULL);
    ntt_sqlite_t api;

    (void)state;
    memset(&api, 0xa5, sizeof api);
    assert_false(ntt_sqlite_load(soname, &api, why));
    assert_non_null(strstr(why->str, "the SQLite library libntt-no-such-sqlite.so.0 cannot be loaded"));
    assert_empty(&api);
    g_string_free(why, TRUE);
}

/* The C library loads, but is not SQLite: the first function looked up
 * is missing and named. */
static void test_a_library_without_the_functions_is_refused(void **state)
{
    GString *why = g_string_new(NULL);
    ntt_sqlite_t api;

    (void)state;
    memset(&api, 0xa5, sizeof api);
    assert_false(ntt_sqlite_load("libc.so.6", &api, why));
    assert_non_null(strstr(why->str, "libc.so.6 has no function sqlite3_bind_double"));
    assert_empty(&api);
    g_string_free(why, TRUE);
}

#ifdef NTT_HAVE_SQLCIPHER
/* Plain SQLite has every function but SQLCipher's sqlite3_key, the last
 * looked up: the ones found before it must not stay in the table. */
static void test_sqlite_is_not_sqlcipher(void **state)
{
    GString *why = g_string_new(NULL);
    void *plain = dlopen("libsqlite3.so.0", RTLD_NOW | RTLD_LOCAL);
    ntt_sqlite_t api;

    (void)state;
    if (!plain) {
        g_string_free(why, TRUE);
        skip();     /* libsqlite3-0 not installed */
    }
    dlclose(plain);
    assert_false(ntt_sqlite_load("libsqlite3.so.0", &api, why));
    assert_non_null(strstr(why->str, "libsqlite3.so.0 has no function sqlite3_key"));
    assert_empty(&api);
    g_string_free(why, TRUE);
}
#endif

static void test_the_builds_library_works(void **state)
{
    GString *why = g_string_new(NULL);
    const ntt_sqlite_t *api = ntt_sqlite(why);
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;

    (void)state;
    assert_non_null(api);
    assert_string_equal(why->str, "");
    /* Opened once, kept. */
    assert_ptr_equal(ntt_sqlite(why), api);
    assert_int_equal(api->open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                  NULL), SQLITE_OK);
    assert_int_equal(api->exec(db, "CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (41)",
                               NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(api->prepare_v2(db, "SELECT x + ?1 FROM t", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(api->bind_int64(st, 1, 1), SQLITE_OK);
    assert_int_equal(api->step(st), SQLITE_ROW);
    assert_int_equal(api->column_int64(st, 0), 42);
    assert_int_equal(api->finalize(st), SQLITE_OK);
#ifdef NTT_HAVE_SQLCIPHER
    /* SQLCipher's own: its pragma answers, its key function is there. */
    assert_non_null(api->key);
    assert_int_equal(api->prepare_v2(db, "PRAGMA cipher_version", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(api->step(st), SQLITE_ROW);
    assert_int_equal(api->finalize(st), SQLITE_OK);
#endif
    assert_int_equal(api->close(db), SQLITE_OK);
    g_string_free(why, TRUE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_missing_library_is_refused_by_name),
        cmocka_unit_test(test_a_library_without_the_functions_is_refused),
#ifdef NTT_HAVE_SQLCIPHER
        cmocka_unit_test(test_sqlite_is_not_sqlcipher),
#endif
        cmocka_unit_test(test_the_builds_library_works),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

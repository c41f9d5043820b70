/* ntt-sqlite-lazy.h
 * The SQLite (SQLCipher) functions the evidence database uses, found in
 * the library only when a database is written. ntt.so does not link the
 * library: as a NEEDED library it and libcrypto were loaded and relocated
 * by every tshark that loads ntt (15 million instructions and 1.7 MiB of
 * peak memory a run), though almost no run writes evidence. sqlite3.h
 * still gives the types and constants at compile time.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_SQLITE_LAZY_H
#define NTT_SQLITE_LAZY_H

#include <stdbool.h>

#include <glib.h>
#include <sqlite3.h>

/* sqlite3_key() exists only in SQLCipher (declared with SQLITE_HAS_CODEC). */
#ifdef NTT_HAVE_SQLCIPHER
#define NTT_SQLITE_CODEC_FUNCTIONS(X) X(key)
#else
#define NTT_SQLITE_CODEC_FUNCTIONS(X)
#endif

/* Every function ntt-evidence.c calls, by its name without "sqlite3_":
 * one list, so that the table and the lookups cannot disagree. */
#define NTT_SQLITE_FUNCTIONS(X) \
    X(bind_double) X(bind_int64) X(bind_null) X(bind_text) X(busy_timeout) \
    X(clear_bindings) X(close) X(column_int64) X(errmsg) X(errstr) X(exec) \
    X(finalize) X(get_autocommit) X(last_insert_rowid) X(open_v2) X(prepare_v2) \
    X(reset) X(step) NTT_SQLITE_CODEC_FUNCTIONS(X)

/* Each member has the type sqlite3.h declares for the function, so a
 * call through the table is checked as a direct call would be. */
typedef struct {
#define NTT_SQLITE_MEMBER(name) __typeof__(sqlite3_##name) *name;
    NTT_SQLITE_FUNCTIONS(NTT_SQLITE_MEMBER)
#undef NTT_SQLITE_MEMBER
} ntt_sqlite_t;

/* The soname the build found (CMake's NTT_SQLITE_SONAME). */
const char *ntt_sqlite_soname(void);

/* Opens the library SONAME and fills *api; false, with the reason (which
 * names the library) in why, when it cannot be opened or lacks one of the
 * functions; *api is then all NULL and nothing stays loaded. Exposed for
 * the unit test, which gives it names that must fail. */
bool ntt_sqlite_load(const char *soname, ntt_sqlite_t *api, GString *why);

/* The build's library, opened on the first call and kept for the rest of
 * the process; NULL with the reason in why when it cannot be (asked again
 * at the next call, so an error is reported by each database it stops). */
const ntt_sqlite_t *ntt_sqlite(GString *why);

#endif

/* ntt-sqlite-lazy.c
 * Opens the evidence database's library (ntt-sqlite-lazy.h) with dlopen()
 * the first time a database is written, and looks its functions up once.
 *
 * dlopen() itself rather than GModule, which would only wrap it: it is in
 * the C library since glibc 2.34 (nothing more to link), and a bare soname
 * is searched for on the library path, as the dynamic linker searched for
 * the NEEDED entry this replaces.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ntt-sqlite-lazy.h"

#include <dlfcn.h>
#include <string.h>

#ifndef NTT_SQLITE_SONAME
#error "NTT_SQLITE_SONAME: the build gives the soname of the SQLite library"
#endif

const char *ntt_sqlite_soname(void)
{
    return NTT_SQLITE_SONAME;
}

bool ntt_sqlite_load(const char *soname, ntt_sqlite_t *api, GString *why)
{
    void *handle;
    void *symbol;

    memset(api, 0, sizeof *api);
    /* RTLD_NOW: a library that cannot be bound fails here, with a message,
     * not at the first call. RTLD_LOCAL: its symbols stay out of the
     * process's namespace, where another SQLite may live. */
    handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        g_string_printf(why, "the SQLite library %s cannot be loaded (%s)", soname, dlerror());
        return false;
    }
    /* A NULL from dlsym() is an error for a function, whatever dlerror()
     * says, so the result alone is tested. */
#define NTT_SQLITE_RESOLVE(name)                                                    \
    symbol = dlsym(handle, "sqlite3_" #name);                                      \
    if (!symbol) {                                                                  \
        g_string_printf(why, "the SQLite library %s has no function sqlite3_%s "   \
                        "(not the library ntt was built for?)", soname, #name);    \
        goto missing;                                                               \
    }                                                                               \
    api->name = (__typeof__(api->name))symbol;
    NTT_SQLITE_FUNCTIONS(NTT_SQLITE_RESOLVE)
#undef NTT_SQLITE_RESOLVE
    /* Never closed: loading it again for the next database would cost
     * what this file saves, and SQLCipher's libcrypto is not made to be
     * unloaded. */
    return true;

missing:
    memset(api, 0, sizeof *api);
    dlclose(handle);
    return false;
}

const ntt_sqlite_t *ntt_sqlite(GString *why)
{
    G_LOCK_DEFINE_STATIC(loading);
    static ntt_sqlite_t api;
    static bool loaded;
    const ntt_sqlite_t *result;

    G_LOCK(loading);
    if (!loaded)
        loaded = ntt_sqlite_load(ntt_sqlite_soname(), &api, why);
    result = loaded ? &api : NULL;
    G_UNLOCK(loading);
    return result;
}

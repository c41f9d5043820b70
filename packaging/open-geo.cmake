# SPDX-License-Identifier: GPL-2.0-or-later
#
# ntt's open GeoIP database: builds geo/ntt-open-geo.mmdb (country and ASN,
# IPFire Location data from Debian's tor-geoipdb and libloc-database) with
# packaging/make-open-geo.py, installs it where the plugin looks for it, and
# checks it against its sources (CTest open-geo.check). Without the source
# data it says so at configure time and is skipped; the plugin builds anyway.
# See docs/geoip-open-data.md.

# Debian's python3: python3-location is installed for it, not for a pyenv or
# venv python that may come first in PATH.
set(NTT_OPEN_GEO_PYTHON "/usr/bin/python3" CACHE FILEPATH
    "Python that runs make-open-geo.py (needs python3-location)")
set(NTT_OPEN_GEO_TOR_GEOIP "/usr/share/tor/geoip" CACHE FILEPATH
    "Tor's IPv4 country file (tor-geoipdb)")
set(NTT_OPEN_GEO_TOR_GEOIP6 "/usr/share/tor/geoip6" CACHE FILEPATH
    "Tor's IPv6 country file (tor-geoipdb)")
set(NTT_OPEN_GEO_LOCATION_DB "/usr/share/libloc-location/location.db" CACHE FILEPATH
    "IPFire's location database (libloc-database)")
set(NTT_OPEN_GEO_ISO_CODES "/usr/share/iso-codes/json" CACHE PATH
    "iso-codes JSON folder (English country names)")

# Where `cmake --install` puts it: the personal data folder of whoever
# builds, except for root, whose install is for every user (as with the
# plugin folder in plugin/CMakeLists.txt).
execute_process(COMMAND id -u OUTPUT_VARIABLE NTT_OPEN_GEO_UID
                OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NTT_OPEN_GEO_UID STREQUAL "0")
    set(NTT_OPEN_GEO_DEFAULT_DIR "${CMAKE_INSTALL_PREFIX}/share/ntt")
else()
    set(NTT_OPEN_GEO_DEFAULT_DIR "$ENV{HOME}/.local/share/ntt")
endif()
set(NTT_OPEN_GEO_INSTALL_DIR "${NTT_OPEN_GEO_DEFAULT_DIR}" CACHE PATH
    "Folder ntt's open GeoIP database is installed into")

set(NTT_OPEN_GEO_MISSING "")
foreach(source NTT_OPEN_GEO_TOR_GEOIP NTT_OPEN_GEO_TOR_GEOIP6 NTT_OPEN_GEO_LOCATION_DB)
    if(NOT EXISTS "${${source}}")
        list(APPEND NTT_OPEN_GEO_MISSING "${${source}}")
    endif()
endforeach()
if(NOT EXISTS "${NTT_OPEN_GEO_ISO_CODES}/iso_3166-1.json")
    list(APPEND NTT_OPEN_GEO_MISSING "${NTT_OPEN_GEO_ISO_CODES}/iso_3166-1.json (iso-codes)")
endif()
if(NOT EXISTS "${NTT_OPEN_GEO_PYTHON}")
    list(APPEND NTT_OPEN_GEO_MISSING "${NTT_OPEN_GEO_PYTHON}")
else()
    execute_process(COMMAND "${NTT_OPEN_GEO_PYTHON}" -c "import location"
                    RESULT_VARIABLE NTT_OPEN_GEO_HAVE_LOCATION
                    OUTPUT_QUIET ERROR_QUIET)
    if(NOT NTT_OPEN_GEO_HAVE_LOCATION EQUAL 0)
        list(APPEND NTT_OPEN_GEO_MISSING "Python module 'location' (python3-location)")
    endif()
endif()

if(NTT_OPEN_GEO_MISSING)
    string(REPLACE ";" ", " NTT_OPEN_GEO_MISSING_TEXT "${NTT_OPEN_GEO_MISSING}")
    message(STATUS "ntt open GeoIP database: skipped, missing ${NTT_OPEN_GEO_MISSING_TEXT} "
                   "(apt-get install tor-geoipdb libloc-database python3-location iso-codes)")
    return()
endif()

set(NTT_OPEN_GEO_DIR "${CMAKE_BINARY_DIR}/geo")
set(NTT_OPEN_GEO_MMDB "${NTT_OPEN_GEO_DIR}/ntt-open-geo.mmdb")
set(NTT_OPEN_GEO_TXT "${NTT_OPEN_GEO_DIR}/ntt-open-geo.txt")
set(NTT_OPEN_GEO_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/make-open-geo.py")

add_custom_command(
    OUTPUT "${NTT_OPEN_GEO_MMDB}" "${NTT_OPEN_GEO_TXT}"
    COMMAND ${CMAKE_COMMAND} -E make_directory "${NTT_OPEN_GEO_DIR}"
    COMMAND "${NTT_OPEN_GEO_PYTHON}" "${NTT_OPEN_GEO_SCRIPT}"
            --tor-geoip "${NTT_OPEN_GEO_TOR_GEOIP}"
            --tor-geoip6 "${NTT_OPEN_GEO_TOR_GEOIP6}"
            --location-db "${NTT_OPEN_GEO_LOCATION_DB}"
            --iso-codes "${NTT_OPEN_GEO_ISO_CODES}"
            --output "${NTT_OPEN_GEO_MMDB}" --info "${NTT_OPEN_GEO_TXT}"
    DEPENDS "${NTT_OPEN_GEO_SCRIPT}" "${NTT_OPEN_GEO_TOR_GEOIP}"
            "${NTT_OPEN_GEO_TOR_GEOIP6}" "${NTT_OPEN_GEO_LOCATION_DB}"
            "${NTT_OPEN_GEO_ISO_CODES}/iso_3166-1.json"
    COMMENT "Building ntt's open GeoIP database (IPFire Location data)"
    VERBATIM)
add_custom_target(ntt_open_geo ALL DEPENDS "${NTT_OPEN_GEO_MMDB}" "${NTT_OPEN_GEO_TXT}")

install(FILES "${NTT_OPEN_GEO_MMDB}" "${NTT_OPEN_GEO_TXT}"
        DESTINATION "${NTT_OPEN_GEO_INSTALL_DIR}")

# The plugin also looks in the install folder, which for a root install
# under a prefix outside $XDG_DATA_DIRS it would not otherwise search.
if(TARGET ntt)
    get_target_property(NTT_OPEN_GEO_DEFS ntt COMPILE_DEFINITIONS)
    if(NOT "${NTT_OPEN_GEO_DEFS}" MATCHES "NTT_OPEN_GEO_DIR")
        target_compile_definitions(ntt PRIVATE NTT_OPEN_GEO_DIR="${NTT_OPEN_GEO_INSTALL_DIR}")
    endif()
endif()

message(STATUS "ntt open GeoIP database: ${NTT_OPEN_GEO_MMDB}, installed into ${NTT_OPEN_GEO_INSTALL_DIR}")

# Tests are only generated where the includer called enable_testing().
find_program(NTT_MMDBLOOKUP mmdblookup)
if(NTT_MMDBLOOKUP)
    add_test(NAME open-geo.check
             COMMAND "${NTT_OPEN_GEO_PYTHON}" "${CMAKE_CURRENT_LIST_DIR}/check-open-geo.py"
                     --mmdb "${NTT_OPEN_GEO_MMDB}"
                     --tor-geoip "${NTT_OPEN_GEO_TOR_GEOIP}"
                     --tor-geoip6 "${NTT_OPEN_GEO_TOR_GEOIP6}"
                     --location-db "${NTT_OPEN_GEO_LOCATION_DB}")
    set_tests_properties(open-geo.check PROPERTIES TIMEOUT 300)
else()
    message(STATUS "ntt open GeoIP database: test open-geo.check skipped "
                   "(no mmdblookup: apt-get install mmdb-bin)")
endif()

# SPDX-License-Identifier: GPL-2.0-or-later
#
# The world outline of the HTML report's map: generated at build time by
# packaging/make-world-outline.py from the 'world' database of Debian's
# r-cran-maps (Natural Earth's countries) and compiled into the engine in
# place of plugin/engine/report/world-outline-none.c. Without the data it
# says so at configure time and the empty outline is compiled instead (the
# report then leaves its map out); the plugin builds either way.
# Included from plugin/CMakeLists.txt (the generated source must be made in
# the folder of the library that compiles it): the library ntt_world_outline,
# which the engine links; NTT_WORLD_OUTLINE_C (the generated source, or "")
# is set in the parent scope too, for the CTest check the top folder adds
# (world-outline.check). See docs/world-outline.md.

set(NTT_WORLD_OUTLINE_PYTHON "/usr/bin/python3" CACHE FILEPATH
    "Python that runs make-world-outline.py (the standard library is enough)")
set(NTT_WORLD_OUTLINE_MAPS_DIR "/usr/lib/R/site-library/maps" CACHE PATH
    "The R package maps as Debian installs it (r-cran-maps)")
set(NTT_WORLD_OUTLINE_ISO_CODES "/usr/share/iso-codes/json" CACHE PATH
    "iso-codes JSON folder (English country names)")
set(NTT_WORLD_OUTLINE_TOLERANCE "0.25" CACHE STRING
    "How far (degrees) the simplified outline may stray from the data")

set(NTT_WORLD_OUTLINE_DATA
    "${NTT_WORLD_OUTLINE_MAPS_DIR}/mapdata/world.L"
    "${NTT_WORLD_OUTLINE_MAPS_DIR}/mapdata/world.G"
    "${NTT_WORLD_OUTLINE_MAPS_DIR}/mapdata/world.N")
set(NTT_WORLD_OUTLINE_MISSING "")
foreach(file ${NTT_WORLD_OUTLINE_DATA} "${NTT_WORLD_OUTLINE_ISO_CODES}/iso_3166-1.json"
             "${NTT_WORLD_OUTLINE_PYTHON}")
    if(NOT EXISTS "${file}")
        list(APPEND NTT_WORLD_OUTLINE_MISSING "${file}")
    endif()
endforeach()

set(NTT_WORLD_OUTLINE_C "")
if(NTT_WORLD_OUTLINE_MISSING)
    string(REPLACE ";" ", " NTT_WORLD_OUTLINE_MISSING_TEXT "${NTT_WORLD_OUTLINE_MISSING}")
    message(STATUS "ntt world outline: none (the HTML report has no map), missing "
                   "${NTT_WORLD_OUTLINE_MISSING_TEXT} "
                   "(apt-get install --no-install-recommends r-cran-maps iso-codes)")
else()
    set(NTT_WORLD_OUTLINE_C "${CMAKE_CURRENT_BINARY_DIR}/generated/world-outline.c")
    set(NTT_WORLD_OUTLINE_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/make-world-outline.py")
    add_custom_command(
        OUTPUT "${NTT_WORLD_OUTLINE_C}"
        COMMAND ${CMAKE_COMMAND} -E make_directory "${CMAKE_CURRENT_BINARY_DIR}/generated"
        COMMAND "${NTT_WORLD_OUTLINE_PYTHON}" "${NTT_WORLD_OUTLINE_SCRIPT}"
                --maps-dir "${NTT_WORLD_OUTLINE_MAPS_DIR}"
                --iso-codes "${NTT_WORLD_OUTLINE_ISO_CODES}"
                --tolerance "${NTT_WORLD_OUTLINE_TOLERANCE}"
                --output "${NTT_WORLD_OUTLINE_C}"
        DEPENDS "${NTT_WORLD_OUTLINE_SCRIPT}" ${NTT_WORLD_OUTLINE_DATA}
                "${NTT_WORLD_OUTLINE_ISO_CODES}/iso_3166-1.json"
        COMMENT "Generating the world outline (Natural Earth, from r-cran-maps)"
        VERBATIM)
    message(STATUS "ntt world outline: generated from ${NTT_WORLD_OUTLINE_MAPS_DIR}/mapdata/world")
endif()
# The outline is a library of its own, so that every build of the engine
# (the sanitized one of tests/fuzz too) links the same table.
list(REMOVE_ITEM NTT_ENGINE_SOURCES engine/report/world-outline-none.c)
if(NTT_WORLD_OUTLINE_C)
    add_library(ntt_world_outline STATIC "${NTT_WORLD_OUTLINE_C}")
else()
    add_library(ntt_world_outline STATIC engine/report/world-outline-none.c)
endif()
target_include_directories(ntt_world_outline PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/engine)
target_compile_options(ntt_world_outline PRIVATE ${NTT_WARNINGS})
set(NTT_WORLD_OUTLINE_C "${NTT_WORLD_OUTLINE_C}" PARENT_SCOPE)

# Amaro — Node 24's TypeScript type stripper (runtime/typescriptsupport.h), unpacked from the npm
# tarball that scripts/fetch-npm brought, after checking its sha512 against scripts/npm-packages.txt.
# Sets LOOPSCOPE_AMARO_FILE (the build tree's copy of dist/index.js) and installs it; leaves it
# empty, with a warning, where the tarball is missing: TypeScript files then fail as under
# Debian's node, which has no amaro.
if(DEFINED ENV{LOOPSCOPE_NPM_DIR})  # scripts/buildroot sets it
    set(LOOPSCOPE_NPM_DIR "$ENV{LOOPSCOPE_NPM_DIR}" CACHE PATH "Folder of the npm tarballs of scripts/npm-packages.txt" FORCE)
else()
    set(LOOPSCOPE_NPM_DIR "" CACHE PATH "Folder of the npm tarballs of scripts/npm-packages.txt")
endif()
file(STRINGS ${PROJECT_SOURCE_DIR}/scripts/npm-packages.txt _amaro REGEX "^amaro ")
string(REPLACE " " ";" _amaro "${_amaro}")
list(GET _amaro 1 LOOPSCOPE_AMARO_VERSION)
list(GET _amaro 2 _amaro_sha512)
set(_tgz "${LOOPSCOPE_NPM_DIR}/amaro-${LOOPSCOPE_AMARO_VERSION}.tgz")
set(_dir "${CMAKE_BINARY_DIR}/share/loopscope/amaro")
set(LOOPSCOPE_AMARO_FILE "")
if(LOOPSCOPE_NPM_DIR AND EXISTS "${_tgz}")
    file(SHA512 "${_tgz}" _sha512)
    if(NOT _sha512 STREQUAL _amaro_sha512)
        message(FATAL_ERROR "${_tgz}: sha512 is not the one in scripts/npm-packages.txt")
    endif()
    if(NOT EXISTS "${_dir}/index.js" OR "${_tgz}" IS_NEWER_THAN "${_dir}/index.js")
        file(MAKE_DIRECTORY "${_dir}")
        file(ARCHIVE_EXTRACT INPUT "${_tgz}" DESTINATION "${CMAKE_BINARY_DIR}/amaro-unpacked"
             PATTERNS package/dist/index.js package/dist/LICENSE package/LICENSE.md)
        file(COPY_FILE "${CMAKE_BINARY_DIR}/amaro-unpacked/package/dist/index.js" "${_dir}/index.js")
        file(COPY_FILE "${CMAKE_BINARY_DIR}/amaro-unpacked/package/LICENSE.md" "${_dir}/LICENSE.md")
        file(COPY_FILE "${CMAKE_BINARY_DIR}/amaro-unpacked/package/dist/LICENSE" "${_dir}/THIRD-PARTY-LICENSES")
    endif()
    set(LOOPSCOPE_AMARO_FILE "${_dir}/index.js")
    install(FILES "${_dir}/index.js" "${_dir}/LICENSE.md" "${_dir}/THIRD-PARTY-LICENSES"
            DESTINATION ${CMAKE_INSTALL_DATADIR}/loopscope/amaro)
else()
    message(WARNING "amaro ${LOOPSCOPE_AMARO_VERSION} not found in LOOPSCOPE_NPM_DIR ('${LOOPSCOPE_NPM_DIR}'): "
                    "run scripts/fetch-npm DIR and configure with -DLOOPSCOPE_NPM_DIR=DIR; without it "
                    "TypeScript files fail as under Debian's node")
endif()

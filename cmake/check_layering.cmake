# Fails the build when a source of a stage includes a header of a stage it may not use.
# Usage: cmake -DSTAGE_DIR=compiler/yaml -DALLOWED="compiler/diag|compiler/support"
#              -DROOT=<source dir> -DSTAMP=<file> -DFILES="a.cpp|a.h" -P check_layering.cmake
# A stage may include its own headers and those of ALLOWED (its dependencies, transitively).
# Under targets/, a target folder may include targets/target.h but no other target's folder;
# targets/registry.cpp includes each target's factory header.
string(REPLACE "|" ";" ALLOWED "${ALLOWED}")
string(REPLACE "|" ";" FILES "${FILES}")
set(bad "")
foreach(file ${FILES})
  file(STRINGS "${file}" lines REGEX "^#include \"(compiler|targets)/")
  file(RELATIVE_PATH rel "${ROOT}" "${file}")
  get_filename_component(own_dir "${rel}" DIRECTORY)
  foreach(line ${lines})
    string(REGEX REPLACE "^#include \"([^\"]+)\".*" "\\1" inc "${line}")
    get_filename_component(inc_dir "${inc}" DIRECTORY)
    set(ok FALSE)
    if(inc_dir STREQUAL own_dir OR inc_dir STREQUAL STAGE_DIR)
      set(ok TRUE)
    endif()
    foreach(a ${ALLOWED})
      if(inc_dir STREQUAL a)
        set(ok TRUE)
      endif()
    endforeach()
    if(STAGE_DIR STREQUAL "targets" AND inc_dir MATCHES "^targets")
      # targets/<t>/...: its own folder and targets/target.h; the registry: every factory.
      set(ok FALSE)
      if(inc_dir STREQUAL own_dir OR inc STREQUAL "targets/target.h"
         OR rel STREQUAL "targets/registry.cpp")
        set(ok TRUE)
      endif()
    endif()
    if(NOT ok)
      string(APPEND bad "  ${rel}: #include \"${inc}\" (${STAGE_DIR} may use: ${ALLOWED})\n")
    endif()
  endforeach()
endforeach()
if(bad)
  message(FATAL_ERROR "layering: a stage includes a header of a stage above it or beside it "
                      "(docs/architecture.md):\n${bad}")
endif()
file(WRITE "${STAMP}" "ok\n")

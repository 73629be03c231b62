# The meshc executable's own sources in compiler/cli (CMakeLists.txt adds them to it): main()
# and the operator new it replaces. Not in the cli library, whose layering they still follow.
set(MESHC_EXECUTABLE_SOURCES ${CMAKE_SOURCE_DIR}/compiler/cli/main.cpp
                             ${CMAKE_SOURCE_DIR}/compiler/cli/operator_new.cpp)

# meshc_stage(<name> DIR <folder> [RECURSE] [DEPS <stage>...] [SOURCES <generated>...])
#
# Declares the library meshc_<name> from the *.cpp files in <folder> (below it with RECURSE),
# linked to the libraries of the stages in DEPS. A build step checks that the folder's sources
# include headers only from <folder> and from the folders of its DEPS, transitively
# (cmake/check_layering.cmake): a wrong include fails the build, not just a review.
function(meshc_stage name)
  cmake_parse_arguments(S "RECURSE" "DIR" "DEPS;SOURCES" ${ARGN})
  set(root ${CMAKE_SOURCE_DIR}/${S_DIR})
  if(S_RECURSE)
    file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${root}/*.cpp)
    file(GLOB_RECURSE headers CONFIGURE_DEPENDS ${root}/*.h)
  else()
    file(GLOB sources CONFIGURE_DEPENDS ${root}/*.cpp)
    file(GLOB headers CONFIGURE_DEPENDS ${root}/*.h)
  endif()
  list(REMOVE_ITEM sources ${MESHC_EXECUTABLE_SOURCES})
  add_library(meshc_${name} STATIC ${sources} ${S_SOURCES})
  target_link_libraries(meshc_${name} PUBLIC meshc_external)
  set(allowed "")
  foreach(dep ${S_DEPS})
    target_link_libraries(meshc_${name} PUBLIC meshc_${dep})
    get_property(dirs GLOBAL PROPERTY MESHC_STAGE_DIRS_${dep})
    list(APPEND allowed ${dirs})
  endforeach()
  list(REMOVE_DUPLICATES allowed)
  set_property(GLOBAL PROPERTY MESHC_STAGE_DIRS_${name} ${S_DIR} ${allowed})

  set(files ${sources} ${headers})
  if(name STREQUAL "cli")
    list(APPEND files ${MESHC_EXECUTABLE_SOURCES})
  endif()
  string(REPLACE ";" "|" files_arg "${files}")
  string(REPLACE ";" "|" allowed_arg "${allowed}")
  set(stamp ${CMAKE_BINARY_DIR}/layering/${name}.ok)
  add_custom_command(
    OUTPUT ${stamp}
    COMMAND ${CMAKE_COMMAND} -DSTAGE_DIR=${S_DIR} "-DALLOWED=${allowed_arg}"
            -DROOT=${CMAKE_SOURCE_DIR} -DSTAMP=${stamp} "-DFILES=${files_arg}"
            -P ${CMAKE_SOURCE_DIR}/cmake/check_layering.cmake
    DEPENDS ${files} ${CMAKE_SOURCE_DIR}/cmake/check_layering.cmake
    COMMENT "Checking the includes of ${S_DIR}"
    VERBATIM)
  add_custom_target(meshc_${name}_layering DEPENDS ${stamp})
  add_dependencies(meshc_${name} meshc_${name}_layering)
endfunction()

# A generated C++ file holding the files FILES as the constants NAMES, declared in HEADER
# (cmake/embed.cmake).
function(meshc_embed out header names files)
  string(REPLACE ";" "|" names_arg "${names}")
  string(REPLACE ";" "|" files_arg "${files}")
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} "-DOUT=${out}" "-DHEADER=${header}" "-DNAMES=${names_arg}"
            "-DFILES=${files_arg}" -P ${CMAKE_SOURCE_DIR}/cmake/embed.cmake
    DEPENDS ${files} ${CMAKE_SOURCE_DIR}/cmake/embed.cmake
    COMMENT "Embedding ${header}"
    VERBATIM)
endfunction()

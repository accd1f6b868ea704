# Checks that the layered folders of common/ include only their own headers and those of the
# folders below them, as common/CMakeLists.txt declares (velknee_common_layer).
#
#   cmake -DCOMMON_DIR=<common/> -DLAYERS="storage:status|api:status,crypto,storage|..." -P layers.cmake
#
# Fails naming every file and include that points upwards.

cmake_minimum_required(VERSION 3.25)

string(REPLACE "|" ";" layers "${LAYERS}")
set(problems "")
foreach(layer IN LISTS layers)
  if(layer STREQUAL "")
    continue()
  endif()
  string(REPLACE ":" ";" parts "${layer}")
  list(GET parts 0 folder)
  set(allowed "")
  list(LENGTH parts count)
  if(count GREATER 1)
    list(GET parts 1 lower)
    string(REPLACE "," ";" allowed "${lower}")
  endif()
  list(APPEND allowed ${folder})
  file(GLOB files "${COMMON_DIR}/${folder}/*")
  if(files STREQUAL "")
    list(APPEND problems "common/${folder}/ declares a layer but holds no files")
  endif()
  foreach(file IN LISTS files)
    file(STRINGS "${file}" includes REGEX "^#include \"common/[a-z_]+/")
    foreach(include IN LISTS includes)
      string(REGEX MATCH "common/([a-z_]+)/" _ "${include}")
      if(NOT CMAKE_MATCH_1 IN_LIST allowed)
        file(RELATIVE_PATH shown "${COMMON_DIR}/.." "${file}")
        list(JOIN allowed ", " may)
        list(APPEND problems
             "${shown}: ${include} reaches up into common/${CMAKE_MATCH_1}/ (may include: ${may})")
      endif()
    endforeach()
  endforeach()
endforeach()

if(problems)
  list(JOIN problems "\n  " text)
  message(FATAL_ERROR "common/ layering broken:\n  ${text}")
endif()
message(STATUS "common/ layering intact")

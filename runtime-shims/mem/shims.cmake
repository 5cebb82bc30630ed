# Included by generator/CMakeLists.txt: compiles the freestanding mem* sources
# of this directory into the generator as strings (GeneratedShims.inc), so an
# installed gotramp needs no data files. The packer writes the ones the native
# code references to a temporary directory and compiles them for the target.
set(GOTRAMP_SHIM_FILES
  ${CMAKE_CURRENT_LIST_DIR}/shim.h
  ${CMAKE_CURRENT_LIST_DIR}/copy.h
  ${CMAKE_CURRENT_LIST_DIR}/compare.h
  ${CMAKE_CURRENT_LIST_DIR}/memcpy.c
  ${CMAKE_CURRENT_LIST_DIR}/memmove.c
  ${CMAKE_CURRENT_LIST_DIR}/memset.c
  ${CMAKE_CURRENT_LIST_DIR}/memcmp.c
  ${CMAKE_CURRENT_LIST_DIR}/bcmp.c
  ${CMAKE_CURRENT_LIST_DIR}/strlen.c
  ${CMAKE_CURRENT_LIST_DIR}/strnlen.c
  ${CMAKE_CURRENT_LIST_DIR}/memchr.c
  ${CMAKE_CURRENT_LIST_DIR}/strchr.c
  ${CMAKE_CURRENT_LIST_DIR}/strcmp.c
  ${CMAKE_CURRENT_LIST_DIR}/strncmp.c
  ${CMAKE_CURRENT_LIST_DIR}/stack_chk_fail.c)
set(GOTRAMP_SHIMS_INC ${CMAKE_CURRENT_BINARY_DIR}/GeneratedShims.inc)
string(REPLACE ";" "|" GOTRAMP_SHIM_FILE_LIST "${GOTRAMP_SHIM_FILES}")
add_custom_command(
  OUTPUT ${GOTRAMP_SHIMS_INC}
  COMMAND ${CMAKE_COMMAND} -DOUT=${GOTRAMP_SHIMS_INC} "-DFILES=${GOTRAMP_SHIM_FILE_LIST}"
          -P ${PROJECT_SOURCE_DIR}/generator/EmbedTemplates.cmake
  DEPENDS ${GOTRAMP_SHIM_FILES} ${PROJECT_SOURCE_DIR}/generator/EmbedTemplates.cmake
  COMMENT "Embedding runtime-shims/mem"
  VERBATIM)

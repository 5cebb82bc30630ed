# gotramp_add_go_package: generate a Go package that calls a native library
# through gotramp trampolines, and regenerate it whenever the library or its
# headers change.
#
#   gotramp_add_go_package(
#     TARGET    <static library target>   # its archive is packed into the .syso
#     HEADERS   <header>...               # declarations to bind
#     PACKAGE   <go package name>
#     OUT       <directory>               # usually inside your Go module, committed
#     [GO_TARGET linux/amd64]             # the target the library is built for
#     [CONFIG   <gotramp.json>]           # filters, renames, overrides
#     [CLANG_ARGS <arg>...])              # -I/-D for parsing the headers
#
# Adds a target <PACKAGE>_go_package, built by default. TARGET is compiled
# with -ffunction-sections -fdata-sections (one section per function and per
# object), so the packer keeps only the code the bound functions reach and a
# function excluded in the config takes its code with it.
function(gotramp_add_go_package)
  cmake_parse_arguments(ARG "" "TARGET;PACKAGE;OUT;GO_TARGET;CONFIG" "HEADERS;CLANG_ARGS" ${ARGN})
  foreach(required TARGET PACKAGE OUT HEADERS)
    if(NOT ARG_${required})
      message(FATAL_ERROR "gotramp_add_go_package: ${required} is required")
    endif()
  endforeach()
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "gotramp_add_go_package: unknown arguments: ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT TARGET ${ARG_TARGET})
    message(FATAL_ERROR "gotramp_add_go_package: '${ARG_TARGET}' is not a target")
  endif()
  if(NOT ARG_GO_TARGET)
    set(ARG_GO_TARGET linux/amd64)
  endif()
  target_compile_options(${ARG_TARGET} PRIVATE -ffunction-sections -fdata-sections)
  string(REPLACE "/" "_" suffix "${ARG_GO_TARGET}")
  get_filename_component(out "${ARG_OUT}" ABSOLUTE)
  file(MAKE_DIRECTORY "${out}")

  set(headers)
  set(header_args)
  # gotramp runs in OUT with headers named relative to it, so the generated
  # files (which name the headers) do not contain this machine's paths.
  foreach(h ${ARG_HEADERS})
    get_filename_component(abs "${h}" ABSOLUTE)
    file(RELATIVE_PATH rel "${out}" "${abs}")
    list(APPEND headers "${abs}")
    list(APPEND header_args --header "${rel}")
  endforeach()
  set(config_args)
  if(ARG_CONFIG)
    get_filename_component(config "${ARG_CONFIG}" ABSOLUTE)
    set(config_args --config "${config}")
  endif()

  set(outputs
    "${out}/${ARG_PACKAGE}.go"
    "${out}/${ARG_PACKAGE}_${suffix}.s"
    "${out}/${ARG_PACKAGE}_${suffix}.syso"
    "${out}/gotramp-report.json")
  add_custom_command(
    OUTPUT ${outputs}
    COMMAND gotramp::gotramp generate ${config_args} ${header_args}
            --object "${ARG_GO_TARGET}=$<TARGET_FILE:${ARG_TARGET}>"
            --package ${ARG_PACKAGE} --out . --target ${ARG_GO_TARGET}
            -- ${ARG_CLANG_ARGS}
    # gotramp leaves unchanged files untouched; touch them so the build sees
    # the outputs as up to date.
    COMMAND ${CMAKE_COMMAND} -E touch_nocreate ${outputs}
    DEPENDS ${ARG_TARGET} ${headers} ${config} gotramp::gotramp
    WORKING_DIRECTORY "${out}"
    COMMENT "gotramp: generating Go package ${ARG_PACKAGE} in ${out}"
    VERBATIM)
  add_custom_target(${ARG_PACKAGE}_go_package ALL DEPENDS ${outputs})
endfunction()

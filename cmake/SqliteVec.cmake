# sqlite-vec 0.1.9 (vec0.so) comes from the npm package sqlite-vec-linux-x64, which
# scripts/setup.sh (or this file, when npm is on PATH) unpacks into third_party/sqlite-vec/.
# The build copies it beside the jack binary, where cli.md says it is looked for.
set(JACK_VEC_VERSION 0.1.9)
set(JACK_VEC_DIR ${CMAKE_SOURCE_DIR}/third_party/sqlite-vec)
set(JACK_VEC_SO ${JACK_VEC_DIR}/vec0.so)
if(NOT EXISTS ${JACK_VEC_SO})
  find_program(NPM_PROGRAM npm)
  if(NPM_PROGRAM)
    message(STATUS "Fetching sqlite-vec-linux-x64@${JACK_VEC_VERSION} with npm")
    file(MAKE_DIRECTORY ${JACK_VEC_DIR}/pack)
    execute_process(
      COMMAND ${NPM_PROGRAM} pack --silent sqlite-vec-linux-x64@${JACK_VEC_VERSION}
      WORKING_DIRECTORY ${JACK_VEC_DIR}/pack RESULT_VARIABLE npm_rc OUTPUT_QUIET)
    file(GLOB vec_tgz ${JACK_VEC_DIR}/pack/*.tgz)
    if(npm_rc EQUAL 0 AND vec_tgz)
      file(ARCHIVE_EXTRACT INPUT ${vec_tgz} DESTINATION ${JACK_VEC_DIR}/pack)
      file(COPY_FILE ${JACK_VEC_DIR}/pack/package/vec0.so ${JACK_VEC_SO})
    endif()
    file(REMOVE_RECURSE ${JACK_VEC_DIR}/pack)
  endif()
endif()
if(NOT EXISTS ${JACK_VEC_SO})
  message(WARNING "vec0.so not found in ${JACK_VEC_DIR}: run scripts/setup.sh, or set "
                  "JACK_SQLITE_VEC_PATH when running jack")
endif()

function(jack_copy_vec0 target)
  if(EXISTS ${JACK_VEC_SO})
    add_custom_command(TARGET ${target} POST_BUILD
      COMMAND ${CMAKE_COMMAND} -E copy_if_different ${JACK_VEC_SO} $<TARGET_FILE_DIR:${target}>/vec0.so
      VERBATIM)
  endif()
endfunction()

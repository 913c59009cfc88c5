# generated/build_info.h for `meshlint --version` (src/cli/version.cpp): the
# commit, rewritten at every build by cmake/BuildInfo.cmake, and what the
# binary was built with. yaml-cpp's and Boost's CMake packages give their
# versions; RE2's pkg-config file says 0.0.0 on Debian 12, so the version is
# that of the Debian package shipping the library, asked of dpkg-query.
set(MESHLINT_RE2_VERSION_TEXT "${RE2_VERSION}")
find_program(MESHLINT_DPKG_QUERY dpkg-query)
if(MESHLINT_STATIC)
  set(re2_file "${MESHLINT_RE2_A}")
else()
  list(GET RE2_LINK_LIBRARIES 0 re2_file)
endif()
if(MESHLINT_DPKG_QUERY AND re2_file AND EXISTS "${re2_file}")
  file(REAL_PATH "${re2_file}" re2_real)
  execute_process(COMMAND ${MESHLINT_DPKG_QUERY} -S "${re2_real}"
                  OUTPUT_VARIABLE re2_owner RESULT_VARIABLE failed ERROR_QUIET)
  if(NOT failed AND re2_owner MATCHES "^([^:, ]+)")
    set(re2_package "${CMAKE_MATCH_1}")
    execute_process(COMMAND ${MESHLINT_DPKG_QUERY} -W "-f=\${Version}" "${re2_package}"
                    OUTPUT_VARIABLE re2_version RESULT_VARIABLE failed ERROR_QUIET)
    if(NOT failed AND re2_version)
      set(MESHLINT_RE2_VERSION_TEXT "${re2_version} (Debian ${re2_package})")
    endif()
  endif()
endif()
if(MESHLINT_STATIC)
  set(linkage "static (only glibc shared)")
else()
  set(linkage "shared")
endif()

set(MESHLINT_BUILD_INFO_H ${CMAKE_BINARY_DIR}/generated/build_info.h)
add_custom_target(meshlint_build_info
  COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${CMAKE_SOURCE_DIR} -DOUT=${MESHLINT_BUILD_INFO_H}
          "-DBUILD_TYPE=${CMAKE_BUILD_TYPE}" "-DYAML_CPP_VERSION=${yaml-cpp_VERSION}"
          "-DRE2_VERSION=${MESHLINT_RE2_VERSION_TEXT}" "-DBOOST_VERSION=${Boost_VERSION_STRING}"
          "-DJSON_VERSION=${nlohmann_json_VERSION}"
          "-DCOMPILER=${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER_VERSION}"
          "-DSTATIC=${linkage}"
          -P ${CMAKE_SOURCE_DIR}/cmake/BuildInfo.cmake
  BYPRODUCTS ${MESHLINT_BUILD_INFO_H}
  VERBATIM)
add_dependencies(meshlint_cli meshlint_build_info)
target_include_directories(meshlint_cli PRIVATE ${CMAKE_BINARY_DIR}/generated)

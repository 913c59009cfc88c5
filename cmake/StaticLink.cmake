# MESHLINT_YAML_CPP and MESHLINT_RE2 name what the meshlint libraries link:
# the shared libraries of the Debian packages, or with MESHLINT_STATIC the
# .a files the same -dev packages ship, so that the binary needs only glibc
# (and runs on other distributions with a glibc at least as new). Boost
# follows Boost_USE_STATIC_LIBS, set before find_package(Boost).
if(NOT MESHLINT_STATIC)
  set(MESHLINT_YAML_CPP yaml-cpp)
  set(MESHLINT_RE2 PkgConfig::RE2)
  return()
endif()

if(MESHLINT_SANITIZE)
  message(FATAL_ERROR "MESHLINT_STATIC and MESHLINT_SANITIZE exclude each other")
endif()
find_package(Threads REQUIRED)
find_library(MESHLINT_YAML_CPP_A NAMES libyaml-cpp.a REQUIRED)
find_library(MESHLINT_RE2_A NAMES libre2.a REQUIRED)

add_library(meshlint_static_yaml_cpp INTERFACE)
target_link_libraries(meshlint_static_yaml_cpp INTERFACE ${MESHLINT_YAML_CPP_A})
get_target_property(yaml_include yaml-cpp INTERFACE_INCLUDE_DIRECTORIES)
if(yaml_include)
  target_include_directories(meshlint_static_yaml_cpp INTERFACE ${yaml_include})
endif()
add_library(meshlint_static_re2 INTERFACE)
target_link_libraries(meshlint_static_re2 INTERFACE ${MESHLINT_RE2_A} Threads::Threads)
target_include_directories(meshlint_static_re2 INTERFACE ${RE2_INCLUDE_DIRS})
set(MESHLINT_YAML_CPP meshlint_static_yaml_cpp)
set(MESHLINT_RE2 meshlint_static_re2)

add_link_options(-static-libstdc++ -static-libgcc)

# lodestone_add_library(NAME x HDRS ... SRCS ... DEPS ...) -> lodestone_x, alias lodestone::x
function(lodestone_add_library)
  cmake_parse_arguments(ARG "" "NAME" "HDRS;SRCS;DEPS" ${ARGN})
  set(target lodestone_${ARG_NAME})
  add_library(${target} STATIC ${ARG_SRCS} ${ARG_HDRS})
  add_library(lodestone::${ARG_NAME} ALIAS ${target})
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_compile_options(${target} PRIVATE ${LODE_WARNINGS})
  target_link_libraries(${target} PUBLIC ${ARG_DEPS})
endfunction()

# lodestone_add_test(NAME x SRCS ... DEPS ... LABELS ... [CONCURRENT FILTER]) -> a GoogleTest binary
# registered with ctest. CONCURRENT gives the tests that the GoogleTest FILTER selects ("*" for all)
# the label `concurrent` too: they run threads, and the `tsan` test preset runs them under
# ThreadSanitizer. The binary then joins the target `concurrent_tests` (tests/CMakeLists.txt), the
# only one `make test` builds in the tsan tree.
function(lodestone_add_test)
  cmake_parse_arguments(ARG "" "NAME;TIMEOUT;CONCURRENT" "SRCS;DEPS;LABELS" ${ARGN})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 1500)
  endif()
  add_executable(${ARG_NAME} ${ARG_SRCS})
  target_compile_options(${ARG_NAME} PRIVATE ${LODE_TEST_WARNINGS})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  target_compile_definitions(${ARG_NAME} PRIVATE
    LODE_SOURCE_DIR="${PROJECT_SOURCE_DIR}" LODE_BINARY_DIR="${PROJECT_BINARY_DIR}")
  include(GoogleTest)
  if(NOT DEFINED ARG_CONCURRENT)
    gtest_discover_tests(${ARG_NAME} PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT ${ARG_TIMEOUT} DISCOVERY_TIMEOUT 60)
    return()
  endif()
  add_dependencies(concurrent_tests ${ARG_NAME})
  gtest_discover_tests(${ARG_NAME} TEST_FILTER "${ARG_CONCURRENT}"
    PROPERTIES LABELS "${ARG_LABELS};concurrent" TIMEOUT ${ARG_TIMEOUT} DISCOVERY_TIMEOUT 60)
  if(NOT ARG_CONCURRENT STREQUAL "*")
    gtest_discover_tests(${ARG_NAME} TEST_FILTER "-${ARG_CONCURRENT}"
      PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT ${ARG_TIMEOUT} DISCOVERY_TIMEOUT 60)
  endif()
endfunction()

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
  # Labels are set by a file ctest reads after the discovered tests: gtest_discover_tests(PROPERTIES
  # LABELS "a;b") flattens the list (CMake 3.25), which gave such tests the label `a` only.
  set(labels_file ${CMAKE_CURRENT_BINARY_DIR}/${ARG_NAME}_labels.cmake)
  set(groups all)
  set(filter_all "*")
  set(labels_all "${ARG_LABELS}")
  if(DEFINED ARG_CONCURRENT)
    add_dependencies(concurrent_tests ${ARG_NAME})
    set(filter_all "${ARG_CONCURRENT}")
    list(APPEND labels_all concurrent)
    if(NOT ARG_CONCURRENT STREQUAL "*")
      list(APPEND groups rest)
      set(filter_rest "-${ARG_CONCURRENT}")
      set(labels_rest "${ARG_LABELS}")
    endif()
  endif()
  set(script "")
  foreach(g ${groups})
    gtest_discover_tests(${ARG_NAME} TEST_FILTER "${filter_${g}}" TEST_LIST ${ARG_NAME}_${g}_tests
      PROPERTIES TIMEOUT ${ARG_TIMEOUT} DISCOVERY_TIMEOUT 60)
    string(APPEND script "if(${ARG_NAME}_${g}_tests)\n"
      "  set_tests_properties(\${${ARG_NAME}_${g}_tests} PROPERTIES LABELS \"${labels_${g}}\")\nendif()\n")
  endforeach()
  file(WRITE ${labels_file} "${script}")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${labels_file})
endfunction()

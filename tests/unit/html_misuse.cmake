# html::Html: each way of putting unescaped text into HTML in html_misuse.cpp must fail to compile,
# with its error on its own line (file:line: ... error, as GCC and Clang print it); case 0 compiles.
file(STRINGS ${CMAKE_CURRENT_SOURCE_DIR}/html_misuse.cpp html_misuse_lines)
set(html_misuse_line 0)
set(html_misuse_case 0)
foreach(line IN LISTS html_misuse_lines)
  math(EXPR html_misuse_line "${html_misuse_line} + 1")
  if(html_misuse_case GREATER 0)  # the line after "#if/#elif LODE_CASE == N" is case N's
    set(html_misuse_at_${html_misuse_case} ${html_misuse_line})
    set(html_misuse_case 0)
  endif()
  if(line MATCHES "LODE_CASE == ([0-9]+)")
    set(html_misuse_case ${CMAKE_MATCH_1})
    list(APPEND html_misuse_cases ${CMAKE_MATCH_1})
  endif()
endforeach()
foreach(case 0 ${html_misuse_cases})
  add_test(NAME build.html_misuse_${case}
    COMMAND ${CMAKE_CXX_COMPILER} -std=c++20 -fsyntax-only -DLODE_CASE=${case} -I${PROJECT_SOURCE_DIR}/src
            "-I$<JOIN:$<TARGET_PROPERTY:fmt::fmt,INTERFACE_INCLUDE_DIRECTORIES>,;-I>"
            ${CMAKE_CURRENT_SOURCE_DIR}/html_misuse.cpp
    COMMAND_EXPAND_LISTS)
  if(case EQUAL 0)
    set_tests_properties(build.html_misuse_${case} PROPERTIES LABELS unit)
  else()
    set_tests_properties(build.html_misuse_${case} PROPERTIES LABELS unit
      PASS_REGULAR_EXPRESSION "html_misuse.cpp:${html_misuse_at_${case}}:[0-9:]* *error")
  endif()
endforeach()

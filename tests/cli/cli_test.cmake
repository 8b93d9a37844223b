# lodestone_cli_test(NAME [EXIT CODE] [PASS REGEX] [FAIL REGEX] COMMAND ... [LABELS ...]) -> the test
# cli.NAME, labelled `cli` and LABELS (`concurrent`: run under ThreadSanitizer by the tsan preset;
# `smoke`: run on the release build by the release preset). run_cli.py runs the
# command and checks its exit code (0 unless EXIT says otherwise; a non-zero exit must come with a
# message on stderr) as well as the regexes. CTest's PASS_REGULAR_EXPRESSION alone would ignore the
# exit code, so a run that prints the right text and then fails (a sanitizer report) would pass.
# Pipelines run under `bash -o pipefail` so the exit code of lodestone is not lost in the pipe.
# PARSE_ARGV keeps a ';' inside a regex (plain ${ARGN} would split the regex there); it is passed
# on as \x3b, which Python's re reads as ';', since a ';' would split the test's command line.
function(lodestone_cli_test name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "EXIT;PASS;FAIL" "COMMAND;LABELS")
  if(NOT DEFINED ARG_EXIT)
    set(ARG_EXIT 0)
  endif()
  set(checks --exit ${ARG_EXIT})
  foreach(kind PASS FAIL)
    if(DEFINED ARG_${kind})
      string(REPLACE "\\;" "\\x3b" re "${ARG_${kind}}")
      string(REPLACE ";" "\\x3b" re "${re}")
      string(TOLOWER ${kind} flag)
      list(APPEND checks "--${flag}=${re}")  # one argument: a regex may start with "--"
    endif()
  endforeach()
  set(labels cli ${ARG_LABELS})
  add_test(NAME cli.${name}
    COMMAND python3 ${PROJECT_SOURCE_DIR}/tests/cli/run_cli.py ${checks} -- ${ARG_COMMAND})
  set_tests_properties(cli.${name} PROPERTIES LABELS "${labels}")
endfunction()

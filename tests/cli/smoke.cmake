# The release smoke set (label `smoke`): the main jobs of the CLI on the embedded dataset, a few
# seconds in all on a release build. `ctest --preset release` runs them on build/release (what
# `make run` builds and users get); in the developer tree they run with every other test. Each
# checks the exit code of every lodestone it starts. Included from tests/cli/CMakeLists.txt (LODE,
# SRC, lodestone_cli_test), also in a release tree, which builds no test binary: keep this set to
# tests of the lodestone binary with scripts.
set(SCN ${SRC}/data/scenarios)
lodestone_cli_test(version COMMAND ${LODE} --version PASS "^${PROJECT_VERSION}" LABELS smoke)
# The brief: terminal summary, JSON and the self-contained HTML agree (40 scenario runs).
lodestone_cli_test(brief_outputs_agree COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/check_brief.py ${LODE}
  ${CMAKE_CURRENT_BINARY_DIR}/brief PASS "brief ok" LABELS smoke)
lodestone_cli_test(assess_end_to_end COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/check_assess.py ${LODE} ${SRC}
  LABELS smoke)
# A curated scenario by id, from a folder without data/scenarios: the copy compiled in; same numbers as the file.
lodestone_cli_test(simulate_curated_id COMMAND sh -c "cd / && ${LODE} simulate cn_gagesb_us_ban_lapse --runs 3 --horizon 8 --format csv > ${CMAKE_CURRENT_BINARY_DIR}/by_id.csv && ${LODE} simulate ${SCN}/cn_gagesb_us_ban_lapse.toml --runs 3 --horizon 8 --format csv > ${CMAKE_CURRENT_BINARY_DIR}/by_file.csv && cmp ${CMAKE_CURRENT_BINARY_DIR}/by_id.csv ${CMAKE_CURRENT_BINARY_DIR}/by_file.csv && echo same"
  PASS "^same" LABELS smoke)
# The look-through of every example BOM of data/examples.
lodestone_cli_test(lookthrough_examples COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/lookthrough_cli.sh ${LODE} ${SRC} examples
  PASS "examples ok" LABELS smoke)
# `lodestone serve` as a user runs it: a random loopback port, the API answers the same JSON as the
# CLI, the token, refusals at start and a clean SIGTERM stop.
if(LODE_BUILD_SERVER)
  add_test(NAME api.serve_e2e
    COMMAND python3 ${PROJECT_SOURCE_DIR}/tests/api/serve_e2e.py ${LODE} ${SRC})
  set_tests_properties(api.serve_e2e PROPERTIES LABELS "cli;smoke" TIMEOUT 180)
endif()

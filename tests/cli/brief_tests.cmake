# `lodestone brief` (docs/brief.md): included from tests/cli/CMakeLists.txt.
lodestone_cli_test(brief_outputs_agree COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/check_brief.py ${LODE}
  ${CMAKE_CURRENT_BINARY_DIR}/brief PASS "brief ok")
lodestone_cli_test(brief_headline COMMAND ${LODE} brief --no-html --format table
  PASS "CN-2024-046-2 .* binds again from 2026-11-28")
lodestone_cli_test(brief_unknown_perspective COMMAND ${EXPECT_EXIT} 2 ${LODE} brief --no-html --perspective XYZ
  PASS "perspective 'XYZ' is not an ISO3 country code or a bloc of the dataset \\(E-UNKNOWN-PERSPECTIVE\\)")
lodestone_cli_test(brief_bad_date COMMAND ${EXPECT_EXIT} 2 ${LODE} brief --no-html --as-of 2026-13-01
  PASS "--as-of: expected a date YYYY-MM-DD, got '2026-13-01'")
lodestone_cli_test(brief_csv_refused COMMAND ${EXPECT_EXIT} 2 ${LODE} brief --no-html --format csv
  PASS "brief prints a table summary or json, not csv")
lodestone_cli_test(brief_bloc_perspective COMMAND ${LODE} brief --no-html --perspective EU --format table
  PASS "perspective EU \\(bloc of [0-9]+ countries\\)")
lodestone_cli_test(brief_unwritable_out COMMAND ${EXPECT_EXIT} 2 ${LODE} brief --out /proc/nonexistent/brief.html
  PASS "--out: cannot write '/proc/nonexistent/brief.html'")
# A BOM from data/examples: its look-through in the terminal summary and in the HTML.
lodestone_cli_test(brief_bom COMMAND ${LODE} brief --no-html --bom ${SRC}/data/examples/ev_traction_motor.csv --format table
  PASS "BOM exposure: .*ev_traction_motor.csv.*EV traction motor +dysprosium +[0-9.]+ +separation +CHN")

# `lodestone brief` (docs/brief.md): included from tests/cli/CMakeLists.txt.
lodestone_cli_test(brief_headline COMMAND ${LODE} brief --no-html --scenario-runs 0 --format table --as-of 2026-11-27
  PASS "CN-2024-046-2 .* binds again from 2026-11-28")
lodestone_cli_test(brief_unknown_perspective EXIT 2 COMMAND ${LODE} brief --no-html --scenario-runs 0 --perspective XYZ
  PASS "--perspective: unknown country or bloc 'XYZ'.* \\(E-UNKNOWN-PERSPECTIVE\\)")
lodestone_cli_test(brief_bad_date EXIT 2 COMMAND ${LODE} brief --no-html --scenario-runs 0 --as-of 2026-13-01
  PASS "--as-of: expected a date YYYY-MM-DD, got '2026-13-01'")
# --help offers csv, and csv works: one of the brief's tables (default: the measures in force).
lodestone_cli_test(brief_csv_one_table COMMAND ${LODE} brief --no-html --scenario-runs 0 --format csv --as-of 2026-11-27
  PASS "(^|\n)id,title,country,kind,materials,destinations,since,until,touches_USA\n")
lodestone_cli_test(brief_csv_upcoming COMMAND ${LODE} brief --no-html --scenario-runs 0 --format csv --table upcoming --as-of 2026-11-27
  PASS "(^|\n)date,in,change,measure,country,kind,materials,cause,touches_USA\n2026-11-28,1,resumed,CN-2024-046-2,")
lodestone_cli_test(brief_bloc_perspective COMMAND ${LODE} brief --no-html --scenario-runs 0 --perspective EU --format table
  PASS "perspective EU \\(bloc of [0-9]+ countries\\)")
lodestone_cli_test(brief_unwritable_out EXIT 2 COMMAND ${LODE} brief --scenario-runs 0 --out /proc/nonexistent/brief.html
  PASS "--out: cannot write '/proc/nonexistent/brief.html'")
# A BOM from data/examples: its look-through in the terminal summary and in the HTML.
lodestone_cli_test(brief_bom COMMAND ${LODE} brief --no-html --scenario-runs 0 --bom ${SRC}/data/examples/ev_traction_motor.csv --format table
  PASS "BOM exposure: .*ev_traction_motor.csv.*EV traction motor +dysprosium +[0-9.]+ +separation +CHN")
lodestone_cli_test(brief_unknown_scenario EXIT 2 COMMAND ${LODE} brief --no-html --scenario nope
  PASS "--scenario: no curated scenario 'nope'; expected one of cn_2010_ree_export_quota, ")
lodestone_cli_test(brief_scenario_ranked_without_runs COMMAND ${LODE} brief --no-html --scenario-runs 0 --as-of 2026-11-27
  PASS "Scenario: not available: the scenario was not run \\(--scenario-runs 0\\); run it with `lodestone simulate cn_gagesb_us_ban_lapse --out runs/cn_gagesb_us_ban_lapse`")
# The BOM's exposure to the headline scenario: the numbers of `lodestone exposure` with the same
# scenario, runs and seed, in the JSON, the terminal, the CSV table and the HTML (escaped).
lodestone_cli_test(brief_bom_exposure COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/check_brief_exposure.py ${LODE} ${SRC}
  ${CMAKE_CURRENT_BINARY_DIR}/brief_exposure PASS "brief exposure ok")
lodestone_cli_test(brief_bad_pass_through EXIT 2 COMMAND ${LODE} brief --no-html --scenario-runs 0 --pass-through 1.5
  PASS "--pass-through: expected a share in \\[0,1\\] \\(E-USAGE\\)")
# Every user-controlled string that reaches the HTML (dataset folder, scenario TOMLs, BOM, their
# paths) carries script and markup payloads; the HTML shows each as text, has one <script> (the
# JSON) and no element or on* attribute from them (docs/brief.md, "HTML safety").
lodestone_cli_test(brief_html_payloads COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/check_brief_payloads.py ${LODE}
  ${SRC} ${CMAKE_CURRENT_BINARY_DIR}/brief_payloads PASS "brief payloads ok")

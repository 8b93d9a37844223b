# What a new user meets in the first hour: typos and ids, the date asked vs the data's date, one
# CSV table per invocation, the README tour as written, and an installed layout that serves the
# dashboard. Included from tests/cli/CMakeLists.txt (LODE, SRC, lodestone_cli_test).

# Typos: the nearest command, option values case-folded or named, suggestions with exit 2.
lodestone_cli_test(typo_command EXIT 2 COMMAND ${LODE} assesss
  PASS "unknown command 'assesss'; did you mean assess\\?")
lodestone_cli_test(perspective_lower_case COMMAND ${LODE} assess --perspective eu --material gallium --format csv
  PASS "(^|\n)rank,material,")
lodestone_cli_test(perspective_usa_lower_case COMMAND ${LODE} brief --perspective usa --no-html --scenario-runs 0
  PASS "perspective USA \\(United States\\)")
lodestone_cli_test(perspective_country_name COMMAND ${LODE} brief --perspective Germany --no-html --scenario-runs 0
  PASS "perspective DEU \\(Germany\\)")
lodestone_cli_test(material_suggestion EXIT 2 COMMAND ${LODE} lookthrough --material galium --country USA
  PASS "--material: unknown material 'galium'; did you mean gallium\\? \\(materials: [a-z_, ]*gallium")
lodestone_cli_test(leverage_supplier_name COMMAND ${LODE} leverage --supplier China --target usa --format csv
  PASS "CHN")
lodestone_cli_test(leverage_unknown_supplier_names_option EXIT 2 COMMAND ${LODE} leverage --supplier Chna --target USA
  PASS "--supplier: unknown country or bloc 'Chna'; did you mean CHN \\(China\\)\\?")
lodestone_cli_test(leverage_top_zero EXIT 2 COMMAND ${LODE} leverage --target USA --top 0
  PASS "--top: Value 0 not in range 1 to 1000")

# Dates: default today (LODESTONE_TODAY pins it), the data's age said on stderr and in the brief.
lodestone_cli_test(as_of_default_today COMMAND sh -c
  "LODESTONE_TODAY=2026-12-04 ${LODE} policies --no-workspace --format csv 2>&1 >/dev/null"
  PASS "note: data as of 2026-11-27, 7 days before the date asked \\(2026-12-04\\)")
lodestone_cli_test(as_of_default_today_json COMMAND sh -c
  "LODESTONE_TODAY=2026-12-04 ${LODE} policies --no-workspace --format json 2>/dev/null | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"as_of\"]==\"2026-12-04\", d[\"as_of\"]; print(\"as_of\", d[\"as_of\"])'"
  PASS "as_of 2026-12-04")
lodestone_cli_test(as_of_brief_says_age COMMAND sh -c
  "LODESTONE_TODAY=2027-01-15 ${LODE} brief --no-html --scenario-runs 0"
  PASS "as of 2027-01-15.*Note: data as of 2026-11-27, 49 days before the date asked")
lodestone_cli_test(as_of_bad_today EXIT 2 COMMAND sh -c
  "LODESTONE_TODAY=yesterday ${LODE} policies --no-workspace"
  PASS "LODESTONE_TODAY: expected a date YYYY-MM-DD, got 'yesterday'")

# CSV: one tidy table per invocation, every command.
lodestone_cli_test(csv_one_table COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/csv_one_table.py ${LODE} ${SRC}
  ${CMAKE_CURRENT_BINARY_DIR}/csv_one_table PASS "csv one table ok")
set_tests_properties(cli.csv_one_table PROPERTIES LABELS "cli;slow")

if(LODE_BUILD_SERVER)
  # The README's tour, every command as written (the server ones on a free loopback port).
  lodestone_cli_test(readme_tour COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/readme_tour.py ${LODE} ${SRC}
    PASS "README tour ok")
  set_tests_properties(cli.readme_tour PROPERTIES LABELS "cli;slow" TIMEOUT 3600)
  # cmake --install into a temporary prefix gives a binary that serves the dashboard.
  lodestone_cli_test(install_serves_dashboard COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/install_layout.sh
    ${PROJECT_BINARY_DIR} ${CMAKE_CURRENT_BINARY_DIR}/install_prefix ${SRC} PASS "install layout ok")
  set_tests_properties(cli.install_serves_dashboard PROPERTIES LABELS "cli;slow" SKIP_RETURN_CODE 77)
endif()

# A BOM supplier buys the material in its country: its origins are that country's look-through.
lodestone_cli_test(bom_lookthrough_is_supplier_country_supply COMMAND python3
  ${CMAKE_CURRENT_SOURCE_DIR}/check_bom_lookthrough.py ${LODE} ${SRC}/data/examples/gan_radar_module.csv
  ${SRC}/data/examples/ev_traction_motor.csv ${SRC}/data/examples/germanium_ir_optics.csv
  ${SRC}/data/examples/munitions_line.csv PASS "bom look-through ok")

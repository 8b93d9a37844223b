# CLI tests of `lodestone assess` and `lodestone leverage` (issue 3). Included from CMakeLists.txt.
lodestone_cli_test(assess_table COMMAND ${LODE} assess --format table --material gallium --material rare_earths
  PASS "Criticality panel.*rank_spread.*Method agreement")
lodestone_cli_test(assess_csv_header COMMAND ${LODE} assess --format csv --material gallium
  PASS "^rank,material,stage,year,world_tonnes,hhi,hhi_10k,cr1,cr3,top_country,top_share,")
lodestone_cli_test(assess_single_method COMMAND ${LODE} assess --format table --method geopolrisk
  PASS "geopolrisk" FAIL "rank_eu|Method agreement")
lodestone_cli_test(assess_by_stage_table COMMAND ${LODE} assess --format table --by-stage --material rare_earths
  PASS "rare_earths +mine.*rare_earths +separation|rare_earths +separation.*rare_earths +mine")
lodestone_cli_test(assess_unknown_perspective EXIT 2 COMMAND ${LODE} assess --perspective XYZ
  PASS "--perspective: unknown country or bloc 'XYZ' \\(an ISO3 code or country name of the dataset's countries.csv, or a bloc: .*\\) \\(E-UNKNOWN-PERSPECTIVE\\)")
lodestone_cli_test(assess_unknown_material EXIT 2 COMMAND ${LODE} assess --material unobtainium --material tin
  PASS "unknown material 'unobtainium' \\(materials: [^)]*\\) \\(E-UNKNOWN-MATERIAL\\).*unknown material 'tin' \\(materials: [^)]*\\) \\(E-UNKNOWN-MATERIAL\\)")
lodestone_cli_test(assess_unknown_stage EXIT 2 COMMAND ${LODE} assess --material gallium --stage mine
  PASS "material 'gallium' has no stage 'mine' \\(E-UNKNOWN-STAGE\\)")
lodestone_cli_test(assess_bad_ev EXIT 2 COMMAND ${LODE} assess --ev gallium --ev germanium=x
  PASS "--ev: expected MATERIAL=NUMBER, got 'gallium' \\(E-USAGE\\).*got 'germanium=x'")
lodestone_cli_test(assess_ev_out_of_range EXIT 2 COMMAND ${LODE} assess --material gallium --ev gallium=1.5
  PASS "--ev: expected a number in \\[0, 1\\] for gallium, got 'gallium=1.5' \\(E-USAGE\\)")
lodestone_cli_test(assess_ev_unknown_or_twice EXIT 2 COMMAND ${LODE} assess --ev galium=0.5 --ev Gallium=0.2 --ev gallium=0.3
  PASS "unknown material 'galium' in 'galium=0.5'; did you mean gallium\\? .*\\(E-UNKNOWN-MATERIAL\\).*--ev: gallium given twice \\('Gallium=0.2' and 'gallium=0.3'\\) \\(E-USAGE\\)")
lodestone_cli_test(assess_missing_methods_file EXIT 2 COMMAND ${LODE} assess --methods /nonexistent.toml
  PASS "--methods: cannot read '/nonexistent.toml' \\(E-FILE-MISSING\\)")
lodestone_cli_test(leverage_pair_table COMMAND ${LODE} leverage --supplier CHN --target USA --format table
  PASS "Leverage of CHN over USA.*Reverse: USA over CHN.*Leverage totals")
# The US National Defense Stockpile (stockpiles.csv) lowers CHN's leverage over the USA on bismuth from its date on.
lodestone_cli_test(leverage_counts_nds_stock COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/leverage_stock.py ${LODE}
  PASS "leverage stock ok")
# assess --perspective EU against the EU 2023 assessment (docs/methods.md, validation table).
lodestone_cli_test(assess_eu_matches_eu_2023 COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/eu_validation.py ${LODE} ${SRC}
  PASS "eu validation ok")
lodestone_cli_test(assess_eu_product_stages COMMAND ${LODE} assess --perspective EU --material rare_earths --by-stage --product-stages --format csv
  PASS ",rare_earths,magnet,")
lodestone_cli_test(leverage_top_csv COMMAND ${LODE} leverage --target USA --top 3 --format csv
  PASS "^rank,supplier,name,leverage,reverse,net,top_material,top_leverage\n1,CHN,")
lodestone_cli_test(leverage_overlap EXIT 2 COMMAND ${LODE} leverage --supplier EU --target DEU
  PASS "supplier 'EU' and target 'DEU' share the member DEU: leverage is between disjoint parties \\(E-USAGE\\)")
lodestone_cli_test(leverage_top_with_supplier EXIT 2 COMMAND ${LODE} leverage --supplier CHN --target USA --top 3
  PASS "--top ranks every supplier of --target: drop --supplier or --top \\(E-USAGE\\)")
lodestone_cli_test(leverage_unknown_target EXIT 2 COMMAND ${LODE} leverage --target XYZ
  PASS "--target: unknown country or bloc 'XYZ'.*\\(E-UNKNOWN-COUNTRY\\)")

# Report tests (owned by report/): unit tests on hand-made model trees,
# golden text/markdown/JSON outputs for the corpus, and the HTML page in
# headless Chromium.
ps_add_unit(test_report_units SOURCES test_report_units.c
            LIBS ps_report ps_abi ps_parse ps_base m)
target_include_directories(test_report_units PRIVATE ${PROJECT_SOURCE_DIR}/report)

# Report tests (owned by report/): unit tests on hand-made model trees,
# golden text/markdown/JSON outputs for the corpus, and the HTML page in
# headless Chromium.
ps_add_unit(test_report_units SOURCES test_report_units.c
            LIBS ps_report ps_abi ps_parse ps_base m)
target_include_directories(test_report_units PRIVATE ${PROJECT_SOURCE_DIR}/report)

find_package(Python3 REQUIRED COMPONENTS Interpreter)

# On the reports corpus_walk wrote (tests/corpus.cmake): groups partition
# the goroutines and match an independent Python grouping on every corpus
# log; all formats are non-empty; SIGQUIT reports fit 200 lines.
add_test(NAME report_corpus_groups
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/report/check_groups.py
          $<TARGET_FILE:panicscope> ${PROJECT_SOURCE_DIR} ${PS_WALK_DIR})
set_tests_properties(report_corpus_groups PROPERTIES FIXTURES_REQUIRED corpus_walk
  TIMEOUT 600)

# Golden text and Markdown reports of the reviewed golden set, and the
# walk's five reports equal to the command's on it (tests/update-goldens.sh
# regenerates the goldens).
add_test(NAME report_goldens
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/report/goldens.py
          $<TARGET_FILE:panicscope> ${PROJECT_SOURCE_DIR} ${PS_WALK_DIR})
set_tests_properties(report_goldens PROPERTIES FIXTURES_REQUIRED corpus_walk TIMEOUT 600)

# The HTML page in headless Chromium, up to 100,000 goroutines.
add_test(NAME report_html_browser
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/report/html_test.py
          $<TARGET_FILE:panicscope> ${PROJECT_SOURCE_DIR})
set_tests_properties(report_html_browser PROPERTIES TIMEOUT 600 COST 35)

# Issue 9: a 100,002-goroutine dump with one mutex-contention site, made at
# test time by corpus/programs/mutex_contention (Go on PATH, scripts/setup).
add_test(NAME report_mutex_contention
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/report/mutex_contention.py
          $<TARGET_FILE:panicscope> ${PROJECT_SOURCE_DIR})
set_tests_properties(report_mutex_contention PROPERTIES TIMEOUT 300 COST 20)

# Issue 9: text, Markdown and HTML show exactly the JSON's headline,
# summary and warnings, for every corpus log (the walk's reports) and for
# a mismatching binary.
add_test(NAME report_formats_agree
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/report/formats_agree.py
          $<TARGET_FILE:panicscope> ${PROJECT_SOURCE_DIR} ${PS_WALK_DIR})
set_tests_properties(report_formats_agree PROPERTIES FIXTURES_REQUIRED corpus_walk
  TIMEOUT 600)

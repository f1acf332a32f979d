# Report tests (owned by report/): unit tests on hand-made model trees,
# golden text/markdown/JSON outputs for the corpus, and the HTML page in
# headless Chromium.
ps_add_unit(test_report_units SOURCES test_report_units.c
            LIBS ps_report ps_abi ps_parse ps_base m)
target_include_directories(test_report_units PRIVATE ${PROJECT_SOURCE_DIR}/report)
# Issue 12: the parser's hand-out of finished dumps and the report written
# one dump at a time, byte for byte the whole document's.
ps_add_unit(test_report_stream SOURCES test_report_stream.c
            LIBS ps_report ps_abi ps_parse ps_base m)

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

# Issue 14 item 6: stacks of 6,000 frames, too long for the text writer to
# hold, laid out twice: every location column where the whole stack puts
# it, grouped and with --all.
add_test(NAME report_long_stack
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/report/long_stack.py
          $<TARGET_FILE:panicscope> ${CMAKE_CURRENT_BINARY_DIR}/long-stack)

# The HTML page in headless Chromium, up to 100,000 goroutines.
add_test(NAME report_html_browser
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/report/html_test.py
          $<TARGET_FILE:panicscope> ${PROJECT_SOURCE_DIR})
set_tests_properties(report_html_browser PROPERTIES TIMEOUT 600 COST 35)

# Issue 9: a 100,002-goroutine dump with one mutex-contention site, made at
# test time by corpus/programs/mutex_contention (Go on PATH, scripts/setup).
# The sanitizer builds replay the normal build's dumps (PS_REPLAY).
add_test(NAME report_mutex_contention
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/report/mutex_contention.py
          $<TARGET_FILE:panicscope> ${PROJECT_SOURCE_DIR} ${PS_REPLAY})
set_tests_properties(report_mutex_contention PROPERTIES TIMEOUT 300 COST 20)

# Issue 9: text, Markdown and HTML show exactly the JSON's headline,
# summary and warnings, for every corpus log (the walk's reports) and for
# a mismatching binary.
add_test(NAME report_formats_agree
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/report/formats_agree.py
          $<TARGET_FILE:panicscope> ${PROJECT_SOURCE_DIR} ${PS_WALK_DIR})
set_tests_properties(report_formats_agree PROPERTIES FIXTURES_REQUIRED corpus_walk
  TIMEOUT 600)

# Issue 12: a file of 6 dumps of 100,000 goroutines peaks within 2x of one
# dump (text and JSON, file and pipe), every dump still in the report, and
# --stream writes dump 1 before the input ends.  A memory bound, measured
# with GNU time (scripts/setup), not a timing.
# Not in the sanitizer builds: shadow memory is no measure of the report's
# (test_report_stream checks the streaming itself there).
if(NOT PS_SANITIZE)
  add_test(NAME report_stream_memory
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/report/stream_memory.py
            $<TARGET_FILE:panicscope>)
  set_tests_properties(report_stream_memory PROPERTIES TIMEOUT 300 COST 20)
endif()

# Triage tests (owned by triage/ and cli/triage.c): units on the signature
# rules, the corpus test set, merge/parallel, memory, the HTML page in
# headless Chromium, progress on a terminal, the history from the command.
ps_add_unit(test_triage_units SOURCES test_triage_units.c LIBS ps_triage ps_parse ps_base)

find_package(Python3 REQUIRED COMPONENTS Interpreter)
foreach(mode clusters merge memory)
  add_test(NAME triage_${mode}
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/triage/testset.py
            $<TARGET_FILE:panicscope> ${PROJECT_SOURCE_DIR} ${mode})
  set_tests_properties(triage_${mode} PROPERTIES TIMEOUT 900 COST 10)
endforeach()
foreach(mode html tty db errors garbage)
  add_test(NAME triage_cli_${mode}
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/triage/cli_check.py
            $<TARGET_FILE:panicscope> ${PROJECT_SOURCE_DIR} ${mode})
  set_tests_properties(triage_cli_${mode} PROPERTIES TIMEOUT 600)
endforeach()

# Parser tests (owned by the parser).
add_executable(psdump psdump.c)
target_link_libraries(psdump PRIVATE ps_parse)

find_package(Python3 REQUIRED COMPONENTS Interpreter)
add_test(NAME parser_peer_fixtures
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/parser/peer_check.py
          $<TARGET_FILE:psdump> ${CMAKE_CURRENT_SOURCE_DIR}/peer-fixtures/gostackparse)

ps_add_unit(test_parse_units SOURCES test_parse_units.c LIBS ps_parse)
ps_add_unit(test_parse_repairs SOURCES test_parse_repairs.c LIBS ps_parse)
# The prefix anchor search against the plain per-byte search it replaced.
ps_add_unit(test_find_start SOURCES test_find_start.c LIBS ps_parse)
# Every corpus log damaged in memory (tabs to spaces, hard wraps, CI line
# prefixes) must parse like the clean log.
add_executable(test_parse_damage test_parse_damage.c)
target_link_libraries(test_parse_damage PRIVATE ps_parse)
add_test(NAME parser_corpus_damage
  COMMAND test_parse_damage ${PROJECT_SOURCE_DIR}/corpus)
set_tests_properties(parser_corpus_damage PROPERTIES COST 15)

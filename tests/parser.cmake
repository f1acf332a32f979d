# Parser tests (owned by the parser).
add_executable(psdump psdump.c)
target_link_libraries(psdump PRIVATE ps_parse)

find_package(Python3 REQUIRED COMPONENTS Interpreter)
add_test(NAME parser_peer_fixtures
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/parser/peer_check.py
          $<TARGET_FILE:psdump> ${CMAKE_CURRENT_SOURCE_DIR}/peer-fixtures/gostackparse)

ps_add_unit(test_parse_units SOURCES test_parse_units.c LIBS ps_parse)
# The interning table, as built and with an 8-bit hash tag (collisions,
# and doublings that hash the strings again); the second links its own
# intern.c ahead of ps_base's.
# base's big buffers (malloc below 2 MiB, a huge-page mapping above),
# and the arena and vector on them.
ps_add_unit(test_base SOURCES test_base.c LIBS ps_base)
ps_add_unit(test_intern SOURCES test_intern.c LIBS ps_base)
ps_add_unit(test_intern_small_tag
  SOURCES test_intern.c ${PROJECT_SOURCE_DIR}/base/intern.c LIBS ps_base)
target_compile_definitions(test_intern_small_tag PRIVATE PS_INTERN_TAG_BITS=8)
ps_add_unit(test_parse_repairs SOURCES test_parse_repairs.c LIBS ps_parse)
# The prefix anchor search against the plain per-byte search it replaced.
ps_add_unit(test_find_start SOURCES test_find_start.c LIBS ps_parse)
# Every corpus log damaged in memory (tabs to spaces, hard wraps, CI line
# prefixes) must parse like the clean log.
add_executable(test_parse_damage test_parse_damage.c)
target_link_libraries(test_parse_damage PRIVATE ps_parse)
add_test(NAME parser_corpus_damage
  COMMAND test_parse_damage ${PROJECT_SOURCE_DIR}/corpus)
# Peak memory on one goroutine of 10^6 distinct frames, against bounds
# relative to the input size.  Not in the sanitizer builds: their shadow
# memory and quarantine make RSS no measure of the data model.
if(NOT PS_SANITIZE)
  add_test(NAME parser_deep_stack_memory
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/parser/deep_stack_memory.py
            $<TARGET_FILE:psdump> $<TARGET_FILE:panicscope> ${CMAKE_CURRENT_BINARY_DIR}/deep-stack)
  set_tests_properties(parser_deep_stack_memory PROPERTIES TIMEOUT 300)
endif()
# Every corpus and tests/ log parsed on 2, 3 and 8 threads, cut at every
# goroutine boundary it can be: the reports of one thread, byte for byte.
# The sanitizer builds parse on 8 threads only (the most cuts, parts left
# empty on small logs), half the parses: they look for memory errors in
# the merge, which every count reaches; the normal build compares all
# three counts.
add_executable(test_parse_jobs test_parse_jobs.c)
target_link_libraries(test_parse_jobs PRIVATE ps_report ps_abi ps_parse ps_base)
set(PS_JOBS_COUNTS "")
if(PS_SANITIZE)
  set(PS_JOBS_COUNTS --jobs 8)
endif()
foreach(i 0 1)
  add_test(NAME parser_jobs_same_${i}
    COMMAND test_parse_jobs ${PROJECT_SOURCE_DIR} --shard ${i}/2 ${PS_JOBS_COUNTS})
  set_tests_properties(parser_jobs_same_${i} PROPERTIES TIMEOUT 600)
endforeach()
add_test(NAME parser_jobs_cases COMMAND test_parse_jobs --cases)
set_tests_properties(parser_corpus_damage PROPERTIES COST 15)

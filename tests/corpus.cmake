# Whole-corpus tests.  The corpus is walked once, in-process, by
# corpus_walk (every log in every format, sharded over the cores); the
# checks below read its files instead of launching panicscope per log.
find_package(Python3 REQUIRED COMPONENTS Interpreter)

add_executable(corpus_walk corpus/corpus_walk.c)
target_link_libraries(corpus_walk PRIVATE ps_report ps_abi ps_parse ps_base)

set(PS_WALK_DIR ${CMAKE_CURRENT_BINARY_DIR}/corpus-walk)
set(PS_WALK_SHARDS 2)
math(EXPR last "${PS_WALK_SHARDS} - 1")
foreach(i RANGE ${last})
  add_test(NAME corpus_walk_${i}
    COMMAND corpus_walk ${PROJECT_SOURCE_DIR} ${PS_WALK_DIR} --shard ${i}/${PS_WALK_SHARDS})
  set_tests_properties(corpus_walk_${i} PROPERTIES FIXTURES_SETUP corpus_walk TIMEOUT 600)
endforeach()

# Every log's JSON against the report schema, the reviewed goldens, an
# independent count of every trace line, dirty variants against their
# clean sources.
add_test(NAME corpus_goldens
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/corpus/check_corpus.py
          $<TARGET_FILE:panicscope> ${PROJECT_SOURCE_DIR} ${PS_WALK_DIR})
set_tests_properties(corpus_goldens PROPERTIES FIXTURES_REQUIRED corpus_walk TIMEOUT 600)

# Every corpus report against docs/schema/report.schema.json, with
# fastjsonschema (Debian python3-fastjsonschema, scripts/setup): the first
# Python 3 that imports it, the one CMake found or Debian's own.
set(PS_SCHEMA_PYTHON "")
foreach(py ${Python3_EXECUTABLE} /usr/bin/python3)
  execute_process(COMMAND ${py} -c "import fastjsonschema" RESULT_VARIABLE rc
                  OUTPUT_QUIET ERROR_QUIET)
  if(rc EQUAL 0)
    set(PS_SCHEMA_PYTHON ${py})
    break()
  endif()
endforeach()
if(NOT PS_SCHEMA_PYTHON)
  message(FATAL_ERROR "no Python 3 with fastjsonschema: run scripts/setup "
                      "(it installs python3-fastjsonschema)")
endif()
foreach(i RANGE ${last})
  add_test(NAME corpus_schema_${i}
    COMMAND ${PS_SCHEMA_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/corpus/check_schema.py
            ${PROJECT_SOURCE_DIR} ${PS_WALK_DIR} --shard ${i}/${PS_WALK_SHARDS})
  set_tests_properties(corpus_schema_${i} PROPERTIES FIXTURES_REQUIRED corpus_walk
    TIMEOUT 600)
endforeach()

# The corpus itself (no parser): every log has its .meta, the recorded
# architecture matches, each kind shows its real crash text.
add_test(NAME corpus_sanity COMMAND ${PROJECT_SOURCE_DIR}/corpus/check.sh)

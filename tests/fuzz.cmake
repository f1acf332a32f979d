# Fuzzing the parser (tests/fuzz/).
#
# fuzz_replay runs the fuzz entry point over the corpus dumps, the peer
# fixtures and tests/fuzz/regressions/ (inputs the fuzzer once crashed
# on) with whatever compiler builds the project, so every ctest run, and
# the ASan+UBSan build above all, repeats them.
add_executable(fuzz_replay fuzz/fuzz_parse.c fuzz/replay.c)
target_link_libraries(fuzz_replay PRIVATE ps_parse ps_base)
add_test(NAME fuzz_replay
  COMMAND fuzz_replay ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/regressions
          -e .log,.txt ${PROJECT_SOURCE_DIR}/corpus
          ${CMAKE_CURRENT_SOURCE_DIR}/peer-fixtures)

# -DPS_FUZZ=ON: the libFuzzer harness fuzz_parse.  Coverage comes from
# instrumenting the parser and the base library; run it with
# tests/fuzz/run.sh, which seeds it and bounds its time.
if(PS_FUZZ)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "PS_FUZZ needs clang (configure with CC=clang)")
  endif()
  if(NOT PS_SANITIZE)
    message(FATAL_ERROR "PS_FUZZ needs PS_SANITIZE=ON: fuzzing without ASan misses most bugs")
  endif()
  target_compile_options(ps_base PRIVATE -fsanitize=fuzzer-no-link)
  target_compile_options(ps_parse PRIVATE -fsanitize=fuzzer-no-link)
  add_executable(fuzz_parse fuzz/fuzz_parse.c)
  target_compile_options(fuzz_parse PRIVATE -fsanitize=fuzzer)
  target_link_options(fuzz_parse PRIVATE -fsanitize=fuzzer)
  target_link_libraries(fuzz_parse PRIVATE ps_parse ps_base)
endif()

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

# The binary side: fuzz_elf_replay runs the ELF fuzz entry point over
# the seed binaries (built at test time, tests/fuzz/elf_seeds.sh) and
# every regression kept as a patch of a seed (tests/fuzz/elf-regressions/).
set(gt ${PROJECT_SOURCE_DIR}/corpus/groundtruth)
set(FUZZ_ELF_DUMPS "${gt}/go1.26-amd64:${gt}/go1.16-amd64:${gt}/go1.26-386:${gt}/go1.26-arm64:${gt}/go1.26-mips:${gt}/go1.26-s390x")
add_executable(fuzz_elf_replay fuzz/fuzz_elf.c fuzz/replay.c)
target_compile_definitions(fuzz_elf_replay PRIVATE FUZZ_ELF_DUMPS="${FUZZ_ELF_DUMPS}")
target_link_libraries(fuzz_elf_replay PRIVATE ps_abi ps_parse ps_base)
add_test(NAME fuzz_elf_replay
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/elf_replay.sh $<TARGET_FILE:fuzz_elf_replay>
          ${CMAKE_CURRENT_BINARY_DIR}/fuzz-elf)
set_tests_properties(fuzz_elf_replay PROPERTIES TIMEOUT 1200 RESOURCE_LOCK abi_groundtruth)

# -DPS_FUZZ=ON: the libFuzzer harnesses fuzz_parse and fuzz_elf.  Coverage comes from
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
  target_compile_options(ps_abi PRIVATE -fsanitize=fuzzer-no-link)
  add_executable(fuzz_elf fuzz/fuzz_elf.c)
  target_compile_definitions(fuzz_elf PRIVATE FUZZ_ELF_MUTATOR
    FUZZ_ELF_DUMPS="${FUZZ_ELF_DUMPS}")
  target_compile_options(fuzz_elf PRIVATE -fsanitize=fuzzer)
  target_link_options(fuzz_elf PRIVATE -fsanitize=fuzzer)
  target_link_libraries(fuzz_elf PRIVATE ps_abi ps_parse ps_base)
endif()

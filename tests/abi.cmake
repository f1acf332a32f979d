# ABI decoder tests (issue 3).
add_executable(abi_decode_tool abi/abi_decode_tool.c)
target_link_libraries(abi_decode_tool PRIVATE ps_abi)

# The decoder's shortcuts past libdw against libdw (abi/diewalk.c, pcln.c).
add_executable(abi_fast_agree abi/fast_agree.c)
target_link_libraries(abi_fast_agree PRIVATE ps_abi PkgConfig::LIBDW)

# Ground truth: programs that print what they received, then crash; each
# variant (toolchain x arch) builds, runs, decodes and compares.  Exit 77
# (toolchain or emulator missing; report not decoding yet) is a visible
# skip.  Each variant has its own scratch directory (GOPATH copy,
# binaries, dumps), so variants run in parallel and only the tests of one
# variant (live, stored, near, report) are serialised; it lives outside
# the build directory so the sanitizer builds find the binaries of the
# normal one up to date (go build relinks nothing).  The compiled standard
# library comes from Go's own build cache ($GOCACHE, else ~/.cache/go-build:
# groundtruth.py go_cache), shared by all variants, builds and clones.  The
# toolchains are fetched once by scripts/setup into build-corpus/toolchains/.
find_package(Python3 COMPONENTS Interpreter)
set(PS_GT_WORK ${PROJECT_SOURCE_DIR}/build-corpus/abi-gt)
# The sanitizer builds decode the dumps the normal build's live run left
# (PS_REPLAY).
if(Python3_FOUND)
  foreach(v go1.26-amd64 go1.26-amd64-N go1.26-amd64-pie go1.26-386 go1.26-arm64 go1.26-arm
            go1.26-mips go1.26-s390x go1.25-amd64 go1.24-386 go1.22-amd64 go1.21-arm64
            go1.20-amd64 go1.19-amd64 go1.18-amd64 go1.17-amd64 go1.16-amd64 go1.16-arm64
            go1.16-mips go1.16-s390x go1.12-386)
    add_test(NAME abi_groundtruth_${v}
      COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/abi/groundtruth.py
        --variant ${v} ${PS_REPLAY} --tool $<TARGET_FILE:abi_decode_tool>
        --src ${PROJECT_SOURCE_DIR} --work ${PS_GT_WORK}/${v})
    set_tests_properties(abi_groundtruth_${v} PROPERTIES SKIP_RETURN_CODE 77
      TIMEOUT 1800 RESOURCE_LOCK abi_gt_${v})
  endforeach()
  # The committed dumps (corpus/groundtruth/<variant>) against binaries
  # rebuilt here with the same toolchain: Go builds are reproducible.
  # Each binary's Go function table is also compared with its DWARF line
  # table (every release format, word size and byte order the variants
  # cover), since the binary check takes the table's word for a line.
  foreach(v go1.26-amd64 go1.26-amd64-N go1.26-amd64-pie go1.26-386 go1.26-arm64
            go1.26-arm go1.26-mips go1.26-s390x go1.25-amd64 go1.24-386 go1.22-amd64 go1.21-arm64
            go1.20-amd64 go1.19-amd64 go1.18-amd64 go1.17-amd64 go1.16-amd64
            go1.16-arm64 go1.16-mips go1.16-s390x go1.12-386)
    add_test(NAME abi_groundtruth_stored_${v}
      COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/abi/groundtruth.py
        --variant ${v} --stored --tool $<TARGET_FILE:abi_decode_tool>
        --fast-agree $<TARGET_FILE:abi_fast_agree>
        --src ${PROJECT_SOURCE_DIR} --work ${PS_GT_WORK}/${v})
    set_tests_properties(abi_groundtruth_stored_${v} PROPERTIES SKIP_RETURN_CODE 77
      TIMEOUT 1800 RESOURCE_LOCK abi_gt_${v})
  endforeach()
  # A near-identical binary (issue 11): two builds differing only in an
  # -ldflags -X string; decoding the dump of one with the other must be
  # reported as a mismatch wherever it would print wrong values.  Only
  # where the longer string moves words the program prints (go1.22-amd64
  # and go1.26-arm64 keep them in place: the test would have nothing to
  # tell, and says so by failing).
  foreach(v go1.26-amd64 go1.26-386)
    add_test(NAME abi_near_binary_${v}
      COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/abi/groundtruth.py
        --variant ${v} --near --tool $<TARGET_FILE:abi_decode_tool>
        --src ${PROJECT_SOURCE_DIR} --work ${PS_GT_WORK}/${v})
    set_tests_properties(abi_near_binary_${v} PROPERTIES SKIP_RETURN_CODE 77
      TIMEOUT 1800 RESOURCE_LOCK abi_gt_${v})
  endforeach()
  # The same comparison through the command's JSON (report/ emits ARGs).
  foreach(v go1.26-amd64 go1.16-amd64 go1.26-386)
    add_test(NAME abi_groundtruth_report_${v}
      COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/abi/groundtruth.py
        --variant ${v} ${PS_REPLAY} --tool $<TARGET_FILE:abi_decode_tool>
        --panicscope $<TARGET_FILE:panicscope>
        --src ${PROJECT_SOURCE_DIR} --work ${PS_GT_WORK}/${v})
    set_tests_properties(abi_groundtruth_report_${v} PROPERTIES SKIP_RETURN_CODE 77
      TIMEOUT 1800 RESOURCE_LOCK abi_gt_${v})
  endforeach()
endif()

# Every corpus dump against the binary corpus/gen.sh built it with.  The
# binaries are not committed (corpus/gen.sh takes ~25 minutes), so this
# check exists only in trees where gen.sh ran; a fresh clone (and CI)
# does not register it rather than showing a skip.
if(Python3_FOUND AND EXISTS ${PROJECT_SOURCE_DIR}/build-corpus/bin)
  add_test(NAME abi_corpus_binaries
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/abi/corpus_binaries.py
      $<TARGET_FILE:abi_decode_tool> ${PROJECT_SOURCE_DIR})
  set_tests_properties(abi_corpus_binaries PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 900)
endif()

# The decoder through its API: builds Go binaries, runs them, decodes.
ps_add_unit(test_abi_decode SOURCES test_abi_decode.c LIBS ps_abi)
set_tests_properties(test_abi_decode PROPERTIES TIMEOUT 600 COST 8)

# Timing tool (not a test): see tests/abi/bench/ and the report of issue 3.
add_executable(abi_bench abi/abi_bench.c)
target_link_libraries(abi_bench PRIVATE ps_abi)

# Generated argument lists against a real binary: no crash, sane output.
ps_add_unit(test_abi_robust SOURCES test_abi_robust.c LIBS ps_abi PkgConfig::LIBDW)
set_tests_properties(test_abi_robust PROPERTIES TIMEOUT 600)

# Every corpus dump whose binary can be rebuilt with a toolchain present
# here (the installed go, Debian's go-1.19, unpacked ones), decoded with
# --binary in JSON and text: no mismatch, no warning, exit 0.  In the
# sanitizer builds this is the --binary pass over the shipped corpus.
if(Python3_FOUND)
  # The releases whose corpus dumps are rebuilt and decoded: the one the
  # tests run with (scripts/lib.sh PS_GO_VERSION), for every arch its
  # dumps were made on.  The binaries live beside the source, in
  # build-corpus/, so the sanitizer builds decode the same ones instead
  # of building them again.
  set(PS_REBUILT_GO_VERSIONS "go1.26.8" CACHE STRING
      "Go releases whose corpus dumps abi_corpus_rebuilt rebuilds (comma-separated)")
  add_test(NAME abi_corpus_rebuilt
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/abi/corpus_rebuilt.py
      $<TARGET_FILE:panicscope> ${PROJECT_SOURCE_DIR}
      ${PROJECT_SOURCE_DIR}/build-corpus/abi-rebuilt ${PS_REBUILT_GO_VERSIONS})
  set_tests_properties(abi_corpus_rebuilt PROPERTIES TIMEOUT 1800 RESOURCE_LOCK abi_groundtruth
    COST 30)
endif()

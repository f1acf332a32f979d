# Whole-corpus golden tests (owned by the parser): every corpus log
# against its reviewed golden JSON, every trace line accounted for, and
# dirty variants equal to their clean sources.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
add_test(NAME corpus_goldens
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/corpus/check_corpus.py
          $<TARGET_FILE:panicscope> ${PROJECT_SOURCE_DIR})

# The corpus itself (no parser): every log has its .meta, the recorded
# architecture matches, each kind shows its real crash text.
add_test(NAME corpus_sanity COMMAND ${PROJECT_SOURCE_DIR}/corpus/check.sh)

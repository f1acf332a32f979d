# `panicscope check` tests (owned by check/): JSON comparison units, each
# damaged fixture form at its line, goldens, the plain git hook and the
# pre-commit framework hook (also over the project's own corpus).
ps_add_unit(test_check_units SOURCES check/test_check_units.c LIBS ps_check)
target_include_directories(test_check_units PRIVATE ${PROJECT_SOURCE_DIR}/check)

# scripts/setup installs pre-commit from PyPI into build-tools/pre-commit.
find_program(PS_PRE_COMMIT pre-commit HINTS ${PROJECT_SOURCE_DIR}/build-tools/pre-commit/bin)
set(pre_commit_arg ${PS_PRE_COMMIT})
if(NOT PS_PRE_COMMIT)
  set(pre_commit_arg "")  # not a skip: check_pre_commit fails, naming scripts/setup
endif()

foreach(t damage wrapped golden git_hook pre_commit)
  add_test(NAME check_${t}
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/check/${t}.sh
            $<TARGET_FILE:panicscope> ${PROJECT_SOURCE_DIR} ${pre_commit_arg})
  set_tests_properties(check_${t} PROPERTIES TIMEOUT 300)
endforeach()

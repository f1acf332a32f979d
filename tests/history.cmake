# History tests (owned by triage/history.c): the library on real SQLite
# files, and two processes writing one db at once.
ps_add_unit(test_history SOURCES test_history.c LIBS ps_history ps_base SQLite::SQLite3)

add_executable(history_hammer history_hammer.c)
target_link_libraries(history_hammer PRIVATE ps_history ps_base)
add_test(NAME history_concurrent
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/history/concurrent.sh
          $<TARGET_FILE:history_hammer> 200)
set_tests_properties(history_concurrent PROPERTIES TIMEOUT 300)

# A recording process killed with SIGKILL mid-run leaves whole runs only.
add_test(NAME history_killed
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/history/killed.sh
          $<TARGET_FILE:history_hammer> 3000 5)
set_tests_properties(history_killed PROPERTIES TIMEOUT 300)

# The migration path: the same library built with a test-only version 2
# (PS_HIST_TEST_V2) upgrades a version-1 db keeping its rows, and the
# real version-1 build then refuses that db and leaves it untouched.
add_library(ps_history_v2test STATIC ${PROJECT_SOURCE_DIR}/triage/history.c)
target_include_directories(ps_history_v2test PUBLIC ${PROJECT_SOURCE_DIR}/triage)
target_compile_definitions(ps_history_v2test PRIVATE PS_HIST_TEST_V2)
target_link_libraries(ps_history_v2test PUBLIC ps_base SQLite::SQLite3)
add_executable(history_hammer_v2 history_hammer.c)
target_link_libraries(history_hammer_v2 PRIVATE ps_history_v2test ps_base)
add_test(NAME history_migrate
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/history/migrate.sh
          $<TARGET_FILE:history_hammer> $<TARGET_FILE:history_hammer_v2>)

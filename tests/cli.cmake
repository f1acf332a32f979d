# Command-line tests (cli/): unusable inputs, write errors, -o safety.
add_test(NAME cli_errors
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/cli/errors.sh $<TARGET_FILE:panicscope>
          ${PROJECT_SOURCE_DIR})
set_tests_properties(cli_errors PROPERTIES TIMEOUT 120)

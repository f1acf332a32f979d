# Packaging tests: what `cmake --install` and the .deb deliver.
# Not in the sanitizer build: they test files and packaging, not C code.
if(NOT PS_SANITIZE)
  # The man page lints clean (mandoc and groff, warnings are failures) and
  # names every option `panicscope --help` lists.
  add_test(NAME man_page_lint
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/package/man_lint.sh
            ${PROJECT_SOURCE_DIR}/docs/man/panicscope.1 $<TARGET_FILE:panicscope>)
  # The bash completion offers subcommands, options and their values.
  add_test(NAME bash_completion
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/package/completion_test.sh
            ${PROJECT_SOURCE_DIR}/dist/bash-completion/panicscope $<TARGET_FILE:panicscope>)
  # `cmake --install` under a prefix gives the command, the man page, the
  # completion and the docs, and the installed command runs.
  add_test(NAME install_prefix
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/package/install_test.sh
            ${CMAKE_BINARY_DIR} ${CMAKE_CURRENT_BINARY_DIR}/install-test ${PROJECT_SOURCE_DIR})
  # CPack's .deb installs with apt-get, runs, and is removed again.
  add_test(NAME package_deb
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/package/deb_test.sh
            ${CMAKE_BINARY_DIR} ${CMAKE_CURRENT_BINARY_DIR}/deb-test ${PROJECT_SOURCE_DIR})
  set_tests_properties(package_deb PROPERTIES RESOURCE_LOCK dpkg TIMEOUT 600 COST 12)
endif()

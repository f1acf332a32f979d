# What `cmake --install` puts under the prefix, and the Debian package
# CPack makes of it (`cpack -G DEB` in the build directory, tested by
# tests/package/deb_test.sh).
include(GNUInstallDirs)

install(TARGETS panicscope RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${PROJECT_SOURCE_DIR}/docs/man/panicscope.1
        DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
# bash-completion looks completions up by command name in this folder.
install(FILES ${PROJECT_SOURCE_DIR}/dist/bash-completion/panicscope
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
# docs/ as it is (the JSON schemas and every page), minus the man source.
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}
        PATTERN man EXCLUDE)
# The pre-commit hook definition (`panicscope check`), when the tree has it.
if(EXISTS ${PROJECT_SOURCE_DIR}/.pre-commit-hooks.yaml)
  install(FILES ${PROJECT_SOURCE_DIR}/.pre-commit-hooks.yaml
          DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME panicscope)
set(CPACK_PACKAGE_VENDOR "panicscope")
set(CPACK_PACKAGE_CONTACT "panicscope maintainers <panicscope@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)   # panicscope_VERSION_ARCH.deb
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
# Dependencies from the linked shared libraries (libdw, libelf, pcre2).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
  "Reads the text a Go program prints when it dies (panic, fatal error,\n SIGQUIT dump, race report, test timeout, goroutine profile), groups\n the goroutines and puts the cause first; with the crashed binary it\n decodes each frame's arguments from DWARF.")
include(CPack)

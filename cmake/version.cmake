# The version `panicscope --version` prints: the project version, plus
# `git describe` when the source is a git checkout, so a binary built
# between releases says which commit it is.  Regenerated at every build
# (a commit does not re-run cmake); the header is rewritten only when the
# text changes, so an unchanged tree rebuilds nothing.
set(PS_VERSION_HEADER ${CMAKE_BINARY_DIR}/generated/ps_version.h)
add_custom_target(ps_version
  COMMAND ${CMAKE_COMMAND} -DSRC=${PROJECT_SOURCE_DIR} -DOUT=${PS_VERSION_HEADER}
          -DVERSION=${PROJECT_VERSION} -P ${PROJECT_SOURCE_DIR}/cmake/write_version.cmake
  BYPRODUCTS ${PS_VERSION_HEADER}
  COMMENT "panicscope version"
  VERBATIM)
add_dependencies(panicscope ps_version)
target_include_directories(panicscope PRIVATE ${CMAKE_BINARY_DIR}/generated)

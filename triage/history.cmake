# triage/history.cmake - ps_history: the SQLite signature history behind
# `panicscope triage --db` (included from the root CMakeLists.txt).
find_package(SQLite3 QUIET)
if(NOT TARGET SQLite::SQLite3)
  pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
  add_library(SQLite::SQLite3 ALIAS PkgConfig::SQLITE3)
endif()
add_library(ps_history STATIC ${CMAKE_CURRENT_LIST_DIR}/history.c)
target_include_directories(ps_history PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(ps_history PUBLIC ps_base SQLite::SQLite3)
# Consumers (cli/triage.c) build their --db code only when this is linked.
target_compile_definitions(ps_history INTERFACE PS_HAVE_HISTORY=1)

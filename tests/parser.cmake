# Parser tests (owned by the parser).
add_executable(psdump psdump.c)
target_link_libraries(psdump PRIVATE ps_parse)

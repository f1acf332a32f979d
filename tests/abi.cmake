# ABI decoder tests (issue 3).
add_executable(abi_decode_tool abi/abi_decode_tool.c)
target_link_libraries(abi_decode_tool PRIVATE ps_abi)

# Runs clang-format in dry-run mode over the project's C++ files; fails listing the offenders.
file(GLOB_RECURSE files
  "${SOURCE_DIR}/core/*.hpp" "${SOURCE_DIR}/core/*.cpp"
  "${SOURCE_DIR}/chain/*.hpp" "${SOURCE_DIR}/chain/*.cpp"
  "${SOURCE_DIR}/adapters/*.hpp" "${SOURCE_DIR}/adapters/*.cpp"
  "${SOURCE_DIR}/reconcile/*.hpp" "${SOURCE_DIR}/reconcile/*.cpp"
  "${SOURCE_DIR}/web/*.hpp" "${SOURCE_DIR}/web/*.cpp"
  "${SOURCE_DIR}/packaging/*.hpp" "${SOURCE_DIR}/packaging/*.cpp"
  "${SOURCE_DIR}/test/*.hpp" "${SOURCE_DIR}/test/*.cpp")
execute_process(COMMAND "${CLANG_FORMAT}" --dry-run --Werror ${files}
                RESULT_VARIABLE result ERROR_VARIABLE diagnostics)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "files not formatted with clang-format (run clang-format -i on them):\n${diagnostics}")
endif()

# mm_embed(<target-name> <symbol> <base-dir> <files...>)
# Generates a C source that holds each file's bytes (NUL-terminated) and its path
# relative to <base-dir>, so the binary carries its default rules and pipelines and
# never looks files up at run time. The array type is struct mm_embedded_file
# (include/mamori/core.h).
function(mm_embed out_var symbol base_dir)
  set(out_c ${PROJECT_BINARY_DIR}/embed_${symbol}.c)
  set(list_file ${PROJECT_BINARY_DIR}/embed_${symbol}.list)
  set(files ${ARGN})
  list(SORT files)
  string(REPLACE ";" "\n" _content "${files}")
  file(WRITE ${list_file}.tmp "${_content}\n")
  configure_file(${list_file}.tmp ${list_file} COPYONLY)
  add_custom_command(OUTPUT ${out_c}
    COMMAND ${CMAKE_COMMAND} -DSYMBOL=${symbol} -DBASE=${base_dir} -DLIST=${list_file}
            -DOUT=${out_c} -P ${PROJECT_SOURCE_DIR}/cmake/embed_gen.cmake
    DEPENDS ${files} ${list_file} ${PROJECT_SOURCE_DIR}/cmake/embed_gen.cmake
    COMMENT "Embedding ${symbol}")
  set(${out_var} ${out_c} PARENT_SCOPE)
endfunction()

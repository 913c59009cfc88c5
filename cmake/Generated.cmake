# The man page and the bash, zsh and fish completions, written by the built
# binary from the options its --help shows (src/cli/generate.cpp), so that
# none of them can fall behind. Part of the default build (cheap: the binary
# runs four times); `--target meshlint` alone skips them. cmake/Install.cmake
# installs them.
find_program(MESHLINT_GZIP gzip REQUIRED)
set(MESHLINT_GENERATED ${CMAKE_BINARY_DIR}/generated)
set(MESHLINT_MAN ${MESHLINT_GENERATED}/meshlint.1)
set(MESHLINT_BASH ${MESHLINT_GENERATED}/completions/meshlint)
set(MESHLINT_ZSH ${MESHLINT_GENERATED}/completions/_meshlint)
set(MESHLINT_FISH ${MESHLINT_GENERATED}/completions/meshlint.fish)
add_custom_command(
  OUTPUT ${MESHLINT_MAN}.gz ${MESHLINT_BASH} ${MESHLINT_ZSH} ${MESHLINT_FISH}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${MESHLINT_GENERATED}/completions
  COMMAND $<TARGET_FILE:meshlint> --help-man > ${MESHLINT_MAN}
  # -n: no name or time stamp inside, so the .gz is the same at every build.
  COMMAND ${MESHLINT_GZIP} -9nf ${MESHLINT_MAN}
  COMMAND $<TARGET_FILE:meshlint> --completion bash > ${MESHLINT_BASH}
  COMMAND $<TARGET_FILE:meshlint> --completion zsh > ${MESHLINT_ZSH}
  COMMAND $<TARGET_FILE:meshlint> --completion fish > ${MESHLINT_FISH}
  DEPENDS meshlint
  COMMENT "Writing the man page and the shell completions")
add_custom_target(meshlint_man_and_completions ALL
  DEPENDS ${MESHLINT_MAN}.gz ${MESHLINT_BASH} ${MESHLINT_ZSH} ${MESHLINT_FISH})

# What `cmake --install build --prefix DIR` puts in place, and the .deb that
# cpack (ci/package) makes of the same files:
#   bin/meshlint
#   share/man/man1/meshlint.1.gz                   (generated: cmake/Generated.cmake)
#   share/bash-completion/completions/meshlint, share/zsh/vendor-completions/_meshlint,
#   share/fish/vendor_completions.d/meshlint.fish  (generated likewise)
#   share/doc/meshlint/README.md, docs/*.md, rules/<id>.md
include(GNUInstallDirs)

install(TARGETS meshlint RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${MESHLINT_MAN}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
# Where bash-completion, zsh and fish look for completions of installed
# commands (the directories Debian's packages of them use).
install(FILES ${MESHLINT_BASH} DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
install(FILES ${MESHLINT_ZSH} DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES ${MESHLINT_FISH} DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)
install(FILES ${CMAKE_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs
        FILES_MATCHING PATTERN "*.md")
# rules/<id>/doc.md as rules/<id>.md: one page per rule, as `meshlint explain` prints it.
foreach(doc IN LISTS RULE_DOCS)
  get_filename_component(dir ${doc} DIRECTORY)
  get_filename_component(id ${dir} NAME)
  install(FILES ${doc} DESTINATION ${CMAKE_INSTALL_DOCDIR}/rules RENAME ${id}.md)
endforeach()

# The .deb: Depends computed by dpkg-shlibdeps from the binary, so it names
# the runtime packages of the libraries it was linked with (libyaml-cpp0.7,
# libboost-program-options1.74.0, libre2-9 on Debian 12).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME meshlint)
set(CPACK_PACKAGE_VENDOR meshlint)
set(CPACK_PACKAGE_CONTACT "meshlint maintainers <meshlint@users.noreply.github.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "static policy linter and egress auditor for Istio service-mesh configuration")
set(CPACK_PACKAGE_DESCRIPTION
    "meshlint loads Kubernetes and Istio manifests into a model of the mesh, reports which "
    "namespaces can reach which external hosts and why, and flags the settings that open "
    "holes (ALLOW_ANY, ServiceEntries exported to every namespace, namespaces without a "
    "Sidecar). Reports as text, JSON, SARIF, GitHub annotations or GitLab Code Quality.")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/meshlint/meshlint")
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # meshlint_<version>_<arch>.deb
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_BINARY_DIR}/package)
include(CPack)

# The Debian packages `sotay` (the shell) and `sotay-server` (the server, its systemd
# unit and configuration, the form pack, the docs), made by CPack's DEB generator:
# the install rules sit next to the targets they ship and need no debian/ tree.
# Built by scripts/package.sh in a build of its own (docs/deploy/debian.md).
include(GNUInstallDirs)

install(TARGETS sotay RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT shell)
install(TARGETS sotay-server RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT server)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/schemas/ DESTINATION ${CMAKE_INSTALL_DATADIR}/sotay/schemas
        COMPONENT server FILES_MATCHING PATTERN "*.json" PATTERN "*.md")
# The unit under /lib: Debian 12's systemd looks there (no merged-/usr assumption).
install(FILES ${CMAKE_SOURCE_DIR}/packaging/sotay-server/sotay-server.service
        DESTINATION /lib/systemd/system COMPONENT server)
install(FILES ${CMAKE_SOURCE_DIR}/packaging/sotay-server/sotay-server.conf DESTINATION /etc/sotay COMPONENT server)
install(FILES ${CMAKE_SOURCE_DIR}/README.md ${CMAKE_SOURCE_DIR}/docs/sync-protocol.md
              ${CMAKE_SOURCE_DIR}/docs/deploy/debian.md ${CMAKE_SOURCE_DIR}/docs/deploy/nginx-sotay.conf
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/sotay-server COMPONENT server)
install(FILES ${CMAKE_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/sotay COMPONENT shell)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME sotay)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "Sotay maintainers <sotay@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Offline-first notebook for commune social workers")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL shell server)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # sotay_0.1.0_amd64.deb, as dpkg names them
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
# Depends from the binaries' libraries (dpkg-shlibdeps, in dpkg-dev).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)

set(CPACK_DEBIAN_SHELL_PACKAGE_NAME sotay)
set(CPACK_DEBIAN_SHELL_DESCRIPTION "Offline-first notebook for commune social workers (shell)
 sotay records children and cases in an encrypted notebook on the worker's PC
 and syncs them with the district's sotay-server.")
set(CPACK_DEBIAN_SERVER_PACKAGE_NAME sotay-server)
set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS "adduser, systemd")
set(CPACK_DEBIAN_SERVER_DESCRIPTION "Sotay district sync server, as a systemd service
 The server the communes' notebooks sync with, and the district's dashboard.
 Runs as the system user sotay with its database under /var/lib/sotay;
 configured in /etc/sotay/sotay-server.conf, logs to the journal.")
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA
    ${CMAKE_SOURCE_DIR}/packaging/sotay-server/conffiles
    ${CMAKE_SOURCE_DIR}/packaging/sotay-server/postinst
    ${CMAKE_SOURCE_DIR}/packaging/sotay-server/prerm
    ${CMAKE_SOURCE_DIR}/packaging/sotay-server/postrm)
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)

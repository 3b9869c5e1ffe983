#!/bin/sh
# Install, from Debian's packages, every host tool the project needs, but only
# when something is missing: a machine that already has them pays one
# dpkg-query and nothing else.  Called by the Makefile before any build.
set -eu

PKGS="gcc-mipsel-linux-gnu binutils-mipsel-linux-gnu qemu-system-mips
      gdb-multiarch newlib-source libcmocka-dev xz-utils make gcc pkg-config"

missing=""
for p in $PKGS; do
    # "install ok installed" is dpkg's status for a fully installed package.
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
        missing="$missing $p"
    fi
done

[ -z "$missing" ] && exit 0

echo "setup: installing$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing

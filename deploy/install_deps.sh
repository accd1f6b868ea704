#!/usr/bin/env bash
# Installs the Debian 12 packages velknee builds with, skipping those already installed.
# Usage: deploy/install_deps.sh [--with-test-tools]
#   --with-test-tools  also Node.js/npm (buf, the proto linter, comes from npm), sqlite3 and
#                      prometheus (its promtool checks the /metrics output in the tests).
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libsqlitecpp-dev libsqlite3-dev libabsl-dev libssl-dev openssl tzdata
  golang-github-gogo-googleapis-dev
  libcpp-httplib-dev
  libgtest-dev libgmock-dev
)
if [[ ${1:-} == --with-test-tools ]]; then
  packages+=(sqlite3 prometheus)
  command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

echo "velknee: installing ${missing[*]}" >&2
sudo=()
if [[ $(id -u) -ne 0 ]]; then
  sudo=(sudo)
fi
"${sudo[@]}" apt-get update -q
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends \
  "${missing[@]}"

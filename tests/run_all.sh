#!/usr/bin/env bash
# The README's second command: installs what is missing, builds everything with the dev
# preset and runs every test with ctest. Exits non-zero when anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."

deploy/install_deps.sh --with-test-tools
cmake --preset dev
cmake --build --preset dev
ctest --preset dev --parallel 2

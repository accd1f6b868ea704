#!/usr/bin/env bash
# Fails when docs/contracts.md is not what velknee-contract-docs renders from
# the current protos, so a proto comment cannot change without its page.
#
# Usage: contract_docs_current.sh <generator> <descriptor_set> <page>
#   generator       the velknee-contract-docs binary
#   descriptor_set  proto/'s velknee_contracts.pb in the build directory
#   page            the committed page, docs/contracts.md
#
# Prints the difference (committed → rendered) and how to regenerate; exits
# non-zero on any difference, or when the page cannot be rendered.
set -euo pipefail

readonly REGENERATE="cmake --build --preset dev --target contract-docs"

if [[ $# -ne 3 ]]; then
  echo "usage: $0 <generator> <descriptor_set> <page>" >&2
  exit 2
fi
generator=$1
descriptor_set=$2
page=$3

if [[ ! -f $page ]]; then
  echo "contract_docs: no such file: $page; create it with: $REGENERATE" >&2
  exit 1
fi

rendered=$(mktemp)
trap 'rm -f "$rendered"' EXIT
"$generator" "$descriptor_set" "$rendered"

if ! diff -u --label "$page (committed)" --label "$page (from proto/)" "$page" "$rendered"; then
  echo "contract_docs: $page is stale; regenerate it with: $REGENERATE" >&2
  exit 1
fi
echo "contract_docs: OK, $page matches proto/"

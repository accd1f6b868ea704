#!/usr/bin/env bash
# Lints velknee's proto files with buf's STANDARD and COMMENTS rules, minus the
# two rules where Google's AIPs and buf disagree (DESIGN.md §3).
#
# Usage: buf_lint.sh <proto_dir> <googleapis_dir> <cache_dir>
#   proto_dir       the include root holding velknee/**.proto (the repo's proto/)
#   googleapis_dir  where google/type and google/rpc come from (Debian's
#                   golang-github-gogo-googleapis-dev package)
#   cache_dir       where @bufbuild/buf is installed with npm if it is missing
#
# Plain `buf lint` cannot see Debian's googleapis protos, so buf runs as a
# protoc plugin (protoc-gen-buf-lint) on protoc's own include path. Prints
# every finding as file:line:column:message and exits non-zero on any.
set -euo pipefail

readonly BUF_VERSION="1.47.2"
# Keep in step with proto/buf.yaml.
readonly LINT_CONFIG='{"input_config":{"version":"v1","lint":{"use":["STANDARD","COMMENTS"],"except":["RPC_RESPONSE_STANDARD_NAME","RPC_REQUEST_RESPONSE_UNIQUE"]}}}'

if [[ $# -ne 3 ]]; then
  echo "usage: $0 <proto_dir> <googleapis_dir> <cache_dir>" >&2
  exit 2
fi
proto_dir=$1
googleapis_dir=$2
cache_dir=$3

for dir in "$proto_dir" "$googleapis_dir"; do
  if [[ ! -d $dir ]]; then
    echo "buf_lint: no such directory: $dir" >&2
    exit 2
  fi
done
if [[ ! -f $googleapis_dir/google/type/date.proto ]]; then
  echo "buf_lint: $googleapis_dir holds no google/type/date.proto" \
    "(install golang-github-gogo-googleapis-dev)" >&2
  exit 2
fi

# protoc runs from proto_dir, so every path must be absolute.
proto_dir=$(cd "$proto_dir" && pwd)
googleapis_dir=$(cd "$googleapis_dir" && pwd)
mkdir -p "$cache_dir"
cache_dir=$(cd "$cache_dir" && pwd)

plugin=$cache_dir/node_modules/.bin/protoc-gen-buf-lint
installed_version() {
  node -p "require('$cache_dir/node_modules/@bufbuild/buf/package.json').version" 2>/dev/null || true
}
if [[ ! -x $plugin || $(installed_version) != "$BUF_VERSION" ]]; then
  echo "buf_lint: installing @bufbuild/buf@$BUF_VERSION into $cache_dir" >&2
  npm install --prefix "$cache_dir" --no-audit --no-fund --loglevel=error \
    "@bufbuild/buf@$BUF_VERSION" >&2
fi

out_dir=$(mktemp -d)
trap 'rm -rf "$out_dir"' EXIT

mapfile -t protos < <(cd "$proto_dir" && find velknee -name '*.proto' | LC_ALL=C sort)
if [[ ${#protos[@]} -eq 0 ]]; then
  echo "buf_lint: no .proto files under $proto_dir/velknee" >&2
  exit 2
fi

# The plugin reports findings as errors on its response; protoc prints them
# and exits non-zero. Paths are relative to proto_dir, hence the cd.
status=0
findings=$(cd "$proto_dir" && protoc -I . -I "$googleapis_dir" \
  --plugin=protoc-gen-buf-lint="$plugin" \
  --buf-lint_out="$out_dir" \
  --buf-lint_opt="$LINT_CONFIG" \
  "${protos[@]}" 2>&1) || status=$?

if [[ $status -ne 0 || -n $findings ]]; then
  printf '%s\n' "$findings"
  echo "buf_lint: FAILED (${#protos[@]} files checked)" >&2
  exit 1
fi
echo "buf_lint: OK, ${#protos[@]} files pass STANDARD and COMMENTS"

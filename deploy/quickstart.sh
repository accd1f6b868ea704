#!/usr/bin/env bash
# The README's first command: installs what is missing, builds velknee (release preset),
# creates ./var with the SQLite data directory and one development token per role, and starts
# velknee-server with all four services on 127.0.0.1:50051. Stop it with Ctrl-C.
#
# The tokens are printed the first time only and kept in var/dev-tokens.env (git ignores var/).
set -euo pipefail
cd "$(dirname "$0")/.."

deploy/install_deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target velknee-server velknee-desk velknee-tablet

server=build/release/bin/velknee-server
umask 077
mkdir -p var
if [[ ! -f var/tokens || ! -f var/service.token || ! -f var/dev-tokens.env ]]; then
  # Made in a scratch directory and moved into place together, so an interrupted first run
  # leaves nothing half-made behind and the next run starts over.
  setup=$(mktemp -d var/.setup.XXXXXX)
  trap 'rm -rf "$setup"' EXIT
  new_token() { "$server" tokens add --tokens_file="$setup/tokens" "$@" | tail -n 1; }
  admin=$(new_token --role=admin --principal=dev-admin)
  desk=$(new_token --role=front_desk --principal=dev-desk)
  therapist=$(new_token --role=therapist --principal=dev-therapist --therapist=therapists/dev)
  new_token --role=service --principal=dev-services > "$setup/service.token"
  cat > "$setup/dev-tokens.env" <<TOKENS
# Development tokens for this checkout's velknee-server. Source this file, then e.g.
#   VELKNEE_TOKEN=\$VELKNEE_DESK_TOKEN build/release/bin/velknee-desk clients find
# The SERVICE token the services present to each other is in var/service.token.
VELKNEE_ADMIN_TOKEN=$admin
VELKNEE_DESK_TOKEN=$desk
VELKNEE_THERAPIST_TOKEN=$therapist
TOKENS
  rm -f var/tokens.lock
  mv "$setup/service.token" var/service.token
  mv "$setup/dev-tokens.env" var/dev-tokens.env
  mv "$setup/tokens" var/tokens
  rm -rf "$setup"
  trap - EXIT
  echo "Development tokens (shown once; also in var/dev-tokens.env):"
  grep '^VELKNEE_' var/dev-tokens.env
fi

exec "$server" --listen=127.0.0.1:50051 --data_dir=var/data --tokens_file=var/tokens \
  --service_token_file=var/service.token

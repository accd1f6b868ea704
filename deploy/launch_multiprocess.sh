#!/usr/bin/env bash
# Runs velknee as one process per service on loopback, the multi-process topology of
# docs/operations.md, for development, demos and end-to-end tests.
#
# Usage: deploy/launch_multiprocess.sh [--tls CERT_DIR] start|stop|status DIR [SERVER_FLAG...]
#   start   starts intake, plans, scheduling and notes, each as `velknee-server --services=X`,
#           and returns once each has printed its "listening on" line. A service that is
#           already running is left alone (with the flags it was started with), so after one
#           crashed the same command restarts it.
#   stop    sends SIGTERM to each and waits for it to finish its in-flight calls and exit
#   status  says which are running (exit 0 when all four are, 3 otherwise)
#   DIR     holds everything: tokens, service.token, dev-tokens.env (made on the first start,
#           when the development tokens are printed once), data/<service>/, <service>.pid and
#           <service>.log (appended to; stdout and stderr)
#   --tls CERT_DIR  serve TLS with mTLS and reach peers over TLS with the files
#           deploy/make_dev_certs.sh writes: server.crt/key, client.crt/key, ca.crt
#   SERVER_FLAG...  (start only) passed to every process, e.g. --clinic_time_zone=Europe/London
#
# Environment:
#   VELKNEE_SERVER  the velknee-server binary (default: build/release/bin/velknee-server)
#   VELKNEE_INTAKE_PORT, VELKNEE_PLANS_PORT, VELKNEE_NOTES_PORT, VELKNEE_SCHEDULING_PORT
#                   loopback ports (default 50061, 50062, 50063, 50064)
#   VELKNEE_START_TIMEOUT, VELKNEE_STOP_TIMEOUT  seconds to wait per process (default 30)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
usage() {
  echo "usage: $0 [--tls CERT_DIR] start|stop|status DIR [SERVER_FLAG...]" >&2
  exit 2
}

tls_dir=""
if [[ ${1:-} == --tls ]]; then
  [[ $# -ge 2 ]] || usage
  tls_dir=$2
  shift 2
elif [[ ${1:-} == --tls=* ]]; then
  tls_dir=${1#--tls=}
  shift
fi
[[ $# -ge 2 ]] || usage
action=$1
dir=$2
shift 2
extra_flags=("$@")
case $action in
  start) ;;
  stop | status) [[ ${#extra_flags[@]} -eq 0 ]] || usage ;;
  *) usage ;;
esac

umask 077
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

# Start order: the callees first (plans calls intake; scheduling calls intake and plans; notes
# calls plans and scheduling). Stop order is the reverse.
services=(intake plans scheduling notes)
declare -A port=(
  [intake]=${VELKNEE_INTAKE_PORT:-50061}
  [plans]=${VELKNEE_PLANS_PORT:-50062}
  [notes]=${VELKNEE_NOTES_PORT:-50063}
  [scheduling]=${VELKNEE_SCHEDULING_PORT:-50064}
)
start_timeout=${VELKNEE_START_TIMEOUT:-30}
stop_timeout=${VELKNEE_STOP_TIMEOUT:-30}

# The pid in DIR/<service>.pid when that process is still this launcher's server for <service>
# (a pid file left behind after a crash may name an unrelated process by now); "" otherwise.
running_pid() {
  local service=$1 pid args state
  [[ -f $dir/$service.pid ]] || return 0
  pid=$(<"$dir/$service.pid")
  [[ $pid =~ ^[0-9]+$ ]] || return 0
  state=$(ps -o stat= -p "$pid" 2>/dev/null || true)
  [[ -n $state && $state != Z* ]] || return 0
  if [[ -r /proc/$pid/cmdline ]]; then
    args=$(tr '\0' ' ' <"/proc/$pid/cmdline")
  else
    args=$(ps -ww -o args= -p "$pid" 2>/dev/null || true)
  fi
  if [[ $args == *"--services=$service "* && $args == *"--data_dir=$dir/data/$service"* ]]; then
    echo "$pid"
  fi
}

# Waits up to $stop_timeout seconds for PID to exit; fails if it is still running.
wait_gone() {
  local pid=$1 state deadline=$((SECONDS + stop_timeout))
  while ((SECONDS < deadline)); do
    state=$(ps -o stat= -p "$pid" 2>/dev/null || true)
    [[ -z $state || $state == Z* ]] && return 0
    sleep 0.1
  done
  return 1
}

# Sends SERVICE's process PID a SIGTERM and waits for it to exit; forgets its pid file once it
# has. Fails, keeping the pid file, when it is still running after $stop_timeout seconds.
stop_pid() {
  local service=$1 pid=$2
  kill -TERM "$pid" 2>/dev/null || true
  if wait_gone "$pid"; then
    rm -f "$dir/$service.pid"
    echo "$service stopped"
  else
    echo "$service (pid $pid) still running ${stop_timeout}s after SIGTERM; see $dir/$service.log" >&2
    return 1
  fi
}

stop_all() {
  local failed=0 service pid i
  for ((i = ${#services[@]} - 1; i >= 0; i--)); do
    service=${services[i]}
    pid=$(running_pid "$service")
    if [[ -z $pid ]]; then
      rm -f "$dir/$service.pid"
      continue
    fi
    stop_pid "$service" "$pid" || failed=1
  done
  return "$failed"
}

status_all() {
  local service pid running=0 line
  for service in "${services[@]}"; do
    pid=$(running_pid "$service")
    if [[ -n $pid ]]; then
      line=$(grep '^listening on ' "$dir/$service.log" 2>/dev/null | tail -n 1 || true)
      echo "$service running (pid $pid) ${line:-}"
      running=$((running + 1))
    else
      echo "$service stopped"
    fi
  done
  [[ $running -eq ${#services[@]} ]] || return 3
}

server=${VELKNEE_SERVER:-$repo/build/release/bin/velknee-server}

# The shared tokens file and SERVICE token, made like deploy/quickstart.sh does: in a scratch
# directory, moved into place together, the development tokens printed once.
make_tokens() {
  if [[ -f $dir/tokens && -f $dir/service.token && -f $dir/dev-tokens.env ]]; then
    return 0
  fi
  local setup admin desk therapist
  setup=$(mktemp -d "$dir/.setup.XXXXXX")
  trap 'rm -rf "$setup"' EXIT
  new_token() { "$server" tokens add --tokens_file="$setup/tokens" "$@" | tail -n 1; }
  admin=$(new_token --role=admin --principal=dev-admin)
  desk=$(new_token --role=front_desk --principal=dev-desk)
  therapist=$(new_token --role=therapist --principal=dev-therapist --therapist=therapists/dev)
  new_token --role=service --principal=dev-services > "$setup/service.token"
  cat > "$setup/dev-tokens.env" <<TOKENS
# Development tokens for the velknee services under $dir. Source this file, then e.g.
#   VELKNEE_TOKEN=\$VELKNEE_DESK_TOKEN velknee-desk --target=127.0.0.1:${port[intake]} clients find
# The SERVICE token the services present to each other is in $dir/service.token.
VELKNEE_ADMIN_TOKEN=$admin
VELKNEE_DESK_TOKEN=$desk
VELKNEE_THERAPIST_TOKEN=$therapist
TOKENS
  rm -f "$dir/tokens.lock"
  mv "$setup/service.token" "$dir/service.token"
  mv "$setup/dev-tokens.env" "$dir/dev-tokens.env"
  mv "$setup/tokens" "$dir/tokens"
  rm -rf "$setup"
  trap - EXIT
  echo "Development tokens (shown once; also in $dir/dev-tokens.env):"
  grep '^VELKNEE_' "$dir/dev-tokens.env"
}

# Starts SERVICE and waits for its "listening on" line; fails if it exits or stays silent.
start_one() {
  local service=$1 log=$dir/$1.log offset pid deadline line
  local flags=(
    --services="$service"
    --listen="127.0.0.1:${port[$service]}"
    --data_dir="$dir/data/$service"
    --tokens_file="$dir/tokens"
    --service_token_file="$dir/service.token"
  )
  case $service in
    plans) flags+=(--intake_target="127.0.0.1:${port[intake]}") ;;
    scheduling)
      flags+=(--intake_target="127.0.0.1:${port[intake]}" --plans_target="127.0.0.1:${port[plans]}")
      ;;
    notes)
      flags+=(--plans_target="127.0.0.1:${port[plans]}"
        --scheduling_target="127.0.0.1:${port[scheduling]}")
      ;;
  esac
  if [[ -n $tls_dir ]]; then
    flags+=(
      --tls_cert_file="$tls_dir/server.crt" --tls_key_file="$tls_dir/server.key"
      --tls_client_ca_file="$tls_dir/ca.crt"
      --peer_tls_ca_file="$tls_dir/ca.crt"
      --peer_tls_cert_file="$tls_dir/client.crt" --peer_tls_key_file="$tls_dir/client.key"
    )
  fi
  touch "$log"
  offset=$(stat -c %s "$log")
  nohup "$server" "${flags[@]}" "${extra_flags[@]}" </dev/null >>"$log" 2>&1 &
  pid=$!
  echo "$pid" > "$dir/$service.pid"
  deadline=$((SECONDS + start_timeout))
  while ((SECONDS < deadline)); do
    line=$(tail -c +$((offset + 1)) "$log" | grep -m 1 '^listening on ' || true)
    if [[ -n $line ]]; then
      echo "$service $line (pid $pid)"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      wait "$pid" 2>/dev/null || true
      echo "$service exited at start:" >&2
      tail -c +$((offset + 1)) "$log" | tail -n 20 >&2
      rm -f "$dir/$service.pid"
      return 1
    fi
    sleep 0.1
  done
  echo "$service printed no \"listening on\" line within ${start_timeout}s; see $log" >&2
  stop_pid "$service" "$pid" || true
  return 1
}

case $action in
  stop)
    stop_all
    ;;
  status)
    status_all
    ;;
  start)
    if [[ ! -x $server ]]; then
      echo "no velknee-server at $server: build it (cmake --preset release &&" \
        "cmake --build --preset release --target velknee-server) or set VELKNEE_SERVER" >&2
      exit 1
    fi
    server=$(cd "$(dirname "$server")" && pwd)/$(basename "$server")
    if [[ -n $tls_dir ]]; then
      tls_dir=$(cd "$tls_dir" && pwd)
      for file in server.crt server.key client.crt client.key ca.crt; do
        if [[ ! -f $tls_dir/$file ]]; then
          echo "missing $tls_dir/$file (make it with deploy/make_dev_certs.sh $tls_dir)" >&2
          exit 1
        fi
      done
    fi
    umask 077
    make_tokens
    mkdir -p "$dir/data"
    started=()
    for service in "${services[@]}"; do
      if pid=$(running_pid "$service") && [[ -n $pid ]]; then
        echo "$service already running (pid $pid)"
        continue
      fi
      if ! start_one "$service"; then
        # Leave things as they were: stop only what this run started.
        for ((i = ${#started[@]} - 1; i >= 0; i--)); do
          pid=$(running_pid "${started[i]}")
          if [[ -n $pid ]]; then stop_pid "${started[i]}" "$pid" || true; fi
        done
        exit 1
      fi
      started+=("$service")
    done
    ;;
esac

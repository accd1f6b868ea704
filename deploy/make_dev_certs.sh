#!/usr/bin/env bash
# Makes a development certificate authority and certificates for TLS and mTLS with openssl:
#   ca.crt/ca.key          the CA (pass ca.crt to clients, and to --tls_client_ca_file for mTLS)
#   server.crt/server.key  for --tls_cert_file/--tls_key_file
#   client.crt/client.key  a client certificate for servers that require mTLS
# Usage: deploy/make_dev_certs.sh OUT_DIR [SERVER_NAME...]
#   SERVER_NAME  DNS names or IP addresses the server is reached by (default: localhost 127.0.0.1)
# For development and tests only: a clinic uses certificates from its own CA or provider.
set -euo pipefail

if [[ $# -lt 1 ]]; then
  echo "usage: $0 OUT_DIR [SERVER_NAME...]" >&2
  exit 2
fi
out=$1
shift
names=("$@")
if [[ ${#names[@]} -eq 0 ]]; then
  names=(localhost 127.0.0.1)
fi
san=""
for name in "${names[@]}"; do
  if [[ $name =~ ^[0-9.]+$ || $name == *:* ]]; then
    san+="${san:+,}IP:$name"
  else
    san+="${san:+,}DNS:$name"
  fi
done

mkdir -p "$out"
umask 077
cd "$out"
key_opts=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)

openssl req -x509 "${key_opts[@]}" -keyout ca.key -out ca.crt -days 30 \
  -subj "/CN=velknee development CA" 2>/dev/null

issue() {  # issue NAME SUBJECT EXTENSIONS
  openssl req "${key_opts[@]}" -keyout "$1.key" -out "$1.csr" -subj "$2" 2>/dev/null
  printf '%s\n' "$3" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 30 \
    -extfile "$1.ext" -out "$1.crt" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}
issue server "/CN=${names[0]}" "subjectAltName=$san
extendedKeyUsage=serverAuth"
issue client "/CN=velknee development client" "extendedKeyUsage=clientAuth"
rm -f ca.srl
echo "wrote ca, server and client certificates to $out (server names: ${names[*]})"

#include "services/server/flags.h"

#include "absl/flags/flag.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051",
          "Address to serve on, host:port. Port 0 picks a free port and prints it as "
          "`listening on HOST:PORT`. Non-loopback addresses need TLS or --allow_insecure.");
ABSL_FLAG(std::string, health_listen, "",
          "Optional second address, host:port, that answers only grpc.health.v1.Health checks, "
          "in plaintext and without a token (no clinical data crosses it): for probes that "
          "cannot speak TLS, such as the Kubernetes gRPC probe. Printed as `health checks on "
          "HOST:PORT`.");
ABSL_FLAG(std::string, metrics_listen, "",
          "Optional address, host:port, serving Prometheus metrics at /metrics over plain HTTP "
          "(call counts and latencies, commits, queues, process; no clinical data, no token). "
          "Port 0 picks a free port, printed as `metrics on HOST:PORT`. Like --health_listen, any "
          "address is allowed.");
ABSL_FLAG(std::string, data_dir, "",
          "Directory holding one SQLite database per hosted service (intake.db, plans.db, "
          "notes.db, scheduling.db). Created with mode 0700 if missing.");
ABSL_FLAG(std::string, tokens_file, "",
          "Tokens file (SHA-256 digests only) shared by all services. Changes are picked up "
          "within a second without a restart.");
ABSL_FLAG(std::string, service_token_file, "",
          "File holding the SERVICE token this process presents to other velknee services "
          "(kept in a file so it never shows in a process list).");
ABSL_FLAG(std::string, services, "intake,plans,notes,scheduling",
          "Comma-separated services to host in this process.");
ABSL_FLAG(std::string, intake_target, "",
          "host:port of the intake service when it runs in another process; unset means this "
          "process hosts it.");
ABSL_FLAG(std::string, plans_target, "",
          "host:port of the plans service when it runs in another process.");
ABSL_FLAG(std::string, scheduling_target, "",
          "host:port of the scheduling service when it runs in another process.");
ABSL_FLAG(bool, peer_allow_insecure, false,
          "Reach non-loopback peers in plaintext (the SERVICE token then crosses the network "
          "unencrypted). Only when the network is protected some other way.");
ABSL_FLAG(std::string, peer_tls_ca_file, "",
          "PEM CA that verifies remote peers (system roots when unset). Remote peers off "
          "loopback are always reached over TLS.");
ABSL_FLAG(std::string, peer_tls_cert_file, "",
          "PEM client certificate presented to peers that require mTLS.");
ABSL_FLAG(std::string, peer_tls_key_file, "", "PEM key of --peer_tls_cert_file.");
ABSL_FLAG(std::string, tls_cert_file, "", "PEM certificate chain for TLS.");
ABSL_FLAG(std::string, tls_key_file, "", "PEM private key for TLS.");
ABSL_FLAG(std::string, tls_client_ca_file, "",
          "PEM CA; when set, clients must present a certificate it signed (mTLS).");
ABSL_FLAG(bool, allow_insecure, false,
          "Serve plaintext on a non-loopback address. Only when the network is protected "
          "some other way.");
ABSL_FLAG(std::string, sqlite_synchronous, "FULL",
          "FULL: an acknowledged write survives a power cut. NORMAL: faster; the last writes "
          "before a power cut may be lost (the database stays consistent).");
ABSL_FLAG(absl::Duration, drain_timeout, absl::Seconds(10),
          "On SIGTERM/SIGINT, how long in-flight calls may take to finish before they are "
          "cancelled.");
ABSL_FLAG(absl::Duration, default_call_timeout, absl::Seconds(30),
          "The longest a call may take: the deadline of calls that arrive without one, and the "
          "cap on longer deadlines callers send.");
ABSL_FLAG(std::string, clinic_time_zone, "UTC",
          "The clinic's IANA time zone (e.g. Europe/London): calendar dates such as \"birth "
          "date in the past\" are judged in it.");
ABSL_FLAG(std::string, log_format, "text",
          "The request log on stderr, one line per call: text (key=value) or json (one object "
          "per line).");
ABSL_FLAG(std::string, role, "", "tokens add: therapist, front_desk, service or admin.");
ABSL_FLAG(std::string, principal, "",
          "tokens add|revoke: the principal id (1-64 of a-z, 0-9, '.', '_', '-').");
ABSL_FLAG(std::string, therapist, "",
          "tokens add --role=therapist: the therapist the token acts as, therapists/ID.");

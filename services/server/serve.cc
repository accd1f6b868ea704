#include <signal.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "common/auth/token_store.h"
#include "common/server/grpc_server.h"
#include "common/server/request_log.h"
#include "common/status/macros.h"
#include "services/server/commands.h"
#include "services/server/flags.h"
#include "services/server/peers.h"
#include "services/server/server_metrics.h"
#include "services/server/service_set.h"

namespace velknee::server {
namespace {

absl::Status MakeDataDir(const std::string& dir) {
  if (dir.empty()) return absl::InvalidArgumentError("--data_dir is required");
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return absl::UnavailableError(absl::StrCat("cannot create --data_dir ", dir));
  }
  return absl::OkStatus();
}

// The SERVICE token this process presents to its peers, or "" when no hosted service calls
// another. Checked at start, so a misconfigured deployment fails now with a clear message
// instead of failing calls later.
absl::StatusOr<std::string> ReadServiceToken(const std::vector<const ServiceKind*>& kinds,
                                             TokenStore& tokens) {
  bool calls_peers = false;
  for (const ServiceKind* kind : kinds) calls_peers = calls_peers || !kind->calls[0].empty();
  const std::string path = absl::GetFlag(FLAGS_service_token_file);
  if (path.empty()) {
    if (!calls_peers) return std::string();
    return absl::InvalidArgumentError(
        "--service_token_file is required: plans, notes and scheduling call other services "
        "with a SERVICE token");
  }
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read --service_token_file ", path));
  std::string token(absl::StripAsciiWhitespace(content.str()));
  absl::StatusOr<Principal> principal = tokens.Authenticate(token);
  if (!principal.ok() || principal->role != Role::kService) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--service_token_file ", path, " does not hold a SERVICE token of --tokens_file"));
  }
  return token;
}

absl::Status ServeUntilSignal() {
  VELKNEE_ASSIGN_OR_RETURN(std::vector<const ServiceKind*> kinds,
                           ParseServiceList(absl::GetFlag(FLAGS_services)));
  const std::string synchronous = absl::GetFlag(FLAGS_sqlite_synchronous);
  if (synchronous != "FULL" && synchronous != "NORMAL") {
    return absl::InvalidArgumentError("--sqlite_synchronous must be FULL or NORMAL");
  }
  VELKNEE_ASSIGN_OR_RETURN(const LogFormat log_format,
                           ParseLogFormat(absl::GetFlag(FLAGS_log_format)));
  RequestLog::OfProcess().set_format(log_format);
  if (absl::GetFlag(FLAGS_tokens_file).empty()) {
    return absl::InvalidArgumentError(
        "--tokens_file is required (create one with `velknee-server tokens add`)");
  }
  ServerOptions server_options;
  server_options.listen = absl::GetFlag(FLAGS_listen);
  server_options.health_listen = absl::GetFlag(FLAGS_health_listen);
  server_options.tls = {absl::GetFlag(FLAGS_tls_cert_file), absl::GetFlag(FLAGS_tls_key_file),
                        absl::GetFlag(FLAGS_tls_client_ca_file)};
  server_options.allow_insecure = absl::GetFlag(FLAGS_allow_insecure);
  const std::string metrics_listen = absl::GetFlag(FLAGS_metrics_listen);
  // Refuse an insecure address before touching any data.
  VELKNEE_RETURN_IF_ERROR(CheckTransportSecurity(server_options));
  if (!metrics_listen.empty()) {
    VELKNEE_RETURN_IF_ERROR(CheckMetricsListen(metrics_listen));
  }
  VELKNEE_RETURN_IF_ERROR(MakeDataDir(absl::GetFlag(FLAGS_data_dir)));
  VELKNEE_ASSIGN_OR_RETURN(std::unique_ptr<TokenStore> tokens,
                           TokenStore::Open(absl::GetFlag(FLAGS_tokens_file)));
  VELKNEE_ASSIGN_OR_RETURN(const std::string service_token, ReadServiceToken(kinds, *tokens));
  // Made before everything that reports to it, so it outlives them all.
  std::unique_ptr<ServerMetrics> metrics;
  if (!metrics_listen.empty()) {
    std::vector<std::string> service_names;
    for (const ServiceKind* kind : kinds) service_names.emplace_back(kind->full_name);
    metrics = std::make_unique<ServerMetrics>(service_names);
    server_options.call_metrics = metrics->calls();
  }
  PeerOptions peer_options;
  peer_options.intake_target = absl::GetFlag(FLAGS_intake_target);
  peer_options.plans_target = absl::GetFlag(FLAGS_plans_target);
  peer_options.scheduling_target = absl::GetFlag(FLAGS_scheduling_target);
  peer_options.tls = {absl::GetFlag(FLAGS_peer_tls_cert_file),
                      absl::GetFlag(FLAGS_peer_tls_key_file),
                      absl::GetFlag(FLAGS_peer_tls_ca_file)};
  peer_options.allow_insecure = absl::GetFlag(FLAGS_peer_allow_insecure);
  VELKNEE_ASSIGN_OR_RETURN(std::unique_ptr<PeerSet> peers,
                           PeerSet::Create(kinds, peer_options, service_token, metrics.get()));

  absl::TimeZone clinic_time_zone;
  if (!absl::LoadTimeZone(absl::GetFlag(FLAGS_clinic_time_zone), &clinic_time_zone)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--clinic_time_zone: unknown time zone \"", absl::GetFlag(FLAGS_clinic_time_zone),
        "\" (use an IANA name such as Europe/London; install tzdata)"));
  }
  const HostOptions host_options{absl::GetFlag(FLAGS_data_dir), synchronous == "FULL",
                                 absl::GetFlag(FLAGS_default_call_timeout), clinic_time_zone,
                                 metrics.get()};
  VELKNEE_ASSIGN_OR_RETURN(std::vector<HostedService> hosted,
                           HostServices(kinds, host_options, tokens.get(), *peers));
  // Bound before the gRPC server starts, so a metrics port in use fails before any call is served.
  std::unique_ptr<HttpServer> metrics_server;
  if (metrics != nullptr) {
    VELKNEE_ASSIGN_OR_RETURN(metrics_server, ServeMetrics(metrics_listen, *metrics));
  }
  VELKNEE_ASSIGN_OR_RETURN(
      std::unique_ptr<GrpcServer> server,
      GrpcServer::Start(server_options, GrpcServices(hosted), HealthNames(hosted)));

  peers->ConnectInProcess(server->InProcessChannel());
  const std::string& listen = server_options.listen;
  absl::PrintF("listening on %s:%d\n", listen.substr(0, listen.rfind(':')), server->port());
  if (const std::string& health = server_options.health_listen; !health.empty()) {
    absl::PrintF("health checks on %s:%d\n", health.substr(0, health.rfind(':')),
                 server->health_port());
  }
  if (metrics_server != nullptr) {
    absl::PrintF("metrics on %s:%d\n", metrics_listen.substr(0, metrics_listen.rfind(':')),
                 metrics_server->port());
  }
  std::fflush(stdout);

  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  const absl::Duration drain = absl::GetFlag(FLAGS_drain_timeout);
  absl::FPrintF(stderr, "velknee-server: %s received, finishing in-flight calls (up to %s)\n",
                signal_number == SIGINT ? "SIGINT" : "SIGTERM", absl::FormatDuration(drain));
  server->Shutdown(drain);
  server.reset();
  // Metrics stayed scrapeable while calls drained. The metrics server's Stop is bounded by its
  // read/write timeouts; it reads the audit queues, so it stops before they are flushed.
  metrics_server.reset();
  // Each service's audit queue writes the events still queued as it is destroyed.
  hosted.clear();
  RequestLog::OfProcess().Flush();
  absl::FPrintF(stderr, "velknee-server: stopped\n");
  return absl::OkStatus();
}

}  // namespace

int Serve() {
  // Block the stop signals before any thread starts (gRPC's, the audit writers), so every thread
  // inherits the mask and only sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  // Debian's Abseil is built with Mutex deadlock detection on, which keeps a lock graph updated
  // on every acquisition: 2-3% of a GetClient call's CPU under perf.
  // In-process tests keep it on, where it catches lock-order mistakes.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  // Databases, their WAL files and the data directory hold clinical data: owner only.
  ::umask(077);
  if (absl::Status status = ServeUntilSignal(); !status.ok()) {
    absl::FPrintF(stderr, "velknee-server: %s\n", status.message());
    return 1;
  }
  return 0;
}

}  // namespace velknee::server

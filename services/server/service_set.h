#ifndef VELKNEE_SERVICES_SERVER_SERVICE_SET_H_
#define VELKNEE_SERVICES_SERVER_SERVICE_SET_H_

// The services one velknee-server process can host, and what each owns: its database file
// and its gRPC service object.

#include <array>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/audit/audit_queue.h"
#include "common/auth/token_store.h"
#include "common/storage/database.h"
#include "grpcpp/impl/codegen/service_type.h"

namespace velknee::server {

class PeerSet;
class ServerMetrics;

// Every service velknee knows, by the name --services uses.
struct ServiceKind {
  absl::string_view name;       // "intake"
  absl::string_view database;   // "intake.db"
  absl::string_view full_name;  // "velknee.intake.v1.IntakeService"
  // The services it calls through their contracts (DESIGN §2); empty entries are unused.
  std::array<absl::string_view, 2> calls;
};

// The kind named `name`, or null.
const ServiceKind* FindServiceKind(absl::string_view name);
std::span<const ServiceKind> AllServiceKinds();

// One service running in this process.
struct HostedService {
  const ServiceKind* kind;
  std::unique_ptr<Database> db;
  std::unique_ptr<AuditQueue> audit;  // Reads and denials; written into `db`.
  std::unique_ptr<grpc::Service> service;
};

// Parses --services ("intake,plans"); INVALID_ARGUMENT naming an unknown or repeated service.
absl::StatusOr<std::vector<const ServiceKind*>> ParseServiceList(absl::string_view list);

struct HostOptions {
  std::string data_dir;
  bool synchronous_full = true;
  absl::Duration default_call_timeout;
  absl::TimeZone clinic_time_zone;
  // When set, each database reports its commits and each audit queue its depth here.
  ServerMetrics* metrics = nullptr;
};

// Opens each service's database (migrating it) and builds its gRPC service.
// `peers` holds the services the hosted ones call (see peers.h); it must outlive them.
absl::StatusOr<std::vector<HostedService>> HostServices(
    const std::vector<const ServiceKind*>& kinds, const HostOptions& options, TokenStore* tokens,
    const PeerSet& peers);

// The gRPC service objects of `hosted`, to register on a server.
std::vector<grpc::Service*> GrpcServices(const std::vector<HostedService>& hosted);

// The full names the health service reports SERVING: every hosted service.
std::vector<std::string> HealthNames(const std::vector<HostedService>& hosted);

}  // namespace velknee::server

#endif  // VELKNEE_SERVICES_SERVER_SERVICE_SET_H_

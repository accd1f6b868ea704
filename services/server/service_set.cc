#include "services/server/service_set.h"

#include <array>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "services/intake/intake_service.h"
#include "services/notes/note_service.h"
#include "services/plans/plan_service.h"
#include "services/scheduling/scheduling_service.h"
#include "services/server/peers.h"
#include "services/server/server_metrics.h"

namespace velknee::server {
namespace {

constexpr std::array<ServiceKind, 4> kKinds = {{
    {"intake", "intake.db", "velknee.intake.v1.IntakeService", {}},
    {"plans", "plans.db", "velknee.plans.v1.TreatmentPlanService", {"intake"}},
    {"notes", "notes.db", "velknee.notes.v1.SessionNoteService", {"plans", "scheduling"}},
    {"scheduling", "scheduling.db", "velknee.scheduling.v1.SchedulingService", {"intake", "plans"}},
}};

absl::StatusOr<std::unique_ptr<Database>> OpenServiceDatabase(
    const ServiceKind& kind, const HostOptions& options, std::span<const Migration> migrations) {
  DatabaseOptions db_options;
  db_options.path = absl::StrCat(options.data_dir, "/", kind.database);
  db_options.synchronous_full = options.synchronous_full;
  if (options.metrics != nullptr) db_options.on_commit = options.metrics->CommitObserver(kind.name);
  return Database::Open(db_options, migrations);
}

}  // namespace

std::span<const ServiceKind> AllServiceKinds() { return kKinds; }

const ServiceKind* FindServiceKind(absl::string_view name) {
  for (const ServiceKind& kind : kKinds) {
    if (kind.name == name) return &kind;
  }
  return nullptr;
}

absl::StatusOr<std::vector<const ServiceKind*>> ParseServiceList(absl::string_view list) {
  std::vector<const ServiceKind*> kinds;
  absl::flat_hash_set<absl::string_view> seen;
  for (absl::string_view name : absl::StrSplit(list, ',', absl::SkipWhitespace())) {
    const ServiceKind* found = FindServiceKind(name);
    if (found == nullptr) {
      return InvalidField("services", absl::StrCat("unknown service \"", name,
                                                   "\" (intake, plans, notes, scheduling)"));
    }
    if (!seen.insert(name).second) {
      return InvalidField("services", absl::StrCat("lists \"", name, "\" twice"));
    }
    kinds.push_back(found);
  }
  if (kinds.empty()) return InvalidField("services", "must name at least one service");
  return kinds;
}

absl::StatusOr<std::vector<HostedService>> HostServices(
    const std::vector<const ServiceKind*>& kinds, const HostOptions& options, TokenStore* tokens,
    const PeerSet& peers) {
  std::vector<HostedService> hosted;
  for (const ServiceKind* kind : kinds) {
    HostedService entry{kind, nullptr, nullptr, nullptr};
    const std::vector<Migration> migrations = kind->name == "intake"  ? intake::IntakeMigrations()
                                              : kind->name == "plans" ? plans::PlanMigrations()
                                              : kind->name == "notes"
                                                  ? notes::NoteMigrations()
                                                  : scheduling::SchedulingMigrations();
    VELKNEE_ASSIGN_OR_RETURN(entry.db, OpenServiceDatabase(*kind, options, migrations));
    entry.audit = std::make_unique<AuditQueue>(entry.db.get());
    if (options.metrics != nullptr) options.metrics->WatchAuditQueue(kind->name, entry.audit.get());
    Database* db = entry.db.get();
    AuditQueue* audit = entry.audit.get();
    const absl::Duration timeout = options.default_call_timeout;
    const absl::TimeZone zone = options.clinic_time_zone;
    if (kind->name == "intake") {
      entry.service = std::make_unique<intake::IntakeService>(db, audit, tokens, timeout, zone);
    } else if (kind->name == "plans") {
      entry.service =
          std::make_unique<plans::PlanService>(db, audit, tokens, timeout, peers.Find("intake"));
    } else if (kind->name == "notes") {
      entry.service = std::make_unique<notes::NoteService>(
          db, audit, tokens, timeout, zone, peers.Find("plans"), peers.Find("scheduling"));
    } else {
      entry.service = std::make_unique<scheduling::SchedulingService>(
          db, audit, tokens, timeout, zone, peers.Find("intake"), peers.Find("plans"));
    }
    hosted.push_back(std::move(entry));
  }
  return hosted;
}

std::vector<grpc::Service*> GrpcServices(const std::vector<HostedService>& hosted) {
  std::vector<grpc::Service*> services;
  for (const HostedService& entry : hosted) services.push_back(entry.service.get());
  return services;
}

std::vector<std::string> HealthNames(const std::vector<HostedService>& hosted) {
  std::vector<std::string> names;
  for (const HostedService& entry : hosted) names.emplace_back(entry.kind->full_name);
  return names;
}

}  // namespace velknee::server

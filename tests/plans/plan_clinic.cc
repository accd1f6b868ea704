#include "tests/plans/plan_clinic.h"

#include <signal.h>

#include <fstream>
#include <sstream>

#include "SQLiteCpp/Database.h"
#include "SQLiteCpp/Statement.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/auth/tokens_file.h"
#include "common/client/channel.h"
#include "gtest/gtest.h"
#include "tests/harness/audit_rows.h"

namespace velknee::test {
namespace {

using common::v1::Region;

constexpr absl::string_view kPlansMethodPrefix = "/velknee.plans.v1.TreatmentPlanService/";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

std::vector<std::string> ReadAuditRows(SQLite::Database& db, absl::string_view method) {
  return ResourceCodeRows(db, absl::StrCat(kPlansMethodPrefix, method));
}

std::shared_ptr<grpc::Channel> Loopback(int port) {
  ChannelOptions options;
  options.target = absl::StrCat("127.0.0.1:", port);
  return *MakeChannel(options);
}

// ClinicServer("intake,plans"): both services in this process, plans reaching intake through
// the server's in-process channel.
class OneProcessClinic : public PlansClinic {
 public:
  OneProcessClinic() : server_("intake,plans") {}

  std::shared_ptr<grpc::Channel> intake_channel() const override { return server_.channel(); }
  std::shared_ptr<grpc::Channel> plans_channel() const override { return server_.channel(); }
  const std::string& token(Role role) const override { return server_.token(role); }

  std::vector<std::string> AuditRows(absl::string_view method) const override {
    std::vector<std::string> rows;
    EXPECT_TRUE(server_.database("plans")
                    .Read([&](SQLite::Database& db) {
                      rows = ReadAuditRows(db, method);
                      return absl::OkStatus();
                    })
                    .ok());
    return rows;
  }

 private:
  ClinicServer server_;
};

}  // namespace

std::string TopologyName(Topology topology) {
  return topology == Topology::kOneProcess ? "OneProcess" : "TwoProcesses";
}

void PlansClinic::Prepare(grpc::ClientContext& context, Role role, absl::Duration timeout) const {
  PrepareContext(context, token(role), absl::Now() + timeout);
}

ClinicRecords PlansClinic::Records() const {
  return ClinicRecords(intake_channel(), plans_channel(),
                       [this](grpc::ClientContext& context, Role role) { Prepare(context, role); });
}

std::unique_ptr<PlansClinic> PlansClinic::Start(Topology topology) {
  if (topology == Topology::kOneProcess) return std::make_unique<OneProcessClinic>();
  auto clinic = std::make_unique<TwoProcessClinic>();
  if (!clinic->started()) {
    ADD_FAILURE() << "the two velknee-server processes did not start:\n" << clinic->Logs();
    return nullptr;
  }
  return clinic;
}

TwoProcessClinic::TwoProcessClinic(std::optional<std::string> intake_target) {
  const std::string tokens_file = dir_.File("tokens");
  const std::map<Role, Principal> principals = {
      {Role::kTherapist, {"ana", Role::kTherapist, "therapists/ana"}},
      {Role::kFrontDesk, {"desk-1", Role::kFrontDesk, ""}},
      {Role::kService, {"plans-service", Role::kService, ""}},
      {Role::kAdmin, {"admin", Role::kAdmin, ""}},
  };
  for (const auto& [role, principal] : principals) {
    absl::StatusOr<std::string> token = AddToken(tokens_file, principal);
    if (!token.ok()) {
      ADD_FAILURE() << "add token: " << token.status();
      return;
    }
    tokens_[role] = *token;
  }
  std::ofstream(dir_.File("service.token")) << tokens_.at(Role::kService) << "\n";

  if (!intake_target.has_value()) {
    intake_ = std::make_unique<Process>(
        std::vector<std::string>{ServerBinary(), "--listen=127.0.0.1:0", "--services=intake",
                                 "--data_dir=" + dir_.File("intake-data"),
                                 "--tokens_file=" + tokens_file},
        dir_.File("intake.log"));
    intake_port_ = WaitForListening(*intake_);
    if (intake_port_ == 0) return;
    intake_target = absl::StrCat("127.0.0.1:", intake_port_);
    intake_channel_ = Loopback(intake_port_);
  }
  plans_ = std::make_unique<Process>(
      std::vector<std::string>{
          ServerBinary(), "--listen=127.0.0.1:0", "--services=plans",
          "--intake_target=" + *intake_target, "--data_dir=" + dir_.File("plans-data"),
          "--tokens_file=" + tokens_file, "--service_token_file=" + dir_.File("service.token")},
      dir_.File("plans.log"));
  plans_port_ = WaitForListening(*plans_);
  if (plans_port_ != 0) plans_channel_ = Loopback(plans_port_);
}

TwoProcessClinic::~TwoProcessClinic() {
  plans_channel_.reset();
  intake_channel_.reset();
  if (plans_ != nullptr) plans_->Stop(SIGTERM, absl::Seconds(10));
  if (intake_ != nullptr) intake_->Stop(SIGTERM, absl::Seconds(10));
}

std::vector<std::string> TwoProcessClinic::AuditRows(absl::string_view method) const {
  std::vector<std::string> rows;
  try {
    SQLite::Database db(dir_.File("plans-data/plans.db"), SQLite::OPEN_READONLY);
    rows = ReadAuditRows(db, method);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "reading plans.db: " << e.what();
  }
  return rows;
}

int TwoProcessClinic::StopIntake() {
  if (intake_ == nullptr) return -1;
  // Close this process's idle connection first: an idle client here only notices the server's
  // GOAWAY at gRPC's next backup poll, and the server's drain would wait for it (10 s).
  intake_channel_.reset();
  return intake_->Stop(SIGTERM, absl::Seconds(10));
}

std::string TwoProcessClinic::Logs() const {
  return absl::StrCat("--- intake ---\n", ReadFile(dir_.File("intake.log")), "--- plans ---\n",
                      ReadFile(dir_.File("plans.log")));
}

std::string IntakeRecords::NewClient(const std::string& given_name,
                                     const std::string& family_name) const {
  return clinic_.Records().NewClient(given_name, family_name, "0161 496 0123").name();
}

intake::v1::Assessment IntakeRecords::NewAssessment(
    const std::string& client, const std::vector<intake::v1::ConditionFlag>& conditions,
    bool submit, bool medical_clearance) const {
  intake::v1::Assessment assessment =
      KneeAssessment("Knee pain after kneeling and stairs", 5, "Signed by the client");
  for (const intake::v1::ConditionFlag& flag : conditions) *assessment.add_conditions() = flag;
  if (medical_clearance) {
    assessment.mutable_medical_clearance()->set_cleared_by("Dr. Imogen Example");
    *assessment.mutable_medical_clearance()->mutable_clearance_date() = DateOf(TodayUtc());
  }
  return clinic_.Records().NewAssessment(client, assessment, submit);
}

ClientWithAssessment NewScreenedClient(const PlansClinic& clinic, const std::string& given_name,
                                       const std::string& family_name,
                                       const std::vector<intake::v1::ConditionFlag>& conditions) {
  IntakeRecords intake(clinic);
  ClientWithAssessment result;
  result.client = intake.NewClient(given_name, family_name);
  if (!result.client.empty()) result.assessment = intake.NewAssessment(result.client, conditions);
  return result;
}

plans::v1::PlannedTechnique Planned(common::v1::Technique technique, std::vector<Region> regions,
                                    common::v1::Pressure pressure, int minutes) {
  plans::v1::PlannedTechnique planned;
  planned.set_technique(technique);
  for (const Region& region : regions) *planned.add_regions() = region;
  planned.set_pressure(pressure);
  planned.set_minutes(minutes);
  return planned;
}

plans::v1::Cadence Every(int interval_days, int planned_sessions, int session_minutes) {
  plans::v1::Cadence cadence;
  cadence.set_interval_days(interval_days);
  cadence.set_planned_sessions(planned_sessions);
  cadence.set_session_minutes(session_minutes);
  return cadence;
}

plans::v1::Goal PainGoal(const std::string& description, int target_pain) {
  plans::v1::Goal goal;
  goal.set_description(description);
  goal.set_target_pain(target_pain);
  return goal;
}

common::v1::HomeExercise Exercise(const std::string& name, int sets, int hold_seconds,
                                  int times_per_week) {
  common::v1::HomeExercise exercise;
  exercise.set_name(name);
  exercise.set_sets(sets);
  exercise.set_hold_seconds(hold_seconds);
  exercise.set_times_per_week(times_per_week);
  return exercise;
}

plans::v1::TreatmentPlan GardenerPlan(const std::string& assessment) {
  using namespace common::v1;  // NOLINT: enum values read as the clinic speaks
  plans::v1::TreatmentPlan plan;
  plan.set_assessment(assessment);
  *plan.add_goals() = PainGoal("Kneel in the garden for an hour with pain at most 2", 2);
  *plan.add_techniques() = Planned(
      TECHNIQUE_TRIGGER_POINT, {Where(BODY_REGION_QUADRICEPS, SIDE_BILATERAL)}, PRESSURE_FIRM, 20);
  *plan.add_techniques() =
      Planned(TECHNIQUE_MYOFASCIAL_RELEASE, {Where(BODY_REGION_IT_BAND, SIDE_BILATERAL)},
              PRESSURE_MODERATE, 15);
  *plan.add_techniques() = Planned(
      TECHNIQUE_DEEP_TISSUE, {Where(BODY_REGION_HIP_FLEXORS, SIDE_BILATERAL)}, PRESSURE_DEEP, 20);
  *plan.mutable_cadence() = Every(7, 6, 60);
  *plan.add_home_care() = Exercise("Standing quadriceps stretch", 3, 30, 7);
  *plan.add_home_care() = Exercise("Kneeling hip-flexor stretch", 3, 30, 7);
  return plan;
}

plans::v1::TreatmentPlan OfficeWorkerDeepTissuePlan(const std::string& assessment) {
  using namespace common::v1;  // NOLINT
  plans::v1::TreatmentPlan plan;
  plan.set_assessment(assessment);
  *plan.add_goals() = PainGoal("Sit through a working day with pain at most 2", 2);
  *plan.add_techniques() = Planned(TECHNIQUE_DEEP_TISSUE,
                                   {Where(BODY_REGION_HAMSTRINGS, SIDE_RIGHT)}, PRESSURE_FIRM, 30);
  *plan.mutable_cadence() = Every(7, 6, 45);
  return plan;
}

plans::v1::TreatmentPlan OfficeWorkerGentlePlan(const std::string& assessment) {
  using namespace common::v1;  // NOLINT
  plans::v1::TreatmentPlan plan;
  plan.set_assessment(assessment);
  *plan.add_goals() = PainGoal("Sit through a working day with pain at most 2", 2);
  *plan.add_techniques() = Planned(TECHNIQUE_MYOFASCIAL_RELEASE,
                                   {Where(BODY_REGION_HAMSTRINGS, SIDE_RIGHT)}, PRESSURE_LIGHT, 20);
  *plan.add_techniques() = Planned(TECHNIQUE_TRIGGER_POINT, {Where(BODY_REGION_CALF, SIDE_RIGHT)},
                                   PRESSURE_MODERATE, 15);
  *plan.mutable_cadence() = Every(14, 4, 45);
  *plan.add_home_care() = Exercise("Seated hamstring stretch", 3, 30, 5);
  return plan;
}

}  // namespace velknee::test

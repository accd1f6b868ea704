#include "tests/plans/plan_clinic.h"

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "SQLiteCpp/Database.h"
#include "SQLiteCpp/Statement.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "common/auth/tokens_file.h"
#include "common/client/channel.h"
#include "common/status/grpc_status.h"
#include "gtest/gtest.h"

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
  std::vector<std::string> rows;
  SQLite::Statement query(db, "SELECT resource, code FROM audit_log WHERE method = ? ORDER BY seq");
  query.bind(1, absl::StrCat(kPlansMethodPrefix, method));
  while (query.executeStep()) {
    rows.push_back(absl::StrCat(query.getColumn(0).getString(), " ", query.getColumn(1).getInt()));
  }
  return rows;
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

int UnusedLoopbackPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  ::close(fd);
  return port;
}

std::string IntakeRecords::NewClient(const std::string& given_name,
                                     const std::string& family_name) const {
  intake::v1::CreateClientRequest request;
  request.mutable_client()->set_given_name(given_name);
  request.mutable_client()->set_family_name(family_name);
  request.mutable_client()->set_phone("0161 496 0123");
  grpc::ClientContext context;
  clinic_.Prepare(context, Role::kTherapist);
  intake::v1::Client client;
  const grpc::Status status = clinic_.IntakeStub()->CreateClient(&context, request, &client);
  EXPECT_TRUE(status.ok()) << "CreateClient: " << status.error_message();
  return client.name();
}

intake::v1::Assessment IntakeRecords::NewAssessment(
    const std::string& client, const std::vector<intake::v1::ConditionFlag>& conditions,
    bool submit, bool medical_clearance) const {
  auto stub = clinic_.IntakeStub();
  intake::v1::CreateAssessmentRequest create;
  create.set_parent(client);
  intake::v1::Assessment& assessment = *create.mutable_assessment();
  assessment.set_chief_complaint("Knee pain after kneeling and stairs");
  intake::v1::Pain& pain = *assessment.mutable_pain();
  *pain.add_regions() = Where(common::v1::BODY_REGION_KNEE_ANTERIOR, common::v1::SIDE_BILATERAL);
  pain.set_current(5);
  assessment.set_health_screen_completed(true);
  for (const intake::v1::ConditionFlag& flag : conditions) *assessment.add_conditions() = flag;
  if (medical_clearance) {
    assessment.mutable_medical_clearance()->set_cleared_by("Dr. Imogen Example");
    const absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
    google::type::Date& date = *assessment.mutable_medical_clearance()->mutable_clearance_date();
    date.set_year(static_cast<int>(today.year()));
    date.set_month(today.month());
    date.set_day(today.day());
  }
  assessment.mutable_consent()->set_informed_consent(true);
  assessment.mutable_consent()->set_signer_name("Signed by the client");

  intake::v1::Assessment created;
  {
    grpc::ClientContext context;
    clinic_.Prepare(context, Role::kTherapist);
    const grpc::Status status = stub->CreateAssessment(&context, create, &created);
    EXPECT_TRUE(status.ok()) << "CreateAssessment: " << status.error_message();
    if (!status.ok() || !submit) return created;
  }
  intake::v1::SubmitAssessmentRequest submit_request;
  submit_request.set_name(created.name());
  intake::v1::Assessment submitted;
  grpc::ClientContext context;
  clinic_.Prepare(context, Role::kTherapist);
  const grpc::Status status = stub->SubmitAssessment(&context, submit_request, &submitted);
  EXPECT_TRUE(status.ok()) << "SubmitAssessment: " << status.error_message();
  return submitted;
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

intake::v1::ConditionFlag Flag(common::v1::Condition condition, std::vector<Region> regions) {
  intake::v1::ConditionFlag flag;
  flag.set_condition(condition);
  for (const Region& region : regions) *flag.add_regions() = region;
  return flag;
}

Region Where(common::v1::BodyRegion body_region, common::v1::Side side) {
  Region region;
  region.set_region(body_region);
  region.set_side(side);
  return region;
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

std::string ErrorReason(const grpc::Status& status) {
  const google::rpc::Status details = RpcStatusDetails(status);
  for (const google::protobuf::Any& detail : details.details()) {
    google::rpc::ErrorInfo info;
    if (detail.UnpackTo(&info) && info.domain() == "velknee") return info.reason();
  }
  return "";
}

std::vector<std::string> ViolatedFields(const grpc::Status& status) {
  std::vector<std::string> fields;
  const google::rpc::Status details = RpcStatusDetails(status);
  for (const google::protobuf::Any& detail : details.details()) {
    google::rpc::BadRequest bad_request;
    if (!detail.UnpackTo(&bad_request)) continue;
    for (const auto& violation : bad_request.field_violations()) {
      fields.push_back(violation.field());
    }
  }
  return fields;
}

std::vector<google::rpc::PreconditionFailure::Violation> PreconditionViolations(
    const grpc::Status& status) {
  std::vector<google::rpc::PreconditionFailure::Violation> violations;
  const google::rpc::Status details = RpcStatusDetails(status);
  for (const google::protobuf::Any& detail : details.details()) {
    google::rpc::PreconditionFailure failure;
    if (!detail.UnpackTo(&failure)) continue;
    for (const auto& violation : failure.violations()) violations.push_back(violation);
  }
  return violations;
}

}  // namespace velknee::test

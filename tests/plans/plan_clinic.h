#ifndef VELKNEE_TESTS_PLANS_PLAN_CLINIC_H_
#define VELKNEE_TESTS_PLANS_PLAN_CLINIC_H_

// What the plan tests need around TreatmentPlanService: the intake and plans services in one
// of the two deployments DESIGN §2 allows, intake records made through IntakeService's own
// stubs (as a therapist would make them on the tablet), and plan builders.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "google/rpc/error_details.pb.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "tests/harness/clinic_records.h"
#include "tests/harness/clinic_server.h"
#include "tests/harness/subprocess.h"
#include "tests/support/proto_builders.h"
#include "tests/support/status_details.h"
#include "tests/support/temp_dir.h"
#include "velknee/intake/v1/intake_service.grpc.pb.h"
#include "velknee/plans/v1/treatment_plan_service.grpc.pb.h"

namespace velknee::test {

enum class Topology {
  kOneProcess,    // ClinicServer("intake,plans"): plans calls intake in-process.
  kTwoProcesses,  // Two velknee-server processes on loopback: plans --intake_target=intake.
};

std::string TopologyName(Topology topology);

// Test names and failure messages show "OneProcess", not the enum's bytes.
inline void PrintTo(Topology topology, std::ostream* os) { *os << TopologyName(topology); }

// Intake and plans, somewhere, with one token per role (the therapist acts as therapists/ana).
class PlansClinic {
 public:
  virtual ~PlansClinic() = default;

  // Starts a clinic; null (after a test failure) when it could not start.
  static std::unique_ptr<PlansClinic> Start(Topology topology);

  virtual std::shared_ptr<grpc::Channel> intake_channel() const = 0;
  virtual std::shared_ptr<grpc::Channel> plans_channel() const = 0;
  virtual const std::string& token(Role role) const = 0;

  // Rows of plans.db's audit_log whose method is TreatmentPlanService/`method`, in order, as
  // "resource code". Writes are audited in their own transaction, so their rows are there as
  // soon as the call returns.
  virtual std::vector<std::string> AuditRows(absl::string_view method) const = 0;

  // Sets the bearer token of `role` and a deadline `timeout` from now.
  void Prepare(grpc::ClientContext& context, Role role,
               absl::Duration timeout = absl::Seconds(10)) const;

  // Makes records through this clinic's intake and plans channels.
  ClinicRecords Records() const;

  std::unique_ptr<intake::v1::IntakeService::Stub> IntakeStub() const {
    return intake::v1::IntakeService::NewStub(intake_channel());
  }
  std::unique_ptr<plans::v1::TreatmentPlanService::Stub> PlansStub() const {
    return plans::v1::TreatmentPlanService::NewStub(plans_channel());
  }
};

// The two-process deployment: one velknee-server with --services=intake, one with
// --services=plans --intake_target=127.0.0.1:<intake port>, sharing a tokens file; plans
// presents a SERVICE token from --service_token_file.
class TwoProcessClinic : public PlansClinic {
 public:
  // With `intake_target` set no intake process is started and plans is pointed there instead.
  explicit TwoProcessClinic(std::optional<std::string> intake_target = std::nullopt);
  ~TwoProcessClinic() override;

  // False (with the servers' logs added to the failure) when a process did not come up.
  bool started() const { return plans_port_ != 0 && (intake_ == nullptr || intake_port_ != 0); }

  std::shared_ptr<grpc::Channel> intake_channel() const override { return intake_channel_; }
  std::shared_ptr<grpc::Channel> plans_channel() const override { return plans_channel_; }
  const std::string& token(Role role) const override { return tokens_.at(role); }
  std::vector<std::string> AuditRows(absl::string_view method) const override;

  // Stops the intake process with SIGTERM and returns its exit code (-1: did not stop in 10 s).
  // intake_channel() is null afterwards.
  int StopIntake();

  // Both servers' stderr, for failure messages.
  std::string Logs() const;

 private:
  TempDir dir_;
  std::map<Role, std::string> tokens_;
  std::unique_ptr<Process> intake_;
  std::unique_ptr<Process> plans_;
  int intake_port_ = 0;
  int plans_port_ = 0;
  std::shared_ptr<grpc::Channel> intake_channel_;
  std::shared_ptr<grpc::Channel> plans_channel_;
};

// Makes intake records through IntakeService's stubs with the therapist's token: the clinic's
// ClinicRecords with the plan tests' knee assessment.
class IntakeRecords {
 public:
  explicit IntakeRecords(const PlansClinic& clinic) : clinic_(clinic) {}

  // Registers a client; returns its name ("clients/…"), or "" after a test failure.
  std::string NewClient(const std::string& given_name, const std::string& family_name) const;

  // A complete knee assessment flagging `conditions`, created for `client` and, when `submit`,
  // submitted (so screened). Returns the stored assessment (empty after a test failure).
  intake::v1::Assessment NewAssessment(const std::string& client,
                                       const std::vector<intake::v1::ConditionFlag>& conditions,
                                       bool submit = true, bool medical_clearance = false) const;

 private:
  const PlansClinic& clinic_;
};

// A client and their submitted assessment.
struct ClientWithAssessment {
  std::string client;
  intake::v1::Assessment assessment;
};

// Registers `given_name family_name` and submits an assessment flagging `conditions`.
ClientWithAssessment NewScreenedClient(const PlansClinic& clinic, const std::string& given_name,
                                       const std::string& family_name,
                                       const std::vector<intake::v1::ConditionFlag>& conditions);

plans::v1::PlannedTechnique Planned(common::v1::Technique technique,
                                    std::vector<common::v1::Region> regions,
                                    common::v1::Pressure pressure, int minutes);

plans::v1::Cadence Every(int interval_days, int planned_sessions, int session_minutes);

plans::v1::Goal PainGoal(const std::string& description, int target_pain);

common::v1::HomeExercise Exercise(const std::string& name, int sets, int hold_seconds,
                                  int times_per_week);

// The gardener's plan: trigger point on the quadriceps, myofascial release on the IT band,
// deep tissue on the hip flexors, weekly × 6, home quadriceps and hip-flexor stretches.
plans::v1::TreatmentPlan GardenerPlan(const std::string& assessment);

// The office worker's first plan: deep tissue on the hamstrings (refused on blood thinners).
plans::v1::TreatmentPlan OfficeWorkerDeepTissuePlan(const std::string& assessment);

// The office worker's corrected plan: myofascial release (light) and trigger point (moderate),
// every 14 days × 4.
plans::v1::TreatmentPlan OfficeWorkerGentlePlan(const std::string& assessment);

}  // namespace velknee::test

#endif  // VELKNEE_TESTS_PLANS_PLAN_CLINIC_H_

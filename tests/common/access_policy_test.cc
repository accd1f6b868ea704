#include "common/auth/access_policy.h"

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "tests/support/status_details.h"
#include "tests/support/status_matchers.h"
#include "velknee/intake/v1/intake_service.pb.h"
#include "velknee/notes/v1/session_note_service.pb.h"
#include "velknee/plans/v1/treatment_plan_service.pb.h"
#include "velknee/scheduling/v1/scheduling_service.pb.h"

namespace velknee {
namespace {

using ::testing::HasSubstr;
using ::velknee::test::IsOk;
using ::velknee::test::ReasonOf;
using ::velknee::test::StatusIs;

constexpr Role kAllRoles[] = {Role::kTherapist, Role::kFrontDesk, Role::kService, Role::kAdmin};

constexpr Role T = Role::kTherapist;
constexpr Role F = Role::kFrontDesk;
constexpr Role S = Role::kService;
constexpr Role A = Role::kAdmin;

// Who may call what, as the "Roles:" line of each RPC's comment in proto/ says (DESIGN §4).
const std::map<std::string, std::set<Role>>& ExpectedRoles() {
  static const auto* const kExpected = new std::map<std::string, std::set<Role>>{
      {"/velknee.intake.v1.IntakeService/CreateClient", {F, T, A}},
      {"/velknee.intake.v1.IntakeService/GetClient", {F, T, A, S}},
      {"/velknee.intake.v1.IntakeService/UpdateClient", {F, T, A}},
      {"/velknee.intake.v1.IntakeService/ListClients", {F, T, A}},
      {"/velknee.intake.v1.IntakeService/ArchiveClient", {F, T, A}},
      {"/velknee.intake.v1.IntakeService/CreateAssessment", {T}},
      {"/velknee.intake.v1.IntakeService/GetAssessment", {T, S}},
      {"/velknee.intake.v1.IntakeService/UpdateAssessment", {T}},
      {"/velknee.intake.v1.IntakeService/SubmitAssessment", {T}},
      {"/velknee.intake.v1.IntakeService/ListAssessments", {T}},
      {"/velknee.plans.v1.TreatmentPlanService/CreatePlan", {T}},
      {"/velknee.plans.v1.TreatmentPlanService/GetPlan", {T, S}},
      {"/velknee.plans.v1.TreatmentPlanService/UpdatePlan", {T}},
      {"/velknee.plans.v1.TreatmentPlanService/ActivatePlan", {T}},
      {"/velknee.plans.v1.TreatmentPlanService/CompletePlan", {T}},
      {"/velknee.plans.v1.TreatmentPlanService/DiscontinuePlan", {T}},
      {"/velknee.plans.v1.TreatmentPlanService/ListPlans", {T}},
      {"/velknee.notes.v1.SessionNoteService/CreateNote", {T}},
      {"/velknee.notes.v1.SessionNoteService/GetNote", {T}},
      {"/velknee.notes.v1.SessionNoteService/UpdateNote", {T}},
      {"/velknee.notes.v1.SessionNoteService/SignNote", {T}},
      {"/velknee.notes.v1.SessionNoteService/AddAddendum", {T}},
      {"/velknee.notes.v1.SessionNoteService/ListNotes", {T}},
      {"/velknee.notes.v1.SessionNoteService/GetPlanProgress", {T}},
      {"/velknee.scheduling.v1.SchedulingService/CreateTherapist", {A}},
      {"/velknee.scheduling.v1.SchedulingService/GetTherapist", {A, F, T, S}},
      {"/velknee.scheduling.v1.SchedulingService/UpdateTherapist", {A}},
      {"/velknee.scheduling.v1.SchedulingService/ListTherapists", {A, F, T, S}},
      {"/velknee.scheduling.v1.SchedulingService/BookAppointment", {F}},
      {"/velknee.scheduling.v1.SchedulingService/BookSeries", {F}},
      {"/velknee.scheduling.v1.SchedulingService/GetAppointment", {F, T, S}},
      {"/velknee.scheduling.v1.SchedulingService/ListAppointments", {F, T}},
      {"/velknee.scheduling.v1.SchedulingService/RescheduleAppointment", {F}},
      {"/velknee.scheduling.v1.SchedulingService/CancelAppointment", {F}},
      {"/velknee.scheduling.v1.SchedulingService/CheckInAppointment", {F, T}},
      {"/velknee.scheduling.v1.SchedulingService/MarkNoShow", {F}},
      {"/velknee.scheduling.v1.SchedulingService/CompleteAppointment", {T, S}},
      {"/velknee.scheduling.v1.SchedulingService/FindAvailableSlots", {F, T}},
  };
  return *kExpected;
}

// The full method names of every RPC of every velknee service, from the compiled protos.
std::vector<std::string> ServedMethods() {
  // Referencing a message of each service file links its descriptor into the binary.
  const google::protobuf::FileDescriptor* files[] = {
      intake::v1::GetClientRequest::descriptor()->file(),
      plans::v1::GetPlanRequest::descriptor()->file(),
      notes::v1::GetNoteRequest::descriptor()->file(),
      scheduling::v1::GetAppointmentRequest::descriptor()->file(),
  };
  std::vector<std::string> methods;
  for (const char* service_name :
       {"velknee.intake.v1.IntakeService", "velknee.plans.v1.TreatmentPlanService",
        "velknee.notes.v1.SessionNoteService", "velknee.scheduling.v1.SchedulingService"}) {
    const google::protobuf::ServiceDescriptor* service =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(service_name);
    EXPECT_NE(service, nullptr) << service_name;
    if (service == nullptr) continue;
    for (int i = 0; i < service->method_count(); ++i) {
      methods.push_back(absl::StrCat("/", service->full_name(), "/", service->method(i)->name()));
    }
  }
  // No service may hide in another file of the same packages.
  int services_in_files = 0;
  for (const google::protobuf::FileDescriptor* file : files) {
    services_in_files += file->service_count();
  }
  EXPECT_EQ(services_in_files, 4);
  return methods;
}

TEST(AccessTableTest, EveryServedMethodHasExactlyOneRow) {
  const std::vector<std::string> methods = ServedMethods();
  EXPECT_EQ(methods.size(), 38u);
  for (const std::string& method : methods) {
    int rows = 0;
    for (const MethodAccess& row : AccessTable()) rows += row.method == method ? 1 : 0;
    EXPECT_EQ(rows, 1) << method;
  }
}

TEST(AccessTableTest, EveryRowNamesARealMethodAndSomeRole) {
  const std::vector<std::string> methods = ServedMethods();
  const std::set<std::string> served(methods.begin(), methods.end());
  for (const MethodAccess& row : AccessTable()) {
    EXPECT_TRUE(served.contains(std::string(row.method))) << row.method;
    EXPECT_NE(row.roles, 0u) << row.method << " is callable by nobody";
  }
}

TEST(CheckAccessTest, EveryMethodAndRoleIsAsDocumented) {
  EXPECT_EQ(AccessTable().size(), ExpectedRoles().size());
  for (const auto& [method, allowed] : ExpectedRoles()) {
    for (Role role : kAllRoles) {
      const absl::Status status = CheckAccess(role, method);
      if (allowed.contains(role)) {
        EXPECT_THAT(status, IsOk()) << RoleName(role) << " should call " << method;
      } else {
        EXPECT_THAT(status, StatusIs(absl::StatusCode::kPermissionDenied))
            << RoleName(role) << " should not call " << method;
      }
    }
  }
}

TEST(CheckAccessTest, FrontDeskSeesNothingClinical) {
  for (const MethodAccess& row : AccessTable()) {
    const bool clinical = absl::StrContains(row.method, "Assessment") ||
                          absl::StrContains(row.method, ".plans.v1.") ||
                          absl::StrContains(row.method, ".notes.v1.");
    if (clinical) {
      EXPECT_THAT(CheckAccess(Role::kFrontDesk, row.method),
                  StatusIs(absl::StatusCode::kPermissionDenied))
          << row.method;
    }
  }
}

TEST(CheckAccessTest, DenialNamesRoleAndMethod) {
  const absl::Status status =
      CheckAccess(Role::kFrontDesk, "/velknee.notes.v1.SessionNoteService/GetNote");
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("front_desk")));
  EXPECT_THAT(status.message(), HasSubstr("/velknee.notes.v1.SessionNoteService/GetNote"));
  EXPECT_EQ(ReasonOf(status), "ROLE_NOT_ALLOWED");
}

TEST(CheckAccessTest, UnknownMethodIsDeniedToEveryone) {
  for (const char* method :
       {"/velknee.intake.v1.IntakeService/DeleteClient", "", "/",
        "/velknee.intake.v1.IntakeService/getclient", "velknee.intake.v1.IntakeService/GetClient",
        "/velknee.intake.v1.IntakeService/GetClient/", "/velknee.intake.v2.IntakeService/GetClient",
        "/grpc.health.v1.Health/Check"}) {
    for (Role role : kAllRoles) {
      EXPECT_THAT(CheckAccess(role, method), StatusIs(absl::StatusCode::kPermissionDenied))
          << RoleName(role) << " " << method;
    }
  }
}

}  // namespace
}  // namespace velknee

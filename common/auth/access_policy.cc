#include "common/auth/access_policy.h"

#include <array>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace velknee {
namespace {

constexpr RoleSet kTherapist = RoleBit(Role::kTherapist);
constexpr RoleSet kFrontDesk = RoleBit(Role::kFrontDesk);
constexpr RoleSet kService = RoleBit(Role::kService);
constexpr RoleSet kAdmin = RoleBit(Role::kAdmin);
constexpr RoleSet kEveryone = kTherapist | kFrontDesk | kService | kAdmin;

#define INTAKE "/velknee.intake.v1.IntakeService/"
#define PLANS "/velknee.plans.v1.TreatmentPlanService/"
#define NOTES "/velknee.notes.v1.SessionNoteService/"
#define SCHEDULING "/velknee.scheduling.v1.SchedulingService/"

// Front desk sees clients and scheduling, never clinical content (assessments, plans, notes).
// SERVICE holds only what one service needs of another (DESIGN §2): plans read assessments,
// notes read plans and appointments and complete appointments, scheduling reads clients and
// plans.
constexpr auto kTable = std::to_array<MethodAccess>({
    {INTAKE "CreateClient", kTherapist | kFrontDesk | kAdmin},
    {INTAKE "GetClient", kTherapist | kFrontDesk | kAdmin | kService},
    {INTAKE "UpdateClient", kTherapist | kFrontDesk | kAdmin},
    {INTAKE "ListClients", kTherapist | kFrontDesk | kAdmin},
    {INTAKE "ArchiveClient", kTherapist | kFrontDesk | kAdmin},
    {INTAKE "CreateAssessment", kTherapist},
    {INTAKE "GetAssessment", kTherapist | kService},
    {INTAKE "UpdateAssessment", kTherapist},
    {INTAKE "SubmitAssessment", kTherapist},
    {INTAKE "ListAssessments", kTherapist},

    {PLANS "CreatePlan", kTherapist},
    {PLANS "GetPlan", kTherapist | kService},
    {PLANS "UpdatePlan", kTherapist},
    {PLANS "ActivatePlan", kTherapist},
    {PLANS "CompletePlan", kTherapist},
    {PLANS "DiscontinuePlan", kTherapist},
    {PLANS "ListPlans", kTherapist},

    {NOTES "CreateNote", kTherapist},
    {NOTES "GetNote", kTherapist},
    {NOTES "UpdateNote", kTherapist},
    {NOTES "SignNote", kTherapist},
    {NOTES "AddAddendum", kTherapist},
    {NOTES "ListNotes", kTherapist},
    {NOTES "GetPlanProgress", kTherapist},

    {SCHEDULING "CreateTherapist", kAdmin},
    {SCHEDULING "GetTherapist", kEveryone},
    {SCHEDULING "UpdateTherapist", kAdmin},
    {SCHEDULING "ListTherapists", kEveryone},
    {SCHEDULING "BookAppointment", kFrontDesk},
    {SCHEDULING "BookSeries", kFrontDesk},
    {SCHEDULING "GetAppointment", kFrontDesk | kTherapist | kService},
    {SCHEDULING "ListAppointments", kFrontDesk | kTherapist},
    {SCHEDULING "RescheduleAppointment", kFrontDesk},
    {SCHEDULING "CancelAppointment", kFrontDesk},
    {SCHEDULING "CheckInAppointment", kFrontDesk | kTherapist},
    {SCHEDULING "MarkNoShow", kFrontDesk},
    {SCHEDULING "CompleteAppointment", kTherapist | kService},
    {SCHEDULING "FindAvailableSlots", kFrontDesk | kTherapist},
});

#undef INTAKE
#undef PLANS
#undef NOTES
#undef SCHEDULING

}  // namespace

std::span<const MethodAccess> AccessTable() { return kTable; }

absl::Status CheckAccess(Role role, absl::string_view method) {
  for (const MethodAccess& row : kTable) {
    if (row.method == method) {
      if (row.roles & RoleBit(role)) return absl::OkStatus();
      break;
    }
  }
  return WithReason(
      absl::PermissionDeniedError(absl::StrCat("role ", RoleName(role), " may not call ", method)),
      "ROLE_NOT_ALLOWED");
}

}  // namespace velknee

#include "tools/bench/seed.h"

#include <mutex>
#include <random>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/api/timestamps.h"
#include "common/client/channel.h"
#include "velknee/intake/v1/intake_service.grpc.pb.h"
#include "velknee/notes/v1/session_note_service.grpc.pb.h"
#include "velknee/plans/v1/treatment_plan_service.grpc.pb.h"
#include "velknee/scheduling/v1/scheduling_service.grpc.pb.h"

namespace velknee::bench {
namespace {

constexpr absl::Duration kSetupDeadline = absl::Seconds(30);

std::string Method(absl::string_view service, absl::string_view method) {
  return absl::StrCat("/", service, "/", method);
}

const std::string& Intake() {
  static const std::string name(intake::v1::IntakeService::service_full_name());
  return name;
}
const std::string& Notes() {
  static const std::string name(notes::v1::SessionNoteService::service_full_name());
  return name;
}
const std::string& Scheduling() {
  static const std::string name(scheduling::v1::SchedulingService::service_full_name());
  return name;
}

// Family names are six letters from a to y: 25^6 of them, more than any run makes.
constexpr uint64_t kFamilyNames = 244140625;  // 25^6

// The n-th family name of a run: a multiplication by a number prime to 25^6 is a bijection
// modulo 25^6, so names never repeat within a run and their first letters spread evenly.
std::string FamilyName(uint64_t run_offset, uint64_t n) {
  uint64_t scrambled = ((n + run_offset) % kFamilyNames) * 7919 % kFamilyNames;
  std::string name(6, 'a');
  for (char& letter : name) {
    letter = static_cast<char>('a' + scrambled % 25);
    scrambled /= 25;
  }
  name[0] = absl::ascii_toupper(name[0]);
  return name;
}

uint64_t RunOffset(absl::string_view run) {
  uint64_t offset = 0;
  for (char letter : run) offset = offset * 26 + static_cast<uint64_t>(letter - 'a');
  return offset;
}

common::v1::Region KneeRegion() {
  common::v1::Region region;
  region.set_region(common::v1::BODY_REGION_KNEE_ANTERIOR);
  region.set_side(common::v1::SIDE_BILATERAL);
  return region;
}

absl::Status Failed(absl::string_view call, const grpc::Status& status) {
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat(call, ": ", status.error_message()));
}

// Calls `method` of `stub` with `token`'s authority and a deadline; the error names `call`.
template <typename Stub, typename Request, typename Response>
absl::StatusOr<Response> Ask(
    Stub& stub, grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
    absl::string_view call, const std::string& token, const Request& request) {
  grpc::ClientContext context;
  PrepareContext(context, token, absl::Now() + kSetupDeadline);
  Response response;
  const grpc::Status status = (stub.*method)(&context, request, &response);
  if (!status.ok()) return Failed(call, status);
  return response;
}

// Runs `count` operations from `make` as seeding; every failure fails the seeding.
absl::Status Seed(absl::string_view what,
                  const std::vector<std::shared_ptr<grpc::Channel>>& channels, uint64_t count,
                  LoadOptions options, const OperationFactory& make) {
  options.operations = count;
  const LoadResult result = RunLoad(channels, make, options);
  if (result.ErrorCount() > 0) {
    return absl::InternalError(absl::StrFormat("seeding %s: %d of %d calls failed, first: %s", what,
                                               result.ErrorCount(), count, result.first_error));
  }
  if (result.succeeded < count) {
    return absl::CancelledError(absl::StrFormat("seeding %s: interrupted", what));
  }
  return absl::OkStatus();
}

// CreateClient, keeping the new client's name while the records hold fewer than kKeptClients.
class CreateClientOperation final : public Operation {
 public:
  CreateClientOperation(Records& records, std::mutex& mu) : records_(records), mu_(mu) {}
  std::optional<Call> Next(const grpc::ByteBuffer* previous_response) override {
    if (previous_response == nullptr) {
      return Call{Methods::kCreateClient, Serialize(NewClientRequest(records_)),
                  records_.tokens.front_desk};
    }
    intake::v1::Client client;
    std::lock_guard<std::mutex> lock(mu_);
    if (records_.clients.size() < Records::kKeptClients && Parse(*previous_response, client)) {
      records_.clients.push_back(client.name());
    }
    return std::nullopt;
  }

 private:
  Records& records_;
  std::mutex& mu_;
};

}  // namespace

const std::string Methods::kCreateClient = Method(Intake(), "CreateClient");
const std::string Methods::kGetClient = Method(Intake(), "GetClient");
const std::string Methods::kListClients = Method(Intake(), "ListClients");
const std::string Methods::kCreateNote = Method(Notes(), "CreateNote");
const std::string Methods::kSignNote = Method(Notes(), "SignNote");
const std::string Methods::kListNotes = Method(Notes(), "ListNotes");
const std::string Methods::kBookAppointment = Method(Scheduling(), "BookAppointment");
const std::string Methods::kListAppointments = Method(Scheduling(), "ListAppointments");

std::string FamilyNameOf(const Records& records, uint64_t n) {
  return FamilyName(RunOffset(records.run), n);
}

std::string NewRequestId(Records& records) {
  return absl::StrCat("bench-", records.run, "-", records.next_request++);
}

intake::v1::CreateClientRequest NewClientRequest(Records& records) {
  const uint64_t n = records.next_client++;
  intake::v1::CreateClientRequest request;
  intake::v1::Client& client = *request.mutable_client();
  client.set_given_name("Bench");
  client.set_family_name(FamilyNameOf(records, n));
  // The fictional range 07700 900000-900999 (Ofcom's numbers for drama).
  client.set_phone(absl::StrFormat("+44 7700 900%03d", n % 1000));
  request.set_request_id(NewRequestId(records));
  return request;
}

notes::v1::CreateNoteRequest NewNoteRequest(Records& records, uint64_t index) {
  const size_t plan = index % records.plans.size();
  notes::v1::CreateNoteRequest request;
  request.set_parent(records.plan_clients[plan]);
  notes::v1::SessionNote& note = *request.mutable_note();
  note.set_plan(records.plans[plan]);
  *note.mutable_session_time() = ToTimestamp(absl::Now() - absl::Minutes(1));
  note.set_duration_minutes(45);
  note.mutable_subjective()->set_pain_before(5);
  note.mutable_subjective()->set_report("Knee stiff after the weekend's walk");
  notes::v1::AppliedTechnique& applied = *note.add_applied();
  applied.set_technique(common::v1::TECHNIQUE_TRIGGER_POINT);
  *applied.add_regions() = KneeRegion();
  applied.set_pressure(common::v1::PRESSURE_MODERATE);
  applied.set_minutes(30);
  note.mutable_assessment()->set_pain_after(3);
  request.set_request_id(NewRequestId(records));
  return request;
}

scheduling::v1::BookAppointmentRequest NewBookingRequest(Records& records) {
  // Slot k goes to therapist k % T at time k / T; the T slots of one time go to T different
  // clients (there are at least T), so no therapist and no client is booked twice at once.
  const uint64_t slot = records.next_slot++;
  const size_t therapists = records.therapists.size();
  scheduling::v1::BookAppointmentRequest request;
  scheduling::v1::Appointment& appointment = *request.mutable_appointment();
  appointment.set_client(records.clients[slot % records.clients.size()]);
  appointment.set_therapist(records.therapists[slot % therapists]);
  *appointment.mutable_start_time() =
      ToTimestamp(records.first_slot +
                  absl::Minutes(Records::kSlotMinutes) * static_cast<int64_t>(slot / therapists));
  appointment.set_duration_minutes(Records::kSlotMinutes);
  request.set_request_id(NewRequestId(records));
  return request;
}

absl::StatusOr<std::unique_ptr<Records>> NewRecords(const std::shared_ptr<grpc::Channel>& channel,
                                                    const Tokens& tokens, int therapists,
                                                    int plans) {
  auto records = std::make_unique<Records>();
  std::random_device random;
  for (int i = 0; i < 5; ++i) records->run.push_back(static_cast<char>('a' + random() % 26));
  records->tokens = tokens;
  // Tomorrow at midnight UTC, on the whole hour in any zone the clinic may be in.
  records->first_slot =
      absl::FromUnixSeconds((absl::ToUnixSeconds(absl::Now()) / 86400 + 1) * 86400);

  auto scheduling = scheduling::v1::SchedulingService::NewStub(channel);
  for (int i = 0; i < therapists; ++i) {
    scheduling::v1::CreateTherapistRequest request;
    request.set_therapist_id(absl::StrCat("bench-", records->run, "-", i));
    scheduling::v1::Therapist& therapist = *request.mutable_therapist();
    therapist.set_display_name(absl::StrCat("Bench Therapist ", i));
    therapist.set_active(true);
    therapist.add_techniques(common::v1::TECHNIQUE_DEEP_TISSUE);
    therapist.add_techniques(common::v1::TECHNIQUE_TRIGGER_POINT);
    therapist.add_techniques(common::v1::TECHNIQUE_MYOFASCIAL_RELEASE);
    for (int day = google::type::MONDAY; day <= google::type::SUNDAY; ++day) {
      scheduling::v1::WorkingHours& hours = *therapist.add_working_hours();
      hours.set_day(static_cast<google::type::DayOfWeek>(day));
      hours.mutable_start()->set_hours(0);
      hours.mutable_end()->set_hours(24);
    }
    absl::StatusOr<scheduling::v1::Therapist> created =
        Ask(*scheduling, &scheduling::v1::SchedulingService::Stub::CreateTherapist,
            "CreateTherapist", tokens.admin, request);
    if (!created.ok()) return created.status();
    records->therapists.push_back(created->name());
  }

  auto intake = intake::v1::IntakeService::NewStub(channel);
  auto plans_stub = plans::v1::TreatmentPlanService::NewStub(channel);
  using IntakeStub = intake::v1::IntakeService::Stub;
  using PlansStub = plans::v1::TreatmentPlanService::Stub;
  for (int i = 0; i < plans; ++i) {
    // Made as the therapist: the front desk registers clients, but a therapist may too.
    absl::StatusOr<intake::v1::Client> client =
        Ask(*intake, &IntakeStub::CreateClient, "CreateClient", tokens.therapist,
            NewClientRequest(*records));
    if (!client.ok()) return client.status();

    intake::v1::CreateAssessmentRequest create_assessment;
    create_assessment.set_parent(client->name());
    intake::v1::Assessment& assessment = *create_assessment.mutable_assessment();
    assessment.set_chief_complaint("Anterior knee pain climbing stairs");
    *assessment.mutable_pain()->add_regions() = KneeRegion();
    assessment.mutable_pain()->set_current(5);
    assessment.set_health_screen_completed(true);
    assessment.mutable_consent()->set_informed_consent(true);
    assessment.mutable_consent()->set_signer_name(
        absl::StrCat(client->given_name(), " ", client->family_name()));
    absl::StatusOr<intake::v1::Assessment> draft =
        Ask(*intake, &IntakeStub::CreateAssessment, "CreateAssessment", tokens.therapist,
            create_assessment);
    if (!draft.ok()) return draft.status();
    intake::v1::SubmitAssessmentRequest submit;
    submit.set_name(draft->name());
    absl::StatusOr<intake::v1::Assessment> submitted =
        Ask(*intake, &IntakeStub::SubmitAssessment, "SubmitAssessment", tokens.therapist, submit);
    if (!submitted.ok()) return submitted.status();

    plans::v1::CreatePlanRequest create_plan;
    create_plan.set_parent(client->name());
    plans::v1::TreatmentPlan& plan = *create_plan.mutable_plan();
    plan.set_assessment(submitted->name());
    plans::v1::Goal& goal = *plan.add_goals();
    goal.set_description("Climb stairs with pain at most 2");
    goal.set_target_pain(2);
    plans::v1::PlannedTechnique& technique = *plan.add_techniques();
    technique.set_technique(common::v1::TECHNIQUE_TRIGGER_POINT);
    *technique.add_regions() = KneeRegion();
    technique.set_pressure(common::v1::PRESSURE_MODERATE);
    technique.set_minutes(30);
    plan.mutable_cadence()->set_interval_days(7);
    plan.mutable_cadence()->set_planned_sessions(6);
    plan.mutable_cadence()->set_session_minutes(60);
    absl::StatusOr<plans::v1::TreatmentPlan> draft_plan =
        Ask(*plans_stub, &PlansStub::CreatePlan, "CreatePlan", tokens.therapist, create_plan);
    if (!draft_plan.ok()) return draft_plan.status();
    plans::v1::ActivatePlanRequest activate;
    activate.set_name(draft_plan->name());
    absl::StatusOr<plans::v1::TreatmentPlan> active =
        Ask(*plans_stub, &PlansStub::ActivatePlan, "ActivatePlan", tokens.therapist, activate);
    if (!active.ok()) return active.status();
    records->plan_clients.push_back(client->name());
    records->plans.push_back(active->name());
  }
  return records;
}

absl::Status AddClients(const std::vector<std::shared_ptr<grpc::Channel>>& channels,
                        Records& records, uint64_t count, LoadOptions options) {
  std::mutex mu;
  return Seed("clients", channels, count, options,
              [&](uint64_t) { return std::make_unique<CreateClientOperation>(records, mu); });
}

absl::Status AddNotes(const std::vector<std::shared_ptr<grpc::Channel>>& channels, Records& records,
                      uint64_t count, LoadOptions options) {
  return Seed("notes", channels, count, options, [&](uint64_t n) {
    return std::make_unique<SingleCall>(Call{
        Methods::kCreateNote, Serialize(NewNoteRequest(records, n)), records.tokens.therapist});
  });
}

absl::Status AddAppointments(const std::vector<std::shared_ptr<grpc::Channel>>& channels,
                             Records& records, uint64_t count, LoadOptions options) {
  return Seed("appointments", channels, count, options, [&](uint64_t) {
    return std::make_unique<SingleCall>(Call{Methods::kBookAppointment,
                                             Serialize(NewBookingRequest(records)),
                                             records.tokens.front_desk});
  });
}

}  // namespace velknee::bench

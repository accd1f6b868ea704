#include "services/scheduling/scheduling_service.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "common/api/field_mask.h"
#include "common/api/idempotency.h"
#include "common/api/pagination.h"
#include "common/api/resource_name.h"
#include "common/crypto/random.h"
#include "common/status/details.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/validation/field_rules.h"
#include "google/rpc/error_details.pb.h"
#include "services/intake/names.h"
#include "services/plans/names.h"
#include "services/scheduling/names.h"
#include "services/scheduling/scheduling_validation.h"
#include "services/scheduling/working_hours.h"
#include "velknee/common/v1/error_details.pb.h"
#include "velknee/intake/v1/intake_service.grpc.pb.h"
#include "velknee/plans/v1/treatment_plan_service.grpc.pb.h"

namespace velknee::scheduling {
namespace {

using v1::Appointment;

using intake::kClientPattern;

std::string StateWord(Appointment::State state) {
  std::string word = absl::AsciiStrToLower(Appointment::State_Name(state).substr(6));
  for (char& c : word) {
    if (c == '_') c = ' ';
  }
  return word;
}

// The type of the first PreconditionFailure violation of `problem` ("SLOT_CONFLICT", "HOURS",
// "STATE"), or "" when it has none.
std::string ProblemType(const absl::Status& problem) {
  for (const google::rpc::PreconditionFailure& failure :
       DetailsOf<google::rpc::PreconditionFailure>(problem)) {
    if (!failure.violations().empty()) return failure.violations(0).type();
  }
  return "";
}

absl::Time StartOf(const Appointment& appointment) {
  return absl::FromUnixSeconds(appointment.start_time().seconds());
}

}  // namespace

std::vector<Migration> SchedulingMigrations() {
  return {kAuditMigration, kIdempotencyMigration, kSchedulingMigration, kSchedulingListsMigration};
}

SchedulingService::SchedulingService(Database* db, AuditQueue* audit, TokenStore* tokens,
                                     absl::Duration default_deadline,
                                     absl::TimeZone clinic_time_zone, const Peer* intake,
                                     const Peer* plans)
    : rpc_(std::string(v1::SchedulingService::service_full_name()), tokens, audit,
           default_deadline),
      clinic_time_zone_(clinic_time_zone),
      store_(db),
      intake_(intake),
      plans_(plans) {}

grpc::Status SchedulingService::CreateTherapist(grpc::ServerContext* context,
                                                const v1::CreateTherapistRequest* request,
                                                v1::Therapist* response) {
  return rpc_.Run(context, "CreateTherapist", [&](const Call& call) -> absl::Status {
    VELKNEE_RETURN_IF_ERROR(ValidateRequestFields(*request));
    v1::Therapist therapist = request->therapist();
    ClearOutputOnly(&therapist);
    VELKNEE_RETURN_IF_ERROR(ValidateTherapist(therapist));
    // A new therapist is bookable at once; UpdateTherapist turns that off.
    therapist.set_active(true);
    VELKNEE_ASSIGN_OR_RETURN(
        *response,
        store_.CreateTherapist(
            request->therapist_id().empty() ? NewResourceId() : request->therapist_id(), therapist,
            MakeIdempotencyKey(call.principal().id, call.method(), request->request_id(), *request),
            call.actor()));
    return absl::OkStatus();
  });
}

grpc::Status SchedulingService::GetTherapist(grpc::ServerContext* context,
                                             const v1::GetTherapistRequest* request,
                                             v1::Therapist* response) {
  return rpc_.Run(context, "GetTherapist", [&](const Call&) -> absl::Status {
    VELKNEE_ASSIGN_OR_RETURN(const std::string id,
                             ParseResourceId(request->name(), kTherapistPattern, "name"));
    VELKNEE_ASSIGN_OR_RETURN(*response, store_.GetTherapist(id));
    return absl::OkStatus();
  });
}

grpc::Status SchedulingService::UpdateTherapist(grpc::ServerContext* context,
                                                const v1::UpdateTherapistRequest* request,
                                                v1::Therapist* response) {
  return rpc_.Run(context, "UpdateTherapist", [&](const Call& call) -> absl::Status {
    const v1::Therapist& patch = request->therapist();
    VELKNEE_ASSIGN_OR_RETURN(const std::string id,
                             ParseResourceId(patch.name(), kTherapistPattern, "therapist.name"));
    VELKNEE_RETURN_IF_ERROR(ValidateUpdateMask(request->update_mask(), patch));
    VELKNEE_ASSIGN_OR_RETURN(*response, store_.UpdateTherapist(
                                            id, patch.etag(),
                                            [&](v1::Therapist& therapist, SQLite::Database&) {
                                              ApplyUpdateMask(request->update_mask(), patch,
                                                              &therapist);
                                              return ValidateTherapist(therapist);
                                            },
                                            call.actor()));
    return absl::OkStatus();
  });
}

grpc::Status SchedulingService::ListTherapists(grpc::ServerContext* context,
                                               const v1::ListTherapistsRequest* request,
                                               v1::ListTherapistsResponse* response) {
  return rpc_.Run(context, "ListTherapists", [&](const Call&) -> absl::Status {
    if (!common::v1::Technique_IsValid(request->technique())) {
      return InvalidField("technique", "must be one of the techniques, or unset for all");
    }
    VELKNEE_ASSIGN_OR_RETURN(const PageRequest paging, ReadPageRequest(*request));
    VELKNEE_ASSIGN_OR_RETURN(ResourcePage<v1::Therapist> page,
                             store_.ListTherapists(request->technique(), request->show_inactive(),
                                                   paging.page_size, paging.after_id));
    for (v1::Therapist& therapist : page.items) *response->add_therapists() = std::move(therapist);
    response->set_next_page_token(NextPageToken(paging, page.next_after_id));
    return absl::OkStatus();
  });
}

absl::Status SchedulingService::CheckClientAndPlan(const Call& call,
                                                   const Appointment& appointment) const {
  intake::v1::GetClientRequest get_client;
  get_client.set_name(appointment.client());
  VELKNEE_ASSIGN_OR_RETURN(
      const intake::v1::Client client,
      intake_->Call(call.deadline(), &intake::v1::IntakeService::Stub::GetClient, get_client));
  if (client.state() != intake::v1::Client::STATE_ACTIVE) {
    return PreconditionFailed(
        "CLIENT_ARCHIVED", "cannot book",
        {{"STATE", client.name(), absl::StrCat(client.name(), " is archived")}});
  }
  if (appointment.plan().empty()) return absl::OkStatus();
  plans::v1::GetPlanRequest get_plan;
  get_plan.set_name(appointment.plan());
  VELKNEE_ASSIGN_OR_RETURN(
      const plans::v1::TreatmentPlan plan,
      plans_->Call(call.deadline(), &plans::v1::TreatmentPlanService::Stub::GetPlan, get_plan));
  if (plan.state() != plans::v1::TreatmentPlan::STATE_ACTIVE) {
    return PreconditionFailed(
        "PLAN_NOT_ACTIVE", "cannot book",
        {{"STATE", plan.name(), absl::StrCat(plan.name(), " is not active")}});
  }
  return absl::OkStatus();
}

absl::Status SchedulingService::CheckSlotFree(SQLite::Database& db,
                                              const Appointment& appointment) const {
  VELKNEE_ASSIGN_OR_RETURN(const v1::Therapist therapist,
                           store_.ReadTherapist(db, IdOf(appointment.therapist())));
  if (!therapist.active()) {
    return PreconditionFailed(
        "THERAPIST_INACTIVE", "cannot book",
        {{"STATE", therapist.name(), absl::StrCat(therapist.name(), " is not taking bookings")}});
  }
  const absl::Time start = StartOf(appointment);
  const absl::Duration duration = absl::Minutes(appointment.duration_minutes());
  if (!WithinWorkingHours(therapist, start, duration, clinic_time_zone_)) {
    return PreconditionFailed(
        "OUTSIDE_WORKING_HOURS", "cannot book",
        {{"HOURS", therapist.name(),
          absl::StrCat(absl::FormatTime("%A %Y-%m-%d %H:%M", start, clinic_time_zone_), " for ",
                       appointment.duration_minutes(), " minutes is outside ",
                       therapist.display_name(), "'s working hours")}});
  }
  VELKNEE_ASSIGN_OR_RETURN(
      const std::vector<Appointment> conflicts,
      FindConflicts(db, IdOf(appointment.therapist()), IdOf(appointment.client()), start,
                    start + duration, IdOf(appointment.name())));
  if (conflicts.empty()) return absl::OkStatus();
  std::vector<PreconditionViolation> violations;
  for (const Appointment& conflict : conflicts) {
    violations.push_back(
        {"SLOT_CONFLICT", conflict.name(),
         absl::StrCat("overlaps ", conflict.name(), " of the same therapist or client")});
  }
  absl::Status taken = PreconditionFailed(
      "SLOT_CONFLICT",
      absl::StrCat("the slot ", absl::FormatTime("%Y-%m-%d %H:%M", start, clinic_time_zone_),
                   " is taken"),
      violations);
  // The same facts as data, so a client can say who holds the slot and when without reading
  // the message.
  for (const Appointment& conflict : conflicts) {
    common::v1::SlotConflict detail;
    *detail.mutable_session_start_time() = appointment.start_time();
    detail.set_appointment(conflict.name());
    detail.set_therapist(conflict.therapist());
    detail.set_client(conflict.client());
    *detail.mutable_start_time() = conflict.start_time();
    detail.set_duration_minutes(conflict.duration_minutes());
    AddDetail(taken, detail);
  }
  return taken;
}

grpc::Status SchedulingService::BookAppointment(grpc::ServerContext* context,
                                                const v1::BookAppointmentRequest* request,
                                                Appointment* response) {
  return rpc_.Run(context, "BookAppointment", [&](const Call& call) -> absl::Status {
    VELKNEE_RETURN_IF_ERROR(ValidateRequestFields(*request));
    Appointment appointment = request->appointment();
    ClearOutputOnly(&appointment);
    VELKNEE_RETURN_IF_ERROR(ValidateBooking(appointment, absl::Now()));
    const IdempotencyKey key =
        MakeIdempotencyKey(call.principal().id, call.method(), request->request_id(), *request);
    VELKNEE_ASSIGN_OR_RETURN(const bool answered,
                             AnsweredEarlier(store_.FindEarlierBooking(key), *response));
    if (answered) return absl::OkStatus();
    VELKNEE_RETURN_IF_ERROR(CheckClientAndPlan(call, appointment));
    VELKNEE_ASSIGN_OR_RETURN(*response,
                             store_.Book(appointment, key, call.actor(),
                                         [&](SQLite::Database& db, const Appointment& booking) {
                                           return CheckSlotFree(db, booking);
                                         }));
    return absl::OkStatus();
  });
}

grpc::Status SchedulingService::BookSeries(grpc::ServerContext* context,
                                           const v1::BookSeriesRequest* request,
                                           v1::BookSeriesResponse* response) {
  return rpc_.Run(context, "BookSeries", [&](const Call& call) -> absl::Status {
    VELKNEE_ASSIGN_OR_RETURN(const std::vector<std::string> plan_ids,
                             ParseResourceName(request->plan(), plans::kPlanPattern, "plan"));
    VELKNEE_RETURN_IF_ERROR(
        ParseResourceId(request->therapist(), kTherapistPattern, "therapist").status());
    VELKNEE_RETURN_IF_ERROR(ValidateRequestFields(*request));
    VELKNEE_RETURN_IF_ERROR(
        ValidateStart(request->has_first_start_time() ? &request->first_start_time() : nullptr,
                      absl::Now(), "first_start_time"));
    const IdempotencyKey key =
        MakeIdempotencyKey(call.principal().id, call.method(), request->request_id(), *request);
    VELKNEE_ASSIGN_OR_RETURN(const bool answered,
                             AnsweredEarlier(store_.FindEarlierSeries(key), *response));
    if (answered) return absl::OkStatus();
    plans::v1::GetPlanRequest get_plan;
    get_plan.set_name(request->plan());
    VELKNEE_ASSIGN_OR_RETURN(
        const plans::v1::TreatmentPlan plan,
        plans_->Call(call.deadline(), &plans::v1::TreatmentPlanService::Stub::GetPlan, get_plan));
    Appointment first;
    first.set_client(FormatResourceName(kClientPattern, {plan_ids[0]}));
    first.set_therapist(request->therapist());
    first.set_plan(request->plan());
    *first.mutable_start_time() = request->first_start_time();
    first.set_duration_minutes(plan.cadence().session_minutes());
    VELKNEE_RETURN_IF_ERROR(CheckClientAndPlan(call, first));

    // Every session keeps the first one's wall-clock time in the clinic's time zone.
    const absl::CivilSecond local = absl::ToCivilSecond(StartOf(first), clinic_time_zone_);
    std::vector<Appointment> series;
    for (int i = 0; i < plan.cadence().planned_sessions(); ++i) {
      const absl::CivilDay day = absl::CivilDay(local) + i * plan.cadence().interval_days();
      const absl::CivilSecond at(day.year(), day.month(), day.day(), local.hour(), local.minute(),
                                 local.second());
      Appointment session = first;
      session.mutable_start_time()->set_seconds(
          absl::ToUnixSeconds(absl::FromCivil(at, clinic_time_zone_)));
      series.push_back(std::move(session));
    }
    // The local start of each session that cannot be booked, in the order of the problems.
    std::vector<std::string> failing_dates;
    VELKNEE_ASSIGN_OR_RETURN(
        *response,
        store_.BookSeries(
            std::move(series), key, call.actor(),
            [&](SQLite::Database& db, const Appointment& session) {
              absl::Status problem = CheckSlotFree(db, session);
              if (!problem.ok()) {
                failing_dates.push_back(
                    absl::FormatTime("%Y-%m-%d %H:%M", StartOf(session), clinic_time_zone_));
              }
              return problem;
            },
            [&](const std::vector<absl::Status>& problems) -> absl::Status {
              std::vector<PreconditionViolation> violations;
              std::vector<common::v1::SlotConflict> conflicts;
              std::string first_reason;
              for (size_t i = 0; i < problems.size(); ++i) {
                // A missing therapist fails every session alike: say it once.
                if (!absl::IsFailedPrecondition(problems[i])) return problems[i];
                // Each session's violation has the type of its problem, so a client can tell
                // the sessions its SlotConflict details explain from the others.
                violations.push_back({ProblemType(problems[i]), failing_dates[i],
                                      std::string(problems[i].message())});
                for (const google::rpc::ErrorInfo& info :
                     DetailsOf<google::rpc::ErrorInfo>(problems[i])) {
                  if (first_reason.empty()) first_reason = info.reason();
                }
                for (common::v1::SlotConflict& conflict :
                     DetailsOf<common::v1::SlotConflict>(problems[i])) {
                  conflicts.push_back(std::move(conflict));
                }
              }
              // SLOT_CONFLICT promises SlotConflict details; when no session conflicts, the
              // first failing session's own reason (OUTSIDE_WORKING_HOURS) says what happened.
              absl::Status refused = PreconditionFailed(
                  conflicts.empty() ? first_reason : "SLOT_CONFLICT",
                  absl::StrCat("no session was booked: ", violations.size(), " of ",
                               plan.cadence().planned_sessions(), " sessions cannot be booked"),
                  violations);
              for (const common::v1::SlotConflict& conflict : conflicts) {
                AddDetail(refused, conflict);
              }
              return refused;
            }));
    return absl::OkStatus();
  });
}

absl::Status SchedulingService::AddFreeSlots(const std::string& therapist_id, absl::Time from,
                                             absl::Time to, absl::Duration duration,
                                             v1::FindAvailableSlotsResponse& response) {
  v1::Therapist therapist;
  std::vector<std::pair<absl::Time, absl::Time>> busy;
  VELKNEE_RETURN_IF_ERROR(store_.ReadAvailability(therapist_id, from, to, therapist, busy));
  if (!therapist.active()) return absl::OkStatus();
  constexpr absl::Duration kGrid = absl::Minutes(15);
  // The first grid point at or after `from`, on the quarter hours of local time.
  const absl::CivilMinute local = absl::ToCivilMinute(from, clinic_time_zone_);
  absl::Time start = absl::FromCivil(
      absl::CivilMinute(local.year(), local.month(), local.day(), local.hour()), clinic_time_zone_);
  while (start < from) start += kGrid;
  size_t next_busy = 0;
  for (; start + duration <= to; start += kGrid) {
    while (next_busy < busy.size() && busy[next_busy].second <= start) ++next_busy;
    bool clear = true;
    for (size_t i = next_busy; i < busy.size() && busy[i].first < start + duration; ++i) {
      if (busy[i].second > start) clear = false;
    }
    if (!clear || !WithinWorkingHours(therapist, start, duration, clinic_time_zone_)) continue;
    v1::Slot& slot = *response.add_slots();
    slot.set_therapist(therapist.name());
    slot.mutable_start_time()->set_seconds(absl::ToUnixSeconds(start));
  }
  return absl::OkStatus();
}

grpc::Status SchedulingService::FindAvailableSlots(grpc::ServerContext* context,
                                                   const v1::FindAvailableSlotsRequest* request,
                                                   v1::FindAvailableSlotsResponse* response) {
  return rpc_.Run(context, "FindAvailableSlots", [&](const Call&) -> absl::Status {
    FieldViolations violations;
    CheckRequestFields(*request, violations);
    const bool by_therapist = !request->therapist().empty();
    const bool by_technique = request->technique() != common::v1::TECHNIQUE_UNSPECIFIED;
    if (by_therapist == by_technique) {
      violations.Add("therapist", "set either therapist or technique, not both or neither");
    }
    if (by_technique && !common::v1::Technique_IsValid(request->technique())) {
      violations.Add("technique", "must be one of the techniques");
    }
    const absl::Time from = absl::FromUnixSeconds(request->start_time().seconds());
    const absl::Time to = absl::FromUnixSeconds(request->end_time().seconds());
    if (to <= from) violations.Add("end_time", "must be after start_time");
    if (to - from > absl::Hours(24 * 31))
      violations.Add("end_time", "must be at most 31 days after start_time");
    VELKNEE_RETURN_IF_ERROR(violations.ToStatus());
    const absl::Time earliest = std::max(from, absl::Now());
    const absl::Duration duration = absl::Minutes(request->duration_minutes());
    if (by_therapist) {
      VELKNEE_ASSIGN_OR_RETURN(
          const std::string id,
          ParseResourceId(request->therapist(), kTherapistPattern, "therapist"));
      return AddFreeSlots(id, earliest, to, duration, *response);
    }
    std::string after;
    do {
      VELKNEE_ASSIGN_OR_RETURN(ResourcePage<v1::Therapist> page,
                               store_.ListTherapists(request->technique(), /*show_inactive=*/false,
                                                     kMaxPageSize, after));
      for (const v1::Therapist& therapist : page.items) {
        VELKNEE_RETURN_IF_ERROR(
            AddFreeSlots(IdOf(therapist.name()), earliest, to, duration, *response));
      }
      after = page.next_after_id;
    } while (!after.empty());
    std::stable_sort(response->mutable_slots()->begin(), response->mutable_slots()->end(),
                     [](const v1::Slot& a, const v1::Slot& b) {
                       return std::make_tuple(a.start_time().seconds(), a.therapist()) <
                              std::make_tuple(b.start_time().seconds(), b.therapist());
                     });
    return absl::OkStatus();
  });
}

grpc::Status SchedulingService::GetAppointment(grpc::ServerContext* context,
                                               const v1::GetAppointmentRequest* request,
                                               Appointment* response) {
  return rpc_.Run(context, "GetAppointment", [&](const Call&) -> absl::Status {
    VELKNEE_ASSIGN_OR_RETURN(const std::string id,
                             ParseResourceId(request->name(), kAppointmentPattern, "name"));
    VELKNEE_ASSIGN_OR_RETURN(*response, store_.GetAppointment(id));
    return absl::OkStatus();
  });
}

grpc::Status SchedulingService::ListAppointments(grpc::ServerContext* context,
                                                 const v1::ListAppointmentsRequest* request,
                                                 v1::ListAppointmentsResponse* response) {
  return rpc_.Run(context, "ListAppointments", [&](const Call&) -> absl::Status {
    AppointmentQuery query;
    if (!request->therapist().empty()) {
      VELKNEE_ASSIGN_OR_RETURN(query.therapist_id, ParseResourceId(request->therapist(),
                                                                   kTherapistPattern, "therapist"));
    }
    if (!request->client().empty()) {
      VELKNEE_ASSIGN_OR_RETURN(query.client_id,
                               ParseResourceId(request->client(), kClientPattern, "client"));
    }
    if (request->has_start_time())
      query.from = absl::FromUnixSeconds(request->start_time().seconds());
    if (request->has_end_time()) query.to = absl::FromUnixSeconds(request->end_time().seconds());
    if (query.to <= query.from) return InvalidField("end_time", "must be after start_time");
    VELKNEE_ASSIGN_OR_RETURN(const PageRequest paging, ReadPageRequest(*request));
    VELKNEE_ASSIGN_OR_RETURN(ResourcePage<Appointment> page,
                             store_.ListAppointments(query, paging.page_size, paging.after_id));
    for (Appointment& appointment : page.items) {
      *response->add_appointments() = std::move(appointment);
    }
    response->set_next_page_token(NextPageToken(paging, page.next_after_id));
    return absl::OkStatus();
  });
}

grpc::Status SchedulingService::RescheduleAppointment(
    grpc::ServerContext* context, const v1::RescheduleAppointmentRequest* request,
    Appointment* response) {
  return rpc_.Run(context, "RescheduleAppointment", [&](const Call& call) -> absl::Status {
    VELKNEE_ASSIGN_OR_RETURN(const std::string id,
                             ParseResourceId(request->name(), kAppointmentPattern, "name"));
    VELKNEE_ASSIGN_OR_RETURN(const Appointment stored, store_.GetAppointment(id));
    const int duration =
        request->duration_minutes() == 0 ? stored.duration_minutes() : request->duration_minutes();
    VELKNEE_RETURN_IF_ERROR(
        ValidateSlot(request->has_start_time() ? &request->start_time() : nullptr, duration,
                     absl::Now(), "start_time", "duration_minutes"));
    VELKNEE_ASSIGN_OR_RETURN(
        *response,
        store_.UpdateAppointment(
            id, request->etag(),
            [&](Appointment& appointment, SQLite::Database& db) -> absl::Status {
              if (appointment.state() != Appointment::STATE_BOOKED) {
                return PreconditionFailed(
                    "APPOINTMENT_NOT_BOOKED", "cannot reschedule",
                    {{"STATE", appointment.name(),
                      absl::StrCat(appointment.name(), " is ", StateWord(appointment.state()),
                                   "; only a booked appointment can move")}});
              }
              *appointment.mutable_start_time() = request->start_time();
              appointment.set_duration_minutes(duration);
              return CheckSlotFree(db, appointment);
            },
            call.actor()));
    return absl::OkStatus();
  });
}

absl::StatusOr<Appointment> SchedulingService::Transition(const Call& call, const std::string& name,
                                                          const std::string& etag,
                                                          Appointment::State from,
                                                          Appointment::State to,
                                                          const std::string& cancel_reason) {
  VELKNEE_ASSIGN_OR_RETURN(const std::string id,
                           ParseResourceId(name, kAppointmentPattern, "name"));
  return store_.UpdateAppointment(
      id, etag,
      [&](Appointment& appointment, SQLite::Database&) -> absl::Status {
        if (appointment.state() != from) {
          return PreconditionFailed(
              "INVALID_STATE_CHANGE", absl::StrCat("cannot mark it ", StateWord(to)),
              {{"STATE", appointment.name(),
                absl::StrCat(appointment.name(), " is ", StateWord(appointment.state()),
                             "; only a ", StateWord(from), " appointment can become ",
                             StateWord(to))}});
        }
        appointment.set_state(to);
        if (!cancel_reason.empty()) appointment.set_cancel_reason(cancel_reason);
        return absl::OkStatus();
      },
      call.actor());
}

grpc::Status SchedulingService::CancelAppointment(grpc::ServerContext* context,
                                                  const v1::CancelAppointmentRequest* request,
                                                  Appointment* response) {
  return rpc_.Run(context, "CancelAppointment", [&](const Call& call) -> absl::Status {
    VELKNEE_RETURN_IF_ERROR(ValidateRequestFields(*request));
    const std::string reason(absl::StripAsciiWhitespace(request->reason()));
    VELKNEE_ASSIGN_OR_RETURN(
        *response, Transition(call, request->name(), request->etag(), Appointment::STATE_BOOKED,
                              Appointment::STATE_CANCELLED, reason));
    return absl::OkStatus();
  });
}

grpc::Status SchedulingService::CheckInAppointment(grpc::ServerContext* context,
                                                   const v1::CheckInAppointmentRequest* request,
                                                   Appointment* response) {
  return rpc_.Run(context, "CheckInAppointment", [&](const Call& call) -> absl::Status {
    VELKNEE_ASSIGN_OR_RETURN(
        *response, Transition(call, request->name(), request->etag(), Appointment::STATE_BOOKED,
                              Appointment::STATE_CHECKED_IN, ""));
    return absl::OkStatus();
  });
}

grpc::Status SchedulingService::MarkNoShow(grpc::ServerContext* context,
                                           const v1::MarkNoShowRequest* request,
                                           Appointment* response) {
  return rpc_.Run(context, "MarkNoShow", [&](const Call& call) -> absl::Status {
    VELKNEE_ASSIGN_OR_RETURN(
        *response, Transition(call, request->name(), request->etag(), Appointment::STATE_BOOKED,
                              Appointment::STATE_NO_SHOW, ""));
    return absl::OkStatus();
  });
}

grpc::Status SchedulingService::CompleteAppointment(grpc::ServerContext* context,
                                                    const v1::CompleteAppointmentRequest* request,
                                                    Appointment* response) {
  return rpc_.Run(context, "CompleteAppointment", [&](const Call& call) -> absl::Status {
    VELKNEE_ASSIGN_OR_RETURN(
        *response, Transition(call, request->name(), request->etag(), Appointment::STATE_CHECKED_IN,
                              Appointment::STATE_COMPLETED, ""));
    return absl::OkStatus();
  });
}

}  // namespace velknee::scheduling

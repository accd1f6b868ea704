#include "services/notes/note_service.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/api/field_mask.h"
#include "common/api/idempotency.h"
#include "common/api/pagination.h"
#include "common/api/resource_name.h"
#include "common/api/timestamps.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/validation/field_rules.h"
#include "services/intake/names.h"
#include "services/notes/names.h"
#include "services/notes/note_validation.h"
#include "services/notes/signature.h"
#include "services/plans/names.h"
#include "services/scheduling/names.h"
#include "velknee/plans/v1/treatment_plan_service.grpc.pb.h"
#include "velknee/scheduling/v1/scheduling_service.grpc.pb.h"

namespace velknee::notes {
namespace {

using v1::SessionNote;

using intake::kClientPattern;
using plans::kPlanPattern;
using scheduling::kAppointmentPattern;

absl::Status RefuseIfSigned(const SessionNote& note) {
  if (note.state() != SessionNote::STATE_SIGNED) return absl::OkStatus();
  return PreconditionFailed(
      "NOTE_SIGNED", absl::StrCat("cannot change ", note.name()),
      {{"STATE", note.name(),
        absl::StrCat(note.name(), " is signed and cannot change; add an addendum instead")}});
}

absl::Status RefuseUnlessActive(const plans::v1::TreatmentPlan& plan) {
  if (plan.state() == plans::v1::TreatmentPlan::STATE_ACTIVE) return absl::OkStatus();
  return PreconditionFailed(
      "PLAN_NOT_ACTIVE", "cannot record a session",
      {{"STATE", plan.name(), absl::StrCat(plan.name(), " is not active; activate it first")}});
}

// Only the note's own therapist may sign it.
absl::Status RefuseUnlessAuthor(const SessionNote& note, const Principal& caller) {
  if (note.therapist() == caller.therapist) return absl::OkStatus();
  return WithReason(
      absl::PermissionDeniedError(absl::StrCat(note.name(), " was written by ", note.therapist(),
                                               "; only that therapist may sign it")),
      "NOT_NOTE_AUTHOR");
}

}  // namespace

std::vector<Migration> NoteMigrations() {
  return {kAuditMigration, kIdempotencyMigration, kNotesMigration, kNotesByPlanMigration};
}

NoteService::NoteService(Database* db, AuditQueue* audit, TokenStore* tokens,
                         absl::Duration default_deadline, absl::TimeZone clinic_time_zone,
                         const Peer* plans, const Peer* scheduling)
    : rpc_(std::string(v1::SessionNoteService::service_full_name()), tokens, audit,
           default_deadline),
      clinic_time_zone_(clinic_time_zone),
      notes_(db),
      plans_(plans),
      scheduling_(scheduling) {}

absl::StatusOr<plans::v1::TreatmentPlan> NoteService::ReadPlan(const Call& call,
                                                               const std::string& name) const {
  plans::v1::GetPlanRequest request;
  request.set_name(name);
  return plans_->Call(call.deadline(), &plans::v1::TreatmentPlanService::Stub::GetPlan, request);
}

absl::Status NoteService::CheckAppointment(const Call& call, const std::string& name,
                                           const std::string& client) const {
  scheduling::v1::GetAppointmentRequest request;
  request.set_name(name);
  VELKNEE_ASSIGN_OR_RETURN(
      const scheduling::v1::Appointment appointment,
      scheduling_->Call(call.deadline(), &scheduling::v1::SchedulingService::Stub::GetAppointment,
                        request));
  if (appointment.client() == client) return absl::OkStatus();
  return PreconditionFailed(
      "APPOINTMENT_OF_ANOTHER_CLIENT", "cannot link the appointment",
      {{"CLIENT", name, absl::StrCat(name, " is another client's appointment")}});
}

absl::Status NoteService::CompleteAppointment(const Call& call, const std::string& name) const {
  scheduling::v1::GetAppointmentRequest get;
  get.set_name(name);
  VELKNEE_ASSIGN_OR_RETURN(
      const scheduling::v1::Appointment appointment,
      scheduling_->Call(call.deadline(), &scheduling::v1::SchedulingService::Stub::GetAppointment,
                        get));
  if (appointment.state() == scheduling::v1::Appointment::STATE_COMPLETED) {
    return absl::OkStatus();
  }
  scheduling::v1::CompleteAppointmentRequest complete;
  complete.set_name(name);
  return scheduling_
      ->Call(call.deadline(), &scheduling::v1::SchedulingService::Stub::CompleteAppointment,
             complete)
      .status();
}

grpc::Status NoteService::CreateNote(grpc::ServerContext* context,
                                     const v1::CreateNoteRequest* request, SessionNote* response) {
  return rpc_.Run(context, "CreateNote", [&](const Call& call) -> absl::Status {
    VELKNEE_ASSIGN_OR_RETURN(const std::string client_id,
                             ParseResourceId(request->parent(), kClientPattern, "parent"));
    VELKNEE_RETURN_IF_ERROR(ValidateRequestFields(*request));
    SessionNote note = request->note();
    ClearOutputOnly(&note);
    VELKNEE_ASSIGN_OR_RETURN(const std::vector<std::string> plan_ids,
                             ParseResourceName(note.plan(), kPlanPattern, "note.plan"));
    if (!note.appointment().empty()) {
      VELKNEE_RETURN_IF_ERROR(
          ParseResourceName(note.appointment(), kAppointmentPattern, "note.appointment").status());
    }
    VELKNEE_RETURN_IF_ERROR(ValidateNote(note, absl::Now()));
    if (plan_ids[0] != client_id) {
      return PreconditionFailed(
          "PLAN_OF_ANOTHER_CLIENT", "cannot record a session",
          {{"CLIENT", note.plan(),
            absl::StrCat(note.plan(), " belongs to another client than ", request->parent())}});
    }
    const IdempotencyKey key =
        MakeIdempotencyKey(call.principal().id, call.method(), request->request_id(), *request);
    VELKNEE_ASSIGN_OR_RETURN(const bool answered,
                             AnsweredEarlier(notes_.FindEarlierResponse(key), *response));
    if (answered) return absl::OkStatus();
    // Peer calls first; no transaction is open across the network.
    VELKNEE_ASSIGN_OR_RETURN(const plans::v1::TreatmentPlan plan, ReadPlan(call, note.plan()));
    VELKNEE_RETURN_IF_ERROR(RefuseUnlessActive(plan));
    VELKNEE_RETURN_IF_ERROR(CheckAppliedAgainstScreening(note, plan.screening()));
    if (!note.appointment().empty()) {
      VELKNEE_RETURN_IF_ERROR(CheckAppointment(call, note.appointment(), request->parent()));
    }
    note.set_state(SessionNote::STATE_DRAFT);
    note.set_therapist(call.principal().therapist);
    VELKNEE_ASSIGN_OR_RETURN(*response, notes_.Create({client_id}, note, key, call.actor()));
    return absl::OkStatus();
  });
}

grpc::Status NoteService::GetNote(grpc::ServerContext* context, const v1::GetNoteRequest* request,
                                  SessionNote* response) {
  return rpc_.Run(context, "GetNote", [&](const Call& call) -> absl::Status {
    VELKNEE_ASSIGN_OR_RETURN(const std::vector<std::string> ids,
                             ParseResourceName(request->name(), kNotePattern, "name"));
    VELKNEE_ASSIGN_OR_RETURN(*response, notes_.GetWithAddenda(ids));
    call.RecordRead(response->name());
    return absl::OkStatus();
  });
}

grpc::Status NoteService::UpdateNote(grpc::ServerContext* context,
                                     const v1::UpdateNoteRequest* request, SessionNote* response) {
  return rpc_.Run(context, "UpdateNote", [&](const Call& call) -> absl::Status {
    const SessionNote& patch = request->note();
    VELKNEE_ASSIGN_OR_RETURN(const std::vector<std::string> ids,
                             ParseResourceName(patch.name(), kNotePattern, "note.name"));
    VELKNEE_RETURN_IF_ERROR(ValidateUpdateMask(request->update_mask(), patch));
    VELKNEE_ASSIGN_OR_RETURN(const SessionNote stored, notes_.Get(ids));
    VELKNEE_RETURN_IF_ERROR(RefuseIfSigned(stored));
    VELKNEE_ASSIGN_OR_RETURN(const plans::v1::TreatmentPlan plan, ReadPlan(call, stored.plan()));
    VELKNEE_ASSIGN_OR_RETURN(*response,
                             notes_.Update(
                                 ids, patch.etag(),
                                 [&](SessionNote& note, SQLite::Database&) -> absl::Status {
                                   VELKNEE_RETURN_IF_ERROR(RefuseIfSigned(note));
                                   ApplyUpdateMask(request->update_mask(), patch, &note);
                                   VELKNEE_RETURN_IF_ERROR(ValidateNote(note, absl::Now()));
                                   return CheckAppliedAgainstScreening(note, plan.screening());
                                 },
                                 call.actor()));
    return absl::OkStatus();
  });
}

grpc::Status NoteService::SignNote(grpc::ServerContext* context, const v1::SignNoteRequest* request,
                                   SessionNote* response) {
  return rpc_.Run(context, "SignNote", [&](const Call& call) -> absl::Status {
    VELKNEE_ASSIGN_OR_RETURN(const std::vector<std::string> ids,
                             ParseResourceName(request->name(), kNotePattern, "name"));
    VELKNEE_RETURN_IF_ERROR(ValidateRequestFields(*request));
    const IdempotencyKey key =
        MakeIdempotencyKey(call.principal().id, call.method(), request->request_id(), *request);
    VELKNEE_ASSIGN_OR_RETURN(const bool answered,
                             AnsweredEarlier(notes_.FindEarlierResponse(key), *response));
    if (answered) return absl::OkStatus();
    VELKNEE_ASSIGN_OR_RETURN(const SessionNote stored, notes_.Get(ids));
    VELKNEE_RETURN_IF_ERROR(RefuseIfSigned(stored));
    {
      VELKNEE_RETURN_IF_ERROR(RefuseUnlessAuthor(stored, call.principal()));
      VELKNEE_RETURN_IF_ERROR(CheckEtag(request->etag(), stored.etag(), stored.name()));
      VELKNEE_RETURN_IF_ERROR(CheckReadyToSign(stored));
      if (!stored.appointment().empty()) {
        VELKNEE_RETURN_IF_ERROR(CompleteAppointment(call, stored.appointment()));
      }
    }
    VELKNEE_ASSIGN_OR_RETURN(
        *response, notes_.Update(
                       ids, request->etag(),
                       [&](SessionNote& note, SQLite::Database&) -> absl::Status {
                         VELKNEE_RETURN_IF_ERROR(RefuseIfSigned(note));
                         VELKNEE_RETURN_IF_ERROR(RefuseUnlessAuthor(note, call.principal()));
                         VELKNEE_RETURN_IF_ERROR(CheckReadyToSign(note));
                         note.set_state(SessionNote::STATE_SIGNED);
                         note.set_signed_by(call.principal().therapist);
                         *note.mutable_sign_time() = ToTimestamp(absl::Now());
                         note.set_content_sha256(ContentSha256(note));
                         return absl::OkStatus();
                       },
                       call.actor(), key));
    return absl::OkStatus();
  });
}

grpc::Status NoteService::AddAddendum(grpc::ServerContext* context,
                                      const v1::AddAddendumRequest* request,
                                      SessionNote* response) {
  return rpc_.Run(context, "AddAddendum", [&](const Call& call) -> absl::Status {
    VELKNEE_ASSIGN_OR_RETURN(const std::vector<std::string> ids,
                             ParseResourceName(request->name(), kNotePattern, "name"));
    VELKNEE_RETURN_IF_ERROR(ValidateRequestFields(*request));
    v1::Addendum addendum;
    addendum.set_author(call.principal().therapist);
    addendum.set_text(request->text());
    VELKNEE_ASSIGN_OR_RETURN(
        *response, notes_.AddAddendum(ids, addendum,
                                      MakeIdempotencyKey(call.principal().id, call.method(),
                                                         request->request_id(), *request),
                                      call.actor()));
    return absl::OkStatus();
  });
}

grpc::Status NoteService::ListNotes(grpc::ServerContext* context,
                                    const v1::ListNotesRequest* request,
                                    v1::ListNotesResponse* response) {
  return rpc_.Run(context, "ListNotes", [&](const Call& call) -> absl::Status {
    VELKNEE_ASSIGN_OR_RETURN(const std::string client_id,
                             ParseResourceId(request->parent(), kClientPattern, "parent"));
    std::vector<ColumnAndValue> filters;
    if (!request->plan().empty()) {
      VELKNEE_ASSIGN_OR_RETURN(const std::vector<std::string> plan_ids,
                               ParseResourceName(request->plan(), kPlanPattern, "plan"));
      if (plan_ids[0] != client_id) {
        return InvalidField("plan", "must be a plan of the client named in parent");
      }
      filters.push_back({"plan_id", plan_ids[1]});
    }
    VELKNEE_ASSIGN_OR_RETURN(const PageRequest paging, ReadPageRequest(*request));
    VELKNEE_ASSIGN_OR_RETURN(ResourcePage<SessionNote> page,
                             notes_.List(client_id, filters, paging.page_size, paging.after_id));
    VELKNEE_RETURN_IF_ERROR(notes_.AttachAddenda(page.items));
    for (SessionNote& note : page.items) *response->add_notes() = std::move(note);
    response->set_next_page_token(NextPageToken(paging, page.next_after_id));
    call.RecordRead(request->parent());
    return absl::OkStatus();
  });
}

grpc::Status NoteService::GetPlanProgress(grpc::ServerContext* context,
                                          const v1::GetPlanProgressRequest* request,
                                          v1::PlanProgress* response) {
  return rpc_.Run(context, "GetPlanProgress", [&](const Call& call) -> absl::Status {
    VELKNEE_ASSIGN_OR_RETURN(const std::vector<std::string> plan_ids,
                             ParseResourceName(request->plan(), kPlanPattern, "plan"));
    VELKNEE_ASSIGN_OR_RETURN(const plans::v1::TreatmentPlan plan, ReadPlan(call, request->plan()));
    VELKNEE_ASSIGN_OR_RETURN(const std::vector<SignedSession> sessions,
                             notes_.SignedSessions(plan_ids[1]));
    *response = ComputePlanProgress(plan, sessions, clinic_time_zone_);
    call.RecordRead(request->plan());
    return absl::OkStatus();
  });
}

}  // namespace velknee::notes

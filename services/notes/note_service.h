#ifndef VELKNEE_SERVICES_NOTES_NOTE_SERVICE_H_
#define VELKNEE_SERVICES_NOTES_NOTE_SERVICE_H_

// SessionNoteService: SOAP notes of treatment sessions, their signing and addenda, and the
// progress of a plan. Plans are read through TreatmentPlanService; appointments are checked
// and completed through SchedulingService.
//
// Signing a note that names an appointment completes the appointment first, then stores the
// signature. If scheduling cannot be reached, signing fails (UNAVAILABLE naming it) and the note
// stays a draft: nothing is written, and the therapist retries. In the rare case that storing
// the signature fails after the appointment was completed (a concurrent edit of the draft, a
// storage error), the appointment stays COMPLETED and the note a draft; signing again finds the
// appointment COMPLETED and finishes the job.
//
// Thread-safe.

#include <vector>

#include "absl/time/time.h"
#include "common/client/peer.h"
#include "common/server/rpc.h"
#include "common/storage/database.h"
#include "services/notes/note_store.h"
#include "velknee/notes/v1/session_note_service.grpc.pb.h"
#include "velknee/plans/v1/treatment_plan.pb.h"

namespace velknee::notes {

// The ordered schema of notes.db.
std::vector<Migration> NoteMigrations();

class NoteService final : public v1::SessionNoteService::Service {
 public:
  // `db` is notes.db (opened with NoteMigrations()), `audit` its audit queue, `plans` and
  // `scheduling` the peers; none is owned. Session gaps are counted in `clinic_time_zone`.
  NoteService(Database* db, AuditQueue* audit, TokenStore* tokens, absl::Duration default_deadline,
              absl::TimeZone clinic_time_zone, const Peer* plans, const Peer* scheduling);

  grpc::Status CreateNote(grpc::ServerContext* context, const v1::CreateNoteRequest* request,
                          v1::SessionNote* response) override;
  grpc::Status GetNote(grpc::ServerContext* context, const v1::GetNoteRequest* request,
                       v1::SessionNote* response) override;
  grpc::Status UpdateNote(grpc::ServerContext* context, const v1::UpdateNoteRequest* request,
                          v1::SessionNote* response) override;
  grpc::Status SignNote(grpc::ServerContext* context, const v1::SignNoteRequest* request,
                        v1::SessionNote* response) override;
  grpc::Status AddAddendum(grpc::ServerContext* context, const v1::AddAddendumRequest* request,
                           v1::SessionNote* response) override;
  grpc::Status ListNotes(grpc::ServerContext* context, const v1::ListNotesRequest* request,
                         v1::ListNotesResponse* response) override;
  grpc::Status GetPlanProgress(grpc::ServerContext* context,
                               const v1::GetPlanProgressRequest* request,
                               v1::PlanProgress* response) override;

 private:
  // Plan `name` read through the plans service within `call`'s deadline.
  absl::StatusOr<plans::v1::TreatmentPlan> ReadPlan(const Call& call,
                                                    const std::string& name) const;
  // Completes appointment `name` through the scheduling service unless it already is.
  absl::Status CompleteAppointment(const Call& call, const std::string& name) const;
  // Checks that appointment `name` exists and is client `client`'s.
  absl::Status CheckAppointment(const Call& call, const std::string& name,
                                const std::string& client) const;

  const RpcRunner rpc_;
  const absl::TimeZone clinic_time_zone_;
  NoteStore notes_;
  const Peer* const plans_;
  const Peer* const scheduling_;
};

}  // namespace velknee::notes

#endif  // VELKNEE_SERVICES_NOTES_NOTE_SERVICE_H_

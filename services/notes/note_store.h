#ifndef VELKNEE_SERVICES_NOTES_NOTE_STORE_H_
#define VELKNEE_SERVICES_NOTES_NOTE_STORE_H_

// SOAP session notes in the notes database, each under its client. Once signed, a note's row
// can never change (a trigger refuses any UPDATE of it) and no note is ever deleted; addenda go
// to their own append-only table and are accepted only for signed notes. Each row also carries
// the numbers GetPlanProgress needs (plan, session time, pain before/after, adverse effects),
// so progress is one indexed query over signed rows, without parsing any note.
//
// Thread-safe (the Database serialises writes).

#include <string>
#include <vector>

#include "common/api/idempotency.h"
#include "common/audit/audit_log.h"
#include "common/records/client_record_store.h"
#include "common/storage/database.h"
#include "services/notes/progress.h"
#include "velknee/notes/v1/session_note.pb.h"

namespace velknee::notes {

// The schema of notes.db after the audit and idempotency tables, in migration order.
extern const Migration kNotesMigration;
extern const Migration kNotesByPlanMigration;

class NoteStore : public ClientRecordStore<v1::SessionNote> {
 public:
  explicit NoteStore(Database* db);

  // Note `ids` (client, note) with its addenda, oldest first. NOT_FOUND when absent.
  absl::StatusOr<v1::SessionNote> GetWithAddenda(const std::vector<std::string>& ids);

  // Adds `addendum` (author and text set) to signed note `ids`, once per idempotency key, with
  // the audit event of `actor`, and returns the note with every addendum. FAILED_PRECONDITION
  // (NOTE_NOT_SIGNED) for a draft; NOT_FOUND when there is no such note.
  absl::StatusOr<v1::SessionNote> AddAddendum(const std::vector<std::string>& ids,
                                              const v1::Addendum& addendum,
                                              const IdempotencyKey& key, const AuditActor& actor);

  // Appends the stored addenda to each note of `notes` (for lists).
  absl::Status AttachAddenda(std::vector<v1::SessionNote>& notes);

  // The signed sessions of plan `plan_id`, in session order.
  absl::StatusOr<std::vector<SignedSession>> SignedSessions(const std::string& plan_id);
};

}  // namespace velknee::notes

#endif  // VELKNEE_SERVICES_NOTES_NOTE_STORE_H_

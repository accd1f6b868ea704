#include "services/notes/note_store.h"

#include "SQLiteCpp/Statement.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/api/etag.h"
#include "common/api/resource_name.h"
#include "common/api/timestamps.h"
#include "common/audit/audit_log.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "services/notes/names.h"
#include "services/plans/names.h"

namespace velknee::notes {

// state is velknee.notes.v1.SessionNote.State: 2 = SIGNED.
const Migration kNotesMigration = {"notes",
                                   R"sql(
      CREATE TABLE notes (
        id TEXT PRIMARY KEY,
        client_id TEXT NOT NULL,
        create_unix_micros INTEGER NOT NULL,
        state INTEGER NOT NULL,
        resource BLOB NOT NULL,
        plan_id TEXT NOT NULL,
        session_unix_micros INTEGER,
        pain_before INTEGER,
        pain_after INTEGER,
        adverse_effects INTEGER NOT NULL,
        content_sha256 TEXT
      ) WITHOUT ROWID;
      CREATE INDEX notes_by_client_session ON notes (client_id, session_unix_micros, id);
      CREATE INDEX notes_signed_by_plan
        ON notes (plan_id, session_unix_micros, id, client_id, pain_before, pain_after,
                   adverse_effects)
        WHERE state = 2;
      CREATE TRIGGER notes_signed_are_immutable BEFORE UPDATE ON notes WHEN OLD.state = 2
      BEGIN SELECT RAISE(ABORT, 'a signed note cannot change; add an addendum'); END;
      CREATE TRIGGER notes_never_deleted BEFORE DELETE ON notes
      BEGIN SELECT RAISE(ABORT, 'notes are never deleted'); END;

      CREATE TABLE note_addenda (
        note_id TEXT NOT NULL REFERENCES notes (id),
        seq INTEGER NOT NULL,
        author TEXT NOT NULL,
        text TEXT NOT NULL,
        create_unix_micros INTEGER NOT NULL,
        PRIMARY KEY (note_id, seq)
      ) WITHOUT ROWID;
      CREATE TRIGGER note_addenda_only_on_signed_notes BEFORE INSERT ON note_addenda
      WHEN (SELECT state FROM notes WHERE id = NEW.note_id) IS NOT 2
      BEGIN SELECT RAISE(ABORT, 'addenda are only for signed notes'); END;
      CREATE TRIGGER note_addenda_no_update BEFORE UPDATE ON note_addenda
      BEGIN SELECT RAISE(ABORT, 'addenda are append-only'); END;
      CREATE TRIGGER note_addenda_no_delete BEFORE DELETE ON note_addenda
      BEGIN SELECT RAISE(ABORT, 'addenda are append-only'); END;
    )sql"};

// ListNotes filtered by plan: one range scan of that plan's notes, however many notes the client
// has under other plans.
const Migration kNotesByPlanMigration = {"notes listed by plan",
                                         R"sql(
      CREATE INDEX notes_by_client_plan ON notes (client_id, plan_id, session_unix_micros, id);
    )sql"};

namespace {

ColumnValue OptionalInt(bool present, int value) {
  return present ? ColumnValue(static_cast<int64_t>(value)) : ColumnValue();
}

// A note's plan is checked when the note is made; a stored note whose plan does not parse would
// vanish from its plan's progress, so it is refused rather than written with no plan.
absl::StatusOr<std::vector<ColumnAndValue>> NoteColumns(const v1::SessionNote& note) {
  VELKNEE_ASSIGN_OR_RETURN(const std::string plan_id,
                           ParseResourceId(note.plan(), plans::kPlanPattern, "note.plan"));
  return std::vector<ColumnAndValue>{
      {"plan_id", plan_id},
      {"session_unix_micros",
       note.has_session_time() ? ColumnValue(absl::ToUnixMicros(FromTimestamp(note.session_time())))
                               : ColumnValue()},
      {"pain_before",
       OptionalInt(note.subjective().has_pain_before(), note.subjective().pain_before())},
      {"pain_after",
       OptionalInt(note.assessment().has_pain_after(), note.assessment().pain_after())},
      {"adverse_effects", static_cast<int64_t>(note.assessment().adverse_effects_size())},
      {"content_sha256",
       note.content_sha256().empty() ? ColumnValue() : ColumnValue(note.content_sha256())},
  };
}

void ReadAddenda(SQLite::Database& db, const std::string& note_id, v1::SessionNote& note) {
  SQLite::Statement query(db,
                          "SELECT author, text, create_unix_micros FROM note_addenda "
                          "WHERE note_id = ? ORDER BY seq");
  query.bind(1, note_id);
  while (query.executeStep()) {
    v1::Addendum& addendum = *note.add_addenda();
    addendum.set_author(query.getColumn(0).getString());
    addendum.set_text(query.getColumn(1).getString());
    *addendum.mutable_create_time() =
        ToTimestamp(absl::FromUnixMicros(query.getColumn(2).getInt64()));
  }
  // The note changed when its last addendum was added; the etag covers the addenda too.
  if (note.addenda_size() > 0) {
    *note.mutable_update_time() = note.addenda(note.addenda_size() - 1).create_time();
    note.set_etag(ComputeEtag(note));
  }
}

}  // namespace

NoteStore::NoteStore(Database* db)
    : ClientRecordStore(db, "notes", std::string(kNotePattern), NoteColumns,
                        "session_unix_micros") {}

absl::StatusOr<v1::SessionNote> NoteStore::GetWithAddenda(const std::vector<std::string>& ids) {
  return database().Read([&](SQLite::Database& db) -> absl::StatusOr<v1::SessionNote> {
    VELKNEE_ASSIGN_OR_RETURN(v1::SessionNote note, Read(db, ids));
    ReadAddenda(db, ids.back(), note);
    return note;
  });
}

absl::StatusOr<v1::SessionNote> NoteStore::AddAddendum(const std::vector<std::string>& ids,
                                                       const v1::Addendum& addendum,
                                                       const IdempotencyKey& key,
                                                       const AuditActor& actor) {
  const std::string& id = ids.back();
  return database().Write([&](SQLite::Database& db) {
    return RunOnce<v1::SessionNote>(db, key, [&]() -> absl::StatusOr<v1::SessionNote> {
      VELKNEE_ASSIGN_OR_RETURN(v1::SessionNote note, Read(db, ids));
      if (note.state() != v1::SessionNote::STATE_SIGNED) {
        return PreconditionFailed(
            "NOTE_NOT_SIGNED", "cannot add an addendum",
            {{"STATE", note.name(),
              absl::StrCat(note.name(), " is a draft; change it directly, or sign it first")}});
      }
      SQLite::Statement insert(
          db,
          "INSERT INTO note_addenda (note_id, seq, author, text, create_unix_micros) "
          "VALUES (?, (SELECT count(*) + 1 FROM note_addenda WHERE note_id = ?), ?, ?, ?)");
      insert.bind(1, id);
      insert.bind(2, id);
      insert.bind(3, addendum.author());
      insert.bind(4, addendum.text());
      insert.bind(5, absl::ToUnixMicros(absl::Now()));
      insert.exec();
      AppendSuccess(db, actor, note.name());
      ReadAddenda(db, id, note);
      return note;
    });
  });
}

absl::Status NoteStore::AttachAddenda(std::vector<v1::SessionNote>& notes) {
  return database().Read([&](SQLite::Database& db) {
    for (v1::SessionNote& note : notes) ReadAddenda(db, IdOf(note.name()), note);
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<SignedSession>> NoteStore::SignedSessions(const std::string& plan_id) {
  return database().Read([&](SQLite::Database& db) -> absl::StatusOr<std::vector<SignedSession>> {
    std::vector<SignedSession> sessions;
    SQLite::Statement query(
        db,
        "SELECT client_id, id, session_unix_micros, pain_before, pain_after, adverse_effects "
        "FROM notes WHERE plan_id = ? AND state = 2 ORDER BY session_unix_micros, id");
    query.bind(1, plan_id);
    while (query.executeStep()) {
      SignedSession session;
      session.note = NameOf({query.getColumn(0).getString(), query.getColumn(1).getString()});
      session.session_time = absl::FromUnixMicros(query.getColumn(2).getInt64());
      if (!query.getColumn(3).isNull()) session.pain_before = query.getColumn(3).getInt();
      if (!query.getColumn(4).isNull()) session.pain_after = query.getColumn(4).getInt();
      session.adverse_effects = query.getColumn(5).getInt();
      sessions.push_back(std::move(session));
    }
    return sessions;
  });
}

}  // namespace velknee::notes

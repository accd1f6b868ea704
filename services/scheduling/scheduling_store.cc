#include "services/scheduling/scheduling_store.h"

#include "SQLiteCpp/Statement.h"
#include "absl/strings/str_cat.h"
#include "common/api/resource_name.h"
#include "common/crypto/random.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "services/intake/names.h"
#include "services/scheduling/names.h"

namespace velknee::scheduling {

// appointments.state is velknee.scheduling.v1.Appointment.State: 1 BOOKED and 2 CHECKED_IN are
// live; 3 COMPLETED, 4 CANCELLED and 5 NO_SHOW are final.
const Migration kSchedulingMigration = {"therapists and appointments",
                                        R"sql(
      CREATE TABLE therapists (
        id TEXT PRIMARY KEY,
        techniques INTEGER NOT NULL,
        active INTEGER NOT NULL CHECK (active IN (0, 1)),
        resource BLOB NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE appointments (
        id TEXT PRIMARY KEY,
        client_id TEXT NOT NULL,
        therapist_id TEXT NOT NULL REFERENCES therapists (id),
        start_unix INTEGER NOT NULL,
        end_unix INTEGER NOT NULL CHECK (end_unix > start_unix),
        state INTEGER NOT NULL,
        resource BLOB NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX appointments_by_therapist ON appointments (therapist_id, start_unix, id);
      CREATE INDEX appointments_by_client ON appointments (client_id, start_unix, id);
      CREATE INDEX appointments_by_start ON appointments (start_unix, id);
      CREATE TRIGGER appointments_final_states BEFORE UPDATE ON appointments
      WHEN OLD.state IN (3, 4, 5)
      BEGIN SELECT RAISE(ABORT, 'a completed, cancelled or no-show appointment is final'); END;
      CREATE TRIGGER appointments_never_deleted BEFORE DELETE ON appointments
      BEGIN SELECT RAISE(ABORT, 'appointments are never deleted; cancel them'); END;
    )sql"};

namespace {

int64_t TechniqueBits(const v1::Therapist& therapist) {
  int64_t bits = 0;
  for (int technique : therapist.techniques()) bits |= int64_t{1} << technique;
  return bits;
}

absl::Time StartOf(const v1::Appointment& appointment) {
  return absl::FromUnixSeconds(appointment.start_time().seconds());
}

std::vector<ColumnAndValue> TherapistColumns(const v1::Therapist& therapist) {
  return {{"techniques", TechniqueBits(therapist)},
          {"active", int64_t{therapist.active() ? 1 : 0}}};
}

absl::StatusOr<std::vector<ColumnAndValue>> AppointmentColumns(const v1::Appointment& appointment) {
  VELKNEE_ASSIGN_OR_RETURN(
      std::string client_id,
      ParseResourceId(appointment.client(), intake::kClientPattern, "appointment.client"));
  VELKNEE_ASSIGN_OR_RETURN(
      std::string therapist_id,
      ParseResourceId(appointment.therapist(), kTherapistPattern, "appointment.therapist"));
  const absl::Time start = StartOf(appointment);
  return std::vector<ColumnAndValue>{
      {"client_id", std::move(client_id)},
      {"therapist_id", std::move(therapist_id)},
      {"start_unix", absl::ToUnixSeconds(start)},
      {"end_unix", absl::ToUnixSeconds(start + absl::Minutes(appointment.duration_minutes()))},
      {"state", static_cast<int64_t>(appointment.state())},
  };
}

}  // namespace

SchedulingStore::SchedulingStore(Database* db)
    : db_(db),
      therapists_(db, "therapists", std::string(kTherapistPattern), TherapistColumns),
      appointments_(db, "appointments", std::string(kAppointmentPattern), AppointmentColumns) {}

absl::StatusOr<std::vector<v1::Appointment>> FindConflicts(SQLite::Database& db,
                                                           const std::string& therapist_id,
                                                           const std::string& client_id,
                                                           absl::Time start, absl::Time end,
                                                           const std::string& except_id) {
  SQLite::Statement query(
      db,
      "SELECT id, resource FROM appointments WHERE state IN (1, 2) AND id != :except "
      "AND start_unix < :end AND end_unix > :start "
      "AND (therapist_id = :therapist OR client_id = :client) ORDER BY start_unix, id");
  query.bind(":except", except_id);
  query.bind(":end", absl::ToUnixSeconds(end));
  query.bind(":start", absl::ToUnixSeconds(start));
  query.bind(":therapist", therapist_id);
  query.bind(":client", client_id);
  std::vector<v1::Appointment> conflicts;
  while (query.executeStep()) {
    VELKNEE_ASSIGN_OR_RETURN(v1::Appointment conflict,
                             ParseStoredResource<v1::Appointment>(query.getColumn(1).getString(),
                                                                  query.getColumn(0).getString()));
    conflicts.push_back(std::move(conflict));
  }
  return conflicts;
}

absl::StatusOr<v1::Therapist> SchedulingStore::CreateTherapist(const std::string& id,
                                                               v1::Therapist therapist,
                                                               const IdempotencyKey& key,
                                                               const AuditActor& actor) {
  return therapists_.CreateWithId(
      {id}, std::move(therapist), key, actor,
      [&](SQLite::Database& db, const v1::Therapist& created) -> absl::Status {
        const absl::Status existing = therapists_.Read(db, {id}).status();
        if (existing.ok()) {
          return WithReason(
              absl::AlreadyExistsError(absl::StrCat(created.name(), " already exists")),
              "THERAPIST_EXISTS");
        }
        return absl::IsNotFound(existing) ? absl::OkStatus() : existing;
      });
}

absl::StatusOr<ResourcePage<v1::Therapist>> SchedulingStore::ListTherapists(
    int technique, bool show_inactive, int page_size, const std::string& after_id) {
  return db_->Read([&](SQLite::Database& db) {
    SQLite::Statement query(db,
                            "SELECT id, resource FROM therapists WHERE id > :after "
                            "AND (:all = 1 OR active = 1) AND (:technique = 0 OR "
                            "(techniques & :bit) != 0) ORDER BY id LIMIT :limit");
    query.bind(":after", after_id);
    query.bind(":all", show_inactive ? 1 : 0);
    query.bind(":technique", technique);
    query.bind(":bit", int64_t{1} << technique);
    query.bind(":limit", page_size + 1);
    return ReadResourcePage<v1::Therapist>(query, page_size);
  });
}

absl::StatusOr<v1::BookSeriesResponse> SchedulingStore::BookSeries(
    std::vector<v1::Appointment> series, const IdempotencyKey& key, const AuditActor& actor,
    RecordStore<v1::Appointment>::Check check,
    absl::FunctionRef<absl::Status(const std::vector<absl::Status>&)> refuse) {
  return db_->Write([&](SQLite::Database& db) {
    return RunOnce<v1::BookSeriesResponse>(
        db, key, [&]() -> absl::StatusOr<v1::BookSeriesResponse> {
          std::vector<std::string> ids;
          std::vector<absl::Status> problems;
          for (v1::Appointment& appointment : series) {
            ids.push_back(NewResourceId());
            appointment.set_name(appointments_.NameOf({ids.back()}));
            appointment.set_state(v1::Appointment::STATE_BOOKED);
            if (absl::Status problem = check(db, appointment); !problem.ok()) {
              problems.push_back(std::move(problem));
            }
          }
          if (!problems.empty()) return refuse(problems);
          v1::BookSeriesResponse response;
          for (size_t i = 0; i < series.size(); ++i) {
            VELKNEE_RETURN_IF_ERROR(appointments_.Insert(db, {ids[i]}, series[i], actor));
            *response.add_appointments() = std::move(series[i]);
          }
          return response;
        });
  });
}

absl::Status SchedulingStore::ReadAvailability(
    const std::string& therapist_id, absl::Time from, absl::Time to, v1::Therapist& therapist,
    std::vector<std::pair<absl::Time, absl::Time>>& busy) {
  return db_->Read([&](SQLite::Database& db) -> absl::Status {
    VELKNEE_ASSIGN_OR_RETURN(therapist, therapists_.Read(db, {therapist_id}));
    SQLite::Statement query(db,
                            "SELECT start_unix, end_unix FROM appointments WHERE therapist_id = ? "
                            "AND state IN (1, 2) AND start_unix < ? AND end_unix > ? "
                            "ORDER BY start_unix");
    query.bind(1, therapist_id);
    query.bind(2, absl::ToUnixSeconds(to));
    query.bind(3, absl::ToUnixSeconds(from));
    while (query.executeStep()) {
      busy.emplace_back(absl::FromUnixSeconds(query.getColumn(0).getInt64()),
                        absl::FromUnixSeconds(query.getColumn(1).getInt64()));
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<v1::Appointment> SchedulingStore::Book(v1::Appointment appointment,
                                                      const IdempotencyKey& key,
                                                      const AuditActor& actor,
                                                      RecordStore<v1::Appointment>::Check check) {
  appointment.set_state(v1::Appointment::STATE_BOOKED);
  return appointments_.Create({}, std::move(appointment), key, actor, check);
}

absl::StatusOr<ResourcePage<v1::Appointment>> SchedulingStore::ListAppointments(
    const AppointmentQuery& query, int page_size, const std::string& after_id) {
  return db_->Read([&](SQLite::Database& db) {
    std::string sql =
        "SELECT id, resource FROM appointments WHERE start_unix >= :from AND start_unix < :to";
    if (!query.therapist_id.empty()) sql += " AND therapist_id = :therapist";
    if (!query.client_id.empty()) sql += " AND client_id = :client";
    if (!after_id.empty()) {
      sql += " AND (start_unix, id) > (SELECT start_unix, id FROM appointments WHERE id = :after)";
    }
    sql += " ORDER BY start_unix, id LIMIT :limit";
    SQLite::Statement statement(db, sql);
    statement.bind(":from", query.from == absl::InfinitePast() ? std::numeric_limits<int64_t>::min()
                                                               : absl::ToUnixSeconds(query.from));
    statement.bind(":to", query.to == absl::InfiniteFuture() ? std::numeric_limits<int64_t>::max()
                                                             : absl::ToUnixSeconds(query.to));
    if (!query.therapist_id.empty()) statement.bind(":therapist", query.therapist_id);
    if (!query.client_id.empty()) statement.bind(":client", query.client_id);
    if (!after_id.empty()) statement.bind(":after", after_id);
    statement.bind(":limit", page_size + 1);
    return ReadResourcePage<v1::Appointment>(statement, page_size);
  });
}

}  // namespace velknee::scheduling

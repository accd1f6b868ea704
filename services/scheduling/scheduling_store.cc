#include "services/scheduling/scheduling_store.h"

#include "SQLiteCpp/Statement.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/api/etag.h"
#include "common/api/resource_name.h"
#include "common/api/timestamps.h"
#include "common/crypto/random.h"
#include "common/status/errors.h"
#include "common/status/macros.h"

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

constexpr absl::string_view kTherapistPattern = "therapists/{therapist}";
constexpr absl::string_view kAppointmentPattern = "appointments/{appointment}";

int64_t TechniqueBits(const v1::Therapist& therapist) {
  int64_t bits = 0;
  for (int technique : therapist.techniques()) bits |= int64_t{1} << technique;
  return bits;
}

std::string IdIn(const std::string& name) { return name.substr(name.rfind('/') + 1); }

absl::Time StartOf(const v1::Appointment& appointment) {
  return absl::FromUnixSeconds(appointment.start_time().seconds());
}

void WriteTherapist(SQLite::Database& db, const std::string& id, const v1::Therapist& therapist,
                    bool insert) {
  SQLite::Statement statement(
      db, insert ? "INSERT INTO therapists (techniques, active, resource, id) VALUES (?, ?, ?, ?)"
                 : "UPDATE therapists SET techniques = ?, active = ?, resource = ? WHERE id = ?");
  const std::string bytes = therapist.SerializeAsString();
  statement.bind(1, TechniqueBits(therapist));
  statement.bind(2, therapist.active() ? 1 : 0);
  statement.bind(3, bytes.data(), static_cast<int>(bytes.size()));
  statement.bind(4, id);
  statement.exec();
}

void WriteAppointment(SQLite::Database& db, const std::string& id,
                      const v1::Appointment& appointment, bool insert) {
  SQLite::Statement statement(
      db, insert ? "INSERT INTO appointments (client_id, therapist_id, start_unix, end_unix, "
                   "state, resource, id) VALUES (?, ?, ?, ?, ?, ?, ?)"
                 : "UPDATE appointments SET client_id = ?, therapist_id = ?, start_unix = ?, "
                   "end_unix = ?, state = ?, resource = ? WHERE id = ?");
  const absl::Time start = StartOf(appointment);
  const std::string bytes = appointment.SerializeAsString();
  statement.bind(1, IdIn(appointment.client()));
  statement.bind(2, IdIn(appointment.therapist()));
  statement.bind(3, absl::ToUnixSeconds(start));
  statement.bind(4, absl::ToUnixSeconds(start + absl::Minutes(appointment.duration_minutes())));
  statement.bind(5, static_cast<int>(appointment.state()));
  statement.bind(6, bytes.data(), static_cast<int>(bytes.size()));
  statement.bind(7, id);
  statement.exec();
}

absl::StatusOr<v1::Appointment> ReadAppointment(SQLite::Database& db, const std::string& id) {
  SQLite::Statement query(db, "SELECT resource FROM appointments WHERE id = ?");
  query.bind(1, id);
  if (!query.executeStep()) return ResourceNotFound(FormatResourceName(kAppointmentPattern, {id}));
  return ParseResourceColumn<v1::Appointment>(query.getColumn(0), id);
}

void Audit(SQLite::Database& db, AuditEvent event, const std::string& resource) {
  event.resource = resource;
  AppendAuditEvent(db, event);
}

}  // namespace

absl::StatusOr<v1::Therapist> ReadTherapist(SQLite::Database& db, const std::string& id) {
  SQLite::Statement query(db, "SELECT resource FROM therapists WHERE id = ?");
  query.bind(1, id);
  if (!query.executeStep()) return ResourceNotFound(FormatResourceName(kTherapistPattern, {id}));
  return ParseResourceColumn<v1::Therapist>(query.getColumn(0), id);
}

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
    VELKNEE_ASSIGN_OR_RETURN(
        v1::Appointment conflict,
        ParseResourceColumn<v1::Appointment>(query.getColumn(1), query.getColumn(0).getString()));
    conflicts.push_back(std::move(conflict));
  }
  return conflicts;
}

absl::StatusOr<v1::Therapist> SchedulingStore::CreateTherapist(const std::string& id,
                                                               v1::Therapist therapist,
                                                               const IdempotencyKey& key,
                                                               const AuditEvent& audit) {
  absl::StatusOr<v1::Therapist> result;
  VELKNEE_RETURN_IF_ERROR(db_->Write([&](SQLite::Database& db) {
    result = RunOnce<v1::Therapist>(db, key, [&]() -> absl::StatusOr<v1::Therapist> {
      const std::string name = FormatResourceName(kTherapistPattern, {id});
      if (ReadTherapist(db, id).ok()) {
        return WithReason(absl::AlreadyExistsError(absl::StrCat(name, " already exists")),
                          "THERAPIST_EXISTS");
      }
      const absl::Time now = absl::Now();
      therapist.set_name(name);
      *therapist.mutable_create_time() = ToTimestamp(now);
      StampRevision(therapist, now);
      WriteTherapist(db, id, therapist, /*insert=*/true);
      Audit(db, audit, name);
      return therapist;
    });
    return result.status();
  }));
  return result;
}

absl::StatusOr<v1::Therapist> SchedulingStore::GetTherapist(const std::string& id) {
  absl::StatusOr<v1::Therapist> result;
  VELKNEE_RETURN_IF_ERROR(db_->Read([&](SQLite::Database& db) {
    result = ReadTherapist(db, id);
    return result.status();
  }));
  return result;
}

absl::StatusOr<v1::Therapist> SchedulingStore::UpdateTherapist(
    const std::string& id, const std::string& etag,
    absl::FunctionRef<absl::Status(v1::Therapist&)> change, const AuditEvent& audit) {
  v1::Therapist therapist;
  VELKNEE_RETURN_IF_ERROR(db_->Write([&](SQLite::Database& db) -> absl::Status {
    VELKNEE_ASSIGN_OR_RETURN(therapist, ReadTherapist(db, id));
    VELKNEE_RETURN_IF_ERROR(CheckEtag(etag, therapist.etag(), therapist.name()));
    VELKNEE_RETURN_IF_ERROR(change(therapist));
    StampRevision(therapist, absl::Now());
    WriteTherapist(db, id, therapist, /*insert=*/false);
    Audit(db, audit, therapist.name());
    return absl::OkStatus();
  }));
  return therapist;
}

absl::StatusOr<ResourcePage<v1::Therapist>> SchedulingStore::ListTherapists(
    int technique, bool show_inactive, int page_size, const std::string& after_id) {
  absl::StatusOr<ResourcePage<v1::Therapist>> page;
  VELKNEE_RETURN_IF_ERROR(db_->Read([&](SQLite::Database& db) -> absl::Status {
    SQLite::Statement query(db,
                            "SELECT id, resource FROM therapists WHERE id > :after "
                            "AND (:all = 1 OR active = 1) AND (:technique = 0 OR "
                            "(techniques & :bit) != 0) ORDER BY id LIMIT :limit");
    query.bind(":after", after_id);
    query.bind(":all", show_inactive ? 1 : 0);
    query.bind(":technique", technique);
    query.bind(":bit", int64_t{1} << technique);
    query.bind(":limit", page_size + 1);
    page = ReadResourcePage<v1::Therapist>(query, page_size);
    return page.status();
  }));
  return page;
}

absl::StatusOr<v1::BookSeriesResponse> SchedulingStore::BookSeries(
    std::vector<v1::Appointment> series, const IdempotencyKey& key, const AuditEvent& audit,
    absl::FunctionRef<absl::Status(SQLite::Database&, const v1::Appointment&)> check,
    absl::FunctionRef<absl::Status(const std::vector<absl::Status>&)> refuse) {
  absl::StatusOr<v1::BookSeriesResponse> result;
  VELKNEE_RETURN_IF_ERROR(db_->Write([&](SQLite::Database& db) {
    result =
        RunOnce<v1::BookSeriesResponse>(db, key, [&]() -> absl::StatusOr<v1::BookSeriesResponse> {
          const absl::Time now = absl::Now();
          std::vector<absl::Status> problems;
          for (v1::Appointment& appointment : series) {
            appointment.set_name(FormatResourceName(kAppointmentPattern, {NewResourceId()}));
            appointment.set_state(v1::Appointment::STATE_BOOKED);
            if (absl::Status problem = check(db, appointment); !problem.ok()) {
              problems.push_back(std::move(problem));
            }
          }
          if (!problems.empty()) return refuse(problems);
          v1::BookSeriesResponse response;
          for (v1::Appointment& appointment : series) {
            *appointment.mutable_create_time() = ToTimestamp(now);
            StampRevision(appointment, now);
            WriteAppointment(db, IdIn(appointment.name()), appointment, /*insert=*/true);
            Audit(db, audit, appointment.name());
            *response.add_appointments() = std::move(appointment);
          }
          return response;
        });
    return result.status();
  }));
  return result;
}

absl::Status SchedulingStore::ReadAvailability(
    const std::string& therapist_id, absl::Time from, absl::Time to, v1::Therapist& therapist,
    std::vector<std::pair<absl::Time, absl::Time>>& busy) {
  return db_->Read([&](SQLite::Database& db) -> absl::Status {
    VELKNEE_ASSIGN_OR_RETURN(therapist, ReadTherapist(db, therapist_id));
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

absl::StatusOr<v1::Appointment> SchedulingStore::Book(
    v1::Appointment appointment, const IdempotencyKey& key, const AuditEvent& audit,
    absl::FunctionRef<absl::Status(SQLite::Database&, const v1::Appointment&)> check) {
  absl::StatusOr<v1::Appointment> result;
  VELKNEE_RETURN_IF_ERROR(db_->Write([&](SQLite::Database& db) {
    result = RunOnce<v1::Appointment>(db, key, [&]() -> absl::StatusOr<v1::Appointment> {
      const std::string id = NewResourceId();
      const absl::Time now = absl::Now();
      appointment.set_name(FormatResourceName(kAppointmentPattern, {id}));
      appointment.set_state(v1::Appointment::STATE_BOOKED);
      VELKNEE_RETURN_IF_ERROR(check(db, appointment));
      *appointment.mutable_create_time() = ToTimestamp(now);
      StampRevision(appointment, now);
      WriteAppointment(db, id, appointment, /*insert=*/true);
      Audit(db, audit, appointment.name());
      return appointment;
    });
    return result.status();
  }));
  return result;
}

absl::StatusOr<v1::Appointment> SchedulingStore::GetAppointment(const std::string& id) {
  absl::StatusOr<v1::Appointment> result;
  VELKNEE_RETURN_IF_ERROR(db_->Read([&](SQLite::Database& db) {
    result = ReadAppointment(db, id);
    return result.status();
  }));
  return result;
}

absl::StatusOr<v1::Appointment> SchedulingStore::UpdateAppointment(
    const std::string& id, const std::string& etag,
    absl::FunctionRef<absl::Status(SQLite::Database&, v1::Appointment&)> change,
    const AuditEvent& audit) {
  v1::Appointment appointment;
  VELKNEE_RETURN_IF_ERROR(db_->Write([&](SQLite::Database& db) -> absl::Status {
    VELKNEE_ASSIGN_OR_RETURN(appointment, ReadAppointment(db, id));
    VELKNEE_RETURN_IF_ERROR(CheckEtag(etag, appointment.etag(), appointment.name()));
    VELKNEE_RETURN_IF_ERROR(change(db, appointment));
    StampRevision(appointment, absl::Now());
    WriteAppointment(db, id, appointment, /*insert=*/false);
    Audit(db, audit, appointment.name());
    return absl::OkStatus();
  }));
  return appointment;
}

absl::StatusOr<ResourcePage<v1::Appointment>> SchedulingStore::ListAppointments(
    const AppointmentQuery& query, int page_size, const std::string& after_id) {
  absl::StatusOr<ResourcePage<v1::Appointment>> page;
  VELKNEE_RETURN_IF_ERROR(db_->Read([&](SQLite::Database& db) -> absl::Status {
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
    page = ReadResourcePage<v1::Appointment>(statement, page_size);
    return page.status();
  }));
  return page;
}

}  // namespace velknee::scheduling

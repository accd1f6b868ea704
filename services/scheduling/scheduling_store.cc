#include "services/scheduling/scheduling_store.h"

#include <limits>
#include <set>

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

// therapist_listings holds (technique, show_inactive, therapist) for every ListTherapists
// request that lists the therapist (technique 0: any), so each list is one range scan whatever
// it matches; it replaces the techniques bit mask and the active flag, which could only be
// filtered row by row. A list of appointments by client and therapist gets its own index.
const Migration kSchedulingListsMigration = {
    "therapist listings, appointments by client and "
    "therapist",
    R"sql(
      CREATE TABLE therapist_listings (
        technique INTEGER NOT NULL,
        show_inactive INTEGER NOT NULL CHECK (show_inactive IN (0, 1)),
        therapist_id TEXT NOT NULL REFERENCES therapists (id),
        PRIMARY KEY (technique, show_inactive, therapist_id)
      ) WITHOUT ROWID;
      WITH RECURSIVE listed (technique) AS (
          SELECT 0 UNION ALL SELECT technique + 1 FROM listed WHERE technique < 62),
        shown (show_inactive) AS (VALUES (0), (1))
      INSERT INTO therapist_listings (technique, show_inactive, therapist_id)
        SELECT technique, show_inactive, id FROM therapists, listed, shown
        WHERE (technique = 0 OR (techniques & (1 << technique)) != 0)
          AND (show_inactive = 1 OR active = 1);
      ALTER TABLE therapists DROP COLUMN techniques;
      ALTER TABLE therapists DROP COLUMN active;
      CREATE INDEX appointments_by_client_therapist
        ON appointments (client_id, therapist_id, start_unix, id);
    )sql"};

namespace {

// The rows of therapist_listings standing for `therapist`.
std::vector<IndexRow> TherapistListings(const v1::Therapist& therapist) {
  std::set<int64_t> techniques = {0};
  for (int technique : therapist.techniques()) techniques.insert(technique);
  std::vector<int64_t> shown_when = {1};
  if (therapist.active()) shown_when.push_back(0);
  std::vector<IndexRow> rows;
  for (const int64_t show_inactive : shown_when) {
    for (const int64_t technique : techniques) {
      rows.push_back({{"technique", technique},
                      {"show_inactive", show_inactive},
                      {"therapist_id", IdOf(therapist.name())}});
    }
  }
  return rows;
}

// Seconds since the epoch; the infinite past and future as the extreme integers.
int64_t UnixSecondsOrLimit(absl::Time time) {
  if (time == absl::InfinitePast()) return std::numeric_limits<int64_t>::min();
  if (time == absl::InfiniteFuture()) return std::numeric_limits<int64_t>::max();
  return absl::ToUnixSeconds(time);
}

absl::Time StartOf(const v1::Appointment& appointment) {
  return absl::FromUnixSeconds(appointment.start_time().seconds());
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
      therapists_(db, "therapists", std::string(kTherapistPattern), nullptr,
                  {"therapist_listings", TherapistListings}),
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
                            "SELECT t.id, t.resource FROM therapist_listings l "
                            "JOIN therapists t ON t.id = l.therapist_id "
                            "WHERE l.technique = ? AND l.show_inactive = ? AND l.therapist_id > ? "
                            "ORDER BY l.therapist_id LIMIT ?");
    BindValues(query, 1,
               {{"technique", int64_t{technique}},
                {"show_inactive", int64_t{show_inactive ? 1 : 0}},
                {"therapist_id", after_id},
                {"limit", int64_t{page_size} + 1}});
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
  // Every page is one scan from a (start_unix, id) bound, (from, "") on the first page as every
  // id sorts after "": given a second lower bound on start_unix, SQLite would seek to one of the
  // two and filter on the other.
  std::string sql =
      "SELECT id, resource FROM appointments WHERE (start_unix, id) > (?, ?) AND start_unix < ?";
  std::vector<ColumnAndValue> filters;
  if (!query.therapist_id.empty()) {
    sql += " AND therapist_id = ?";
    filters.push_back({"therapist_id", query.therapist_id});
  }
  if (!query.client_id.empty()) {
    sql += " AND client_id = ?";
    filters.push_back({"client_id", query.client_id});
  }
  sql += " ORDER BY start_unix, id LIMIT ?";
  const int64_t from = UnixSecondsOrLimit(query.from);
  return db_->Read([&](SQLite::Database& db) -> absl::StatusOr<ResourcePage<v1::Appointment>> {
    IndexRow start = {{"start_unix", from}, {"id", ""}};
    if (!after_id.empty()) {
      VELKNEE_ASSIGN_OR_RETURN(IndexRow after,
                               appointments_.SortKeyAfter(db, {after_id}, {"start_unix", "id"}));
      // An appointment moved to before the range since the last page must not pull the range's
      // start back with it.
      if (std::get<int64_t>(after[0].value) >= from) start = std::move(after);
    }
    SQLite::Statement statement(db, sql);
    int next = BindValues(statement, 1, start);
    statement.bind(next++, UnixSecondsOrLimit(query.to));
    next = BindValues(statement, next, filters);
    statement.bind(next, page_size + 1);
    return ReadResourcePage<v1::Appointment>(statement, page_size);
  });
}

}  // namespace velknee::scheduling

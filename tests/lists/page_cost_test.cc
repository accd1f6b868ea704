// What one page of every List* method costs, counted as the work SQLite does for it (virtual-
// machine steps, full-scan steps, sorts), with a table of some size and again with four times
// as many rows: for every kind of query (none, one matching everything, one matching nothing,
// each filter) the first and the second page must cost what they cost before, scan no table
// in full and sort nothing. Counts, not timings, so the result is the same on every machine.
//
// The stores are driven directly, on their own databases, so that the counts hold only the
// list's own statements.

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "common/api/resource_name.h"
#include "common/api/timestamps.h"
#include "common/storage/database.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/intake/assessment_store.h"
#include "services/intake/client_store.h"
#include "services/intake/intake_service.h"
#include "services/notes/note_service.h"
#include "services/notes/note_store.h"
#include "services/plans/plan_service.h"
#include "services/plans/plan_store.h"
#include "services/scheduling/scheduling_service.h"
#include "services/scheduling/scheduling_store.h"
#include "tests/support/sqlite_work.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace velknee {
namespace {

using test::SqliteWork;
using test::TakeSqliteWork;

constexpr int kPageSize = 10;
const AuditActor kActor = {"page-cost-test", "admin", "/velknee.test/Seed"};

// A page as the test sees it: how many items, and where the next page starts.
struct Page {
  int items = 0;
  std::string next_after_id;
};

template <typename Resource>
absl::StatusOr<Page> Summary(absl::StatusOr<ResourcePage<Resource>> page) {
  if (!page.ok()) return page.status();
  return Page{static_cast<int>(page->items.size()), page->next_after_id};
}

// One kind of query of one list: `list` returns the page after the item with the given id.
struct ListQuery {
  std::string name;
  std::function<absl::StatusOr<Page>(const std::string& after_id)> list;
  // Whether the query matches more than two pages of rows (else it matches none).
  bool matches = true;
};

struct PageWork {
  SqliteWork first;
  SqliteWork second;
};

// The work of the first page and of the page after it.
PageWork Measure(const ListQuery& query) {
  PageWork work;
  TakeSqliteWork();
  const absl::StatusOr<Page> first = query.list("");
  work.first = TakeSqliteWork();
  EXPECT_THAT(first, test::IsOk()) << query.name;
  if (!first.ok()) return work;
  EXPECT_EQ(first->items, query.matches ? kPageSize : 0) << query.name;
  EXPECT_EQ(first->next_after_id.empty(), !query.matches) << query.name;
  if (first->next_after_id.empty()) return work;
  const absl::StatusOr<Page> second = query.list(first->next_after_id);
  work.second = TakeSqliteWork();
  EXPECT_THAT(second, test::IsOk()) << query.name;
  if (second.ok()) {
    EXPECT_EQ(second->items, kPageSize) << query.name;
  }
  return work;
}

// `large` was counted with four times the rows `small` was. A full scan may start a list that
// has no bounds (from the first entry of an index), but must stop with the page.
void ExpectSameWork(const std::string& what, const SqliteWork& small, const SqliteWork& large) {
  SCOPED_TRACE(what);
  EXPECT_EQ(large.vm_steps, small.vm_steps)
      << "with 4x the rows: " << large << "; before: " << small;
  EXPECT_EQ(large.fullscan_steps, small.fullscan_steps);
  EXPECT_LE(large.fullscan_steps, kPageSize + 1) << large;
  EXPECT_EQ(large.sorts, 0) << large;
}

// Measures every query, lets `grow` quadruple the tables, and measures again.
void ExpectCostIndependentOfTableSize(const std::vector<ListQuery>& queries,
                                      const std::function<void()>& grow) {
  std::vector<PageWork> before;
  for (const ListQuery& query : queries) before.push_back(Measure(query));
  grow();
  for (size_t i = 0; i < queries.size(); ++i) {
    const PageWork after = Measure(queries[i]);
    ExpectSameWork(absl::StrCat(queries[i].name, ", first page"), before[i].first, after.first);
    ExpectSameWork(absl::StrCat(queries[i].name, ", second page"), before[i].second, after.second);
  }
}

// "aaa", "aab", ...: distinct suffixes that keep names made of letters.
std::string Letters(int i) {
  std::string letters(3, 'a');
  for (int position = 2; position >= 0; --position, i /= 26) letters[position] += i % 26;
  return letters;
}

class PageCostTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { test::CountSqliteWorkOnNewConnections(); }

  // The database `file` with `migrations`, for the test's life; null (and a failure) when it
  // cannot be opened.
  Database* Open(const std::string& file, std::span<const Migration> migrations) {
    DatabaseOptions options;
    options.path = dir_.File(file);
    options.synchronous_full = false;  // Seeding speed; the counts do not depend on it.
    absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(options, migrations);
    EXPECT_THAT(db, test::IsOk());
    if (!db.ok()) return nullptr;
    databases_.push_back(*std::move(db));
    return databases_.back().get();
  }

  test::TempDir dir_;
  std::vector<std::unique_ptr<Database>> databases_;
};

TEST_F(PageCostTest, ListClients) {
  Database* db = Open("intake.db", intake::IntakeMigrations());
  ASSERT_NE(db, nullptr);
  intake::ClientStore clients(db);
  int seeded = 0;
  // Active clients "Abe… Abe…z": a search for "ab" matches both their keys, next to each other,
  // so every page skips as many second matches as it lists clients. Their phones hold "496"
  // twice, with the same effect. Archived clients "Cal… Aardvark…", on 020 7946 …, sort before
  // them by family name.
  const auto grow_to = [&](int per_kind) {
    for (; seeded < per_kind; ++seeded) {
      intake::v1::Client active;
      active.set_given_name(absl::StrCat("Abe", Letters(seeded)));
      active.set_family_name(absl::StrCat("Abe", Letters(seeded), "z"));
      active.set_phone(absl::StrFormat("496%04d496%04d", seeded, seeded));
      ASSERT_THAT(clients.Create({}, active, {}, kActor), test::IsOk());
      intake::v1::Client archived;
      archived.set_given_name(absl::StrCat("Cal", Letters(seeded)));
      archived.set_family_name(absl::StrCat("Aardvark", Letters(seeded)));
      archived.set_phone(absl::StrFormat("0207946%04d", seeded));
      absl::StatusOr<intake::v1::Client> created = clients.Create({}, archived, {}, kActor);
      ASSERT_THAT(created, test::IsOk());
      ASSERT_THAT(clients.Update(
                      {IdOf(created->name())}, "",
                      [](intake::v1::Client& client, SQLite::Database&) {
                        client.set_state(intake::v1::Client::STATE_ARCHIVED);
                        return absl::OkStatus();
                      },
                      kActor),
                  test::IsOk());
    }
  };
  grow_to(50);
  const auto query = [&](std::string name, std::string text, bool show_archived, bool matches) {
    return ListQuery{std::move(name),
                     [&clients, text, show_archived](const std::string& after_id) {
                       return Summary(clients.List({text, show_archived}, kPageSize, after_id));
                     },
                     matches};
  };
  ExpectCostIndependentOfTableSize(
      {
          query("no query", "", false, true),
          query("no query, archived too", "", true, true),
          query("name prefix matching every active client twice", "ab", false, true),
          query("the same, archived too", "ab", true, true),
          query("one letter matching every client", "a", true, true),
          query("name prefix matching only archived clients", "aa", false, false),
          query("the same, archived too", "aa", true, true),
          query("name prefix matching nobody", "zz", true, false),
          query("phone digits twice in every active number", "496", false, true),
          query("phone digits matching only archived clients", "7946", false, false),
          query("the same, archived too", "7946", true, true),
          query("phone digits matching nobody", "555", true, false),
      },
      [&] { grow_to(200); });
}

TEST_F(PageCostTest, ListAssessments) {
  Database* db = Open("intake.db", intake::IntakeMigrations());
  ASSERT_NE(db, nullptr);
  intake::ClientStore clients(db);
  intake::AssessmentStore assessments(db);
  std::vector<std::string> client_ids;
  for (int i = 0; i < 3; ++i) {
    intake::v1::Client client;
    client.set_given_name("Ida");
    client.set_family_name(absl::StrCat("Intake", Letters(i)));
    client.set_phone("01614960000");
    absl::StatusOr<intake::v1::Client> created = clients.Create({}, client, {}, kActor);
    ASSERT_THAT(created, test::IsOk());
    client_ids.push_back(IdOf(created->name()));
  }
  // The first client's assessments, and three times as many of the second's.
  int seeded = 0;
  const auto grow_to = [&](int count) {
    for (; seeded < count; ++seeded) {
      for (int copy = 0; copy < 4; ++copy) {
        intake::v1::Assessment assessment;
        assessment.set_chief_complaint("knee pain");
        ASSERT_THAT(assessments.Create({client_ids[copy == 0 ? 0 : 1]}, assessment, {}, kActor),
                    test::IsOk());
      }
    }
  };
  grow_to(30);
  const auto query = [&](std::string name, const std::string& client_id, bool matches) {
    return ListQuery{std::move(name),
                     [&assessments, client_id](const std::string& after_id) {
                       return Summary(assessments.List(client_id, {}, kPageSize, after_id));
                     },
                     matches};
  };
  ExpectCostIndependentOfTableSize({query("a client's assessments", client_ids[0], true),
                                    query("a client with none", client_ids[2], false)},
                                   [&] { grow_to(120); });
}

TEST_F(PageCostTest, ListPlans) {
  Database* db = Open("plans.db", plans::PlanMigrations());
  ASSERT_NE(db, nullptr);
  plans::PlanStore store(db);
  using plans::v1::TreatmentPlan;
  // The client's drafts and discontinued plans, and another client's drafts.
  int seeded = 0;
  const auto grow_to = [&](int count) {
    for (; seeded < count; ++seeded) {
      for (const auto& [client, state] : std::vector<std::pair<std::string, TreatmentPlan::State>>{
               {"pat", TreatmentPlan::STATE_DRAFT},
               {"pat", TreatmentPlan::STATE_DISCONTINUED},
               {"other", TreatmentPlan::STATE_DRAFT},
               {"other", TreatmentPlan::STATE_DRAFT}}) {
        TreatmentPlan plan;
        plan.set_state(state);
        ASSERT_THAT(store.Create({client}, plan, {}, kActor), test::IsOk());
      }
    }
  };
  grow_to(30);
  const auto query = [&](std::string name, TreatmentPlan::State state, bool matches) {
    std::vector<ColumnAndValue> filters;
    if (state != TreatmentPlan::STATE_UNSPECIFIED) {
      filters.push_back({"state", static_cast<int64_t>(state)});
    }
    return ListQuery{std::move(name),
                     [&store, filters](const std::string& after_id) {
                       return Summary(store.List("pat", filters, kPageSize, after_id));
                     },
                     matches};
  };
  ExpectCostIndependentOfTableSize(
      {query("every plan", TreatmentPlan::STATE_UNSPECIFIED, true),
       query("drafts", TreatmentPlan::STATE_DRAFT, true),
       query("discontinued", TreatmentPlan::STATE_DISCONTINUED, true),
       query("completed, of which there are none", TreatmentPlan::STATE_COMPLETED, false)},
      [&] { grow_to(120); });
}

TEST_F(PageCostTest, ListNotes) {
  Database* db = Open("notes.db", notes::NoteMigrations());
  ASSERT_NE(db, nullptr);
  notes::NoteStore store(db);
  // The client's notes under two plans, and another client's notes.
  int seeded = 0;
  const absl::Time first_session = absl::FromUnixSeconds(1'700'000'000);
  const auto grow_to = [&](int count) {
    for (; seeded < count; ++seeded) {
      for (const auto& [client, plan] : std::vector<std::pair<std::string, std::string>>{
               {"pat", "clients/pat/plans/knee"},
               {"pat", "clients/pat/plans/hip"},
               {"other", "clients/other/plans/back"},
               {"other", "clients/other/plans/back"}}) {
        notes::v1::SessionNote note;
        note.set_plan(plan);
        *note.mutable_session_time() = ToTimestamp(first_session + absl::Hours(seeded));
        ASSERT_THAT(store.Create({client}, note, {}, kActor), test::IsOk());
      }
    }
  };
  grow_to(30);
  const auto query = [&](std::string name, const std::string& plan_id, bool matches) {
    std::vector<ColumnAndValue> filters;
    if (!plan_id.empty()) filters.push_back({"plan_id", plan_id});
    return ListQuery{std::move(name),
                     [&store, filters](const std::string& after_id) {
                       return Summary(store.List("pat", filters, kPageSize, after_id));
                     },
                     matches};
  };
  ExpectCostIndependentOfTableSize(
      {query("every note of the client", "", true), query("the notes of one plan", "knee", true),
       query("a plan without notes", "ankle", false)},
      [&] { grow_to(120); });
}

TEST_F(PageCostTest, ListTherapists) {
  Database* db = Open("scheduling.db", scheduling::SchedulingMigrations());
  ASSERT_NE(db, nullptr);
  scheduling::SchedulingStore store(db);
  using common::v1::Technique;
  // Active deep-tissue therapists and inactive trigger-point ones; nobody offers myofascial
  // release.
  int seeded = 0;
  const auto grow_to = [&](int count) {
    for (; seeded < count; ++seeded) {
      scheduling::v1::Therapist active;
      active.add_techniques(Technique::TECHNIQUE_DEEP_TISSUE);
      active.set_active(true);
      ASSERT_THAT(store.CreateTherapist(absl::StrCat("on", Letters(seeded)), active, {}, kActor),
                  test::IsOk());
      scheduling::v1::Therapist inactive;
      inactive.add_techniques(Technique::TECHNIQUE_TRIGGER_POINT);
      ASSERT_THAT(store.CreateTherapist(absl::StrCat("off", Letters(seeded)), inactive, {}, kActor),
                  test::IsOk());
    }
  };
  grow_to(30);
  const auto query = [&](std::string name, Technique technique, bool show_inactive, bool matches) {
    return ListQuery{
        std::move(name),
        [&store, technique, show_inactive](const std::string& after_id) {
          return Summary(store.ListTherapists(technique, show_inactive, kPageSize, after_id));
        },
        matches};
  };
  ExpectCostIndependentOfTableSize(
      {query("active therapists", Technique::TECHNIQUE_UNSPECIFIED, false, true),
       query("every therapist", Technique::TECHNIQUE_UNSPECIFIED, true, true),
       query("a technique only inactive therapists offer", Technique::TECHNIQUE_TRIGGER_POINT,
             false, false),
       query("the same, inactive too", Technique::TECHNIQUE_TRIGGER_POINT, true, true),
       query("a technique nobody offers", Technique::TECHNIQUE_MYOFASCIAL_RELEASE, true, false)},
      [&] { grow_to(120); });
}

TEST_F(PageCostTest, ListAppointments) {
  Database* db = Open("scheduling.db", scheduling::SchedulingMigrations());
  ASSERT_NE(db, nullptr);
  scheduling::SchedulingStore store(db);
  for (const char* id : {"ana", "bo"}) {
    ASSERT_THAT(store.CreateTherapist(id, scheduling::v1::Therapist(), {}, kActor), test::IsOk());
  }
  // The client's appointments with ana, and other clients' with bo, one an hour.
  const absl::Time first_start = absl::FromUnixSeconds(1'900'000'000);
  int seeded = 0;
  const auto grow_to = [&](int count) {
    for (; seeded < count; ++seeded) {
      for (int copy = 0; copy < 4; ++copy) {
        scheduling::v1::Appointment appointment;
        appointment.set_client(copy == 0 ? "clients/pat" : absl::StrCat("clients/c", copy));
        appointment.set_therapist(copy == 0 ? "therapists/ana" : "therapists/bo");
        *appointment.mutable_start_time() =
            ToTimestamp(first_start + absl::Hours(4 * seeded + copy));
        appointment.set_duration_minutes(60);
        ASSERT_THAT(store.Book(appointment, {}, kActor,
                               [](SQLite::Database&, const scheduling::v1::Appointment&) {
                                 return absl::OkStatus();
                               }),
                    test::IsOk());
      }
    }
  };
  grow_to(30);
  const auto query = [&](std::string name, scheduling::AppointmentQuery filters, bool matches) {
    return ListQuery{std::move(name),
                     [&store, filters](const std::string& after_id) {
                       return Summary(store.ListAppointments(filters, kPageSize, after_id));
                     },
                     matches};
  };
  const auto filters = [](std::string therapist_id, std::string client_id,
                          absl::Time from = absl::InfinitePast(),
                          absl::Time to = absl::InfiniteFuture()) {
    return scheduling::AppointmentQuery{std::move(therapist_id), std::move(client_id), from, to};
  };
  const absl::Time later = first_start + absl::Hours(24 * 365);
  ExpectCostIndependentOfTableSize(
      {query("every appointment", filters("", ""), true),
       query("from a time on", filters("", "", first_start + absl::Hours(2)), true),
       query("a range after every appointment", filters("", "", later, later + absl::Hours(1)),
             false),
       query("a therapist's", filters("ana", ""), true),
       query("a client's", filters("", "pat"), true),
       query("a client's with their therapist", filters("ana", "pat"), true),
       query("a client's with another therapist", filters("bo", "pat"), false)},
      [&] { grow_to(120); });
}

}  // namespace
}  // namespace velknee

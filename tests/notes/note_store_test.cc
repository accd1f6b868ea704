#include "services/notes/note_store.h"

#include <memory>
#include <string>
#include <vector>

#include "SQLiteCpp/Statement.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/api/resource_name.h"
#include "common/api/timestamps.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/notes/names.h"
#include "services/notes/note_service.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace velknee::notes {
namespace {

using ::testing::HasSubstr;
using ::velknee::test::IsOk;
using ::velknee::test::IsOkAndHolds;
using ::velknee::test::StatusIs;
using ::velknee::test::TempDir;

const AuditActor kAna = {"tablet-ana", "therapist",
                         "/velknee.notes.v1.SessionNoteService/CreateNote"};

class NoteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    DatabaseOptions options;
    options.path = dir_.File("notes.db");
    ASSERT_OK_AND_ASSIGN(db_, Database::Open(options, NoteMigrations()));
    store_ = std::make_unique<NoteStore>(db_.get());
  }

  v1::SessionNote Note(const std::string& plan) {
    v1::SessionNote note;
    note.set_plan(plan);
    note.set_state(v1::SessionNote::STATE_DRAFT);
    *note.mutable_session_time() = ToTimestamp(absl::Now() - absl::Hours(1));
    note.mutable_subjective()->set_pain_before(6);
    return note;
  }

  // "table rows" of the notes and audit tables.
  absl::StatusOr<std::string> Counts() {
    return db_->Read([](SQLite::Database& db) -> absl::StatusOr<std::string> {
      return absl::StrCat(db.execAndGet("SELECT COUNT(*) FROM notes").getInt(), " notes, ",
                          db.execAndGet("SELECT COUNT(*) FROM audit_log").getInt(), " audit");
    });
  }

  TempDir dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<NoteStore> store_;
};

// A note's plan id is the column progress is computed from: a plan that does not parse used to
// be stored as an empty plan id, and the session silently left its plan's progress.
TEST_F(NoteStoreTest, NoteWithAnUnreadablePlanIsRefusedNotStoredWithoutOne) {
  EXPECT_THAT(store_->Create({"c1"}, Note("plans/p1"), {}, kAna),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("note.plan")));
  EXPECT_THAT(Counts(), IsOkAndHolds("0 notes, 0 audit"));
}

TEST_F(NoteStoreTest, SignedNoteCountsTowardsItsPlan) {
  ASSERT_OK_AND_ASSIGN(const v1::SessionNote created,
                       store_->Create({"c1"}, Note("clients/c1/plans/p1"), {}, kAna));
  ASSERT_OK_AND_ASSIGN(const std::vector<std::string> ids,
                       ParseResourceName(created.name(), kNotePattern, "name"));
  ASSERT_THAT(store_->Update(
                  ids, created.etag(),
                  [](v1::SessionNote& note, SQLite::Database&) {
                    note.set_state(v1::SessionNote::STATE_SIGNED);
                    return absl::OkStatus();
                  },
                  kAna),
              IsOk());
  ASSERT_OK_AND_ASSIGN(const std::vector<SignedSession> sessions, store_->SignedSessions("p1"));
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_EQ(sessions[0].note, created.name());
  EXPECT_EQ(sessions[0].pain_before, 6);
  EXPECT_THAT(Counts(), IsOkAndHolds("1 notes, 2 audit"));
}

}  // namespace
}  // namespace velknee::notes

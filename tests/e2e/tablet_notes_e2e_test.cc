// The therapist's session notes and a plan's progress, end to end: a real velknee-server process
// on a loopback port, driven only through velknee-tablet command lines. The named case is the
// gardener's course of six weekly sessions from issue 5; the people are invented.

#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/clinic_people.h"
#include "tests/e2e/clinic_process.h"
#include "velknee/intake/v1/client.pb.h"
#include "velknee/notes/v1/plan_progress.pb.h"
#include "velknee/notes/v1/session_note.pb.h"

namespace velknee {
namespace {

using notes::v1::PlanProgress;
using notes::v1::SessionNote;
using test::ActivePlanFromFile;
using test::ClinicProcess;
using test::CommandResult;
using test::LineCount;
using test::LineWith;
using test::ParseJson;
using test::SubmittedIntakeFromFile;
using test::WriteFile;
using ::testing::AllOf;
using ::testing::DoubleNear;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::StartsWith;

// The six sessions, each at 10:00 UTC (the server's clinic zone): days before today, and pain
// before → after. The fifth came 10 days after the fourth.
struct Session {
  int days_ago;
  int before;
  int after;
};
constexpr Session kSessions[] = {{45, 6, 4}, {38, 5, 3}, {31, 5, 3},
                                 {24, 4, 2}, {14, 3, 2}, {7, 2, 1}};

class TabletNotesE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::unsetenv("VELKNEE_TOKEN");
    ana_token_file_ = clinic_.AddToken("therapist", "ana", "therapists/ana");
    ben_token_file_ = clinic_.AddToken("therapist", "ben", "therapists/ben");
    desk_token_file_ = clinic_.AddToken("front_desk", "desk-e2e");
    port_ = clinic_.Start();
    ASSERT_NE(port_, 0) << clinic_.ServerLog();
  }

  // `velknee-tablet args...` as ana (or the holder of `token_file`).
  CommandResult Tablet(std::vector<std::string> args, const std::string& token_file = "") const {
    args.push_back(absl::StrCat("--target=127.0.0.1:", port_));
    args.push_back("--token_file=" + (token_file.empty() ? ana_token_file_ : token_file));
    return clinic_.Tablet(args);
  }

  // The gardener registered, assessed, and her plan written and activated, all through the
  // tablet; returns the plan's name.
  std::string GardenersActivePlan() {
    const CommandResult added = Tablet({"clients", "add", "--json", "--given_name=Hazel",
                                        "--family_name=Thornbury", "--phone=+44 7700 900123"});
    EXPECT_EQ(added.exit_code, 0) << added.err;
    const std::string client = ParseJson<intake::v1::Client>(added.out).name();
    const auto tablet = [this](std::vector<std::string> args) { return Tablet(std::move(args)); };
    const std::string assessment = SubmittedIntakeFromFile(tablet, clinic_.dir(), client,
                                                           "gardener", test::kGardenerIntakeJson)
                                       .name();
    return ActivePlanFromFile(tablet, clinic_.dir(), assessment, "gardener",
                              test::kGardenerPlanJson);
  }

  // Creates one session's note under `plan` from a file; returns it.
  SessionNote NewNote(const std::string& plan, const Session& session) {
    const std::string json = test::GardenerSessionJson(test::TenUtcDaysAgo(session.days_ago),
                                                       session.before, session.after);
    const CommandResult created =
        Tablet({"note", "new", "--plan=" + plan, "--json",
                "--from_file=" + WriteFile(clinic_.dir(), "session.json", json)});
    EXPECT_EQ(created.exit_code, 0) << created.err;
    return ParseJson<SessionNote>(created.out);
  }

  ClinicProcess clinic_;
  std::string ana_token_file_;
  std::string ben_token_file_;
  std::string desk_token_file_;
  int port_ = 0;
};

// Issue 5: six weekly sessions with pain before/after 6→4, 5→3, 5→3, 4→2, 3→2, 2→1, one of them
// 10 days after the previous, each signed: 6 of 6 sessions (the plan's weekly × 6), change −4,
// mean relief 1.67, one late session, the plan's goal "Kneel in the garden for an hour" at
// pain ≤ 2 met.
TEST_F(TabletNotesE2eTest, GardenersSixSignedSessionsShowHerProgress) {
  const std::string plan = GardenersActivePlan();
  const std::string client = plan.substr(0, plan.find("/plans/"));

  std::vector<std::string> names;
  for (const Session& session : kSessions) {
    const SessionNote draft = NewNote(plan, session);
    ASSERT_EQ(draft.state(), SessionNote::STATE_DRAFT);
    EXPECT_EQ(draft.therapist(), "therapists/ana");
    const CommandResult signed_note =
        Tablet({"note", "sign", draft.name(), "--etag=" + draft.etag()});
    ASSERT_EQ(signed_note.exit_code, 0) << signed_note.err;
    EXPECT_THAT(LineWith(signed_note.out, "Signed by:"), HasSubstr("therapists/ana"));
    EXPECT_THAT(LineWith(signed_note.out, "Content SHA-256:"),
                MatchesRegex("Content SHA-256: +[0-9a-f]{64}"));
    names.push_back(draft.name());
  }

  // An addendum on the fourth note leaves its signature and hash as they were.
  const CommandResult before_addendum = Tablet({"note", "show", names[3], "--json"});
  ASSERT_EQ(before_addendum.exit_code, 0) << before_addendum.err;
  const SessionNote signed_fourth = ParseJson<SessionNote>(before_addendum.out);
  const CommandResult amended =
      Tablet({"note", "addendum", names[3], "--text=Client called: soreness gone next day"});
  ASSERT_EQ(amended.exit_code, 0) << amended.err;
  EXPECT_THAT(LineWith(amended.out, "Addendum 1:"),
              AllOf(HasSubstr("therapists/ana"), HasSubstr("soreness gone next day")));
  const SessionNote fourth =
      ParseJson<SessionNote>(Tablet({"note", "show", names[3], "--json"}).out);
  ASSERT_THAT(fourth.addenda(), SizeIs(1));
  EXPECT_EQ(fourth.content_sha256(), signed_fourth.content_sha256());
  EXPECT_EQ(fourth.state(), SessionNote::STATE_SIGNED);

  const CommandResult listed = Tablet({"note", "list", "--client=" + client, "--plan=" + plan});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_THAT(LineWith(listed.out, names[5]), AllOf(HasSubstr("signed"), HasSubstr("2 -> 1")));
  EXPECT_THAT(LineWith(listed.out, names[3]), HasSubstr("4 -> 2"));

  const CommandResult progress = Tablet({"progress", "--plan=" + plan, "--time_zone=UTC"});
  ASSERT_EQ(progress.exit_code, 0) << progress.err;
  EXPECT_THAT(progress.err, IsEmpty());
  EXPECT_THAT(progress.out,
              AllOf(HasSubstr("6 of 6 signed"), HasSubstr("change -4"),
                    HasSubstr("Mean relief:     1.67"), HasSubstr("Late sessions:   1 ")));
  EXPECT_THAT(LineWith(progress.out, "10 d"), HasSubstr("late"));
  EXPECT_EQ(LineWith(progress.out, "  late"), LineWith(progress.out, "10 d"));
  EXPECT_THAT(LineWith(progress.out, "Kneel in the garden"), HasSubstr("[met]"));
  // The chart: the first session's pain before (6) in the first column, the last one's after (1)
  // in the sixth.
  EXPECT_EQ(LineWith(progress.out, " 6 |"), " 6 |  #");
  EXPECT_EQ(LineWith(progress.out, " 1 |"), " 1 |                 o");
  EXPECT_THAT(progress.out, HasSubstr("  1  2  3  4  5  6  session"));

  const CommandResult as_json = Tablet({"progress", "--plan=" + plan, "--json"});
  ASSERT_EQ(as_json.exit_code, 0) << as_json.err;
  const PlanProgress parsed = ParseJson<PlanProgress>(as_json.out);
  EXPECT_EQ(parsed.plan(), plan);
  EXPECT_EQ(parsed.signed_sessions(), 6);
  EXPECT_EQ(parsed.planned_sessions(), 6);
  EXPECT_EQ(parsed.pain_change(), -4);
  EXPECT_THAT(parsed.mean_relief(), DoubleNear(1.67, 0.005));
  EXPECT_EQ(parsed.late_sessions(), 1);
  ASSERT_THAT(parsed.sessions(), SizeIs(6));
  EXPECT_EQ(parsed.sessions(0).note(), names[0]);
  ASSERT_THAT(parsed.gaps(), SizeIs(5));
  EXPECT_EQ(parsed.gaps(3).days(), 10);
  EXPECT_TRUE(parsed.gaps(3).late());
  ASSERT_THAT(parsed.goals(), SizeIs(1));
  EXPECT_TRUE(parsed.goals(0).met());
}

// One session answered in the guided form, as ana would after the session.
std::string GuidedSessionAnswers() {
  const std::vector<std::string> lines = {
      "",
      "00:00",
      "",  // today at midnight (UTC), the plan's 60 minutes
      "Knees easier",
      "4",
      "",  // report, pain before, since last session
      "n",
      "",  // no findings, no observations
      "2",
      "5",
      "both",
      "2",
      "20",
      "",  // trigger point, quadriceps, moderate, 20 min
      "2",
      "Quadriceps softer",
      "",
      "",  // pain after, response, no adverse effects
  };
  return absl::StrCat(absl::StrJoin(lines, "\n"), "\n");
}

TEST_F(TabletNotesE2eTest, OnlyTheNotesOwnTherapistSignsAndTheFrontDeskSeesNothing) {
  const std::string plan = GardenersActivePlan();
  // The guided form shows the plan's techniques and screening before the first question.
  const CommandResult taken = clinic_.Tablet(
      {"note", "new", "--plan=" + plan, "--time_zone=UTC",
       absl::StrCat("--target=127.0.0.1:", port_), "--token_file=" + ana_token_file_},
      GuidedSessionAnswers());
  ASSERT_EQ(taken.exit_code, 0) << taken.err << "\n" << taken.out;
  const size_t briefing = taken.out.find("Planned techniques:");
  ASSERT_NE(briefing, std::string::npos) << taken.out;
  EXPECT_LT(briefing, taken.out.find("Session date"));
  EXPECT_THAT(taken.out, HasSubstr("Screening: CLEAR"));
  const std::string hint = LineWith(taken.out, "note sign ");
  ASSERT_THAT(hint, Not(IsEmpty())) << taken.out;
  const std::string name(absl::StripAsciiWhitespace(hint.substr(hint.find("note sign ") + 10)));
  const CommandResult stored = Tablet({"note", "show", name, "--json"});
  ASSERT_EQ(stored.exit_code, 0) << stored.err;
  const SessionNote draft = ParseJson<SessionNote>(stored.out);
  EXPECT_EQ(draft.subjective().pain_before(), 4);
  EXPECT_EQ(draft.assessment().pain_after(), 2);
  EXPECT_EQ(draft.plan(), plan);

  const CommandResult by_ben = Tablet({"note", "sign", draft.name()}, ben_token_file_);
  EXPECT_EQ(by_ben.exit_code, 1);
  EXPECT_THAT(by_ben.err, StartsWith("error: PERMISSION_DENIED"));
  EXPECT_EQ(LineCount(by_ben.err), 1) << by_ben.err;
  EXPECT_THAT(by_ben.out, IsEmpty());

  const CommandResult by_desk = Tablet({"note", "show", draft.name()}, desk_token_file_);
  EXPECT_EQ(by_desk.exit_code, 1);
  EXPECT_THAT(by_desk.err, StartsWith("error: PERMISSION_DENIED"));
  EXPECT_THAT(by_desk.out + by_desk.err, Not(HasSubstr("Quadriceps softer")));

  // Still ana's draft to sign.
  const CommandResult shown = Tablet({"note", "show", draft.name(), "--json"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_EQ(ParseJson<SessionNote>(shown.out).state(), SessionNote::STATE_DRAFT);
}

}  // namespace
}  // namespace velknee

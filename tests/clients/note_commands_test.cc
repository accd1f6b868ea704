#include "clients/cli/note_commands.h"

#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "clients/cli/command.h"
#include "clients/cli/plan_commands.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/clients/command_line.h"

namespace velknee::cli {
namespace {

using notes::v1::AppliedTechnique;
using notes::v1::SessionNote;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

AppliedTechnique Applied(common::v1::Technique technique, common::v1::BodyRegion region,
                         common::v1::Pressure pressure) {
  AppliedTechnique applied;
  applied.set_technique(technique);
  common::v1::Region* where = applied.add_regions();
  where->set_region(region);
  where->set_side(common::v1::SIDE_BILATERAL);
  applied.set_pressure(pressure);
  applied.set_minutes(20);
  return applied;
}

SessionNote SignedNote() {
  SessionNote note;
  note.set_name("clients/hazel/notes/n4");
  note.set_plan("clients/hazel/plans/knees");
  note.set_therapist("therapists/ana");
  note.set_state(SessionNote::STATE_SIGNED);
  note.mutable_session_time()->set_seconds(absl::ToUnixSeconds(
      absl::FromCivil(absl::CivilMinute(2024, 6, 11, 9, 0), absl::UTCTimeZone())));
  note.set_duration_minutes(60);
  note.mutable_subjective()->set_pain_before(4);
  note.mutable_assessment()->set_pain_after(2);
  note.mutable_assessment()->add_adverse_effects(notes::v1::ADVERSE_EFFECT_SORENESS);
  *note.add_applied() = Applied(common::v1::TECHNIQUE_TRIGGER_POINT,
                                common::v1::BODY_REGION_QUADRICEPS, common::v1::PRESSURE_MODERATE);
  note.set_signed_by("therapists/ana");
  note.mutable_sign_time()->set_seconds(note.session_time().seconds() + 7200);
  note.set_content_sha256(std::string(64, 'a'));
  notes::v1::Addendum* addendum = note.add_addenda();
  addendum->set_author("therapists/ana");
  addendum->set_text("Client called: soreness gone the next day");
  addendum->mutable_create_time()->set_seconds(note.session_time().seconds() + 86400);
  return note;
}

// The first line of `text` that contains `needle`.
std::string LineWith(const std::string& text, const std::string& needle) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.find(needle) != std::string::npos) return line;
  }
  return "";
}

TEST(NoteBlockTest, ShowsTheSoapContentTheSignatureAndTheAddenda) {
  const std::string block = NoteBlock(SignedNote(), absl::UTCTimeZone());
  EXPECT_THAT(LineWith(block, "Session:"), HasSubstr("2024-06-11 09:00 UTC, 60 min"));
  EXPECT_THAT(LineWith(block, "S: pain before:"), HasSubstr("4"));
  EXPECT_THAT(LineWith(block, "Applied 1:"),
              HasSubstr("trigger point therapy on quadriceps (front of the thigh), both sides, "
                        "moderate pressure, "
                        "20 min"));
  EXPECT_THAT(LineWith(block, "A: pain after:"), HasSubstr("2"));
  EXPECT_THAT(LineWith(block, "A: adverse effects:"), HasSubstr("soreness"));
  EXPECT_THAT(LineWith(block, "State:"), HasSubstr("signed"));
  EXPECT_THAT(LineWith(block, "Content SHA-256:"), HasSubstr(std::string(64, 'a')));
  EXPECT_THAT(LineWith(block, "Addendum 1:"),
              AllOf(HasSubstr("2024-06-12 09:00 UTC therapists/ana"),
                    HasSubstr("soreness gone the next day")));
  EXPECT_THAT(block, Not(HasSubstr("ADVERSE_EFFECT_")));
}

TEST(NoteBlockTest, DraftHasNoSignatureRows) {
  SessionNote draft = SignedNote();
  draft.set_state(SessionNote::STATE_DRAFT);
  const std::string block = NoteBlock(draft, absl::UTCTimeZone());
  EXPECT_THAT(block, Not(HasSubstr("Signed by")));
  EXPECT_THAT(block, Not(HasSubstr("SHA-256")));
}

TEST(SignatureBlockTest, NamesSignerTimeAndHash) {
  const std::string block = SignatureBlock(SignedNote(), absl::UTCTimeZone());
  EXPECT_THAT(LineWith(block, "Signed:"), HasSubstr("clients/hazel/notes/n4"));
  EXPECT_THAT(LineWith(block, "Signed by:"), HasSubstr("therapists/ana"));
  EXPECT_THAT(LineWith(block, "Signed at:"), HasSubstr("2024-06-11 11:00 UTC"));
  EXPECT_THAT(LineWith(block, "Content SHA-256:"), HasSubstr(std::string(64, 'a')));
}

TEST(NoteTableTest, ListsPainBeforeAndAfterAndHintsTheNextPage) {
  notes::v1::ListNotesResponse page;
  *page.add_notes() = SignedNote();
  page.set_next_page_token("tok");
  notes::v1::ListNotesRequest request;
  request.set_parent("clients/hazel");
  request.set_plan("clients/hazel/plans/knees");
  const std::string table = NoteTable(page, "velknee-tablet", request, absl::UTCTimeZone());
  EXPECT_THAT(LineWith(table, "clients/hazel/notes/n4"),
              AllOf(HasSubstr("2024-06-11 09:00 UTC"), HasSubstr("signed"), HasSubstr("4 -> 2")));
  EXPECT_THAT(table, HasSubstr("More notes: velknee-tablet note list --client=clients/hazel "
                               "--plan=clients/hazel/plans/knees --page_token=tok"));
}

TEST(ClientOfPlanTest, TakesTheClientFromThePlanName) {
  EXPECT_EQ(ClientOfPlan("clients/c1/plans/p1"), "clients/c1");
  EXPECT_EQ(ClientOfPlan("clients/c1"), "");
  EXPECT_EQ(ClientOfPlan("clients/c1/notes/n1"), "");
}

// Usage errors stop before any connection is made (no token is set up here).
class NoteUsageTest : public ::testing::Test {
 protected:
  int Run(std::vector<std::string> args) {
    args.insert(args.begin(), "note");
    return RunProgress(std::move(args));
  }

  // `args` after the program's name: `progress` is a command of its own.
  int RunProgress(std::vector<std::string> args) {
    out_.str("");
    err_.str("");
    std::istringstream in;
    return RunTabletLine(args, out_, err_, in);
  }

  absl::FlagSaver flag_saver_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(NoteUsageTest, NewNeedsAPlan) {
  EXPECT_EQ(Run({"new"}), kExitUsage);
  EXPECT_THAT(err_.str(), StartsWith("error: note new needs --plan=clients/ID/plans/ID"));
  EXPECT_EQ(Run({"new", "--plan=clients/c1"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("--plan: \"clients/c1\" is not clients/ID/plans/ID"));
  EXPECT_THAT(out_.str(), IsEmpty());
}

TEST_F(NoteUsageTest, AddendumNeedsText) {
  EXPECT_EQ(Run({"addendum", "clients/c1/notes/n1"}), kExitUsage);
  EXPECT_EQ(err_.str(), "error: note addendum needs --text=TEXT: what the addendum says\n");
  EXPECT_EQ(Run({"addendum", "clients/c1/notes/n1", "--text="}), kExitUsage);
  EXPECT_EQ(err_.str(), "error: note addendum needs --text=TEXT: what the addendum says\n");
}

TEST_F(NoteUsageTest, ListNeedsAClientOrAPlan) {
  EXPECT_EQ(Run({"list"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("note list needs --client=clients/ID"));
}

TEST_F(NoteUsageTest, FlagsOfOtherCommandsAreRefused) {
  EXPECT_EQ(Run({"sign", "clients/c1/notes/n1", "--state=active", "--text", "late addition"}),
            kExitUsage);
  EXPECT_EQ(err_.str(), "error: --state, --text does not apply to note sign\n");
}

TEST_F(NoteUsageTest, UnknownTimeZoneIsAUsageError) {
  EXPECT_EQ(Run({"show", "clients/c1/notes/n1", "--time_zone=Mars/Olympus_Mons"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("--time_zone: unknown time zone \"Mars/Olympus_Mons\""));
}

TEST_F(NoteUsageTest, SignAndAddendumTakeATimeZoneSinceTheyPrintTimes) {
  EXPECT_EQ(Run({"sign", "clients/c1/notes/n1", "--time_zone=Mars/Olympus_Mons"}), kExitUsage);
  EXPECT_THAT(err_.str(), StartsWith("error: --time_zone: unknown time zone"));
  EXPECT_EQ(Run({"addendum", "clients/c1/notes/n1", "--text=late addition",
                 "--time_zone=Mars/Olympus_Mons"}),
            kExitUsage);
  EXPECT_THAT(err_.str(), StartsWith("error: --time_zone: unknown time zone"));
}

TEST_F(NoteUsageTest, ProgressNeedsAPlanAndNoArguments) {
  EXPECT_EQ(RunProgress({"progress"}), kExitUsage);
  EXPECT_EQ(err_.str(), "error: progress needs --plan=clients/ID/plans/ID\n");
  EXPECT_EQ(RunProgress({"progress", "extra", "--plan=clients/c1/plans/p1"}), kExitUsage);
  EXPECT_EQ(err_.str(), "error: unexpected argument \"extra\"\n");
  EXPECT_EQ(RunProgress({"progress", "--plan=clients/c1/plans/p1", "--text=x"}), kExitUsage);
  EXPECT_EQ(err_.str(), "error: --text does not apply to progress\n");
  EXPECT_EQ(RunProgress({"progress", "--plan=clients/c1"}), kExitUsage);
  EXPECT_EQ(err_.str(), "error: --plan: \"clients/c1\" is not clients/ID/plans/ID\n");
}

TEST_F(NoteUsageTest, OtherGroupsRefuseNoteFlags) {
  EXPECT_EQ(RunProgress({"clients", "show", "clients/c1", "--appointment=appointments/a1"}),
            kExitUsage);
  EXPECT_EQ(err_.str(), "error: --appointment does not apply to clients show\n");
}

}  // namespace
}  // namespace velknee::cli

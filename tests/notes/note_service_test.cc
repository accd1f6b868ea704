// SessionNoteService through real stubs: intake, plans, notes and the (not yet implemented)
// scheduling service in one process; notes reads plans through the in-process channel.

#include <openssl/sha.h>

#include <functional>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "SQLiteCpp/Statement.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "common/audit/audit_log.h"
#include "common/auth/tokens_file.h"
#include "common/client/channel.h"
#include "common/status/grpc_status.h"
#include "gmock/gmock.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "services/notes/signature.h"
#include "services/server/peers.h"
#include "tests/harness/audit_rows.h"
#include "tests/harness/clinic_records.h"
#include "tests/harness/clinic_server.h"
#include "tests/harness/role_matrix.h"
#include "tests/support/proto_builders.h"
#include "tests/support/status_details.h"
#include "tests/support/status_matchers.h"
#include "velknee/intake/v1/intake_service.grpc.pb.h"
#include "velknee/notes/v1/session_note_service.grpc.pb.h"
#include "velknee/plans/v1/treatment_plan_service.grpc.pb.h"

namespace velknee::notes {
namespace {

using test::ClinicServer;
using test::ErrorReason;
using test::IsOk;
using test::PreconditionSubjects;
using test::PreconditionViolations;
using test::StatusIs;
using test::ViolatedFields;
using test::Where;
using ::testing::AllOf;
using ::testing::DoubleNear;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::UnorderedElementsAreArray;

using common::v1::Region;
using v1::SessionNote;

constexpr absl::string_view kMethodPrefix = "/velknee.notes.v1.SessionNoteService/";
constexpr absl::string_view kAbsentClient = "clients/aaaaaaaaaaaaaaaaaaaaaaaa";
constexpr absl::string_view kAbsentPlan =
    "clients/aaaaaaaaaaaaaaaaaaaaaaaa/plans/bbbbbbbbbbbbbbbbbbbbbbbb";
constexpr absl::string_view kAbsentNote =
    "clients/aaaaaaaaaaaaaaaaaaaaaaaa/notes/cccccccccccccccccccccccc";

// --- Builders ----------------------------------------------------------------------------------

v1::AppliedTechnique Applied(common::v1::Technique technique, std::vector<Region> regions,
                             common::v1::Pressure pressure, int minutes) {
  v1::AppliedTechnique applied;
  applied.set_technique(technique);
  for (const Region& region : regions) *applied.add_regions() = region;
  applied.set_pressure(pressure);
  applied.set_minutes(minutes);
  return applied;
}

google::protobuf::Timestamp TimestampOf(absl::Time time) {
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(absl::ToUnixSeconds(time));
  return timestamp;
}

absl::Time TimeOf(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
}

// 10:00 UTC `days_ago` calendar days before today.
absl::Time DaysAgo(int days_ago) {
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  return absl::FromCivil(absl::CivilMinute(today - days_ago) + 10 * 60, absl::UTCTimeZone());
}

// A gardener's session under `plan`, ready to sign: trigger point on both quadriceps.
SessionNote GardenerSession(const std::string& plan, absl::Time when, int pain_before,
                            int pain_after) {
  using namespace common::v1;  // NOLINT: enum values read as the clinic speaks
  SessionNote note;
  note.set_plan(plan);
  *note.mutable_session_time() = TimestampOf(when);
  note.set_duration_minutes(60);
  note.mutable_subjective()->set_report("Knees less stiff; still sore after kneeling");
  note.mutable_subjective()->set_pain_before(pain_before);
  note.mutable_subjective()->set_since_last_session("Did the quadriceps stretch daily");
  note.mutable_objective()->set_observations("Full squat, slight guarding on the left");
  *note.add_applied() = Applied(TECHNIQUE_TRIGGER_POINT,
                                {Where(BODY_REGION_QUADRICEPS, SIDE_BILATERAL)}, PRESSURE_FIRM, 20);
  *note.add_applied() = Applied(TECHNIQUE_MYOFASCIAL_RELEASE,
                                {Where(BODY_REGION_IT_BAND, SIDE_LEFT)}, PRESSURE_MODERATE, 15);
  note.mutable_assessment()->set_pain_after(pain_after);
  note.mutable_assessment()->set_response("Tolerated trigger point work well");
  note.set_next_steps("Continue weekly; add hip flexors next time");
  return note;
}

// Work that respects a client on blood thinners: myofascial release, light, on the hamstrings.
v1::AppliedTechnique GentleWork() {
  return Applied(common::v1::TECHNIQUE_MYOFASCIAL_RELEASE,
                 {Where(common::v1::BODY_REGION_HAMSTRINGS, common::v1::SIDE_RIGHT)},
                 common::v1::PRESSURE_LIGHT, 20);
}

// The hash a signature must carry, computed without the service's code: the note with fields
// 15..19 (content_sha256, addenda, create_time, update_time, etag) cleared, serialized
// deterministically, SHA-256 as lowercase hex.
std::string IndependentContentSha256(const SessionNote& note) {
  SessionNote content = note;
  content.clear_content_sha256();
  content.clear_addenda();
  content.clear_create_time();
  content.clear_update_time();
  content.clear_etag();
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    EXPECT_TRUE(content.SerializeToCodedStream(&coded));
  }
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

// The part of a note a signature covers, for comparing before and after addenda.
SessionNote SignedPart(const SessionNote& note) {
  SessionNote content = note;
  content.clear_addenda();
  content.clear_create_time();
  content.clear_update_time();
  content.clear_etag();
  return content;
}

std::string IdOf(const std::string& name) { return name.substr(name.rfind('/') + 1); }

// --- Fixture -----------------------------------------------------------------------------------

// All four services in this process or, with `scheduling_down`, intake, plans and notes with
// notes' scheduling peer pointed at a loopback port where nothing listens.
std::unique_ptr<ClinicServer> StartClinic(bool scheduling_down) {
  if (!scheduling_down) return std::make_unique<ClinicServer>("intake,plans,notes,scheduling");
  server::PeerOptions peers;
  const int port = test::UnusedLoopbackPort();
  EXPECT_NE(port, 0) << "no free loopback port";
  peers.scheduling_target = absl::StrCat("127.0.0.1:", port);
  return std::make_unique<ClinicServer>("intake,plans,notes", peers);
}

class NoteServiceTest : public ::testing::Test {
 protected:
  explicit NoteServiceTest(bool scheduling_down = false)
      : clinic_(StartClinic(scheduling_down)),
        server_(*clinic_),
        intake_(intake::v1::IntakeService::NewStub(server_.channel())),
        plans_(plans::v1::TreatmentPlanService::NewStub(server_.channel())),
        notes_(v1::SessionNoteService::NewStub(server_.channel())) {}

  // Registers a client and submits a complete knee assessment flagging `conditions`; returns
  // the client's name and the assessment's name.
  std::pair<std::string, std::string> NewScreenedClient(
      const std::string& given, const std::string& family,
      const std::vector<common::v1::Condition>& conditions = {}) {
    const test::ClinicRecords records(server_);
    const intake::v1::Client client = records.NewClient(given, family, "0161 496 0777");
    intake::v1::Assessment assessment = test::KneeAssessment(
        "Pain at the front of both knees after kneeling", 6, absl::StrCat(given, " ", family));
    for (common::v1::Condition condition : conditions) {
      assessment.add_conditions()->set_condition(condition);
    }
    return {client.name(), records.NewAssessment(client.name(), assessment).name()};
  }

  // Creates `plan` for `client` from `assessment` and, when `activate`, activates it.
  plans::v1::TreatmentPlan NewPlan(const std::string& client, const std::string& assessment,
                                   const plans::v1::TreatmentPlan& plan, bool activate = true) {
    return test::ClinicRecords(server_).NewPlan(client, assessment, plan, activate);
  }

  // The gardener's plan: trigger point on the quadriceps, myofascial release on the IT band,
  // deep tissue on the hip flexors, weekly × 6; goals "pain ≤ 2" and one without a target.
  static plans::v1::TreatmentPlan GardenerPlan() {
    using namespace common::v1;  // NOLINT
    plans::v1::TreatmentPlan plan;
    plans::v1::Goal& pain_goal = *plan.add_goals();
    pain_goal.set_description("Kneel in the garden for an hour with pain at most 2");
    pain_goal.set_target_pain(2);
    plan.add_goals()->set_description("Climb the stairs without holding the rail");
    auto add = [&](Technique technique, BodyRegion region, Pressure pressure, int minutes) {
      plans::v1::PlannedTechnique& planned = *plan.add_techniques();
      planned.set_technique(technique);
      *planned.add_regions() = Where(region, SIDE_BILATERAL);
      planned.set_pressure(pressure);
      planned.set_minutes(minutes);
    };
    add(TECHNIQUE_TRIGGER_POINT, BODY_REGION_QUADRICEPS, PRESSURE_FIRM, 20);
    add(TECHNIQUE_MYOFASCIAL_RELEASE, BODY_REGION_IT_BAND, PRESSURE_MODERATE, 15);
    add(TECHNIQUE_DEEP_TISSUE, BODY_REGION_HIP_FLEXORS, PRESSURE_DEEP, 20);
    plan.mutable_cadence()->set_interval_days(7);
    plan.mutable_cadence()->set_planned_sessions(6);
    plan.mutable_cadence()->set_session_minutes(60);
    return plan;
  }

  // The office worker's gentle plan (on blood thinners): light myofascial release on the right
  // hamstrings, every 14 days × 4.
  static plans::v1::TreatmentPlan GentlePlan() {
    plans::v1::TreatmentPlan plan;
    plans::v1::Goal& goal = *plan.add_goals();
    goal.set_description("Sit through a working day with pain at most 2");
    goal.set_target_pain(2);
    plans::v1::PlannedTechnique& planned = *plan.add_techniques();
    const v1::AppliedTechnique work = GentleWork();
    planned.set_technique(work.technique());
    *planned.mutable_regions() = work.regions();
    planned.set_pressure(work.pressure());
    planned.set_minutes(work.minutes());
    plan.mutable_cadence()->set_interval_days(14);
    plan.mutable_cadence()->set_planned_sessions(4);
    plan.mutable_cadence()->set_session_minutes(45);
    return plan;
  }

  // A gardener with an ACTIVE plan; sets gardener_ and gardener_plan_.
  void SetUpGardener() {
    const auto [client, assessment] = NewScreenedClient("Greta", "Gardner");
    gardener_ = client;
    gardener_plan_ = NewPlan(client, assessment, GardenerPlan()).name();
  }

  grpc::Status Create(const std::string& parent, const SessionNote& note, SessionNote* out,
                      const std::string& request_id = "") {
    grpc::ClientContext context;
    server_.Prepare(context, Role::kTherapist);
    v1::CreateNoteRequest request;
    request.set_parent(parent);
    *request.mutable_note() = note;
    request.set_request_id(request_id);
    return notes_->CreateNote(&context, request, out);
  }

  SessionNote MustCreate(const std::string& parent, const SessionNote& note) {
    SessionNote created;
    EXPECT_THAT(Create(parent, note, &created), IsOk());
    return created;
  }

  grpc::Status Get(const std::string& name, SessionNote* out) {
    grpc::ClientContext context;
    server_.Prepare(context, Role::kTherapist);
    v1::GetNoteRequest request;
    request.set_name(name);
    return notes_->GetNote(&context, request, out);
  }

  SessionNote MustGet(const std::string& name) {
    SessionNote out;
    EXPECT_THAT(Get(name, &out), IsOk());
    return out;
  }

  grpc::Status Update(const SessionNote& patch, const std::vector<std::string>& paths,
                      SessionNote* out) {
    grpc::ClientContext context;
    server_.Prepare(context, Role::kTherapist);
    v1::UpdateNoteRequest request;
    *request.mutable_note() = patch;
    for (const std::string& path : paths) request.mutable_update_mask()->add_paths(path);
    return notes_->UpdateNote(&context, request, out);
  }

  // Signs as the therapist token (therapists/ana), or with `token` when given.
  grpc::Status Sign(const std::string& name, SessionNote* out, const std::string& request_id = "",
                    const std::string& etag = "", const std::string& token = "") {
    grpc::ClientContext context;
    if (token.empty()) {
      server_.Prepare(context, Role::kTherapist);
    } else {
      PrepareContext(context, token, absl::Now() + absl::Seconds(10));
    }
    v1::SignNoteRequest request;
    request.set_name(name);
    request.set_request_id(request_id);
    request.set_etag(etag);
    return notes_->SignNote(&context, request, out);
  }

  SessionNote MustSign(const std::string& name) {
    SessionNote out;
    EXPECT_THAT(Sign(name, &out), IsOk());
    return out;
  }

  grpc::Status AddAddendum(const std::string& name, const std::string& text, SessionNote* out,
                           const std::string& request_id = "", const std::string& token = "") {
    grpc::ClientContext context;
    if (token.empty()) {
      server_.Prepare(context, Role::kTherapist);
    } else {
      PrepareContext(context, token, absl::Now() + absl::Seconds(10));
    }
    v1::AddAddendumRequest request;
    request.set_name(name);
    request.set_text(text);
    request.set_request_id(request_id);
    return notes_->AddAddendum(&context, request, out);
  }

  grpc::Status List(const v1::ListNotesRequest& request, v1::ListNotesResponse* out) {
    grpc::ClientContext context;
    server_.Prepare(context, Role::kTherapist);
    return notes_->ListNotes(&context, request, out);
  }

  grpc::Status Progress(const std::string& plan, v1::PlanProgress* out) {
    grpc::ClientContext context;
    server_.Prepare(context, Role::kTherapist);
    v1::GetPlanProgressRequest request;
    request.set_plan(plan);
    return notes_->GetPlanProgress(&context, request, out);
  }

  // Adds a token for therapist ben and waits until the running server accepts it.
  std::string BenToken() {
    absl::StatusOr<std::string> token =
        AddToken(server_.tokens_file(), {"ben", Role::kTherapist, "therapists/ben"});
    EXPECT_THAT(token, IsOk());
    if (!token.ok()) return "";
    const absl::Time give_up = absl::Now() + absl::Seconds(5);
    while (absl::Now() < give_up) {
      grpc::ClientContext context;
      PrepareContext(context, *token, absl::Now() + absl::Seconds(5));
      v1::GetNoteRequest request;
      request.set_name(std::string(kAbsentNote));
      SessionNote out;
      if (notes_->GetNote(&context, request, &out).error_code() != grpc::UNAUTHENTICATED) {
        return *token;
      }
      absl::SleepFor(absl::Milliseconds(50));
    }
    ADD_FAILURE() << "the server did not pick up ben's token within 5 s";
    return *token;
  }

  // Runs `sql` (with `id` bound to its one parameter) on notes.db in a write transaction.
  absl::Status Exec(const std::string& sql, const std::string& id) {
    return server_.database("notes").Write([&](SQLite::Database& db) {
      SQLite::Statement statement(db, sql);
      statement.bind(1, id);
      statement.exec();
      return absl::OkStatus();
    });
  }

  int64_t CountRows(const std::string& table) {
    return test::CountRows(server_.database("notes"), table);
  }

  // "principal method resource code" of every audit row of notes.db, in order, after checking
  // the chain.
  std::vector<std::string> NoteAuditRows() {
    const absl::StatusOr<std::vector<std::string>> rows =
        test::AuditRows(server_.database("notes"));
    EXPECT_OK(rows.status());
    return rows.value_or(std::vector<std::string>());
  }

  std::unique_ptr<ClinicServer> clinic_;
  ClinicServer& server_;
  std::unique_ptr<intake::v1::IntakeService::Stub> intake_;
  std::unique_ptr<plans::v1::TreatmentPlanService::Stub> plans_;
  std::unique_ptr<v1::SessionNoteService::Stub> notes_;
  std::string gardener_;
  std::string gardener_plan_;
};

// Notes whose scheduling service cannot be reached (as before scheduling existed: DESIGN §2
// asks the same of a peer that is missing, down or slow).
class NotesWithSchedulingDownTest : public NoteServiceTest {
 protected:
  NotesWithSchedulingDownTest() : NoteServiceTest(/*scheduling_down=*/true) {}
};

// --- CreateNote --------------------------------------------------------------------------------

TEST_F(NoteServiceTest, CreateStoresADraftOfTheCallingTherapistIgnoringOutputFields) {
  SetUpGardener();
  SessionNote sent = GardenerSession(gardener_plan_, DaysAgo(1), 6, 4);
  sent.set_name(absl::StrCat(gardener_, "/notes/forged"));
  sent.set_therapist("therapists/bruno");
  sent.set_state(SessionNote::STATE_SIGNED);
  sent.set_signed_by("therapists/bruno");
  *sent.mutable_sign_time() = TimestampOf(DaysAgo(1));
  sent.set_content_sha256(std::string(64, 'a'));
  sent.add_addenda()->set_text("forged addendum");

  const absl::Time before = absl::Now();
  SessionNote created;
  ASSERT_THAT(Create(gardener_, sent, &created), IsOk());

  EXPECT_THAT(created.name(), MatchesRegex(absl::StrCat(gardener_, "/notes/[A-Za-z0-9_-]+")));
  EXPECT_NE(created.name(), sent.name());
  EXPECT_EQ(created.state(), SessionNote::STATE_DRAFT);
  EXPECT_EQ(created.therapist(), "therapists/ana");
  EXPECT_EQ(created.plan(), gardener_plan_);
  EXPECT_EQ(created.signed_by(), "");
  EXPECT_FALSE(created.has_sign_time());
  EXPECT_EQ(created.content_sha256(), "");
  EXPECT_THAT(created.addenda(), IsEmpty());
  EXPECT_GE(TimeOf(created.create_time()), before - absl::Seconds(1));
  EXPECT_FALSE(created.etag().empty());
  EXPECT_EQ(created.subjective().pain_before(), 6);
  EXPECT_EQ(created.assessment().pain_after(), 4);
  ASSERT_EQ(created.applied_size(), 2);
  EXPECT_EQ(created.applied(0).technique(), common::v1::TECHNIQUE_TRIGGER_POINT);
  EXPECT_EQ(MustGet(created.name()).SerializeAsString(), created.SerializeAsString());
}

TEST_F(NoteServiceTest, ASessionNeedsAnActivePlanOfTheSameClient) {
  const auto [client, assessment] = NewScreenedClient("Greta", "Gardner");
  const plans::v1::TreatmentPlan draft_plan = NewPlan(client, assessment, GardenerPlan(), false);
  ASSERT_EQ(draft_plan.state(), plans::v1::TreatmentPlan::STATE_DRAFT);
  SessionNote out;

  const grpc::Status on_draft =
      Create(client, GardenerSession(draft_plan.name(), DaysAgo(1), 6, 4), &out);
  EXPECT_THAT(on_draft,
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr(draft_plan.name())));
  EXPECT_EQ(ErrorReason(on_draft), "PLAN_NOT_ACTIVE");
  EXPECT_THAT(PreconditionSubjects(on_draft), ElementsAre(draft_plan.name()));

  // Another client's ACTIVE plan, under this client.
  const auto [other, other_assessment] = NewScreenedClient("Olaf", "Other");
  const plans::v1::TreatmentPlan other_plan = NewPlan(other, other_assessment, GardenerPlan());
  const grpc::Status on_other =
      Create(client, GardenerSession(other_plan.name(), DaysAgo(1), 6, 4), &out);
  EXPECT_THAT(on_other,
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr(other_plan.name())));
  EXPECT_EQ(ErrorReason(on_other), "PLAN_OF_ANOTHER_CLIENT");
  EXPECT_THAT(PreconditionSubjects(on_other), ElementsAre(other_plan.name()));

  // A plan that does not exist, named.
  const std::string absent_plan = absl::StrCat(client, "/plans/bbbbbbbbbbbbbbbbbbbbbbbb");
  EXPECT_THAT(Create(client, GardenerSession(absent_plan, DaysAgo(1), 6, 4), &out),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr(absent_plan)));

  EXPECT_EQ(CountRows("notes"), 0);
  EXPECT_THAT(MustCreate(other, GardenerSession(other_plan.name(), DaysAgo(1), 6, 4)).plan(),
              other_plan.name());
}

TEST_F(NoteServiceTest, WorkBreachingThePlansScreeningIsRefusedOnceForEachBreach) {
  using namespace common::v1;  // NOLINT
  const auto [client, assessment] =
      NewScreenedClient("Otto", "Office", {CONDITION_ANTICOAGULANT_USE});
  const plans::v1::TreatmentPlan plan = NewPlan(client, assessment, GentlePlan());
  ASSERT_EQ(plan.state(), plans::v1::TreatmentPlan::STATE_ACTIVE);

  SessionNote note = GardenerSession(plan.name(), DaysAgo(1), 5, 3);
  note.clear_applied();
  *note.add_applied() = GentleWork();  // [0] fine
  *note.add_applied() = Applied(TECHNIQUE_DEEP_TISSUE, {Where(BODY_REGION_HAMSTRINGS, SIDE_RIGHT)},
                                PRESSURE_MODERATE, 10);  // [1] no deep tissue
  *note.add_applied() = Applied(TECHNIQUE_TRIGGER_POINT, {Where(BODY_REGION_CALF, SIDE_LEFT)},
                                PRESSURE_FIRM, 10);  // [2] above moderate
  *note.add_applied() = Applied(TECHNIQUE_DEEP_TISSUE, {Where(BODY_REGION_CALF, SIDE_LEFT)},
                                PRESSURE_DEEP, 10);  // [3] both
  SessionNote out;
  const grpc::Status status = Create(client, note, &out);

  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(ErrorReason(status), "RESTRICTION_BREACHED");
  const auto violations = PreconditionViolations(status);
  EXPECT_THAT(PreconditionSubjects(status),
              ElementsAre("applied[1]", "applied[2]", "applied[3]", "applied[3]"));
  for (const auto& violation : violations) {
    EXPECT_THAT(violation.description(), HasSubstr("blood thinners")) << violation.subject();
  }
  // The same breaches as data: which work, as sent, and which restriction of the plan's
  // screening it breaks.
  const std::vector<RestrictionBreach> breaches = test::RestrictionBreaches(status);
  ASSERT_EQ(breaches.size(), 4u);
  std::vector<int> indexes;
  for (const RestrictionBreach& breach : breaches) {
    indexes.push_back(breach.technique_index());
    EXPECT_EQ(breach.field(), absl::StrCat("applied[", breach.technique_index(), "]"));
    const v1::AppliedTechnique& sent = note.applied(breach.technique_index());
    EXPECT_EQ(breach.technique(), sent.technique());
    EXPECT_EQ(breach.pressure(), sent.pressure());
    ASSERT_EQ(breach.regions_size(), 1);
    EXPECT_EQ(breach.regions(0).SerializeAsString(), sent.regions(0).SerializeAsString());
    EXPECT_EQ(breach.restriction().condition(), CONDITION_ANTICOAGULANT_USE);
    EXPECT_THAT(breach.restriction().rationale(), HasSubstr("blood thinners"));
  }
  EXPECT_THAT(indexes, ElementsAre(1, 2, 3, 3));
  // Deep tissue breaks the prohibition (no cap), firm pressure the cap at moderate.
  EXPECT_EQ(breaches[0].restriction().max_pressure(), PRESSURE_UNSPECIFIED);
  EXPECT_EQ(breaches[1].restriction().max_pressure(), PRESSURE_MODERATE);
  EXPECT_EQ(CountRows("notes"), 0);

  note.clear_applied();
  *note.add_applied() = GentleWork();
  EXPECT_EQ(MustCreate(client, note).applied_size(), 1);
}

// Acute inflammation, an open wound and recent surgery forbid any work on the flagged regions,
// whatever the plan says: a session recording work there is refused and stores nothing.
TEST_F(NoteServiceTest, NoWorkGoesOnARegionFlaggedForInflammationAWoundOrSurgery) {
  using namespace common::v1;  // NOLINT
  const test::ClinicRecords records(server_);
  for (const Condition condition :
       {CONDITION_ACUTE_INFLAMMATION, CONDITION_OPEN_WOUND_OR_SKIN_CONDITION,
        CONDITION_RECENT_SURGERY}) {
    const std::string code = Condition_Name(condition).substr(std::string("CONDITION_").size());
    SCOPED_TRACE(code);
    const intake::v1::Client client = records.NewClient("Flo", "Flagged", "0161 496 0778");
    intake::v1::Assessment assessment =
        test::KneeAssessment("Pain at the front of both knees after kneeling", 6, "Flo Flagged");
    intake::v1::ConditionFlag& flag = *assessment.add_conditions();
    flag.set_condition(condition);
    *flag.add_regions() = Where(BODY_REGION_CALF, SIDE_LEFT);
    // Recent surgery counts only when dated; ten days ago is recent.
    *flag.mutable_since() = test::DateOf(absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) - 10);
    const plans::v1::TreatmentPlan plan = NewPlan(
        client.name(), records.NewAssessment(client.name(), assessment).name(), GentlePlan());
    ASSERT_EQ(plan.state(), plans::v1::TreatmentPlan::STATE_ACTIVE);

    SessionNote note = GardenerSession(plan.name(), DaysAgo(1), 5, 3);
    note.clear_applied();
    *note.add_applied() = GentleWork();
    *note.add_applied() = Applied(TECHNIQUE_MYOFASCIAL_RELEASE,
                                  {Where(BODY_REGION_CALF, SIDE_BILATERAL)}, PRESSURE_LIGHT, 10);
    SessionNote out;
    const int64_t notes_before = CountRows("notes");
    const grpc::Status status = Create(client.name(), note, &out);
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition));
    EXPECT_EQ(ErrorReason(status), "RESTRICTION_BREACHED");
    EXPECT_THAT(PreconditionSubjects(status), ElementsAre("applied[1]"));
    for (const auto& violation : PreconditionViolations(status)) {
      EXPECT_THAT(violation.description(), HasSubstr(code));
    }
    EXPECT_EQ(CountRows("notes"), notes_before);

    // The same work on the other calf is recorded.
    note.mutable_applied(1)->mutable_regions(0)->set_side(SIDE_RIGHT);
    EXPECT_THAT(Create(client.name(), note, &out), IsOk());
  }
}

TEST_F(NoteServiceTest, CreateNamesEveryBadFieldByItsPathAndStoresNothing) {
  SetUpGardener();
  SessionNote note = GardenerSession(gardener_plan_, DaysAgo(1), 6, 4);
  note.clear_session_time();
  note.set_duration_minutes(0);
  note.mutable_subjective()->set_pain_before(11);
  note.mutable_applied(1)->clear_regions();
  note.mutable_assessment()->set_pain_after(-1);
  note.mutable_assessment()->add_adverse_effects(v1::ADVERSE_EFFECT_UNSPECIFIED);
  note.mutable_assessment()->add_adverse_effects(v1::ADVERSE_EFFECT_SORENESS);
  note.mutable_assessment()->add_adverse_effects(static_cast<v1::AdverseEffect>(42));
  SessionNote out;
  const grpc::Status status = Create(gardener_, note, &out);

  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument,
                               HasSubstr("note.subjective.pain_before")));
  EXPECT_THAT(
      ViolatedFields(status),
      ElementsAre("note.session_time", "note.duration_minutes", "note.subjective.pain_before",
                  "note.applied[1].regions", "note.assessment.pain_after",
                  "note.assessment.adverse_effects[0]", "note.assessment.adverse_effects[2]"));
  EXPECT_EQ(CountRows("notes"), 0);
}

TEST_F(NoteServiceTest, EachFieldRuleAloneRefusesTheNoteAndItsEdgesAreAccepted) {
  SetUpGardener();
  struct Case {
    std::string what;
    std::function<void(SessionNote&)> change;
    std::string field;
  };
  const std::vector<Case> refused = {
      {"no session time", [](SessionNote& n) { n.clear_session_time(); }, "note.session_time"},
      {"a session an hour from now",
       [](SessionNote& n) {
         *n.mutable_session_time() = TimestampOf(absl::Now() + absl::Hours(1));
       },
       "note.session_time"},
      {"0 minutes", [](SessionNote& n) { n.set_duration_minutes(0); }, "note.duration_minutes"},
      {"181 minutes", [](SessionNote& n) { n.set_duration_minutes(181); }, "note.duration_minutes"},
      {"pain before -1", [](SessionNote& n) { n.mutable_subjective()->set_pain_before(-1); },
       "note.subjective.pain_before"},
      {"pain after 11", [](SessionNote& n) { n.mutable_assessment()->set_pain_after(11); },
       "note.assessment.pain_after"},
      {"applied without regions", [](SessionNote& n) { n.mutable_applied(0)->clear_regions(); },
       "note.applied[0].regions"},
      {"applied without a technique",
       [](SessionNote& n) {
         n.mutable_applied(1)->set_technique(common::v1::TECHNIQUE_UNSPECIFIED);
       },
       "note.applied[1].technique"},
      {"unset adverse effect",
       [](SessionNote& n) {
         n.mutable_assessment()->add_adverse_effects(v1::ADVERSE_EFFECT_UNSPECIFIED);
       },
       "note.assessment.adverse_effects[0]"},
      {"unknown adverse effect",
       [](SessionNote& n) {
         n.mutable_assessment()->add_adverse_effects(static_cast<v1::AdverseEffect>(99));
       },
       "note.assessment.adverse_effects[0]"},
      {"no plan", [](SessionNote& n) { n.clear_plan(); }, "note.plan"},
      {"applied minutes over the duration",  // 20 + 15 minutes of work in a 30-minute session
       [](SessionNote& n) { n.set_duration_minutes(30); }, "note.applied"},
      {"soreness recorded twice",
       [](SessionNote& n) {
         n.mutable_assessment()->add_adverse_effects(v1::ADVERSE_EFFECT_SORENESS);
         n.mutable_assessment()->add_adverse_effects(v1::ADVERSE_EFFECT_SORENESS);
       },
       "note.assessment.adverse_effects[1]"},
  };
  for (const Case& c : refused) {
    SessionNote note = GardenerSession(gardener_plan_, DaysAgo(1), 6, 4);
    c.change(note);
    SessionNote out;
    const grpc::Status status = Create(gardener_, note, &out);
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.field))) << c.what;
    EXPECT_THAT(ViolatedFields(status), ElementsAre(c.field)) << c.what;
  }
  EXPECT_EQ(CountRows("notes"), 0);

  const std::vector<Case> accepted = {
      {"1 minute (of 1 minute's work)",
       [](SessionNote& n) {
         n.set_duration_minutes(1);
         n.mutable_applied(0)->set_minutes(1);
         n.mutable_applied()->RemoveLast();
       },
       ""},
      {"work filling the whole session", [](SessionNote& n) { n.set_duration_minutes(35); }, ""},
      {"180 minutes", [](SessionNote& n) { n.set_duration_minutes(180); }, ""},
      {"pain 0 → 0",
       [](SessionNote& n) {
         n.mutable_subjective()->set_pain_before(0);
         n.mutable_assessment()->set_pain_after(0);
       },
       ""},
      {"pain 10 → 10",
       [](SessionNote& n) {
         n.mutable_subjective()->set_pain_before(10);
         n.mutable_assessment()->set_pain_after(10);
       },
       ""},
      {"a session a minute ago",
       [](SessionNote& n) {
         *n.mutable_session_time() = TimestampOf(absl::Now() - absl::Minutes(1));
       },
       ""},
      {"every adverse effect",
       [](SessionNote& n) {
         for (v1::AdverseEffect effect : {v1::ADVERSE_EFFECT_SORENESS, v1::ADVERSE_EFFECT_BRUISING,
                                          v1::ADVERSE_EFFECT_HEADACHE, v1::ADVERSE_EFFECT_DIZZINESS,
                                          v1::ADVERSE_EFFECT_OTHER}) {
           n.mutable_assessment()->add_adverse_effects(effect);
         }
       },
       ""},
      {"no pain and no work yet (a draft)",
       [](SessionNote& n) {
         n.mutable_subjective()->clear_pain_before();
         n.mutable_assessment()->clear_pain_after();
         n.clear_applied();
       },
       ""},
  };
  for (const Case& c : accepted) {
    SessionNote note = GardenerSession(gardener_plan_, DaysAgo(1), 6, 4);
    c.change(note);
    SessionNote out;
    EXPECT_THAT(Create(gardener_, note, &out), IsOk()) << c.what;
  }
  EXPECT_EQ(CountRows("notes"), static_cast<int64_t>(accepted.size()));
}

TEST_F(NotesWithSchedulingDownTest, ANoteNamingAnAppointmentNeedsTheSchedulingService) {
  SetUpGardener();
  SessionNote note = GardenerSession(gardener_plan_, DaysAgo(1), 6, 4);
  note.set_appointment("appointments/dddddddddddddddddddddddd");
  SessionNote out;
  const grpc::Status status = Create(gardener_, note, &out);

  EXPECT_THAT(status, StatusIs(absl::StatusCode::kUnavailable, HasSubstr("scheduling service")));
  EXPECT_EQ(ErrorReason(status), "PEER_UNAVAILABLE");
  EXPECT_EQ(out.name(), "");
  EXPECT_EQ(CountRows("notes"), 0);

  note.set_appointment("meetings/1");
  EXPECT_THAT(ViolatedFields(Create(gardener_, note, &out)), ElementsAre("note.appointment"));
}

TEST_F(NoteServiceTest, ARetryWithTheSameRequestIdReturnsTheFirstNote) {
  SetUpGardener();
  const SessionNote note = GardenerSession(gardener_plan_, DaysAgo(1), 6, 4);
  SessionNote first;
  SessionNote second;
  ASSERT_THAT(Create(gardener_, note, &first, "tablet-7f3a-create"), IsOk());
  ASSERT_THAT(Create(gardener_, note, &second, "tablet-7f3a-create"), IsOk());
  EXPECT_EQ(second.SerializeAsString(), first.SerializeAsString());
  EXPECT_EQ(CountRows("notes"), 1);

  SessionNote changed = note;
  changed.mutable_subjective()->set_pain_before(7);
  SessionNote out;
  EXPECT_THAT(Create(gardener_, changed, &out, "tablet-7f3a-create"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("request_id")));
  EXPECT_EQ(CountRows("notes"), 1);

  // Without a request id, the same note twice is two sessions.
  ASSERT_THAT(Create(gardener_, note, &out), IsOk());
  ASSERT_THAT(Create(gardener_, note, &out), IsOk());
  EXPECT_EQ(CountRows("notes"), 3);
}

// --- UpdateNote --------------------------------------------------------------------------------

TEST_F(NoteServiceTest, UpdateChangesOnlyTheMaskedFieldsAndChecksTheEtag) {
  SetUpGardener();
  const SessionNote created =
      MustCreate(gardener_, GardenerSession(gardener_plan_, DaysAgo(1), 6, 4));

  SessionNote patch;
  patch.set_name(created.name());
  patch.set_etag(created.etag());
  patch.mutable_subjective()->set_pain_before(5);
  patch.set_next_steps("Ignored: not in the mask");
  patch.set_duration_minutes(45);
  SessionNote updated;
  ASSERT_THAT(Update(patch, {"subjective.pain_before", "duration_minutes"}, &updated), IsOk());
  EXPECT_EQ(updated.subjective().pain_before(), 5);
  EXPECT_EQ(updated.subjective().report(), created.subjective().report());
  EXPECT_EQ(updated.duration_minutes(), 45);
  EXPECT_EQ(updated.next_steps(), created.next_steps());
  EXPECT_EQ(updated.state(), SessionNote::STATE_DRAFT);
  EXPECT_NE(updated.etag(), created.etag());
  EXPECT_EQ(MustGet(created.name()).SerializeAsString(), updated.SerializeAsString());

  // The etag the tablet read before that change is stale now.
  patch.mutable_subjective()->set_pain_before(2);
  SessionNote out;
  EXPECT_THAT(Update(patch, {"subjective.pain_before"}, &out),
              StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(MustGet(created.name()).subjective().pain_before(), 5);

  // Without an etag the last write wins.
  patch.clear_etag();
  ASSERT_THAT(Update(patch, {"subjective.pain_before"}, &out), IsOk());
  EXPECT_EQ(MustGet(created.name()).subjective().pain_before(), 2);
}

TEST_F(NoteServiceTest, UpdateNeedsAMaskOfWritableFieldsAndValidatesTheResult) {
  SetUpGardener();
  const SessionNote created =
      MustCreate(gardener_, GardenerSession(gardener_plan_, DaysAgo(1), 6, 4));
  SessionNote patch = created;
  SessionNote out;
  for (const char* path : {"plan", "appointment", "therapist", "state", "signed_by",
                           "content_sha256", "name", "no_such_field"}) {
    EXPECT_THAT(Update(patch, {path}, &out), StatusIs(absl::StatusCode::kInvalidArgument)) << path;
  }
  EXPECT_THAT(Update(patch, {}, &out), StatusIs(absl::StatusCode::kInvalidArgument));

  patch.mutable_assessment()->set_pain_after(12);
  const grpc::Status status = Update(patch, {"assessment.pain_after"}, &out);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ViolatedFields(status), ElementsAre("note.assessment.pain_after"));
  EXPECT_EQ(MustGet(created.name()).SerializeAsString(), created.SerializeAsString());

  SessionNote absent;
  absent.set_name(std::string(kAbsentNote));
  absent.set_next_steps("Nothing");
  EXPECT_THAT(Update(absent, {"next_steps"}, &out), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(NoteServiceTest, UpdateChecksTheChangedWorkAgainstTheScreeningAgain) {
  using namespace common::v1;  // NOLINT
  const auto [client, assessment] =
      NewScreenedClient("Otto", "Office", {CONDITION_ANTICOAGULANT_USE});
  const plans::v1::TreatmentPlan plan = NewPlan(client, assessment, GentlePlan());
  SessionNote note = GardenerSession(plan.name(), DaysAgo(1), 5, 3);
  note.clear_applied();
  *note.add_applied() = GentleWork();
  const SessionNote created = MustCreate(client, note);

  SessionNote patch;
  patch.set_name(created.name());
  *patch.add_applied() = GentleWork();
  *patch.add_applied() = Applied(TECHNIQUE_DEEP_TISSUE, {Where(BODY_REGION_HAMSTRINGS, SIDE_RIGHT)},
                                 PRESSURE_LIGHT, 10);
  SessionNote out;
  const grpc::Status status = Update(patch, {"applied"}, &out);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(ErrorReason(status), "RESTRICTION_BREACHED");
  EXPECT_THAT(PreconditionSubjects(status), ElementsAre("applied[1]"));
  const std::vector<RestrictionBreach> breaches = test::RestrictionBreaches(status);
  ASSERT_EQ(breaches.size(), 1u);
  EXPECT_EQ(breaches[0].technique_index(), 1);
  EXPECT_EQ(breaches[0].technique(), TECHNIQUE_DEEP_TISSUE);
  EXPECT_EQ(breaches[0].restriction().condition(), CONDITION_ANTICOAGULANT_USE);
  EXPECT_EQ(MustGet(created.name()).SerializeAsString(), created.SerializeAsString());
}

// --- SignNote ----------------------------------------------------------------------------------

TEST_F(NoteServiceTest, SigningAnIncompleteNoteListsEveryMissingItem) {
  SetUpGardener();
  SessionNote empty = GardenerSession(gardener_plan_, DaysAgo(1), 6, 4);
  empty.mutable_subjective()->clear_pain_before();
  empty.mutable_assessment()->clear_pain_after();
  empty.clear_applied();
  const SessionNote draft = MustCreate(gardener_, empty);
  SessionNote out;
  const grpc::Status status = Sign(draft.name(), &out);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(ErrorReason(status), "NOTE_INCOMPLETE");
  EXPECT_THAT(
      PreconditionSubjects(status),
      ElementsAre("note.subjective.pain_before", "note.assessment.pain_after", "note.applied"));

  // Each missing item alone blocks the signature.
  const std::vector<std::pair<std::string, std::function<void(SessionNote&)>>> alone = {
      {"note.subjective.pain_before",
       [](SessionNote& n) { n.mutable_subjective()->clear_pain_before(); }},
      {"note.assessment.pain_after",
       [](SessionNote& n) { n.mutable_assessment()->clear_pain_after(); }},
      {"note.applied", [](SessionNote& n) { n.clear_applied(); }},
  };
  for (const auto& [missing, change] : alone) {
    SessionNote note = GardenerSession(gardener_plan_, DaysAgo(1), 6, 4);
    change(note);
    const SessionNote created = MustCreate(gardener_, note);
    const grpc::Status one = Sign(created.name(), &out);
    EXPECT_EQ(ErrorReason(one), "NOTE_INCOMPLETE") << missing;
    EXPECT_THAT(PreconditionSubjects(one), ElementsAre(missing));
    EXPECT_EQ(MustGet(created.name()).state(), SessionNote::STATE_DRAFT) << missing;
  }
  EXPECT_EQ(MustGet(draft.name()).SerializeAsString(), draft.SerializeAsString());

  // Completed by an update, the same draft signs.
  SessionNote patch = GardenerSession(gardener_plan_, DaysAgo(1), 6, 4);
  patch.set_name(draft.name());
  SessionNote updated;
  ASSERT_THAT(
      Update(patch, {"subjective.pain_before", "assessment.pain_after", "applied"}, &updated),
      IsOk());
  EXPECT_EQ(MustSign(draft.name()).state(), SessionNote::STATE_SIGNED);
}

TEST_F(NoteServiceTest, OnlyTheNotesOwnTherapistMaySignIt) {
  SetUpGardener();
  const SessionNote draft =
      MustCreate(gardener_, GardenerSession(gardener_plan_, DaysAgo(1), 6, 4));
  const std::string ben = BenToken();
  SessionNote out;
  const grpc::Status status = Sign(draft.name(), &out, "", "", ben);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("therapists/ana")));
  EXPECT_EQ(ErrorReason(status), "NOT_NOTE_AUTHOR");
  const SessionNote after = MustGet(draft.name());
  EXPECT_EQ(after.state(), SessionNote::STATE_DRAFT);
  EXPECT_EQ(after.signed_by(), "");
  EXPECT_EQ(after.SerializeAsString(), draft.SerializeAsString());

  // Ben may read it and, once ana has signed, add an addendum under his own name.
  const SessionNote signed_note = MustSign(draft.name());
  EXPECT_EQ(signed_note.signed_by(), "therapists/ana");
  ASSERT_THAT(AddAddendum(draft.name(), "Client phoned: soreness gone next day", &out, "", ben),
              IsOk());
  ASSERT_EQ(out.addenda_size(), 1);
  EXPECT_EQ(out.addenda(0).author(), "therapists/ben");
}

TEST_F(NoteServiceTest, SigningLocksTheNoteAndRecordsAHashOfItsContent) {
  SetUpGardener();
  const SessionNote draft =
      MustCreate(gardener_, GardenerSession(gardener_plan_, DaysAgo(1), 6, 4));
  const absl::Time before = absl::Now();
  SessionNote signed_note;
  ASSERT_THAT(Sign(draft.name(), &signed_note, "", draft.etag()), IsOk());
  const absl::Time after = absl::Now();

  EXPECT_EQ(signed_note.state(), SessionNote::STATE_SIGNED);
  EXPECT_EQ(signed_note.signed_by(), "therapists/ana");
  EXPECT_GE(TimeOf(signed_note.sign_time()), before - absl::Seconds(1));
  EXPECT_LE(TimeOf(signed_note.sign_time()), after + absl::Seconds(1));
  EXPECT_THAT(signed_note.content_sha256(), MatchesRegex("[0-9a-f]{64}"));
  EXPECT_EQ(signed_note.content_sha256(), ContentSha256(signed_note));
  EXPECT_EQ(signed_note.content_sha256(), IndependentContentSha256(signed_note));
  EXPECT_NE(signed_note.etag(), draft.etag());
  // The clinical content is what the therapist wrote.
  EXPECT_EQ(signed_note.subjective().SerializeAsString(), draft.subjective().SerializeAsString());
  EXPECT_EQ(signed_note.assessment().SerializeAsString(), draft.assessment().SerializeAsString());
  EXPECT_EQ(MustGet(draft.name()).SerializeAsString(), signed_note.SerializeAsString());

  // Any change to the signed content would change the hash.
  SessionNote tampered = signed_note;
  tampered.mutable_subjective()->set_pain_before(3);
  EXPECT_NE(IndependentContentSha256(tampered), signed_note.content_sha256());
}

TEST_F(NoteServiceTest, SigningTwiceIsRefusedUnlessItIsARetryOfTheSameRequest) {
  SetUpGardener();
  const SessionNote draft =
      MustCreate(gardener_, GardenerSession(gardener_plan_, DaysAgo(1), 6, 4));
  SessionNote first;
  ASSERT_THAT(Sign(draft.name(), &first, "tablet-sign-1"), IsOk());

  SessionNote retry;
  ASSERT_THAT(Sign(draft.name(), &retry, "tablet-sign-1"), IsOk());
  EXPECT_EQ(retry.SerializeAsString(), first.SerializeAsString());

  SessionNote out;
  const grpc::Status again = Sign(draft.name(), &out);
  EXPECT_THAT(again, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr(draft.name())));
  EXPECT_EQ(ErrorReason(again), "NOTE_SIGNED");
  const grpc::Status other_id = Sign(draft.name(), &out, "tablet-sign-2");
  EXPECT_EQ(ErrorReason(other_id), "NOTE_SIGNED");

  const SessionNote stored = MustGet(draft.name());
  EXPECT_EQ(stored.SerializeAsString(), first.SerializeAsString());
  // One signature was written and audited; the retry and the refusals wrote nothing.
  EXPECT_EQ(CountRows("notes"), 1);
  const std::string signed_row =
      absl::StrCat("ana ", kMethodPrefix, "SignNote ", draft.name(), " 0");
  int signatures = 0;
  for (const std::string& row : NoteAuditRows()) signatures += row == signed_row ? 1 : 0;
  EXPECT_EQ(signatures, 1);
}

TEST_F(NoteServiceTest, AStaleEtagDoesNotSign) {
  SetUpGardener();
  const SessionNote draft =
      MustCreate(gardener_, GardenerSession(gardener_plan_, DaysAgo(1), 6, 4));
  SessionNote patch;
  patch.set_name(draft.name());
  patch.set_next_steps("Add calf work next time");
  SessionNote updated;
  ASSERT_THAT(Update(patch, {"next_steps"}, &updated), IsOk());
  SessionNote out;
  EXPECT_THAT(Sign(draft.name(), &out, "", draft.etag()), StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(MustGet(draft.name()).state(), SessionNote::STATE_DRAFT);
  ASSERT_THAT(Sign(draft.name(), &out, "", updated.etag()), IsOk());
  EXPECT_EQ(out.next_steps(), "Add calf work next time");
}

TEST_F(NoteServiceTest, ASignedNoteCannotBeUpdated) {
  SetUpGardener();
  const SessionNote draft =
      MustCreate(gardener_, GardenerSession(gardener_plan_, DaysAgo(1), 6, 4));
  const SessionNote signed_note = MustSign(draft.name());
  for (const char* path : {"subjective.pain_before", "assessment.pain_after", "applied",
                           "next_steps", "session_time", "duration_minutes", "objective"}) {
    SessionNote patch = signed_note;
    patch.mutable_subjective()->set_pain_before(1);
    patch.mutable_assessment()->set_pain_after(0);
    patch.clear_applied();
    *patch.add_applied() = Applied(common::v1::TECHNIQUE_TRIGGER_POINT,
                                   {Where(common::v1::BODY_REGION_CALF, common::v1::SIDE_LEFT)},
                                   common::v1::PRESSURE_LIGHT, 5);
    patch.set_next_steps("Rewritten");
    patch.set_duration_minutes(30);
    patch.clear_objective();
    SessionNote out;
    const grpc::Status status = Update(patch, {path}, &out);
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr(draft.name())))
        << path;
    EXPECT_EQ(ErrorReason(status), "NOTE_SIGNED") << path;
  }
  const SessionNote stored = MustGet(draft.name());
  EXPECT_EQ(stored.SerializeAsString(), signed_note.SerializeAsString());
  EXPECT_EQ(stored.content_sha256(), IndependentContentSha256(stored));
}

// The documented choice: signing a note with an appointment completes the appointment first;
// while scheduling cannot be reached, signing fails as a whole and the note stays a draft. (A
// draft naming an appointment cannot be created while scheduling is down, so this one gets its
// appointment written straight into its draft row, which the schema allows.)
TEST_F(NotesWithSchedulingDownTest, SigningANoteWithAnAppointmentFailsWholeAndStaysADraft) {
  SetUpGardener();
  const SessionNote draft =
      MustCreate(gardener_, GardenerSession(gardener_plan_, DaysAgo(1), 6, 4));
  SessionNote with_appointment = draft;
  with_appointment.set_appointment("appointments/dddddddddddddddddddddddd");
  ASSERT_OK(server_.database("notes").Write([&](SQLite::Database& db) {
    SQLite::Statement update(db, "UPDATE notes SET resource = ? WHERE id = ?");
    const std::string bytes = with_appointment.SerializeAsString();
    update.bind(1, bytes.data(), static_cast<int>(bytes.size()));
    update.bind(2, IdOf(draft.name()));
    update.exec();
    return absl::OkStatus();
  }));
  ASSERT_EQ(MustGet(draft.name()).appointment(), with_appointment.appointment());

  SessionNote out;
  const grpc::Status status = Sign(draft.name(), &out, "tablet-sign-appt");
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kUnavailable, HasSubstr("scheduling service")));
  const SessionNote stored = MustGet(draft.name());
  EXPECT_EQ(stored.state(), SessionNote::STATE_DRAFT);
  EXPECT_EQ(stored.signed_by(), "");
  EXPECT_EQ(stored.content_sha256(), "");
  // The same request retried later is not answered from a half-done first attempt.
  EXPECT_THAT(Sign(draft.name(), &out, "tablet-sign-appt"),
              StatusIs(absl::StatusCode::kUnavailable));
  v1::PlanProgress progress;
  ASSERT_THAT(Progress(gardener_plan_, &progress), IsOk());
  EXPECT_EQ(progress.signed_sessions(), 0);
}

// --- Immutability in the store -----------------------------------------------------------------

TEST_F(NoteServiceTest, TheDatabaseItselfRefusesToChangeOrDeleteASignedNote) {
  SetUpGardener();
  const SessionNote signed_note =
      MustSign(MustCreate(gardener_, GardenerSession(gardener_plan_, DaysAgo(2), 6, 4)).name());
  const SessionNote draft =
      MustCreate(gardener_, GardenerSession(gardener_plan_, DaysAgo(1), 5, 3));
  const std::string signed_id = IdOf(signed_note.name());

  for (const char* sql :
       {"UPDATE notes SET resource = x'00' WHERE id = ?",
        "UPDATE notes SET pain_before = 0 WHERE id = ?", "UPDATE notes SET state = 1 WHERE id = ?",
        "UPDATE notes SET content_sha256 = NULL WHERE id = ?"}) {
    EXPECT_THAT(Exec(sql, signed_id), StatusIs(absl::StatusCode::kFailedPrecondition,
                                               HasSubstr("a signed note cannot change")))
        << sql;
  }
  EXPECT_THAT(Exec("DELETE FROM notes WHERE id = ?", signed_id),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("never deleted")));
  const SessionNote stored = MustGet(signed_note.name());
  EXPECT_EQ(stored.SerializeAsString(), signed_note.SerializeAsString());
  EXPECT_EQ(stored.content_sha256(), IndependentContentSha256(stored));

  // A draft row may change (that is how UpdateNote works) but is never deleted either.
  EXPECT_OK(Exec("UPDATE notes SET pain_before = 0 WHERE id = ?", IdOf(draft.name())));
  EXPECT_THAT(Exec("DELETE FROM notes WHERE id = ?", IdOf(draft.name())),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(CountRows("notes"), 2);
}

TEST_F(NoteServiceTest, TheDatabaseKeepsAddendaAppendOnlyAndOnlyOnSignedNotes) {
  SetUpGardener();
  const SessionNote signed_note =
      MustSign(MustCreate(gardener_, GardenerSession(gardener_plan_, DaysAgo(2), 6, 4)).name());
  const SessionNote draft =
      MustCreate(gardener_, GardenerSession(gardener_plan_, DaysAgo(1), 5, 3));
  SessionNote with_addendum;
  ASSERT_THAT(AddAddendum(signed_note.name(), "Client phoned: fine next day", &with_addendum),
              IsOk());
  const std::string signed_id = IdOf(signed_note.name());

  EXPECT_THAT(Exec("UPDATE note_addenda SET text = 'rewritten' WHERE note_id = ?", signed_id),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("append-only")));
  EXPECT_THAT(Exec("DELETE FROM note_addenda WHERE note_id = ?", signed_id),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("append-only")));
  EXPECT_THAT(Exec("INSERT INTO note_addenda (note_id, seq, author, text, create_unix_micros) "
                   "VALUES (?, 1, 'therapists/ana', 'on a draft', 0)",
                   IdOf(draft.name())),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("addenda are only for signed notes")));
  EXPECT_THAT(Exec("INSERT INTO note_addenda (note_id, seq, author, text, create_unix_micros) "
                   "VALUES (?, 1, 'therapists/ana', 'on nothing', 0)",
                   "no-such-note"),
              Not(IsOk()));
  EXPECT_EQ(CountRows("note_addenda"), 1);
  EXPECT_EQ(MustGet(signed_note.name()).SerializeAsString(), with_addendum.SerializeAsString());
}

// --- AddAddendum -------------------------------------------------------------------------------

TEST_F(NoteServiceTest, AnAddendumNeedsASignedNote) {
  SetUpGardener();
  const SessionNote draft =
      MustCreate(gardener_, GardenerSession(gardener_plan_, DaysAgo(1), 6, 4));
  SessionNote out;
  const grpc::Status status = AddAddendum(draft.name(), "Too early", &out);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr(draft.name())));
  EXPECT_EQ(ErrorReason(status), "NOTE_NOT_SIGNED");
  EXPECT_THAT(PreconditionSubjects(status), ElementsAre(draft.name()));
  EXPECT_EQ(CountRows("note_addenda"), 0);
  EXPECT_THAT(AddAddendum(std::string(kAbsentNote), "Nowhere", &out),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(NoteServiceTest, AddendaAppendInOrderAndLeaveTheSignatureIntact) {
  SetUpGardener();
  const SessionNote signed_note =
      MustSign(MustCreate(gardener_, GardenerSession(gardener_plan_, DaysAgo(1), 6, 4)).name());

  const absl::Time before = absl::Now();
  SessionNote one;
  ASSERT_THAT(AddAddendum(signed_note.name(), "Correction: left IT band, not right", &one), IsOk());
  SessionNote two;
  ASSERT_THAT(AddAddendum(signed_note.name(), "Client phoned: mild soreness next day", &two),
              IsOk());
  const absl::Time after = absl::Now();

  ASSERT_EQ(one.addenda_size(), 1);
  ASSERT_EQ(two.addenda_size(), 2);
  EXPECT_EQ(two.addenda(0).text(), "Correction: left IT band, not right");
  EXPECT_EQ(two.addenda(1).text(), "Client phoned: mild soreness next day");
  for (const v1::Addendum& addendum : two.addenda()) {
    EXPECT_EQ(addendum.author(), "therapists/ana");
    EXPECT_GE(TimeOf(addendum.create_time()), before - absl::Seconds(1));
    EXPECT_LE(TimeOf(addendum.create_time()), after + absl::Seconds(1));
  }
  EXPECT_LE(TimeOf(two.addenda(0).create_time()), TimeOf(two.addenda(1).create_time()));
  EXPECT_EQ(TimeOf(two.update_time()), TimeOf(two.addenda(1).create_time()))
      << "the note last changed when its latest addendum was added";

  // The signature is untouched and still matches the content; the etag moves with each addendum.
  for (const SessionNote& note : {one, two, MustGet(signed_note.name())}) {
    EXPECT_EQ(note.state(), SessionNote::STATE_SIGNED);
    EXPECT_EQ(note.content_sha256(), signed_note.content_sha256());
    EXPECT_EQ(SignedPart(note).SerializeAsString(), SignedPart(signed_note).SerializeAsString());
    EXPECT_EQ(IndependentContentSha256(note), note.content_sha256());
  }
  EXPECT_NE(one.etag(), signed_note.etag());
  EXPECT_NE(two.etag(), one.etag());
  EXPECT_EQ(MustGet(signed_note.name()).SerializeAsString(), two.SerializeAsString());
  EXPECT_EQ(CountRows("note_addenda"), 2);
}

TEST_F(NoteServiceTest, AnAddendumRetriedWithTheSameRequestIdIsAddedOnce) {
  SetUpGardener();
  const SessionNote signed_note =
      MustSign(MustCreate(gardener_, GardenerSession(gardener_plan_, DaysAgo(1), 6, 4)).name());
  SessionNote first;
  SessionNote retry;
  ASSERT_THAT(AddAddendum(signed_note.name(), "Client phoned", &first, "tablet-add-1"), IsOk());
  ASSERT_THAT(AddAddendum(signed_note.name(), "Client phoned", &retry, "tablet-add-1"), IsOk());
  EXPECT_EQ(retry.SerializeAsString(), first.SerializeAsString());
  EXPECT_EQ(MustGet(signed_note.name()).addenda_size(), 1);
  SessionNote out;
  EXPECT_THAT(AddAddendum(signed_note.name(), "Something else", &out, "tablet-add-1"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("request_id")));
  EXPECT_EQ(CountRows("note_addenda"), 1);
}

TEST_F(NoteServiceTest, AnEmptyAddendumIsRefused) {
  SetUpGardener();
  const SessionNote signed_note =
      MustSign(MustCreate(gardener_, GardenerSession(gardener_plan_, DaysAgo(1), 6, 4)).name());
  SessionNote out;
  const grpc::Status status = AddAddendum(signed_note.name(), "", &out);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("text")));
  EXPECT_THAT(ViolatedFields(status), ElementsAre("text"));
  EXPECT_THAT(AddAddendum(signed_note.name(), std::string(4097, 'x'), &out),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("text")));
  EXPECT_EQ(CountRows("note_addenda"), 0);
}

// --- ListNotes ---------------------------------------------------------------------------------

TEST_F(NoteServiceTest, ListShowsAClientsNotesNewestSessionFirstAcrossPages) {
  SetUpGardener();
  // Written out of order: the tablet caught up on older sessions later.
  const SessionNote middle =
      MustCreate(gardener_, GardenerSession(gardener_plan_, DaysAgo(14), 5, 3));
  const SessionNote oldest =
      MustCreate(gardener_, GardenerSession(gardener_plan_, DaysAgo(21), 6, 4));
  const SessionNote newest =
      MustCreate(gardener_, GardenerSession(gardener_plan_, DaysAgo(7), 4, 2));
  MustSign(middle.name());
  // Another client's note never shows.
  const auto [other, other_assessment] = NewScreenedClient("Olaf", "Other");
  const plans::v1::TreatmentPlan other_plan = NewPlan(other, other_assessment, GardenerPlan());
  MustCreate(other, GardenerSession(other_plan.name(), DaysAgo(3), 3, 2));

  v1::ListNotesRequest request;
  request.set_parent(gardener_);
  request.set_page_size(2);
  v1::ListNotesResponse page1;
  ASSERT_THAT(List(request, &page1), IsOk());
  ASSERT_EQ(page1.notes_size(), 2);
  EXPECT_EQ(page1.notes(0).name(), newest.name());
  EXPECT_EQ(page1.notes(1).name(), middle.name());
  EXPECT_EQ(page1.notes(1).state(), SessionNote::STATE_SIGNED);
  ASSERT_FALSE(page1.next_page_token().empty());

  request.set_page_token(page1.next_page_token());
  v1::ListNotesResponse page2;
  ASSERT_THAT(List(request, &page2), IsOk());
  ASSERT_EQ(page2.notes_size(), 1);
  EXPECT_EQ(page2.notes(0).name(), oldest.name());
  EXPECT_EQ(page2.next_page_token(), "");
}

TEST_F(NoteServiceTest, ListFiltersByPlanAndShowsAddenda) {
  const auto [client, assessment] = NewScreenedClient("Greta", "Gardner");
  const plans::v1::TreatmentPlan first_plan = NewPlan(client, assessment, GardenerPlan());
  const SessionNote under_first =
      MustSign(MustCreate(client, GardenerSession(first_plan.name(), DaysAgo(30), 6, 4)).name());
  SessionNote with_addendum;
  ASSERT_THAT(AddAddendum(under_first.name(), "Plan finished early", &with_addendum), IsOk());
  {
    plans::v1::CompletePlanRequest complete;
    complete.set_name(first_plan.name());
    plans::v1::TreatmentPlan out;
    grpc::ClientContext context;
    server_.Prepare(context, Role::kTherapist);
    ASSERT_THAT(plans_->CompletePlan(&context, complete, &out), IsOk());
  }
  const plans::v1::TreatmentPlan second_plan = NewPlan(client, assessment, GardenerPlan());
  const SessionNote under_second =
      MustCreate(client, GardenerSession(second_plan.name(), DaysAgo(2), 3, 2));

  v1::ListNotesRequest request;
  request.set_parent(client);
  request.set_plan(first_plan.name());
  v1::ListNotesResponse listed;
  ASSERT_THAT(List(request, &listed), IsOk());
  ASSERT_EQ(listed.notes_size(), 1);
  EXPECT_EQ(listed.notes(0).SerializeAsString(), with_addendum.SerializeAsString());

  request.set_plan(second_plan.name());
  ASSERT_THAT(List(request, &listed), IsOk());
  ASSERT_EQ(listed.notes_size(), 1);
  EXPECT_EQ(listed.notes(0).name(), under_second.name());

  request.clear_plan();
  ASSERT_THAT(List(request, &listed), IsOk());
  EXPECT_EQ(listed.notes_size(), 2);
}

TEST_F(NoteServiceTest, ListExplainsBadRequests) {
  SetUpGardener();
  for (int i = 0; i < 2; ++i) {
    MustCreate(gardener_, GardenerSession(gardener_plan_, DaysAgo(7 * (i + 1)), 5, 3));
  }
  const auto [other, other_assessment] = NewScreenedClient("Olaf", "Other");
  const plans::v1::TreatmentPlan other_plan = NewPlan(other, other_assessment, GardenerPlan());
  v1::ListNotesResponse out;

  v1::ListNotesRequest request;
  request.set_parent(gardener_);
  request.set_plan(other_plan.name());
  const grpc::Status foreign = List(request, &out);
  EXPECT_THAT(foreign, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("plan")));
  EXPECT_THAT(ViolatedFields(foreign), ElementsAre("plan"));
  EXPECT_THAT(out.notes(), IsEmpty());

  request.set_plan("plans/not-a-plan");
  EXPECT_THAT(ViolatedFields(List(request, &out)), ElementsAre("plan"));

  request.clear_plan();
  request.set_page_size(-1);
  EXPECT_THAT(List(request, &out),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_size")));

  // A page token is bound to its query.
  request.set_page_size(1);
  ASSERT_THAT(List(request, &out), IsOk());
  ASSERT_FALSE(out.next_page_token().empty());
  request.set_page_token(out.next_page_token());
  request.set_plan(gardener_plan_);
  EXPECT_THAT(List(request, &out),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_token")));

  v1::ListNotesRequest bad_parent;
  bad_parent.set_parent("therapists/ana");
  EXPECT_THAT(ViolatedFields(List(bad_parent, &out)), ElementsAre("parent"));
}

// --- GetPlanProgress ---------------------------------------------------------------------------

// The named case of issue 5: the gardener's six weekly sessions, one of them late.
TEST_F(NoteServiceTest, TheGardenersSixWeeklySessionsShowTheirProgress) {
  SetUpGardener();
  struct Session {
    int days_ago;
    int before;
    int after;
    std::vector<v1::AdverseEffect> effects;
  };
  // 7, 7, 10, 7 and 7 days apart; the last session 3 days ago.
  const std::vector<Session> sessions = {
      {41, 6, 4, {}}, {34, 5, 3, {v1::ADVERSE_EFFECT_SORENESS}},
      {27, 5, 3, {}}, {17, 4, 2, {v1::ADVERSE_EFFECT_SORENESS, v1::ADVERSE_EFFECT_BRUISING}},
      {10, 3, 2, {}}, {3, 2, 1, {}},
  };
  std::vector<std::string> names(sessions.size());
  std::vector<absl::Time> times;
  for (const Session& session : sessions) times.push_back(DaysAgo(session.days_ago));
  // Written and signed out of session order: progress sorts by when each session took place.
  for (size_t i : {2u, 0u, 5u, 1u, 4u, 3u}) {
    SessionNote note =
        GardenerSession(gardener_plan_, times[i], sessions[i].before, sessions[i].after);
    for (v1::AdverseEffect effect : sessions[i].effects) {
      note.mutable_assessment()->add_adverse_effects(effect);
    }
    names[i] = MustSign(MustCreate(gardener_, note).name()).name();
  }
  // A draft does not count, however bad its numbers.
  MustCreate(gardener_, GardenerSession(gardener_plan_, DaysAgo(1), 9, 9));

  v1::PlanProgress progress;
  ASSERT_THAT(Progress(gardener_plan_, &progress), IsOk());

  EXPECT_EQ(progress.plan(), gardener_plan_);
  EXPECT_EQ(progress.signed_sessions(), 6);
  EXPECT_EQ(progress.planned_sessions(), 6);
  EXPECT_EQ(progress.planned_interval_days(), 7);
  ASSERT_EQ(progress.sessions_size(), 6);
  for (size_t i = 0; i < sessions.size(); ++i) {
    EXPECT_EQ(progress.sessions(i).note(), names[i]) << i;
    EXPECT_EQ(progress.sessions(i).pain_before(), sessions[i].before) << i;
    EXPECT_EQ(progress.sessions(i).pain_after(), sessions[i].after) << i;
    EXPECT_EQ(TimeOf(progress.sessions(i).session_time()), times[i]) << i;
  }
  EXPECT_EQ(progress.first_pain(), 6);
  EXPECT_EQ(progress.latest_pain(), 2);
  EXPECT_EQ(progress.pain_change(), -4);
  EXPECT_THAT(progress.mean_relief(), DoubleNear(1.67, 0.005));

  std::vector<int> days;
  std::vector<bool> late;
  for (const v1::SessionGap& gap : progress.gaps()) {
    days.push_back(gap.days());
    late.push_back(gap.late());
  }
  EXPECT_THAT(days, ElementsAre(7, 7, 10, 7, 7));
  EXPECT_THAT(late, ElementsAre(false, false, true, false, false));
  EXPECT_EQ(progress.late_sessions(), 1);
  ASSERT_EQ(progress.gaps_size(), 5);
  EXPECT_EQ(progress.gaps(2).from_note(), names[2]);
  EXPECT_EQ(progress.gaps(2).to_note(), names[3]);

  EXPECT_EQ(progress.adverse_effect_count(), 3);
  ASSERT_EQ(progress.goals_size(), 2);
  EXPECT_EQ(progress.goals(0).description(), "Kneel in the garden for an hour with pain at most 2");
  EXPECT_EQ(progress.goals(0).target_pain(), 2);
  EXPECT_TRUE(progress.goals(0).met());
  EXPECT_EQ(progress.goals(1).description(), "Climb the stairs without holding the rail");
  EXPECT_FALSE(progress.goals(1).has_target_pain());
  EXPECT_FALSE(progress.goals(1).met());
}

TEST_F(NoteServiceTest, AFreshPlanHasNoProgressAndAnAbsentPlanIsNamed) {
  SetUpGardener();
  MustCreate(gardener_, GardenerSession(gardener_plan_, DaysAgo(1), 2, 1));  // A draft only.
  v1::PlanProgress progress;
  ASSERT_THAT(Progress(gardener_plan_, &progress), IsOk());
  EXPECT_EQ(progress.signed_sessions(), 0);
  EXPECT_EQ(progress.planned_sessions(), 6);
  EXPECT_THAT(progress.sessions(), IsEmpty());
  EXPECT_FALSE(progress.has_first_pain());
  EXPECT_FALSE(progress.has_latest_pain());
  EXPECT_FALSE(progress.has_pain_change());
  EXPECT_FALSE(progress.has_mean_relief());
  ASSERT_EQ(progress.goals_size(), 2);
  EXPECT_FALSE(progress.goals(0).met());

  const std::string absent = absl::StrCat(gardener_, "/plans/bbbbbbbbbbbbbbbbbbbbbbbb");
  EXPECT_THAT(Progress(absent, &progress),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr(absent)));
  EXPECT_THAT(ViolatedFields(Progress("clients/x", &progress)), ElementsAre("plan"));
}

// --- Access and audit --------------------------------------------------------------------------

TEST_F(NoteServiceTest, NoteCallsAreAuditedInAnIntactChain) {
  SetUpGardener();
  const SessionNote created =
      MustCreate(gardener_, GardenerSession(gardener_plan_, DaysAgo(1), 6, 4));
  MustGet(created.name());
  SessionNote patch;
  patch.set_name(created.name());
  patch.set_next_steps("Weekly");
  SessionNote out;
  ASSERT_THAT(Update(patch, {"next_steps"}, &out), IsOk());
  MustSign(created.name());
  ASSERT_THAT(AddAddendum(created.name(), "Phoned", &out), IsOk());
  v1::ListNotesRequest list;
  list.set_parent(gardener_);
  v1::ListNotesResponse listed;
  ASSERT_THAT(List(list, &listed), IsOk());
  v1::PlanProgress progress;
  ASSERT_THAT(Progress(gardener_plan_, &progress), IsOk());

  const std::string m(kMethodPrefix);
  EXPECT_THAT(NoteAuditRows(),
              UnorderedElementsAreArray({
                  absl::StrCat("ana ", m, "CreateNote ", created.name(), " 0"),
                  absl::StrCat("ana ", m, "GetNote ", created.name(), " 0"),
                  absl::StrCat("ana ", m, "UpdateNote ", created.name(), " 0"),
                  absl::StrCat("ana ", m, "SignNote ", created.name(), " 0"),
                  absl::StrCat("ana ", m, "AddAddendum ", created.name(), " 0"),
                  absl::StrCat("ana ", m, "ListNotes ", gardener_, " 0"),
                  absl::StrCat("ana ", m, "GetPlanProgress ", gardener_plan_, " 0"),
              }));
}

TEST_F(NoteServiceTest, ADeniedCallerCannotTellWhetherANoteExists) {
  SetUpGardener();
  const SessionNote existing =
      MustSign(MustCreate(gardener_, GardenerSession(gardener_plan_, DaysAgo(1), 6, 4)).name());
  for (Role role : {Role::kFrontDesk, Role::kService, Role::kAdmin}) {
    SessionNote out;
    auto get = [&](const std::string& name) {
      grpc::ClientContext context;
      server_.Prepare(context, role);
      v1::GetNoteRequest request;
      request.set_name(name);
      return notes_->GetNote(&context, request, &out);
    };
    const grpc::Status on_existing = get(existing.name());
    const grpc::Status on_absent = get(std::string(kAbsentNote));
    EXPECT_THAT(on_existing, StatusIs(absl::StatusCode::kPermissionDenied)) << RoleName(role);
    EXPECT_EQ(on_existing.error_message(), on_absent.error_message()) << RoleName(role);
    EXPECT_EQ(out.ByteSizeLong(), 0u) << "nothing clinical reaches a denied caller";

    grpc::ClientContext context;
    server_.Prepare(context, role);
    v1::AddAddendumRequest request;
    request.set_name(existing.name());
    request.set_text("Forged addendum");
    EXPECT_THAT(notes_->AddAddendum(&context, request, &out),
                StatusIs(absl::StatusCode::kPermissionDenied))
        << RoleName(role);
  }
  EXPECT_EQ(CountRows("note_addenda"), 0);
}

// Every note method × every role, plus callers without a valid token. Only THERAPIST gets past
// authorization (to NOT_FOUND, or an empty list: the requests name nothing that exists); the
// others get PERMISSION_DENIED before existence is checked, and each denial is audited.
TEST_F(NoteServiceTest, EveryMethodAndRoleFollowsTheAccessTable) {
  const std::set<Role> therapist = {Role::kTherapist};
  SessionNote out;
  v1::ListNotesResponse list_out;
  v1::PlanProgress progress_out;
  const std::vector<test::AccessRow> rows = {
      {"CreateNote", therapist, absl::StatusCode::kNotFound,
       [&](grpc::ClientContext* c) {
         v1::CreateNoteRequest r;
         r.set_parent(std::string(kAbsentClient));
         *r.mutable_note() = GardenerSession(std::string(kAbsentPlan), DaysAgo(1), 6, 4);
         return notes_->CreateNote(c, r, &out);
       }},
      {"GetNote", therapist, absl::StatusCode::kNotFound,
       [&](grpc::ClientContext* c) {
         v1::GetNoteRequest r;
         r.set_name(std::string(kAbsentNote));
         return notes_->GetNote(c, r, &out);
       }},
      {"UpdateNote", therapist, absl::StatusCode::kNotFound,
       [&](grpc::ClientContext* c) {
         v1::UpdateNoteRequest r;
         r.mutable_note()->set_name(std::string(kAbsentNote));
         r.mutable_note()->set_next_steps("Weekly");
         r.mutable_update_mask()->add_paths("next_steps");
         return notes_->UpdateNote(c, r, &out);
       }},
      {"SignNote", therapist, absl::StatusCode::kNotFound,
       [&](grpc::ClientContext* c) {
         v1::SignNoteRequest r;
         r.set_name(std::string(kAbsentNote));
         return notes_->SignNote(c, r, &out);
       }},
      {"AddAddendum", therapist, absl::StatusCode::kNotFound,
       [&](grpc::ClientContext* c) {
         v1::AddAddendumRequest r;
         r.set_name(std::string(kAbsentNote));
         r.set_text("Phoned");
         return notes_->AddAddendum(c, r, &out);
       }},
      {"ListNotes", therapist, absl::StatusCode::kOk,
       [&](grpc::ClientContext* c) {
         v1::ListNotesRequest r;
         r.set_parent(std::string(kAbsentClient));
         return notes_->ListNotes(c, r, &list_out);
       }},
      {"GetPlanProgress", therapist, absl::StatusCode::kNotFound,
       [&](grpc::ClientContext* c) {
         v1::GetPlanProgressRequest r;
         r.set_plan(std::string(kAbsentPlan));
         return notes_->GetPlanProgress(c, r, &progress_out);
       }},
  };
  EXPECT_EQ(test::WalkAccessTable(server_, "notes", kMethodPrefix, rows), 21);
  EXPECT_EQ(CountRows("notes"), 0);
}

}  // namespace
}  // namespace velknee::notes

#include "clients/cli/plan_commands.h"

#include <memory>
#include <optional>
#include <utility>

#include "absl/flags/flag.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "clients/cli/command_registry.h"
#include "clients/cli/dates.h"
#include "clients/cli/json_file.h"
#include "clients/cli/output.h"
#include "clients/cli/plain_words.h"
#include "clients/cli/plan_form.h"
#include "clients/cli/prompter.h"
#include "clients/cli/record_runner.h"
#include "clients/cli/restriction_failure.h"
#include "clients/cli/update_mask.h"
#include "velknee/intake/v1/intake_service.grpc.pb.h"
#include "velknee/plans/v1/treatment_plan_service.grpc.pb.h"

using velknee::cli::TextFlag;

ABSL_FLAG(TextFlag, assessment, {},
          "The submitted assessment the plan is written from, clients/ID/assessments/ID; the "
          "plan is for its client.");
ABSL_FLAG(TextFlag, state, {},
          "Only plans in this state: draft, active, completed or discontinued.");

namespace velknee::cli {
namespace {

using plans::v1::PlannedTechnique;
using plans::v1::TreatmentPlan;
using plans::v1::TreatmentPlanService;

constexpr char kPlanName[] = "clients/ID/plans/ID";
constexpr char kPlanMeaning[] = "the plan's resource name";

// The paths the guided form writes: `edit` without --from_file replaces all
// of them.
constexpr const char* kFormPaths[] = {"goals", "techniques", "cadence", "home_care"};

struct StateWord {
  TreatmentPlan::State state;
  const char* word;
};

constexpr StateWord kStateWords[] = {
    {TreatmentPlan::STATE_DRAFT, "draft"},
    {TreatmentPlan::STATE_ACTIVE, "active"},
    {TreatmentPlan::STATE_COMPLETED, "completed"},
    {TreatmentPlan::STATE_DISCONTINUED, "discontinued"},
};

std::string StateLabel(TreatmentPlan::State state) {
  for (const StateWord& entry : kStateWords) {
    if (entry.state == state) return entry.word;
  }
  return "";
}

std::optional<TreatmentPlan::State> ParseState(absl::string_view word) {
  for (const StateWord& entry : kStateWords) {
    if (absl::EqualsIgnoreCase(word, entry.word)) return entry.state;
  }
  return std::nullopt;
}

std::string GoalLine(const plans::v1::Goal& goal) {
  std::vector<std::string> notes;
  if (goal.has_target_pain()) notes.push_back(absl::StrCat("pain at most ", goal.target_pain()));
  if (const std::string date = FormatDate(goal.target_date()); !date.empty()) {
    notes.push_back(absl::StrCat("by ", date));
  }
  if (notes.empty()) return goal.description();
  return absl::StrCat(goal.description(), " (", absl::StrJoin(notes, ", "), ")");
}

std::string CadenceLine(const plans::v1::Cadence& cadence) {
  if (cadence.interval_days() == 0 && cadence.planned_sessions() == 0 &&
      cadence.session_minutes() == 0) {
    return "";
  }
  const std::string every = cadence.interval_days() == 7
                                ? "weekly"
                                : absl::StrCat("every ", cadence.interval_days(), " days");
  return absl::StrCat(every, ", ", cadence.planned_sessions(), " sessions of ",
                      cadence.session_minutes(), " minutes");
}

std::string ExerciseLine(const common::v1::HomeExercise& exercise) {
  std::string dose = absl::StrCat(exercise.sets(), exercise.sets() == 1 ? " set" : " sets");
  if (exercise.reps() > 0) absl::StrAppend(&dose, " of ", exercise.reps());
  if (exercise.hold_seconds() > 0) {
    absl::StrAppend(&dose, exercise.reps() > 0 ? ", " : " ", "hold ", exercise.hold_seconds(),
                    " s");
  }
  absl::StrAppend(&dose, ", ", exercise.times_per_week(), " times a week");
  std::string line = absl::StrCat(exercise.name(), ": ", dose);
  if (!exercise.instructions().empty()) absl::StrAppend(&line, " — ", exercise.instructions());
  return line;
}

// What `plan new` sends, as far as the flags say it: the plan of
// --from_file, or an empty one for the form, with --assessment (when given)
// as its assessment. NOT_FOUND or INVALID_ARGUMENT for an unreadable or
// malformed file; FAILED_PRECONDITION when no well-formed assessment name
// is given either way.
absl::StatusOr<TreatmentPlan> NewPlanFromFlags() {
  TreatmentPlan content;
  if (const TextFlag from_file = absl::GetFlag(FLAGS_from_file); from_file.given) {
    if (absl::Status read = ReadProtoJsonFile("from_file", from_file.value, content); !read.ok()) {
      return read;
    }
  }
  if (const TextFlag assessment = absl::GetFlag(FLAGS_assessment); assessment.given) {
    content.set_assessment(assessment.value);
  }
  if (ClientOfAssessment(content.assessment()).empty()) {
    return absl::FailedPreconditionError(
        content.assessment().empty()
            ? "plan new needs --assessment=clients/ID/assessments/ID (or an \"assessment\" in "
              "--from_file)"
            : absl::StrCat("--assessment: \"", content.assessment(),
                           "\" is not clients/ID/assessments/ID"));
  }
  return content;
}

class PlanRunner : public RecordRunner {
 public:
  PlanRunner(const CommandIo& io, const Connection& connection, absl::TimeZone time_zone)
      : RecordRunner(io, connection),
        in_(io.in),
        time_zone_(time_zone),
        stub_(TreatmentPlanService::NewStub(connection.channel(Service::kPlans))),
        intake_(intake::v1::IntakeService::NewStub(connection.channel(Service::kIntake))) {}

  // `content` holds --from_file's plan, or only the assessment for the
  // guided form; its assessment is known to be well formed.
  int New(TreatmentPlan content) {
    const bool from_file = absl::GetFlag(FLAGS_from_file).given;
    const std::string client = ClientOfAssessment(content.assessment());
    if (!from_file) {
      // Show the screening before the first question, so the plan is
      // written within its restrictions, and stop early when no plan can be
      // written from this assessment.
      intake::v1::Assessment assessment;
      intake::v1::GetAssessmentRequest get;
      get.set_name(content.assessment());
      grpc::Status status = connection_.CallWithRetries([&](grpc::ClientContext* context) {
        return intake_->GetAssessment(context, get, &assessment);
      });
      if (!status.ok()) return CallFailure(status);
      if (assessment.state() != intake::v1::Assessment::STATE_SUBMITTED) {
        io_.err << "error: " << assessment.name()
                << " is a draft; submit it first (intake submit) so it is screened\n";
        return kExitCallFailed;
      }
      Prompter prompter(in_, FormStream(), EchoAnswers(in_));
      prompter.Say(absl::StrCat("Assessment: ", assessment.name(), " (",
                                Truncated(assessment.chief_complaint(), 60), ")"));
      prompter.Say(ScreeningInPlainWords(assessment.screening()));
      if (assessment.screening().disposition() == common::v1::DISPOSITION_REFER_OUT) {
        io_.err << "error: " << assessment.name()
                << " was screened REFER OUT; no plan can be written from it until a "
                   "physician's clearance is recorded in a new assessment\n";
        return kExitCallFailed;
      }
      absl::StatusOr<TreatmentPlan> answers = TakePlanForm(prompter, assessment.screening());
      if (!answers.ok()) return FormFailure(answers.status());
      answers->set_assessment(content.assessment());
      content = *std::move(answers);
    }

    plans::v1::CreatePlanRequest request;
    request.set_parent(client);
    *request.mutable_plan() = std::move(content);
    request.set_request_id(RequestIdFromFlag());
    TreatmentPlan draft;
    // Safe to repeat: the server answers a repeated request_id with the plan
    // it created first.
    grpc::Status status = connection_.CallWithRetries(
        [&](grpc::ClientContext* context) { return stub_->CreatePlan(context, request, &draft); });
    if (!status.ok()) return CreateRefused(status, request.request_id());
    if (json_) return Print(draft, "");
    io_.out << PlanBlock(draft, time_zone_)
            << "\nDraft saved. To put it into effect: " << io_.program << " plan activate "
            << draft.name() << "\n";
    return kExitOk;
  }

  int Show(absl::string_view name) {
    TreatmentPlan plan;
    grpc::Status status = Get(name, plan);
    if (!status.ok()) return CallFailure(status);
    return Print(plan, PlanBlock(plan, time_zone_));
  }

  int Edit(absl::string_view name) {
    plans::v1::UpdatePlanRequest request;
    TreatmentPlan updated;
    const int exit = EditRecord<TreatmentPlan>(
        name, *request.mutable_plan(), *request.mutable_update_mask(), kFormPaths,
        [&](TreatmentPlan& patch, std::string& etag) {
          // Take the whole form again. Read the plan first: its screening
          // guides the form, and its etag keeps a change made by someone else
          // during the form from being overwritten.
          TreatmentPlan current;
          grpc::Status status = Get(name, current);
          if (!status.ok()) return CallFailure(status);
          if (current.state() != TreatmentPlan::STATE_DRAFT &&
              current.state() != TreatmentPlan::STATE_ACTIVE) {
            io_.err << "error: " << current.name() << " is " << StateLabel(current.state())
                    << " and can no longer change; write a new plan (plan new)\n";
            return kExitCallFailed;
          }
          Prompter prompter(in_, FormStream(), EchoAnswers(in_));
          prompter.Say(ScreeningInPlainWords(current.screening()));
          absl::StatusOr<TreatmentPlan> answers = TakePlanForm(prompter, current.screening());
          if (!answers.ok()) return FormFailure(answers.status(), "changed");
          patch = *std::move(answers);
          etag = current.etag();
          return kExitOk;
        },
        [&](grpc::ClientContext* context) {
          return stub_->UpdatePlan(context, request, &updated);
        });
    if (exit != kExitOk) return exit;
    return Print(updated, PlanBlock(updated, time_zone_));
  }

  // The state changes are not retried: after a lost answer a repeat fails as
  // "not DRAFT" (or "not ACTIVE") and would hide that the first one worked.
  int Activate(absl::string_view name) {
    plans::v1::ActivatePlanRequest request;
    request.set_name(std::string(name));
    request.set_etag(absl::GetFlag(FLAGS_etag).value);
    TreatmentPlan plan;
    grpc::Status status = stub_->ActivatePlan(connection_.NewCallContext().get(), request, &plan);
    return Changed(status, plan);
  }

  int Complete(absl::string_view name) {
    plans::v1::CompletePlanRequest request;
    request.set_name(std::string(name));
    request.set_reason(absl::GetFlag(FLAGS_reason).value);
    request.set_etag(absl::GetFlag(FLAGS_etag).value);
    TreatmentPlan plan;
    grpc::Status status = stub_->CompletePlan(connection_.NewCallContext().get(), request, &plan);
    return Changed(status, plan);
  }

  int Discontinue(absl::string_view name) {
    plans::v1::DiscontinuePlanRequest request;
    request.set_name(std::string(name));
    request.set_reason(absl::GetFlag(FLAGS_reason).value);
    request.set_etag(absl::GetFlag(FLAGS_etag).value);
    TreatmentPlan plan;
    grpc::Status status =
        stub_->DiscontinuePlan(connection_.NewCallContext().get(), request, &plan);
    return Changed(status, plan);
  }

  int List(std::optional<TreatmentPlan::State> state) {
    plans::v1::ListPlansRequest request;
    request.set_parent(ClientName(absl::GetFlag(FLAGS_client).value));
    if (state.has_value()) request.set_state(*state);
    request.set_page_size(absl::GetFlag(FLAGS_page_size));
    request.set_page_token(absl::GetFlag(FLAGS_page_token).value);
    plans::v1::ListPlansResponse page;
    grpc::Status status = connection_.CallWithRetries(
        [&](grpc::ClientContext* context) { return stub_->ListPlans(context, request, &page); });
    if (!status.ok()) return CallFailure(status);
    return Print(page, PlanTable(page, io_.program, request, time_zone_));
  }

 private:
  grpc::Status Get(absl::string_view name, TreatmentPlan& plan) {
    plans::v1::GetPlanRequest request;
    request.set_name(std::string(name));
    return connection_.CallWithRetries(
        [&](grpc::ClientContext* context) { return stub_->GetPlan(context, request, &plan); });
  }

  int Changed(const grpc::Status& status, const TreatmentPlan& plan) {
    if (!status.ok()) return CallFailure(status);
    return Print(plan, PlanBlock(plan, time_zone_));
  }

  std::istream& in_;
  const absl::TimeZone time_zone_;
  const std::unique_ptr<TreatmentPlanService::Stub> stub_;
  const std::unique_ptr<intake::v1::IntakeService::Stub> intake_;
};

}  // namespace

std::string ClientOfAssessment(absl::string_view assessment) {
  const std::vector<absl::string_view> parts = absl::StrSplit(assessment, '/');
  if (parts.size() != 4 || parts[0] != "clients" || parts[1].empty() || parts[2] != "assessments" ||
      parts[3].empty()) {
    return "";
  }
  return absl::StrCat("clients/", parts[1]);
}

std::string PlanBlock(const TreatmentPlan& plan, absl::TimeZone time_zone) {
  std::string ended = FormatTimestamp(plan.end_time(), time_zone);
  if (!plan.end_reason().empty()) {
    absl::StrAppend(&ended, ended.empty() ? "" : ": ", plan.end_reason());
  }
  std::vector<std::pair<std::string, std::string>> rows = {
      {"Plan", plan.name()},
      {"Assessment", plan.assessment()},
      {"State", StateLabel(plan.state())},
      {"Therapist", plan.therapist()},
      {"Created", FormatTimestamp(plan.create_time(), time_zone)},
  };
  if (plan.has_activate_time()) {
    rows.push_back({"Activated", FormatTimestamp(plan.activate_time(), time_zone)});
  }
  if (!ended.empty()) rows.push_back({"Ended", ended});
  if (plan.goals().empty()) rows.push_back({"Goals", ""});
  for (int i = 0; i < plan.goals_size(); ++i) {
    rows.push_back({absl::StrCat("Goal ", i + 1), GoalLine(plan.goals(i))});
  }
  if (plan.techniques().empty()) rows.push_back({"Techniques", ""});
  for (int i = 0; i < plan.techniques_size(); ++i) {
    const PlannedTechnique& technique = plan.techniques(i);
    rows.push_back(
        {absl::StrCat("Technique ", i + 1),
         absl::StrCat(PlannedTechniqueInPlainWords(technique), ", ", technique.minutes(), " min")});
  }
  rows.push_back({"Cadence", CadenceLine(plan.cadence())});
  if (plan.home_care().empty()) rows.push_back({"Home care", ""});
  for (int i = 0; i < plan.home_care_size(); ++i) {
    rows.push_back({absl::StrCat("Home care ", i + 1), ExerciseLine(plan.home_care(i))});
  }
  rows.push_back({"Etag", plan.etag()});
  std::string out = LabelledBlock(rows);
  if (plan.screening().disposition() != common::v1::DISPOSITION_UNSPECIFIED) {
    absl::StrAppend(&out, "\n", ScreeningInPlainWords(plan.screening()));
  }
  return out;
}

std::string PlanTable(const plans::v1::ListPlansResponse& page, absl::string_view program,
                      const plans::v1::ListPlansRequest& request, absl::TimeZone time_zone) {
  std::string out;
  if (page.plans().empty()) {
    out = "No plans found.\n";
  } else {
    std::vector<std::vector<std::string>> rows;
    for (const TreatmentPlan& plan : page.plans()) {
      rows.push_back({plan.name(), StateLabel(plan.state()),
                      FormatTimestamp(plan.create_time(), time_zone), plan.therapist(),
                      CadenceLine(plan.cadence()),
                      plan.goals().empty() ? "" : Truncated(plan.goals(0).description(), 40)});
    }
    out = AlignedTable({"RESOURCE NAME", "STATE", "CREATED", "THERAPIST", "CADENCE", "FIRST GOAL"},
                       rows);
  }
  if (!page.next_page_token().empty()) {
    absl::StrAppend(&out, "\nMore plans: ", program,
                    " plan list --client=", ShellQuote(request.parent()));
    if (request.state() != TreatmentPlan::STATE_UNSPECIFIED) {
      absl::StrAppend(&out, " --state=", StateLabel(request.state()));
    }
    if (request.page_size() != 0) absl::StrAppend(&out, " --page_size=", request.page_size());
    absl::StrAppend(&out, " --page_token=", ShellQuote(page.next_page_token()), "\n");
  }
  return out;
}

void RegisterPlanCommands(CommandRegistry& registry) {
  registry.Add({{"plan", "new"},
                "write a treatment plan from a submitted assessment, with the guided form (or "
                "--from_file)",
                "",
                "",
                {{"assessment", "clients/ID/assessments/ID"},
                 {"from_file", "PLAN.json"},
                 RequestIdFlag(),
                 TimeZoneFlag()},
                [](const Invocation&, const CommandIo& io) {
                  absl::StatusOr<TreatmentPlan> content = NewPlanFromFlags();
                  if (!content.ok()) return UsageError(io, content.status().message());
                  return WithZonedRunner<PlanRunner>(
                      io, [&](PlanRunner& runner) { return runner.New(*std::move(content)); });
                }});
  registry.Add({{"plan", "show"},
                "show a plan, with the screening it keeps to",
                kPlanName,
                kPlanMeaning,
                {TimeZoneFlag()},
                OnNamedRecord<PlanRunner>([](PlanRunner& runner, const std::string& name) {
                  return runner.Show(name);
                })});
  registry.Add({{"plan", "edit"},
                "change a draft or active plan with the form, or from a patch file",
                kPlanName,
                kPlanMeaning,
                {{"from_file", "PATCH.json"}, UpdateMaskFlag(), EtagFlag(), TimeZoneFlag()},
                OnNamedRecord<PlanRunner>([](PlanRunner& runner, const std::string& name) {
                  return runner.Edit(name);
                })});
  registry.Add({{"plan", "activate"},
                "make a draft plan the client's active one",
                kPlanName,
                kPlanMeaning,
                {EtagFlag(), TimeZoneFlag()},
                OnNamedRecord<PlanRunner>([](PlanRunner& runner, const std::string& name) {
                  return runner.Activate(name);
                })});
  registry.Add({{"plan", "complete"},
                "end a plan whose goals were met",
                kPlanName,
                kPlanMeaning,
                {{"reason", "TEXT"}, EtagFlag(), TimeZoneFlag()},
                OnNamedRecord<PlanRunner>([](PlanRunner& runner, const std::string& name) {
                  return runner.Complete(name);
                })});
  registry.Add({{"plan", "discontinue"},
                "stop a plan before it is complete",
                kPlanName,
                kPlanMeaning,
                {{"reason", "TEXT", true, "why the plan stops"}, EtagFlag(), TimeZoneFlag()},
                OnNamedRecord<PlanRunner>([](PlanRunner& runner, const std::string& name) {
                  return runner.Discontinue(name);
                })});
  registry.Add({{"plan", "list"},
                "list a client's plans",
                "",
                "",
                {ClientFlag(/*required=*/true),
                 {"state", "draft|active|completed|discontinued"},
                 PageSizeFlag(),
                 PageTokenFlag(),
                 TimeZoneFlag()},
                [](const Invocation&, const CommandIo& io) {
                  std::optional<TreatmentPlan::State> state;
                  if (const TextFlag flag = absl::GetFlag(FLAGS_state); flag.given) {
                    state = ParseState(flag.value);
                    if (!state.has_value()) {
                      return UsageError(io,
                                        absl::StrCat("--state: \"", flag.value,
                                                     "\" is not one of draft, active, completed, "
                                                     "discontinued"));
                    }
                  }
                  return WithZonedRunner<PlanRunner>(
                      io, [&](PlanRunner& runner) { return runner.List(state); });
                }});
}

}  // namespace velknee::cli

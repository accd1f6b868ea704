#include "clients/cli/assessment_commands.h"

#include <memory>
#include <optional>
#include <utility>

#include "absl/flags/flag.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "clients/cli/command.h"
#include "clients/cli/command_registry.h"
#include "clients/cli/dates.h"
#include "clients/cli/error_line.h"
#include "clients/cli/intake_form.h"
#include "clients/cli/json_file.h"
#include "clients/cli/output.h"
#include "clients/cli/plain_words.h"
#include "clients/cli/prompter.h"
#include "clients/cli/record_runner.h"
#include "clients/cli/text_flag.h"
#include "clients/cli/update_mask.h"
#include "velknee/intake/v1/intake_service.grpc.pb.h"

using velknee::cli::TextFlag;

ABSL_FLAG(bool, submit, false, "Submit the assessment right after creating it.");

namespace velknee::cli {
namespace {

using intake::v1::Assessment;
using intake::v1::IntakeService;

constexpr char kAssessmentName[] = "clients/ID/assessments/ID";
constexpr char kAssessmentMeaning[] = "the assessment's resource name";

// The paths the guided form writes: `edit` without --from_file replaces all
// of them, so an answer left out this time is cleared rather than kept.
constexpr const char* kFormPaths[] = {"chief_complaint",
                                      "pain",
                                      "prior_care",
                                      "medications",
                                      "health_screen_completed",
                                      "conditions",
                                      "medical_clearance",
                                      "findings",
                                      "goals",
                                      "lefs_score",
                                      "consent"};

std::string StateLabel(Assessment::State state) {
  switch (state) {
    case Assessment::STATE_DRAFT:
      return "draft";
    case Assessment::STATE_SUBMITTED:
      return "submitted";
    default:
      return "";
  }
}

std::string PainLevels(const intake::v1::Pain& pain) {
  std::vector<std::string> parts;
  if (pain.has_current()) parts.push_back(absl::StrCat("now ", pain.current()));
  if (pain.has_worst()) parts.push_back(absl::StrCat("worst ", pain.worst()));
  if (pain.has_best()) parts.push_back(absl::StrCat("least ", pain.best()));
  return absl::StrJoin(parts, ", ");
}

std::string Onset(const intake::v1::Pain& pain) {
  std::string onset;
  if (pain.onset() == intake::v1::Pain::ONSET_GRADUAL) onset = "gradual";
  if (pain.onset() == intake::v1::Pain::ONSET_SUDDEN) onset = "sudden";
  const std::string date = FormatDate(pain.onset_date());
  if (!date.empty()) {
    absl::StrAppend(&onset, onset.empty() ? "since " : ", since ", date);
  }
  return onset;
}

std::string ConditionLine(const intake::v1::ConditionFlag& flag) {
  std::string line(ConditionInPlainWords(flag.condition()));
  std::vector<std::string> notes;
  for (const common::v1::Region& region : flag.regions()) {
    notes.push_back(RegionInPlainWords(region));
  }
  if (const std::string since = FormatDate(flag.since()); !since.empty()) {
    notes.push_back(absl::StrCat("since ", since));
  }
  if (!flag.details().empty()) notes.push_back(flag.details());
  if (!notes.empty()) absl::StrAppend(&line, " (", absl::StrJoin(notes, "; "), ")");
  return line;
}

class IntakeRunner : public RecordRunner {
 public:
  IntakeRunner(const CommandIo& io, const Connection& connection, absl::TimeZone time_zone)
      : RecordRunner(io, connection),
        in_(io.in),
        time_zone_(time_zone),
        stub_(IntakeService::NewStub(connection.channel(Service::kIntake))) {}

  int New() {
    const std::string client = ClientName(absl::GetFlag(FLAGS_client).value);
    const TextFlag from_file = absl::GetFlag(FLAGS_from_file);
    Assessment content;
    if (from_file.given) {
      if (absl::Status read = ReadProtoJsonFile("from_file", from_file.value, content);
          !read.ok()) {
        return LocalFailure(read);
      }
    } else {
      // Check the client before asking sixty questions about them.
      intake::v1::Client found;
      intake::v1::GetClientRequest get;
      get.set_name(client);
      grpc::Status status = connection_.CallWithRetries(
          [&](grpc::ClientContext* context) { return stub_->GetClient(context, get, &found); });
      if (!status.ok()) return CallFailure(status);
      if (found.state() == intake::v1::Client::STATE_ARCHIVED) {
        io_.err << "error: " << client << " is archived; an assessment needs an active client\n";
        return kExitCallFailed;
      }
      Prompter prompter(in_, FormStream(), EchoAnswers(in_));
      prompter.Say(absl::StrCat("Client: ", found.given_name(), " ", found.family_name(), " (",
                                client, ")"));
      absl::StatusOr<Assessment> answers = TakeIntakeForm(prompter, LocalToday());
      if (!answers.ok()) return FormFailure(answers.status());
      content = *std::move(answers);
    }

    intake::v1::CreateAssessmentRequest request;
    request.set_parent(client);
    *request.mutable_assessment() = std::move(content);
    request.set_request_id(RequestIdFromFlag());
    Assessment draft;
    // Safe to repeat: the server answers a repeated request_id with the
    // assessment it created first.
    grpc::Status status = connection_.CallWithRetries([&](grpc::ClientContext* context) {
      return stub_->CreateAssessment(context, request, &draft);
    });
    if (!status.ok()) {
      // The draft may exist and only the answer was lost.
      return CreateFailure(status, from_file.given
                                       ? RetryWithRequestIdHint(request.request_id())
                                       : absl::StrCat("the draft may have been created: check "
                                                      "with intake list --client=",
                                                      client, " before taking the form again"));
    }
    if (!absl::GetFlag(FLAGS_submit)) return PrintAssessment(draft, true);

    Assessment submitted;
    status = Submit(draft.name(), draft.etag(), submitted);
    if (!status.ok()) {
      // The draft exists: show it, so the therapist can complete and submit it.
      PrintAssessment(draft, true);
      io_.err << ErrorLine(status) << "; the draft " << draft.name() << " was kept\n";
      return kExitCallFailed;
    }
    return PrintSubmitted(submitted);
  }

  int Show(absl::string_view name) {
    Assessment assessment;
    grpc::Status status = Get(name, assessment);
    if (!status.ok()) return CallFailure(status);
    return PrintAssessment(assessment, false);
  }

  int Edit(absl::string_view name) {
    intake::v1::UpdateAssessmentRequest request;
    Assessment updated;
    const int exit = EditRecord<Assessment>(
        name, *request.mutable_assessment(), *request.mutable_update_mask(), kFormPaths,
        [&](Assessment& patch, std::string& etag) {
          // Take the whole form again over the draft. Read it first: a
          // submitted assessment is locked, and its etag keeps a change made
          // by someone else during the form from being overwritten.
          Assessment current;
          grpc::Status status = Get(name, current);
          if (!status.ok()) return CallFailure(status);
          if (current.state() == Assessment::STATE_SUBMITTED) {
            io_.err << "error: " << current.name()
                    << " is submitted and locked; a reassessment is a new "
                       "assessment (intake new)\n";
            return kExitCallFailed;
          }
          Prompter prompter(in_, FormStream(), EchoAnswers(in_));
          absl::StatusOr<Assessment> answers = TakeIntakeForm(prompter, LocalToday());
          if (!answers.ok()) return FormFailure(answers.status(), "changed");
          patch = *std::move(answers);
          etag = current.etag();
          return kExitOk;
        },
        [&](grpc::ClientContext* context) {
          return stub_->UpdateAssessment(context, request, &updated);
        });
    if (exit != kExitOk) return exit;
    return PrintAssessment(updated, false);
  }

  int SubmitCommand(absl::string_view name) {
    Assessment submitted;
    grpc::Status status = Submit(std::string(name), absl::GetFlag(FLAGS_etag).value, submitted);
    if (!status.ok()) return CallFailure(status);
    return PrintSubmitted(submitted);
  }

  int List() {
    intake::v1::ListAssessmentsRequest request;
    request.set_parent(ClientName(absl::GetFlag(FLAGS_client).value));
    request.set_page_size(absl::GetFlag(FLAGS_page_size));
    request.set_page_token(absl::GetFlag(FLAGS_page_token).value);
    intake::v1::ListAssessmentsResponse page;
    grpc::Status status = connection_.CallWithRetries([&](grpc::ClientContext* context) {
      return stub_->ListAssessments(context, request, &page);
    });
    if (!status.ok()) return CallFailure(status);
    return Print(page, AssessmentTable(page, io_.program, request, time_zone_));
  }

 private:
  grpc::Status Get(absl::string_view name, Assessment& assessment) {
    intake::v1::GetAssessmentRequest request;
    request.set_name(std::string(name));
    return connection_.CallWithRetries([&](grpc::ClientContext* context) {
      return stub_->GetAssessment(context, request, &assessment);
    });
  }

  // Not retried: after a lost answer a repeat fails as "already submitted"
  // and would hide that the first attempt worked.
  grpc::Status Submit(const std::string& name, const std::string& etag, Assessment& submitted) {
    intake::v1::SubmitAssessmentRequest request;
    request.set_name(name);
    request.set_etag(etag);
    return stub_->SubmitAssessment(connection_.NewCallContext().get(), request, &submitted);
  }

  int PrintAssessment(const Assessment& assessment, bool created) {
    if (json_) {
      io_.out << ProtoJson(assessment);
      return kExitOk;
    }
    io_.out << AssessmentBlock(assessment, time_zone_);
    if (created && assessment.state() == Assessment::STATE_DRAFT) {
      io_.out << "\nDraft saved. To submit it: " << io_.program << " intake submit "
              << assessment.name() << "\n";
    }
    return kExitOk;
  }

  int PrintSubmitted(const Assessment& assessment) {
    if (json_) {
      io_.out << ProtoJson(assessment);
      return kExitOk;
    }
    io_.out << ScreeningInPlainWords(assessment.screening()) << "\nSubmitted " << assessment.name();
    if (const std::string time = FormatTimestamp(assessment.submit_time(), time_zone_);
        !time.empty()) {
      io_.out << " at " << time;
    }
    io_.out << "; it is now locked.\n";
    return kExitOk;
  }

  std::istream& in_;
  const absl::TimeZone time_zone_;
  const std::unique_ptr<IntakeService::Stub> stub_;
};

}  // namespace

std::string AssessmentBlock(const Assessment& assessment, absl::TimeZone time_zone) {
  const intake::v1::Pain& pain = assessment.pain();
  std::vector<std::string> regions;
  for (const common::v1::Region& region : pain.regions()) {
    regions.push_back(RegionInPlainWords(region));
  }
  std::vector<std::string> prior_care;
  for (int care : assessment.prior_care()) {
    prior_care.push_back(PriorCareInPlainWords(static_cast<intake::v1::PriorCare>(care)));
  }
  std::string screen = "not done";
  if (assessment.health_screen_completed()) {
    screen = assessment.conditions().empty()
                 ? "complete: no conditions"
                 : absl::StrCat("complete: ", assessment.conditions_size(),
                                assessment.conditions_size() == 1 ? " condition" : " conditions");
  }
  std::string clearance = assessment.medical_clearance().cleared_by();
  if (const std::string date = FormatDate(assessment.medical_clearance().clearance_date());
      !date.empty()) {
    absl::StrAppend(&clearance, " on ", date);
  }
  std::string consent = "not given";
  if (assessment.consent().informed_consent()) {
    consent = "given";
    if (!assessment.consent().signer_name().empty()) {
      absl::StrAppend(&consent, ", signed by ", assessment.consent().signer_name());
    }
    if (const std::string time = FormatTimestamp(assessment.consent().sign_time(), time_zone);
        !time.empty()) {
      absl::StrAppend(&consent, " at ", time);
    }
  }

  std::vector<std::pair<std::string, std::string>> rows = {
      {"Assessment", assessment.name()},
      {"State", StateLabel(assessment.state())},
      {"Therapist", assessment.therapist()},
      {"Created", FormatTimestamp(assessment.create_time(), time_zone)},
      {"Submitted", FormatTimestamp(assessment.submit_time(), time_zone)},
      {"Chief complaint", assessment.chief_complaint()},
      {"Pain regions", absl::StrJoin(regions, "; ")},
      {"Pain (NPRS 0-10)", PainLevels(pain)},
      {"Onset", Onset(pain)},
      {"Worse with", absl::StrJoin(pain.aggravating_activities(), "; ")},
      {"Better with", absl::StrJoin(pain.easing_factors(), "; ")},
      {"Prior care", absl::StrJoin(prior_care, "; ")},
      {"Medications", absl::StrJoin(assessment.medications(), "; ")},
      {"Health screen", screen},
  };
  for (int i = 0; i < assessment.conditions_size(); ++i) {
    rows.push_back({absl::StrCat("Condition ", i + 1), ConditionLine(assessment.conditions(i))});
  }
  rows.push_back({"Medical clearance", clearance});
  if (assessment.findings().empty()) rows.push_back({"Findings", ""});
  for (int i = 0; i < assessment.findings_size(); ++i) {
    rows.push_back({absl::StrCat("Finding ", i + 1), FindingInPlainWords(assessment.findings(i))});
  }
  rows.push_back({"Goals", absl::StrJoin(assessment.goals(), "; ")});
  rows.push_back(
      {"LEFS (0-80)", assessment.has_lefs_score() ? absl::StrCat(assessment.lefs_score()) : ""});
  rows.push_back({"Consent", consent});
  rows.push_back({"Etag", assessment.etag()});
  std::string out = LabelledBlock(rows);
  if (assessment.screening().disposition() != common::v1::DISPOSITION_UNSPECIFIED) {
    absl::StrAppend(&out, "\n", ScreeningInPlainWords(assessment.screening()));
  }
  return out;
}

std::string AssessmentTable(const intake::v1::ListAssessmentsResponse& page,
                            absl::string_view program,
                            const intake::v1::ListAssessmentsRequest& request,
                            absl::TimeZone time_zone) {
  std::string out;
  if (page.assessments().empty()) {
    out = "No assessments found.\n";
  } else {
    std::vector<std::vector<std::string>> rows;
    for (const Assessment& assessment : page.assessments()) {
      rows.push_back({assessment.name(), StateLabel(assessment.state()),
                      FormatTimestamp(assessment.create_time(), time_zone), assessment.therapist(),
                      Truncated(assessment.chief_complaint(), 40),
                      assessment.state() == Assessment::STATE_SUBMITTED
                          ? DispositionLabel(assessment.screening().disposition())
                          : ""});
    }
    out = AlignedTable(
        {"RESOURCE NAME", "STATE", "CREATED", "THERAPIST", "CHIEF COMPLAINT", "SCREENING"}, rows);
  }
  if (!page.next_page_token().empty()) {
    absl::StrAppend(&out, "\nMore assessments: ", program,
                    " intake list --client=", ShellQuote(request.parent()));
    if (request.page_size() != 0) {
      absl::StrAppend(&out, " --page_size=", request.page_size());
    }
    absl::StrAppend(&out, " --page_token=", ShellQuote(page.next_page_token()), "\n");
  }
  return out;
}

void RegisterIntakeCommands(CommandRegistry& registry) {
  registry.Add({{"intake", "new"},
                "take an intake assessment with the guided form (or --from_file)",
                "",
                "",
                {ClientFlag(/*required=*/true),
                 {"from_file", "FORM.json"},
                 {"submit", ""},
                 RequestIdFlag(),
                 TimeZoneFlag()},
                [](const Invocation&, const CommandIo& io) {
                  return WithZonedRunner<IntakeRunner>(
                      io, [](IntakeRunner& runner) { return runner.New(); });
                }});
  registry.Add({{"intake", "show"},
                "show an assessment, and its screening once submitted",
                kAssessmentName,
                kAssessmentMeaning,
                {TimeZoneFlag()},
                OnNamedRecord<IntakeRunner>([](IntakeRunner& runner, const std::string& name) {
                  return runner.Show(name);
                })});
  registry.Add({{"intake", "edit"},
                "change a draft assessment with the form, or from a patch file",
                kAssessmentName,
                kAssessmentMeaning,
                {{"from_file", "PATCH.json"}, UpdateMaskFlag(), EtagFlag(), TimeZoneFlag()},
                OnNamedRecord<IntakeRunner>([](IntakeRunner& runner, const std::string& name) {
                  return runner.Edit(name);
                })});
  registry.Add({{"intake", "submit"},
                "submit an assessment for the contraindication screening",
                kAssessmentName,
                kAssessmentMeaning,
                {EtagFlag(), TimeZoneFlag()},
                OnNamedRecord<IntakeRunner>([](IntakeRunner& runner, const std::string& name) {
                  return runner.SubmitCommand(name);
                })});
  registry.Add({{"intake", "list"},
                "list a client's assessments, newest first",
                "",
                "",
                {ClientFlag(/*required=*/true), PageSizeFlag(), PageTokenFlag(), TimeZoneFlag()},
                [](const Invocation&, const CommandIo& io) {
                  return WithZonedRunner<IntakeRunner>(
                      io, [](IntakeRunner& runner) { return runner.List(); });
                }});
}

}  // namespace velknee::cli

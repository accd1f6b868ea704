#include "clients/cli/note_commands.h"

#include <memory>
#include <utility>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "clients/cli/command_registry.h"
#include "clients/cli/dates.h"
#include "clients/cli/json_file.h"
#include "clients/cli/note_form.h"
#include "clients/cli/output.h"
#include "clients/cli/plain_words.h"
#include "clients/cli/progress_report.h"
#include "clients/cli/prompter.h"
#include "clients/cli/record_runner.h"
#include "clients/cli/restriction_failure.h"
#include "clients/cli/update_mask.h"
#include "velknee/notes/v1/session_note_service.grpc.pb.h"
#include "velknee/plans/v1/treatment_plan_service.grpc.pb.h"

using velknee::cli::TextFlag;

ABSL_FLAG(TextFlag, appointment, {},
          "The appointment the session took place in, appointments/ID; signing the note "
          "completes it.");
ABSL_FLAG(TextFlag, text, {}, "What the addendum says.");

namespace velknee::cli {
namespace {

using notes::v1::SessionNote;
using notes::v1::SessionNoteService;
using plans::v1::TreatmentPlan;
using plans::v1::TreatmentPlanService;

constexpr char kNoteName[] = "clients/ID/notes/ID";
constexpr char kNoteMeaning[] = "the note's resource name";

// The paths the guided form writes: `edit` without --from_file replaces all
// of them.
constexpr const char* kFormPaths[] = {"session_time", "duration_minutes", "subjective", "objective",
                                      "applied",      "assessment",       "next_steps"};

std::string StateLabel(SessionNote::State state) {
  switch (state) {
    case SessionNote::STATE_DRAFT:
      return "draft";
    case SessionNote::STATE_SIGNED:
      return "signed";
    default:
      return "";
  }
}

std::string PlanStateLabel(TreatmentPlan::State state) {
  switch (state) {
    case TreatmentPlan::STATE_DRAFT:
      return "a draft; activate it first (plan activate)";
    case TreatmentPlan::STATE_COMPLETED:
      return "completed";
    case TreatmentPlan::STATE_DISCONTINUED:
      return "discontinued";
    default:
      return "not active";
  }
}

std::string OrDash(bool present, int value) { return present ? absl::StrCat(value) : "-"; }

std::string PainBeforeAfter(const SessionNote& note) {
  if (!note.subjective().has_pain_before() && !note.assessment().has_pain_after()) return "";
  return absl::StrCat(OrDash(note.subjective().has_pain_before(), note.subjective().pain_before()),
                      " -> ",
                      OrDash(note.assessment().has_pain_after(), note.assessment().pain_after()));
}

class NoteRunner : public RecordRunner {
 public:
  NoteRunner(const CommandIo& io, const Connection& connection, absl::TimeZone time_zone)
      : RecordRunner(io, connection),
        in_(io.in),
        time_zone_(time_zone),
        stub_(SessionNoteService::NewStub(connection.channel(Service::kNotes))),
        plans_(TreatmentPlanService::NewStub(connection.channel(Service::kPlans))) {}

  // `content` holds --from_file's note, or only the plan for the guided form;
  // its plan is known to be well formed.
  int New(SessionNote content) {
    const std::string client = ClientOfPlan(content.plan());
    if (!absl::GetFlag(FLAGS_from_file).given) {
      // Show the plan's techniques and restrictions before the first
      // question, so the session is written within them, and stop early when
      // no note can be written under this plan.
      TreatmentPlan plan;
      grpc::Status status = GetPlan(content.plan(), plan);
      if (!status.ok()) return CallFailure(status);
      if (plan.state() != TreatmentPlan::STATE_ACTIVE) {
        io_.err << "error: " << plan.name() << " is " << PlanStateLabel(plan.state())
                << "; session notes are written under an active plan\n";
        return kExitCallFailed;
      }
      Prompter prompter(in_, FormStream(), EchoAnswers(in_));
      prompter.Say(PlanBriefing(plan));
      absl::StatusOr<SessionNote> answers = TakeNoteForm(prompter, plan, absl::Now(), time_zone_);
      if (!answers.ok()) return FormFailure(answers.status());
      answers->set_plan(content.plan());
      answers->set_appointment(content.appointment());
      content = *std::move(answers);
    }

    notes::v1::CreateNoteRequest request;
    request.set_parent(client);
    *request.mutable_note() = std::move(content);
    request.set_request_id(RequestIdFromFlag());
    SessionNote draft;
    // Safe to repeat: the server answers a repeated request_id with the note
    // it created first.
    grpc::Status status = connection_.CallWithRetries(
        [&](grpc::ClientContext* context) { return stub_->CreateNote(context, request, &draft); });
    if (!status.ok()) return CreateRefused(status, request.request_id());
    if (json_) return Print(draft, "");
    io_.out << NoteBlock(draft, time_zone_) << "\nDraft saved. To sign it: " << io_.program
            << " note sign " << draft.name() << "\n";
    return kExitOk;
  }

  int Show(absl::string_view name) {
    SessionNote note;
    grpc::Status status = Get(name, note);
    if (!status.ok()) return CallFailure(status);
    return Print(note, NoteBlock(note, time_zone_));
  }

  int Edit(absl::string_view name) {
    notes::v1::UpdateNoteRequest request;
    SessionNote updated;
    const int exit = EditRecord<SessionNote>(
        name, *request.mutable_note(), *request.mutable_update_mask(), kFormPaths,
        [&](SessionNote& patch, std::string& etag) {
          // Take the whole form again. Read the note and its plan first: a
          // signed note is locked, the plan's screening guides the form, and
          // the note's etag keeps a change made meanwhile from being
          // overwritten.
          SessionNote current;
          grpc::Status status = Get(name, current);
          if (!status.ok()) return CallFailure(status);
          if (current.state() == SessionNote::STATE_SIGNED) {
            io_.err << "error: " << current.name()
                    << " is signed and can no longer change; add an addendum (note addendum)\n";
            return kExitCallFailed;
          }
          TreatmentPlan plan;
          status = GetPlan(current.plan(), plan);
          if (!status.ok()) return CallFailure(status);
          Prompter prompter(in_, FormStream(), EchoAnswers(in_));
          prompter.Say(PlanBriefing(plan));
          absl::StatusOr<SessionNote> answers =
              TakeNoteForm(prompter, plan, absl::Now(), time_zone_);
          if (!answers.ok()) return FormFailure(answers.status(), "changed");
          patch = *std::move(answers);
          etag = current.etag();
          return kExitOk;
        },
        [&](grpc::ClientContext* context) {
          return stub_->UpdateNote(context, request, &updated);
        });
    if (exit != kExitOk) return exit;
    return Print(updated, NoteBlock(updated, time_zone_));
  }

  int Sign(absl::string_view name) {
    notes::v1::SignNoteRequest request;
    request.set_name(std::string(name));
    request.set_etag(absl::GetFlag(FLAGS_etag).value);
    request.set_request_id(RequestIdFromFlag());
    SessionNote signed_note;
    // Safe to repeat with the same request_id: a signature whose answer was
    // lost is returned, not refused as "already signed".
    grpc::Status status = connection_.CallWithRetries([&](grpc::ClientContext* context) {
      return stub_->SignNote(context, request, &signed_note);
    });
    if (!status.ok()) return CreateFailure(status, RetryWithRequestIdHint(request.request_id()));
    if (json_) return Print(signed_note, "");
    io_.out << SignatureBlock(signed_note, time_zone_)
            << "\nThe note is locked. Corrections: " << io_.program << " note addendum "
            << signed_note.name() << " --text=...\n";
    return kExitOk;
  }

  int Addendum(absl::string_view name) {
    notes::v1::AddAddendumRequest request;
    request.set_name(std::string(name));
    request.set_text(absl::GetFlag(FLAGS_text).value);
    request.set_request_id(RequestIdFromFlag());
    SessionNote note;
    // Safe to repeat: the same request_id adds the addendum only once.
    grpc::Status status = connection_.CallWithRetries(
        [&](grpc::ClientContext* context) { return stub_->AddAddendum(context, request, &note); });
    if (!status.ok()) return CreateFailure(status, RetryWithRequestIdHint(request.request_id()));
    return Print(note, NoteBlock(note, time_zone_));
  }

  int List() {
    notes::v1::ListNotesRequest request;
    const TextFlag client = absl::GetFlag(FLAGS_client);
    const TextFlag plan = absl::GetFlag(FLAGS_plan);
    request.set_parent(client.given ? ClientName(client.value) : ClientOfPlan(plan.value));
    request.set_plan(plan.value);
    request.set_page_size(absl::GetFlag(FLAGS_page_size));
    request.set_page_token(absl::GetFlag(FLAGS_page_token).value);
    notes::v1::ListNotesResponse page;
    grpc::Status status = connection_.CallWithRetries(
        [&](grpc::ClientContext* context) { return stub_->ListNotes(context, request, &page); });
    if (!status.ok()) return CallFailure(status);
    return Print(page, NoteTable(page, io_.program, request, time_zone_));
  }

  int Progress(absl::string_view plan) {
    notes::v1::GetPlanProgressRequest request;
    request.set_plan(std::string(plan));
    notes::v1::PlanProgress progress;
    grpc::Status status = connection_.CallWithRetries([&](grpc::ClientContext* context) {
      return stub_->GetPlanProgress(context, request, &progress);
    });
    if (!status.ok()) return CallFailure(status);
    return Print(progress, ProgressReport(progress, time_zone_));
  }

 private:
  grpc::Status Get(absl::string_view name, SessionNote& note) {
    notes::v1::GetNoteRequest request;
    request.set_name(std::string(name));
    return connection_.CallWithRetries(
        [&](grpc::ClientContext* context) { return stub_->GetNote(context, request, &note); });
  }

  grpc::Status GetPlan(absl::string_view name, TreatmentPlan& plan) {
    plans::v1::GetPlanRequest request;
    request.set_name(std::string(name));
    return connection_.CallWithRetries(
        [&](grpc::ClientContext* context) { return plans_->GetPlan(context, request, &plan); });
  }

  std::istream& in_;
  const absl::TimeZone time_zone_;
  const std::unique_ptr<SessionNoteService::Stub> stub_;
  const std::unique_ptr<TreatmentPlanService::Stub> plans_;
};

// What `note new` sends, as far as the flags say it: the note of
// --from_file, or an empty one for the form, with --plan and --appointment
// (when given) over the file's. NOT_FOUND or INVALID_ARGUMENT for an
// unreadable or malformed file; FAILED_PRECONDITION when no well-formed plan
// name is given either way.
absl::StatusOr<SessionNote> NewNoteFromFlags() {
  SessionNote content;
  if (const TextFlag from_file = absl::GetFlag(FLAGS_from_file); from_file.given) {
    if (absl::Status read = ReadProtoJsonFile("from_file", from_file.value, content); !read.ok()) {
      return read;
    }
  }
  if (const TextFlag plan = absl::GetFlag(FLAGS_plan); plan.given) content.set_plan(plan.value);
  if (const TextFlag appointment = absl::GetFlag(FLAGS_appointment); appointment.given) {
    content.set_appointment(appointment.value);
  }
  if (ClientOfPlan(content.plan()).empty()) {
    return absl::FailedPreconditionError(
        content.plan().empty()
            ? "note new needs --plan=clients/ID/plans/ID (or a \"plan\" in --from_file)"
            : absl::StrCat("--plan: \"", content.plan(), "\" is not clients/ID/plans/ID"));
  }
  return content;
}

}  // namespace

std::string ClientOfPlan(absl::string_view plan) {
  const std::vector<absl::string_view> parts = absl::StrSplit(plan, '/');
  if (parts.size() != 4 || parts[0] != "clients" || parts[1].empty() || parts[2] != "plans" ||
      parts[3].empty()) {
    return "";
  }
  return absl::StrCat("clients/", parts[1]);
}

std::string NoteBlock(const SessionNote& note, absl::TimeZone time_zone) {
  std::string session = FormatTimestamp(note.session_time(), time_zone);
  if (note.duration_minutes() > 0) {
    absl::StrAppend(&session, session.empty() ? "" : ", ", note.duration_minutes(), " min");
  }
  std::vector<std::pair<std::string, std::string>> rows = {
      {"Note", note.name()},
      {"Plan", note.plan()},
  };
  if (!note.appointment().empty()) rows.push_back({"Appointment", note.appointment()});
  rows.push_back({"State", StateLabel(note.state())});
  rows.push_back({"Therapist", note.therapist()});
  rows.push_back({"Session", session});
  const SessionNote::Subjective& s = note.subjective();
  rows.push_back({"S: report", s.report()});
  rows.push_back({"S: pain before", s.has_pain_before() ? absl::StrCat(s.pain_before()) : ""});
  rows.push_back({"S: since last", s.since_last_session()});
  for (int i = 0; i < note.objective().findings_size(); ++i) {
    rows.push_back(
        {absl::StrCat("O: finding ", i + 1), FindingInPlainWords(note.objective().findings(i))});
  }
  rows.push_back({"O: observations", note.objective().observations()});
  if (note.applied().empty()) rows.push_back({"Applied", ""});
  for (int i = 0; i < note.applied_size(); ++i) {
    rows.push_back(
        {absl::StrCat("Applied ", i + 1), AppliedTechniqueInPlainWords(note.applied(i))});
  }
  const SessionNote::Assessment& a = note.assessment();
  rows.push_back({"A: pain after", a.has_pain_after() ? absl::StrCat(a.pain_after()) : ""});
  rows.push_back({"A: response", a.response()});
  std::vector<std::string> effects;
  for (int effect : a.adverse_effects()) {
    effects.push_back(AdverseEffectInPlainWords(static_cast<notes::v1::AdverseEffect>(effect)));
  }
  rows.push_back({"A: adverse effects", effects.empty() ? "none" : absl::StrJoin(effects, ", ")});
  rows.push_back({"P: next steps", note.next_steps()});
  if (note.state() == SessionNote::STATE_SIGNED) {
    rows.push_back({"Signed by", note.signed_by()});
    rows.push_back({"Signed at", FormatTimestamp(note.sign_time(), time_zone)});
    rows.push_back({"Content SHA-256", note.content_sha256()});
  }
  for (int i = 0; i < note.addenda_size(); ++i) {
    const notes::v1::Addendum& addendum = note.addenda(i);
    rows.push_back({absl::StrCat("Addendum ", i + 1),
                    absl::StrCat(FormatTimestamp(addendum.create_time(), time_zone), " ",
                                 addendum.author(), ": ", addendum.text())});
  }
  rows.push_back({"Etag", note.etag()});
  return LabelledBlock(rows);
}

std::string SignatureBlock(const SessionNote& note, absl::TimeZone time_zone) {
  return LabelledBlock({{"Signed", note.name()},
                        {"Signed by", note.signed_by()},
                        {"Signed at", FormatTimestamp(note.sign_time(), time_zone)},
                        {"Content SHA-256", note.content_sha256()}});
}

std::string NoteTable(const notes::v1::ListNotesResponse& page, absl::string_view program,
                      const notes::v1::ListNotesRequest& request, absl::TimeZone time_zone) {
  std::string out;
  if (page.notes().empty()) {
    out = "No notes found.\n";
  } else {
    std::vector<std::vector<std::string>> rows;
    for (const SessionNote& note : page.notes()) {
      rows.push_back({note.name(), FormatTimestamp(note.session_time(), time_zone),
                      StateLabel(note.state()), note.therapist(), PainBeforeAfter(note),
                      absl::StrCat(note.addenda_size())});
    }
    out = AlignedTable({"RESOURCE NAME", "SESSION", "STATE", "THERAPIST", "PAIN", "ADDENDA"}, rows);
  }
  if (!page.next_page_token().empty()) {
    absl::StrAppend(&out, "\nMore notes: ", program,
                    " note list --client=", ShellQuote(request.parent()));
    if (!request.plan().empty()) absl::StrAppend(&out, " --plan=", ShellQuote(request.plan()));
    if (request.page_size() != 0) absl::StrAppend(&out, " --page_size=", request.page_size());
    absl::StrAppend(&out, " --page_token=", ShellQuote(page.next_page_token()), "\n");
  }
  return out;
}

void RegisterNoteCommands(CommandRegistry& registry) {
  registry.Add({{"note", "new"},
                "write a SOAP session note under an active plan, with the guided form (or "
                "--from_file)",
                "",
                "",
                {PlanFlag(),
                 {"appointment", "appointments/ID"},
                 {"from_file", "NOTE.json"},
                 RequestIdFlag(),
                 TimeZoneFlag()},
                [](const Invocation&, const CommandIo& io) {
                  absl::StatusOr<SessionNote> content = NewNoteFromFlags();
                  if (!content.ok()) return UsageError(io, content.status().message());
                  return WithZonedRunner<NoteRunner>(
                      io, [&](NoteRunner& runner) { return runner.New(*std::move(content)); });
                }});
  registry.Add({{"note", "show"},
                "show a note with its signature and addenda",
                kNoteName,
                kNoteMeaning,
                {TimeZoneFlag()},
                OnNamedRecord<NoteRunner>([](NoteRunner& runner, const std::string& name) {
                  return runner.Show(name);
                })});
  registry.Add({{"note", "edit"},
                "change a draft note with the form, or from a patch file",
                kNoteName,
                kNoteMeaning,
                {{"from_file", "PATCH.json"}, UpdateMaskFlag(), EtagFlag(), TimeZoneFlag()},
                OnNamedRecord<NoteRunner>([](NoteRunner& runner, const std::string& name) {
                  return runner.Edit(name);
                })});
  registry.Add({{"note", "sign"},
                "sign a note, which locks it (and completes its appointment)",
                kNoteName,
                kNoteMeaning,
                {EtagFlag(), RequestIdFlag(), TimeZoneFlag()},
                OnNamedRecord<NoteRunner>([](NoteRunner& runner, const std::string& name) {
                  return runner.Sign(name);
                })});
  registry.Add({{"note", "addendum"},
                "add an addendum to a signed note",
                kNoteName,
                kNoteMeaning,
                {{"text", "TEXT", true, "what the addendum says"}, RequestIdFlag(), TimeZoneFlag()},
                OnNamedRecord<NoteRunner>([](NoteRunner& runner, const std::string& name) {
                  return runner.Addendum(name);
                })});
  registry.Add({{"note", "list"},
                "list a client's notes, or a plan's",
                "",
                "",
                {ClientFlag(), PlanFlag(), PageSizeFlag(), PageTokenFlag(), TimeZoneFlag()},
                [](const Invocation&, const CommandIo& io) {
                  if (!absl::GetFlag(FLAGS_client).given &&
                      ClientOfPlan(absl::GetFlag(FLAGS_plan).value).empty()) {
                    return UsageError(
                        io, "note list needs --client=clients/ID (or --plan=clients/ID/plans/ID)");
                  }
                  return WithZonedRunner<NoteRunner>(
                      io, [](NoteRunner& runner) { return runner.List(); });
                }});
  registry.Add({{"progress"},
                "a plan's progress: sessions, pain before and after, goals",
                "",
                "",
                {PlanFlag(/*required=*/true), TimeZoneFlag()},
                [](const Invocation&, const CommandIo& io) {
                  const std::string plan = absl::GetFlag(FLAGS_plan).value;
                  if (ClientOfPlan(plan).empty()) {
                    return UsageError(
                        io, absl::StrCat("--plan: \"", plan, "\" is not clients/ID/plans/ID"));
                  }
                  return WithZonedRunner<NoteRunner>(
                      io, [&](NoteRunner& runner) { return runner.Progress(plan); });
                }});
}

}  // namespace velknee::cli

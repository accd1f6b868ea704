#include "clients/cli/therapist_commands.h"

#include <memory>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "clients/cli/output.h"
#include "clients/cli/working_hours.h"
#include "velknee/scheduling/v1/scheduling_service.grpc.pb.h"

using velknee::cli::TextFlag;

ABSL_FLAG(TextFlag, therapist, {}, "The therapist, therapists/ID.");
ABSL_FLAG(TextFlag, technique, {}, "Only therapists offering this technique, e.g. trigger_point.");
ABSL_FLAG(TextFlag, therapist_id, {},
          "The new therapist's id, e.g. ana for therapists/ana; default a random one.");
ABSL_FLAG(TextFlag, display_name, {},
          "The therapist's name as clients see it, e.g. \"Ana Costa\".");
ABSL_FLAG(TextFlag, techniques, {},
          "The techniques offered, comma-separated, e.g. trigger_point,myofascial_release.");
ABSL_FLAG(TextFlag, hours, {},
          "Weekly working hours in the clinic's time zone, e.g. \"mon-fri 09:00-17:00,sat "
          "09:00-13:00\"; an interval may end at 24:00.");
ABSL_FLAG(bool, show_inactive, false, "Also list inactive therapists.");

namespace velknee::cli {
namespace {

using scheduling::v1::SchedulingService;
using scheduling::v1::Therapist;
using scheduling::v1::WorkingHours;

constexpr char kTherapistName[] = "therapists/ID";
constexpr char kTherapistMeaning[] = "the therapist's resource name";

std::string TechniqueWord(common::v1::Technique technique) {
  const std::string name = common::v1::Technique_Name(technique);
  absl::string_view view = name;
  absl::ConsumePrefix(&view, "TECHNIQUE_");
  return absl::AsciiStrToLower(view);
}

std::string TechniquesText(const Therapist& therapist) {
  std::vector<std::string> words;
  for (int t : therapist.techniques()) {
    words.push_back(TechniqueWord(static_cast<common::v1::Technique>(t)));
  }
  return absl::StrJoin(words, ", ");
}

absl::StatusOr<std::vector<common::v1::Technique>> ParseTechniques(absl::string_view text) {
  std::vector<common::v1::Technique> techniques;
  for (absl::string_view word : absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    absl::StatusOr<common::v1::Technique> t =
        ParseTechnique(absl::StripAsciiWhitespace(word), "--techniques");
    if (!t.ok()) return t.status();
    techniques.push_back(*t);
  }
  return techniques;
}

class TherapistsRunner : public CommandRunner {
 public:
  TherapistsRunner(const CommandIo& io, const Connection& connection)
      : CommandRunner(io, connection),
        stub_(SchedulingService::NewStub(connection.channel(Service::kScheduling))) {}

  int Add(std::vector<WorkingHours> hours, std::vector<common::v1::Technique> techniques) {
    scheduling::v1::CreateTherapistRequest request;
    request.set_therapist_id(absl::GetFlag(FLAGS_therapist_id).value);
    request.set_request_id(RequestIdFromFlag());
    Therapist* therapist = request.mutable_therapist();
    therapist->set_display_name(absl::GetFlag(FLAGS_display_name).value);
    for (common::v1::Technique t : techniques) therapist->add_techniques(t);
    for (WorkingHours& h : hours) *therapist->add_working_hours() = std::move(h);
    Therapist created;
    grpc::Status status = connection_.CallWithRetries([&](grpc::ClientContext* context) {
      return stub_->CreateTherapist(context, request, &created);
    });
    if (!status.ok()) return CreateFailure(status, RetryWithRequestIdHint(request.request_id()));
    return Print(created, TherapistBlock(created));
  }

  int List(common::v1::Technique technique) {
    scheduling::v1::ListTherapistsResponse all;
    grpc::Status status =
        ListAllTherapists(connection_, technique, absl::GetFlag(FLAGS_show_inactive), all);
    if (!status.ok()) return CallFailure(status);
    if (all.therapists().empty()) return Print(all, "No therapists found.\n");
    std::vector<std::vector<std::string>> rows;
    for (const Therapist& t : all.therapists()) {
      rows.push_back({t.name(), t.display_name(), t.active() ? "yes" : "no", TechniquesText(t),
                      FormatWorkingHours(t.working_hours())});
    }
    return Print(all,
                 AlignedTable({"RESOURCE NAME", "NAME", "ACTIVE", "TECHNIQUES", "HOURS"}, rows));
  }

  int Show(const std::string& name) {
    scheduling::v1::GetTherapistRequest request;
    request.set_name(name);
    Therapist therapist;
    grpc::Status status = connection_.CallWithRetries([&](grpc::ClientContext* context) {
      return stub_->GetTherapist(context, request, &therapist);
    });
    if (!status.ok()) return CallFailure(status);
    return Print(therapist, TherapistBlock(therapist));
  }

  int SetHours(const std::string& name, std::vector<WorkingHours> hours) {
    scheduling::v1::UpdateTherapistRequest request;
    request.mutable_therapist()->set_name(name);
    request.mutable_therapist()->set_etag(absl::GetFlag(FLAGS_etag).value);
    for (WorkingHours& h : hours) *request.mutable_therapist()->add_working_hours() = std::move(h);
    request.mutable_update_mask()->add_paths("working_hours");
    Therapist updated;
    grpc::Status status =
        stub_->UpdateTherapist(connection_.NewCallContext().get(), request, &updated);
    if (!status.ok()) return CallFailure(status);
    return Print(updated, TherapistBlock(updated));
  }

 private:
  const std::unique_ptr<SchedulingService::Stub> stub_;
};

int AddTherapist(const Invocation&, const CommandIo& io) {
  absl::StatusOr<std::vector<WorkingHours>> hours =
      ParseWorkingHours(absl::GetFlag(FLAGS_hours).value);
  if (!hours.ok()) return UsageError(io, hours.status().message());
  absl::StatusOr<std::vector<common::v1::Technique>> techniques =
      ParseTechniques(absl::GetFlag(FLAGS_techniques).value);
  if (!techniques.ok()) return UsageError(io, techniques.status().message());
  return WithConnection(io, [&](const Connection& connection) {
    return TherapistsRunner(io, connection).Add(*std::move(hours), *std::move(techniques));
  });
}

int ListTherapists(const Invocation&, const CommandIo& io) {
  common::v1::Technique technique = common::v1::TECHNIQUE_UNSPECIFIED;
  if (const TextFlag flag = absl::GetFlag(FLAGS_technique); flag.given) {
    absl::StatusOr<common::v1::Technique> parsed = ParseTechnique(flag.value, "--technique");
    if (!parsed.ok()) return UsageError(io, parsed.status().message());
    technique = *parsed;
  }
  return WithConnection(io, [&](const Connection& connection) {
    return TherapistsRunner(io, connection).List(technique);
  });
}

int ShowTherapist(const Invocation& invocation, const CommandIo& io) {
  return WithConnection(io, [&](const Connection& connection) {
    return TherapistsRunner(io, connection).Show(invocation.name);
  });
}

int SetTherapistHours(const Invocation& invocation, const CommandIo& io) {
  absl::StatusOr<std::vector<WorkingHours>> hours =
      ParseWorkingHours(absl::GetFlag(FLAGS_hours).value);
  if (!hours.ok()) return UsageError(io, hours.status().message());
  return WithConnection(io, [&](const Connection& connection) {
    return TherapistsRunner(io, connection).SetHours(invocation.name, *std::move(hours));
  });
}

}  // namespace

void RegisterTherapistCommands(CommandRegistry& registry) {
  const FlagSpec hours = {"hours", "TEXT", true};
  registry.Add({{"therapists", "add"},
                "add a therapist with their techniques and working hours (ADMIN)",
                "",
                "",
                {{"display_name", "NAME", true},
                 {"therapist_id", "ID"},
                 {"techniques", "a,b"},
                 hours,
                 RequestIdFlag()},
                AddTherapist});
  registry.Add({{"therapists", "list"},
                "list the therapists",
                "",
                "",
                {{"technique", "X"}, {"show_inactive", ""}},
                ListTherapists});
  registry.Add({{"therapists", "show"},
                "show one therapist",
                kTherapistName,
                kTherapistMeaning,
                {},
                ShowTherapist});
  registry.Add({{"therapists", "hours"},
                "replace a therapist's weekly working hours (ADMIN)",
                kTherapistName,
                kTherapistMeaning,
                {hours, EtagFlag()},
                SetTherapistHours});
}

absl::StatusOr<common::v1::Technique> ParseTechnique(absl::string_view word,
                                                     absl::string_view what) {
  std::string name = absl::StrCat(
      "TECHNIQUE_", absl::AsciiStrToUpper(absl::StrReplaceAll(word, {{"-", "_"}, {" ", "_"}})));
  common::v1::Technique technique = common::v1::TECHNIQUE_UNSPECIFIED;
  if (word.empty() || !common::v1::Technique_Parse(name, &technique) ||
      technique == common::v1::TECHNIQUE_UNSPECIFIED) {
    std::vector<std::string> known;
    for (int t = 1; t <= common::v1::Technique_MAX; ++t) {
      if (common::v1::Technique_IsValid(t)) {
        known.push_back(TechniqueWord(static_cast<common::v1::Technique>(t)));
      }
    }
    return absl::InvalidArgumentError(absl::StrCat(what, ": unknown technique \"", word,
                                                   "\"; one of ", absl::StrJoin(known, ", ")));
  }
  return technique;
}

std::string TherapistBlock(const Therapist& t) {
  return LabelledBlock({{"Therapist", t.name()},
                        {"Name", t.display_name()},
                        {"Active", t.active() ? "yes" : "no"},
                        {"Techniques", TechniquesText(t)},
                        {"Hours", FormatWorkingHours(t.working_hours())},
                        {"Etag", t.etag()}});
}

grpc::Status ListAllTherapists(const Connection& connection, common::v1::Technique technique,
                               bool show_inactive, scheduling::v1::ListTherapistsResponse& all) {
  const std::unique_ptr<SchedulingService::Stub> stub =
      SchedulingService::NewStub(connection.channel(Service::kScheduling));
  scheduling::v1::ListTherapistsRequest request;
  request.set_technique(technique);
  request.set_show_inactive(show_inactive);
  request.set_page_size(500);
  for (int page = 0; page < 1000; ++page) {
    scheduling::v1::ListTherapistsResponse response;
    grpc::Status status = connection.CallWithRetries([&](grpc::ClientContext* context) {
      return stub->ListTherapists(context, request, &response);
    });
    if (!status.ok()) return status;
    for (Therapist& t : *response.mutable_therapists()) *all.add_therapists() = std::move(t);
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  return grpc::Status::OK;
}

}  // namespace velknee::cli

#include "clients/cli/scheduling_commands.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "clients/cli/assessment_commands.h"
#include "clients/cli/client_commands.h"
#include "clients/cli/dates.h"
#include "clients/cli/note_commands.h"
#include "clients/cli/output.h"
#include "clients/cli/plain_words.h"
#include "clients/cli/plan_commands.h"
#include "clients/cli/slot_conflicts.h"
#include "velknee/intake/v1/intake_service.grpc.pb.h"
#include "velknee/scheduling/v1/scheduling_service.grpc.pb.h"

using velknee::cli::TextFlag;

ABSL_DECLARE_FLAG(TextFlag, plan);    // note_commands.cc
ABSL_DECLARE_FLAG(TextFlag, reason);  // plan_commands.cc

ABSL_FLAG(TextFlag, therapist_id, {},
          "therapists add: the new therapist's id, e.g. ana for therapists/ana; "
          "default a random one.");
ABSL_FLAG(TextFlag, display_name, {}, "therapists add (required): e.g. \"Ana Costa\".");
ABSL_FLAG(TextFlag, techniques, {},
          "therapists add: the techniques offered, comma-separated, e.g. "
          "trigger_point,myofascial_release.");
ABSL_FLAG(TextFlag, hours, {},
          "therapists add, therapists hours (required): weekly working hours in "
          "the clinic's time zone, e.g. \"mon-fri 09:00-17:00,sat 09:00-13:00\".");
ABSL_FLAG(TextFlag, technique, {},
          "therapists list, slots: only therapists offering this technique, e.g. trigger_point.");
ABSL_FLAG(bool, show_inactive, false, "therapists list: also list inactive therapists.");
ABSL_FLAG(TextFlag, therapist, {}, "slots, book, book-series: the therapist, therapists/ID.");
ABSL_FLAG(TextFlag, from, {}, "slots (required): the first day to search, YYYY-MM-DD.");
ABSL_FLAG(int32_t, days, 0, "slots: how many days to search, 1..31; default 7.");
ABSL_FLAG(int32_t, duration, 0,
          "slots, book, reschedule: session length in minutes, 15..180; default 60 "
          "(reschedule: keep the current length).");
ABSL_FLAG(TextFlag, start, {},
          "book, book-series, reschedule (required): local start, \"YYYY-MM-DD HH:MM\".");
ABSL_FLAG(TextFlag, date, {}, "day: the day to show, YYYY-MM-DD; default today.");

namespace velknee::cli {
namespace {

using scheduling::v1::Appointment;
using scheduling::v1::SchedulingService;
using scheduling::v1::Therapist;
using scheduling::v1::WorkingHours;

constexpr const char* kDayWords[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
constexpr const char* kLongDayWords[] = {"monday", "tuesday",  "wednesday", "thursday",
                                         "friday", "saturday", "sunday"};

// 1 (Monday) .. 7 (Sunday), as google.type.DayOfWeek numbers them.
std::optional<int> ParseDay(absl::string_view word) {
  for (int i = 0; i < 7; ++i) {
    if (absl::EqualsIgnoreCase(word, kDayWords[i]) ||
        absl::EqualsIgnoreCase(word, kLongDayWords[i])) {
      return i + 1;
    }
  }
  return std::nullopt;
}

// "HH:MM" as minutes of the day; 24:00 only when `end`.
std::optional<int> ParseClock(absl::string_view text, bool end) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  int hours = 0;
  int minutes = 0;
  for (size_t i : {0, 1, 3, 4}) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
  }
  if (!absl::SimpleAtoi(text.substr(0, 2), &hours) ||
      !absl::SimpleAtoi(text.substr(3, 2), &minutes)) {
    return std::nullopt;
  }
  if (minutes > 59) return std::nullopt;
  if (hours == 24 && minutes == 0 && end) return 24 * 60;
  if (hours > 23) return std::nullopt;
  return hours * 60 + minutes;
}

std::string Clock(int hours, int minutes) { return absl::StrFormat("%02d:%02d", hours, minutes); }

std::string IntervalText(const WorkingHours& hours) {
  return absl::StrCat(Clock(hours.start().hours(), hours.start().minutes()), "-",
                      Clock(hours.end().hours(), hours.end().minutes()));
}

std::vector<FlagUse> OwnFlags() {
  return {{"therapist_id", absl::GetFlag(FLAGS_therapist_id).given},
          {"display_name", absl::GetFlag(FLAGS_display_name).given},
          {"techniques", absl::GetFlag(FLAGS_techniques).given},
          {"hours", absl::GetFlag(FLAGS_hours).given},
          {"technique", absl::GetFlag(FLAGS_technique).given},
          {"show_inactive", absl::GetFlag(FLAGS_show_inactive)},
          {"therapist", absl::GetFlag(FLAGS_therapist).given},
          {"from", absl::GetFlag(FLAGS_from).given},
          {"days", absl::GetFlag(FLAGS_days) != 0},
          {"duration", absl::GetFlag(FLAGS_duration) != 0},
          {"start", absl::GetFlag(FLAGS_start).given},
          {"date", absl::GetFlag(FLAGS_date).given},
          {"plan", absl::GetFlag(FLAGS_plan).given},
          {"reason", absl::GetFlag(FLAGS_reason).given}};
}

// The given flags of the other groups that these commands do not share.
std::vector<std::string> ForeignFlags() {
  std::vector<std::string> all = ClientsFlagsGiven();
  for (std::string& name : IntakeFlagsGiven()) all.push_back(std::move(name));
  for (std::string& name : PlanFlagsGiven()) all.push_back(std::move(name));
  for (std::string& name : NoteFlagsGiven()) all.push_back(std::move(name));
  std::vector<std::string> foreign;
  const std::vector<FlagUse> own = OwnFlags();
  for (std::string& name : all) {
    const bool shared = std::any_of(own.begin(), own.end(), [&](const FlagUse& use) {
      return absl::StrCat("--", use.name) == name;
    });
    if (!shared && std::find(foreign.begin(), foreign.end(), name) == foreign.end()) {
      foreign.push_back(std::move(name));
    }
  }
  return foreign;
}

enum TherapistsSubcommand { kAdd, kList, kShow, kHours };

CommandGroup TherapistsGroup() {
  return {"therapists",
          "the therapist's resource name, therapists/ID",
          {{"add", false, {"therapist_id", "display_name", "techniques", "hours", "request_id"}},
           {"list", false, {"technique", "show_inactive"}},
           {"show", true, {}},
           {"hours", true, {"hours", "etag"}}}};
}

enum SchedulingSubcommand {
  kSlots,
  kBook,
  kBookSeries,
  kReschedule,
  kCancel,
  kCheckIn,
  kNoShow,
  kDay
};

CommandGroup SchedulingGroup(const std::string& program) {
  return {program,
          "the appointment's resource name, appointments/ID",
          {{"slots", false, {"therapist", "technique", "from", "days", "duration", "time_zone"}},
           {"book",
            false,
            {"client", "therapist", "start", "duration", "plan", "request_id", "time_zone"}},
           {"book-series", false, {"plan", "therapist", "start", "request_id", "time_zone"}},
           {"reschedule", true, {"start", "duration", "etag", "time_zone"}},
           {"cancel", true, {"reason", "etag", "time_zone"}},
           {"checkin", true, {"etag", "time_zone"}},
           {"noshow", true, {"etag", "time_zone"}},
           {"day", false, {"date", "time_zone"}}}};
}

google::protobuf::Timestamp ToTimestamp(absl::Time time) {
  google::protobuf::Timestamp stamp;
  stamp.set_seconds(absl::ToUnixSeconds(time));
  return stamp;
}

absl::Time FromTimestamp(const google::protobuf::Timestamp& stamp) {
  return absl::FromUnixSeconds(stamp.seconds());
}

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

class SchedulingRunner : public CommandRunner {
 public:
  SchedulingRunner(const CommandIo& io, const Connection& connection, absl::TimeZone zone)
      : CommandRunner(io, connection),
        zone_(zone),
        stub_(SchedulingService::NewStub(connection.channel(Service::kScheduling))),
        intake_(intake::v1::IntakeService::NewStub(connection.channel(Service::kIntake))) {}

  int AddTherapist(std::vector<WorkingHours> hours, std::vector<common::v1::Technique> techniques) {
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

  int ListTherapists(common::v1::Technique technique) {
    scheduling::v1::ListTherapistsResponse all;
    grpc::Status status = AllTherapists(technique, absl::GetFlag(FLAGS_show_inactive), all);
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

  int ShowTherapist(const std::string& name) {
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

  int Slots(scheduling::v1::FindAvailableSlotsRequest request) {
    scheduling::v1::FindAvailableSlotsResponse response;
    grpc::Status status = connection_.CallWithRetries([&](grpc::ClientContext* context) {
      return stub_->FindAvailableSlots(context, request, &response);
    });
    if (!status.ok()) return CallFailure(status);
    if (json_) return Print(response, "");
    scheduling::v1::ListTherapistsResponse therapists;
    status = AllTherapists(common::v1::TECHNIQUE_UNSPECIFIED, true, therapists);
    if (!status.ok()) return CallFailure(status);
    std::map<std::string, std::string> names;
    for (const Therapist& t : therapists.therapists()) names[t.name()] = t.display_name();
    if (response.slots().empty()) return Print(response, "No free slots.\n");
    // Day → therapist → start times, in the order the server gave them.
    std::vector<std::pair<absl::CivilDay, std::vector<std::pair<std::string, std::string>>>> days;
    for (const scheduling::v1::Slot& slot : response.slots()) {
      const absl::CivilMinute local = absl::ToCivilMinute(FromTimestamp(slot.start_time()), zone_);
      const absl::CivilDay day(local);
      if (days.empty() || days.back().first != day) days.push_back({day, {}});
      auto& rows = days.back().second;
      auto row = std::find_if(rows.begin(), rows.end(),
                              [&](const auto& r) { return r.first == slot.therapist(); });
      if (row == rows.end()) {
        rows.push_back({slot.therapist(), ""});
        row = rows.end() - 1;
      }
      absl::StrAppend(&row->second, row->second.empty() ? "" : " ",
                      Clock(local.hour(), local.minute()));
    }
    std::string out;
    for (const auto& [day, rows] : days) {
      absl::StrAppend(&out, out.empty() ? "" : "\n", DayHeading(day), "\n");
      for (const auto& [therapist, times] : rows) {
        const auto name = names.find(therapist);
        absl::StrAppend(&out, "  ", name == names.end() ? therapist : name->second, " (", therapist,
                        "): ", times, "\n");
      }
    }
    return Print(response, out);
  }

  int Book(scheduling::v1::BookAppointmentRequest request) {
    request.set_request_id(RequestIdFromFlag());
    Appointment booked;
    grpc::Status status = connection_.CallWithRetries([&](grpc::ClientContext* context) {
      return stub_->BookAppointment(context, request, &booked);
    });
    if (status.error_code() == grpc::StatusCode::FAILED_PRECONDITION) return SlotFailure(status);
    if (!status.ok()) return CreateFailure(status, RetryWithRequestIdHint(request.request_id()));
    return Print(booked, AppointmentBlock(booked, zone_));
  }

  int BookSeries(scheduling::v1::BookSeriesRequest request) {
    request.set_request_id(RequestIdFromFlag());
    scheduling::v1::BookSeriesResponse booked;
    grpc::Status status = connection_.CallWithRetries(
        [&](grpc::ClientContext* context) { return stub_->BookSeries(context, request, &booked); });
    if (status.error_code() == grpc::StatusCode::FAILED_PRECONDITION) return SlotFailure(status);
    if (!status.ok()) return CreateFailure(status, RetryWithRequestIdHint(request.request_id()));
    std::string out =
        absl::StrCat("Booked ", booked.appointments_size(), " sessions of ", request.plan(), ":\n");
    std::vector<std::vector<std::string>> rows;
    for (const Appointment& a : booked.appointments()) {
      rows.push_back({absl::FormatTime("%a %Y-%m-%d %H:%M", FromTimestamp(a.start_time()), zone_),
                      absl::StrCat(a.duration_minutes(), " min"), a.therapist(), a.name()});
    }
    absl::StrAppend(&out, AlignedTable({"START", "LENGTH", "THERAPIST", "APPOINTMENT"}, rows));
    return Print(booked, out);
  }

  int Reschedule(scheduling::v1::RescheduleAppointmentRequest request) {
    return Change([&](grpc::ClientContext* c, Appointment* a) {
      return stub_->RescheduleAppointment(c, request, a);
    });
  }
  int Cancel(scheduling::v1::CancelAppointmentRequest request) {
    return Change([&](grpc::ClientContext* c, Appointment* a) {
      return stub_->CancelAppointment(c, request, a);
    });
  }
  int CheckIn(scheduling::v1::CheckInAppointmentRequest request) {
    return Change([&](grpc::ClientContext* c, Appointment* a) {
      return stub_->CheckInAppointment(c, request, a);
    });
  }
  int NoShow(scheduling::v1::MarkNoShowRequest request) {
    return Change(
        [&](grpc::ClientContext* c, Appointment* a) { return stub_->MarkNoShow(c, request, a); });
  }

  int Day(const google::type::Date& date) {
    const DayRange range = LocalDay(date, zone_);
    scheduling::v1::ListAppointmentsResponse all;
    scheduling::v1::ListAppointmentsRequest request;
    *request.mutable_start_time() = range.start;
    *request.mutable_end_time() = range.end;
    request.set_page_size(500);
    for (int page = 0; page < 1000; ++page) {
      scheduling::v1::ListAppointmentsResponse response;
      grpc::Status status = connection_.CallWithRetries([&](grpc::ClientContext* context) {
        return stub_->ListAppointments(context, request, &response);
      });
      if (!status.ok()) return CallFailure(status);
      for (Appointment& a : *response.mutable_appointments()) {
        *all.add_appointments() = std::move(a);
      }
      if (response.next_page_token().empty()) break;
      request.set_page_token(response.next_page_token());
    }
    if (json_) return Print(all, "");
    scheduling::v1::ListTherapistsResponse therapists;
    grpc::Status status = AllTherapists(common::v1::TECHNIQUE_UNSPECIFIED, true, therapists);
    if (!status.ok()) return CallFailure(status);
    std::map<std::string, std::string> client_names;
    for (const Appointment& a : all.appointments()) {
      if (client_names.count(a.client()) > 0) continue;
      intake::v1::GetClientRequest get;
      get.set_name(a.client());
      intake::v1::Client client;
      status = connection_.CallWithRetries(
          [&](grpc::ClientContext* context) { return intake_->GetClient(context, get, &client); });
      if (status.error_code() == grpc::StatusCode::NOT_FOUND) {
        client_names[a.client()] = a.client();
        continue;
      }
      if (!status.ok()) return CallFailure(status);
      client_names[a.client()] = absl::StrCat(client.given_name(), " ", client.family_name());
    }
    const std::vector<Appointment> appointments(all.appointments().begin(),
                                                all.appointments().end());
    const std::vector<Therapist> list(therapists.therapists().begin(),
                                      therapists.therapists().end());
    return Print(all, DaySheet(date, zone_, appointments, list, client_names));
  }

 private:
  static std::string DayHeading(absl::CivilDay day) {
    static constexpr const char* kNames[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                             "Friday", "Saturday", "Sunday"};
    const int index = (static_cast<int>(absl::GetWeekday(day)) + 7) % 7;  // Monday = 0
    return absl::StrFormat("%s %04d-%02d-%02d", kNames[index], day.year(), day.month(), day.day());
  }

  // The error line and, for a slot conflict, who holds the slot and when. kExitCallFailed.
  int SlotFailure(const grpc::Status& status) const {
    io_.err << SlotConflictText(status, zone_, LookUpPeopleInConflicts(status, connection_));
    return kExitCallFailed;
  }

  template <typename Call>
  int Change(Call call) {
    Appointment changed;
    grpc::Status status = call(connection_.NewCallContext().get(), &changed);
    if (!status.ok()) return SlotFailure(status);  // Only a reschedule can conflict.
    return Print(changed, AppointmentBlock(changed, zone_));
  }

  grpc::Status AllTherapists(common::v1::Technique technique, bool show_inactive,
                             scheduling::v1::ListTherapistsResponse& all) {
    scheduling::v1::ListTherapistsRequest request;
    request.set_technique(technique);
    request.set_show_inactive(show_inactive);
    request.set_page_size(500);
    for (int page = 0; page < 1000; ++page) {
      scheduling::v1::ListTherapistsResponse response;
      grpc::Status status = connection_.CallWithRetries([&](grpc::ClientContext* context) {
        return stub_->ListTherapists(context, request, &response);
      });
      if (!status.ok()) return status;
      for (Therapist& t : *response.mutable_therapists()) *all.add_therapists() = std::move(t);
      if (response.next_page_token().empty()) break;
      request.set_page_token(response.next_page_token());
    }
    return grpc::Status::OK;
  }

  const absl::TimeZone zone_;
  std::unique_ptr<SchedulingService::Stub> stub_;
  std::unique_ptr<intake::v1::IntakeService::Stub> intake_;
};

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

}  // namespace

absl::StatusOr<std::vector<WorkingHours>> ParseWorkingHours(absl::string_view text) {
  std::vector<WorkingHours> hours;
  for (absl::string_view entry : absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    entry = absl::StripAsciiWhitespace(entry);
    auto bad = [&](absl::string_view why) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--hours: \"", entry, "\" ", why, " (e.g. \"mon-fri 09:00-17:00,sat 09:00-13:00\")"));
    };
    const std::vector<absl::string_view> parts = absl::StrSplit(entry, ' ', absl::SkipEmpty());
    if (parts.size() != 2) return bad("is not DAYS HH:MM-HH:MM");
    const std::vector<absl::string_view> days = absl::StrSplit(parts[0], '-');
    const std::vector<absl::string_view> times = absl::StrSplit(parts[1], '-');
    if (days.size() > 2 || times.size() != 2) return bad("is not DAYS HH:MM-HH:MM");
    const std::optional<int> first = ParseDay(days[0]);
    const std::optional<int> last = ParseDay(days.back());
    if (!first || !last)
      return bad("has an unknown weekday; use mon, tue, wed, thu, fri, sat, sun");
    if (*last < *first)
      return bad("has a day range that runs backwards; write mon-fri, not fri-mon");
    const std::optional<int> start = ParseClock(times[0], false);
    const std::optional<int> end = ParseClock(times[1], true);
    if (!start || !end) return bad("has a time that is not HH:MM (00:00 to 24:00)");
    if (*end <= *start) return bad("ends before it starts");
    for (int day = *first; day <= *last; ++day) {
      WorkingHours h;
      h.set_day(static_cast<google::type::DayOfWeek>(day));
      h.mutable_start()->set_hours(*start / 60);
      h.mutable_start()->set_minutes(*start % 60);
      h.mutable_end()->set_hours(*end / 60);
      h.mutable_end()->set_minutes(*end % 60);
      hours.push_back(std::move(h));
    }
  }
  if (hours.empty()) return absl::InvalidArgumentError("--hours: no working hours given");
  return hours;
}

std::string FormatWorkingHours(const google::protobuf::RepeatedPtrField<WorkingHours>& hours) {
  std::vector<std::string> per_day(8);
  std::vector<WorkingHours> sorted(hours.begin(), hours.end());
  std::sort(sorted.begin(), sorted.end(), [](const WorkingHours& a, const WorkingHours& b) {
    if (a.day() != b.day()) return a.day() < b.day();
    return a.start().hours() * 60 + a.start().minutes() <
           b.start().hours() * 60 + b.start().minutes();
  });
  for (const WorkingHours& h : sorted) {
    const int day = static_cast<int>(h.day());
    if (day < 1 || day > 7) continue;
    absl::StrAppend(&per_day[day], per_day[day].empty() ? "" : " ", IntervalText(h));
  }
  std::vector<std::string> entries;
  for (int day = 1; day <= 7;) {
    if (per_day[day].empty()) {
      ++day;
      continue;
    }
    int last = day;
    while (last + 1 <= 7 && per_day[last + 1] == per_day[day]) ++last;
    const std::string days = last == day
                                 ? kDayWords[day - 1]
                                 : absl::StrCat(kDayWords[day - 1], "-", kDayWords[last - 1]);
    for (absl::string_view interval : absl::StrSplit(per_day[day], ' ')) {
      entries.push_back(absl::StrCat(days, " ", interval));
    }
    day = last + 1;
  }
  return absl::StrJoin(entries, ", ");
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

absl::StatusOr<google::protobuf::Timestamp> ParseLocalTime(absl::string_view text,
                                                           absl::TimeZone zone,
                                                           absl::string_view what) {
  const absl::string_view trimmed = absl::StripAsciiWhitespace(text);
  const auto bad = absl::InvalidArgumentError(
      absl::StrCat(what, ": must be a local time as \"YYYY-MM-DD HH:MM\", got \"", text, "\""));
  if (trimmed.size() != 16 || (trimmed[10] != ' ' && trimmed[10] != 'T')) return bad;
  absl::StatusOr<google::type::Date> date = ParseDate(trimmed.substr(0, 10), what);
  if (!date.ok()) return date.status();
  const std::optional<int> minutes = ParseClock(trimmed.substr(11), false);
  if (!minutes) return bad;
  const absl::CivilMinute civil(date->year(), date->month(), date->day(), *minutes / 60,
                                *minutes % 60);
  const absl::TimeZone::TimeInfo info = zone.At(civil);
  if (info.kind == absl::TimeZone::TimeInfo::SKIPPED) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": ", trimmed.substr(0, 16),
                                                   " does not exist in ", zone.name(),
                                                   " (the clocks go forward then)"));
  }
  return ToTimestamp(info.pre);
}

DayRange LocalDay(const google::type::Date& date, absl::TimeZone zone) {
  const absl::CivilDay day(date.year(), date.month(), date.day());
  return {ToTimestamp(zone.At(absl::CivilSecond(day)).pre),
          ToTimestamp(zone.At(absl::CivilSecond(day + 1)).pre)};
}

std::string AppointmentStateLabel(Appointment::State state) {
  switch (state) {
    case Appointment::STATE_BOOKED:
      return "booked";
    case Appointment::STATE_CHECKED_IN:
      return "checked in";
    case Appointment::STATE_COMPLETED:
      return "completed";
    case Appointment::STATE_CANCELLED:
      return "cancelled";
    case Appointment::STATE_NO_SHOW:
      return "no-show";
    default:
      return "";
  }
}

std::string AppointmentBlock(const Appointment& a, absl::TimeZone zone) {
  const absl::Time start = FromTimestamp(a.start_time());
  std::vector<std::pair<std::string, std::string>> rows = {
      {"Appointment", a.name()},
      {"Client", a.client()},
      {"Therapist", a.therapist()},
      {"Plan", a.plan()},
      {"Start", FormatTimestamp(a.start_time(), zone)},
      {"Ends", absl::FormatTime("%H:%M", start + absl::Minutes(a.duration_minutes()), zone)},
      {"Duration", absl::StrCat(a.duration_minutes(), " min")},
      {"State", AppointmentStateLabel(a.state())},
  };
  if (!a.cancel_reason().empty()) rows.push_back({"Cancelled", a.cancel_reason()});
  rows.push_back({"Etag", a.etag()});
  return LabelledBlock(rows);
}

std::string TherapistBlock(const Therapist& t) {
  return LabelledBlock({{"Therapist", t.name()},
                        {"Name", t.display_name()},
                        {"Active", t.active() ? "yes" : "no"},
                        {"Techniques", TechniquesText(t)},
                        {"Hours", FormatWorkingHours(t.working_hours())},
                        {"Etag", t.etag()}});
}

std::string DaySheet(const google::type::Date& date, absl::TimeZone zone,
                     const std::vector<Appointment>& appointments,
                     const std::vector<Therapist>& therapists,
                     const std::map<std::string, std::string>& client_names) {
  const absl::CivilDay day(date.year(), date.month(), date.day());
  std::string out = absl::StrCat(
      "Day sheet for ", absl::FormatTime("%A %Y-%m-%d", zone.At(absl::CivilSecond(day)).pre, zone),
      " (", zone.name(), ")\n");
  if (appointments.empty()) return absl::StrCat(out, "\nNo appointments.\n");
  std::vector<std::string> order;
  for (const Therapist& t : therapists) order.push_back(t.name());
  for (const Appointment& a : appointments) {
    if (std::find(order.begin(), order.end(), a.therapist()) == order.end()) {
      order.push_back(a.therapist());
    }
  }
  for (const std::string& therapist : order) {
    std::vector<const Appointment*> theirs;
    for (const Appointment& a : appointments) {
      if (a.therapist() == therapist) theirs.push_back(&a);
    }
    if (theirs.empty()) continue;
    std::stable_sort(theirs.begin(), theirs.end(), [](const Appointment* x, const Appointment* y) {
      return x->start_time().seconds() < y->start_time().seconds();
    });
    std::string heading = therapist;
    for (const Therapist& t : therapists) {
      if (t.name() == therapist) heading = absl::StrCat(t.display_name(), " (", therapist, ")");
    }
    std::vector<std::vector<std::string>> rows;
    for (const Appointment* a : theirs) {
      const absl::Time start = FromTimestamp(a->start_time());
      const auto client = client_names.find(a->client());
      rows.push_back(
          {absl::StrCat(
               absl::FormatTime("%H:%M", start, zone), "–",
               absl::FormatTime("%H:%M", start + absl::Minutes(a->duration_minutes()), zone)),
           client == client_names.end() ? a->client() : client->second,
           AppointmentStateLabel(a->state()), a->name()});
    }
    absl::StrAppend(&out, "\n", heading, "\n",
                    AlignedTable({"TIME", "CLIENT", "STATE", "APPOINTMENT"}, rows));
  }
  return out;
}

std::string SchedulingUsage(absl::string_view program) {
  const std::string p(program);
  return absl::StrCat(
      "  ", p,
      " therapists add --display_name=NAME [--therapist_id=ID] [--techniques=a,b]\n"
      "        --hours=\"mon-fri 09:00-17:00,sat 09:00-13:00\" [--request_id=ID]   (ADMIN)\n",
      "  ", p, " therapists list [--technique=X] [--show_inactive]\n",                 //
      "  ", p, " therapists show therapists/ID\n",                                     //
      "  ", p, " therapists hours therapists/ID --hours=TEXT [--etag=E]   (ADMIN)\n",  //
      "  ", p,
      " slots --therapist=therapists/ID|--technique=X --from=YYYY-MM-DD [--days=7] "
      "[--duration=60]\n",
      "  ", p,
      " book --client=clients/ID --therapist=therapists/ID --start=\"YYYY-MM-DD HH:MM\"\n"
      "        [--duration=60] [--plan=clients/ID/plans/ID] [--request_id=ID]\n",
      "  ", p,
      " book-series --plan=clients/ID/plans/ID --therapist=therapists/ID "
      "--start=\"YYYY-MM-DD HH:MM\" [--request_id=ID]\n",
      "  ", p,
      " reschedule appointments/ID --start=\"YYYY-MM-DD HH:MM\" [--duration=N] [--etag=E]\n", "  ",
      p, " cancel appointments/ID --reason=TEXT [--etag=E]\n",  //
      "  ", p, " checkin appointments/ID [--etag=E]\n",         //
      "  ", p, " noshow appointments/ID [--etag=E]\n",          //
      "  ", p, " day [--date=YYYY-MM-DD]\n",                    //
      "  (times in --time_zone=IANA name, default this machine's zone)\n");
}

bool IsSchedulingCommand(absl::string_view verb) {
  for (const SubcommandSpec& spec : SchedulingGroup("").subcommands) {
    if (spec.verb == verb) return true;
  }
  return false;
}

int RunTherapistsCommand(const std::vector<std::string>& args, const CommandIo& io) {
  const std::string usage = SchedulingUsage(io.program);
  absl::StatusOr<ParsedSubcommand> parsed =
      ParseSubcommand(TherapistsGroup(), args, OwnFlags(), ForeignFlags());
  if (!parsed.ok()) return UsageFailure(io, parsed.status().message(), usage);
  std::vector<WorkingHours> hours;
  std::vector<common::v1::Technique> techniques;
  common::v1::Technique technique = common::v1::TECHNIQUE_UNSPECIFIED;
  if (parsed->index == kAdd || parsed->index == kHours) {
    if (!absl::GetFlag(FLAGS_hours).given) {
      return UsageFailure(io, absl::StrCat("therapists ", args[0], " needs --hours=TEXT"), usage);
    }
    if (parsed->index == kAdd && absl::GetFlag(FLAGS_display_name).value.empty()) {
      return UsageFailure(io, "therapists add needs --display_name=NAME", usage);
    }
    absl::StatusOr<std::vector<WorkingHours>> parsed_hours =
        ParseWorkingHours(absl::GetFlag(FLAGS_hours).value);
    if (!parsed_hours.ok()) {
      io.err << ErrorLine(parsed_hours.status()) << "\n";
      return kExitUsage;
    }
    hours = *std::move(parsed_hours);
    absl::StatusOr<std::vector<common::v1::Technique>> parsed_techniques =
        ParseTechniques(absl::GetFlag(FLAGS_techniques).value);
    if (!parsed_techniques.ok()) {
      io.err << ErrorLine(parsed_techniques.status()) << "\n";
      return kExitUsage;
    }
    techniques = *std::move(parsed_techniques);
  }
  if (const TextFlag flag = absl::GetFlag(FLAGS_technique); flag.given) {
    absl::StatusOr<common::v1::Technique> t = ParseTechnique(flag.value, "--technique");
    if (!t.ok()) {
      io.err << ErrorLine(t.status()) << "\n";
      return kExitUsage;
    }
    technique = *t;
  }
  std::unique_ptr<Connection> connection = OpenConnection(io);
  if (connection == nullptr) return kExitUsage;
  SchedulingRunner runner(io, *connection, absl::UTCTimeZone());
  switch (parsed->index) {
    case kAdd:
      return runner.AddTherapist(std::move(hours), std::move(techniques));
    case kList:
      return runner.ListTherapists(technique);
    case kShow:
      return runner.ShowTherapist(parsed->name);
    case kHours:
      return runner.SetHours(parsed->name, std::move(hours));
  }
  return kExitUsage;
}

int RunSchedulingCommand(const std::vector<std::string>& args, const CommandIo& io) {
  const std::string usage = SchedulingUsage(io.program);
  absl::StatusOr<ParsedSubcommand> parsed =
      ParseSubcommand(SchedulingGroup(io.program), args, OwnFlags(), ForeignFlags());
  if (!parsed.ok()) return UsageFailure(io, parsed.status().message(), usage);
  const std::string& verb = args[0];
  auto local_failure = [&](const absl::Status& status) {
    io.err << ErrorLine(status) << "\n";
    return kExitUsage;
  };
  absl::StatusOr<absl::TimeZone> zone = TimeZoneFromFlag();
  if (!zone.ok()) return local_failure(zone.status());
  const int32_t duration = absl::GetFlag(FLAGS_duration);
  if (duration < 0)
    return local_failure(absl::InvalidArgumentError("--duration: must be positive"));
  const TextFlag therapist = absl::GetFlag(FLAGS_therapist);
  const TextFlag plan = absl::GetFlag(FLAGS_plan);
  const TextFlag client = absl::GetFlag(FLAGS_client);

  // The local start for book, book-series and reschedule.
  google::protobuf::Timestamp start;
  if (parsed->index == kBook || parsed->index == kBookSeries || parsed->index == kReschedule) {
    if (!absl::GetFlag(FLAGS_start).given) {
      return UsageFailure(io, absl::StrCat(verb, " needs --start=\"YYYY-MM-DD HH:MM\""), usage);
    }
    absl::StatusOr<google::protobuf::Timestamp> parsed_start =
        ParseLocalTime(absl::GetFlag(FLAGS_start).value, *zone, "--start");
    if (!parsed_start.ok()) return local_failure(parsed_start.status());
    start = *parsed_start;
  }
  if ((parsed->index == kBook || parsed->index == kBookSeries) && !therapist.given) {
    return UsageFailure(io, absl::StrCat(verb, " needs --therapist=therapists/ID"), usage);
  }
  if (parsed->index == kBook && !client.given) {
    return UsageFailure(io, "book needs --client=clients/ID", usage);
  }
  if (parsed->index == kBookSeries && !plan.given) {
    return UsageFailure(io, "book-series needs --plan=clients/ID/plans/ID", usage);
  }
  if (parsed->index == kCancel && absl::GetFlag(FLAGS_reason).value.empty()) {
    return UsageFailure(io, "cancel needs --reason=TEXT: why the appointment is cancelled", usage);
  }
  scheduling::v1::FindAvailableSlotsRequest slots;
  if (parsed->index == kSlots) {
    const TextFlag technique = absl::GetFlag(FLAGS_technique);
    if (therapist.given == technique.given) {
      return UsageFailure(
          io, "slots needs exactly one of --therapist=therapists/ID and --technique=X", usage);
    }
    if (!absl::GetFlag(FLAGS_from).given) {
      return UsageFailure(io, "slots needs --from=YYYY-MM-DD", usage);
    }
    absl::StatusOr<google::type::Date> from = ParseDate(absl::GetFlag(FLAGS_from).value, "--from");
    if (!from.ok()) return local_failure(from.status());
    const int32_t days = absl::GetFlag(FLAGS_days) == 0 ? 7 : absl::GetFlag(FLAGS_days);
    if (days < 1 || days > 31) {
      return local_failure(
          absl::InvalidArgumentError(absl::StrCat("--days: must be 1 to 31, got ", days)));
    }
    if (technique.given) {
      absl::StatusOr<common::v1::Technique> t = ParseTechnique(technique.value, "--technique");
      if (!t.ok()) return local_failure(t.status());
      slots.set_technique(*t);
    } else {
      slots.set_therapist(therapist.value);
    }
    const absl::CivilDay first(from->year(), from->month(), from->day());
    *slots.mutable_start_time() = ToTimestamp(zone->At(absl::CivilSecond(first)).pre);
    *slots.mutable_end_time() = ToTimestamp(zone->At(absl::CivilSecond(first + days)).pre);
    slots.set_duration_minutes(duration == 0 ? 60 : duration);
  }
  google::type::Date date = LocalToday();
  if (parsed->index == kDay) {
    if (const TextFlag flag = absl::GetFlag(FLAGS_date); flag.given) {
      absl::StatusOr<google::type::Date> parsed_date = ParseDate(flag.value, "--date");
      if (!parsed_date.ok()) return local_failure(parsed_date.status());
      date = *parsed_date;
    } else {
      const absl::CivilDay today = absl::ToCivilDay(absl::Now(), *zone);
      date.set_year(static_cast<int>(today.year()));
      date.set_month(today.month());
      date.set_day(today.day());
    }
  }

  std::unique_ptr<Connection> connection = OpenConnection(io);
  if (connection == nullptr) return kExitUsage;
  SchedulingRunner runner(io, *connection, *zone);
  const std::string etag = absl::GetFlag(FLAGS_etag).value;
  switch (parsed->index) {
    case kSlots:
      return runner.Slots(std::move(slots));
    case kBook: {
      scheduling::v1::BookAppointmentRequest request;
      Appointment* a = request.mutable_appointment();
      a->set_client(ClientName(client.value));
      a->set_therapist(therapist.value);
      a->set_plan(plan.value);
      *a->mutable_start_time() = start;
      a->set_duration_minutes(duration == 0 ? 60 : duration);
      return runner.Book(std::move(request));
    }
    case kBookSeries: {
      scheduling::v1::BookSeriesRequest request;
      request.set_plan(plan.value);
      request.set_therapist(therapist.value);
      *request.mutable_first_start_time() = start;
      return runner.BookSeries(std::move(request));
    }
    case kReschedule: {
      scheduling::v1::RescheduleAppointmentRequest request;
      request.set_name(parsed->name);
      *request.mutable_start_time() = start;
      request.set_duration_minutes(duration);
      request.set_etag(etag);
      return runner.Reschedule(std::move(request));
    }
    case kCancel: {
      scheduling::v1::CancelAppointmentRequest request;
      request.set_name(parsed->name);
      request.set_reason(absl::GetFlag(FLAGS_reason).value);
      request.set_etag(etag);
      return runner.Cancel(std::move(request));
    }
    case kCheckIn: {
      scheduling::v1::CheckInAppointmentRequest request;
      request.set_name(parsed->name);
      request.set_etag(etag);
      return runner.CheckIn(std::move(request));
    }
    case kNoShow: {
      scheduling::v1::MarkNoShowRequest request;
      request.set_name(parsed->name);
      request.set_etag(etag);
      return runner.NoShow(std::move(request));
    }
    case kDay:
      return runner.Day(date);
  }
  return kExitUsage;
}

}  // namespace velknee::cli

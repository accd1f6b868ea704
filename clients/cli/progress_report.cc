#include "clients/cli/progress_report.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace velknee::cli {
namespace {

constexpr char kBefore = '#';
constexpr char kAfter = 'o';
constexpr char kBoth = '*';
constexpr int kColumnWidth = 3;

std::string Date(const google::protobuf::Timestamp& time, absl::TimeZone time_zone) {
  return absl::FormatTime("%Y-%m-%d", absl::FromUnixSeconds(time.seconds()), time_zone);
}

std::string OrDash(bool present, int value) { return present ? absl::StrCat(value) : "-"; }

std::string Summary(const notes::v1::PlanProgress& p) {
  std::string out = absl::StrCat("Progress of ", p.plan(), "\n");
  absl::StrAppend(&out, "Sessions:        ", p.signed_sessions(), " of ", p.planned_sessions(),
                  " signed (planned every ", p.planned_interval_days(), " days)\n");
  absl::StrAppend(&out, "Pain before:     first ", OrDash(p.has_first_pain(), p.first_pain()),
                  ", latest ", OrDash(p.has_latest_pain(), p.latest_pain()), ", change ",
                  p.has_pain_change() ? absl::StrFormat("%+d", p.pain_change()) : "-", "\n");
  absl::StrAppend(&out, "Mean relief:     ",
                  p.has_mean_relief() ? absl::StrFormat("%.2f", p.mean_relief()) : "-",
                  " (pain before minus after, per session)\n");
  absl::StrAppend(&out, "Late sessions:   ", p.late_sessions(),
                  " (more than 2 days past the planned interval)\n");
  absl::StrAppend(&out, "Adverse effects: ", p.adverse_effect_count(), "\n");
  return out;
}

std::string Table(const notes::v1::PlanProgress& p, absl::TimeZone time_zone) {
  std::string out = absl::StrFormat("\n%3s  %-10s  %6s  %5s  %6s  %s\n", "#", "DATE", "BEFORE",
                                    "AFTER", "RELIEF", "GAP");
  for (int i = 0; i < p.sessions_size(); ++i) {
    const notes::v1::SessionPain& s = p.sessions(i);
    const bool both = s.has_pain_before() && s.has_pain_after();
    std::string gap;
    if (i > 0 && i - 1 < p.gaps_size()) {
      gap = absl::StrCat(p.gaps(i - 1).days(), " d", p.gaps(i - 1).late() ? "  late" : "");
    }
    std::string row = absl::StrFormat(
        "%3d  %-10s  %6s  %5s  %6s  %s", i + 1, Date(s.session_time(), time_zone),
        OrDash(s.has_pain_before(), s.pain_before()), OrDash(s.has_pain_after(), s.pain_after()),
        OrDash(both, s.pain_before() - s.pain_after()), gap);
    absl::StrAppend(&out, absl::StripTrailingAsciiWhitespace(row), "\n");
  }
  return out;
}

std::string Chart(const notes::v1::PlanProgress& p) {
  std::string out = absl::StrFormat("\nPain before (%c) and after (%c) each session; %c both\n",
                                    kBefore, kAfter, kBoth);
  for (int level = 10; level >= 0; --level) {
    std::string row = absl::StrFormat("%2d |", level);
    for (const notes::v1::SessionPain& s : p.sessions()) {
      const bool before = s.has_pain_before() && s.pain_before() == level;
      const bool after = s.has_pain_after() && s.pain_after() == level;
      const char mark = before && after ? kBoth : before ? kBefore : after ? kAfter : ' ';
      absl::StrAppend(&row, std::string(kColumnWidth - 1, ' '), std::string(1, mark));
    }
    while (!row.empty() && row.back() == ' ') row.pop_back();
    absl::StrAppend(&out, row, "\n");
  }
  absl::StrAppend(&out, "   +", std::string(p.sessions_size() * kColumnWidth + 1, '-'), "\n    ");
  for (int i = 1; i <= p.sessions_size(); ++i) absl::StrAppendFormat(&out, "%*d", kColumnWidth, i);
  absl::StrAppend(&out, "  session\n");
  return out;
}

std::string Goals(const notes::v1::PlanProgress& p) {
  if (p.goals().empty()) return "";
  std::string out = "\nGoals:\n";
  for (const notes::v1::GoalProgress& goal : p.goals()) {
    absl::StrAppend(&out, goal.met() ? "  [met]     " : "  [not yet] ", goal.description());
    if (goal.has_target_pain()) absl::StrAppend(&out, " (target pain ", goal.target_pain(), ")");
    absl::StrAppend(&out, "\n");
  }
  return out;
}

}  // namespace

std::string ProgressReport(const notes::v1::PlanProgress& progress, absl::TimeZone time_zone) {
  std::string out = Summary(progress);
  if (progress.sessions().empty()) {
    absl::StrAppend(&out, "\nNo signed sessions yet.\n");
  } else {
    absl::StrAppend(&out, Table(progress, time_zone), Chart(progress));
  }
  absl::StrAppend(&out, Goals(progress));
  return out;
}

}  // namespace velknee::cli

#include "tools/bench/scale.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <functional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "tools/bench/child_process.h"

namespace velknee::bench {
namespace {

constexpr int kPageSize = 50;

// One page the scale mode measures.
struct Page {
  std::string name;
  std::string description;
  std::function<Call(Records&)> call;
};

std::vector<Page> Pages() {
  auto clients = [](const std::string& query) {
    return [query](Records& records) {
      intake::v1::ListClientsRequest request;
      request.set_query(query);
      request.set_page_size(kPageSize);
      return Call{Methods::kListClients, Serialize(request), records.tokens.front_desk};
    };
  };
  return {
      {"list-clients", "ListClients, no query, first page of 50", clients("")},
      {"list-clients-z", "ListClients \"z\": matches nobody", clients("z")},
      {"list-notes", absl::StrCat("ListNotes of a client holding 1/", kScalePlans, " of all notes"),
       [](Records& records) {
         notes::v1::ListNotesRequest request;
         request.set_parent(records.plan_clients.front());
         request.set_page_size(kPageSize);
         return Call{Methods::kListNotes, Serialize(request), records.tokens.therapist};
       }},
      {"list-appointments",
       absl::StrCat("ListAppointments of a therapist holding 1/", kScaleTherapists,
                    " of all appointments"),
       [](Records& records) {
         scheduling::v1::ListAppointmentsRequest request;
         request.set_therapist(records.therapists.front());
         request.set_page_size(kPageSize);
         return Call{Methods::kListAppointments, Serialize(request), records.tokens.front_desk};
       }},
      // Last: before its paging is fixed it is slow enough that calls it gave up on keep the
      // server busy after its measurement ends, which would spoil the next page's.
      {"list-clients-b", "ListClients \"b\": matches every client", clients("b")},
  };
}

absl::Status GrowTo(const std::vector<std::shared_ptr<grpc::Channel>>& channels, Records& records,
                    uint64_t rows, uint64_t& notes, const LoadOptions& seed,
                    std::vector<std::string>& log) {
  const absl::Time start = absl::Now();
  const uint64_t clients = rows > records.next_client ? rows - records.next_client : 0;
  if (absl::Status status = AddClients(channels, records, clients, seed); !status.ok()) {
    return status;
  }
  const uint64_t new_notes = rows > notes ? rows - notes : 0;
  if (absl::Status status = AddNotes(channels, records, new_notes, seed); !status.ok()) {
    return status;
  }
  notes += new_notes;
  const uint64_t appointments = rows > records.next_slot ? rows - records.next_slot : 0;
  if (absl::Status status = AddAppointments(channels, records, appointments, seed); !status.ok()) {
    return status;
  }
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  const uint64_t calls = clients + new_notes + appointments;
  log.push_back(absl::StrFormat(
      "seeded to %d clients, notes and appointments: %d calls through the API in %.0f s "
      "(%.0f calls/s)",
      rows, calls, seconds, seconds > 0 ? calls / seconds : 0));
  return absl::OkStatus();
}

}  // namespace

absl::Status RunScale(const std::vector<std::shared_ptr<grpc::Channel>>& channels, Records& records,
                      std::optional<pid_t> server, const ScaleOptions& options, Report& report) {
  uint64_t notes = 0;
  const std::vector<Page> pages = Pages();
  std::vector<std::vector<double>> p99(pages.size());
  double large_resident_mb = 0;
  for (const uint64_t rows : {options.small_rows, options.large_rows}) {
    if (absl::Status status = GrowTo(channels, records, rows, notes, options.seed, report.notes);
        !status.ok()) {
      return status;
    }
    std::atomic<int64_t> peak_resident{0};
    LoadOptions measure = options.measure;
    if (server.has_value()) {
      measure.sample = [&peak_resident, pid = *server] {
        if (absl::StatusOr<int64_t> bytes = ResidentBytes(pid); bytes.ok()) {
          peak_resident = std::max(peak_resident.load(), *bytes);
        }
      };
    }
    for (size_t i = 0; i < pages.size(); ++i) {
      const Page& page = pages[i];
      Row row{
          absl::StrCat(page.name, " @", rows), page.description,
          RunLoad(
              channels, [&](uint64_t) { return std::make_unique<SingleCall>(page.call(records)); },
              measure)};
      p99[i].push_back(CheckedP99Ms(row.result));
      report.rows.push_back(std::move(row));
      if (Interrupted()) return absl::CancelledError("interrupted");
    }
    if (server.has_value()) {
      const double mb = peak_resident.load() / (1024.0 * 1024.0);
      report.notes.push_back(absl::StrFormat(
          "server resident memory at %d rows under the page load: peak %.1f MB", rows, mb));
      large_resident_mb = mb;
    }
  }
  for (size_t i = 0; i < pages.size(); ++i) {
    report.checks.push_back(
        {absl::StrFormat("%s p99 @%d / @%d", pages[i].name, options.large_rows, options.small_rows),
         // A broken small-size measurement (infinite p99) must not make the ratio look small.
         std::isinf(p99[i][0]) ? p99[i][0] : p99[i][1] / p99[i][0], Targets::kPageP99RatioAtMost,
         false, "x"});
  }
  if (server.has_value()) {
    report.checks.push_back({absl::StrFormat("server resident memory @%d", options.large_rows),
                             large_resident_mb, Targets::kResidentMbAtMost, false, "MB"});
  }
  return absl::OkStatus();
}

}  // namespace velknee::bench

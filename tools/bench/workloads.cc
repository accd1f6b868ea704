#include "tools/bench/workloads.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_join.h"
#include "common/api/timestamps.h"

namespace velknee::bench {
namespace {

Call GetClient(Records& records, uint64_t n) {
  intake::v1::GetClientRequest request;
  request.set_name(records.clients[n % records.clients.size()]);
  return {Methods::kGetClient, Serialize(request), records.tokens.front_desk};
}

// Search as you type: the first one, two or three letters of a client's family name, the
// first page of 50.
Call ListClients(Records& records, uint64_t n) {
  intake::v1::ListClientsRequest request;
  const std::string family = FamilyNameOf(records, n % records.next_client.load());
  request.set_query(absl::AsciiStrToLower(family.substr(0, n % 3 + 1)));
  request.set_page_size(50);
  return {Methods::kListClients, Serialize(request), records.tokens.front_desk};
}

Call CreateClient(Records& records) {
  return {Methods::kCreateClient, Serialize(NewClientRequest(records)), records.tokens.front_desk};
}

Call Book(Records& records) {
  return {Methods::kBookAppointment, Serialize(NewBookingRequest(records)),
          records.tokens.front_desk};
}

// The day sheet: one therapist's appointments of the first bookable day.
Call DaySheet(Records& records, uint64_t n) {
  scheduling::v1::ListAppointmentsRequest request;
  request.set_therapist(records.therapists[n % records.therapists.size()]);
  *request.mutable_start_time() = ToTimestamp(records.first_slot);
  *request.mutable_end_time() = ToTimestamp(records.first_slot + absl::Hours(24));
  request.set_page_size(50);
  return {Methods::kListAppointments, Serialize(request), records.tokens.front_desk};
}

// The therapist writes the session's note and signs it: CreateNote, then SignNote with the
// etag CreateNote returned.
class WriteAndSignNote final : public Operation {
 public:
  WriteAndSignNote(Records& records, uint64_t n) : records_(records), n_(n) {}

  std::optional<Call> Next(const grpc::ByteBuffer* previous_response) override {
    switch (step_++) {
      case 0:
        return Call{Methods::kCreateNote, Serialize(NewNoteRequest(records_, n_)),
                    records_.tokens.therapist};
      case 1: {
        // A response that does not parse leaves the name empty, and SignNote's refusal counts
        // the operation as failed.
        notes::v1::SessionNote note;
        Parse(*previous_response, note);
        notes::v1::SignNoteRequest request;
        request.set_name(note.name());
        request.set_etag(note.etag());
        request.set_request_id(NewRequestId(records_));
        return Call{Methods::kSignNote, Serialize(request), records_.tokens.therapist};
      }
      default:
        return std::nullopt;
    }
  }

 private:
  Records& records_;
  const uint64_t n_;
  int step_ = 0;
};

std::unique_ptr<Operation> One(Call call) { return std::make_unique<SingleCall>(std::move(call)); }

// A clinic day, in twentieths: the desk looks clients up and searches far more than it
// registers or books; therapists sign a note per session.
std::unique_ptr<Operation> ClinicDay(Records& records, uint64_t n) {
  const uint64_t share = n % 20;
  if (share < 9) return One(GetClient(records, n));       // 45%
  if (share < 14) return One(ListClients(records, n));    // 25%
  if (share < 16) return One(DaySheet(records, n));       // 10%
  if (share < 18) return One(Book(records));              // 10%
  if (share < 19) return One(CreateClient(records));      //  5%
  return std::make_unique<WriteAndSignNote>(records, n);  //  5%
}

}  // namespace

const std::vector<std::string>& WorkloadNames() {
  static const std::vector<std::string> names = {"get-client",  "list-clients", "create-client",
                                                 "create-note", "book",         "mixed"};
  return names;
}

absl::Status KnownWorkload(const std::string& name) {
  const std::vector<std::string>& names = WorkloadNames();
  if (std::find(names.begin(), names.end(), name) != names.end()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat("--workloads: unknown workload \"", name,
                                                 "\" (known: ", absl::StrJoin(names, ", "), ")"));
}

absl::StatusOr<Workload> WorkloadNamed(const std::string& name, Records& records) {
  Records* r = &records;
  if (name == "get-client") {
    return Workload{name, "GetClient of a seeded client (front desk)",
                    [r](uint64_t n) { return One(GetClient(*r, n)); }};
  }
  if (name == "list-clients") {
    return Workload{name, "ListClients, a 1-3 letter name prefix, page of 50 (front desk)",
                    [r](uint64_t n) { return One(ListClients(*r, n)); }};
  }
  if (name == "create-client") {
    return Workload{name, "CreateClient, a new client (front desk)",
                    [r](uint64_t) { return One(CreateClient(*r)); }};
  }
  if (name == "create-note") {
    return Workload{name, "CreateNote + SignNote: 2 calls (therapist)",
                    [r](uint64_t n) { return std::make_unique<WriteAndSignNote>(*r, n); }};
  }
  if (name == "book") {
    return Workload{name, "BookAppointment of a free 15-minute slot (front desk)",
                    [r](uint64_t) { return One(Book(*r)); }};
  }
  if (name == "mixed") {
    return Workload{name,
                    "a clinic day: 45% get, 25% search, 10% day sheet, 10% book, "
                    "5% new client, 5% note + sign",
                    [r](uint64_t n) { return ClinicDay(*r, n); }};
  }
  return KnownWorkload(name);
}

}  // namespace velknee::bench

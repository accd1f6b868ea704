#ifndef VELKNEE_TOOLS_BENCH_SEED_H_
#define VELKNEE_TOOLS_BENCH_SEED_H_

// The records the workloads need, made straight through velknee's public API as the clinic
// would make them (so every invariant holds: validation, ids, audit chain), and the requests
// that make more of them. Every record of one run carries the run's random tag, so runs against
// the same server never collide.

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "tools/bench/load.h"
#include "velknee/intake/v1/intake_service.pb.h"
#include "velknee/notes/v1/session_note_service.pb.h"
#include "velknee/scheduling/v1/scheduling_service.pb.h"

namespace velknee::bench {

// The tokens of the roles the workloads play.
struct Tokens {
  std::string admin;
  std::string front_desk;
  std::string therapist;
};

// Every full method name the benchmark calls.
struct Methods {
  static const std::string kCreateClient, kGetClient, kListClients, kCreateNote, kSignNote,
      kListNotes, kBookAppointment, kListAppointments;
};

// What a run has made, and the counters that keep what it makes next distinct. Shared by all
// client threads: the vectors are filled before the load starts and only read during it.
struct Records {
  std::string run;  // the run's tag: five letters, in request ids and therapist ids
  Tokens tokens;
  std::vector<std::string> clients;       // ACTIVE clients (at most kKeptClients of them)
  std::vector<std::string> plan_clients;  // clients with an ACTIVE plan ...
  std::vector<std::string> plans;         // ... and that plan, index by index
  std::vector<std::string> therapists;    // bookable around the clock, every day
  absl::Time first_slot;                  // the start of the first bookable slot
  std::atomic<uint64_t> next_client{0};
  std::atomic<uint64_t> next_slot{0};
  std::atomic<uint64_t> next_request{0};

  static constexpr size_t kKeptClients = 10000;
  static constexpr int kSlotMinutes = 15;
};

// A new client (given name "Bench", a family name of the letters a to y unique within the run,
// so the query "b" matches every benchmark client and "z" none).
intake::v1::CreateClientRequest NewClientRequest(Records& records);
// The family name of the run's n-th client (n < next_client).
std::string FamilyNameOf(const Records& records, uint64_t n);
// A signed-off-able note for plan `index % plans` at a minute ago: one applied technique, pain
// before and after.
notes::v1::CreateNoteRequest NewNoteRequest(Records& records, uint64_t index);
// The next free slot: therapists take turns, each slot of kSlotMinutes after the previous, and
// no client has two appointments at one time.
scheduling::v1::BookAppointmentRequest NewBookingRequest(Records& records);

// A request id unique within the run.
std::string NewRequestId(Records& records);

// A fresh Records for `tokens`, with `therapists` bookable therapists (made with the admin
// token) and `plans` clients, each with a submitted knee assessment and an ACTIVE plan (made
// with the therapist token). The first error of the API, naming the call.
absl::StatusOr<std::unique_ptr<Records>> NewRecords(const std::shared_ptr<grpc::Channel>& channel,
                                                    const Tokens& tokens, int therapists,
                                                    int plans);

// Makes `count` more clients, notes (drafts, spread evenly over the plans) or appointments
// through the API with `options.in_flight` calls in flight. Fails with the first error's code
// and message and how many calls failed.
absl::Status AddClients(const std::vector<std::shared_ptr<grpc::Channel>>& channels,
                        Records& records, uint64_t count, LoadOptions options);
absl::Status AddNotes(const std::vector<std::shared_ptr<grpc::Channel>>& channels, Records& records,
                      uint64_t count, LoadOptions options);
absl::Status AddAppointments(const std::vector<std::shared_ptr<grpc::Channel>>& channels,
                             Records& records, uint64_t count, LoadOptions options);

}  // namespace velknee::bench

#endif  // VELKNEE_TOOLS_BENCH_SEED_H_

#ifndef VELKNEE_SERVICES_SCHEDULING_SCHEDULING_SERVICE_H_
#define VELKNEE_SERVICES_SCHEDULING_SCHEDULING_SERVICE_H_

// SchedulingService: therapists with their working hours, and appointments. Clients are read
// through IntakeService and plans through TreatmentPlanService. Appointments carry no clinical
// content, so the front desk sees them all.
//
// Thread-safe.

#include <vector>

#include "absl/time/time.h"
#include "common/client/peer.h"
#include "common/server/rpc.h"
#include "common/storage/database.h"
#include "services/scheduling/scheduling_store.h"
#include "velknee/scheduling/v1/scheduling_service.grpc.pb.h"

namespace velknee::scheduling {

// The ordered schema of scheduling.db.
std::vector<Migration> SchedulingMigrations();

class SchedulingService final : public v1::SchedulingService::Service {
 public:
  // `db` is scheduling.db (opened with SchedulingMigrations()), `audit` its audit queue,
  // `intake` and `plans` the peers; none is owned. Working hours are in `clinic_time_zone`.
  SchedulingService(Database* db, AuditQueue* audit, TokenStore* tokens,
                    absl::Duration default_deadline, absl::TimeZone clinic_time_zone,
                    const Peer* intake, const Peer* plans);

  grpc::Status CreateTherapist(grpc::ServerContext* context,
                               const v1::CreateTherapistRequest* request,
                               v1::Therapist* response) override;
  grpc::Status GetTherapist(grpc::ServerContext* context, const v1::GetTherapistRequest* request,
                            v1::Therapist* response) override;
  grpc::Status UpdateTherapist(grpc::ServerContext* context,
                               const v1::UpdateTherapistRequest* request,
                               v1::Therapist* response) override;
  grpc::Status ListTherapists(grpc::ServerContext* context,
                              const v1::ListTherapistsRequest* request,
                              v1::ListTherapistsResponse* response) override;
  grpc::Status BookAppointment(grpc::ServerContext* context,
                               const v1::BookAppointmentRequest* request,
                               v1::Appointment* response) override;
  grpc::Status BookSeries(grpc::ServerContext* context, const v1::BookSeriesRequest* request,
                          v1::BookSeriesResponse* response) override;
  grpc::Status FindAvailableSlots(grpc::ServerContext* context,
                                  const v1::FindAvailableSlotsRequest* request,
                                  v1::FindAvailableSlotsResponse* response) override;
  grpc::Status GetAppointment(grpc::ServerContext* context,
                              const v1::GetAppointmentRequest* request,
                              v1::Appointment* response) override;
  grpc::Status ListAppointments(grpc::ServerContext* context,
                                const v1::ListAppointmentsRequest* request,
                                v1::ListAppointmentsResponse* response) override;
  grpc::Status RescheduleAppointment(grpc::ServerContext* context,
                                     const v1::RescheduleAppointmentRequest* request,
                                     v1::Appointment* response) override;
  grpc::Status CancelAppointment(grpc::ServerContext* context,
                                 const v1::CancelAppointmentRequest* request,
                                 v1::Appointment* response) override;
  grpc::Status CheckInAppointment(grpc::ServerContext* context,
                                  const v1::CheckInAppointmentRequest* request,
                                  v1::Appointment* response) override;
  grpc::Status MarkNoShow(grpc::ServerContext* context, const v1::MarkNoShowRequest* request,
                          v1::Appointment* response) override;
  grpc::Status CompleteAppointment(grpc::ServerContext* context,
                                   const v1::CompleteAppointmentRequest* request,
                                   v1::Appointment* response) override;

 private:
  // The client must exist and be active, and a named plan must be the client's ACTIVE plan;
  // read through the peers before any transaction.
  absl::Status CheckClientAndPlan(const Call& call, const v1::Appointment& appointment) const;
  // Inside the booking transaction: the therapist is active, the slot lies inside their
  // working hours, and no live appointment of the therapist or the client overlaps it.
  absl::Status CheckSlotFree(SQLite::Database& db, const v1::Appointment& appointment) const;
  // Free starts for therapist `therapist_id` in [from, to): a 15-minute grid of local time,
  // inside working hours and clear of live appointments (one query for the busy times).
  absl::Status AddFreeSlots(const std::string& therapist_id, absl::Time from, absl::Time to,
                            absl::Duration duration, v1::FindAvailableSlotsResponse& response);
  // Moves appointment `name` from `from` to `to` (FAILED_PRECONDITION from any other state).
  absl::StatusOr<v1::Appointment> Transition(const Call& call, const std::string& name,
                                             const std::string& etag, v1::Appointment::State from,
                                             v1::Appointment::State to,
                                             const std::string& cancel_reason);

  const RpcRunner rpc_;
  const absl::TimeZone clinic_time_zone_;
  SchedulingStore store_;
  const Peer* const intake_;
  const Peer* const plans_;
};

}  // namespace velknee::scheduling

#endif  // VELKNEE_SERVICES_SCHEDULING_SCHEDULING_SERVICE_H_

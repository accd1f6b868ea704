#ifndef VELKNEE_SERVICES_INTAKE_INTAKE_SERVICE_H_
#define VELKNEE_SERVICES_INTAKE_INTAKE_SERVICE_H_

// IntakeService: client records and intake assessments with their screening. Each handler
// authorizes through the RpcRunner, validates, then calls the store.
//
// Thread-safe.

#include <vector>

#include "absl/time/time.h"
#include "common/server/rpc.h"
#include "common/storage/database.h"
#include "services/intake/assessment_store.h"
#include "services/intake/client_store.h"
#include "velknee/intake/v1/intake_service.grpc.pb.h"

namespace velknee::intake {

// The ordered schema of intake.db.
std::vector<Migration> IntakeMigrations();

class IntakeService final : public v1::IntakeService::Service {
 public:
  // `db` is the intake database (opened with IntakeMigrations()) and `audit` its audit queue;
  // neither is owned. Dates are judged in `clinic_time_zone`.
  IntakeService(Database* db, AuditQueue* audit, TokenStore* tokens,
                absl::Duration default_deadline, absl::TimeZone clinic_time_zone);

  grpc::Status CreateClient(grpc::ServerContext* context, const v1::CreateClientRequest* request,
                            v1::Client* response) override;
  grpc::Status GetClient(grpc::ServerContext* context, const v1::GetClientRequest* request,
                         v1::Client* response) override;
  grpc::Status UpdateClient(grpc::ServerContext* context, const v1::UpdateClientRequest* request,
                            v1::Client* response) override;
  grpc::Status ListClients(grpc::ServerContext* context, const v1::ListClientsRequest* request,
                           v1::ListClientsResponse* response) override;
  grpc::Status ArchiveClient(grpc::ServerContext* context, const v1::ArchiveClientRequest* request,
                             v1::Client* response) override;

  grpc::Status CreateAssessment(grpc::ServerContext* context,
                                const v1::CreateAssessmentRequest* request,
                                v1::Assessment* response) override;
  grpc::Status GetAssessment(grpc::ServerContext* context, const v1::GetAssessmentRequest* request,
                             v1::Assessment* response) override;
  grpc::Status UpdateAssessment(grpc::ServerContext* context,
                                const v1::UpdateAssessmentRequest* request,
                                v1::Assessment* response) override;
  grpc::Status SubmitAssessment(grpc::ServerContext* context,
                                const v1::SubmitAssessmentRequest* request,
                                v1::Assessment* response) override;
  grpc::Status ListAssessments(grpc::ServerContext* context,
                               const v1::ListAssessmentsRequest* request,
                               v1::ListAssessmentsResponse* response) override;

 private:
  const RpcRunner rpc_;
  const absl::TimeZone clinic_time_zone_;
  ClientStore clients_;
  AssessmentStore assessments_;
};

}  // namespace velknee::intake

#endif  // VELKNEE_SERVICES_INTAKE_INTAKE_SERVICE_H_

#ifndef VELKNEE_TESTS_HARNESS_CLINIC_RECORDS_H_
#define VELKNEE_TESTS_HARNESS_CLINIC_RECORDS_H_

// Clinical records made the way the clinic makes them: through IntakeService's and
// TreatmentPlanService's own stubs, so that the service under test reads them as it would read
// any client's.

#include <functional>
#include <memory>
#include <string>

#include "common/auth/principal.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "tests/harness/clinic_server.h"
#include "velknee/intake/v1/intake_service.grpc.pb.h"
#include "velknee/plans/v1/treatment_plan_service.grpc.pb.h"

namespace velknee::test {

// Registers clients and creates, submits and activates their records. A refused call fails the
// test (it does not stop it) and leaves the returned message as far as it got.
class ClinicRecords {
 public:
  // Sets the bearer token of a role and a deadline on a context.
  using PrepareFn = std::function<void(grpc::ClientContext&, Role)>;

  // The channels are read when a record is made, so either may be null until one is.
  ClinicRecords(std::shared_ptr<grpc::Channel> intake_channel,
                std::shared_ptr<grpc::Channel> plans_channel, PrepareFn prepare);
  // Both services on `server`.
  explicit ClinicRecords(const ClinicServer& server);

  // Registers `given_name family_name` with `phone`, as `role`.
  intake::v1::Client NewClient(const std::string& given_name, const std::string& family_name,
                               const std::string& phone, Role role = Role::kTherapist) const;

  // Creates `assessment` for `client` as the therapist and, when `submit`, submits it (so it is
  // screened). Returns the stored assessment.
  intake::v1::Assessment NewAssessment(const std::string& client,
                                       const intake::v1::Assessment& assessment,
                                       bool submit = true) const;

  // Creates `plan` for `client` from `assessment` as the therapist and, when `activate`,
  // activates it. Returns the stored plan.
  plans::v1::TreatmentPlan NewPlan(const std::string& client, const std::string& assessment,
                                   plans::v1::TreatmentPlan plan, bool activate = true) const;

 private:
  std::shared_ptr<grpc::Channel> intake_channel_;
  std::shared_ptr<grpc::Channel> plans_channel_;
  PrepareFn prepare_;
};

// A knee assessment complete enough to submit: `chief_complaint`, bilateral anterior knee pain
// of `current_pain`, health screen done, informed consent signed by `signer_name`; no
// conditions.
intake::v1::Assessment KneeAssessment(const std::string& chief_complaint, int current_pain,
                                      const std::string& signer_name);

}  // namespace velknee::test

#endif  // VELKNEE_TESTS_HARNESS_CLINIC_RECORDS_H_

#include "tests/harness/clinic_records.h"

#include <utility>

#include "gtest/gtest.h"
#include "tests/support/proto_builders.h"

namespace velknee::test {

ClinicRecords::ClinicRecords(std::shared_ptr<grpc::Channel> intake_channel,
                             std::shared_ptr<grpc::Channel> plans_channel, PrepareFn prepare)
    : intake_channel_(std::move(intake_channel)),
      plans_channel_(std::move(plans_channel)),
      prepare_(std::move(prepare)) {}

ClinicRecords::ClinicRecords(const ClinicServer& server)
    : ClinicRecords(
          server.channel(), server.channel(),
          [&server](grpc::ClientContext& context, Role role) { server.Prepare(context, role); }) {}

intake::v1::Client ClinicRecords::NewClient(const std::string& given_name,
                                            const std::string& family_name,
                                            const std::string& phone, Role role) const {
  intake::v1::CreateClientRequest request;
  request.mutable_client()->set_given_name(given_name);
  request.mutable_client()->set_family_name(family_name);
  request.mutable_client()->set_phone(phone);
  grpc::ClientContext context;
  prepare_(context, role);
  intake::v1::Client client;
  const grpc::Status status =
      intake::v1::IntakeService::NewStub(intake_channel_)->CreateClient(&context, request, &client);
  EXPECT_TRUE(status.ok()) << "CreateClient: " << status.error_message();
  return client;
}

intake::v1::Assessment ClinicRecords::NewAssessment(const std::string& client,
                                                    const intake::v1::Assessment& assessment,
                                                    bool submit) const {
  auto stub = intake::v1::IntakeService::NewStub(intake_channel_);
  intake::v1::CreateAssessmentRequest create;
  create.set_parent(client);
  *create.mutable_assessment() = assessment;
  intake::v1::Assessment created;
  {
    grpc::ClientContext context;
    prepare_(context, Role::kTherapist);
    const grpc::Status status = stub->CreateAssessment(&context, create, &created);
    EXPECT_TRUE(status.ok()) << "CreateAssessment: " << status.error_message();
    if (!status.ok() || !submit) return created;
  }
  intake::v1::SubmitAssessmentRequest request;
  request.set_name(created.name());
  intake::v1::Assessment submitted;
  grpc::ClientContext context;
  prepare_(context, Role::kTherapist);
  const grpc::Status status = stub->SubmitAssessment(&context, request, &submitted);
  EXPECT_TRUE(status.ok()) << "SubmitAssessment: " << status.error_message();
  return submitted;
}

plans::v1::TreatmentPlan ClinicRecords::NewPlan(const std::string& client,
                                                const std::string& assessment,
                                                plans::v1::TreatmentPlan plan,
                                                bool activate) const {
  auto stub = plans::v1::TreatmentPlanService::NewStub(plans_channel_);
  plan.set_assessment(assessment);
  plans::v1::CreatePlanRequest create;
  create.set_parent(client);
  *create.mutable_plan() = std::move(plan);
  plans::v1::TreatmentPlan created;
  {
    grpc::ClientContext context;
    prepare_(context, Role::kTherapist);
    const grpc::Status status = stub->CreatePlan(&context, create, &created);
    EXPECT_TRUE(status.ok()) << "CreatePlan: " << status.error_message();
    if (!status.ok() || !activate) return created;
  }
  plans::v1::ActivatePlanRequest request;
  request.set_name(created.name());
  plans::v1::TreatmentPlan active;
  grpc::ClientContext context;
  prepare_(context, Role::kTherapist);
  const grpc::Status status = stub->ActivatePlan(&context, request, &active);
  EXPECT_TRUE(status.ok()) << "ActivatePlan: " << status.error_message();
  return active;
}

intake::v1::Assessment KneeAssessment(const std::string& chief_complaint, int current_pain,
                                      const std::string& signer_name) {
  intake::v1::Assessment assessment;
  assessment.set_chief_complaint(chief_complaint);
  intake::v1::Pain& pain = *assessment.mutable_pain();
  *pain.add_regions() = Where(common::v1::BODY_REGION_KNEE_ANTERIOR, common::v1::SIDE_BILATERAL);
  pain.set_current(current_pain);
  assessment.set_health_screen_completed(true);
  assessment.mutable_consent()->set_informed_consent(true);
  assessment.mutable_consent()->set_signer_name(signer_name);
  return assessment;
}

}  // namespace velknee::test

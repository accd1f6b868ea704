// Every declared rule of every request, through the real services: for each request message of
// each service, the walk finds (in the descriptors) every field carrying `rules` and every
// REQUIRED field inside the resources a request carries, takes a request that is otherwise
// valid, sets that one field just outside its rule, sends it over gRPC, and expects
// INVALID_ARGUMENT with exactly one BadRequest violation, naming that field. A rule added to a
// proto is walked here without a change to this test; a request that gains its first rule needs a
// valid request below, or the test fails saying so.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/auth/principal.h"
#include "common/validation/field_rules.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/message.h"
#include "google/protobuf/util/message_differencer.h"
#include "grpcpp/impl/client_unary_call.h"
#include "grpcpp/impl/rpc_method.h"
#include "gtest/gtest.h"
#include "tests/harness/clinic_records.h"
#include "tests/harness/clinic_server.h"
#include "tests/support/proto_builders.h"
#include "tests/support/status_details.h"
#include "velknee/intake/v1/intake_service.grpc.pb.h"
#include "velknee/notes/v1/session_note_service.grpc.pb.h"
#include "velknee/plans/v1/treatment_plan_service.grpc.pb.h"
#include "velknee/scheduling/v1/scheduling_service.grpc.pb.h"

namespace velknee {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using ::testing::ElementsAre;
using ::velknee::test::DateOf;
using ::velknee::test::Where;

// A field the walk sets outside its rule: its path from the request ("plan.goals[0].minutes";
// repeated messages are entered at their first item) and its descriptor.
struct RuledField {
  std::string path;
  const FieldDescriptor* field;
};

void CollectRuledFields(const Descriptor& type, const std::string& prefix, bool top_level,
                        std::vector<RuledField>& out) {
  for (int i = 0; i < type.field_count(); ++i) {
    const FieldDescriptor& field = *type.field(i);
    if (IsOutputOnly(field)) continue;
    const std::string path =
        prefix.empty() ? field.name() : absl::StrCat(prefix, ".", field.name());
    const bool ruled = field.options().HasExtension(common::v1::rules);
    // A request's own REQUIRED names and masks have their own parsers; inside the resources,
    // REQUIRED is a rule of the validator.
    if (ruled || (!top_level && IsRequired(field))) out.push_back({path, &field});
    const Descriptor* message = field.message_type();
    if (message != nullptr && absl::StartsWith(message->full_name(), "velknee.")) {
      CollectRuledFields(*message, field.is_repeated() ? path + "[0]" : path, false, out);
    }
  }
}

// The message holding the last part of `path` in `request`, and that part's field name.
std::pair<Message*, std::string> Holder(Message& request, const std::string& path) {
  std::vector<std::string> parts = absl::StrSplit(path, '.');
  Message* message = &request;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    std::string name = parts[i];
    int index = -1;
    if (const size_t bracket = name.find('['); bracket != std::string::npos) {
      EXPECT_TRUE(absl::SimpleAtoi(name.substr(bracket + 1, name.size() - bracket - 2), &index));
      name = name.substr(0, bracket);
    }
    const FieldDescriptor* field = message->GetDescriptor()->FindFieldByName(name);
    const auto& reflection = *message->GetReflection();
    if (index >= 0) {
      if (reflection.FieldSize(*message, field) <= index) {
        ADD_FAILURE() << "the valid request has no " << parts[i] << " to reach " << path;
        return {nullptr, ""};
      }
      message = reflection.MutableRepeatedMessage(message, field, index);
    } else {
      if (!reflection.HasField(*message, field)) {
        ADD_FAILURE() << "the valid request has no " << parts[i] << " to reach " << path;
        return {nullptr, ""};
      }
      message = reflection.MutableMessage(message, field);
    }
  }
  return {message, parts.back()};
}

// One way to break a field's rule, and the path the violation must name.
struct Spoil {
  std::string what;
  std::string violation_path;
  std::function<void(Message&, const FieldDescriptor&)> apply;
};

std::string BadFormatExample(common::v1::TextFormat format) {
  switch (format) {
    case common::v1::TEXT_FORMAT_PHONE:
      return "call me";
    case common::v1::TEXT_FORMAT_EMAIL:
      return "greta@";
    case common::v1::TEXT_FORMAT_REQUEST_ID:
      return "retry 1";
    case common::v1::TEXT_FORMAT_RESOURCE_ID:
      return "Walker";
    default:
      return "";
  }
}

// Text spoils for a string field, or for one item of a repeated one.
void AddTextSpoils(const RuledField& ruled, const std::string& path, bool item,
                   std::vector<Spoil>& spoils) {
  const common::v1::TextRules& text = RulesOf(*ruled.field).text();
  const auto set = [item](const std::string& value) {
    return [item, value](Message& holder, const FieldDescriptor& field) {
      if (item) {
        holder.GetReflection()->SetRepeatedString(&holder, &field, 0, value);
      } else {
        holder.GetReflection()->SetString(&holder, &field, value);
      }
    };
  };
  if (IsRequired(*ruled.field) || text.min_chars() > 0) {
    spoils.push_back({"empty", path, set("")});
  }
  if (text.max_chars() > 0) {
    spoils.push_back({absl::StrCat(text.max_chars() + 1, " characters"), path,
                      set(std::string(text.max_chars() + 1, 'x'))});
  }
  if (text.max_bytes() > 0) {
    spoils.push_back({absl::StrCat(text.max_bytes() + 1, " bytes"), path,
                      set(std::string(text.max_bytes() + 1, 'x'))});
  }
  if (text.format() != common::v1::TEXT_FORMAT_UNSPECIFIED) {
    spoils.push_back({"badly formed", path, set(BadFormatExample(text.format()))});
  }
}

std::vector<Spoil> SpoilsOf(const RuledField& ruled) {
  const FieldDescriptor& field = *ruled.field;
  const common::v1::FieldRules& rules = RulesOf(field);
  std::vector<Spoil> spoils;
  if (field.is_repeated()) {
    const common::v1::ItemRules& items = rules.items();
    if (items.max() > 0) {
      spoils.push_back({absl::StrCat(items.max() + 1, " items"), ruled.path,
                        [max = items.max()](Message& holder, const FieldDescriptor& f) {
                          const auto& reflection = *holder.GetReflection();
                          while (reflection.FieldSize(holder, &f) <= max) {
                            const int last = reflection.FieldSize(holder, &f);
                            if (f.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
                              reflection.AddMessage(&holder, &f)
                                  ->CopyFrom(reflection.GetRepeatedMessage(holder, &f, 0));
                            } else if (f.cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
                              reflection.AddString(&holder, &f,
                                                   reflection.GetRepeatedString(holder, &f, 0));
                            } else {
                              reflection.AddEnumValue(
                                  &holder, &f, reflection.GetRepeatedEnumValue(holder, &f, 0));
                            }
                            EXPECT_GT(reflection.FieldSize(holder, &f), last);
                          }
                        }});
    }
    if (items.min() > 0) {
      spoils.push_back({absl::StrCat(items.min() - 1, " items"), ruled.path,
                        [min = items.min()](Message& holder, const FieldDescriptor& f) {
                          const auto& reflection = *holder.GetReflection();
                          while (reflection.FieldSize(holder, &f) >= min) {
                            reflection.RemoveLast(&holder, &f);
                          }
                        }});
    }
    if (items.unique()) {
      spoils.push_back({"a repeated item", absl::StrCat(ruled.path, "[1]"),
                        [](Message& holder, const FieldDescriptor& f) {
                          const auto& reflection = *holder.GetReflection();
                          EXPECT_EQ(reflection.FieldSize(holder, &f), 1);
                          reflection.AddEnumValue(&holder, &f,
                                                  reflection.GetRepeatedEnumValue(holder, &f, 0));
                        }});
    }
    if (rules.has_text()) AddTextSpoils(ruled, ruled.path + "[0]", /*item=*/true, spoils);
    return spoils;
  }
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32: {
      const common::v1::NumberRules& number = rules.number();
      const auto set = [](int value) {
        return [value](Message& holder, const FieldDescriptor& f) {
          holder.GetReflection()->SetInt32(&holder, &f, value);
        };
      };
      if (number.has_min())
        spoils.push_back({"below its minimum", ruled.path, set(number.min() - 1)});
      if (number.has_max())
        spoils.push_back({"above its maximum", ruled.path, set(number.max() + 1)});
      break;
    }
    case FieldDescriptor::CPPTYPE_STRING:
      if (rules.has_text()) {
        AddTextSpoils(ruled, ruled.path, /*item=*/false, spoils);
      } else if (IsRequired(field)) {
        spoils.push_back({"empty", ruled.path, [](Message& holder, const FieldDescriptor& f) {
                            holder.GetReflection()->SetString(&holder, &f, "");
                          }});
      }
      break;
    case FieldDescriptor::CPPTYPE_ENUM:
      spoils.push_back({"unspecified", ruled.path, [](Message& holder, const FieldDescriptor& f) {
                          holder.GetReflection()->SetEnumValue(&holder, &f, 0);
                        }});
      break;
    case FieldDescriptor::CPPTYPE_MESSAGE:
      spoils.push_back({"unset", ruled.path, [](Message& holder, const FieldDescriptor& f) {
                          holder.GetReflection()->ClearField(&holder, &f);
                        }});
      break;
    default:
      ADD_FAILURE() << ruled.path << " has a rule the walk cannot break";
  }
  return spoils;
}

google::protobuf::Timestamp MinuteAt(absl::Time time) {
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(absl::ToUnixSeconds(time) / 60 * 60);
  return timestamp;
}

common::v1::MuscleFinding Finding() {
  common::v1::MuscleFinding finding;
  *finding.mutable_region() = Where(common::v1::BODY_REGION_QUADRICEPS, common::v1::SIDE_RIGHT);
  finding.set_kind(common::v1::MuscleFinding::KIND_TRIGGER_POINT);
  finding.set_severity(2);
  *finding.mutable_refers_to() =
      Where(common::v1::BODY_REGION_KNEE_ANTERIOR, common::v1::SIDE_RIGHT);
  return finding;
}

intake::v1::Client FullClient() {
  intake::v1::Client client;
  client.set_given_name("Greta");
  client.set_family_name("Gardner");
  client.set_phone("0161 496 0100");
  client.set_email("greta@example.org");
  client.mutable_emergency_contact()->set_name("Hans Gardner");
  client.mutable_emergency_contact()->set_phone("0161 496 0101");
  client.set_front_desk_note("prefers mornings");
  return client;
}

intake::v1::Assessment FullAssessment() {
  intake::v1::Assessment assessment =
      test::KneeAssessment("pain at the front of both knees", 5, "Greta Gardner");
  intake::v1::Pain& pain = *assessment.mutable_pain();
  pain.set_worst(8);
  pain.set_best(2);
  pain.add_aggravating_activities("kneeling");
  pain.add_easing_factors("rest");
  assessment.add_prior_care(intake::v1::PRIOR_CARE_REST);
  assessment.add_medications("ibuprofen 200 mg");
  intake::v1::ConditionFlag& flag = *assessment.add_conditions();
  flag.set_condition(common::v1::CONDITION_OSTEOPOROSIS);
  *flag.add_regions() = Where(common::v1::BODY_REGION_KNEE_ANTERIOR, common::v1::SIDE_LEFT);
  flag.set_details("diagnosed 2019");
  assessment.mutable_medical_clearance()->set_cleared_by("Dr. Ines Ortega");
  *assessment.mutable_medical_clearance()->mutable_clearance_date() = DateOf(2024, 6, 3);
  *assessment.add_findings() = Finding();
  assessment.add_goals("kneel in the garden for an hour");
  assessment.set_lefs_score(40);
  return assessment;
}

plans::v1::TreatmentPlan FullPlan(const std::string& assessment) {
  plans::v1::TreatmentPlan plan;
  plan.set_assessment(assessment);
  plans::v1::Goal& goal = *plan.add_goals();
  goal.set_description("Kneel in the garden for an hour with pain at most 2");
  goal.set_target_pain(2);
  plans::v1::PlannedTechnique& technique = *plan.add_techniques();
  technique.set_technique(common::v1::TECHNIQUE_TRIGGER_POINT);
  *technique.add_regions() = Where(common::v1::BODY_REGION_QUADRICEPS, common::v1::SIDE_RIGHT);
  technique.set_pressure(common::v1::PRESSURE_MODERATE);
  technique.set_minutes(30);
  plan.mutable_cadence()->set_interval_days(7);
  plan.mutable_cadence()->set_planned_sessions(6);
  plan.mutable_cadence()->set_session_minutes(60);
  common::v1::HomeExercise& exercise = *plan.add_home_care();
  exercise.set_name("Standing quadriceps stretch");
  exercise.set_instructions("Hold the ankle behind you.");
  exercise.set_sets(3);
  exercise.set_reps(0);
  exercise.set_hold_seconds(30);
  exercise.set_times_per_week(7);
  return plan;
}

notes::v1::SessionNote FullNote(const std::string& plan) {
  notes::v1::SessionNote note;
  note.set_plan(plan);
  *note.mutable_session_time() = MinuteAt(absl::Now() - absl::Hours(1));
  note.set_duration_minutes(60);
  note.mutable_subjective()->set_report("knees less stiff");
  note.mutable_subjective()->set_pain_before(5);
  note.mutable_subjective()->set_since_last_session("did the stretches");
  *note.mutable_objective()->add_findings() = Finding();
  note.mutable_objective()->set_observations("walks without a limp");
  notes::v1::AppliedTechnique& applied = *note.add_applied();
  applied.set_technique(common::v1::TECHNIQUE_TRIGGER_POINT);
  *applied.add_regions() = Where(common::v1::BODY_REGION_QUADRICEPS, common::v1::SIDE_RIGHT);
  applied.set_pressure(common::v1::PRESSURE_MODERATE);
  applied.set_minutes(30);
  note.mutable_assessment()->set_pain_after(3);
  note.mutable_assessment()->set_response("quadriceps softer");
  note.mutable_assessment()->add_adverse_effects(notes::v1::ADVERSE_EFFECT_SORENESS);
  note.set_next_steps("continue weekly");
  return note;
}

scheduling::v1::Therapist FullTherapist() {
  scheduling::v1::Therapist therapist;
  therapist.set_display_name("Walt Kerr");
  therapist.add_techniques(common::v1::TECHNIQUE_TRIGGER_POINT);
  scheduling::v1::WorkingHours& hours = *therapist.add_working_hours();
  hours.set_day(google::type::MONDAY);
  hours.mutable_start()->set_hours(9);
  hours.mutable_end()->set_hours(17);
  return therapist;
}

// A valid request for one method, the role that may call it, and for an update the field of
// the request holding the resource (the mask names the field the walk spoils).
struct ValidRequest {
  Role role;
  std::function<std::unique_ptr<Message>()> make;
  std::string resource = "";
};

template <typename Request>
std::function<std::unique_ptr<Message>()> Make(std::function<void(Request&)> fill) {
  return [fill] {
    auto request = std::make_unique<Request>();
    fill(*request);
    return request;
  };
}

class FieldRulesWalkTest : public ::testing::Test {
 protected:
  FieldRulesWalkTest() : server_("intake,plans,notes,scheduling"), records_(server_) {}

  // Records the update requests change, and valid requests for every method with rules.
  void SetUp() override {
    client_ = records_.NewClient("Greta", "Gardner", "0161 496 0100").name();
    draft_assessment_ = records_.NewAssessment(client_, FullAssessment(), false).name();
    const std::string submitted =
        records_.NewAssessment(client_, test::KneeAssessment("knee pain", 5, "Greta Gardner"))
            .name();
    plan_ = records_.NewPlan(client_, submitted, FullPlan(submitted)).name();
    {
      notes::v1::CreateNoteRequest request;
      request.set_parent(client_);
      *request.mutable_note() = FullNote(plan_);
      notes::v1::SessionNote note;
      grpc::ClientContext context;
      server_.Prepare(context, Role::kTherapist);
      ASSERT_TRUE(notes::v1::SessionNoteService::NewStub(server_.channel())
                      ->CreateNote(&context, request, &note)
                      .ok());
      note_ = note.name();
    }
    {
      scheduling::v1::CreateTherapistRequest request;
      *request.mutable_therapist() = FullTherapist();
      request.set_therapist_id("walker");
      scheduling::v1::Therapist therapist;
      grpc::ClientContext context;
      server_.Prepare(context, Role::kAdmin);
      ASSERT_TRUE(scheduling::v1::SchedulingService::NewStub(server_.channel())
                      ->CreateTherapist(&context, request, &therapist)
                      .ok());
      therapist_ = therapist.name();
    }
    DefineValidRequests();
  }

  void DefineValidRequests() {
    const absl::Time tomorrow = absl::Now() + absl::Hours(24);
    valid_["velknee.intake.v1.IntakeService.CreateClient"] = {
        Role::kFrontDesk, Make<intake::v1::CreateClientRequest>([](auto& r) {
          *r.mutable_client() = FullClient();
          r.set_request_id("walk-1");
        })};
    valid_["velknee.intake.v1.IntakeService.UpdateClient"] = {
        Role::kFrontDesk, Make<intake::v1::UpdateClientRequest>([this](auto& r) {
          *r.mutable_client() = FullClient();
          r.mutable_client()->set_name(client_);
        }),
        "client"};
    valid_["velknee.intake.v1.IntakeService.ListClients"] = {
        Role::kFrontDesk,
        Make<intake::v1::ListClientsRequest>([](auto& r) { r.set_query("gar"); })};
    valid_["velknee.intake.v1.IntakeService.CreateAssessment"] = {
        Role::kTherapist, Make<intake::v1::CreateAssessmentRequest>([this](auto& r) {
          r.set_parent(client_);
          *r.mutable_assessment() = FullAssessment();
          r.set_request_id("walk-1");
        })};
    valid_["velknee.intake.v1.IntakeService.UpdateAssessment"] = {
        Role::kTherapist, Make<intake::v1::UpdateAssessmentRequest>([this](auto& r) {
          *r.mutable_assessment() = FullAssessment();
          r.mutable_assessment()->set_name(draft_assessment_);
        }),
        "assessment"};
    valid_["velknee.plans.v1.TreatmentPlanService.CreatePlan"] = {
        Role::kTherapist, Make<plans::v1::CreatePlanRequest>([this](auto& r) {
          r.set_parent(client_);
          *r.mutable_plan() = FullPlan(draft_assessment_);
          r.set_request_id("walk-1");
        })};
    valid_["velknee.plans.v1.TreatmentPlanService.UpdatePlan"] = {
        Role::kTherapist, Make<plans::v1::UpdatePlanRequest>([this](auto& r) {
          *r.mutable_plan() = FullPlan("");
          r.mutable_plan()->set_name(plan_);
        }),
        "plan"};
    valid_["velknee.plans.v1.TreatmentPlanService.CompletePlan"] = {
        Role::kTherapist, Make<plans::v1::CompletePlanRequest>([this](auto& r) {
          r.set_name(plan_);
          r.set_reason("all goals met");
        })};
    valid_["velknee.plans.v1.TreatmentPlanService.DiscontinuePlan"] = {
        Role::kTherapist, Make<plans::v1::DiscontinuePlanRequest>([this](auto& r) {
          r.set_name(plan_);
          r.set_reason("client moved away");
        })};
    valid_["velknee.notes.v1.SessionNoteService.CreateNote"] = {
        Role::kTherapist, Make<notes::v1::CreateNoteRequest>([this](auto& r) {
          r.set_parent(client_);
          *r.mutable_note() = FullNote(plan_);
          r.set_request_id("walk-1");
        })};
    valid_["velknee.notes.v1.SessionNoteService.UpdateNote"] = {
        Role::kTherapist, Make<notes::v1::UpdateNoteRequest>([this](auto& r) {
          *r.mutable_note() = FullNote(plan_);
          r.mutable_note()->set_name(note_);
        }),
        "note"};
    valid_["velknee.notes.v1.SessionNoteService.SignNote"] = {
        Role::kTherapist, Make<notes::v1::SignNoteRequest>([this](auto& r) {
          r.set_name(note_);
          r.set_request_id("walk-1");
        })};
    valid_["velknee.notes.v1.SessionNoteService.AddAddendum"] = {
        Role::kTherapist, Make<notes::v1::AddAddendumRequest>([this](auto& r) {
          r.set_name(note_);
          r.set_text("the client called: no soreness the next day");
          r.set_request_id("walk-1");
        })};
    valid_["velknee.scheduling.v1.SchedulingService.CreateTherapist"] = {
        Role::kAdmin, Make<scheduling::v1::CreateTherapistRequest>([](auto& r) {
          *r.mutable_therapist() = FullTherapist();
          r.set_therapist_id("walker-two");
          r.set_request_id("walk-1");
        })};
    valid_["velknee.scheduling.v1.SchedulingService.UpdateTherapist"] = {
        Role::kAdmin, Make<scheduling::v1::UpdateTherapistRequest>([this](auto& r) {
          *r.mutable_therapist() = FullTherapist();
          r.mutable_therapist()->set_name(therapist_);
        }),
        "therapist"};
    valid_["velknee.scheduling.v1.SchedulingService.BookAppointment"] = {
        Role::kFrontDesk, Make<scheduling::v1::BookAppointmentRequest>([this, tomorrow](auto& r) {
          scheduling::v1::Appointment& appointment = *r.mutable_appointment();
          appointment.set_client(client_);
          appointment.set_therapist(therapist_);
          *appointment.mutable_start_time() = MinuteAt(tomorrow);
          appointment.set_duration_minutes(60);
          r.set_request_id("walk-1");
        })};
    valid_["velknee.scheduling.v1.SchedulingService.BookSeries"] = {
        Role::kFrontDesk, Make<scheduling::v1::BookSeriesRequest>([this, tomorrow](auto& r) {
          r.set_plan(plan_);
          r.set_therapist(therapist_);
          *r.mutable_first_start_time() = MinuteAt(tomorrow);
          r.set_request_id("walk-1");
        })};
    valid_["velknee.scheduling.v1.SchedulingService.CancelAppointment"] = {
        Role::kFrontDesk, Make<scheduling::v1::CancelAppointmentRequest>([](auto& r) {
          r.set_name("appointments/abc");
          r.set_reason("client ill");
        })};
    valid_["velknee.scheduling.v1.SchedulingService.FindAvailableSlots"] = {
        Role::kFrontDesk,
        Make<scheduling::v1::FindAvailableSlotsRequest>([this, tomorrow](auto& r) {
          r.set_therapist(therapist_);
          *r.mutable_start_time() = MinuteAt(tomorrow);
          *r.mutable_end_time() = MinuteAt(tomorrow + absl::Hours(24));
          r.set_duration_minutes(60);
        })};
  }

  grpc::Status Send(const google::protobuf::MethodDescriptor& method, Role role,
                    const Message& request) {
    std::unique_ptr<Message> response(google::protobuf::MessageFactory::generated_factory()
                                          ->GetPrototype(method.output_type())
                                          ->New());
    grpc::ClientContext context;
    server_.Prepare(context, role);
    const std::string name = absl::StrCat("/", method.service()->full_name(), "/", method.name());
    const grpc::internal::RpcMethod rpc(name.c_str(), grpc::internal::RpcMethod::NORMAL_RPC);
    return grpc::internal::BlockingUnaryCall<Message, Message, google::protobuf::MessageLite,
                                             google::protobuf::MessageLite>(
        server_.channel().get(), rpc, &context, request, response.get());
  }

  test::ClinicServer server_;
  test::ClinicRecords records_;
  std::string client_;
  std::string draft_assessment_;
  std::string plan_;
  std::string note_;
  std::string therapist_;
  std::map<std::string, ValidRequest> valid_;
};

TEST_F(FieldRulesWalkTest, EveryRuleOfEveryRequestIsOneViolationNamingItsField) {
  std::vector<const google::protobuf::ServiceDescriptor*> services;
  for (const char* name : {intake::v1::IntakeService::service_full_name(),
                           plans::v1::TreatmentPlanService::service_full_name(),
                           notes::v1::SessionNoteService::service_full_name(),
                           scheduling::v1::SchedulingService::service_full_name()}) {
    services.push_back(google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(name));
    ASSERT_NE(services.back(), nullptr) << name;
  }
  int checked = 0;
  for (const google::protobuf::ServiceDescriptor* service : services) {
    for (int m = 0; m < service->method_count(); ++m) {
      const google::protobuf::MethodDescriptor& method = *service->method(m);
      std::vector<RuledField> fields;
      CollectRuledFields(*method.input_type(), "", true, fields);
      if (fields.empty()) continue;
      const auto valid = valid_.find(method.full_name());
      if (valid == valid_.end()) {
        ADD_FAILURE() << method.full_name() << " has rules but no valid request to walk";
        continue;
      }
      const std::unique_ptr<Message> unchanged = valid->second.make();
      for (const RuledField& ruled : fields) {
        for (const Spoil& spoil : SpoilsOf(ruled)) {
          SCOPED_TRACE(absl::StrCat(method.full_name(), ": ", ruled.path, " ", spoil.what));
          std::unique_ptr<Message> request = valid->second.make();
          auto [holder, name] = Holder(*request, ruled.path);
          if (holder == nullptr) continue;
          spoil.apply(*holder, *ruled.field);
          ASSERT_FALSE(google::protobuf::util::MessageDifferencer::Equals(*request, *unchanged));
          std::string violation_path = spoil.violation_path;
          if (!valid->second.resource.empty()) {
            // An update names the resource's top-level field the spoil is in.
            auto* mask =
                static_cast<google::protobuf::FieldMask*>(request->GetReflection()->MutableMessage(
                    request.get(), request->GetDescriptor()->FindFieldByName("update_mask")));
            std::string top = ruled.path.substr(valid->second.resource.size() + 1);
            top = top.substr(0, top.find_first_of(".["));
            mask->add_paths(top);
          }
          const grpc::Status status = Send(method, valid->second.role, *request);
          EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
              << status.error_message();
          EXPECT_THAT(test::ViolatedFields(status), ElementsAre(violation_path))
              << status.error_message();
          ++checked;
        }
      }
    }
  }
  // Each of the 21 methods above has at least one rule; most have many.
  EXPECT_GT(checked, 150);
}

// The valid requests are valid: without a spoil, no call above fails for a rule. (Create calls
// really write; the updates change the records to what they already hold.)
TEST_F(FieldRulesWalkTest, TheValidRequestsBreakNoRule) {
  for (const auto& [method_name, valid] : valid_) {
    SCOPED_TRACE(method_name);
    const google::protobuf::MethodDescriptor* method =
        google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(method_name);
    ASSERT_NE(method, nullptr);
    std::unique_ptr<Message> request = valid.make();
    if (!valid.resource.empty()) {
      auto* mask =
          static_cast<google::protobuf::FieldMask*>(request->GetReflection()->MutableMessage(
              request.get(), request->GetDescriptor()->FindFieldByName("update_mask")));
      const Message& resource = request->GetReflection()->GetMessage(
          *request, request->GetDescriptor()->FindFieldByName(valid.resource));
      std::vector<const FieldDescriptor*> set;
      resource.GetReflection()->ListFields(resource, &set);
      for (const FieldDescriptor* field : set) {
        if (field->name() != "name" && field->name() != "assessment" && field->name() != "plan") {
          mask->add_paths(field->name());
        }
      }
    }
    const grpc::Status status = Send(*method, valid.role, *request);
    EXPECT_THAT(test::ViolatedFields(status), ::testing::IsEmpty()) << status.error_message();
  }
}

}  // namespace
}  // namespace velknee

#include "clients/cli/client_commands.h"

#include <memory>
#include <utility>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "clients/cli/assessment_commands.h"
#include "clients/cli/client_fields.h"
#include "clients/cli/command.h"
#include "clients/cli/dates.h"
#include "clients/cli/note_commands.h"
#include "clients/cli/output.h"
#include "clients/cli/plan_commands.h"
#include "clients/cli/text_flag.h"
#include "velknee/intake/v1/intake_service.grpc.pb.h"

using velknee::cli::TextFlag;

ABSL_FLAG(TextFlag, given_name, {}, "clients add/edit: given (first) name.");
ABSL_FLAG(TextFlag, family_name, {}, "clients add/edit: family (last) name.");
ABSL_FLAG(TextFlag, phone, {}, "clients add/edit: phone, 7 to 15 digits, optional leading +.");
ABSL_FLAG(TextFlag, email, {}, "clients add/edit: email address.");
ABSL_FLAG(TextFlag, birth_date, {}, "clients add/edit: date of birth, YYYY-MM-DD.");
ABSL_FLAG(TextFlag, emergency_name, {}, "clients add/edit: emergency contact's name.");
ABSL_FLAG(TextFlag, emergency_phone, {}, "clients add/edit: emergency contact's phone.");
ABSL_FLAG(TextFlag, note, {},
          "clients add/edit: short non-clinical front-desk note. With edit, "
          "any field flag given as empty (--note=) clears that field.");
ABSL_FLAG(TextFlag, query, {},
          "clients find: start of a given or family name, or digits of a "
          "phone number.");
ABSL_FLAG(bool, show_archived, false, "clients find: include archived clients.");

namespace velknee::cli {
namespace {

using intake::v1::Client;
using intake::v1::IntakeService;

enum Subcommand { kAdd, kShow, kFind, kEdit, kArchive };

// The client's fields, with whether each was given.
std::vector<FlagUse> FieldFlags() {
  return {
      {"given_name", absl::GetFlag(FLAGS_given_name).given},
      {"family_name", absl::GetFlag(FLAGS_family_name).given},
      {"phone", absl::GetFlag(FLAGS_phone).given},
      {"email", absl::GetFlag(FLAGS_email).given},
      {"birth_date", absl::GetFlag(FLAGS_birth_date).given},
      {"emergency_name", absl::GetFlag(FLAGS_emergency_name).given},
      {"emergency_phone", absl::GetFlag(FLAGS_emergency_phone).given},
      {"note", absl::GetFlag(FLAGS_note).given},
  };
}

// The flags only the clients commands take.
std::vector<FlagUse> OwnFlags() {
  std::vector<FlagUse> flags = FieldFlags();
  flags.push_back({"query", absl::GetFlag(FLAGS_query).given});
  flags.push_back({"show_archived", absl::GetFlag(FLAGS_show_archived)});
  return flags;
}

// In the order of Subcommand.
CommandGroup ClientsGroup() {
  std::vector<std::string> field_names;
  for (const FlagUse& use : FieldFlags()) field_names.push_back(use.name);
  auto with = [&field_names](std::vector<std::string> extra) {
    extra.insert(extra.end(), field_names.begin(), field_names.end());
    return extra;
  };
  return {"clients",
          "the client's resource name, clients/ID",
          {{"add", false, with({"request_id"})},
           {"show", true, {}},
           {"find", false, {"query", "show_archived", "page_size", "page_token"}},
           {"edit", true, with({"etag"})},
           {"archive", true, {"etag"}}}};
}

ClientFieldValues FieldValuesFromFlags() {
  ClientFieldValues values;
  values.given_name = absl::GetFlag(FLAGS_given_name).AsOptional();
  values.family_name = absl::GetFlag(FLAGS_family_name).AsOptional();
  values.phone = absl::GetFlag(FLAGS_phone).AsOptional();
  values.email = absl::GetFlag(FLAGS_email).AsOptional();
  values.birth_date = absl::GetFlag(FLAGS_birth_date).AsOptional();
  values.emergency_name = absl::GetFlag(FLAGS_emergency_name).AsOptional();
  values.emergency_phone = absl::GetFlag(FLAGS_emergency_phone).AsOptional();
  values.note = absl::GetFlag(FLAGS_note).AsOptional();
  return values;
}

std::string StateLabel(Client::State state) {
  switch (state) {
    case Client::STATE_ACTIVE:
      return "active";
    case Client::STATE_ARCHIVED:
      return "archived";
    default:
      return "";
  }
}

// Everything a subcommand needs once its arguments are known to be right.
class ClientsRunner : public CommandRunner {
 public:
  ClientsRunner(const CommandIo& io, const Connection& connection)
      : CommandRunner(io, connection),
        stub_(IntakeService::NewStub(connection.channel(Service::kIntake))) {}

  int Add() {
    absl::StatusOr<ClientPatch> patch = BuildClientPatch(FieldValuesFromFlags());
    if (!patch.ok()) return LocalFailure(patch.status());
    intake::v1::CreateClientRequest request;
    *request.mutable_client() = std::move(patch->client);
    request.set_request_id(RequestIdFromFlag());
    Client client;
    // Safe to repeat: the server answers a repeated request_id with the client
    // it created first.
    grpc::Status status = connection_.CallWithRetries([&](grpc::ClientContext* context) {
      return stub_->CreateClient(context, request, &client);
    });
    // The client may have been created and only the answer lost.
    if (!status.ok()) return CreateFailure(status, RetryWithRequestIdHint(request.request_id()));
    return PrintClient(client);
  }

  int Show(absl::string_view name) {
    intake::v1::GetClientRequest request;
    request.set_name(ClientName(name));
    Client client;
    grpc::Status status = connection_.CallWithRetries(
        [&](grpc::ClientContext* context) { return stub_->GetClient(context, request, &client); });
    if (!status.ok()) return CallFailure(status);
    return PrintClient(client);
  }

  int Find() {
    intake::v1::ListClientsRequest request;
    request.set_query(absl::GetFlag(FLAGS_query).value);
    request.set_show_archived(absl::GetFlag(FLAGS_show_archived));
    request.set_page_size(absl::GetFlag(FLAGS_page_size));
    request.set_page_token(absl::GetFlag(FLAGS_page_token).value);
    intake::v1::ListClientsResponse page;
    grpc::Status status = connection_.CallWithRetries(
        [&](grpc::ClientContext* context) { return stub_->ListClients(context, request, &page); });
    if (!status.ok()) return CallFailure(status);
    return Print(page, ClientTable(page, io_.program, request));
  }

  int Edit(absl::string_view name) {
    absl::StatusOr<ClientPatch> patch = BuildClientPatch(FieldValuesFromFlags());
    if (!patch.ok()) return LocalFailure(patch.status());
    intake::v1::UpdateClientRequest request;
    *request.mutable_client() = std::move(patch->client);
    *request.mutable_update_mask() = std::move(patch->update_mask);
    request.mutable_client()->set_name(ClientName(name));
    request.mutable_client()->set_etag(absl::GetFlag(FLAGS_etag).value);
    Client client;
    // Not retried: without an etag a repeat could overwrite someone else's
    // change made in between.
    grpc::Status status = stub_->UpdateClient(connection_.NewCallContext().get(), request, &client);
    if (!status.ok()) return CallFailure(status);
    return PrintClient(client);
  }

  int Archive(absl::string_view name) {
    intake::v1::ArchiveClientRequest request;
    request.set_name(ClientName(name));
    request.set_etag(absl::GetFlag(FLAGS_etag).value);
    Client client;
    // Not retried: a repeat after a lost answer would fail as "already
    // archived" and hide that the first attempt worked.
    grpc::Status status =
        stub_->ArchiveClient(connection_.NewCallContext().get(), request, &client);
    if (!status.ok()) return CallFailure(status);
    return PrintClient(client);
  }

 private:
  int PrintClient(const Client& client) { return Print(client, ClientBlock(client)); }

  const std::unique_ptr<IntakeService::Stub> stub_;
};

}  // namespace

std::vector<std::string> ClientsFlagsGiven() { return GivenFlagNames(OwnFlags()); }

std::string ClientsUsage(absl::string_view program) {
  const std::string p(program);
  return absl::StrCat("  ", p,
                      " clients add --given_name=G --family_name=F --phone=P [--email=E]\n"
                      "        [--birth_date=YYYY-MM-DD] [--emergency_name=N] "
                      "[--emergency_phone=P]\n"
                      "        [--note=TEXT] [--request_id=ID]\n",
                      "  ", p, " clients show clients/ID\n", "  ", p,
                      " clients find [--query=Q] [--show_archived] [--page_size=N] "
                      "[--page_token=T]\n",
                      "  ", p, " clients edit clients/ID [--etag=E] <any add flag; empty clears>\n",
                      "  ", p, " clients archive clients/ID [--etag=E]\n");
}

std::string ClientBlock(const Client& client) {
  const auto& contact = client.emergency_contact();
  std::string emergency = contact.name();
  if (!contact.phone().empty()) {
    absl::StrAppend(&emergency, emergency.empty() ? "" : ", ", contact.phone());
  }
  return LabelledBlock({
      {"Name", absl::StrJoin({client.given_name(), client.family_name()}, " ")},
      {"Phone", client.phone()},
      {"Email", client.email()},
      {"Born", FormatDate(client.birth_date())},
      {"Emergency contact", emergency},
      {"Note", client.front_desk_note()},
      {"State", StateLabel(client.state())},
      {"Resource name", client.name()},
      {"Etag", client.etag()},
  });
}

std::string ClientTable(const intake::v1::ListClientsResponse& page, absl::string_view program,
                        const intake::v1::ListClientsRequest& request) {
  std::string out;
  if (page.clients().empty()) {
    out = "No clients found.\n";
  } else {
    std::vector<std::vector<std::string>> rows;
    for (const Client& client : page.clients()) {
      rows.push_back({client.name(), client.family_name(), client.given_name(), client.phone(),
                      StateLabel(client.state())});
    }
    out = AlignedTable({"RESOURCE NAME", "FAMILY", "GIVEN", "PHONE", "STATE"}, rows);
  }
  if (!page.next_page_token().empty()) {
    absl::StrAppend(&out, "\nMore clients: ", program, " clients find");
    if (!request.query().empty()) {
      absl::StrAppend(&out, " --query=", ShellQuote(request.query()));
    }
    if (request.show_archived()) absl::StrAppend(&out, " --show_archived");
    if (request.page_size() != 0) {
      absl::StrAppend(&out, " --page_size=", request.page_size());
    }
    absl::StrAppend(&out, " --page_token=", ShellQuote(page.next_page_token()), "\n");
  }
  return out;
}

int RunClientsCommand(const std::vector<std::string>& args, const CommandIo& io) {
  std::vector<std::string> foreign = IntakeFlagsGiven();
  for (std::string& name : PlanFlagsGiven()) foreign.push_back(std::move(name));
  for (std::string& name : NoteFlagsGiven()) foreign.push_back(std::move(name));
  absl::StatusOr<ParsedSubcommand> parsed =
      ParseSubcommand(ClientsGroup(), args, OwnFlags(), foreign);
  if (!parsed.ok()) return UsageFailure(io, parsed.status().message(), ClientsUsage(io.program));
  if (parsed->index == kEdit && GivenFlagNames(FieldFlags()).empty()) {
    return UsageFailure(io, "clients edit needs at least one field flag to change",
                        ClientsUsage(io.program));
  }
  std::unique_ptr<Connection> connection = OpenConnection(io);
  if (connection == nullptr) return kExitUsage;
  ClientsRunner runner(io, *connection);
  switch (parsed->index) {
    case kAdd:
      return runner.Add();
    case kShow:
      return runner.Show(parsed->name);
    case kFind:
      return runner.Find();
    case kEdit:
      return runner.Edit(parsed->name);
    case kArchive:
      return runner.Archive(parsed->name);
  }
  return kExitUsage;
}

}  // namespace velknee::cli

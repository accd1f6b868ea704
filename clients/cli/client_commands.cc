#include "clients/cli/client_commands.h"

#include <memory>
#include <utility>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "clients/cli/client_fields.h"
#include "clients/cli/command.h"
#include "clients/cli/dates.h"
#include "clients/cli/output.h"
#include "clients/cli/text_flag.h"
#include "common/validation/field_rules.h"
#include "velknee/intake/v1/intake_service.grpc.pb.h"

using velknee::cli::TextFlag;

ABSL_FLAG(TextFlag, given_name, {}, "Given (first) name.");
ABSL_FLAG(TextFlag, family_name, {}, "Family (last) name.");
ABSL_FLAG(TextFlag, phone, {},
          "Phone number: digits with an optional leading +; spaces, dashes, dots and "
          "parentheses may separate them.");
ABSL_FLAG(TextFlag, email, {}, "Email address.");
ABSL_FLAG(TextFlag, birth_date, {}, "Date of birth, YYYY-MM-DD.");
ABSL_FLAG(TextFlag, emergency_name, {}, "Emergency contact's name.");
ABSL_FLAG(TextFlag, emergency_phone, {}, "Emergency contact's phone.");
ABSL_FLAG(TextFlag, note, {}, "Short non-clinical front-desk note.");
ABSL_FLAG(TextFlag, query, {},
          "Words that start a given or family name, or digits of a phone number.");
ABSL_FLAG(bool, show_archived, false, "Include archived clients.");

namespace velknee::cli {
namespace {

using intake::v1::Client;
using intake::v1::IntakeService;

constexpr char kClientName[] = "clients/ID";
constexpr char kClientMeaning[] = "the client's resource name";

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

void RegisterClientCommands(CommandRegistry& registry) {
  const std::vector<FlagSpec> fields = {
      {"given_name", "G"},
      {"family_name", "F"},
      {"phone", "P"},
      {"email", "E"},
      {"birth_date", "YYYY-MM-DD"},
      {"emergency_name", "N"},
      {"emergency_phone", "P"},
      {"note", "TEXT"},
  };
  auto with_fields = [&fields](std::vector<FlagSpec> flags) {
    flags.insert(flags.begin(), fields.begin(), fields.end());
    return flags;
  };
  // `add` shows the fields the contract requires of a client as required; the server refuses
  // them missing, every one in one answer.
  auto with_required_fields = [&with_fields](std::vector<FlagSpec> flags) {
    flags = with_fields(std::move(flags));
    for (FlagSpec& flag : flags) {
      const google::protobuf::FieldDescriptor* field =
          intake::v1::Client::descriptor()->FindFieldByName(flag.name);
      flag.required_by_server = field != nullptr && IsRequired(*field);
    }
    return flags;
  };
  registry.Add({{"clients", "add"},
                "register a client",
                "",
                "",
                with_required_fields({RequestIdFlag()}),
                [](const Invocation&, const CommandIo& io) {
                  return WithConnection(io, [&](const Connection& connection) {
                    return ClientsRunner(io, connection).Add();
                  });
                }});
  registry.Add({{"clients", "show"},
                "show one client",
                kClientName,
                kClientMeaning,
                {},
                [](const Invocation& invocation, const CommandIo& io) {
                  return WithConnection(io, [&](const Connection& connection) {
                    return ClientsRunner(io, connection).Show(invocation.name);
                  });
                }});
  registry.Add({{"clients", "find"},
                "find clients by name or phone",
                "",
                "",
                {{"query", "Q"}, {"show_archived", ""}, PageSizeFlag(), PageTokenFlag()},
                [](const Invocation&, const CommandIo& io) {
                  return WithConnection(io, [&](const Connection& connection) {
                    return ClientsRunner(io, connection).Find();
                  });
                }});
  registry.Add({{"clients", "edit"},
                "change a client's details; a field flag given empty (--note=) clears it",
                kClientName,
                kClientMeaning,
                with_fields({EtagFlag()}),
                [](const Invocation& invocation, const CommandIo& io) {
                  const absl::StatusOr<ClientPatch> patch =
                      BuildClientPatch(FieldValuesFromFlags());
                  if (patch.ok() && patch->update_mask.paths().empty()) {
                    return UsageError(io, "clients edit needs at least one field flag to change");
                  }
                  return WithConnection(io, [&](const Connection& connection) {
                    return ClientsRunner(io, connection).Edit(invocation.name);
                  });
                }});
  registry.Add({{"clients", "archive"},
                "archive a client (clinical records stay)",
                kClientName,
                kClientMeaning,
                {EtagFlag()},
                [](const Invocation& invocation, const CommandIo& io) {
                  return WithConnection(io, [&](const Connection& connection) {
                    return ClientsRunner(io, connection).Archive(invocation.name);
                  });
                }});
}

}  // namespace velknee::cli

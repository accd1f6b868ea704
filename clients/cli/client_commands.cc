#include "clients/cli/client_commands.h"

#include <memory>
#include <optional>
#include <utility>

#include "absl/flags/flag.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "clients/cli/client_fields.h"
#include "clients/cli/connection.h"
#include "clients/cli/dates.h"
#include "clients/cli/error_line.h"
#include "clients/cli/output.h"
#include "clients/cli/request_id.h"
#include "clients/cli/text_flag.h"
#include "velknee/intake/v1/intake_service.grpc.pb.h"

using velknee::cli::TextFlag;

ABSL_FLAG(TextFlag, given_name, {}, "clients add/edit: given (first) name.");
ABSL_FLAG(TextFlag, family_name, {}, "clients add/edit: family (last) name.");
ABSL_FLAG(TextFlag, phone, {},
          "clients add/edit: phone, 7 to 15 digits, optional leading +.");
ABSL_FLAG(TextFlag, email, {}, "clients add/edit: email address.");
ABSL_FLAG(TextFlag, birth_date, {},
          "clients add/edit: date of birth, YYYY-MM-DD.");
ABSL_FLAG(TextFlag, emergency_name, {},
          "clients add/edit: emergency contact's name.");
ABSL_FLAG(TextFlag, emergency_phone, {},
          "clients add/edit: emergency contact's phone.");
ABSL_FLAG(TextFlag, note, {},
          "clients add/edit: short non-clinical front-desk note. With edit, "
          "any field flag given as empty (--note=) clears that field.");
ABSL_FLAG(TextFlag, request_id, {},
          "clients add, intake new: idempotency key; default a fresh random "
          "one. Reuse the one from a failed command to retry it without "
          "creating a duplicate.");
ABSL_FLAG(TextFlag, etag, {},
          "clients edit/archive, intake edit/submit: only change the record "
          "if it still has this etag (from show); otherwise the call fails "
          "with ABORTED.");
ABSL_FLAG(TextFlag, query, {},
          "clients find: start of a given or family name, or digits of a "
          "phone number.");
ABSL_FLAG(bool, show_archived, false,
          "clients find: include archived clients.");
ABSL_FLAG(int32_t, page_size, 0,
          "clients find, intake list: records per page; 0 means the server "
          "default (50).");
ABSL_FLAG(TextFlag, page_token, {},
          "clients find, intake list: token printed by the previous page.");

namespace velknee::cli {
namespace {

using intake::v1::Client;
using intake::v1::IntakeService;

enum class Subcommand { kAdd, kShow, kFind, kEdit, kArchive };

struct FlagUse {
  const char* name;
  bool given;
};

// Flags that only make sense for some subcommands, with whether they were
// given. A flag given to a subcommand that ignores it is a usage error, so a
// mistyped command never silently does less than the user asked.
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

std::vector<FlagUse> FlagsNotFor(Subcommand subcommand) {
  std::vector<FlagUse> flags;
  const bool edits =
      subcommand == Subcommand::kAdd || subcommand == Subcommand::kEdit;
  if (!edits) {
    for (const FlagUse& use : FieldFlags()) flags.push_back(use);
  }
  if (subcommand != Subcommand::kAdd) {
    flags.push_back({"request_id", absl::GetFlag(FLAGS_request_id).given});
  }
  if (subcommand != Subcommand::kEdit && subcommand != Subcommand::kArchive) {
    flags.push_back({"etag", absl::GetFlag(FLAGS_etag).given});
  }
  if (subcommand != Subcommand::kFind) {
    flags.push_back({"query", absl::GetFlag(FLAGS_query).given});
    flags.push_back({"show_archived", absl::GetFlag(FLAGS_show_archived)});
    flags.push_back({"page_size", absl::GetFlag(FLAGS_page_size) != 0});
    flags.push_back({"page_token", absl::GetFlag(FLAGS_page_token).given});
  }
  return flags;
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

// Accepts "clients/ID" or a bare "ID" (what people copy from a table column
// is sometimes only the id); anything else goes to the server as typed, which
// rejects it with a clear INVALID_ARGUMENT.
std::string ClientName(absl::string_view arg) {
  if (absl::StrContains(arg, '/')) return std::string(arg);
  return absl::StrCat("clients/", arg);
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

int Usage(const CommandIo& io, absl::string_view problem) {
  io.err << "error: " << problem << "\n\nusage:\n" << ClientsUsage(io.program);
  return kExitUsage;
}

// Everything a subcommand needs once its arguments are known to be right.
class ClientsRunner {
 public:
  ClientsRunner(const CommandIo& io, const Connection& connection)
      : io_(io),
        connection_(connection),
        stub_(IntakeService::NewStub(connection.channel())),
        json_(absl::GetFlag(FLAGS_json)) {}

  int Add() {
    absl::StatusOr<ClientPatch> patch =
        BuildClientPatch(FieldValuesFromFlags());
    if (!patch.ok()) return LocalFailure(patch.status());
    intake::v1::CreateClientRequest request;
    *request.mutable_client() = std::move(patch->client);
    const TextFlag request_id = absl::GetFlag(FLAGS_request_id);
    request.set_request_id(request_id.given ? request_id.value
                                            : NewRequestId());
    Client client;
    // Safe to repeat: the server answers a repeated request_id with the client
    // it created first.
    grpc::Status status =
        connection_.CallWithRetries([&](grpc::ClientContext* context) {
          return stub_->CreateClient(context, request, &client);
        });
    if (!status.ok()) {
      std::string line = ErrorLine(status);
      if (status.error_code() == grpc::StatusCode::UNAVAILABLE ||
          status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
        // The client may have been created and only the answer lost.
        absl::StrAppend(&line,
                        "; to retry without risking a duplicate, add "
                        "--request_id=",
                        request.request_id());
      }
      io_.err << line << "\n";
      return kExitCallFailed;
    }
    return PrintClient(client);
  }

  int Show(absl::string_view name) {
    intake::v1::GetClientRequest request;
    request.set_name(ClientName(name));
    Client client;
    grpc::Status status =
        connection_.CallWithRetries([&](grpc::ClientContext* context) {
          return stub_->GetClient(context, request, &client);
        });
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
    grpc::Status status =
        connection_.CallWithRetries([&](grpc::ClientContext* context) {
          return stub_->ListClients(context, request, &page);
        });
    if (!status.ok()) return CallFailure(status);
    io_.out << (json_ ? ProtoJson(page)
                      : ClientTable(page, io_.program, request));
    return kExitOk;
  }

  int Edit(absl::string_view name) {
    absl::StatusOr<ClientPatch> patch =
        BuildClientPatch(FieldValuesFromFlags());
    if (!patch.ok()) return LocalFailure(patch.status());
    intake::v1::UpdateClientRequest request;
    *request.mutable_client() = std::move(patch->client);
    *request.mutable_update_mask() = std::move(patch->update_mask);
    request.mutable_client()->set_name(ClientName(name));
    request.mutable_client()->set_etag(absl::GetFlag(FLAGS_etag).value);
    Client client;
    // Not retried: without an etag a repeat could overwrite someone else's
    // change made in between.
    grpc::Status status = stub_->UpdateClient(
        connection_.NewCallContext().get(), request, &client);
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
    grpc::Status status = stub_->ArchiveClient(
        connection_.NewCallContext().get(), request, &client);
    if (!status.ok()) return CallFailure(status);
    return PrintClient(client);
  }

 private:
  int PrintClient(const Client& client) {
    io_.out << (json_ ? ProtoJson(client) : ClientBlock(client));
    return kExitOk;
  }

  int CallFailure(const grpc::Status& status) {
    io_.err << ErrorLine(status) << "\n";
    return kExitCallFailed;
  }

  int LocalFailure(const absl::Status& status) {
    io_.err << ErrorLine(status) << "\n";
    return kExitUsage;
  }

  const CommandIo& io_;
  const Connection& connection_;
  const std::unique_ptr<IntakeService::Stub> stub_;
  const bool json_;
};

}  // namespace

std::vector<std::string> ClientsFlagsGiven() {
  std::vector<FlagUse> flags = FieldFlags();
  flags.push_back({"query", absl::GetFlag(FLAGS_query).given});
  flags.push_back({"show_archived", absl::GetFlag(FLAGS_show_archived)});
  std::vector<std::string> given;
  for (const FlagUse& use : flags) {
    if (use.given) given.push_back(absl::StrCat("--", use.name));
  }
  return given;
}

std::string ClientsUsage(absl::string_view program) {
  const std::string p(program);
  return absl::StrCat(
      "  ", p,
      " clients add --given_name=G --family_name=F --phone=P [--email=E]\n"
      "        [--birth_date=YYYY-MM-DD] [--emergency_name=N] "
      "[--emergency_phone=P]\n"
      "        [--note=TEXT] [--request_id=ID]\n",
      "  ", p, " clients show clients/ID\n", "  ", p,
      " clients find [--query=Q] [--show_archived] [--page_size=N] "
      "[--page_token=T]\n",
      "  ", p,
      " clients edit clients/ID [--etag=E] <any add flag; empty clears>\n",
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

std::string ClientTable(const intake::v1::ListClientsResponse& page,
                        absl::string_view program,
                        const intake::v1::ListClientsRequest& request) {
  std::string out;
  if (page.clients().empty()) {
    out = "No clients found.\n";
  } else {
    std::vector<std::vector<std::string>> rows;
    for (const Client& client : page.clients()) {
      rows.push_back({client.name(), client.family_name(), client.given_name(),
                      client.phone(), StateLabel(client.state())});
    }
    out = AlignedTable({"RESOURCE NAME", "FAMILY", "GIVEN", "PHONE", "STATE"},
                       rows);
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
    absl::StrAppend(&out, " --page_token=", ShellQuote(page.next_page_token()),
                    "\n");
  }
  return out;
}

int RunClientsCommand(const std::vector<std::string>& args,
                      const CommandIo& io) {
  if (args.empty()) return Usage(io, "missing clients command");
  const std::string& verb = args[0];
  Subcommand subcommand;
  if (verb == "add") {
    subcommand = Subcommand::kAdd;
  } else if (verb == "show") {
    subcommand = Subcommand::kShow;
  } else if (verb == "find") {
    subcommand = Subcommand::kFind;
  } else if (verb == "edit") {
    subcommand = Subcommand::kEdit;
  } else if (verb == "archive") {
    subcommand = Subcommand::kArchive;
  } else {
    return Usage(io, absl::StrCat("unknown clients command \"", verb, "\""));
  }
  const bool takes_name = subcommand == Subcommand::kShow ||
                          subcommand == Subcommand::kEdit ||
                          subcommand == Subcommand::kArchive;
  const size_t expected_args = takes_name ? 2 : 1;
  if (args.size() < expected_args) {
    return Usage(io, absl::StrCat("clients ", verb,
                                  " needs the client's resource name, "
                                  "clients/ID"));
  }
  if (args.size() > expected_args) {
    return Usage(
        io, absl::StrCat("unexpected argument \"", args[expected_args], "\""));
  }
  std::vector<std::string> misplaced;
  for (const FlagUse& use : FlagsNotFor(subcommand)) {
    if (use.given) misplaced.push_back(absl::StrCat("--", use.name));
  }
  if (!misplaced.empty()) {
    return Usage(io, absl::StrCat(absl::StrJoin(misplaced, ", "),
                                  " does not apply to clients ", verb));
  }
  if (subcommand == Subcommand::kEdit) {
    bool any_field = false;
    for (const FlagUse& use : FieldFlags()) any_field = any_field || use.given;
    if (!any_field) {
      return Usage(io, "clients edit needs at least one field flag to change");
    }
  }

  absl::StatusOr<std::unique_ptr<Connection>> connection =
      Connection::OpenFromFlags();
  if (!connection.ok()) {
    io.err << ErrorLine(connection.status()) << "\n";
    return kExitUsage;
  }
  ClientsRunner runner(io, **connection);
  switch (subcommand) {
    case Subcommand::kAdd:
      return runner.Add();
    case Subcommand::kShow:
      return runner.Show(args[1]);
    case Subcommand::kFind:
      return runner.Find();
    case Subcommand::kEdit:
      return runner.Edit(args[1]);
    case Subcommand::kArchive:
      return runner.Archive(args[1]);
  }
  return kExitUsage;
}

}  // namespace velknee::cli

#include "common/http/http_server.h"

#include <sys/socket.h>

#include <chrono>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "httplib.h"

namespace velknee {
namespace {

struct HostPort {
  std::string host;
  int port = 0;
};

// "host:port" or "[v6]:port" split; INVALID_ARGUMENT otherwise.
absl::StatusOr<HostPort> SplitHostPort(absl::string_view listen) {
  const size_t colon = listen.rfind(':');
  absl::string_view host = colon == absl::string_view::npos ? "" : listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  int port = -1;
  if (host.empty() || !absl::SimpleAtoi(listen.substr(colon + 1), &port) || port < 0 ||
      port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", listen, "\" is not host:port (e.g. 127.0.0.1:9090)"));
  }
  return HostPort{std::string(host), port};
}

// The library's default also sets SO_REUSEPORT, which would let a second server share the
// port and answer every other request; a port in use must be an error instead.
void ReuseAddressOnly(int socket) {
  int yes = 1;
  ::setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
}

}  // namespace

absl::Status CheckListenAddress(absl::string_view listen) { return SplitHostPort(listen).status(); }

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(
    const HttpServerOptions& options, absl::flat_hash_map<std::string, GetHandler> handlers) {
  absl::StatusOr<HostPort> address = SplitHostPort(options.listen);
  if (!address.ok()) return address.status();
  auto server = std::make_unique<httplib::Server>();
  server->set_socket_options(ReuseAddressOnly);
  const size_t threads = options.threads;
  server->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  const int port = address->port == 0
                       ? server->bind_to_any_port(address->host)
                       : (server->bind_to_port(address->host, address->port) ? address->port : -1);
  if (port <= 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen, " (address in use or not available)"));
  }
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(server), port, std::move(handlers)));
}

HttpServer::HttpServer(std::unique_ptr<httplib::Server> server, int port,
                       absl::flat_hash_map<std::string, GetHandler> handlers)
    : server_(std::move(server)), port_(port), handlers_(std::move(handlers)) {
  // Exact paths, looked up here rather than given to the library, which reads paths as
  // regular expressions.
  server_->Get(".*", [this](const httplib::Request& request, httplib::Response& response) {
    auto it = handlers_.find(request.path);
    HttpResponse answer{404, "text/plain; charset=utf-8", "not found\n"};
    if (it != handlers_.end()) answer = it->second();
    response.status = answer.status;
    response.set_header("X-Content-Type-Options", "nosniff");
    response.set_header("Cache-Control", "no-store");
    response.set_content(std::move(answer.body), answer.content_type.c_str());
  });
  const auto not_allowed = [](const httplib::Request&, httplib::Response& response) {
    response.status = 405;
    response.set_header("Allow", "GET, HEAD");
    response.set_content("method not allowed\n", "text/plain; charset=utf-8");
  };
  server_->Post(".*", not_allowed);
  server_->Put(".*", not_allowed);
  server_->Patch(".*", not_allowed);
  server_->Delete(".*", not_allowed);
  server_->Options(".*", not_allowed);
  listener_ = std::thread([this] {
    server_->listen_after_bind();
    listener_returned_ = true;
  });
  // The library's stop() does nothing until the listener runs: wait for it, so that Stop
  // always stops it.
  while (!server_->is_running() && !listener_returned_) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

HttpServer::~HttpServer() { Stop(); }

void HttpServer::Stop() {
  server_->stop();
  if (listener_.joinable()) listener_.join();
}

}  // namespace velknee

#include "common/http/http_server.h"

#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <deque>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
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

// The library's ThreadPool queues every accepted connection without limit. This one makes the
// accepting thread wait while `max_queued` connections are already waiting for a worker, so
// excess clients stay in the kernel's backlog instead of in memory.
class BoundedThreadPool final : public httplib::TaskQueue {
 public:
  BoundedThreadPool(int threads, int max_queued) : max_queued_(max_queued) {
    for (int i = 0; i < threads; ++i) workers_.emplace_back([this] { Work(); });
  }

  void enqueue(std::function<void()> job) override {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(
        +[](BoundedThreadPool* pool) ABSL_EXCLUSIVE_LOCKS_REQUIRED(pool->mu_) {
          return pool->jobs_.size() < static_cast<size_t>(pool->max_queued_);
        },
        this));
    jobs_.push_back(std::move(job));
  }

  // Runs the queued jobs, then joins the workers.
  void shutdown() override {
    {
      absl::MutexLock lock(&mu_);
      shutting_down_ = true;
    }
    for (std::thread& worker : workers_) worker.join();
  }

 private:
  void Work() {
    for (;;) {
      std::function<void()> job;
      {
        absl::MutexLock lock(&mu_);
        mu_.Await(absl::Condition(
            +[](BoundedThreadPool* pool) ABSL_EXCLUSIVE_LOCKS_REQUIRED(pool->mu_) {
              return !pool->jobs_.empty() || pool->shutting_down_;
            },
            this));
        if (jobs_.empty()) return;
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      job();
    }
  }

  const int max_queued_;
  absl::Mutex mu_;
  std::deque<std::function<void()>> jobs_ ABSL_GUARDED_BY(mu_);
  bool shutting_down_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> workers_;
};

// Shuts down (without closing: the worker owns the descriptor) every TCP connection of this
// process whose local port is `port`, so that a worker blocked on a client that drips bytes
// returns now. Each descriptor is duplicated first, so that the socket checked is the socket
// shut down even if a worker closes its descriptor and the number is reused meanwhile.
void ShutDownConnectionsOnPort(int port) {
  DIR* dir = ::opendir("/proc/self/fd");
  if (dir == nullptr) return;
  while (const dirent* entry = ::readdir(dir)) {
    int fd = -1;
    if (!absl::SimpleAtoi(entry->d_name, &fd) || fd == ::dirfd(dir)) continue;
    const int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (copy < 0) continue;
    sockaddr_storage local{};
    socklen_t length = sizeof(local);
    int type = 0;
    socklen_t type_length = sizeof(type);
    if (::getsockopt(copy, SOL_SOCKET, SO_TYPE, &type, &type_length) == 0 && type == SOCK_STREAM &&
        ::getsockname(copy, reinterpret_cast<sockaddr*>(&local), &length) == 0) {
      int local_port = -1;
      if (local.ss_family == AF_INET) {
        local_port = ntohs(reinterpret_cast<const sockaddr_in*>(&local)->sin_port);
      } else if (local.ss_family == AF_INET6) {
        local_port = ntohs(reinterpret_cast<const sockaddr_in6*>(&local)->sin6_port);
      }
      if (local_port == port) ::shutdown(copy, SHUT_RDWR);
    }
    ::close(copy);
  }
  ::closedir(dir);
}

absl::Status CheckOptions(const HttpServerOptions& options) {
  if (options.threads <= 0 || options.max_queued_connections <= 0 ||
      options.keep_alive_max_requests <= 0) {
    return absl::InvalidArgumentError(
        "HttpServerOptions: threads, max_queued_connections and keep_alive_max_requests must "
        "be greater than 0");
  }
  if (options.read_timeout <= absl::ZeroDuration() ||
      options.write_timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "HttpServerOptions: read_timeout and write_timeout must be greater than 0");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckListenAddress(absl::string_view listen) { return SplitHostPort(listen).status(); }

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(
    const HttpServerOptions& options, absl::flat_hash_map<std::string, GetHandler> handlers) {
  absl::StatusOr<HostPort> address = SplitHostPort(options.listen);
  if (!address.ok()) return address.status();
  if (absl::Status valid = CheckOptions(options); !valid.ok()) return valid;
  auto server = std::make_unique<httplib::Server>();
  server->set_socket_options(ReuseAddressOnly);
  server->new_task_queue = [threads = options.threads, queued = options.max_queued_connections] {
    return new BoundedThreadPool(threads, queued);
  };
  // No handler takes a body: one that is sent is never read into memory.
  server->set_payload_max_length(0);
  server->set_read_timeout(absl::ToChronoMicroseconds(options.read_timeout));
  server->set_write_timeout(absl::ToChronoMicroseconds(options.write_timeout));
  // Waiting for a kept-alive connection's next request is a read too.
  server->set_keep_alive_timeout(std::max<time_t>(1, absl::ToInt64Seconds(options.read_timeout)));
  server->set_keep_alive_max_count(options.keep_alive_max_requests);
  const int port = address->port == 0
                       ? server->bind_to_any_port(address->host)
                       : (server->bind_to_port(address->host, address->port) ? address->port : -1);
  if (port <= 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen, " (address in use or not available)"));
  }
  auto started = std::unique_ptr<HttpServer>(
      new HttpServer(std::move(server), port, options.read_timeout, std::move(handlers)));
  if (started->listener_returned_) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen, " (the listener stopped at once)"));
  }
  return started;
}

HttpServer::HttpServer(std::unique_ptr<httplib::Server> server, int port,
                       absl::Duration read_timeout,
                       absl::flat_hash_map<std::string, GetHandler> handlers)
    : server_(std::move(server)),
      port_(port),
      read_timeout_(read_timeout),
      handlers_(std::move(handlers)) {
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
  // Before routing, so that a body is never read: the client is answered and disconnected.
  server_->set_pre_routing_handler(
      [](const httplib::Request& request, httplib::Response& response) {
        if (request.method == "GET" || request.method == "HEAD") {
          return httplib::Server::HandlerResponse::Unhandled;
        }
        response.status = 405;
        response.set_header("Allow", "GET, HEAD");
        response.set_header("Connection", "close");
        response.set_content("method not allowed\n", "text/plain; charset=utf-8");
        return httplib::Server::HandlerResponse::Handled;
      });
  listener_ = std::thread([this] {
    server_->listen_after_bind();
    listener_returned_ = true;
    if (!stopping_) {
      std::fprintf(stderr, "velknee: the HTTP listener on port %d stopped unexpectedly\n", port_);
    }
  });
  // The library's stop() does nothing until the listener runs: wait for it, so that Stop
  // always stops it.
  while (!server_->is_running() && !listener_returned_) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

HttpServer::~HttpServer() { Stop(); }

void HttpServer::Stop() {
  stopping_ = true;
  server_->stop();
  // The listener returns once every connection is done. A client that sends a byte just often
  // enough never hits the read timeout; after one timeout of grace, its connection is cut.
  const absl::Time grace_end = absl::Now() + read_timeout_;
  while (!listener_returned_ && absl::Now() < grace_end) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  if (!listener_returned_) ShutDownConnectionsOnPort(port_);
  if (listener_.joinable()) listener_.join();
}

}  // namespace velknee

#ifndef VELKNEE_COMMON_HTTP_HTTP_SERVER_H_
#define VELKNEE_COMMON_HTTP_HTTP_SERVER_H_

// A small HTTP/1.1 server on one port, for the endpoints that are not gRPC (Prometheus'
// /metrics). It hides the HTTP library (cpp-httplib, Debian's libcpp-httplib-dev) behind this
// one interface, so the rest of velknee never includes it. Plaintext only: callers decide
// where it may listen.
//
// Thread-safe after Start; handlers run on the server's own threads, several at a time.

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace httplib {
class Server;
}

namespace velknee {

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};

struct HttpServerOptions {
  // "host:port" or "[v6]:port"; port 0 picks a free port (see HttpServer::port).
  std::string listen;
  // Requests are answered by at most this many threads at once; others wait their turn.
  int threads = 2;
};

// INVALID_ARGUMENT unless `listen` is "host:port" or "[v6]:port" with a port of 0-65535: the
// check Start makes first, for callers that want to refuse a bad address before other work.
absl::Status CheckListenAddress(absl::string_view listen);

class HttpServer {
 public:
  using GetHandler = std::function<HttpResponse()>;

  // Answers GET (and HEAD) of exactly `path` ("/metrics", no query string needed) with
  // `handler`; every other path is 404 Not Found and every other method 405 Method Not
  // Allowed. `handlers` is fixed for the server's lifetime.
  // INVALID_ARGUMENT when options.listen is not host:port; UNAVAILABLE when it cannot be bound
  // (address in use or not local).
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(
      const HttpServerOptions& options, absl::flat_hash_map<std::string, GetHandler> handlers);

  // Stops (see Stop).
  ~HttpServer();

  // The bound port (the chosen one when options.listen asked for port 0).
  int port() const { return port_; }

  // Stops accepting connections and returns once the requests being answered are done.
  void Stop();

 private:
  HttpServer(std::unique_ptr<httplib::Server> server, int port,
             absl::flat_hash_map<std::string, GetHandler> handlers);

  const std::unique_ptr<httplib::Server> server_;
  const int port_;
  const absl::flat_hash_map<std::string, GetHandler> handlers_;
  std::atomic<bool> listener_returned_{false};
  std::thread listener_;
};

}  // namespace velknee

#endif  // VELKNEE_COMMON_HTTP_HTTP_SERVER_H_

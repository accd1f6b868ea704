#include "common/http/http_server.h"

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "tests/support/raw_connection.h"
#include "tests/support/status_matchers.h"

namespace velknee {
namespace {

using test::RawConnection;
using test::StatusIs;
using ::testing::HasSubstr;

std::unique_ptr<HttpServer> StartHelloServer(const std::string& listen = "127.0.0.1:0") {
  absl::flat_hash_map<std::string, HttpServer::GetHandler> handlers;
  handlers["/hello"] = [] { return HttpResponse{200, "text/plain; version=0.0.4", "hi\n"}; };
  absl::StatusOr<std::unique_ptr<HttpServer>> server =
      HttpServer::Start(HttpServerOptions{listen}, std::move(handlers));
  EXPECT_TRUE(server.ok()) << server.status();
  return server.ok() ? std::move(*server) : nullptr;
}

TEST(HttpServerTest, AnswersARegisteredPathWithItsHandler) {
  std::unique_ptr<HttpServer> server = StartHelloServer();
  ASSERT_NE(server, nullptr);
  httplib::Client client("127.0.0.1", server->port());
  httplib::Result result = client.Get("/hello");
  ASSERT_TRUE(result) << httplib::to_string(result.error());
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->body, "hi\n");
  EXPECT_EQ(result->get_header_value("Content-Type"), "text/plain; version=0.0.4");
  EXPECT_EQ(result->get_header_value("X-Content-Type-Options"), "nosniff");
}

TEST(HttpServerTest, OtherPathsAreNotFoundAndPathsAreNotPatterns) {
  std::unique_ptr<HttpServer> server = StartHelloServer();
  ASSERT_NE(server, nullptr);
  httplib::Client client("127.0.0.1", server->port());
  for (const char* path : {"/", "/hello/", "/hellox", "/HELLO", "/metrics"}) {
    httplib::Result result = client.Get(path);
    ASSERT_TRUE(result) << path;
    EXPECT_EQ(result->status, 404) << path;
  }
  httplib::Result posted = client.Post("/hello", "x", "text/plain");
  ASSERT_TRUE(posted);
  EXPECT_EQ(posted->status, 405);
  EXPECT_EQ(posted->get_header_value("Allow"), "GET, HEAD");
}

TEST(HttpServerTest, HeadGetsTheHeadersWithoutTheBody) {
  std::unique_ptr<HttpServer> server = StartHelloServer();
  ASSERT_NE(server, nullptr);
  httplib::Client client("127.0.0.1", server->port());
  httplib::Result result = client.Head("/hello");
  ASSERT_TRUE(result) << httplib::to_string(result.error());
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->body, "");
  EXPECT_EQ(result->get_header_value("Content-Type"), "text/plain; version=0.0.4");
}

TEST(HttpServerTest, ABodyIsRefusedWithoutBeingReadAndTheConnectionClosed) {
  std::unique_ptr<HttpServer> server = StartHelloServer();
  ASSERT_NE(server, nullptr);
  RawConnection connection(server->port());
  ASSERT_TRUE(connection.connected());
  // Announces a gigabyte and sends a few bytes: a server that read bodies first would wait
  // for the rest (or hold it in memory) and never answer.
  ASSERT_TRUE(connection.Send(
      "PUT /hello HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000000000\r\n\r\nabc"));
  bool closed = false;
  const std::string response = connection.ReadUntilClosed(absl::Seconds(5), &closed);
  EXPECT_THAT(response, ::testing::StartsWith("HTTP/1.1 405"));
  EXPECT_THAT(response, HasSubstr("Allow: GET, HEAD"));
  EXPECT_TRUE(closed) << response;
}

TEST(HttpServerTest, StopReturnsPromptlyWithStalledAndDrippingClientsConnected) {
  std::unique_ptr<HttpServer> server = StartHelloServer();
  ASSERT_NE(server, nullptr);
  RawConnection stalled(server->port());
  RawConnection dripping(server->port());
  ASSERT_TRUE(stalled.connected());
  ASSERT_TRUE(dripping.connected());
  ASSERT_TRUE(stalled.Send("GET /hello HTTP/1.1\r\nHost: local"));  // And nothing more.
  // One header byte every 200 ms, never reaching the 1 s read timeout, for up to 8 s.
  ASSERT_TRUE(dripping.Send("GET /hello HTTP/1.1\r\nX-Slow: "));
  std::thread drip([&dripping] {
    for (int i = 0; i < 40 && dripping.Send("a"); ++i) absl::SleepFor(absl::Milliseconds(200));
  });
  absl::SleepFor(absl::Milliseconds(300));  // Both are being served.
  const absl::Time start = absl::Now();
  server->Stop();
  const absl::Duration took = absl::Now() - start;
  drip.join();
  // About one read timeout (1 s); without a bound the dripping client would hold it 8 s.
  EXPECT_LT(took, absl::Seconds(3));
}

TEST(HttpServerTest, IdleClientsDoNotKeepOthersWaitingLong) {
  absl::flat_hash_map<std::string, HttpServer::GetHandler> handlers;
  handlers["/hello"] = [] { return HttpResponse{200, "text/plain", "hi\n"}; };
  HttpServerOptions options{"127.0.0.1:0"};
  options.threads = 1;
  options.max_queued_connections = 1;
  absl::StatusOr<std::unique_ptr<HttpServer>> server =
      HttpServer::Start(options, std::move(handlers));
  ASSERT_TRUE(server.ok()) << server.status();
  std::vector<std::unique_ptr<RawConnection>> idle;
  for (int i = 0; i < 3; ++i) {
    idle.push_back(std::make_unique<RawConnection>((*server)->port()));
    ASSERT_TRUE(idle.back()->connected());
  }
  httplib::Client client("127.0.0.1", (*server)->port());
  client.set_read_timeout(10);
  httplib::Result result = client.Get("/hello");
  ASSERT_TRUE(result) << httplib::to_string(result.error());
  EXPECT_EQ(result->status, 200);
}

TEST(HttpServerTest, BoundsMustBePositive) {
  for (auto change : std::vector<std::function<void(HttpServerOptions&)>>{
           [](HttpServerOptions& o) { o.threads = 0; },
           [](HttpServerOptions& o) { o.max_queued_connections = 0; },
           [](HttpServerOptions& o) { o.keep_alive_max_requests = -1; },
           [](HttpServerOptions& o) { o.read_timeout = absl::ZeroDuration(); },
           [](HttpServerOptions& o) { o.write_timeout = absl::Seconds(-1); }}) {
    HttpServerOptions options{"127.0.0.1:0"};
    change(options);
    EXPECT_THAT(HttpServer::Start(options, {}).status(),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("greater than 0")));
  }
}

TEST(HttpServerTest, APortInUseIsUnavailable) {
  std::unique_ptr<HttpServer> first = StartHelloServer();
  ASSERT_NE(first, nullptr);
  absl::StatusOr<std::unique_ptr<HttpServer>> second =
      HttpServer::Start(HttpServerOptions{absl::StrCat("127.0.0.1:", first->port())}, {});
  EXPECT_THAT(second.status(),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("cannot listen")));
}

TEST(HttpServerTest, AnAddressThatIsNotHostAndPortIsInvalid) {
  for (const char* listen : {"127.0.0.1", ":9090", "127.0.0.1:http", "127.0.0.1:70000", ""}) {
    absl::StatusOr<std::unique_ptr<HttpServer>> server =
        HttpServer::Start(HttpServerOptions{listen}, {});
    EXPECT_THAT(server.status(),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("is not host:port")))
        << listen;
  }
}

TEST(HttpServerTest, StoppedServerRefusesConnections) {
  std::unique_ptr<HttpServer> server = StartHelloServer();
  ASSERT_NE(server, nullptr);
  const int port = server->port();
  server->Stop();
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(1);
  EXPECT_FALSE(client.Get("/hello"));
}

}  // namespace
}  // namespace velknee

// velknee-desk against a velknee-server that serves TLS (and mutual TLS) on a loopback port, with
// certificates made at test time by deploy/make_dev_certs.sh.

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/clinic_process.h"

namespace velknee {
namespace {

using test::ClinicProcess;
using test::CommandResult;
using test::LineCount;
using test::RunCommand;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class TlsE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    desk_token_file_ = clinic_.AddToken("front_desk", "desk-e2e");
    MakeCertificates("certs");
  }

  // Writes a CA and server/client certificates (server names localhost and 127.0.0.1) to `dir`.
  void MakeCertificates(const std::string& dir) {
    const CommandResult made =
        RunCommand({VELKNEE_MAKE_DEV_CERTS, Cert(dir, "")}, {}, "", absl::Seconds(30));
    ASSERT_EQ(made.exit_code, 0) << made.out << made.err;
  }

  std::string Cert(const std::string& dir, const std::string& file) const {
    return file.empty() ? clinic_.dir().File(dir) : clinic_.dir().File(dir + "/" + file);
  }

  // Starts the server with the test-time server certificate, plus `extra_flags`.
  void StartTlsServer(const std::vector<std::string>& extra_flags = {}) {
    std::vector<std::string> flags = {"--tls_cert_file=" + Cert("certs", "server.crt"),
                                      "--tls_key_file=" + Cert("certs", "server.key")};
    flags.insert(flags.end(), extra_flags.begin(), extra_flags.end());
    port_ = clinic_.Start(flags);
    ASSERT_NE(port_, 0) << clinic_.ServerLog();
  }

  // `velknee-desk clients find` at `host`:port with `connection_flags`.
  CommandResult Find(const std::string& host, std::vector<std::string> connection_flags) const {
    std::vector<std::string> args = {"clients", "find", absl::StrCat("--target=", host, ":", port_),
                                     "--token_file=" + desk_token_file_};
    args.insert(args.end(), connection_flags.begin(), connection_flags.end());
    return clinic_.Desk(args);
  }

  ClinicProcess clinic_;
  std::string desk_token_file_;
  int port_ = 0;
};

TEST_F(TlsE2eTest, DeskTrustingTheClinicCaWorksByServerName) {
  StartTlsServer();
  const CommandResult added = clinic_.Desk(
      {"clients", "add", "--given_name=Ingrid", "--family_name=Vasquez-Holm",
       "--phone=+44 7700 900321", absl::StrCat("--target=localhost:", port_),
       "--token_file=" + desk_token_file_, "--tls_ca_file=" + Cert("certs", "ca.crt")});
  ASSERT_EQ(added.exit_code, 0) << added.err << clinic_.ServerLog();
  EXPECT_THAT(added.out, HasSubstr("Ingrid Vasquez-Holm"));

  const CommandResult found = Find("localhost", {"--tls_ca_file=" + Cert("certs", "ca.crt")});
  ASSERT_EQ(found.exit_code, 0) << found.err;
  EXPECT_THAT(found.out, HasSubstr("Vasquez-Holm"));
}

TEST_F(TlsE2eTest, PlaintextDeskCannotTalkToATlsServer) {
  StartTlsServer();
  const CommandResult plaintext = Find("127.0.0.1", {});
  EXPECT_EQ(plaintext.exit_code, 1);
  EXPECT_EQ(LineCount(plaintext.err), 1) << plaintext.err;
  EXPECT_THAT(plaintext.err, StartsWith("error: UNAVAILABLE"));
}

TEST_F(TlsE2eTest, DeskRefusesAServerCertificateFromAnotherCa) {
  MakeCertificates("other");
  StartTlsServer();
  const CommandResult untrusted = Find("localhost", {"--tls_ca_file=" + Cert("other", "ca.crt")});
  EXPECT_EQ(untrusted.exit_code, 1);
  // One line: the reason is in it, with no library log lines around it.
  EXPECT_EQ(LineCount(untrusted.err), 1) << untrusted.err;
  EXPECT_THAT(untrusted.err,
              AllOf(StartsWith("error: UNAVAILABLE"), HasSubstr("certificate verify failed")));
}

TEST_F(TlsE2eTest, MutualTlsAdmitsOnlyADeskWithAClientCertificate) {
  StartTlsServer({"--tls_client_ca_file=" + Cert("certs", "ca.crt")});
  const std::string ca = "--tls_ca_file=" + Cert("certs", "ca.crt");

  const CommandResult without_cert = Find("localhost", {ca});
  EXPECT_EQ(without_cert.exit_code, 1);
  EXPECT_EQ(LineCount(without_cert.err), 1) << without_cert.err;
  EXPECT_THAT(without_cert.err, StartsWith("error: UNAVAILABLE"));

  const CommandResult with_cert =
      Find("localhost", {ca, "--tls_cert_file=" + Cert("certs", "client.crt"),
                         "--tls_key_file=" + Cert("certs", "client.key")});
  ASSERT_EQ(with_cert.exit_code, 0) << with_cert.err << clinic_.ServerLog();
  EXPECT_THAT(with_cert.out, HasSubstr("No clients found."));
}

}  // namespace
}  // namespace velknee

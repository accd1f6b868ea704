#ifndef VELKNEE_CLIENTS_CLI_PROMPTER_H_
#define VELKNEE_CLIENTS_CLI_PROMPTER_H_

// The question-and-answer loop of the reference clients' guided forms (the
// intake form now; plans and notes later). It reads answers a line at a time
// from any istream and writes questions to any ostream, so the same form runs
// on a terminal, with answers piped in by a script, and in unit tests with an
// istringstream. It makes no TTY assumptions: no echo control, no cursor
// movement, nothing but lines.
//
// A bad answer is explained in one line and the question asked again, up to
// kMaxBadAnswers times; then, or when the input ends, the Ask* call fails and
// the form stops without sending anything. Not thread-safe.

#include <functional>
#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/type/date.pb.h"

namespace velknee::cli {

// One entry of a numbered list. The answer is its number (1-based position
// in the list) or one of `words`, compared ignoring ASCII case.
struct Choice {
  int value;
  std::string label;
  std::vector<std::string> words;
};

// The limits a contract field declares (`(velknee.common.v1.rules)`, see
// common/validation/field_rules.h), so each form asks for exactly what the
// server accepts and no limit is written twice.
struct NumberRange {
  int min;
  int max;
};
NumberRange RangeOf(const google::protobuf::FieldDescriptor& field);
// "1-20": the range as a prompt shows it.
std::string RangeText(const google::protobuf::FieldDescriptor& field);
// The most characters a text field holds (or items of a repeated text field).
size_t MaxCharsOf(const google::protobuf::FieldDescriptor& field);
// The most items a repeated field holds.
size_t MaxItemsOf(const google::protobuf::FieldDescriptor& field);

// Whether an empty answer is accepted, meaning "skip" or "none".
enum class Blank { kNotAllowed, kAllowed };

class Prompter {
 public:
  static constexpr int kMaxBadAnswers = 5;

  // With `echo_answers`, each answer is written after its question, so a
  // transcript of piped answers reads like the dialogue on a terminal (where
  // the terminal itself echoes what is typed).
  Prompter(std::istream& in, std::ostream& out, bool echo_answers = false)
      : in_(in), out_(out), echo_answers_(echo_answers) {}

  // Writes `text` and a newline (headings and notes between questions).
  void Say(absl::string_view text);

  // Asks `question` until `parse` accepts the answer (the line without
  // surrounding blanks). `parse` returns INVALID_ARGUMENT whose message is the
  // one-line explanation shown before asking again.
  //
  // OUT_OF_RANGE when the input ends before an answer was accepted;
  // INVALID_ARGUMENT after kMaxBadAnswers bad answers. Both messages quote
  // the question.
  template <typename T>
  absl::StatusOr<T> Ask(absl::string_view question,
                        const std::function<absl::StatusOr<T>(absl::string_view)>& parse) {
    for (int bad = 0;;) {
      absl::StatusOr<std::string> line = ReadAnswer(question);
      if (!line.ok()) return line.status();
      absl::StatusOr<T> value = parse(*line);
      if (value.ok()) return value;
      if (absl::Status refused = Refuse(question, value.status(), ++bad); !refused.ok()) {
        return refused;
      }
    }
  }

  // Free text within the declared length of the contract field `field`
  // (its characters or bytes, as its rule counts); an empty answer is "" when
  // `blank` allows it.
  absl::StatusOr<std::string> AskText(absl::string_view question, Blank blank,
                                      const google::protobuf::FieldDescriptor& field);

  // A whole number in [min, max]; nullopt for an empty answer when `blank`
  // allows it.
  absl::StatusOr<std::optional<int>> AskNumber(absl::string_view question, int min, int max,
                                               Blank blank);

  // y/yes or n/no.
  absl::StatusOr<bool> AskYesNo(absl::string_view question);

  // One entry of `choices`, shown as a numbered list; nullopt for an empty
  // answer when `blank` allows it.
  absl::StatusOr<std::optional<int>> AskOne(absl::string_view question,
                                            const std::vector<Choice>& choices, Blank blank);

  // Several entries, separated by commas or spaces, each at most once, in the
  // order given; empty for an empty answer (or "none") when `blank` allows it.
  absl::StatusOr<std::vector<int>> AskSeveral(absl::string_view question,
                                              const std::vector<Choice>& choices, Blank blank);

  // A date as YYYY-MM-DD, not after `latest` when given.
  absl::StatusOr<std::optional<google::type::Date>> AskDate(
      absl::string_view question, Blank blank, const std::optional<google::type::Date>& latest);

  // A list typed one item per line and ended by an empty line; each item at
  // most `max_chars` characters, at most `max_items` items (the list ends by
  // itself when full).
  absl::StatusOr<std::vector<std::string>> AskList(absl::string_view question, size_t max_chars,
                                                   size_t max_items);

 private:
  // Writes the question and reads one answer line, trimmed. OUT_OF_RANGE at
  // the end of the input.
  absl::StatusOr<std::string> ReadAnswer(absl::string_view question);

  // Shows why `problem` refused an answer; once `bad_answers` reaches
  // kMaxBadAnswers, returns the error that ends the form instead.
  absl::Status Refuse(absl::string_view question, const absl::Status& problem, int bad_answers);

  std::istream& in_;
  std::ostream& out_;
  const bool echo_answers_;
};

// The numbered list as a form shows it, several entries per line, e.g.
//   1 left   2 right   3 both sides
std::string ChoiceMenu(const std::vector<Choice>& choices);

// Asks for a number in the range `field` declares: the question is `words`, the range and
// `hint` ("Sets, 1-20:"; "Days between sessions, 1-60 (7 = weekly):").
absl::StatusOr<std::optional<int>> AskInRange(Prompter& prompter, absl::string_view words,
                                              const google::protobuf::FieldDescriptor& field,
                                              absl::string_view hint = "",
                                              Blank blank = Blank::kNotAllowed);

}  // namespace velknee::cli

#endif  // VELKNEE_CLIENTS_CLI_PROMPTER_H_

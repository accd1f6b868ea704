#include "clients/cli/prompter.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "clients/cli/dates.h"
#include "common/validation/field_rules.h"

namespace velknee::cli {
namespace {

constexpr size_t kMenuWidth = 78;

size_t CharCount(absl::string_view text) {
  return std::count_if(text.begin(), text.end(),
                       [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

// The choice an answer word names, or nullptr.
const Choice* FindChoice(const std::vector<Choice>& choices, absl::string_view word) {
  int number = 0;
  if (absl::SimpleAtoi(word, &number)) {
    if (number >= 1 && number <= static_cast<int>(choices.size())) {
      return &choices[number - 1];
    }
    return nullptr;
  }
  for (const Choice& choice : choices) {
    if (absl::EqualsIgnoreCase(word, choice.label)) return &choice;
    for (const std::string& alias : choice.words) {
      if (absl::EqualsIgnoreCase(word, alias)) return &choice;
    }
  }
  return nullptr;
}

absl::Status NotAChoice(const std::vector<Choice>& choices, absl::string_view word) {
  return absl::InvalidArgumentError(absl::StrCat("\"", word,
                                                 "\" is not on the list; answer with a number "
                                                 "from 1 to ",
                                                 choices.size()));
}

bool DateAfter(const google::type::Date& a, const google::type::Date& b) {
  return std::make_tuple(a.year(), a.month(), a.day()) >
         std::make_tuple(b.year(), b.month(), b.day());
}

}  // namespace

void Prompter::Say(absl::string_view text) {
  out_ << text << "\n";
  out_.flush();
}

absl::StatusOr<std::string> Prompter::ReadAnswer(absl::string_view question) {
  out_ << question << " ";
  out_.flush();
  std::string line;
  if (!std::getline(in_, line)) {
    out_ << "\n";
    return absl::OutOfRangeError(
        absl::StrCat("the answers ended at \"", question, "\" before the form was complete"));
  }
  if (echo_answers_) out_ << line << "\n";
  return std::string(absl::StripAsciiWhitespace(line));
}

absl::Status Prompter::Refuse(absl::string_view question, const absl::Status& problem,
                              int bad_answers) {
  out_ << "  " << problem.message() << "\n";
  out_.flush();
  if (bad_answers < kMaxBadAnswers) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(kMaxBadAnswers, " answers to \"", question,
                                                 "\" were not accepted (last: ", problem.message(),
                                                 ")"));
}

absl::StatusOr<std::string> Prompter::AskText(absl::string_view question, Blank blank,
                                              const google::protobuf::FieldDescriptor& field) {
  const common::v1::TextRules& rules = RulesOf(field).text();
  return Ask<std::string>(question, [&](absl::string_view answer) -> absl::StatusOr<std::string> {
    if (answer.empty() && blank == Blank::kNotAllowed) {
      return absl::InvalidArgumentError("an answer is needed here");
    }
    if (rules.max_chars() > 0 && CharCount(answer) > static_cast<size_t>(rules.max_chars())) {
      return absl::InvalidArgumentError(
          absl::StrCat("too long: at most ", rules.max_chars(), " characters"));
    }
    if (rules.max_bytes() > 0 && answer.size() > static_cast<size_t>(rules.max_bytes())) {
      return absl::InvalidArgumentError(
          absl::StrCat("too long: at most ", rules.max_bytes(), " bytes"));
    }
    return std::string(answer);
  });
}

absl::StatusOr<std::optional<int>> Prompter::AskNumber(absl::string_view question, int min, int max,
                                                       Blank blank) {
  return Ask<std::optional<int>>(
      question, [&](absl::string_view answer) -> absl::StatusOr<std::optional<int>> {
        if (answer.empty() && blank == Blank::kAllowed) return std::nullopt;
        int value = 0;
        if (!absl::SimpleAtoi(answer, &value) || value < min || value > max) {
          return absl::InvalidArgumentError(
              absl::StrCat("answer with a whole number from ", min, " to ", max,
                           blank == Blank::kAllowed ? ", or leave it empty" : ""));
        }
        return value;
      });
}

absl::StatusOr<bool> Prompter::AskYesNo(absl::string_view question) {
  return Ask<bool>(
      absl::StrCat(question, " (y/n)"), [](absl::string_view answer) -> absl::StatusOr<bool> {
        if (absl::EqualsIgnoreCase(answer, "y") || absl::EqualsIgnoreCase(answer, "yes")) {
          return true;
        }
        if (absl::EqualsIgnoreCase(answer, "n") || absl::EqualsIgnoreCase(answer, "no")) {
          return false;
        }
        return absl::InvalidArgumentError("answer y (yes) or n (no)");
      });
}

absl::StatusOr<std::optional<int>> Prompter::AskOne(absl::string_view question,
                                                    const std::vector<Choice>& choices,
                                                    Blank blank) {
  Say(question);
  out_ << ChoiceMenu(choices);
  return Ask<std::optional<int>>(
      blank == Blank::kAllowed ? "Number (empty to skip):" : "Number:",
      [&](absl::string_view answer) -> absl::StatusOr<std::optional<int>> {
        if (answer.empty()) {
          if (blank == Blank::kAllowed) return std::nullopt;
          return absl::InvalidArgumentError(
              absl::StrCat("an answer is needed here: a number from 1 to ", choices.size()));
        }
        const Choice* choice = FindChoice(choices, answer);
        if (choice == nullptr) return NotAChoice(choices, answer);
        return choice->value;
      });
}

absl::StatusOr<std::vector<int>> Prompter::AskSeveral(absl::string_view question,
                                                      const std::vector<Choice>& choices,
                                                      Blank blank) {
  Say(question);
  out_ << ChoiceMenu(choices);
  return Ask<std::vector<int>>(
      blank == Blank::kAllowed ? "Numbers, separated by commas (empty for none):"
                               : "Numbers, separated by commas:",
      [&](absl::string_view answer) -> absl::StatusOr<std::vector<int>> {
        std::vector<int> values;
        if (answer.empty() || absl::EqualsIgnoreCase(answer, "none")) {
          if (blank == Blank::kAllowed) return values;
          return absl::InvalidArgumentError("at least one is needed: give the numbers, e.g. 1,3");
        }
        for (absl::string_view word :
             absl::StrSplit(answer, absl::ByAnyChar(", "), absl::SkipEmpty())) {
          const Choice* choice = FindChoice(choices, word);
          if (choice == nullptr) return NotAChoice(choices, word);
          if (std::find(values.begin(), values.end(), choice->value) == values.end()) {
            values.push_back(choice->value);
          }
        }
        return values;
      });
}

absl::StatusOr<std::optional<google::type::Date>> Prompter::AskDate(
    absl::string_view question, Blank blank, const std::optional<google::type::Date>& latest) {
  return Ask<std::optional<google::type::Date>>(
      absl::StrCat(question,
                   blank == Blank::kAllowed ? " (YYYY-MM-DD, empty to skip)" : " (YYYY-MM-DD)"),
      [&](absl::string_view answer) -> absl::StatusOr<std::optional<google::type::Date>> {
        if (answer.empty() && blank == Blank::kAllowed) return std::nullopt;
        absl::StatusOr<google::type::Date> date = ParseDate(answer, "date");
        if (!date.ok()) {
          return absl::InvalidArgumentError(
              "answer with a real date as YYYY-MM-DD, e.g. 2024-03-01");
        }
        if (latest.has_value() && DateAfter(*date, *latest)) {
          return absl::InvalidArgumentError(absl::StrCat(
              "that is in the future; the latest date allowed is ", FormatDate(*latest)));
        }
        return *date;
      });
}

absl::StatusOr<std::vector<std::string>> Prompter::AskList(absl::string_view question,
                                                           size_t max_chars, size_t max_items) {
  Say(absl::StrCat(question, " One per line; an empty line ends the list."));
  std::vector<std::string> items;
  int bad = 0;
  while (items.size() < max_items) {
    absl::StatusOr<std::string> line = ReadAnswer(">");
    if (!line.ok()) {
      return absl::OutOfRangeError(
          absl::StrCat("the answers ended in the list \"", question,
                       "\" before the form was complete (end a list with an "
                       "empty line)"));
    }
    if (line->empty()) return items;
    if (CharCount(*line) > max_chars) {
      if (absl::Status refused = Refuse(
              question,
              absl::InvalidArgumentError(absl::StrCat(
                  "too long: at most ", max_chars, " characters per item; type it again, shorter")),
              ++bad);
          !refused.ok()) {
        return refused;
      }
      continue;
    }
    items.push_back(*std::move(line));
  }
  Say(absl::StrCat("  (the list is full: ", max_items, " items)"));
  return items;
}

std::string ChoiceMenu(const std::vector<Choice>& choices) {
  std::vector<std::string> cells;
  size_t width = 0;
  for (size_t i = 0; i < choices.size(); ++i) {
    cells.push_back(
        absl::StrCat(i + 1 < 10 && choices.size() >= 10 ? " " : "", i + 1, " ", choices[i].label));
    width = std::max(width, CharCount(cells.back()));
  }
  const size_t column = width + 3;
  const size_t per_line = std::max<size_t>(1, (kMenuWidth - 2) / column);
  std::string out;
  for (size_t i = 0; i < cells.size(); ++i) {
    const bool line_start = i % per_line == 0;
    const bool line_end = i % per_line == per_line - 1 || i + 1 == cells.size();
    if (line_start) out.append("  ");
    out.append(cells[i]);
    if (line_end) {
      out.append("\n");
    } else {
      out.append(column - CharCount(cells[i]), ' ');
    }
  }
  return out;
}

NumberRange RangeOf(const google::protobuf::FieldDescriptor& field) {
  const common::v1::NumberRules& rules = RulesOf(field).number();
  return {rules.min(), rules.max()};
}

std::string RangeText(const google::protobuf::FieldDescriptor& field) {
  const NumberRange range = RangeOf(field);
  return absl::StrCat(range.min, "-", range.max);
}

size_t MaxCharsOf(const google::protobuf::FieldDescriptor& field) {
  return static_cast<size_t>(RulesOf(field).text().max_chars());
}

size_t MaxItemsOf(const google::protobuf::FieldDescriptor& field) {
  return static_cast<size_t>(RulesOf(field).items().max());
}

absl::StatusOr<std::optional<int>> AskInRange(Prompter& prompter, absl::string_view words,
                                              const google::protobuf::FieldDescriptor& field,
                                              absl::string_view hint, Blank blank) {
  const NumberRange range = RangeOf(field);
  return prompter.AskNumber(absl::StrCat(words, ", ", RangeText(field), hint, ":"), range.min,
                            range.max, blank);
}

}  // namespace velknee::cli

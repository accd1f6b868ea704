// Renders the contract page: builds a descriptor pool from the descriptor set, walks velknee's
// files in a fixed order and writes each definition's comment as protoc recorded it.

#include "docs/gen/contract_docs.h"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"

namespace velknee {
namespace {

using ::google::protobuf::Descriptor;
using ::google::protobuf::DescriptorPool;
using ::google::protobuf::DynamicMessageFactory;
using ::google::protobuf::EnumDescriptor;
using ::google::protobuf::EnumValueDescriptor;
using ::google::protobuf::FieldDescriptor;
using ::google::protobuf::FileDescriptor;
using ::google::protobuf::FileDescriptorProto;
using ::google::protobuf::FileDescriptorSet;
using ::google::protobuf::Message;
using ::google::protobuf::MethodDescriptor;
using ::google::protobuf::ServiceDescriptor;
using ::google::protobuf::SourceLocation;

// The command that rewrites docs/contracts.md in the source tree (docs/gen/CMakeLists.txt); the
// page names it in its header. tests/lint/contract_docs_current.sh repeats it.
constexpr char kRegenerateCommand[] = "cmake --build --preset dev --target contract-docs";

// The annotation shown in the fields' "behavior" column, and the prefix its value names share.
constexpr char kFieldBehaviorExtension[] = "velknee.common.v1.field_behavior";
constexpr absl::string_view kFieldBehaviorValuePrefix = "FIELD_BEHAVIOR_";
// The annotation shown in the fields' "rules" column, and the prefix its format names share.
constexpr char kFieldRulesExtension[] = "velknee.common.v1.rules";
constexpr absl::string_view kTextFormatValuePrefix = "TEXT_FORMAT_";

bool IsVelkneeFile(const FileDescriptor& file) {
  return absl::StartsWith(file.package(), "velknee.");
}

template <typename DescriptorT>
std::string LeadingComment(const DescriptorT& descriptor) {
  SourceLocation location;
  return descriptor.GetSourceLocation(&location) ? location.leading_comments : "";
}

template <typename DescriptorT>
int StartLine(const DescriptorT& descriptor) {
  SourceLocation location;
  return descriptor.GetSourceLocation(&location) ? location.start_line : 0;
}

// The comments are Markdown already (backticks, bullet lists). Only a `<` that a renderer would
// take for the start of an HTML tag, and so hide, is escaped; inside backticks it is left alone.
std::string EscapeTags(absl::string_view text) {
  std::string escaped;
  bool in_code = false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '`') in_code = !in_code;
    const bool opens_tag = text[i] == '<' && !in_code && i + 1 < text.size() &&
                           (absl::ascii_isalpha(text[i + 1]) || text[i + 1] == '/' ||
                            text[i + 1] == '!' || text[i + 1] == '?');
    if (opens_tag) {
      escaped += "&lt;";
    } else {
      escaped += text[i];
    }
  }
  return escaped;
}

// A comment as Markdown paragraphs, without the space protoc keeps after each `//`.
std::string CommentBlock(absl::string_view comment) {
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(comment, '\n')) {
    absl::ConsumePrefix(&line, " ");
    lines.emplace_back(absl::StripTrailingAsciiWhitespace(line));
  }
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  return EscapeTags(absl::StrJoin(lines, "\n"));
}

// A comment collapsed to one line, for a table cell.
std::string CommentCell(absl::string_view comment) {
  const std::string line =
      absl::StrJoin(absl::StrSplit(comment, absl::ByAnyChar(" \t\n"), absl::SkipEmpty()), " ");
  return absl::StrReplaceAll(EscapeTags(line), {{"|", "\\|"}});
}

std::string Code(absl::string_view text) { return absl::StrCat("`", text, "`"); }

std::string Anchor(absl::string_view full_name) {
  return absl::StrCat("<a id=\"", full_name, "\"></a>\n");
}

std::string Link(absl::string_view text, absl::string_view full_name) {
  return absl::StrCat("[`", text, "`](#", full_name, ")");
}

// `full_name` as a reader in `package` would write it: without the package when it is the same.
absl::string_view NameIn(absl::string_view full_name, absl::string_view package) {
  absl::string_view name = full_name;
  if (absl::ConsumePrefix(&name, package) && absl::ConsumePrefix(&name, ".")) return name;
  return full_name;
}

// A message or enum type: linked to its section when the page has one, as code otherwise.
template <typename DescriptorT>
std::string TypeRef(const DescriptorT& type, absl::string_view package) {
  if (!IsVelkneeFile(*type.file())) return Code(type.full_name());
  return Link(NameIn(type.full_name(), package), type.full_name());
}

std::string FieldType(const FieldDescriptor& field, absl::string_view package) {
  if (field.message_type() != nullptr) return TypeRef(*field.message_type(), package);
  if (field.enum_type() != nullptr) return TypeRef(*field.enum_type(), package);
  return Code(field.type_name());
}

std::string FieldLabel(const FieldDescriptor& field) {
  if (field.is_repeated()) return "repeated";
  if (field.has_optional_keyword()) return "optional";
  if (field.real_containing_oneof() != nullptr) {
    return absl::StrCat("oneof ", Code(field.real_containing_oneof()->name()));
  }
  return "";
}

// Reads velknee's annotations from a field's options. The pool parsed the options with the
// compiled-in FieldOptions class, which does not know velknee's extensions and keeps them as
// unknown fields; parsed again as the pool's own FieldOptions, the extensions are resolved.
class AnnotationReader {
 public:
  explicit AnnotationReader(const DescriptorPool& pool)
      : behavior_(pool.FindExtensionByName(kFieldBehaviorExtension)),
        rules_(pool.FindExtensionByName(kFieldRulesExtension)),
        factory_(&pool) {}

  // The field's behaviors without their common prefix, e.g. "OUTPUT_ONLY"; "" when it has none.
  std::string Behavior(const FieldDescriptor& field) {
    if (behavior_ == nullptr) return "";
    const std::unique_ptr<Message> options = OptionsOf(field, *behavior_);
    const auto& reflection = *options->GetReflection();
    std::vector<std::string> behaviors;
    for (int i = 0; i < reflection.FieldSize(*options, behavior_); ++i) {
      const EnumValueDescriptor* value = reflection.GetRepeatedEnum(*options, behavior_, i);
      behaviors.emplace_back(absl::StripPrefix(value->name(), kFieldBehaviorValuePrefix));
    }
    return absl::StrJoin(behaviors, ", ");
  }

  // The field's rules in words, e.g. "1..20" or "at most 100 characters; one line"; "" when it
  // has none.
  std::string Rules(const FieldDescriptor& field) {
    if (rules_ == nullptr) return "";
    const std::unique_ptr<Message> options = OptionsOf(field, *rules_);
    const auto& reflection = *options->GetReflection();
    if (!reflection.HasField(*options, rules_)) return "";
    const Message& rules = reflection.GetMessage(*options, rules_);
    std::vector<std::string> parts;
    if (const Message* number = Part(rules, "number")) parts.push_back(NumberWords(*number));
    if (const Message* text = Part(rules, "text")) parts.push_back(TextWords(*text));
    if (const Message* items = Part(rules, "items")) parts.push_back(ItemWords(*items));
    return absl::StrJoin(parts, "; ");
  }

 private:
  std::unique_ptr<Message> OptionsOf(const FieldDescriptor& field,
                                     const FieldDescriptor& extension) {
    std::unique_ptr<Message> options(factory_.GetPrototype(extension.containing_type())->New());
    // Cannot fail: the bytes are a serialized FieldOptions.
    options->ParseFromString(field.options().SerializeAsString());
    return options;
  }

  // The set message field `name` of `message`, or nullptr.
  static const Message* Part(const Message& message, absl::string_view name) {
    const FieldDescriptor* field = message.GetDescriptor()->FindFieldByName(std::string(name));
    if (field == nullptr || !message.GetReflection()->HasField(message, field)) return nullptr;
    return &message.GetReflection()->GetMessage(message, field);
  }

  // The value of the scalar field `name`, or nullopt when it is unset (or zero without
  // presence).
  static std::optional<int64_t> Number(const Message& message, absl::string_view name) {
    const FieldDescriptor* field = message.GetDescriptor()->FindFieldByName(std::string(name));
    const auto& reflection = *message.GetReflection();
    if (field == nullptr || !reflection.HasField(message, field)) return std::nullopt;
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_BOOL) {
      return reflection.GetBool(message, field) ? 1 : 0;
    }
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_ENUM) {
      return reflection.GetEnumValue(message, field);
    }
    return reflection.GetInt32(message, field);
  }

  static std::string Range(std::optional<int64_t> min, std::optional<int64_t> max,
                           absl::string_view unit) {
    const std::string suffix = unit.empty() ? "" : absl::StrCat(" ", unit);
    if (min.has_value() && max.has_value()) return absl::StrCat(*min, "..", *max, suffix);
    if (max.has_value()) return absl::StrCat("at most ", *max, suffix);
    return absl::StrCat("at least ", *min, suffix);
  }

  static std::string NumberWords(const Message& number) {
    const std::optional<int64_t> min = Number(number, "min");
    const std::optional<int64_t> max = Number(number, "max");
    if (!min.has_value() && !max.has_value()) return "";
    return Range(min, max, "");
  }

  static std::string TextWords(const Message& text) {
    std::vector<std::string> words;
    const std::optional<int64_t> min_chars = Number(text, "min_chars");
    const std::optional<int64_t> max_chars = Number(text, "max_chars");
    if (min_chars.has_value() || max_chars.has_value()) {
      words.push_back(Range(min_chars, max_chars, "characters"));
    }
    if (const std::optional<int64_t> max_bytes = Number(text, "max_bytes")) {
      words.push_back(Range(std::nullopt, max_bytes, "bytes"));
    }
    words.push_back(Number(text, "multiline").has_value() ? "multi-line" : "one line");
    if (Number(text, "format").has_value()) {
      const FieldDescriptor* format = text.GetDescriptor()->FindFieldByName("format");
      const EnumValueDescriptor* value = text.GetReflection()->GetEnum(text, format);
      words.push_back(
          absl::StrCat("format ", Code(absl::StripPrefix(value->name(), kTextFormatValuePrefix))));
    }
    return absl::StrJoin(words, ", ");
  }

  static std::string ItemWords(const Message& items) {
    std::vector<std::string> words;
    const std::optional<int64_t> min = Number(items, "min");
    const std::optional<int64_t> max = Number(items, "max");
    if (min.has_value() || max.has_value()) words.push_back(Range(min, max, "items"));
    if (Number(items, "unique").has_value()) words.push_back("each at most once");
    return absl::StrJoin(words, ", ");
  }

  const FieldDescriptor* const behavior_;
  const FieldDescriptor* const rules_;
  DynamicMessageFactory factory_;
};

// One definition a scope (a file or a message) holds; exactly one member is set.
struct Definition {
  const Descriptor* message = nullptr;
  const EnumDescriptor* enumeration = nullptr;
  const FieldDescriptor* extension = nullptr;
  int line = 0;
};

// `scope`'s messages, enums and extensions in the order they are declared.
template <typename ScopeT>
std::vector<Definition> Definitions(const ScopeT& scope, int message_count,
                                    const Descriptor* (ScopeT::*message)(int) const) {
  std::vector<Definition> definitions;
  for (int i = 0; i < message_count; ++i) {
    const Descriptor& nested = *(scope.*message)(i);
    definitions.push_back({.message = &nested, .line = StartLine(nested)});
  }
  for (int i = 0; i < scope.enum_type_count(); ++i) {
    definitions.push_back(
        {.enumeration = scope.enum_type(i), .line = StartLine(*scope.enum_type(i))});
  }
  for (int i = 0; i < scope.extension_count(); ++i) {
    definitions.push_back(
        {.extension = scope.extension(i), .line = StartLine(*scope.extension(i))});
  }
  std::stable_sort(definitions.begin(), definitions.end(),
                   [](const Definition& a, const Definition& b) { return a.line < b.line; });
  return definitions;
}

std::vector<Definition> Definitions(const FileDescriptor& file) {
  return Definitions(file, file.message_type_count(), &FileDescriptor::message_type);
}

std::vector<Definition> Definitions(const Descriptor& message) {
  return Definitions(message, message.nested_type_count(), &Descriptor::nested_type);
}

class ContractPage {
 public:
  // `files` are velknee's, in path order, all from `pool`.
  ContractPage(const DescriptorPool& pool, std::vector<const FileDescriptor*> files)
      : files_(std::move(files)), annotations_(pool) {
    for (const FileDescriptor* file : files_) files_by_package_[file->package()].push_back(file);
  }

  std::string Render() {
    WriteIntroduction();
    for (const FileDescriptor* file : files_) {
      for (int i = 0; i < file->service_count(); ++i) WriteService(*file->service(i));
    }
    for (const auto& [package, files] : files_by_package_) {
      absl::StrAppend(&page_, "\n", Anchor(package), "## Package ", package, "\n");
      for (const FileDescriptor* file : files) {
        for (const Definition& definition : Definitions(*file)) WriteDefinition(definition);
      }
    }
    return std::move(page_);
  }

 private:
  void WriteIntroduction() {
    absl::StrAppend(&page_, "# velknee contracts\n\n",
                    "> Generated from `proto/` by `velknee-contract-docs`; do not edit. "
                    "Regenerate with:\n> `",
                    kRegenerateCommand, "`\n\n",
                    "Every service, message and enum of velknee's gRPC contracts, with the "
                    "comments written in the proto files. The rules all methods share (resource "
                    "names, errors, etags, idempotency, paging) are in "
                    "[API conventions](api.md). In the field tables, *label* is `repeated`, "
                    "`optional` (presence is tracked) or empty, *behavior* is the ",
                    Link("field_behavior", kFieldBehaviorExtension),
                    " annotation, and *rules* "
                    "the ",
                    Link("rules", kFieldRulesExtension),
                    " annotation: what the servers accept (for a repeated field, of each item), "
                    "checked as [API conventions](api.md#field-rules) says.\n\n");
    std::vector<std::string> services;
    for (const FileDescriptor* file : files_) {
      for (int i = 0; i < file->service_count(); ++i) {
        services.push_back(Link(file->service(i)->name(), file->service(i)->full_name()));
      }
    }
    std::vector<std::string> packages;
    for (const auto& [package, files] : files_by_package_)
      packages.push_back(Link(package, package));
    absl::StrAppend(&page_, "- Services: ", absl::StrJoin(services, ", "), "\n",
                    "- Messages and enums by package: ", absl::StrJoin(packages, ", "), "\n");
  }

  // A definition's anchor and heading, what it is (e.g. "Message `velknee.intake.v1.Client`")
  // and where, then its comment.
  void WriteHeading(absl::string_view level, absl::string_view title, absl::string_view full_name,
                    absl::string_view what, const FileDescriptor& file, absl::string_view comment) {
    absl::StrAppend(&page_, "\n", Anchor(full_name), level, " ", title, "\n\n", what, ", in ",
                    Code(file.name()), ".\n");
    const std::string block = CommentBlock(comment);
    if (!block.empty()) absl::StrAppend(&page_, "\n", block, "\n");
  }

  void WriteService(const ServiceDescriptor& service) {
    const std::string& package = service.file()->package();
    WriteHeading("##", service.name(), service.full_name(),
                 absl::StrCat("Service ", Code(service.full_name())), *service.file(),
                 LeadingComment(service));
    absl::StrAppend(&page_, "\n| method | request | response |\n|---|---|---|\n");
    for (int i = 0; i < service.method_count(); ++i) {
      const MethodDescriptor& method = *service.method(i);
      absl::StrAppend(&page_, "| ", Link(method.name(), method.full_name()), " | ",
                      Request(method, package), " | ", Response(method, package), " |\n");
    }
    for (int i = 0; i < service.method_count(); ++i) {
      const MethodDescriptor& method = *service.method(i);
      absl::StrAppend(&page_, "\n", Anchor(method.full_name()), "### ", method.name(), "\n\n",
                      Request(method, package), " → ", Response(method, package), "\n");
      const std::string block = CommentBlock(LeadingComment(method));
      if (!block.empty()) absl::StrAppend(&page_, "\n", block, "\n");
    }
  }

  static std::string Request(const MethodDescriptor& method, absl::string_view package) {
    return absl::StrCat(method.client_streaming() ? "stream " : "",
                        TypeRef(*method.input_type(), package));
  }

  static std::string Response(const MethodDescriptor& method, absl::string_view package) {
    return absl::StrCat(method.server_streaming() ? "stream " : "",
                        TypeRef(*method.output_type(), package));
  }

  void WriteDefinition(const Definition& definition) {
    if (definition.message != nullptr) WriteMessage(*definition.message);
    if (definition.enumeration != nullptr) WriteEnum(*definition.enumeration);
    if (definition.extension != nullptr) WriteExtension(*definition.extension);
  }

  void WriteMessage(const Descriptor& message) {
    const std::string& package = message.file()->package();
    WriteHeading("###", NameIn(message.full_name(), package), message.full_name(),
                 absl::StrCat("Message ", Code(message.full_name())), *message.file(),
                 LeadingComment(message));
    if (message.field_count() == 0) {
      absl::StrAppend(&page_, "\nNo fields.\n");
    } else {
      WriteFieldTableHeader();
      for (int i = 0; i < message.field_count(); ++i) WriteFieldRow(*message.field(i), package);
    }
    for (const Definition& definition : Definitions(message)) WriteDefinition(definition);
  }

  void WriteEnum(const EnumDescriptor& enumeration) {
    const std::string& package = enumeration.file()->package();
    WriteHeading("###", NameIn(enumeration.full_name(), package), enumeration.full_name(),
                 absl::StrCat("Enum ", Code(enumeration.full_name())), *enumeration.file(),
                 LeadingComment(enumeration));
    absl::StrAppend(&page_, "\n| value | number | description |\n|---|---|---|\n");
    for (int i = 0; i < enumeration.value_count(); ++i) {
      const EnumValueDescriptor& value = *enumeration.value(i);
      absl::StrAppend(&page_, "| ", Code(value.name()), " | ", value.number(), " | ",
                      CommentCell(LeadingComment(value)), " |\n");
    }
  }

  void WriteExtension(const FieldDescriptor& extension) {
    const std::string& package = extension.file()->package();
    // The comment goes in the table row only, as for any field.
    WriteHeading("###", NameIn(extension.full_name(), package), extension.full_name(),
                 absl::StrCat("Extension ", Code(extension.full_name()), " of ",
                              TypeRef(*extension.containing_type(), package)),
                 *extension.file(), "");
    WriteFieldTableHeader();
    WriteFieldRow(extension, package);
  }

  void WriteFieldTableHeader() {
    absl::StrAppend(&page_,
                    "\n| field | number | type | label | behavior | rules | description |\n"
                    "|---|---|---|---|---|---|---|\n");
  }

  void WriteFieldRow(const FieldDescriptor& field, absl::string_view package) {
    absl::StrAppend(&page_, "| ", Code(field.name()), " | ", field.number(), " | ",
                    FieldType(field, package), " | ", FieldLabel(field), " | ",
                    annotations_.Behavior(field), " | ", annotations_.Rules(field), " | ",
                    CommentCell(LeadingComment(field)), " |\n");
  }

  const std::vector<const FileDescriptor*> files_;
  // Packages in name order, each with its files in path order.
  std::map<std::string, std::vector<const FileDescriptor*>> files_by_package_;
  AnnotationReader annotations_;
  std::string page_;
};

// Keeps protobuf's first complaint about a file, which names what is wrong and where in it.
class FirstErrorCollector : public DescriptorPool::ErrorCollector {
 public:
  void AddError(const std::string& /*filename*/, const std::string& element_name,
                const Message* /*descriptor*/, ErrorLocation /*location*/,
                const std::string& message) override {
    if (error_.empty()) error_ = absl::StrCat(element_name, ": ", message);
  }

  const std::string& error() const { return error_; }

 private:
  std::string error_;
};

}  // namespace

absl::StatusOr<std::string> RenderContractDocs(const FileDescriptorSet& files) {
  DescriptorPool pool;
  std::vector<const FileDescriptor*> velknee_files;
  // protoc writes every file after the files it imports, so each one builds on the pool so far.
  for (const FileDescriptorProto& proto : files.file()) {
    FirstErrorCollector errors;
    const FileDescriptor* file = pool.BuildFileCollectingErrors(proto, &errors);
    if (file == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("cannot load ", proto.name(), ": ", errors.error()));
    }
    if (IsVelkneeFile(*file)) velknee_files.push_back(file);
  }
  if (velknee_files.empty()) {
    return absl::InvalidArgumentError("the descriptor set holds no velknee.* proto file");
  }
  std::sort(velknee_files.begin(), velknee_files.end(),
            [](const FileDescriptor* a, const FileDescriptor* b) { return a->name() < b->name(); });
  return ContractPage(pool, std::move(velknee_files)).Render();
}

}  // namespace velknee

#include <Poco/Exception.h>
#include <Poco/SAX/Attributes.h>
#include <Poco/SAX/ContentHandler.h>
#include <Poco/SAX/InputSource.h>
#include <Poco/SAX/LexicalHandler.h>
#include <Poco/SAX/Locator.h>
#include <Poco/SAX/SAXException.h>
#include <Poco/SAX/SAXParser.h>
#include <algorithm>
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include <tally/adapters/camt.hpp>
#include <tally/adapters/camt_input.hpp>
#include <tally/adapters/camt_rules.hpp>
#include <tally/core/assert.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::adapters {
namespace {

constexpr std::string_view kNamespacePrefix = "urn:iso:std:iso:20022:tech:xsd:camt.";

std::optional<std::size_t> indexed_slot(std::string_view name) {
  if (name == "Stmt" || name == "Rpt" || name == "Ntfctn")
    return 0;
  if (name == "Bal")
    return 1;
  if (name == "Ntry")
    return 2;
  if (name == "TxDtls")
    return 3;
  return std::nullopt;
}

constexpr std::size_t kReleaseWindowBytes = 4 * CamtInput::kChunkBytes;

bool is_record_boundary(std::string_view name) {
  return name == "Ntry" || name == "TxDtls";
}

class StopParse final : public Poco::Exception {
 public:
  using Poco::Exception::Exception;
};

class CamtHandler final : public Poco::XML::ContentHandler,
                          public Poco::XML::LexicalHandler,
                          public CamtLocator {
 public:
  CamtHandler(CamtInput& input,
              const ParseOptions& options,
              const RecordSink& sink,
              ParseReport& report)
      : input_(input), rules_(options, sink, report, *this), report_(report), options_(options) {}

  // The parser's position is asked for only where CamtRules keeps a place or reports an error.
  std::uint64_t line() const override {
    return locator_ == nullptr ? 0 : static_cast<std::uint64_t>(locator_->getLineNumber());
  }
  std::uint32_t column() const override {
    return locator_ == nullptr ? 0 : static_cast<std::uint32_t>(locator_->getColumnNumber() + 1);
  }

  void setDocumentLocator(const Poco::XML::Locator* locator) override { locator_ = locator; }
  void startDocument() override {}
  void endDocument() override { rules_.end_document(place(false)); }

  void startElement(const Poco::XML::XMLString& uri,
                    const Poco::XML::XMLString& local_name,
                    const Poco::XML::XMLString&,
                    const Poco::XML::Attributes& attributes) override {
    if (stack_.size() >= kCamtMaxDepth) {
      fatal(str_cat("elements nested deeper than ", kCamtMaxDepth));
    }
    CamtFrame frame;
    frame.name = local_name;
    frame.ours = stack_.empty() ? true : stack_.back().ours && uri == namespace_;
    if (!stack_.empty()) {
      if (auto slot = indexed_slot(local_name)) {
        frame.index = ++stack_.back().children[*slot];
      }
    }
    text_.clear();
    if (stack_.empty()) {
      start_root(uri, local_name);
    }
    stack_.push_back(std::move(frame));
    if (!stack_.back().ours)
      return;
    std::string ccy;
    const int at = attributes.getIndex("", "Ccy");
    if (at >= 0)
      ccy = attributes.getValue(at);
    const bool boundary = is_record_boundary(local_name);
    // Byte offsets cost a scan: only records' boundaries need them, and a window grown large.
    const bool large = input_.window_bytes() > kReleaseWindowBytes;
    const CamtPlace here = place(boundary || large);
    if (!rules_.start(stack_, ccy, here))
      throw StopParse("sink");
    if (boundary || large) {
      const std::uint64_t keep = rules_.keep_from(here.offset);
      if (input_.bytes_read() - keep > kCamtMaxRecordBytes + kReleaseWindowBytes) {
        fatal(str_cat("one record spans more than ", kCamtMaxRecordBytes, " bytes"));
      }
      input_.release_before(keep);
    }
  }

  void endElement(const Poco::XML::XMLString&,
                  const Poco::XML::XMLString&,
                  const Poco::XML::XMLString&) override {
    TALLY_ASSERT(!stack_.empty());
    if (stack_.back().ours) {
      const bool boundary = is_record_boundary(stack_.back().name);
      const CamtPlace here = place(boundary);
      const std::uint64_t end =
          boundary ? input_.end_of_tag(here.offset).value_or(here.offset) : here.offset;
      if (!rules_.end(stack_, text_, here, end, input_))
        throw StopParse("sink");
    }
    stack_.pop_back();
    text_.clear();
  }

  void characters(const Poco::XML::XMLChar chars[], int start, int length) override {
    if (text_.size() + static_cast<std::size_t>(length) > kCamtMaxTextBytes) {
      fatal(str_cat("element text longer than ", kCamtMaxTextBytes, " bytes"));
    }
    text_.append(chars + start, static_cast<std::size_t>(length));
  }
  void ignorableWhitespace(const Poco::XML::XMLChar[], int, int) override {}
  void processingInstruction(const Poco::XML::XMLString&, const Poco::XML::XMLString&) override {}
  void startPrefixMapping(const Poco::XML::XMLString&, const Poco::XML::XMLString&) override {}
  void endPrefixMapping(const Poco::XML::XMLString&) override {}
  void skippedEntity(const Poco::XML::XMLString& name) override {
    fatal(str_cat("entity &", name, "; is not allowed"));
  }

  // A DOCTYPE could declare entities (expansion bombs) or fetch external ones: refused outright.
  void startDTD(const Poco::XML::XMLString&,
                const Poco::XML::XMLString&,
                const Poco::XML::XMLString&) override {
    fatal("a DOCTYPE is not allowed in a camt message");
  }
  void endDTD() override {}
  void startEntity(const Poco::XML::XMLString& name) override {
    fatal(str_cat("entity &", name, "; is not allowed"));
  }
  void endEntity(const Poco::XML::XMLString&) override {}
  void startCDATA() override {}
  void endCDATA() override {}
  void comment(const Poco::XML::XMLChar[], int, int) override {}

 private:
  void start_root(const std::string& uri, const std::string& local_name) {
    auto version = camt_version_from_namespace(uri);
    if (local_name != "Document" || !version) {
      fatal(str_cat("the root must be a camt.052/053/054 Document, found ", local_name, " in \"",
                    uri, "\""));
    }
    namespace_ = uri;
    rules_.set_version(*version);
  }

  std::uint64_t start_offset() {
    if (locator_ == nullptr)
      return 0;
    return input_
        .offset_of(static_cast<std::uint64_t>(locator_->getLineNumber()),
                   static_cast<std::uint64_t>(locator_->getColumnNumber()))
        .value_or(0);
  }

  // Where the parser is; the element path is left to CamtRules, which builds it only when it
  // keeps the place or reports an error there.
  CamtPlace place(bool with_offset) {
    CamtPlace here;
    here.where.file_id = options_.file_id;
    if (with_offset) {
      here.offset = start_offset();
      here.where.byte_offset = here.offset;
    }
    return here;
  }

  SourcePosition where() const {
    SourcePosition position;
    position.file_id = options_.file_id;
    position.line = line();
    position.element_path = camt_path(stack_);
    return position;
  }

  [[noreturn]] void fatal(std::string reason) {
    report_.add_error({where(), column(), std::move(reason)});
    throw StopParse("stopped");
  }

  CamtInput& input_;
  CamtRules rules_;
  ParseReport& report_;
  const ParseOptions& options_;
  const Poco::XML::Locator* locator_ = nullptr;
  std::vector<CamtFrame> stack_;
  std::string text_;
  std::string namespace_;
};

}  // namespace

Result<CamtVersion> camt_version_from_namespace(std::string_view uri) {
  // "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"
  if (!uri.starts_with(kNamespacePrefix) || uri.size() != kNamespacePrefix.size() + 10) {
    return fail(Errc::invalid_argument, str_cat("not a camt namespace: \"", uri, "\""));
  }
  const std::string_view rest = uri.substr(kNamespacePrefix.size());  // "053.001.02"
  CamtVersion version;
  if (rest.starts_with("052.")) {
    version.message = CamtMessage::account_report;
  } else if (rest.starts_with("053.")) {
    version.message = CamtMessage::statement;
  } else if (rest.starts_with("054.")) {
    version.message = CamtMessage::notification;
  } else {
    return fail(Errc::invalid_argument, str_cat("not camt.052/053/054: \"", uri, "\""));
  }
  if (rest.substr(3, 6) != ".001.0" || rest[9] < '1' || rest[9] > '8') {
    return fail(Errc::invalid_argument,
                str_cat("unsupported camt version (001.01 to 001.08): \"", uri, "\""));
  }
  version.version = rest[9] - '0';
  return version;
}

namespace {

ParseReport report_read_error(const CamtInput& input,
                              const ParseOptions& options,
                              ParseReport report) {
  SourcePosition position;
  position.file_id = options.file_id;
  position.byte_offset = input.bytes_read();
  report.add_error({position, 0, input.read_error()->message});
  return report;
}

}  // namespace

ParseReport parse_camt(ByteSource& source, const ParseOptions& options, const RecordSink& sink) {
  ParseReport report;
  CamtInput input(source);
  std::istream stream(&input);
  CamtHandler handler(input, options, sink, report);
  Poco::XML::SAXParser parser;
  parser.setFeature(Poco::XML::XMLReader::FEATURE_NAMESPACES, true);
  parser.setFeature(Poco::XML::XMLReader::FEATURE_NAMESPACE_PREFIXES, false);
  parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_GENERAL_ENTITIES, false);
  parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_PARAMETER_ENTITIES, false);
  parser.setContentHandler(&handler);
  parser.setProperty(Poco::XML::XMLReader::PROPERTY_LEXICAL_HANDLER,
                     static_cast<Poco::XML::LexicalHandler*>(&handler));
  Poco::XML::InputSource input_source(stream);
  try {
    parser.parse(&input_source);
  } catch (const StopParse&) {
    // Already reported, located.
  } catch (const Poco::XML::SAXParseException& error) {
    // A failed read looks like a truncated document to the parser: report the read instead.
    if (input.read_error())
      return report_read_error(input, options, std::move(report));
    SourcePosition position;
    position.file_id = options.file_id;
    position.line = static_cast<std::uint64_t>(std::max(error.getLineNumber(), 0));
    report.add_error({position, static_cast<std::uint32_t>(std::max(error.getColumnNumber(), 0)),
                      str_cat("malformed XML: ", error.message())});
  } catch (const Poco::Exception& error) {
    SourcePosition position;
    position.file_id = options.file_id;
    report.add_error({position, 0, str_cat("XML parser: ", error.displayText())});
  }
  if (input.read_error())
    return report_read_error(input, options, std::move(report));
  return report;
}

}  // namespace tally::adapters

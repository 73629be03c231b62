#include "compiler/integrations/chart_clash.h"

#include <array>
#include <optional>

#include "compiler/support/byte_scan.h"

namespace meshc {

namespace {

// A plain or simply quoted scalar value of `key: value`, without a trailing comment; nullopt
// for anything the scan does not read exactly (flow collections, anchors, tags, block
// scalars, escapes).
std::optional<std::string_view> plain_value(std::string_view v) {
  size_t hash = v.find(" #");
  if (hash != std::string_view::npos) v = v.substr(0, hash);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  if (v.empty()) return std::nullopt;
  char q = v.front();
  if (q == '"' || q == '\'') {
    if (v.size() < 2 || v.back() != q) return std::nullopt;
    v = v.substr(1, v.size() - 2);
    if (v.find(q == '"' ? '\\' : '\'') != std::string_view::npos) return std::nullopt;
    return v;
  }
  if (std::string_view("{[&*!|>%@`").find(q) != std::string_view::npos) return std::nullopt;
  return v;
}

// Splits "key: value" (or "key:"); false when the line is not a simple mapping entry.
bool split_entry(std::string_view line, std::string_view* key, std::string_view* value) {
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  if (colon + 1 < line.size() && line[colon + 1] != ' ' && line[colon + 1] != '\t') return false;
  *key = line.substr(0, colon);
  *value = line.substr(colon + 1);
  return key->find_first_of("\"'{}[],&*#?|-<>=!%@`") != 0;
}

bool blank_or_comment(std::string_view line) {
  size_t i = line.find_first_not_of(" \t");
  return i == std::string_view::npos || line[i] == '#';
}

}  // namespace

bool scan_claimed_object(std::string_view doc, ClaimedObject* out) {
  bool have_api = false, have_kind = false, have_name = false, have_ns = false;
  bool in_metadata = false, metadata_done = false;
  size_t child_indent = 0;
  uint32_t line_no = 0;
  for (size_t pos = 0; pos < doc.size(); ++line_no) {
    size_t nl = doc.find('\n', pos);
    std::string_view line = doc.substr(pos, (nl == std::string_view::npos ? doc.size() : nl) - pos);
    pos = nl == std::string_view::npos ? doc.size() : nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (blank_or_comment(line)) continue;
    if (line.rfind("---", 0) == 0 || line.rfind("...", 0) == 0) continue;
    std::string_view key, value;
    if (line.front() != ' ') {
      if (in_metadata) metadata_done = true;
      in_metadata = false;
      if (line.front() == '\t' || !split_entry(line, &key, &value)) return false;
      if (key == "metadata") {
        if (!blank_or_comment(value)) return false;  // flow style: parse it
        in_metadata = true;
        child_indent = 0;
      } else if (key == "kind" || key == "apiVersion") {
        auto v = plain_value(value);
        if (!v) return false;
        if (key == "kind") {
          out->kind = std::string(*v);
          out->line = line_no;
          have_kind = true;
        } else {
          out->group = api_group(*v);
          have_api = true;
        }
      }
    } else if (in_metadata) {
      size_t indent = line.find_first_not_of(' ');
      if (child_indent == 0) child_indent = indent;
      if (indent != child_indent) continue;
      if (!split_entry(line.substr(indent), &key, &value)) return false;
      if (key == "name" || key == "namespace") {
        auto v = plain_value(value);
        if (!v) return false;
        (key == "name" ? out->name : out->namespace_) = std::string(*v);
        (key == "name" ? have_name : have_ns) = true;
      }
    }
    if (have_api && have_kind && have_name && (have_ns || metadata_done)) return true;
  }
  return have_kind && have_name;
}

bool claimed_from_node(const YNode& n, ClaimedObject* out) {
  if (!n.is_mapping()) return false;
  const YNode* kind = n.get("kind");
  const YNode* api = n.get("apiVersion");
  const YNode* md = n.get("metadata");
  const YNode* name = md && md->is_mapping() ? md->get("name") : nullptr;
  const YNode* ns = md && md->is_mapping() ? md->get("namespace") : nullptr;
  if (!kind || !kind->is_scalar() || !name || !name->is_scalar()) return false;
  out->group = api_group(api && api->is_scalar() ? std::string_view(api->value) : "");
  out->kind = kind->value;
  out->name = name->value;
  out->namespace_ = ns && ns->is_scalar() ? ns->value : "";
  out->line = kind->loc.line;
  return true;
}

namespace {

// Whether `name` holds none of the bytes that make a YAML scalar other than a plain name
// ("'#{[&*!|>%@` space, tab, CR): one table look-up per byte (find_first_of calls memchr once
// for each of the 17 bytes, for each of ~48,000 documents of a 50 MB stream).
bool is_plain_name(std::string_view name) {
  static const auto kStops = [] {
    std::array<bool, 256> stops{};
    for (unsigned char c : std::string_view("\"'#{[&*!|>%@` \t\r")) stops[c] = true;
    return stops;
  }();
  for (unsigned char c : name) {
    if (kStops[c]) return false;
  }
  return true;
}

}  // namespace

bool chart_document_name(std::string_view doc, std::string_view* name) {
  // Helm writes "metadata:" within a document's first lines, its name on the next line: look
  // only at the first 12 lines. Those starting with 'm' are found 32 bytes at a time (a call
  // of memchr per line cost more than the rest of the look, for ~48,000 documents of 50 MB).
  size_t line = 0;  // the line of `at`
  for (size_t at = 0;; ++at) {
    at = find_line_start_with(doc, at, 'm', 'm', &line);
    if (at == std::string_view::npos || line >= 12) return false;
    if (doc.compare(at, 10, "metadata:\n") != 0) continue;  // "metadata:" at the end: no name
    std::string_view v = doc.substr(at + 10);
    if (v.size() < 9 || v.compare(0, 8, "  name: ") != 0 || v[8] == ' ') return false;
    v.remove_prefix(8);
    *name = v.substr(0, v.find('\n'));
    return is_plain_name(*name);
  }
}

bool GeneratedObjects::may_clash(std::string_view doc) const {
  std::string_view name;
  return !chart_document_name(doc, &name) || has_name(name);
}

void GeneratedObjects::add(const Object& object, const Location& release) {
  const Object& md = object["metadata"];
  names_.insert(md.value("name", ""));
  by_name_[{api_group(object.value("apiVersion", "")), object.value("kind", ""),
            md.value("name", "")}]
      .push_back({md.value("namespace", ""), release});
}

size_t GeneratedObjects::report_clashes(const ClaimedObject& claimed, const Location& at,
                                        DiagnosticSink& sink) const {
  auto it = by_name_.find({claimed.group, claimed.kind, claimed.name});
  if (it == by_name_.end()) return 0;
  size_t n = 0;
  for (const Generated& g : it->second) {
    if (!claimed.namespace_.empty() && claimed.namespace_ != g.namespace_) continue;
    ++n;
    sink.error(g.release, "",
               object_id(claimed.group, claimed.kind, g.namespace_, claimed.name) +
                   " is generated by this Release and also " + other_ +
                   (claimed.namespace_.empty()
                        ? " (without a namespace: it is applied in the release's namespace)"
                        : "") +
                   ": kubectl apply and Helm would keep only one of them; rename that "
                   "object, or the Release's application or version")
        .note(at, note_);
  }
  return n;
}

}  // namespace meshc

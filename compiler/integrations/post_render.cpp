#include "compiler/integrations/post_render.h"

#include <algorithm>
#include <bitset>
#include <functional>
#include <optional>
#include <string_view>

#include "compiler/integrations/chart_clash.h"
#include "compiler/yaml/manifest_stream.h"
#include "compiler/yaml/yaml_loader.h"
#include "compiler/yaml/yaml_writer.h"

namespace meshc {

bool is_release_document(const YNode& doc) {
  if (!doc.is_mapping()) return false;
  const YNode* kind = doc.get("kind");
  const YNode* api = doc.get("apiVersion");
  return kind && api && kind->is_scalar() && api->is_scalar() && kind->value == "Release" &&
         api->value.rfind("meshc.dev/", 0) == 0;
}

namespace {

// The value of metadata.annotations[key] of a document, or "".
std::string annotation_of(const YNode& doc, const std::string& key) {
  const YNode* md = doc.get("metadata");
  const YNode* ann = md && md->is_mapping() ? md->get("annotations") : nullptr;
  const YNode* v = ann && ann->is_mapping() ? ann->get(key) : nullptr;
  return v && v->is_scalar() ? v->value : std::string();
}

void set_annotation(Object& object, const std::string& key, const std::string& value) {
  Object& md = object["metadata"];
  if (!md.contains("annotations") || !md["annotations"].is_object()) {
    md["annotations"] = Object::object();
  }
  md["annotations"][key] = value;
}

// What a document the chart renders claims to be, by the cheap scan or, when that cannot
// tell, by parsing it (its own errors are not the post-renderer's business).
bool claimed_object(const SourceFile& stream, const StreamSegment& seg, const Limits& limits,
                    ClaimedObject* out) {
  std::string_view doc = stream.text().substr(seg.begin, seg.end - seg.begin);
  if (scan_claimed_object(doc, out)) return true;
  DiagnosticSink scratch;
  for (const auto& d : load_yaml_range(stream, seg.begin, seg.end, limits, scratch)) {
    if (!claimed_from_node(*d.root, out)) continue;
    out->line -= seg.begin_line;
    return true;
  }
  return false;
}

// Reports every object a Release generated that a document of the chart is too: those of
// `documents` but the ones at the (increasing) indices `replaced`.
void check_chart_clashes(const SourceFile& stream, const PostRenderScan::DocumentList& documents,
                         const std::vector<size_t>& replaced, const GeneratedObjects& generated,
                         const Limits& limits, DiagnosticSink& sink) {
  if (generated.empty()) return;
  // The hashes of the generated names, sorted, and a filter of 4096 bits (bit hash % 4096)
  // that answers most look-ups of ~48,000 documents without a search (an unordered_set
  // divided by a prime for each).
  std::vector<uint32_t> hashes;
  std::bitset<4096> filter;
  for (const std::string& name : generated.names()) {
    hashes.push_back(PostRenderScan::name_hash(name));
    filter.set(hashes.back() % 4096);
  }
  std::sort(hashes.begin(), hashes.end());
  auto generated_hash = [&](uint32_t h) {
    return filter.test(h % 4096) && std::binary_search(hashes.begin(), hashes.end(), h);
  };
  auto next_replaced = replaced.begin();
  size_t i = 0;
  for (auto d = documents.begin(); d != documents.end(); ++d, ++i) {
    if (next_replaced != replaced.end() && *next_replaced == i) {
      ++next_replaced;
      continue;
    }
    // A document whose name hashes to no generated name names none of them.
    if (d->named && !generated_hash(d->name_hash)) continue;
    const StreamSegment& seg = d->seg;
    if (!generated.may_clash(stream.text().substr(seg.begin, seg.end - seg.begin))) continue;
    ClaimedObject claimed;
    if (!claimed_object(stream, seg, limits, &claimed)) continue;
    generated.report_clashes(claimed, Location{&stream, seg.begin_line + claimed.line, 0}, sink);
  }
}

// The text of the objects the Release `doc` (in segment `seg`) compiles to, each noted in
// `generated` and given the Helm file annotation the Release carries; false when it does not
// compile (reported).
bool compile_release(const YNode& doc, const StreamSegment& seg, Driver& driver,
                     GeneratedObjects& generated, std::string* out) {
  auto compiled = driver.compile_document(doc, Driver::Stage::kCompile);
  if (!compiled) return false;
  std::string helm_file = annotation_of(doc, kHelmFilenameAnnotation);
  for (Object object : compiled->objects) {
    generated.add(object, doc.loc);
    if (!helm_file.empty()) set_annotation(object, kHelmFilenameAnnotation, helm_file);
    write_yaml_document(object, *out);
  }
  // A bare document may follow a "..." line: keep the end marker so it stays separate.
  if (seg.ends_with_end_marker) *out += "...\n";
  return true;
}

}  // namespace

void PostRenderScan::feed(size_t available, bool complete) {
  splitter_.extend(available, complete);
  const std::string_view text(data_, available);
  for (Document d; splitter_.next(&d.seg);) {
    std::string_view doc = text.substr(d.seg.begin, d.seg.end - d.seg.begin);
    d.maybe_release = d.seg.mentions_meshc_group && scan_for_release(doc) != ReleaseScan::kNo;
    std::string_view name;
    d.named = !d.maybe_release && chart_document_name(doc, &name);
    d.name_hash = d.named ? name_hash(name) : 0;
    documents_.push_back(d);
  }
}

std::string post_render(const SourceFile& stream, const Limits& limits, Driver& driver) {
  PostRenderPieces p;
  post_render_pieces(stream, limits, driver, p);
  size_t size = 0;
  for (std::string_view piece : p.pieces) size += piece.size();
  std::string out;
  out.reserve(size);
  for (std::string_view piece : p.pieces) out.append(piece);
  return out;
}

void post_render_pieces(const SourceFile& stream, const Limits& limits, Driver& driver,
                        PostRenderPieces& result, PostRenderScan* scanned) {
  const std::string_view text = stream.text();
  // The scan made while the stream was read, when it was made of these bytes; else one now.
  std::optional<PostRenderScan> own;
  if (!scanned || scanned->data() != text.data()) scanned = &own.emplace(text.data());
  scanned->feed(text.size(), true);
  // Documents passed through extend the last piece when it is the run of `text` just before.
  size_t run_end = std::string_view::npos;  // where the last piece, a view of `text`, ends
  auto pass = [&](size_t begin, size_t end) {
    if (begin == end) return;
    if (run_end == begin) {
      std::string_view& last = result.pieces.back();
      last = std::string_view(last.data(), last.size() + (end - begin));
    } else {
      result.pieces.push_back(text.substr(begin, end - begin));
    }
    run_end = end;
  };
  // The documents not passed through (Releases, and those that do not load), in order: the
  // chart's own documents are the others.
  std::vector<size_t> replaced;
  GeneratedObjects generated("rendered by the chart", "the chart renders it here");
  const PostRenderScan::DocumentList& documents = scanned->documents();
  size_t i = 0;  // of `scan` (a deque's iterator costs less than its operator[])
  for (auto scan = documents.begin(); scan != documents.end(); ++scan, ++i) {
    const StreamSegment& seg = scan->seg;
    if (!scan->maybe_release) {
      pass(seg.begin, seg.end);
      continue;
    }
    replaced.push_back(i);
    size_t errors_before = driver.sink().error_count();
    stream.note_line_start(seg.begin, seg.begin_line);  // no second count of the newlines
    std::vector<YamlDocument> docs =
        load_yaml_range(stream, seg.begin, seg.end, limits, driver.sink());
    if (driver.sink().error_count() != errors_before) continue;  // reported; look for more
    const YNode* doc = nullptr;
    for (const auto& d : docs) {
      if (!d.root->is_null()) doc = d.root.get();
    }
    if (!doc || !is_release_document(*doc)) {
      pass(seg.begin, seg.end);  // mentions meshc.dev/ but is some other object
      replaced.pop_back();
      continue;
    }
    std::string out;
    if (!compile_release(*doc, seg, driver, generated, &out)) continue;
    if (!out.empty()) {
      result.owned.push_back(std::move(out));
      result.pieces.push_back(result.owned.back());
      run_end = std::string_view::npos;
    }
  }
  check_chart_clashes(stream, documents, replaced, generated, limits, driver.sink());
}

}  // namespace meshc

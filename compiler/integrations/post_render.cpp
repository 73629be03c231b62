#include "compiler/integrations/post_render.h"

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

// Reports every object a Release generated that a document of the chart is too.
void check_chart_clashes(const SourceFile& stream, const std::vector<StreamSegment>& passed,
                         const GeneratedObjects& generated, const Limits& limits,
                         DiagnosticSink& sink) {
  if (generated.empty()) return;
  const char* text = stream.text().data();
  for (size_t i = 0; i < passed.size(); ++i) {
    const StreamSegment& seg = passed[i];
    // The stream left the caches long ago: ask for the documents a little ahead.
    if (i + 8 < passed.size()) {
      __builtin_prefetch(text + passed[i + 8].begin);
      __builtin_prefetch(text + passed[i + 8].begin + 64);
      __builtin_prefetch(text + passed[i + 8].begin + 128);
    }
    if (!generated.may_clash(stream.text().substr(seg.begin, seg.end - seg.begin))) continue;
    ClaimedObject claimed;
    if (!claimed_object(stream, seg, limits, &claimed)) continue;
    generated.report_clashes(claimed, Location{&stream, seg.begin_line + claimed.line, 0}, sink);
  }
}

}  // namespace

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
                        PostRenderPieces& result) {
  const std::string_view text = stream.text();
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
  std::vector<StreamSegment> passed;  // the chart's own documents
  GeneratedObjects generated("rendered by the chart", "the chart renders it here");
  for (const StreamSegment& seg : split_yaml_stream(text)) {
    std::string_view doc_text = text.substr(seg.begin, seg.end - seg.begin);
    if (!seg.mentions_meshc_group || scan_for_release(doc_text) == ReleaseScan::kNo) {
      pass(seg.begin, seg.end);
      passed.push_back(seg);
      continue;
    }
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
      passed.push_back(seg);
      continue;
    }
    auto compiled = driver.compile_document(*doc, Driver::Stage::kCompile);
    if (!compiled) continue;
    std::string helm_file = annotation_of(*doc, kHelmFilenameAnnotation);
    std::string out;
    for (Object object : compiled->objects) {
      generated.add(object, doc->loc);
      if (!helm_file.empty()) set_annotation(object, kHelmFilenameAnnotation, helm_file);
      write_yaml_document(object, out);
    }
    // A bare document may follow a "..." line: keep the end marker so it stays separate.
    if (seg.ends_with_end_marker) out += "...\n";
    if (!out.empty()) {
      result.owned.push_back(std::move(out));
      result.pieces.push_back(result.owned.back());
      run_end = std::string_view::npos;
    }
  }
  check_chart_clashes(stream, passed, generated, limits, driver.sink());
}

}  // namespace meshc

// The Helm post-renderer: Helm's rendered manifests in, the same stream out with every meshc
// Release document replaced by the objects it compiles to.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/diag/source.h"
#include "compiler/driver/driver.h"
#include "compiler/support/large_buffer.h"
#include "compiler/yaml/manifest_stream.h"

namespace meshc {

// The Helm 4 annotation that maps each document given to a post-renderer back to its template
// file; Helm reads and removes it from the post-renderer's output. Objects compiled from a
// Release that carries it get it too, so Helm files them under the Release's template.
inline constexpr const char* kHelmFilenameAnnotation = "postrenderer.helm.sh/postrender-filename";

// True when `doc` is a meshc Release resource: a mapping with kind Release and an apiVersion
// in the meshc.dev group (which version is the schema's business).
bool is_release_document(const YNode& doc);

// Replaces every `kind: Release` (apiVersion meshc.dev/...) document of `stream` by its
// compiled objects, and copies every other document byte for byte, without parsing it (see
// manifest_stream.h for how documents are found). Errors, located in `stream`, go to
// driver.sink(); the returned text is only meaningful when the sink holds no errors.
std::string post_render(const SourceFile& stream, const Limits& limits, Driver& driver);

// The same output as pieces to write in order, so that the documents passed through are
// never copied: `pieces` views runs of `stream`'s text (valid while `stream` lives) and the
// compiled text held in `owned`. Concatenated, the pieces are post_render()'s text.
struct PostRenderPieces {
  std::vector<std::string_view> pieces;
  std::deque<std::string> owned;  // a deque: adding text never moves the text already viewed
};
//
// `scanned` (optional) is the scan of the stream made while it was read (PostRenderScan below);
// without it, or when it was made of other bytes, the stream is scanned here.
class PostRenderScan;
void post_render_pieces(const SourceFile& stream, const Limits& limits, Driver& driver,
                        PostRenderPieces& out, PostRenderScan* scanned = nullptr);

// What post-render learns of a stream in one pass, document by document as the bytes arrive:
// where each document is, whether it may be a Release, and for the others the name that a
// cheap look at their first lines finds (for the check that no generated object is also one of
// the chart's). Fed while a pipe is read, each part is looked at while the read has just
// brought it into the cache, and the work overlaps the writer's.
class PostRenderScan {
 public:
  struct Document {
    StreamSegment seg;
    bool maybe_release = false;  // it mentions meshc.dev/ and the cheap scan does not rule it out
    bool named = false;          // chart_document_name found its name (then not maybe_release)
    uint32_t name_hash = 0;      // of that name (name_hash() below)
  };
  // A stream that starts at `data` (nothing of it there yet).
  using DocumentList = std::deque<Document, ArenaAllocator<Document>>;
  explicit PostRenderScan(const char* data)
      : data_(data), splitter_(data), documents_(ArenaAllocator<Document>(&arena_)) {}
  PostRenderScan(const PostRenderScan&) = delete;
  PostRenderScan& operator=(const PostRenderScan&) = delete;
  // The first `available` bytes at data() are there now; `complete`: no more will come.
  void feed(size_t available, bool complete);
  const char* data() const { return data_; }
  // A deque: the list grows without copying what it holds or touching fresh memory twice (a
  // 50 MB stream has some 48,000 documents); in an arena, on huge pages past its start.
  const DocumentList& documents() const { return documents_; }
  static uint32_t name_hash(std::string_view name) {
    return static_cast<uint32_t>(std::hash<std::string_view>{}(name));
  }

 private:
  const char* data_;
  StreamSplitter splitter_;
  LargeArena arena_;  // before documents_, which it outlives
  DocumentList documents_;
};

}  // namespace meshc

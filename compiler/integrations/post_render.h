// The Helm post-renderer: Helm's rendered manifests in, the same stream out with every meshc
// Release document replaced by the objects it compiles to.
#pragma once

#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/diag/source.h"
#include "compiler/driver/driver.h"

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
void post_render_pieces(const SourceFile& stream, const Limits& limits, Driver& driver,
                        PostRenderPieces& out);

}  // namespace meshc

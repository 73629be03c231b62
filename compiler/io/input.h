// Reading inputs: the one reader every command uses for files, directories and stdin.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "compiler/diag/diagnostics.h"
#include "compiler/diag/source.h"

namespace meshc {

// An input read whole, or as much of it as the limit allows.
struct ReadInput {
  std::unique_ptr<SourceFile> source;  // null when the input could not be read at all
  // False when the input is larger than the limit: `source` then holds its first limit + 1
  // bytes, so that the error (already reported) can point at the first byte past the limit;
  // it must not be compiled, but kept as long as the diagnostics are used.
  bool complete = true;
};

// Reads the file `path`, or stdin for "-" (named "<stdin>"). Reports to `sink`: a file that
// cannot be opened or read (no location), and an input over `limit` bytes, at the line and
// column of its first byte past the limit (nothing is read beyond it). A regular file of
// 1 MiB or more on stdin is mapped rather than read (map_file_readonly: Helm streams of 50 MB
// are neither copied nor zero-filled); a pipe is read into one buffer, reserved at its final
// size once it passes 1 MiB.
ReadInput read_input(const std::string& path, size_t limit, DiagnosticSink& sink);

// The files an input argument names: `path` itself, or for a directory every *.yaml / *.yml
// file below it, in sorted order. Reports an unreadable directory or one without such files
// (no location) and returns false.
bool expand_input(const std::string& path, std::vector<std::string>* files, DiagnosticSink& sink);

}  // namespace meshc

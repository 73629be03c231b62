// Reading inputs: the one reader every command uses for files, directories and stdin.
#pragma once

#include <functional>
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
  // The file's identity (device, inode) from the fstat read_input makes anyway, so that a
  // caller can tell the same file reached by two paths; 0, 0 for stdin.
  uint64_t device = 0;
  uint64_t inode = 0;
  bool regular = false;  // a regular file (not stdin, a pipe or a device)
};

// Reads the file `path`, or stdin for "-" (named "<stdin>"). Reports to `sink`: a file that
// cannot be opened or read (no location), and an input over `limit` bytes, at the line and
// column of its first byte past the limit (nothing is read beyond it). A regular file of
// 1 MiB or more on stdin is mapped rather than read (map_file_readonly: Helm streams of 50 MB
// are neither copied nor zero-filled); a pipe is read into one buffer, reserved at its final
// size once it passes 1 MiB. `on_read` (optional) sees a pipe on stdin as it arrives: see
// read_stream_mapped in large_buffer.h.
ReadInput read_input(const std::string& path, size_t limit, DiagnosticSink& sink,
                     const std::function<void(const char* data, size_t size)>& on_read = {});

// A file an input argument names.
struct InputFile {
  std::string path;
  // Found by walking a directory rather than named: its documents that are clearly not
  // releases are skipped (the driver decides), where a named file is checked strictly.
  bool found_in_directory = false;
};

// How a directory is walked.
struct WalkOptions {
  // Shell globs (fnmatch); an entry below a walked directory is left out when one matches its
  // path relative to that directory or its file name. A matching directory is not entered.
  std::vector<std::string> exclude;
};

// The files an input argument names: `path` itself, or for a directory every *.yaml / *.yml
// file below it, in sorted order, leaving out hidden entries (a name starting with '.': the
// file, or the whole directory) and those `walk.exclude` matches. Each entry left out is
// appended to `skipped` (when not null) as "<path>: <why>". Reports an unreadable directory
// or one without such files (no location) and returns false.
bool expand_input(const std::string& path, const WalkOptions& walk, std::vector<InputFile>* files,
                  std::vector<std::string>* skipped, DiagnosticSink& sink);
// The same with no exclusions, paths only.
bool expand_input(const std::string& path, std::vector<std::string>* files, DiagnosticSink& sink);

}  // namespace meshc

// Output at the edge: stdout and files, written only after a whole run succeeded.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace meshc {

// Writes all of `text` to stdout and flushes. False (with `error` set) when stdout is closed,
// a pipe's reader went away (EPIPE) or the device is full.
bool write_stdout(const std::string& text, std::string* error);

// Writes each (path, text) through a temporary file in the same directory, then renames all
// of them into place: a killed process or a failed write never leaves a partial file, and
// when any temporary cannot be written, no target file is touched.
bool write_files_atomically(const std::vector<std::pair<std::string, std::string>>& files,
                            std::string* error);

// Reads a file whole; false if it cannot be read.
bool read_file(const std::string& path, std::string* text);

}  // namespace meshc

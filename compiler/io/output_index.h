// The index of an output directory (`compile -o DIR/`): which files in DIR meshc wrote, and
// the input each came from, so that a later run deletes the files it no longer produces (a
// spec deleted, renamed, or whose release was renamed) and never touches a file it did not
// write. It is the file DIR/.meshc-outputs, meant to be committed with the manifests: hidden,
// and not *.yaml, so neither meshc, kustomize nor Argo CD reads it as a manifest.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

namespace meshc {

constexpr const char* kOutputIndexName = ".meshc-outputs";
constexpr const char* kStdinInput = "<stdin>";

// file name (relative to DIR) -> the input it was compiled from: its path relative to DIR
// (so that the index holds wherever meshc runs from), or "<stdin>".
using OutputIndex = std::map<std::string, std::string>;

// The key of an input in the index: `input` relative to `dir` ("../specs/app.yaml"), or
// "<stdin>" for "-" / "<stdin>".
std::string index_input_key(const std::string& dir, const std::string& input);

// Reads DIR's index; a missing file is an empty index. False with `error` set when the file
// exists but cannot be read or is not an index meshc wrote.
bool read_output_index(const std::string& dir, OutputIndex* index, std::string* error);

// The text of an index: a comment that says what it is, then "file<TAB>input" per line, sorted.
std::string render_output_index(const OutputIndex& index);

// What a run does to DIR besides writing its files.
struct OutputPlan {
  OutputIndex index;                 // the index after the run
  std::vector<std::string> orphans;  // files (relative to DIR) to delete: written by meshc
                                     // from an input that no longer produces them
  std::map<std::string, std::string> orphan_inputs;  // orphan -> its input, for messages
};

// `old_index`: DIR's index before the run. `produced`: file -> input key of every file this
// run writes. `read_inputs`: input keys this run read and compiled without error (an input
// with an error, under --keep-going, keeps what it produced before). A file of the old index
// is an orphan when this run does not produce it and either its input was read (and no longer
// produces it) or its input no longer exists (checked relative to `dir`). Entries of inputs
// this run did not read and that still exist are kept: another run's files. Only orphans that
// still exist in DIR are listed.
OutputPlan plan_output(const std::string& dir, const OutputIndex& old_index,
                       const std::map<std::string, std::string>& produced,
                       const std::set<std::string>& read_inputs);

}  // namespace meshc

// Resource limits applied to every input. Each is reported as a located error when exceeded.
#pragma once

#include <cstddef>
#include <cstdint>

namespace meshc {

struct Limits {
  size_t max_input_bytes = 64u << 20;     // one input file or stdin stream
  uint32_t max_depth = 100;               // nesting of mappings and lists
  uint32_t max_documents = 10000;         // YAML documents in one input
  uint64_t max_nodes = 1000000;           // YAML nodes (scalars, lists, mappings) in one input
  uint64_t max_alias_expansion = 100000;  // nodes that aliases may add to one document
  uint64_t max_alias_expansion_bytes = 8u << 20;  // scalar text aliases may add to one document
  uint32_t max_versions = 64;                     // versions in one release
  uint32_t max_matches = 128;                     // matches of one version
};

}  // namespace meshc

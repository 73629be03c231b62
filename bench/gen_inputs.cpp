// meshc_bench_gen: writes the generated benchmark inputs (bench/spec_gen.h) for
// scripts/bench.sh.
//
//   meshc_bench_gen spec SIZE INDEX [ENV]        one values file on stdout
//   meshc_bench_gen specs SIZE COUNT DIR         COUNT values files DIR/spec-NNNNNN.yaml
//   meshc_bench_gen releases SIZE COUNT          COUNT Release documents, one stream, stdout
//   meshc_bench_gen helm-stream BYTES RELEASES   a Helm-like stream of about BYTES, stdout
//
// SIZE is small, typical or large. Exit status 0, or 2 for a usage error, 1 for an I/O error.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "bench/spec_gen.h"

namespace {

using meshc::bench::SpecSize;

int usage() {
  std::fprintf(stderr,
               "usage: meshc_bench_gen spec SIZE INDEX [ENV] | specs SIZE COUNT DIR |\n"
               "       releases SIZE COUNT | helm-stream BYTES RELEASES\n"
               "SIZE: small, typical, large\n");
  return 2;
}

bool parse_size(const char* s, SpecSize* out) {
  if (!std::strcmp(s, "small"))
    *out = SpecSize::kSmall;
  else if (!std::strcmp(s, "typical"))
    *out = SpecSize::kTypical;
  else if (!std::strcmp(s, "large"))
    *out = SpecSize::kLarge;
  else
    return false;
  return true;
}

bool parse_count(const char* s, size_t* out) {
  char* end = nullptr;
  errno = 0;
  unsigned long long v = std::strtoull(s, &end, 10);
  if (errno || !end || *end || end == s) return false;
  *out = static_cast<size_t>(v);
  return true;
}

bool write_all(FILE* f, const std::string& text) {
  return std::fwrite(text.data(), 1, text.size(), f) == text.size();
}

int emit(const std::string& text) {
  if (!write_all(stdout, text) || std::fflush(stdout) != 0) {
    std::perror("meshc_bench_gen: stdout");
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage();
  std::string cmd = argv[1];
  SpecSize size;
  size_t a = 0, b = 0;
  if (cmd == "spec" && (argc == 4 || argc == 5) && parse_size(argv[2], &size) &&
      parse_count(argv[3], &a)) {
    return emit(meshc::bench::values_spec(size, a, argc == 5 ? argv[4] : "deployment-gtw"));
  }
  if (cmd == "specs" && argc == 5 && parse_size(argv[2], &size) && parse_count(argv[3], &a)) {
    for (size_t i = 0; i < a; ++i) {
      char name[64];
      std::snprintf(name, sizeof name, "/spec-%06zu.yaml", i);
      std::string path = std::string(argv[4]) + name;
      FILE* f = std::fopen(path.c_str(), "wb");
      if (!f || !write_all(f, meshc::bench::values_spec(size, i)) || std::fclose(f) != 0) {
        std::perror(("meshc_bench_gen: " + path).c_str());
        return 1;
      }
    }
    return 0;
  }
  if (cmd == "releases" && argc == 4 && parse_size(argv[2], &size) && parse_count(argv[3], &a)) {
    std::string text;
    for (size_t i = 0; i < a; ++i) text += "---\n" + meshc::bench::release_document(size, i);
    return emit(text);
  }
  if (cmd == "helm-stream" && argc == 4 && parse_count(argv[2], &a) && parse_count(argv[3], &b)) {
    return emit(meshc::bench::helm_stream(a, b));
  }
  return usage();
}

// Build-time tool: writes the release schema as SchemaValidator parses it at run time, so that
// no run has to: descriptions dropped and "pattern" routed to RE2
// (compiler/schema/schema_patterns.h), no whitespace. About a third of the text, and the routing
// walk done once here.
//   meshc_compile_schema schemas/release.schema.json OUT.json
// Exit status 0, or 1 with a message when the input cannot be read or parsed.
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "compiler/schema/schema_patterns.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: meshc_compile_schema IN.json OUT.json\n";
    return 1;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) {
    std::cerr << "meshc_compile_schema: cannot read " << argv[1] << "\n";
    return 1;
  }
  nlohmann::json schema = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (schema.is_discarded()) {
    std::cerr << "meshc_compile_schema: " << argv[1] << " is not JSON\n";
    return 1;
  }
  meshc::strip_descriptions(schema);
  meshc::route_patterns_to_re2(schema);
  std::ofstream out(argv[2], std::ios::binary | std::ios::trunc);
  out << schema.dump() << "\n";
  if (!out.flush()) {
    std::cerr << "meshc_compile_schema: cannot write " << argv[2] << "\n";
    return 1;
  }
  return 0;
}

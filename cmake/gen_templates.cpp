// Build-time tool: turns the workload skeletons in templates/ into C++ that builds each one's
// tree directly (compiler/k8s/templates.h), so that no run parses YAML to make a Deployment or
// a Service.
//   meshc_gen_templates OUT.cpp deployment=templates/deployment.yaml service=templates/service.yaml
// Each template is read with meshc's own loader (the same limits, tags and scalar typing as at
// run time) and must hold one document whose shape the workload renderer fills in (see
// kShapes). Any error stops the build as `file:line:col: error: path: message`, printed by
// meshc's diagnostic printer. Exit status 0, or 1 with the errors on stderr.
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/diag/diagnostics.h"
#include "compiler/diag/source.h"
#include "compiler/yaml/limits.h"
#include "compiler/yaml/yaml_loader.h"
#include "compiler/yaml/yaml_tree.h"

namespace {

using meshc::YNode;
using Json = nlohmann::ordered_json;

// A place below a template's root that compiler/k8s/workloads.cpp writes into: it must be
// there and be a mapping, or a non-empty list whose first item is a mapping.
struct Shape {
  const char* path;  // dotted keys from the root
  bool list;         // a list (its first item a mapping) rather than a mapping
};

const std::map<std::string, std::vector<Shape>> kShapes = {
    {"deployment",
     {{"", false},
      {"metadata", false},
      {"spec", false},
      {"spec.selector", false},
      {"spec.template", false},
      {"spec.template.metadata", false},
      {"spec.template.spec", false},
      {"spec.template.spec.containers", true},
      {"spec.template.spec.containers.0.ports", true}}},
    {"service", {{"", false}, {"metadata", false}, {"spec", false}, {"spec.ports", true}}},
};

// The node at dotted `path` below `root` ("0" steps into a list's first item), or nullptr.
const YNode* node_at(const YNode& root, const std::string& path) {
  const YNode* cur = &root;
  std::istringstream keys(path);
  std::string key;
  while (cur && std::getline(keys, key, '.')) {
    if (cur->is_sequence() && key == "0") {
      cur = cur->items.empty() ? nullptr : cur->items[0].get();
    } else {
      cur = cur->is_mapping() ? cur->get(key) : nullptr;
    }
  }
  return cur;
}

// The deepest node on the way to `path` that is there: where a missing one is reported.
const YNode& nearest(const YNode& root, const std::string& path) {
  const YNode* best = &root;
  std::string prefix;
  std::istringstream keys(path);
  std::string key;
  while (std::getline(keys, key, '.')) {
    prefix += (prefix.empty() ? "" : ".") + key;
    const YNode* n = node_at(root, prefix);
    if (!n) break;
    best = n;
  }
  return *best;
}

std::string field_path(const std::string& path) {
  std::string out;
  std::istringstream keys(path);
  std::string key;
  while (std::getline(keys, key, '.')) out += key == "0" ? "[0]" : (out.empty() ? "" : ".") + key;
  return out;
}

// Reports the first place of `shapes` that `root` does not have (the later ones lie below it
// or would repeat the mistake).
void check_shape(const YNode& root, const std::vector<Shape>& shapes, meshc::DiagnosticSink& sink) {
  for (const Shape& s : shapes) {
    const YNode* n = node_at(root, s.path);
    std::string want = s.list ? "a non-empty list of mappings (meshc fills in its first item)"
                              : "a mapping (meshc fills it in)";
    if (!n) {
      std::string key = s.path;
      key = key.substr(key.rfind('.') + 1);
      sink.error(nearest(root, s.path).loc, field_path(s.path),
                 "missing required field " + meshc::quote(key) + ": expected " + want);
      return;
    }
    if (s.list ? !n->is_sequence() || n->items.empty() || !n->items[0]->is_mapping()
               : !n->is_mapping()) {
      sink.error(n->loc, field_path(s.path), "expected " + want + ", got " + meshc::describe(*n));
      return;
    }
  }
}

// `s` as a C++ string literal; octal escapes for anything but printable ASCII, so that no
// escape runs into the next character.
std::string literal(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c >= 0x20 && c < 0x7f && c != '?') {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\%03o", c);
      out += buf;
    }
  }
  return out + "\"";
}

std::string double_expr(double d) {
  if (std::isnan(d)) return "std::numeric_limits<double>::quiet_NaN()";
  if (std::isinf(d)) {
    return std::string(d < 0 ? "-" : "") + "std::numeric_limits<double>::infinity()";
  }
  std::ostringstream o;
  o << std::hexfloat << d;
  return o.str();
}

// A C++ expression of type Object for a scalar.
std::string scalar_expr(const Json& j) {
  switch (j.type()) {
    case Json::value_t::null:
      return "Object()";
    case Json::value_t::boolean:
      return j.get<bool>() ? "Object(true)" : "Object(false)";
    case Json::value_t::number_integer: {
      int64_t v = j.get<int64_t>();
      if (v == std::numeric_limits<int64_t>::min()) {
        return "Object(std::numeric_limits<std::int64_t>::min())";
      }
      return "Object(std::int64_t{" + std::to_string(v) + "})";
    }
    case Json::value_t::number_unsigned:
      return "Object(std::uint64_t{" + std::to_string(j.get<uint64_t>()) + "u})";
    case Json::value_t::number_float:
      return "Object(" + double_expr(j.get<double>()) + ")";
    case Json::value_t::string: {
      const std::string& s = j.get_ref<const std::string&>();
      return "Object(std::string(" + literal(s) + ", " + std::to_string(s.size()) + "))";
    }
    default:
      return "";
  }
}

// Emits statements that build `j` into a new variable and returns its name. Mappings are
// filled with append (no key search: the loader rejected duplicate keys) into storage
// reserved to their size.
class Emitter {
 public:
  explicit Emitter(std::ostream& o) : o_(o) {}

  std::string build(const Json& j, int depth) {
    if (!j.is_structured()) return scalar_expr(j);
    std::string var = "n" + std::to_string(next_++);
    std::string pad(2 * depth, ' ');
    o_ << pad << "Object " << var << " = " << (j.is_object() ? "mapping(" : "list(") << j.size()
       << ");\n";
    if (j.is_object()) {
      for (auto it = j.begin(); it != j.end(); ++it) {
        std::string value = child(*it, depth);
        o_ << pad << "append(" << var << ", std::string(" << literal(it.key()) << ", "
           << it.key().size() << "), " << value << ");\n";
      }
    } else {
      for (const Json& item : j) {
        std::string value = child(item, depth);
        o_ << pad << var << ".get_ref<Object::array_t&>().push_back(" << value << ");\n";
      }
    }
    return var;
  }

 private:
  std::string child(const Json& j, int depth) {
    if (!j.is_structured()) return scalar_expr(j);
    return "std::move(" + build(j, depth) + ")";
  }

  std::ostream& o_;
  int next_ = 0;
};

const char* kPrelude = R"(#include "compiler/k8s/templates.h"

#include <cstdint>
#include <limits>
#include <string>
#include <utility>

namespace meshc::templates {

namespace {

// Object(value_t) rather than Object::object(), which goes through an initializer list.
Object mapping(size_t size) {
  Object o(Object::value_t::object);
  o.get_ref<Object::object_t&>().reserve(size);
  return o;
}

Object list(size_t size) {
  Object o(Object::value_t::array);
  o.get_ref<Object::array_t&>().reserve(size);
  return o;
}

// Adds a key the mapping does not hold yet, without searching for it.
void append(Object& map, std::string key, Object value) {
  map.get_ref<Object::object_t&>().emplace_back(std::move(key), std::move(value));
}

}  // namespace
)";

struct Template {
  std::string name, path;
  Json tree;
};

bool load(const std::string& name, const std::string& path, std::vector<Template>& out,
          std::vector<std::unique_ptr<meshc::SourceFile>>& files, meshc::DiagnosticSink& sink) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << path << ": error: cannot read the template\n";
    return false;
  }
  std::ostringstream text;
  text << in.rdbuf();
  files.push_back(std::make_unique<meshc::SourceFile>(path, text.str()));
  const meshc::SourceFile& file = *files.back();
  meshc::Limits limits;
  size_t errors = sink.error_count();
  auto docs = meshc::load_yaml(file, limits, sink);
  if (sink.error_count() > errors) return true;
  if (docs.size() != 1) {
    meshc::Location at = docs.size() > 1 ? docs[1].start : meshc::Location{&file, 0, 0};
    sink.error(at, "", "expected one YAML document, got " + std::to_string(docs.size()));
    return true;
  }
  check_shape(*docs[0].root, kShapes.at(name), sink);
  out.push_back({name, path, meshc::to_ordered_json(*docs[0].root)});
  return true;
}

std::string emit(const std::vector<Template>& templates) {
  std::ostringstream o;
  o << "// Generated by cmake/gen_templates.cpp from the files named below; do not edit.\n"
    << kPrelude;
  for (const Template& t : templates) {
    o << "\n// " << t.path << "\nObject " << t.name << "() {\n";
    Emitter e(o);
    std::string root = e.build(t.tree, 1);
    o << "  return " << root << ";\n}\n";
  }
  o << "\n}  // namespace meshc::templates\n";
  return o.str();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: meshc_gen_templates OUT.cpp NAME=TEMPLATE.yaml...\n";
    return 1;
  }
  std::vector<Template> templates;
  std::vector<std::unique_ptr<meshc::SourceFile>> files;
  meshc::DiagnosticSink sink;
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    size_t eq = arg.find('=');
    if (eq == std::string::npos || !kShapes.count(arg.substr(0, eq))) {
      std::cerr << "meshc_gen_templates: expected deployment=FILE or service=FILE, got " << arg
                << "\n";
      return 1;
    }
    if (!load(arg.substr(0, eq), arg.substr(eq + 1), templates, files, sink)) return 1;
  }
  if (sink.has_errors()) {
    meshc::PrintOptions opts;
    opts.program = "meshc_gen_templates";
    meshc::print_diagnostics(sink.all(), opts, stderr);
    return 1;
  }
  std::string text = emit(templates);
  std::ofstream out(argv[1], std::ios::binary | std::ios::trunc);
  out << text;
  return out.good() ? 0 : 1;
}

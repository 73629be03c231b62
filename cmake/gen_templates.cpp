// Build-time tool: turns the workload skeletons in templates/ into C++ that builds each one's
// tree directly (compiler/k8s/templates.h), so that no run parses YAML to make a Deployment or
// a Service.
//   meshc_gen_templates OUT.cpp deployment=templates/deployment.yaml service=templates/service.yaml
// Each template is read with meshc's own loader (the same limits, tags and scalar typing as at
// run time) and must hold one document. The generated function takes the values
// compiler/k8s/workloads.cpp fills in (DeploymentFill, ServiceFill: kFills below names the
// place of each) and puts each one straight where it goes, so no placeholder is built to be
// replaced; the places must lie in mappings the template has (lists step into their first
// item). Any error stops the build as `file:line:col: error: path: message`, printed by
// meshc's diagnostic printer. Exit status 0, or 1 with the errors on stderr.
#include <cctype>
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
#include "cpp_literal.h"

namespace {

using meshc::YNode;
using Json = nlohmann::ordered_json;

// A value compiler/k8s/workloads.cpp fills in: the member of the template's Fill struct
// (compiler/k8s/templates.h) and its place, as dotted keys from the root ("0" is a list's
// first item). Members are listed in the struct's order, which is the order a filled key the
// template lacks is added to its mapping in.
struct Fill {
  const char* member;
  const char* path;
};

const std::map<std::string, std::vector<Fill>> kFills = {
    {"deployment",
     {{"metadata", "metadata"},
      {"match_labels", "spec.selector.matchLabels"},
      {"pod_labels", "spec.template.metadata.labels"},
      {"pod_annotations", "spec.template.metadata.annotations"},
      {"container_name", "spec.template.spec.containers.0.name"},
      {"image", "spec.template.spec.containers.0.image"},
      {"container_port", "spec.template.spec.containers.0.ports.0.containerPort"}}},
    {"service",
     {{"metadata", "metadata"},
      {"name", "metadata.name"},
      {"namespace_", "metadata.namespace"},
      {"labels", "metadata.labels"},
      {"annotations", "metadata.annotations"},
      {"selector", "spec.selector"},
      {"port", "spec.ports.0.port"},
      {"target_port", "spec.ports.0.targetPort"},
      {"app_protocol", "spec.ports.0.appProtocol"}}},
};

// The struct a template's function takes: "deployment" -> "DeploymentFill".
std::string fill_struct(const std::string& name) {
  return static_cast<char>(std::toupper(static_cast<unsigned char>(name[0]))) + name.substr(1) +
         "Fill";
}

std::string parent_of(const std::string& path) {
  size_t dot = path.rfind('.');
  return dot == std::string::npos ? "" : path.substr(0, dot);
}

std::string last_key(const std::string& path) {
  return path.substr(path.rfind('.') + 1);
}

std::string join(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

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

// Checks that the template has the mappings (and non-empty lists) holding every filled place;
// reports the first that is missing or of another kind (what lies below it would repeat it).
void check_fills(const YNode& root, const std::vector<Fill>& fills, meshc::DiagnosticSink& sink) {
  for (const Fill& f : fills) {
    std::string path = f.path;
    std::string step, at;
    std::istringstream keys(path);
    std::vector<std::string> steps;
    while (std::getline(keys, step, '.')) steps.push_back(step);
    for (size_t i = 0; i < steps.size(); ++i) {
      const YNode* n = node_at(root, at);
      bool list = steps[i] == "0";
      std::string want = std::string(list ? "a non-empty list" : "a mapping") +
                         " (meshc fills in " + field_path(path) + ")";
      if (!n) {
        sink.error(nearest(root, at).loc, field_path(at),
                   "missing required field " + meshc::quote(last_key(at)) + ": expected " + want);
        return;
      }
      if (list ? !n->is_sequence() || n->items.empty() : !n->is_mapping()) {
        sink.error(n->loc, field_path(at), "expected " + want + ", got " + meshc::describe(*n));
        return;
      }
      at = join(at, steps[i]);
    }
  }
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
      // From a string_view: the string is made once, in the value, not made and then moved.
      return "Object(std::string_view(" + meshc::gen::cpp_literal(s) + ", " +
             std::to_string(s.size()) + "))";
    }
    default:
      return "";
  }
}

// Emits statements that build the template's node `j` at `path` into a new variable and
// returns its name. Mappings are filled with append (no key search: the loader rejected
// duplicate keys) into storage reserved to their size. A filled place takes the fill's value
// when it is set (not null), the template's otherwise; a filled key the template lacks is
// appended to its mapping when set.
class Emitter {
 public:
  Emitter(std::ostream& o, const std::vector<Fill>& fills) : o_(o), fills_(fills) {}

  std::string build(const Json& j, const std::string& path, int depth) {
    if (!j.is_structured()) return scalar_expr(j);
    std::string var = "n" + std::to_string(next_++);
    std::string pad(2 * depth, ' ');
    std::vector<const Fill*> added =
        j.is_object() ? absent_fills(j, path) : std::vector<const Fill*>{};
    o_ << pad << "Object " << var << " = " << (j.is_object() ? "mapping(" : "list(")
       << j.size() + added.size() << ");\n";
    if (j.is_object()) {
      for (auto it = j.begin(); it != j.end(); ++it) entry(var, it.key(), *it, path, depth);
      for (const Fill* f : added) {
        o_ << pad << "if (!fill." << f->member << ".is_null()) append(" << var << ", "
           << key_expr(last_key(f->path)) << ", std::move(fill." << f->member << "));\n";
      }
    } else {
      for (size_t i = 0; i < j.size(); ++i) {
        std::string value = child(j[i], join(path, std::to_string(i)), depth);
        o_ << pad << var << ".get_ref<Object::array_t&>().push_back(" << value << ");\n";
      }
    }
    return var;
  }

 private:
  static std::string key_expr(const std::string& key) {
    return "std::string_view(" + meshc::gen::cpp_literal(key) + ", " + std::to_string(key.size()) +
           ")";
  }

  const Fill* fill_at(const std::string& path) const {
    for (const Fill& f : fills_) {
      if (f.path == path) return &f;
    }
    return nullptr;
  }

  // The fills whose place is a key of the mapping at `path` that the template lacks.
  std::vector<const Fill*> absent_fills(const Json& j, const std::string& path) const {
    std::vector<const Fill*> out;
    for (const Fill& f : fills_) {
      if (parent_of(f.path) == path && !j.contains(last_key(f.path))) out.push_back(&f);
    }
    return out;
  }

  void entry(const std::string& var, const std::string& key, const Json& value,
             const std::string& path, int depth) {
    std::string pad(2 * depth, ' ');
    std::string at = join(path, key);
    const Fill* f = fill_at(at);
    if (f) {
      o_ << pad << "if (!fill." << f->member << ".is_null()) {\n"
         << pad << "  append(" << var << ", " << key_expr(key) << ", std::move(fill." << f->member
         << "));\n"
         << pad << "} else {\n";
      ++depth;
    }
    std::string v = child(value, at, depth);
    o_ << std::string(2 * depth, ' ') << "append(" << var << ", " << key_expr(key) << ", " << v
       << ");\n";
    if (f) o_ << pad << "}\n";
  }

  std::string child(const Json& j, const std::string& path, int depth) {
    if (!j.is_structured()) return scalar_expr(j);
    return "std::move(" + build(j, path, depth) + ")";
  }

  std::ostream& o_;
  const std::vector<Fill>& fills_;
  int next_ = 0;
};

const char* kPrelude = R"(#include "compiler/k8s/templates.h"

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <tuple>
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

// Adds a key the mapping does not hold yet, without searching for it; the key is made in
// its place in the mapping (not made, then moved twice).
void append(Object& map, std::string_view key, Object value) {
  map.get_ref<Object::object_t&>().emplace_back(std::piecewise_construct,
                                                std::forward_as_tuple(key.data(), key.size()),
                                                std::forward_as_tuple(std::move(value)));
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
  check_fills(*docs[0].root, kFills.at(name), sink);
  out.push_back({name, path, meshc::to_ordered_json(*docs[0].root)});
  return true;
}

std::string emit(const std::vector<Template>& templates) {
  std::ostringstream o;
  o << "// Generated by cmake/gen_templates.cpp from the files named below; do not edit.\n"
    << kPrelude;
  for (const Template& t : templates) {
    o << "\n// " << t.path << "\nObject " << t.name << "(" << fill_struct(t.name) << " fill) {\n";
    Emitter e(o, kFills.at(t.name));
    std::string root = e.build(t.tree, "", 1);
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
    if (eq == std::string::npos || !kFills.count(arg.substr(0, eq))) {
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

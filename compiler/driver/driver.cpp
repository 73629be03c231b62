#include "compiler/driver/driver.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "compiler/diag/field_path.h"
#include "compiler/ir/capabilities.h"
#include "compiler/k8s/workloads.h"
#include "compiler/schema/schema_validator.h"
#include "compiler/verify/crd_check.h"
#include "compiler/yaml/yaml_loader.h"
#include "targets/target.h"

namespace meshc {

namespace fs = std::filesystem;

// Reads `in` whole, or stops once more than `limit` bytes were read (then false, and `out`
// holds the first limit + 1 bytes or a little more).
static bool read_stream(std::istream& in, size_t limit, std::string* out) {
  out->clear();
  char buf[1 << 16];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    out->append(buf, static_cast<size_t>(in.gcount()));
    if (out->size() > limit) return false;
  }
  return true;
}

// The error for an input over the limit, at its first byte past the limit.
static void report_oversized(const std::string& name, std::string text, size_t limit,
                             std::vector<std::unique_ptr<SourceFile>>& keep, DiagnosticSink& sink) {
  text.resize(limit + 1);
  keep.push_back(std::make_unique<SourceFile>(name, std::move(text)));
  Location at{keep.back().get(), 0, 0};
  keep.back()->position_of(limit, &at.line, &at.col);
  sink.error(at, "",
             "input is larger than the limit of " + std::to_string(limit) +
                 " bytes (--max-input-bytes); it is not read past this point");
}

const SourceFile& Driver::add_source(std::string name, std::string text) {
  return add_source(std::make_unique<SourceFile>(std::move(name), std::move(text)));
}

const SourceFile& Driver::add_source(std::unique_ptr<SourceFile> source) {
  sources_.push_back(std::move(source));
  return *sources_.back();
}

bool Driver::add_input(const std::string& path) {
  std::string text;
  Location none;
  if (path == "-") {
    if (!read_stream(std::cin, limits_.max_input_bytes, &text)) {
      report_oversized("<stdin>", std::move(text), limits_.max_input_bytes, oversized_, sink_);
      return false;
    }
    add_source("<stdin>", std::move(text));
    return true;
  }
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    std::vector<std::string> files;
    for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::end(it);
         it.increment(ec)) {
      if (!it->is_regular_file()) continue;
      std::string ext = it->path().extension().string();
      if (ext == ".yaml" || ext == ".yml") files.push_back(it->path().string());
    }
    if (ec) {
      sink_.error(none, "", "cannot read directory " + quote(path) + ": " + ec.message());
      return false;
    }
    if (files.empty()) {
      sink_.error(none, "", "no *.yaml or *.yml files in directory " + quote(path));
      return false;
    }
    std::sort(files.begin(), files.end());
    bool ok = true;
    for (const auto& f : files) ok = add_input(f) && ok;
    return ok;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    sink_.error(none, "", "cannot open " + quote(path) + ": " + std::strerror(errno));
    return false;
  }
  if (!read_stream(in, limits_.max_input_bytes, &text)) {
    report_oversized(path, std::move(text), limits_.max_input_bytes, oversized_, sink_);
    return false;
  }
  if (in.bad()) {
    sink_.error(none, "", "cannot read " + quote(path) + ": " + std::strerror(errno));
    return false;
  }
  add_source(path, std::move(text));
  return true;
}

std::vector<CompiledRelease> Driver::run(Stage stage) {
  std::vector<CompiledRelease> out;
  for (const auto& src : sources_) {
    size_t errors_before = sink_.error_count();
    // An input's trees live only while its releases compile: nothing compiled refers to them
    // (locations point into the sources), and a batch of 10,000 specs would hold them all.
    auto docs = load_yaml(*src, limits_, sink_);
    bool any = false;
    for (const YamlDocument& d : docs) {
      const YNode& doc = *d.root;
      if (doc.is_null()) continue;
      any = true;
      if (auto r = compile_document(doc, stage)) {
        if (render_as_compiled_ && stage == Stage::kCompile) {
          for (const Object& o : r->objects) write_yaml_document(o, r->text);
          r->objects = {};
        }
        out.push_back(std::move(*r));
      }
    }
    if (!any && sink_.error_count() == errors_before) {
      Location l{src.get(), 0, 0};
      sink_.error(l, "", "expected a release spec, got an empty input");
    }
  }
  return out;
}

std::optional<CompiledRelease> Driver::compile_document(const YNode& doc, Stage stage) {
  auto in = classify_document(doc, sink_);
  if (!in) return std::nullopt;
  return compile_release(*in, stage);
}

std::optional<CompiledRelease> Driver::compile_release(const ReleaseInput& in, Stage stage) {
  if (!check_environment(in, sink_)) return std::nullopt;
  if (!SchemaValidator::get().validate(*in.document, in.form, sink_)) return std::nullopt;
  size_t before = sink_.error_count();
  auto rm = lower_release(in, defaults_, sink_);
  if (!rm) return std::nullopt;
  CompiledRelease out;
  // Target: --target wins; otherwise the environment's. Workloads only for "deployment".
  if (target_) {
    out.target = *target_;
  } else if (const Target* t = find_target_for_environment(rm->environment)) {
    out.target = TargetChoice{t, t->info().api_versions.front().name};
  } else if (rm->environment != "deployment") {
    // The schema lists an environment that no registered target declares: never fall back
    // to workloads only.
    sink_.error(rm->environment_loc, join_path(in.path_prefix, "environment"),
                "no target of this build compiles environment " + quote(rm->environment) +
                    "; pass --target (" + target_synopsis() + ")");
    return std::nullopt;
  } else if (rm->strategy != Strategy::kNone && stage != Stage::kRoutemap) {
    sink_.error(rm->strategy_loc, join_path(in.path_prefix, "application.strategy"),
                std::string("environment deployment emits no routing, so strategy ") +
                    strategy_name(rm->strategy) +
                    " would be dropped; use deployment-gtw, deployment-istio, deployment-smi or "
                    "deployment-linkerd, "
                    "or pass --target");
    return std::nullopt;
  }
  bool check_target = stage != Stage::kRoutemap || target_.has_value();
  if (out.target.target && check_target) {
    check_capabilities(*rm, out.target.capabilities(), out.target.str(),
                       capability_alternatives(out.target), sink_);
    check_implementation_names(*rm, out.target, sink_);
  }
  if (sink_.error_count() != before) return std::nullopt;
  // validate runs the target too (and drops its objects), so it reports what compile would.
  if (stage != Stage::kRoutemap) {
    render_workloads(*rm, sink_, out.objects);
    if (out.target.target) out.target.target->emit(*rm, out.target.api_version, sink_, out.objects);
    if (sink_.error_count() != before) return std::nullopt;
    if (crds_ && !crds_->check(out.objects, rm->loc, sink_)) return std::nullopt;
  }
  out.routemap = std::move(*rm);
  return out;
}

std::string render_release(const CompiledRelease& release) {
  std::string text = release.text;
  for (const auto& o : release.objects) write_yaml_document(o, text);
  return text;
}

std::string render_objects(const std::vector<CompiledRelease>& releases) {
  std::string text;
  for (const auto& r : releases) {
    text += r.text;
    for (const auto& o : r.objects) write_yaml_document(o, text);
  }
  return text;
}

}  // namespace meshc

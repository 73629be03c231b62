#include "compiler/driver/driver.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "compiler/diag/field_path.h"
#include "compiler/io/input.h"
#include "compiler/ir/capabilities.h"
#include "compiler/k8s/workloads.h"
#include "compiler/schema/schema_validator.h"
#include "compiler/verify/crd_check.h"
#include "compiler/yaml/yaml_loader.h"
#include "targets/target.h"

namespace meshc {

namespace fs = std::filesystem;

const SourceFile& Driver::add_source(std::string name, std::string text) {
  return add_source(std::make_unique<SourceFile>(std::move(name), std::move(text)));
}

const SourceFile& Driver::add_source(std::unique_ptr<SourceFile> source) {
  sources_.push_back(std::move(source));
  return *sources_.back();
}

bool Driver::add_input(const std::string& path) {
  std::vector<std::string> files;
  if (!expand_input(path, &files, sink_)) return false;
  bool ok = true;
  for (const std::string& f : files) {
    ReadInput in = read_input(f, limits_.max_input_bytes, sink_);
    if (!in.source) {
      ok = false;
    } else if (!in.complete) {
      oversized_.push_back(std::move(in.source));
      ok = false;
    } else {
      add_source(std::move(in.source));
    }
  }
  return ok;
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
    sink_.error(rm->environment_loc, rm->field_path("environment"),
                "no target of this build compiles environment " + quote(rm->environment) +
                    "; pass --target (" + target_synopsis() + ")");
    return std::nullopt;
  } else if (rm->strategy != Strategy::kNone && stage != Stage::kRoutemap) {
    std::string environments;
    for (const Target* t : all_targets()) {
      environments += (environments.empty() ? "" : ", ") + t->info().environment;
    }
    sink_.error(rm->strategy_loc, rm->field_path("application.strategy"),
                std::string("environment deployment emits no routing, so strategy ") +
                    strategy_name(rm->strategy) + " would be dropped; use one of " + environments +
                    ", or pass --target");
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
    std::vector<StringMap> pod_annotations;
    if (out.target.target) {
      for (const Version& v : rm->versions) {
        pod_annotations.push_back(out.target.target->pod_annotations(*rm, v));
      }
    }
    render_workloads(*rm, sink_, out.objects, pod_annotations);
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

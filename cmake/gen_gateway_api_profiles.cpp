// Build-time tool: writes the C++ table of Gateway API implementation profiles
// (targets/gateway_api/profiles.h) from the conformance data and meshc's caveats:
//   meshc_gen_gateway_api_profiles profiles.yaml caveats.yaml OUT.cpp
// profiles.yaml: the latest conformance report(s) per implementation (profiles/README.md);
// caveats.yaml: what the reports do not show (its header). The output is deterministic (the
// implementations in the data's order, features sorted).
// Exit status 0, or 1 with a message when an input cannot be read, is not what this tool
// expects, names an implementation profiles.yaml lacks, or two implementations would share an
// alias.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

struct Fail : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string str(const YAML::Node& n, const char* key, const std::string& context) {
  if (!n[key] || !n[key].IsScalar()) throw Fail(context + ": missing string field " + key);
  return n[key].as<std::string>();
}

std::string opt_str(const YAML::Node& n, const char* key) {
  return n[key] && n[key].IsScalar() ? n[key].as<std::string>() : std::string();
}

std::vector<std::string> strings(const YAML::Node& n) {
  std::vector<std::string> out;
  if (!n) return out;
  if (!n.IsSequence()) throw Fail("expected a list of strings");
  for (const auto& x : n) out.push_back(x.as<std::string>());
  return out;
}

// A C++ string literal.
std::string lit(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

// Reports before Gateway API v1.1 name their profiles HTTP, TLS, MESH.
std::string profile_name(const std::string& reported) {
  if (reported == "HTTP") return "GATEWAY-HTTP";
  if (reported == "TLS") return "GATEWAY-TLS";
  if (reported == "MESH") return "MESH-HTTP";
  return reported;
}

int result_rank(const std::string& r) {
  return r == "success" ? 0 : r == "partial" ? 1 : 2;
}

struct Profile {
  std::string name, reported_as, core_result = "success";
  bool extended = true;
  std::set<std::string> supported, unsupported, core_not_passed;
  int seen = 0;
};

struct Caveat {
  std::string feature, why;
};

struct Implementation {
  std::string name, alias, url, version, api_version, date;
  std::set<std::string> channels, modes;
  int reports = 0;
  std::vector<Profile> profiles;
  std::string ranking = "kGatewayApi";
  std::vector<Caveat> rejects, supports;
};

const std::map<std::string, std::string> kFeatures = {
    {"request-mirror", "kRequestMirror"},
    {"grpc-method-regex", "kGrpcMethodRegex"},
    {"backend-response-header", "kBackendResponseHeader"},
    {"grpc-backend-response-header", "kGrpcBackendResponseHeader"},
    {"regex-match", "kRegexMatch"},
    {"method-match", "kMethodMatch"},
    {"cross-namespace-backend", "kCrossNamespaceBackend"},
};

std::vector<Caveat> caveats(const YAML::Node& list, const std::string& context) {
  std::vector<Caveat> out;
  if (!list) return out;
  for (const auto& c : list) {
    Caveat x{str(c, "feature", context), str(c, "why", context)};
    if (!kFeatures.count(x.feature)) throw Fail(context + ": unknown feature " + x.feature);
    out.push_back(x);
  }
  return out;
}

Implementation read_implementation(const YAML::Node& impl) {
  Implementation out;
  out.name = str(impl, "name", "implementation");
  const std::string ctx = out.name;
  out.url = opt_str(impl, "url");
  std::string project = out.name.substr(out.name.find('/') + 1);
  out.alias = lower(project);
  std::replace(out.alias.begin(), out.alias.end(), ' ', '-');
  const YAML::Node latest = impl["latest"];
  if (!latest || !latest.IsSequence() || latest.size() == 0) throw Fail(ctx + ": no latest report");
  std::map<std::string, Profile> profiles;
  std::vector<std::string> order;
  for (const auto& report : latest) {
    ++out.reports;
    std::string version = str(report, "implementationVersion", ctx);
    std::string api = str(report, "gatewayAPIVersion", ctx);
    if (out.reports > 1 && (version != out.version || api != out.api_version)) {
      throw Fail(ctx + ": latest reports of different versions");
    }
    out.version = version;
    out.api_version = api;
    out.date = std::max(out.date, str(report, "date", ctx));
    if (!opt_str(report, "gatewayAPIChannel").empty())
      out.channels.insert(opt_str(report, "gatewayAPIChannel"));
    if (!opt_str(report, "mode").empty()) out.modes.insert(opt_str(report, "mode"));
    for (const auto& p : report["profiles"]) {
      std::string reported = str(p, "name", ctx);
      std::string name = profile_name(reported);
      auto [it, fresh] = profiles.emplace(name, Profile{});
      Profile& prof = it->second;
      if (fresh) order.push_back(name);
      prof.name = name;
      prof.reported_as = reported;
      ++prof.seen;
      const YAML::Node core = p["core"];
      std::string result = str(core, "result", ctx + " " + name + " core");
      if (result_rank(result) > result_rank(prof.core_result)) prof.core_result = result;
      for (const char* list : {"skippedTests", "failedTests"}) {
        for (const auto& t : strings(core[list])) prof.core_not_passed.insert(t);
      }
      const YAML::Node ext = p["extended"];
      std::vector<std::string> supported =
          ext ? strings(ext["supportedFeatures"]) : std::vector<std::string>();
      std::vector<std::string> unsupported =
          ext ? strings(ext["unsupportedFeatures"]) : std::vector<std::string>();
      if (!ext) prof.extended = false;
      if (fresh) {
        prof.supported.insert(supported.begin(), supported.end());
      } else {
        // Supported only where every report declares it; the rest counts as unsupported.
        std::set<std::string> both;
        for (const auto& f : supported) {
          if (prof.supported.count(f)) both.insert(f);
        }
        for (const auto& f : prof.supported) {
          if (!both.count(f)) prof.unsupported.insert(f);
        }
        for (const auto& f : supported) {
          if (!both.count(f)) prof.unsupported.insert(f);
        }
        prof.supported = both;
      }
      prof.unsupported.insert(unsupported.begin(), unsupported.end());
    }
  }
  for (const auto& name : order) {
    const Profile& p = profiles[name];
    if (p.seen == out.reports) out.profiles.push_back(p);  // in every latest report only
  }
  return out;
}

std::string join(const std::set<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

void write_list(std::ostream& out, const std::string& name, const std::set<std::string>& words) {
  out << "const char* const " << name << "[] = {";
  for (const auto& w : words) out << lit(w) << ", ";
  out << "nullptr};\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: meshc_gen_gateway_api_profiles profiles.yaml caveats.yaml OUT.cpp\n";
    return 1;
  }
  try {
    YAML::Node data = YAML::LoadFile(argv[1]);
    YAML::Node cav = YAML::LoadFile(argv[2]);
    std::vector<Implementation> impls;
    for (const auto& impl : data["implementations"]) impls.push_back(read_implementation(impl));
    if (impls.empty()) throw Fail(std::string(argv[1]) + ": no implementations");

    std::map<std::string, size_t> by_key;  // lower-case name or alias -> implementation
    for (size_t i = 0; i < impls.size(); ++i) {
      for (const std::string& key : {lower(impls[i].name), impls[i].alias}) {
        auto [it, fresh] = by_key.emplace(key, i);
        if (!fresh && it->second != i) {
          throw Fail("the name or alias \"" + key + "\" designates both " + impls[it->second].name +
                     " and " + impls[i].name);
        }
      }
    }
    auto find = [&](const std::string& name) -> Implementation& {
      auto it = by_key.find(lower(name));
      if (it == by_key.end()) throw Fail(std::string(argv[2]) + ": unknown implementation " + name);
      return impls[it->second];
    };
    std::vector<std::pair<std::string, std::string>> likes;
    for (const auto& c : cav["implementations"]) {
      std::string name = str(c, "name", argv[2]);
      Implementation& impl = find(name);
      if (c["like"]) {
        likes.emplace_back(name, c["like"].as<std::string>());
        continue;
      }
      std::string ranking = c["ranking"] ? c["ranking"].as<std::string>() : "gateway-api";
      if (ranking != "gateway-api" && ranking != "linkerd")
        throw Fail(name + ": unknown ranking " + ranking);
      impl.ranking = ranking == "linkerd" ? "kLinkerd" : "kGatewayApi";
      impl.rejects = caveats(c["rejects"], name);
      impl.supports = caveats(c["supports"], name);
    }
    for (const auto& [name, like] : likes) {
      const Implementation& from = find(like);
      Implementation& to = find(name);
      to.ranking = from.ranking;
      to.rejects = from.rejects;
      to.supports = from.supports;
    }

    std::ostringstream out;
    out << "// Generated by meshc_gen_gateway_api_profiles from\n"
           "// targets/gateway_api/profiles/profiles.yaml and caveats.yaml. Do not edit.\n"
           "#include \"targets/gateway_api/profiles.h\"\n\n"
           "namespace meshc::gateway_api {\n\nnamespace {\n\n";
    for (size_t i = 0; i < impls.size(); ++i) {
      const Implementation& m = impls[i];
      out << "// " << m.name << "\n";
      for (size_t p = 0; p < m.profiles.size(); ++p) {
        std::string pre = "k" + std::to_string(i) + "_" + std::to_string(p);
        write_list(out, pre + "_supported", m.profiles[p].supported);
        write_list(out, pre + "_unsupported", m.profiles[p].unsupported);
        write_list(out, pre + "_core_not_passed", m.profiles[p].core_not_passed);
      }
      out << "const ConformanceProfile k" << i << "_profiles[] = {\n";
      for (size_t p = 0; p < m.profiles.size(); ++p) {
        const Profile& x = m.profiles[p];
        std::string pre = "k" + std::to_string(i) + "_" + std::to_string(p);
        out << "    {" << lit(x.name) << ", " << lit(x.reported_as) << ", " << lit(x.core_result)
            << ", " << (x.extended ? "true" : "false") << ", " << pre << "_supported, " << pre
            << "_unsupported, " << pre << "_core_not_passed},\n";
      }
      if (m.profiles.empty()) out << "    {\"\", \"\", \"\", false, nullptr, nullptr, nullptr},\n";
      out << "};\n";
      for (const auto& [list, items] :
           {std::pair{"rejects", &m.rejects}, {"supports", &m.supports}}) {
        out << "const Caveat k" << i << "_" << list << "[] = {\n";
        for (const Caveat& c : *items) {
          out << "    {CaveatFeature::" << kFeatures.at(c.feature) << ", " << lit(c.why) << "},\n";
        }
        if (items->empty()) out << "    {CaveatFeature::kRequestMirror, nullptr},\n";
        out << "};\n";
      }
      out << "\n";
    }
    out << "}  // namespace\n\nconst ImplementationProfile kImplementationProfiles[] = {\n";
    for (size_t i = 0; i < impls.size(); ++i) {
      const Implementation& m = impls[i];
      std::string k = "k" + std::to_string(i);
      out << "    {" << lit(m.name) << ", " << lit(m.alias) << ", " << lit(m.url) << ", "
          << lit(m.version) << ", " << lit(m.api_version) << ", " << lit(m.date) << ", "
          << lit(join(m.channels)) << ", " << lit(join(m.modes)) << ", " << m.reports << ", " << k
          << "_profiles, " << m.profiles.size() << ", Ranking::" << m.ranking << ", " << k
          << "_rejects, " << m.rejects.size() << ", " << k << "_supports, " << m.supports.size()
          << "},\n";
    }
    out << "};\n\nconst size_t kImplementationProfileCount = " << impls.size()
        << ";\n\n}  // namespace meshc::gateway_api\n";

    std::ofstream file(argv[3], std::ios::binary | std::ios::trunc);
    file << out.str();
    if (!file.flush()) throw Fail(std::string("cannot write ") + argv[3]);
  } catch (const std::exception& e) {
    std::cerr << "meshc_gen_gateway_api_profiles: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

// routing_check GOLDEN_DIR [--case NAME]... [--verbose]
//
// For every case folder of GOLDEN_DIR (tests/golden) with target outputs
// (<target>[@<version>].yaml), routes every request of its requests.yaml through every target
// output with the simulator and compares with the expectations. Fails when a case with target
// outputs has no requests.yaml, when a table cannot be read, or on any mismatch. Exit 0 only when
// everything agrees.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "tests/routing/request_table.h"
#include "tests/routing/simulator.h"

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  std::string golden;
  std::vector<std::string> only;
  bool verbose = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--verbose" || arg == "-v") {
      verbose = true;
    } else if (arg == "--case" && i + 1 < argc) {
      only.push_back(argv[++i]);
    } else if (golden.empty()) {
      golden = arg;
    } else {
      std::cerr << "usage: routing_check GOLDEN_DIR [--case NAME]... [--verbose]\n";
      return 2;
    }
  }
  if (golden.empty()) {
    std::cerr << "usage: routing_check GOLDEN_DIR [--case NAME]... [--verbose]\n";
    return 2;
  }
  std::vector<fs::path> cases;
  for (const auto& entry : fs::directory_iterator(golden)) {
    if (entry.is_directory()) cases.push_back(entry.path());
  }
  std::sort(cases.begin(), cases.end());
  size_t checked_cases = 0, checks = 0, requests = 0, outputs = 0;
  std::vector<std::string> failures;
  for (const auto& dir : cases) {
    const std::string name = dir.filename().string();
    if (!only.empty() && std::find(only.begin(), only.end(), name) == only.end()) continue;
    std::vector<std::string> targets;
    for (const auto& entry : fs::directory_iterator(dir)) {
      const std::string file = entry.path().filename().string();
      if (entry.path().extension() != ".yaml") continue;
      const std::string stem = entry.path().stem().string();
      if (routing::ApiFromTargetName(stem)) targets.push_back(stem);
      (void)file;
    }
    if (targets.empty()) continue;
    std::sort(targets.begin(), targets.end());
    const fs::path table_path = dir / "requests.yaml";
    if (!fs::exists(table_path)) {
      failures.push_back(name + ": has target outputs but no requests.yaml");
      continue;
    }
    routing::Table table;
    try {
      table = routing::LoadTable(table_path.string());
    } catch (const std::exception& e) {
      failures.push_back(name + ": " + e.what());
      continue;
    }
    ++checked_cases;
    requests += table.requests.size();
    for (const auto& target : targets) {
      ++outputs;
      std::vector<std::string> log;
      try {
        const auto cluster = routing::Cluster::FromFile((dir / (target + ".yaml")).string());
        for (const auto& f : routing::CheckTable(table, cluster, target, verbose, &log)) {
          failures.push_back(name + ": " + f);
        }
        const routing::Api api = *routing::ApiFromTargetName(target);
        for (const auto& t : table.requests) {
          if (t.request.via != "ingress" || routing::IsIngressApi(api)) ++checks;
        }
      } catch (const std::exception& e) {
        failures.push_back(name + "/" + target + ": " + e.what());
      }
      for (const auto& line : log) std::cout << name << ": " << line << "\n";
    }
  }
  for (const auto& f : failures) std::cout << "FAIL " << f << "\n";
  std::cout << "routing: " << checked_cases << " cases, " << requests << " requests, " << outputs
            << " target outputs, " << checks << " request checks, " << failures.size()
            << " failures\n";
  return failures.empty() ? 0 : 1;
}

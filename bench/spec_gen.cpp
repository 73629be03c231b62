#include "bench/spec_gen.h"

#include <cstdio>

namespace meshc::bench {

namespace {

std::string num(size_t n) {
  return std::to_string(n);
}

// The application body (indented by `indent` spaces) of a release spec.
std::string application(SpecSize size, size_t index, const std::string& environment, int indent) {
  const std::string pad(static_cast<size_t>(indent), ' ');
  std::string app = "app-" + num(index);
  std::string ns = "ns-" + num(index / 100);
  std::string s;
  s += pad + "environment: " + environment + "\n";
  s += pad + "application:\n";
  s += pad + "  metadata:\n";
  s += pad + "    name: " + app + "\n";
  s += pad + "    namespace: " + ns + "\n";
  switch (size) {
    case SpecSize::kSmall:
      s += pad + "  versions:\n";
      s += pad + "  - image: registry.example.com/" + app + ":1.0." + num(index % 97) + "\n";
      break;
    case SpecSize::kTypical:
      s += pad + "  versions:\n";
      s += pad + "  - metadata:\n";
      s += pad + "      labels:\n";
      s += pad + "        app.kubernetes.io/version: v0\n";
      s += pad + "    image: kennethreitz/httpbin\n";
      s += pad + "  - metadata:\n";
      s += pad + "      labels:\n";
      s += pad + "        app.kubernetes.io/version: v1\n";
      s += pad + "    image: kennethreitz/httpbin\n";
      s += pad + "    matches:\n";
      s += pad + "    - headers:\n";
      s += pad + "      - name: traffic\n";
      s += pad + "        value: test\n";
      s += pad + "  strategy: canary\n";
      break;
    case SpecSize::kLarge:
      s += pad + "    labels:\n";
      s += pad + "      team: payments\n";
      s += pad + "      tier: backend\n";
      s += pad + "      cost-center: cc-" + num(1000 + index % 9000) + "\n";
      s += pad + "      app.kubernetes.io/part-of: shop\n";
      s += pad + "    annotations:\n";
      s += pad + "      owner: payments-team@example.com\n";
      s += pad + "      runbook: https://runbooks.example.com/" + app + "\n";
      s += pad + "  port: 8080\n";
      s += pad + "  versions:\n";
      for (size_t v = 0; v < 12; ++v) {
        std::string tag = "v" + num(v);
        s += pad + "  - metadata:\n";
        s += pad + "      name: " + app + "-" + tag + "\n";
        s += pad + "      labels:\n";
        s += pad + "        app.kubernetes.io/version: " + tag + "\n";
        s += pad + "        track: " + std::string(v == 0 ? "stable" : "candidate") + "\n";
        s += pad + "      annotations:\n";
        s += pad + "        git-sha: \"" + num(0x1f3a5c7 + v * 7919 + index) + "\"\n";
        s += pad + "    image: registry.example.com/" + app + ":" + tag + "\n";
        if (v == 0) continue;
        if (v % 2 == 1) s += pad + "    weight: " + num(10 * (v % 5 + 1)) + "\n";
        s += pad + "    matches:\n";
        s += pad + "    - headers:\n";
        s += pad + "      - name: x-canary\n";
        s += pad + "        value: " + tag + "\n";
        s += pad + "      path:\n";
        s += pad + "        type: PathPrefix\n";
        s += pad + "        value: /api/" + tag + "\n";
        s += pad + "    - headers:\n";
        s += pad + "      - name: x-canary\n";
        s += pad + "        value: " + tag + "-beta\n";
        s += pad + "      - name: x-region\n";
        s += pad + "        value: eu-\n";
        s += pad + "        type: Prefix\n";
      }
      s += pad + "  strategy: canary\n";
      break;
  }
  return s;
}

std::string configmap(size_t n) {
  std::string s = "# Source: shop/templates/configmap.yaml\n";
  s += "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shop-config-" + num(n) +
       "\n  labels:\n    app.kubernetes.io/name: shop\n    helm.sh/chart: shop-1.2.3\n"
       "data:\n";
  for (int i = 0; i < 24; ++i) {
    s += "  key-" + num(i) + ": \"value " + num(n * 31 + i) +
         " lorem ipsum dolor sit amet consectetur adipiscing\"\n";
  }
  s += "  script.sh: |\n    #!/bin/sh\n    echo starting " + num(n) +
       "\n    exec /app/server --port 8080 --config /etc/config\n";
  return s;
}

std::string deployment(size_t n) {
  std::string name = "shop-worker-" + num(n);
  return "# Source: shop/templates/deployment.yaml\n"
         "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " +
         name +
         "\n  labels:\n    app.kubernetes.io/name: shop\n    app.kubernetes.io/instance: " + name +
         "\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: " + name +
         "\n  template:\n    metadata:\n      labels:\n        app: " + name +
         "\n      annotations:\n        checksum/config: " + num(n * 2654435761u) +
         "\n    spec:\n      containers:\n      - name: worker\n"
         "        image: registry.example.com/shop/worker:2.4." +
         num(n % 50) +
         "\n        args: [\"--queue\", \"orders\", \"--concurrency\", \"8\"]\n"
         "        ports:\n        - name: http\n          containerPort: 8080\n"
         "        resources:\n          requests: {cpu: 100m, memory: 128Mi}\n"
         "          limits: {cpu: 500m, memory: 512Mi}\n"
         "        readinessProbe:\n          httpGet: {path: /healthz, port: http}\n";
}

std::string service(size_t n) {
  std::string name = "shop-worker-" + num(n);
  return "# Source: shop/templates/service.yaml\n"
         "apiVersion: v1\nkind: Service\nmetadata:\n  name: " +
         name + "\nspec:\n  selector:\n    app: " + name +
         "\n  ports:\n  - name: http\n    port: 80\n    targetPort: http\n";
}

}  // namespace

const char* size_name(SpecSize size) {
  switch (size) {
    case SpecSize::kSmall:
      return "small";
    case SpecSize::kTypical:
      return "typical";
    case SpecSize::kLarge:
      return "large";
  }
  return "?";
}

std::string values_spec(SpecSize size, size_t index, const std::string& environment) {
  return "# Generated by bench/spec_gen.cpp (" + std::string(size_name(size)) + ")\n" +
         application(size, index, environment, 0);
}

std::string release_document(SpecSize size, size_t index, const std::string& environment) {
  return "# Source: release/templates/release.yaml\n"
         "apiVersion: meshc.dev/v1alpha1\nkind: Release\nmetadata:\n  name: \"app-" +
         num(index) + "\"\n  namespace: \"ns-" + num(index / 100) + "\"\nspec:\n" +
         application(size, index, environment, 2);
}

std::string helm_stream(size_t bytes, size_t releases) {
  std::string s;
  s.reserve(bytes + (bytes >> 4));
  size_t n = 0, placed = 0;
  while (s.size() < bytes) {
    // Release r goes where the stream passes (r + 1) / (releases + 1) of its size.
    if (placed < releases && s.size() >= bytes / (releases + 1) * (placed + 1)) {
      s += "---\n" + release_document(SpecSize::kTypical, placed);
      ++placed;
      continue;
    }
    switch (n % 3) {
      case 0:
        s += "---\n" + configmap(n);
        break;
      case 1:
        s += "---\n" + deployment(n);
        break;
      default:
        s += "---\n" + service(n);
        break;
    }
    ++n;
  }
  for (; placed < releases; ++placed) {
    s += "---\n" + release_document(SpecSize::kTypical, placed);
  }
  return s;
}

}  // namespace meshc::bench

#!/usr/bin/env python3
"""check_iter8.py MESHC ROOT

Iter8 and meshc agreeing: for each deployment values file tests/compat-iter8-values/httpbin-*.yaml
and each request below, `meshc explain --manifests` on what Iter8 puts in the cluster
(tests/compat/iter8-rendered/<values>.yaml: Iter8's release chart rendered by Helm, plus the
routing object its controller makes; tests/compat/render-iter8.sh) must give the same outcome,
the same versions with the same shares and the same mirrors as `meshc explain --manifests` on
`meshc compile <values> --name httpbin [-n NS]` (the namespace the values file's
"# Usage (Iter8):" line passes to Helm).

Compared: outcome, {version: percent} of the versions taking the request, {version: percent}
of the mirrors. Not compared, because the two legitimately differ (each checked here as stated):
- the objects and rule indexes that take the request: Iter8 writes one rule per version
  (candidate first) and meshc its own layout; both are VirtualServices (deployment-istio) or
  HTTPRoutes (deployment-gtw), which is checked;
- the weights themselves: Iter8's mirror template keeps the primary's `weight: 50` on its single
  destination (Istio gives a lone destination every request) where meshc writes 100, and
  Iter8's weights are whatever the values say where meshc's are percentages, so only the
  shares (percent) are compared;
- how a backend names its version: Iter8 routes to one Service per version, by FQDN
  (httpbin-1.default.svc.cluster.local); meshc's Istio objects route to subsets of the root
  Service (host httpbin, DestinationRule subsets by version label) and its HTTPRoutes to
  per-version Services by short name. The evaluator resolves both to the Deployment whose pods
  the backend selects, which is what is compared, and it must be known on both sides;
- the root Service: Iter8's deployment-istio chart makes it an ExternalName of the Istio
  ingress gateway, meshc's selects the release's pods; no request here depends on it, as both
  streams route every in-mesh request with a VirtualService / HTTPRoute.
Nothing Iter8 renders for these values is refused by meshc; a values file meshc refused would
fail here with its diagnostics.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

# Requests per strategy: (name, explain arguments). Each exercises the release's routing.
CANARY = [
    ("default", ["/get"]),
    ("canary header", ["-H", "traffic: test", "/get"]),
    ("other header value", ["-H", "traffic: prod", "/get"]),
    ("header, other path and method", ["-X", "POST", "-H", "traffic: test", "/post?x=1"]),
    ("header by FQDN host", ["-H", "traffic: test", "http://httpbin.{ns}.svc.cluster.local/get"]),
    ("no header by FQDN host", ["http://httpbin.{ns}.svc.cluster.local/get"]),
]
WEIGHTED = [
    ("default", ["/"]),
    ("with the canary header", ["-H", "traffic: test", "/anything"]),
    ("POST by host", ["-X", "POST", "http://httpbin.{ns}/post"]),
]
REQUESTS = {"canary": CANARY, "blue-green": WEIGHTED, "mirror": WEIGHTED}
KIND = {"deployment-istio": "VirtualService", "deployment-gtw": "HTTPRoute"}


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError("%s: exit %d: %s" % (" ".join(cmd), p.returncode, p.stderr.strip()))
    return p.stdout


def shares(entries):
    out = {}
    for e in entries:
        if e["percent"] > 0:
            if not e["version"]:
                raise RuntimeError("backend %s has no version: %s" % (e["service"], e.get("problem")))
            out[e["version"]] = round(out.get(e["version"], 0) + e["percent"], 4)
    return out


def answer(meshc, stream, args):
    r = json.loads(run([meshc, "explain", "--manifests", stream, "--format", "json"] + args))
    r = r["results"][0]
    return {"outcome": r["outcome"], "versions": shares(r["versions"]),
            "mirrors": shares(r["mirrors"]), "kind": (r["takenBy"] or {}).get("kind")}


def values_facts(path):
    text = open(path).read()
    env = re.search(r"^environment: *(\S+)", text, re.M).group(1)
    strategy = re.search(r"^  strategy: *(\S+)", text, re.M).group(1)
    ns = re.search(r"^# Usage \(Iter8\):.* -n (\S+) ", text, re.M)
    return env, strategy, ns.group(1) if ns else "default"


def check_values(meshc, root, values, tmp):
    name = os.path.basename(values)
    env, strategy, ns = values_facts(values)
    iter8 = os.path.join(root, "tests/compat/iter8-rendered", name)
    compiled = os.path.join(tmp, name)
    with open(compiled, "w") as f:
        f.write(run([meshc, "compile", values, "--name", "httpbin", "-n", ns]))
    failed = 0
    for what, args in REQUESTS[strategy]:
        args = [a.replace("{ns}", ns) for a in args]
        a, b = answer(meshc, iter8, args), answer(meshc, compiled, args)
        ok = a == b and a["outcome"] == "routed" and a["kind"] == KIND[env]
        print("%s %s, %s: Iter8 %s, meshc %s" % ("ok:" if ok else "FAIL:", name, what, a, b))
        failed += 0 if ok else 1
    return failed


def main():
    meshc, root = os.path.realpath(sys.argv[1]), os.path.realpath(sys.argv[2])
    vdir = os.path.join(root, "tests/compat-iter8-values")
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for v in sorted(os.listdir(vdir)):
            if v.startswith("httpbin-"):
                failed += check_values(meshc, root, os.path.join(vdir, v), tmp)
    print("iter8 agreement: %d failed" % failed)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

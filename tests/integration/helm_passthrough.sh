#!/usr/bin/env bash
# Byte-for-byte pass-through with the real Helm 3.17 or 4.1: tests/integration/charts/mixed (an
# ordinary chart with comments, odd spacing, flow style, "--- # comment" separators, "..."
# end markers, block scalars holding "---", CRLF lines, a last line without a newline and
# documents that mention meshc.dev/ without being Releases) with charts/release as a subchart.
# - meshc post-render on what Helm hands a post-renderer: every document but the Release comes
#   out byte for byte, and the Release becomes exactly what `meshc compile` makes of it;
# - Helm with the post-renderer gives what Helm with an identity post-renderer gives, except
#   the Release's objects;
# - a 20 MB stream without a Release passes through unchanged (and is timed).
# Usage: helm_passthrough.sh MESHC 3|4
. "$(dirname "$0")/lib.sh" "$1"
major=$2
use_helm "$major"
cd "$ROOT"

chart="$WORK/mixed"
cp -r tests/integration/charts/mixed "$chart"
mkdir -p "$chart/charts"
cp -r charts/release "$chart/charts/release"
release_source="# Source: mixed/charts/release/templates/release.yaml"

# An identity post-renderer that keeps a copy of what Helm hands it.
ident="$WORK/identity"
mkdir -p "$ident"
printf '#!/bin/sh\ntee "%s"\n' "$WORK/helm-input.yaml" >"$ident/identity.sh"
chmod +x "$ident/identity.sh"
if [ "$major" = 4 ]; then
  cat >"$ident/plugin.yaml" <<EOF
apiVersion: v1
type: postrenderer/v1
name: identity
version: 0.1.0
runtime: subprocess
runtimeConfig:
  platformCommand:
  - command: \${HELM_PLUGIN_DIR}/identity.sh
EOF
  "$HELM" plugin install "$ident" >/dev/null
  "$HELM" plugin install plugins/helm-meshc >/dev/null
  with_identity=(--post-renderer identity)
  with_meshc=(--post-renderer meshc)
else
  with_identity=(--post-renderer "$ident/identity.sh")
  with_meshc=(--post-renderer meshc --post-renderer-args post-render)
fi

"$HELM" template mix "$chart" "${with_identity[@]}" >"$WORK/identity.out"
"$HELM" template mix "$chart" "${with_meshc[@]}" >"$WORK/meshc.out"

# 1. meshc itself, on exactly what Helm handed the post-renderer.
meshc post-render <"$WORK/helm-input.yaml" >"$WORK/post-rendered.yaml"
same_but_release() {
  "$PYTHON" - "$WORK" <<'EOF'
import os, re, subprocess, sys
work = sys.argv[1]
data = open(os.path.join(work, "helm-input.yaml"), "rb").read()
out = open(os.path.join(work, "post-rendered.yaml"), "rb").read()
# Segments as meshc cuts them: at lines "---" (alone or followed by a blank and more).
starts = [0] + [m.start() + 1 for m in re.finditer(rb"\n---(?=[ \t\r\n]|$)", data)]
segs = [data[a:b] for a, b in zip(starts, starts[1:] + [len(data)]) if b > a]
rel = [i for i, s in enumerate(segs) if re.search(rb"(?m)^kind: Release\s*$", s)]
assert len(rel) == 1, f"expected one Release document in Helm's stream, found {len(rel)}"
i = rel[0]
prefix, suffix = b"".join(segs[:i]), b"".join(segs[i + 1:])
if not (out.startswith(prefix) and out.endswith(suffix) and len(out) >= len(prefix) + len(suffix)):
    sys.exit("post-render changed a document that is not a Release")
middle = out[len(prefix):len(out) - len(suffix)]
compiled = subprocess.run(["meshc", "compile", "-"], input=segs[i], capture_output=True,
                          check=True).stdout
import yaml
def objects(text, drop_helm_annotation):
    docs = [d for d in yaml.safe_load_all(text) if d is not None]
    for d in docs:
        ann = d.get("metadata", {}).get("annotations", {})
        if drop_helm_annotation and "postrenderer.helm.sh/postrender-filename" in ann:
            del ann["postrenderer.helm.sh/postrender-filename"]
            if not ann:
                del d["metadata"]["annotations"]
    return docs
helm4 = b"postrenderer.helm.sh/postrender-filename" in segs[i]
if objects(middle, helm4) != objects(compiled, False):
    sys.exit("the Release did not become what meshc compile makes of it")
if not helm4 and middle != compiled:
    sys.exit("the Release did not become exactly meshc compile's output")
assert len(segs) >= 6, "the mixed chart should give several documents"
EOF
}
check "meshc passes every other document byte for byte, compiles the Release in place" \
  same_but_release

# 2. Through Helm: with meshc = with identity, except the Release's documents.
strip_release() {  # drop the documents Helm files under the release template
  awk -v src="$release_source" '
    /^---$/ { if (doc != "" && !skip) printf "%s", doc; doc = $0 "\n"; skip = 0; next }
    { doc = doc $0 "\n"; if ($0 == src) skip = 1 }
    END { if (doc != "" && !skip) printf "%s", doc }' "$1"
}
if [ "$major" = 4 ]; then
  # Helm 4 re-serialises the stream after post-rendering and files each document under its
  # template (the Release's objects under the release template).
  check "helm 4 output: other documents identical with meshc and with an identity renderer" \
    cmp <(strip_release "$WORK/identity.out") <(strip_release "$WORK/meshc.out")
else
  check "helm 3 output: an identity renderer changes nothing" \
    cmp "$WORK/identity.out" "$WORK/helm-input.yaml"
fi
check "helm $major output: the Release went in, its objects came out" \
  sh -c "grep -qx 'kind: Release' '$WORK/identity.out' && ! grep -qx 'kind: Release' '$WORK/meshc.out' && grep -qx 'kind: VirtualService' '$WORK/meshc.out'"
if [ "$major" = 3 ]; then
  check "helm 3 prints the post-renderer's output unchanged" \
    cmp "$WORK/meshc.out" "$WORK/post-rendered.yaml"
fi

# 3. A large stream with no Release: unchanged, and how long it takes.
"$PYTHON" - "$WORK/helm-input.yaml" "$WORK/large.yaml" <<'EOF'
import re, sys
data = open(sys.argv[1], "rb").read()
# Keep the documents that are not Releases, and repeat them to 20 MB.
parts = re.split(rb"(?m)^(?=---)", data)
body = b"".join(p for p in parts if not re.search(rb"(?m)^kind: Release\s*$", p))
if not body.endswith(b"\n"):
    body += b"\n"
with open(sys.argv[2], "wb") as f:
    n = 0
    while n < 20 * 1024 * 1024:
        f.write(body)
        n += len(body)
EOF
start=$(date +%s%N)
meshc post-render <"$WORK/large.yaml" >"$WORK/large.out"
end=$(date +%s%N)
check "20 MB without a Release passes through unchanged" cmp "$WORK/large.yaml" "$WORK/large.out"
echo "post-render pass-through: $(stat -c %s "$WORK/large.yaml") bytes in $(( (end - start) / 1000000 )) ms"
finish

#!/usr/bin/env bash
# Whole-process benchmarks of meshc, side by side with `helm template` of charts/release and
# with `cat` of the same bytes; prints a Markdown report and puts it into docs/benchmarks.md
# (between the "bench:begin" and "bench:end" markers; the text around them is kept).
#
#   scripts/bench.sh [--quick] [--no-build] [--build-dir DIR] [--output FILE|-]
#
#   --quick       fewer runs and no 10,000-file directory batch (a few minutes less; for checking
#                 the script, not for the record)
#   --no-build    use the binaries already in the build directory
#   --build-dir   default build-bench (RelWithDebInfo, MESHC_BENCH=ON, as scripts/build.sh)
#   --output      where the report goes (default docs/benchmarks.md; - for stdout only)
#
# Needs hyperfine and GNU time (/usr/bin/time), both Debian packages (scripts/install-deps.sh
# --all); Helm 3 from scripts/install-clients.sh (.tools/helm3/helm) for the Helm column, and
# valgrind for the instruction count. Medians throughout; ratios come from the same run.
# Another busy process makes every figure noisy: the report records the load average before
# and after, and the instruction counts (callgrind) are the figures to compare across runs.
# Not part of CI (see bench/smoke.sh for the smoke test that is).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

quick=0 build=1 build_dir=build-bench output=docs/benchmarks.md
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --no-build) build=0 ;;
    --build-dir) build_dir=${2:?}; shift ;;
    --output) output=${2:?}; shift ;;
    -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

for tool in hyperfine /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench.sh: $tool is missing (scripts/install-deps.sh --all)" >&2; exit 1; }
done
helm=$root/.tools/helm3/helm
[ -x "$helm" ] || { echo "bench.sh: $helm is missing; run scripts/install-clients.sh" >&2; exit 1; }

if [ "$build" = 1 ]; then
  cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMESHC_BENCH=ON >/dev/null
  cmake --build "$build_dir" -j"$(nproc)" --target meshc meshc_bench meshc_bench_gen >/dev/null
fi
meshc=$(realpath "$build_dir/meshc")
gen=$(realpath "$build_dir/bench/meshc_bench_gen")
stages=$(realpath "$build_dir/bench/meshc_bench")

work=$(mktemp -d "${TMPDIR:-/tmp}/meshc-bench.XXXXXX")
# A memory file system for the batches that create thousands of files: what meshc costs there,
# apart from what the disk's file system costs (the same run on $work shows that, next to tar).
shm=$(mktemp -d /dev/shm/meshc-bench.XXXXXX 2>/dev/null || true)
trap 'rm -rf "$work" ${shm:+"$shm"}' EXIT
runs() { if [ "$quick" = 1 ]; then echo "$2"; else echo "$1"; fi; }  # full, quick

log() { echo "bench.sh: $*" >&2; }
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------------------------------------
# Inputs (bench/spec_gen.cpp): a typical two-version canary spec, batches of them, Release
# streams and Helm-like streams with 4 Release documents.
log "generating inputs in $work"
"$gen" spec typical 0 >"$work/typical.yaml"
mkdir "$work/b1k" "$work/b10k"
"$gen" specs typical 1000 "$work/b1k"
"$gen" specs typical 10000 "$work/b10k"
for n in 100 1000 10000; do "$gen" releases typical "$n" >"$work/releases-$n.yaml"; done
for b in 500000 5000000 50000000; do "$gen" helm-stream "$b" 4 >"$work/helm-$b.yaml"; done
helm50=$work/helm-50000000.yaml

# The generated specs must compile, and post-render must pass the chart's documents through
# byte for byte, before anything is timed.
"$meshc" compile "$work/typical.yaml" >"$work/typical.out"
"$helm" template app-0 "$root/charts/release" -f "$work/typical.yaml" -n ns-0 >"$work/helm.out"
"$meshc" post-render <"$helm50" >"$work/helm50.out"
shop_docs() {
  awk '/^---$/ { if (doc ~ /# Source: shop\//) printf "%s", doc; doc = "" } { doc = doc $0 "\n" }
       END { if (doc ~ /# Source: shop\//) printf "%s", doc }' "$1"
}
shop_docs "$helm50" >"$work/in.shop"
shop_docs "$work/helm50.out" >"$work/out.shop"
cmp -s "$work/in.shop" "$work/out.shop" || { echo "bench.sh: post-render changed a document" >&2; exit 1; }
passthrough_ok="yes ($(grep -c '^---$' "$work/in.shop") documents compared)"

# ---------------------------------------------------------------------------------------------
# Measurement helpers. hyperfine's CSV: command,mean,stddev,median,user,system,min,max.
# hf NAME RUNS [hyperfine options] -- COMMAND...: median seconds of COMMAND into $NAME, mean
# CPU seconds (user + system) into cpu[NAME].
declare -A median cpu
hf() {
  local name=$1 n=$2; shift 2
  local opts=()
  while [ "$1" != -- ]; do opts+=("$1"); shift; done
  shift
  hyperfine --style none --warmup 1 --runs "$n" "${opts[@]}" --export-csv "$work/$name.csv" \
    "$@" >/dev/null 2>"$work/$name.err" || { cat "$work/$name.err" >&2; exit 1; }
  median[$name]=$(awk -F, 'NR == 2 { print $4 }' "$work/$name.csv")
  cpu[$name]=$(awk -F, 'NR == 2 { print $5 + $6 }' "$work/$name.csv")
}
# hf_rounds ROUNDS RUNS NAME COMMAND [NAME COMMAND]...: the commands in turn, RUNS runs each
# (hyperfine -N), ROUNDS times over; median[NAME] is the median of its rounds' medians and
# cpu[NAME] the mean of their CPU. For ratios of commands that take under a millisecond: this
# kind of machine drifts by 10-20% over minutes, and commands timed in separate blocks minutes
# apart carry that drift into their ratio; taken in alternation they share it.
hf_rounds() {
  local rounds=$1 n=$2 r i
  shift 2
  local -a names=() cmds=()
  while [ $# -gt 0 ]; do names+=("$1"); cmds+=("$2"); shift 2; done
  for ((r = 0; r < rounds; r++)); do
    for i in "${!names[@]}"; do
      hyperfine --style none --warmup 1 --runs "$n" -N --export-csv "$work/round.csv" \
        "${cmds[$i]}" >/dev/null 2>"$work/round.err" || { cat "$work/round.err" >&2; exit 1; }
      awk -F, 'NR == 2 { print $4, $5 + $6 }' "$work/round.csv" >>"$work/rounds.${names[$i]}"
    done
  done
  for i in "${!names[@]}"; do
    median[${names[$i]}]=$(sort -n "$work/rounds.${names[$i]}" |
      awk '{ m[NR] = $1 } END { print (NR % 2 ? m[(NR + 1) / 2] : (m[NR / 2] + m[NR / 2 + 1]) / 2) }')
    cpu[${names[$i]}]=$(awk '{ c += $2 } END { print c / NR }' "$work/rounds.${names[$i]}")
  done
}
# rss NAME COMMAND...: median peak RSS in KiB of three runs (stdin from $rss_in, stdout dropped).
declare -A rss_kib
rss_in=/dev/null
rss() {
  local name=$1; shift
  for i in 1 2 3; do
    /usr/bin/time -f %M -o "$work/rss.$i" "$@" <"$rss_in" >/dev/null
  done
  rss_kib[$name]=$(sort -n "$work"/rss.[123] | sed -n 2p)
}
ms() { awk -v s="$1" 'BEGIN { printf "%.2f ms", s * 1000 }'; }
us_per() { awk -v s="$1" -v n="$2" 'BEGIN { printf "%.1f µs", s * 1e6 / n }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f×", a / b }'; }
yesno() { awk -v c="$1" 'BEGIN { print (c ? "**yes**" : "**no**") }'; }

# ---------------------------------------------------------------------------------------------
log "single compile vs the process floor and helm template"
# Iter8's own canary values file, as `helm template httpbin iter8/release` takes it.
iter8=$root/tests/compat-iter8-values/httpbin-canary-gtw.yaml
# meshc explain compiles the spec, reads its objects back and evaluates one request: it must
# stay within 2x of the compile alone.
"$meshc" explain "$work/typical.yaml" -H 'traffic: test' / >/dev/null
# The floor (--version), both compiles and explain in alternation: 10 rounds of 30 runs each.
hf_rounds "$(runs 10 3)" "$(runs 30 20)" \
  version "$meshc --version" \
  single "$meshc compile $work/typical.yaml" \
  iter8 "$meshc compile --name httpbin $iter8" \
  explain "$meshc explain $work/typical.yaml -H 'traffic: test' /"
hf helm "$(runs 40 10)" -N -- "$helm template app-0 $root/charts/release -f $work/typical.yaml -n ns-0"
rss single "$meshc" compile "$work/typical.yaml"
rss helm "$helm" template app-0 "$root/charts/release" -f "$work/typical.yaml" -n ns-0
hf helm_iter8 "$(runs 40 10)" -N -- "$helm template httpbin $root/charts/release -f $iter8 -n test"
rss iter8 "$meshc" compile --name httpbin "$iter8"
instructions=n/a instructions_iter8=n/a instructions_version=n/a
if command -v valgrind >/dev/null; then
  callgrind() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
      awk '/Collected :/ { printf "%\047d", $NF }'
  }
  instructions=$(callgrind "$meshc" compile "$work/typical.yaml")
  instructions_iter8=$(callgrind "$meshc" compile --name httpbin "$iter8")
  instructions_version=$(callgrind "$meshc" --version)
fi

log "batch compiles"
# A schedule of 10 steps (docs/rollouts.md): the current step, and every step to -o DIR/.
{
  printf 'environment: deployment-gtw\napplication:\n  metadata: {name: ramp, namespace: bench}\n'
  printf '  versions:\n  - {metadata: {name: ramp-v1}, image: app:1}\n  - {metadata: {name: ramp-v2}, image: app:2, weight: 0}\n'
  printf '  strategy: canary\n  schedule:\n    current: 5\n    steps:\n'
  for i in 0 1 2 3 4 5 6 7 8 9; do printf '    - {name: s%d, versions: {ramp-v2: {weight: %d}}}\n' "$i" $((i * 11)); done
} >"$work/schedule10.yaml"
log "schedule of 10 steps"
hf sched_one "$(runs 300 60)" -N -- "$meshc compile $work/schedule10.yaml"
hf sched_all "$(runs 100 20)" -N -- "$meshc compile $work/schedule10.yaml --all-steps -o $work/sched.out/"
hf batch1k_file "$(runs 10 3)" -N -- "$meshc compile $work/b1k -o $work/b1k.yaml"
hf batch10k_file "$(runs 5 2)" -N -- "$meshc compile $work/b10k -o $work/b10k.yaml"
rss batch10k_file "$meshc" compile "$work/b10k" -o "$work/b10k.yaml"

log "post-render of a 50 MB Helm stream vs cat"
hf pr_file "$(runs 20 5)" -- "$meshc post-render < $helm50 > /dev/null"
hf cat_file "$(runs 20 5)" -- "cat < $helm50 > /dev/null"
hf pr_pipe "$(runs 20 5)" -- "cat $helm50 | $meshc post-render > /dev/null"
hf cat_pipe "$(runs 20 5)" -- "cat $helm50 | cat > /dev/null"
rss_in=$helm50
rss pr "$meshc" post-render
rss cat cat
rss_in=/dev/null

log "scaling: 1x, 10x, 100x"
for n in 100 1000 10000; do  # to stdout (dropped): the compiler's work, no fsync
  hf "scale_c$n" "$(runs 10 3)" -N -- "$meshc compile $work/releases-$n.yaml"
  rss "scale_c$n" "$meshc" compile "$work/releases-$n.yaml"
done
for b in 500000 5000000 50000000; do
  hf "scale_p$b" "$(runs 10 3)" -- "$meshc post-render < $work/helm-$b.yaml > /dev/null"
  rss_in=$work/helm-$b.yaml
  rss "scale_p$b" "$meshc" post-render
  rss_in=/dev/null
done

# Last of the whole-process runs: thousands of synced files leave the disk busy for a while.
# Two cases: regenerating over the previous output (the warm-up run wrote it; files that keep
# their bytes are left alone), and writing every file new into an empty directory, next to
# `tar -x` of the same files (no sync, no temporaries) as the file system's floor.
log "batch compiles to directories"
hf batch1k_dir "$(runs 5 2)" -N -- "$meshc compile $work/b1k -o $work/b1k.out/"
tar -cf "$work/b1k.tar" -C "$work/b1k.out" .
hf batch1k_new "$(runs 5 2)" -N --prepare "rm -rf $work/b1k.new" -- \
  "$meshc compile $work/b1k -o $work/b1k.new/"
hf batch1k_tar "$(runs 5 2)" -N --prepare "sh -c 'rm -rf $work/t1k && mkdir $work/t1k'" -- \
  "tar -xf $work/b1k.tar -C $work/t1k"
# New files on a memory file system: meshc's own cost of -o DIR/, without the disk's.
if [ -n "$shm" ]; then
  hf batch1k_shm "$(runs 5 2)" -N --prepare "rm -rf $shm/b1k.new" -- \
    "$meshc compile $work/b1k -o $shm/b1k.new/"
  hf batch1k_shmtar "$(runs 5 2)" -N --prepare "sh -c 'rm -rf $shm/t1k && mkdir $shm/t1k'" -- \
    "tar -xf $work/b1k.tar -C $shm/t1k"
fi
if [ "$quick" = 0 ]; then
  hf batch10k_dir 3 -N -- "$meshc compile $work/b10k -o $work/b10k.out/"
  rss batch10k_dir "$meshc" compile "$work/b10k" -o "$work/b10k.out/"
  tar -cf "$work/b10k.tar" -C "$work/b10k.out" .
  hf batch10k_new 3 -N --prepare "rm -rf $work/b10k.new" -- \
    "$meshc compile $work/b10k -o $work/b10k.new/"
  hf batch10k_tar 3 -N --prepare "sh -c 'rm -rf $work/t10k && mkdir $work/t10k'" -- \
    "tar -xf $work/b10k.tar -C $work/t10k"
  if [ -n "$shm" ]; then
    hf batch10k_shm 3 -N --prepare "rm -rf $shm/b10k.new" -- \
      "$meshc compile $work/b10k -o $shm/b10k.new/"
    hf batch10k_shmtar 3 -N --prepare "sh -c 'rm -rf $shm/t10k && mkdir $shm/t10k'" -- \
      "tar -xf $work/b10k.tar -C $shm/t10k"
  fi
fi

log "stage benchmarks (Google Benchmark)"
"$stages" --benchmark_min_time="$(runs 0.2 0.05)" --benchmark_repetitions=3 \
  --benchmark_report_aggregates_only=true --benchmark_format=csv \
  --benchmark_filter='/(typical|large)$|split|post_render' >"$work/stages.csv" 2>/dev/null

load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------------------------------------
s=${median[single]} h=${median[helm]}
per1k=$(awk -v s="${median[batch1k_file]}" 'BEGIN { print s / 1000 }')
per10k=$(awk -v s="${median[batch10k_file]}" 'BEGIN { print s / 10000 }')
speedup=$(awk -v a="$h" -v b="$s" 'BEGIN { print a / b }')
pr_pipe_ratio=$(awk -v a="${median[pr_pipe]}" -v b="${median[cat_pipe]}" 'BEGIN { print a / b }')
pr_file_ratio=$(awk -v a="${median[pr_file]}" -v b="${median[cat_file]}" 'BEGIN { print a / b }')
input_kib=$(( $(stat -c %s "$helm50") / 1024 ))

report() {
  echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') at commit \`$(git rev-parse --short HEAD)\`$(git diff --quiet HEAD -- compiler targets schemas templates CMakeLists.txt || echo ' (with uncommitted changes)') with \`scripts/bench.sh$([ "$quick" = 1 ] && echo ' --quick')\`."
  echo
  echo "Machine: $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM, Linux $(uname -r); load average $load_before before, $load_after after (1, 5, 15 min)."
  echo "meshc $("$meshc" --version | awk '{ print $2 }') ($(file -b "$meshc" | grep -o 'static-pie linked\|statically linked\|dynamically linked'), RelWithDebInfo), Helm $("$helm" version --template '{{.Version}}'), hyperfine $(hyperfine --version | awk '{ print $2 }'). Times are medians of hyperfine runs (the floor, the two single compiles and explain: the median of 10 rounds' medians, the four commands in turn, 30 runs each a round), memory the median peak RSS of three runs (\`/usr/bin/time -f %M\`)."
  echo
  echo "| workload | meshc (median wall; CPU) | reference | ratio | meshc peak RSS | target | met |"
  echo "|---|---|---|---|---|---|---|"
  echo "| single compile, typical two-version spec | $(ms "$s"); $(ms "${cpu[single]}") | \`helm template\` of charts/release, same values: $(ms "$h"); $(ms "${cpu[helm]}"); $(mib "${rss_kib[helm]}") | $(ratio "$h" "$s") faster | $(mib "${rss_kib[single]}") | ≥ 40× faster, < 6 MiB | $(yesno "$(awk -v r="$speedup" -v m="${rss_kib[single]}" 'BEGIN { print (r >= 40 && m < 6144) }')") |"
  echo "| single compile, Iter8's canary values (\`tests/compat-iter8-values/httpbin-canary-gtw.yaml\`, \`--name httpbin\`) | $(ms "${median[iter8]}"); $(ms "${cpu[iter8]}") | \`helm template httpbin\` of charts/release, same values: $(ms "${median[helm_iter8]}"); $(ms "${cpu[helm_iter8]}") | $(ratio "${median[helm_iter8]}" "${median[iter8]}") faster | $(mib "${rss_kib[iter8]}") | ≥ 40× faster, < 6 MiB | $(yesno "$(awk -v h="${median[helm_iter8]}" -v s="${median[iter8]}" -v m="${rss_kib[iter8]}" 'BEGIN { print (h / s >= 40 && m < 6144) }')") |"
  echo "| process floor: \`meshc --version\` | $(ms "${median[version]}"); $(ms "${cpu[version]}") | the single compiles above: typical $(ratio "$s" "${median[version]}"), Iter8 canary $(ratio "${median[iter8]}" "${median[version]}") of the floor | | | each compile ≤ 1.3× the floor | $(yesno "$(awk -v a="$s" -v b="${median[iter8]}" -v v="${median[version]}" 'BEGIN { print (a <= 1.3 * v && b <= 1.3 * v) }')") |"
  echo "| schedule of 10 steps, current step to stdout | $(ms "${median[sched_one]}"); $(ms "${cpu[sched_one]}") | single compile: $(ms "$s") | $(ratio "${median[sched_one]}" "$s") of it | | | |"
  echo "| schedule of 10 steps, \`--all-steps -o DIR/\` (10 folders, regenerated) | $(ms "${median[sched_all]}"); $(ms "${cpu[sched_all]}") | single compile: $(ms "$s") | $(ratio "${median[sched_all]}" "$s") of it | | | |"
  echo "| explain, typical spec, one request: \`meshc explain SPEC -H 'traffic: test' /\` | $(ms "${median[explain]}"); $(ms "${cpu[explain]}") | the single compile above: $(ms "$s"); $(ms "${cpu[single]}") | $(ratio "${median[explain]}" "$s") of compile | | within 2× of compile | $(yesno "$(awk -v e="${median[explain]}" -v c="$s" 'BEGIN { print (e <= 2 * c) }')") |"
  echo "| batch, 1,000 typical specs, \`-o FILE\` | $(ms "${median[batch1k_file]}") = $(us_per "${median[batch1k_file]}" 1000)/spec; $(us_per "${cpu[batch1k_file]}" 1000)/spec | 1,000 × helm template ≈ $(awk -v h="$h" 'BEGIN { printf "%.1f s", h * 1000 }') | $(ratio "$(awk -v h="$h" 'BEGIN { print h * 1000 }')" "${median[batch1k_file]}") faster | | < 150 µs/spec | $(yesno "$(awk -v p="$per1k" 'BEGIN { print (p < 150e-6) }')") |"
  echo "| batch, 10,000 typical specs, \`-o FILE\` | $(ms "${median[batch10k_file]}") = $(us_per "${median[batch10k_file]}" 10000)/spec; $(us_per "${cpu[batch10k_file]}" 10000)/spec | | | $(mib "${rss_kib[batch10k_file]}") | < 60 µs/spec | $(yesno "$(awk -v p="$per10k" 'BEGIN { print (p < 60e-6) }')") |"
  dir_row() {  # N LABEL KEY: the regenerate row and the new-files row of a batch to a directory
    local n=$1 label=$2 k=$3 rss_col=""
    [ -n "${rss_kib[batch${k}_dir]:-}" ] && rss_col=$(mib "${rss_kib[batch${k}_dir]}")
    echo "| batch, $label specs, \`-o DIR/\`, regenerated over the previous output (unchanged files left alone) | $(ms "${median[batch${k}_dir]}") = $(us_per "${median[batch${k}_dir]}" "$n")/spec; $(us_per "${cpu[batch${k}_dir]}" "$n")/spec | | | $rss_col | < 150 µs/spec | $(yesno "$(awk -v s="${median[batch${k}_dir]}" -v n="$n" 'BEGIN { print (s / n < 150e-6) }')") |"
    echo "| batch, $label specs, \`-o DIR/\` into an empty directory on the disk (ext4; a new file per release: temporary, syncfs, rename) | $(ms "${median[batch${k}_new]}") = $(us_per "${median[batch${k}_new]}" "$n")/spec; $(us_per "${cpu[batch${k}_new]}" "$n")/spec | \`tar -xf\` of the same $label files (no sync): $(ms "${median[batch${k}_tar]}"); $(ms "${cpu[batch${k}_tar]}") | $(ratio "${median[batch${k}_new]}" "${median[batch${k}_tar]}") of tar | | < 150 µs/spec | $(yesno "$(awk -v s="${median[batch${k}_new]}" -v n="$n" 'BEGIN { print (s / n < 150e-6) }')") |"
    if [ -n "${median[batch${k}_shm]:-}" ]; then
      echo "| batch, $label specs, \`-o DIR/\` into an empty directory on tmpfs (/dev/shm) | $(ms "${median[batch${k}_shm]}") = $(us_per "${median[batch${k}_shm]}" "$n")/spec; $(us_per "${cpu[batch${k}_shm]}" "$n")/spec | \`tar -xf\` of the same files there: $(ms "${median[batch${k}_shmtar]}"); $(ms "${cpu[batch${k}_shmtar]}") | $(ratio "${median[batch${k}_shm]}" "${median[batch${k}_shmtar]}") of tar | | < 150 µs/spec | $(yesno "$(awk -v s="${median[batch${k}_shm]}" -v n="$n" 'BEGIN { print (s / n < 150e-6) }')") |"
    fi
  }
  dir_row 1000 1,000 1k
  if [ -n "${median[batch10k_dir]:-}" ]; then dir_row 10000 10,000 10k; fi
  echo "| post-render, $(( input_kib / 1024 )) MiB Helm stream with 4 Releases, piped as Helm does: \`cat F \| meshc post-render\` | $(ms "${median[pr_pipe]}"); $(ms "${cpu[pr_pipe]}") | \`cat F \| cat\`: $(ms "${median[cat_pipe]}"); $(ms "${cpu[cat_pipe]}") | $(ratio "${median[pr_pipe]}" "${median[cat_pipe]}") of cat | $(mib "${rss_kib[pr]}") ($(awk -v r="${rss_kib[pr]}" -v i="$input_kib" 'BEGIN { printf "%.2f", r / i }')× the input) | within 2× of cat | $(yesno "$(awk -v r="$pr_pipe_ratio" 'BEGIN { print (r <= 2) }')") |"
  echo "| post-render, same stream from a file: \`meshc post-render < F\` | $(ms "${median[pr_file]}"); $(ms "${cpu[pr_file]}") | \`cat < F\`: $(ms "${median[cat_file]}"); $(ms "${cpu[cat_file]}"); $(mib "${rss_kib[cat]}") | $(ratio "${median[pr_file]}" "${median[cat_file]}") of cat | | within 2× of cat | $(yesno "$(awk -v r="$pr_file_ratio" 'BEGIN { print (r <= 2) }')") |"
  echo
  echo "Documents that are not Releases come out byte-identical: $passthrough_ok. Instructions (callgrind, deterministic): single compile of the typical spec $instructions, of Iter8's canary values $instructions_iter8, \`meshc --version\` $instructions_version."
  echo
  echo "**Growth with input size** (time and peak RSS at 1×, 10×, 100×; the ratio columns are relative to 1×):"
  echo
  echo "| input | time | time ratio | peak RSS | RSS ratio |"
  echo "|---|---|---|---|---|"
  for n in 100 1000 10000; do
    echo "| compile, one file of $n Release documents, to stdout | $(ms "${median[scale_c$n]}") ($(us_per "${median[scale_c$n]}" "$n")/release) | $(ratio "${median[scale_c$n]}" "${median[scale_c100]}") | $(mib "${rss_kib[scale_c$n]}") | $(ratio "${rss_kib[scale_c$n]}" "${rss_kib[scale_c100]}") |"
  done
  for b in 500000 5000000 50000000; do
    echo "| post-render, $(awk -v b="$b" 'BEGIN { printf "%g MB", b / 1e6 }') stream, 4 Releases | $(ms "${median[scale_p$b]}") | $(ratio "${median[scale_p$b]}" "${median[scale_p500000]}") | $(mib "${rss_kib[scale_p$b]}") | $(ratio "${rss_kib[scale_p$b]}" "${rss_kib[scale_p500000]}") |"
  done
  echo
  echo "**Stages in process** (\`$build_dir/bench/meshc_bench\`, median CPU time of 3 repetitions):"
  echo
  echo "| stage | CPU time |"
  echo "|---|---|"
  awk -F, '$1 ~ /_median"?$/ { name = $1; gsub(/"/, "", name); sub(/_median$/, "", name);
             printf "| %s | %.1f µs |\n", name, ($5 == "ns" ? $4 / 1000 : ($5 == "us" ? $4 : $4 * 1000)) }' \
    "$work/stages.csv"
}

report >"$work/report.md"
cat "$work/report.md"
if [ "$output" != - ]; then
  if [ ! -f "$output" ]; then
    printf '# Benchmarks\n\n<!-- bench:begin -->\n<!-- bench:end -->\n' >"$output"
  fi
  # Replace what is between the markers, keep the rest.
  awk -v report="$work/report.md" '
    /<!-- bench:begin -->/ { print; while ((getline line < report) > 0) print line; skip = 1; next }
    /<!-- bench:end -->/ { skip = 0 }
    !skip { print }' "$output" >"$work/out.md"
  cp "$work/out.md" "$output"
  log "report written to $output"
fi

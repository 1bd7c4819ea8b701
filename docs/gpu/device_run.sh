#!/bin/sh
# Everything issues 11, 13 and 14 need from a lent GPU machine (one NVIDIA
# H200, 16 CPU cores, no network), in ONE device command of at most 9 minutes.
#
#   sh docs/gpu/device_run.sh prepare   # here: bundles, Deno, Vulkan/glvnd debs into .devbin/devrun/ (31 MiB)
#   sh docs/gpu/device_run.sh run       # there: writes at most 8 files into $OUT
#   deno run -A docs/gpu/device_report.ts DIR   # here, on the files that came back
#
# docs/gpu/README.md has the exact device call (command, carry, timeout_s).
#
# Steps, in order of value (a step cut off, or skipped for lack of time, still
# leaves every earlier step's files; each has its own limit, and none starts
# past the total, TOTAL_S, default 540 s):
#
# | step       | issue | what                                                         | limit | H200 estimate |
# |------------|-------|--------------------------------------------------------------|------:|--------------:|
# | preflight  | all   | Deno, the GPU adapter (EXPECT_GPU: the GPU steps are skipped when the adapter's description does not match) | 30 | 5 s |
# | scaling    | 14    | native SIMD engine, gelu/sigmoid/tanh (+ relu, the memory-bound reference), forward and VJP at 2^24, 1,2,4,8,16 threads | 90 | 25 s |
# | conf       | 11    | conformance, full run, tfjs-webgpu + native-webgpu side by side, checked-in device profiles, --write-profile | 150 | 60-90 s |
# | bench20    | 13    | `runBench` at 2^20, every op forward + VJP, native-webgpu beside tfjs-webgpu: every output checked against float64 | 90 | 45-60 s |
# | sweep24    | 13    | device_sweep.ts at 2^24: every op forward + VJP, inputs uploaded once, against the compute-copy floor | 120 | 40-60 s |
# | sweep26    | 13    | the same at 2^26                                             | 150 | 50-80 s |
# | confnoprof | 11    | conformance --quick without any device profile: must fail, naming its deviation classes | 75 | 30-45 s |
# | native     | 14    | the `native` backend as users get it (NONLIN_NATIVE_THREADS unset: all cores, capped at 16) at 2^24 | 45 | 15-25 s |
# | bench24    | 13    | `runBench` at 2^24 (every cell read back and checked), most used ops first, for the rest of the time: a second measurement of the sweep's cells | rest | - |
# | report     | all   | device_report.js: the three issues' tables into report.md, printed last | 20 | 2 s |
#
# How the budget was set (measured, not guessed, where possible):
# - The H200 run of 2026-12-04 (docs/gpu/h200_2026-12-04): scaling of 3 ops
#   with 5 repetitions took 17 s; the full conformance run took 23 s for
#   native-webgpu and 34 s for tfjs-webgpu one after the other (40 parameter
#   sets then, 59 now; the two backends now run side by side); `deno task
#   bench` did 34 cells (relu, sigmoid, gelu at 2^20, 2^24, 2^26, two
#   backends) in its 200 s limit: about 3 s per cell at 2^24 and 12 s at
#   2^26, fitted to those counts. Each bench cell uploads its inputs, reads
#   back its whole output and checks it on the host: at 2^26, 256-768 MB.
#   Every op at 2^24 and 2^26 that way (192 cells) would take 30+ minutes.
# - Here (2 shared cores): the float64 reference and the check of every op,
#   forward and VJP, cost 8.4 s at 2^22 on the host CPU whatever the GPU
#   (about 34 s at 2^24, 135 s at 2^26 for the 48 op/mode pairs); a 64 MB
#   read-back took 0.45 s (native-webgpu) and 0.7-1.1 s (tfjs-webgpu) through
#   Vulkan llvmpipe; the fixed cost of one timed cell (slope of k and 2k
#   calls, completion latency ~11 ms) was 0.35 s at tiny sizes.
# - So: every op is checked at 2^20 by the bench itself (small reads), and
#   timed at 2^24 and 2^26 by device_sweep.ts, which uploads the inputs once
#   per size and reads back only relu's forward and leakyRelu's VJP there
#   (96 cells per size at ~0.4 s). The checked bench at 2^24 runs last, as
#   far as time allows. What no step reached is listed by device_report.ts
#   as "not measured"; a second call can run it with STEPS=... OPS=....
# - The end-to-end test on llvmpipe here (small sizes, see docs/gpu/README.md)
#   checks the plumbing, not these times: llvmpipe is 100-1000x slower.
#
# Files in $OUT (at most 8 come back from the device machine):
#   run.log                  machine facts, each step's start, exit and time
#   scaling.json             issue 14: ScalingCell[] (adapters/native/scaling_bench.ts)
#   conformance.json         issue 11: the run with the device profiles
#   profile.json             issue 11: what failed there, as ledger entries to review
#   conformance_noprofile.json  issue 11: the run without device profiles
#   bench.jsonl              issue 13 (+ the native backend pass): device_bench.ts and
#                            device_sweep.ts events, line by line
#   logs.tgz                 every step's log, the Markdown reports, the no-profile
#                            run's profile; refreshed after each step
#   report.md                device_report.ts's tables
#
# Environment for `run`: OUT (default out/device), TOTAL_S (540), EXPECT_GPU
# (a grep -E pattern the adapter description must match, e.g. NVIDIA; default:
# any adapter), STEPS (default: all of the table, in its order), OPS (the bench
# ops, comma-separated; default every op, most used first), S20, S24, S26 (the
# bench sizes, default 2^20, 2^24, 2^26), SCALING_SIZE (2^24), THREADS
# (1,2,4,8,16), CONF_MODE (default: the full run; --quick for the quick one),
# CONF_OPS (space-separated ops for both conformance steps; default every op),
# USE_DEVBIN_DENO=1 (use the carried Deno even when one is on PATH).
set -u
cd "$(dirname "$0")/../.."
D=.devbin/devrun
MIB=1048576

prepare() {
  set -e
  command -v deno > /dev/null || { echo "prepare: deno is not on PATH" >&2; exit 1; }
  version=$(deno --version | head -1)
  mkdir -p "$D"
  # Deno's xz (about 1 min to make) is kept while the version matches;
  # everything else in the folder belongs to this script and is rebuilt.
  [ "$(cat "$D/deno.version" 2> /dev/null)" = "$version" ] || rm -f "$D/deno.xz"
  find "$D" -mindepth 1 -maxdepth 1 ! -name deno.xz ! -name deno.version -exec rm -rf {} +
  # The bundles share most of their code (tfjs, the engine): one tar.xz with
  # xz's 64 MiB window stores it once (1 MiB for 30 MiB of bundles).
  b=$(mktemp -d)
  deno bundle --quiet --platform deno -o "$b/conformance.js" conformance/main.ts
  # conformance.js starts its worker by this name, beside itself.
  deno bundle --quiet --platform deno -o "$b/_worker.ts" conformance/_worker.ts
  deno bundle --quiet --platform deno -o "$b/device_bench.js" docs/gpu/device_bench.ts
  deno bundle --quiet --platform deno -o "$b/device_sweep.js" docs/gpu/device_sweep.ts
  deno bundle --quiet --platform deno -o "$b/scaling.js" adapters/native/scaling_bench.ts
  deno bundle --quiet --platform deno -o "$b/device_report.js" docs/gpu/device_report.ts
  tar -C "$b" -cf - . | xz -9e -T1 > "$D/bundles.tar.xz"
  rm -rf "$b"
  if [ ! -f "$D/deno.xz" ]; then
    bin=$(readlink -f "$(command -v deno)")
    # An older prepare's .devbin/deno.xz serves if it holds this very binary.
    if [ -f .devbin/deno.xz ] &&
      [ "$(xz -dc .devbin/deno.xz | sha256sum | cut -d' ' -f1)" = "$(sha256sum < "$bin" | cut -d' ' -f1)" ]; then
      cp .devbin/deno.xz "$D/deno.xz.part"
    else
      xz -9 -T0 -c "$bin" > "$D/deno.xz.part"
    fi
    mv "$D/deno.xz.part" "$D/deno.xz"
    echo "$version" > "$D/deno.version"
  fi
  # The Vulkan loader and libglvnd (the NVIDIA Vulkan driver, libGLX_nvidia,
  # needs libGLdispatch), the packages the device README names: used there
  # only when the machine lacks them.
  mkdir -p "$D/debs"
  (cd "$D/debs" && apt-get download libvulkan1 libglvnd0 libegl1 libgl1 libglx0 libgles2 libopengl0 > ../apt.log 2>&1) || true
  if [ "$(ls "$D"/debs/*.deb 2> /dev/null | wc -l)" -ne 7 ]; then
    cat "$D/apt.log" >&2
    echo "prepare: apt-get download did not bring the 7 packages" >&2
    exit 1
  fi
  rm -f "$D/apt.log"
  {
    git log -1 --format='%H %cI %s' | cut -c1-120
    git status --short --untracked-files=no | sed 's/^/modified: /'
  } > "$D/commit.txt"
  # What travels: the tracked and untracked-not-ignored files, and the carry.
  tree=$(git ls-files -z --cached --others --exclude-standard | xargs -0 du -cb 2> /dev/null | awk '$2 == "total" { s += $1 } END { print s + 0 }')
  carry=$(du -sb "$D" | cut -f1)
  echo "prepare: $D $((carry / MIB)) MiB + working tree $((tree / MIB)) MiB = $(((carry + tree) / MIB)) MiB of the 64 MiB that may travel"
  if [ $((carry + tree)) -gt $((62 * MIB)) ]; then
    echo "prepare: too large to travel (keep 2 MiB spare): remove untracked files or carry less" >&2
    exit 1
  fi
  ls -l "$D"
}

run() {
  OUT=${OUT:-out/device}
  TOTAL_S=${TOTAL_S:-540}
  STEPS=${STEPS:-preflight scaling conf bench20 sweep24 sweep26 confnoprof native bench24 report}
  mkdir -p "$OUT"
  OUT=$(cd "$OUT" && pwd)
  W=$(mktemp -d /tmp/devrun.XXXXXX)
  T0=$(date +%s)
  LOG=$OUT/run.log
  : > "$LOG"
  GPU_OK=1

  if [ ! -f "$D/bundles.tar.xz" ]; then
    echo "run: $D/bundles.tar.xz is missing: run 'sh $0 prepare' here and carry $D" | tee -a "$LOG"
    exit 2
  fi
  B=$W/bin
  mkdir -p "$B"
  xz -dc "$D/bundles.tar.xz" | tar -C "$B" -xf -
  if command -v deno > /dev/null 2>&1 && [ -z "${USE_DEVBIN_DENO:-}" ]; then
    DENO=$(command -v deno)
  else
    DENO=/tmp/nonlin-deno
    [ -x "$DENO" ] || { xz -dc "$D/deno.xz" > "$DENO.part" && chmod +x "$DENO.part" && mv "$DENO.part" "$DENO"; }
  fi
  # Vulkan: the machine's loader and libglvnd where it has them; else the
  # carried Debian packages, extracted under $W and put first on
  # LD_LIBRARY_PATH (nothing is written outside /tmp; CARRIED_LIBS=1 forces
  # it, to test). The NVIDIA driver's manifest is named where the loader does
  # not find it by itself.
  ldc=$(command -v ldconfig || echo /sbin/ldconfig)
  libs=$("$ldc" -p 2> /dev/null)
  carried=no
  if [ -n "${CARRIED_LIBS:-}" ] || ! echo "$libs" | grep -q 'libvulkan\.so\.1 ' ||
    ! echo "$libs" | grep -q 'libGLdispatch\.so\.0 '; then
    for f in "$D"/debs/*.deb; do dpkg-deb -x "$f" "$W/libs"; done
    LD_LIBRARY_PATH="$W/libs/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    export LD_LIBRARY_PATH
    carried="yes, first on LD_LIBRARY_PATH"
  fi
  nv=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
  if [ -f "$nv" ] && ! ls /usr/share/vulkan/icd.d/*nvidia* /etc/vulkan/icd.d/*nvidia* > /dev/null 2>&1; then
    export VK_DRIVER_FILES="$nv" VK_ICD_FILENAMES="$nv"
  fi
  # No network there: no update check, no prompt, a cache of our own (HOME
  # may be unset).
  DENO_DIR=${DENO_DIR:-$W/deno_dir} DENO_NO_UPDATE_CHECK=1 DENO_NO_PROMPT=1
  export DENO_DIR DENO_NO_UPDATE_CHECK DENO_NO_PROMPT
  N="$DENO run --no-config -A"

  {
    echo "device_run.sh run, $(date -u +%FT%TZ), budget $TOTAL_S s, steps: $STEPS"
    echo "bundled from: $(cat "$D/commit.txt" 2> /dev/null)"
    echo "deno: $("$DENO" --version 2>&1 | head -1) ($DENO)"
    echo "cpu: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo 2> /dev/null | cut -d: -f2)"
    echo "memory: $(awk '/MemTotal/ { print int($2 / 1048576) " GiB" }' /proc/meminfo)"
    nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm,power.limit --format=csv,noheader 2> /dev/null | sed 's/^/gpu: /'
    echo "carried Vulkan loader and libglvnd: $carried; VK_DRIVER_FILES=${VK_DRIVER_FILES:-}"
  } >> "$LOG" 2>&1

  for s in $STEPS; do
    case $s in
      preflight) step preflight 30 preflight ;;
      scaling) step scaling 90 $N "$B/scaling.js" --threads "${THREADS:-1,2,4,8,16}" \
        --size "${SCALING_SIZE:-2^24}" --ops gelu,sigmoid,tanh,relu --reps 7 \
        --json "$OUT/scaling.json" ;;
      conf) gpu_step conf 150 conformance "$OUT/conformance.json" "$OUT/profile.json" ${CONF_MODE:-} ;;
      bench20) gpu_step bench20 90 bench "bench-${S20:-2^20}" "${S20:-2^20}" ;;
      sweep24) gpu_step sweep24 120 sweep "sweep-${S24:-2^24}" "${S24:-2^24}" ;;
      sweep26) gpu_step sweep26 150 sweep "sweep-${S26:-2^26}" "${S26:-2^26}" ;;
      confnoprof) gpu_step confnoprof 75 conformance "$OUT/conformance_noprofile.json" \
        "$W/profile_noprofile.json" --quick --ignore-device-profiles ;;
      native) step native 45 env -u NONLIN_NATIVE_THREADS $N "$B/device_bench.js" --jsonl "$OUT/bench.jsonl" \
        --pass "native-${SCALING_SIZE:-2^24}" --backend native --sizes "${SCALING_SIZE:-2^24}" \
        --ops gelu,sigmoid,tanh ;;
      bench24) gpu_step bench24 600 bench "bench-${S24:-2^24}" "${S24:-2^24}" ;;
      report) RESERVE=0; step report 20 $N "$B/device_report.js" "$OUT" --out "$OUT/report.md" \
        --small "${S20:-2^20}" --large "${S24:-2^24},${S26:-2^26}" ;;
      *) echo "unknown step $s" | tee -a "$LOG" ;;
    esac
  done
  pack
  echo "done after $(($(date +%s) - T0)) s; files: $(ls "$OUT" | tr '\n' ' ')" | tee -a "$LOG"
  rm -rf "$W"
  # The reply shows the last 12,000 characters: the report, then the steps.
  [ -f "$OUT/report.md" ] && { echo "----- report.md"; cat "$OUT/report.md"; }
  echo "----- run.log (the steps; the whole log is in \$OUT/run.log)"
  grep -v '^    ' "$LOG"
  return 0
}

# A GPU step runs only when the preflight found the GPU it expects.
gpu_step() {
  if [ "$GPU_OK" != 1 ]; then
    say "$1: skipped (no GPU adapter matching '${EXPECT_GPU:-}')"
    return
  fi
  name=$1 max=$2 kind=$3
  shift 3
  if [ "$kind" = conformance ]; then
    json=$1 profile=$2
    shift 2
    ops=''
    for o in ${CONF_OPS:-}; do ops="$ops --op $o"; done
    # shellcheck disable=SC2086 # $ops and "$@" are lists of flags
    step "$name" "$max" $N "$B/conformance.js" --backend native-webgpu --backend tfjs-webgpu \
      $ops "$@" --json "$json" --md "$W/$name.md" --write-profile "$profile"
  else
    pass=$1 sizes=$2
    # shellcheck disable=SC2086
    step "$name" "$max" $N "$B/device_$kind.js" --jsonl "$OUT/bench.jsonl" --pass "$pass" \
      --backend native-webgpu,tfjs-webgpu --sizes "$sizes" ${OPS:+--ops "$OPS"}
  fi
}

say() { echo "[$(($(date +%s) - T0)) s] $*" | tee -a "$LOG"; }

# step NAME MAX_S COMMAND…: runs COMMAND with the smaller of MAX_S and the time
# left (less RESERVE, default 25 s for the report and packing), its output in
# $W/NAME.log; skipped with under 10 s.
step() {
  name=$1 max=$2
  shift 2
  limit=$((TOTAL_S - ($(date +%s) - T0) - ${RESERVE:-25}))
  [ "$limit" -gt "$max" ] && limit=$max
  if [ "$limit" -lt 10 ]; then
    say "$name: skipped, ${limit} s left"
    return
  fi
  say "$name: start, limit $limit s"
  started=$(date +%s)
  rc=0
  if [ "$name" = preflight ]; then
    preflight > "$W/$name.log" 2>&1 || rc=$?
  else
    timeout -k 5 "$limit" "$@" > "$W/$name.log" 2>&1 || rc=$?
  fi
  note=''
  [ "$rc" = 124 ] && note=' (cut off by its limit)'
  say "$name: exit $rc after $(($(date +%s) - started)) s$note"
  grep -v XDG_RUNTIME_DIR "$W/$name.log" | tail -n 12 | cut -c1-400 | sed 's/^/    /' >> "$LOG"
  pack
}

preflight() {
  cat > "$W/adapter.js" << 'EOF'
const a = await navigator.gpu?.requestAdapter({ powerPreference: "high-performance" });
const i = a?.info;
console.log(JSON.stringify(i ? { vendor: i.vendor, architecture: i.architecture, device: i.device, description: i.description, fallback: i.isFallbackAdapter } : null));
EOF
  adapter=$(timeout 25 $N "$W/adapter.js" 2> "$W/adapter.err")
  echo "adapter: ${adapter:-none} $(grep -v XDG_RUNTIME_DIR "$W/adapter.err" | head -3)" | tee -a "$LOG"
  if [ -z "$adapter" ] || [ "$adapter" = null ] ||
    ! echo "$adapter" | grep -Eq "${EXPECT_GPU:-.}"; then
    GPU_OK=0
    echo "no GPU adapter matching '${EXPECT_GPU:-}': the GPU steps are skipped" | tee -a "$LOG"
    return 3
  fi
}

pack() {
  tar -C "$W" -czf "$W.tgz" --exclude ./bin --exclude ./deno_dir --exclude ./libs --exclude ./adapter.js . 2> /dev/null && mv "$W.tgz" "$OUT/logs.tgz"
}

case "${1:-run}" in
  prepare) prepare ;;
  run) run ;;
  *)
    echo "usage: $0 prepare|run" >&2
    exit 2
    ;;
esac

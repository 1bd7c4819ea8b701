#!/bin/sh
# native-webgpu on a real GPU: conformance (JSON + Markdown) and the resident
# benchmark of native-webgpu beside tfjs-webgpu against the compute-copy
# floor, in about 6 minutes.
#
#   sh docs/gpu/native_webgpu_run.sh prepare   # here: bundles, Deno, Vulkan loader into .devbin/
#   sh docs/gpu/native_webgpu_run.sh run       # there: writes into $OUT (default out/gpu)
#
# The GPU machine has no network: the scripts travel as `deno bundle`
# outputs (tfjs-wasm is never loaded there: a bundled tfjs-wasm fails with
# __dirname), Deno as .devbin/deno.xz and Debian's Vulkan loader as
# .devbin/libvulkan.so.1. Environment for `run`: OUT, SIZES (default
# 2^20,2^24,2^26), OPS (default relu,sigmoid,gelu), CONF_MODE (default
# --quick; empty for the full suite, which took 90 s on llvmpipe here), CONF_S
# and BENCH_S (the time limits of the two steps, default 150 and 210 seconds;
# a step cut off by its limit writes no JSON).
#
# The conformance step also writes $OUT/profile_native_webgpu.json
# (--write-profile): what failed on that device, as ledger entries to review
# and check in (conformance/ledger.ts, conformance/devices.ts); on NVIDIA,
# expect the flushToZero class (subnormal inputs flushed in float arithmetic
# for the double-f32 families; the bit families and the split-input ones
# keep them).
#
# Tested unmodified on llvmpipe (2026-12-04):
#   OUT=/tmp/gpu_out SIZES=2^16 OPS=relu,gelu sh docs/gpu/native_webgpu_run.sh run
# To hand it to a GPU machine, carry .devbin (about 47 MiB) with the tree.
set -eu
cd "$(dirname "$0")/../.."
D=.devbin

prepare() {
  mkdir -p "$D"
  deno bundle --platform deno -o "$D/conformance.js" conformance/main.ts
  deno bundle --platform deno -o "$D/_worker.ts" conformance/_worker.ts
  deno bundle --platform deno -o "$D/bench.js" packages/bench/main.ts
  [ -f "$D/deno.xz" ] || xz -9 -c "$(readlink -f "$(command -v deno)")" > "$D/deno.xz"
  [ -f "$D/libvulkan.so.1" ] || cp -L /usr/lib/x86_64-linux-gnu/libvulkan.so.1 "$D/"
  du -sh "$D"
}

run() {
  OUT=${OUT:-out/gpu}
  SIZES=${SIZES:-2^20,2^24,2^26}
  OPS=${OPS:-relu,sigmoid,gelu}
  mkdir -p "$OUT"
  if command -v deno > /dev/null 2>&1 && [ -z "${USE_DEVBIN_DENO:-}" ]; then
    DENO=$(command -v deno)
  else
    DENO=/tmp/nonlin-deno
    [ -x "$DENO" ] || { xz -dc "$D/deno.xz" > "$DENO" && chmod +x "$DENO"; }
  fi
  if [ -f "$D/libvulkan.so.1" ]; then
    LD_LIBRARY_PATH="$PWD/$D${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    export LD_LIBRARY_PATH
  fi
  echo "deno: $("$DENO" --version | head -1); sizes $SIZES; ops $OPS" | tee "$OUT/run.log"
  start=$(date +%s)
  rc=0
  timeout "${CONF_S:-150}" "$DENO" run --no-config -A "$D/conformance.js" \
    --backend native-webgpu --require native-webgpu ${CONF_MODE---quick} \
    --json "$OUT/conformance_native_webgpu.json" \
    --md "$OUT/conformance_native_webgpu.md" \
    --write-profile "$OUT/profile_native_webgpu.json" \
    > "$OUT/conformance_native_webgpu.log" 2>&1 || rc=$?
  echo "conformance: exit $rc after $(($(date +%s) - start)) s" | tee -a "$OUT/run.log"
  tail -5 "$OUT/conformance_native_webgpu.log"
  rc=0
  timeout "${BENCH_S:-210}" "$DENO" run --no-config -A "$D/bench.js" \
    --backend native-webgpu,tfjs-webgpu --ops "$OPS" --modes forward,vjp \
    --sizes "$SIZES" --resident-only \
    --json "$OUT/bench_native_webgpu.json" --md "$OUT/bench_native_webgpu.md" \
    > "$OUT/bench_native_webgpu.log" 2>&1 || rc=$?
  echo "bench: exit $rc after $(($(date +%s) - start)) s" | tee -a "$OUT/run.log"
  tail -25 "$OUT/bench_native_webgpu.log"
}

case "${1:-run}" in
  prepare) prepare ;;
  run) run ;;
  *) echo "usage: $0 prepare|run" >&2; exit 2 ;;
esac

/**
 * The WebAssembly SIMD kernel set: the module of `_module.ts` instantiated
 * over its own memory, with the {@linkcode KernelSet} interface of
 * `../_kernels.ts` on top. Arrays that are views of that memory (resident
 * tensors allocated by its {@linkcode Heap}) are passed as pointers, with no
 * copy; any other Float32Array is copied into a scratch block first and the
 * result copied out. Vectors holding NaN or ±∞ that a loop recorded are
 * finished by the JavaScript kernels, element by element.
 *
 * @module
 */

import type { OpName } from "@nonlin/core";
import type {
  KernelArgs,
  KernelSet,
  OpKernel,
  ParamGradients,
} from "../_kernels.ts";
import { jsKernels } from "../_js_kernels.ts";
import { Block, Heap } from "./_heap.ts";
import {
  buildKernelModule,
  HEAP_BASE,
  type Loop,
  RECORD_CAPACITY,
  RECORD_SIZE,
  RECORDS,
  SUMS,
} from "./_module.ts";
import { POOL_BASE } from "./_vmath.ts";
import { type KernelDef, kernelDefs } from "./_ops.ts";

type Kernel = (...args: number[]) => number;

/** A loaded SIMD kernel set and the heap its tensors live in. */
export interface SimdKernels {
  /** The kernel set, named `"wasm-simd"`. */
  readonly kernels: KernelSet;
  /** The allocator of the kernels' memory. */
  readonly heap: Heap;
  /** Whether a·b + c runs as a fused multiply–add (relaxed SIMD). */
  readonly fma: boolean;
}

/** Options of {@linkcode loadSimdKernels}. */
export interface LoadOptions {
  /**
   * Use relaxed SIMD's multiply–add where the runtime has it.
   * @default false
   */
  readonly fma?: boolean;
}

/** Whether this runtime validates WebAssembly SIMD (and relaxed SIMD). */
export function simdSupport(): { simd: boolean; relaxed: boolean } {
  if (typeof WebAssembly !== "object") return { simd: false, relaxed: false };
  // (func (result v128) v128.const 0) and the same with f64x2.relaxed_madd.
  const probe = (body: number[]) =>
    WebAssembly.validate(
      new Uint8Array([
        0x00,
        0x61,
        0x73,
        0x6d,
        1,
        0,
        0,
        0, // header
        1,
        5,
        1,
        0x60,
        0,
        1,
        0x7b, // type () → v128
        3,
        2,
        1,
        0, // one function of type 0
        10,
        body.length + 2,
        1,
        body.length,
        ...body,
      ]),
    );
  const zero = [0xfd, 0x0c, ...new Array(16).fill(0)];
  const simd = probe([0, ...zero, 0x0b]);
  const relaxed = simd &&
    probe([0, ...zero, ...zero, ...zero, 0xfd, 0x87, 0x02, 0x0b]);
  return { simd, relaxed };
}

/**
 * Builds, compiles and instantiates the kernels.
 *
 * @throws {Error} Where WebAssembly SIMD is not available (check
 * {@linkcode simdSupport} first).
 */
export async function loadSimdKernels(
  options: LoadOptions = {},
): Promise<SimdKernels> {
  const support = simdSupport();
  if (!support.simd) {
    throw new Error("This runtime has no WebAssembly SIMD");
  }
  const fma = (options.fma ?? false) && support.relaxed;
  const built = buildKernelModule({ fma });
  const memory = new WebAssembly.Memory({ initial: 2 });
  new Uint8Array(memory.buffer).set(built.pool, POOL_BASE);
  const module = await WebAssembly.compile(built.bytes);
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  const heap = new Heap(memory, HEAP_BASE);
  const exports = instance.exports as Record<string, Kernel>;
  return { kernels: createKernelSet(exports, heap, fma), heap, fma };
}

/**
 * The arrays of one call in the heap. Every array's ownership is decided
 * before anything is allocated: an allocation may grow the memory, which
 * detaches the caller's views of it (their pointers stay valid).
 */
class Placement {
  readonly #heap: Heap;
  readonly #temps: number[] = [];
  readonly #outs: [Float32Array, number][] = [];

  constructor(heap: Heap) {
    this.#heap = heap;
  }

  /** The heap pointer of a view of the heap, or −1. */
  static pointer(heap: Heap, a: Float32Array): number {
    return heap.owns(a) ? a.byteOffset : -1;
  }

  /** `ptr` if ≥ 0, else a scratch block holding a copy of `a`. */
  input(a: Float32Array, ptr: number): number {
    if (ptr >= 0) return ptr;
    const p = this.scratch(4 * a.length);
    this.#heap.f32.set(a, p >>> 2);
    return p;
  }

  /**
   * `ptr` if ≥ 0, else `reuse` (an input's scratch, computed in place) if ≥ 0,
   * else a new scratch block; a host array is copied out by `finish`.
   */
  output(a: Float32Array, ptr: number, reuse = -1): number {
    if (ptr >= 0) return ptr;
    const p = reuse >= 0 ? reuse : this.scratch(4 * a.length);
    this.#outs.push([a, p]);
    return p;
  }

  /** A scratch block freed by `finish`. */
  scratch(bytes: number): number {
    const p = this.#heap.alloc(bytes);
    this.#temps.push(p);
    return p;
  }

  /** Copies host outputs out and frees the scratch. */
  finish(): void {
    const f32 = this.#heap.f32;
    for (const [a, p] of this.#outs) {
      a.set(f32.subarray(p >>> 2, (p >>> 2) + a.length));
    }
    for (const p of this.#temps) this.#heap.free(p);
  }
}

const f32Bits = new Float32Array(1);
const i32Bits = new Int32Array(f32Bits.buffer);

/** The next float32 after `v` towards +∞ (`v` a float32). */
function nextUp(v: number): number {
  if (v !== v || v === Infinity) return v;
  if (v === 0) return 2 ** -149;
  f32Bits[0] = v;
  i32Bits[0]! += v > 0 ? 1 : -1;
  return f32Bits[0]!;
}

/** The next float32 after `v` towards −∞ (`v` a float32). */
function nextDown(v: number): number {
  return -nextUp(-v);
}

/** One kernel family's compiled loops. */
interface Family {
  readonly def: KernelDef;
  readonly loops: Readonly<Record<Loop, Kernel>>;
}

/** Which family an op's loop runs, with what scalar arguments. */
interface Plan {
  readonly family: Family;
  readonly params: readonly number[];
  /** Multiplies each learned-parameter sum (softplus: 1/β²). */
  readonly sumScale: number;
}

function num(args: KernelArgs, name: string): number {
  return args.params[name] as number;
}

/** Calls a loop with its pointers and scalar arguments, without spreading. */
function invoke(
  fn: Kernel,
  ptrs: number[],
  n: number,
  p: readonly number[],
): number {
  const [a, b, c] = ptrs;
  if (ptrs.length === 2) {
    switch (p.length) {
      case 0:
        return fn(a!, b!, n);
      case 1:
        return fn(a!, b!, n, p[0]!);
      case 2:
        return fn(a!, b!, n, p[0]!, p[1]!);
      default:
        return fn(a!, b!, n, p[0]!, p[1]!, p[2]!, p[3]!);
    }
  }
  switch (p.length) {
    case 0:
      return fn(a!, b!, c!, n);
    case 1:
      return fn(a!, b!, c!, n, p[0]!);
    case 2:
      return fn(a!, b!, c!, n, p[0]!, p[1]!);
    default:
      return fn(a!, b!, c!, n, p[0]!, p[1]!, p[2]!, p[3]!);
  }
}

function createKernelSet(
  exports: Record<string, Kernel>,
  heap: Heap,
  fma: boolean,
): KernelSet {
  const families: Record<string, Family> = {};
  for (const [name, def] of Object.entries(kernelDefs)) {
    const loops = {} as Record<Loop, Kernel>;
    for (
      const loop of [
        "forward",
        "derivative",
        "secondDerivative",
        "vjp",
      ] as const
    ) {
      loops[loop] = exports[`${name}_${loop}`]!;
    }
    families[name] = { def, loops };
  }
  const ops = {} as Record<OpName, OpKernel>;
  for (const op of Object.keys(jsKernels.ops) as OpName[]) {
    ops[op] = opKernel(op, families, exports, heap);
  }
  return Object.freeze({
    name: "wasm-simd",
    simd: true,
    ops: Object.freeze(ops),
    allocate: (length: number) => new Block(heap, length),
    properties: Object.freeze({
      fma,
      memory: "WebAssembly linear memory",
    }),
  });
}

/** The plans of one op: how its arguments choose a family. */
function planner(
  op: OpName,
  families: Record<string, Family>,
): (loop: Loop, args: KernelArgs) => Plan {
  const fixed = (family: string, params: readonly number[] = []): Plan => ({
    family: families[family]!,
    params,
    sumScale: 1,
  });
  switch (op) {
    case "leakyRelu":
    case "prelu": {
      const relu = fixed("relu");
      return (loop, args) => {
        const a = op === "prelu" ? args.alpha!.values[0]! : num(args, "alpha");
        // With α = 0, relu's forward gives 0 at −∞ rather than 0·∞.
        if (a === 0 && loop === "forward") return relu;
        return { family: families.leakyRelu!, params: [a], sumScale: 1 };
      };
    }
    case "hardTanh":
      return (_loop, args) => {
        const min = num(args, "min");
        const max = num(args, "max");
        const lo = Math.fround(min);
        const hi = Math.fround(max);
        return fixed("hardTanh", [
          lo,
          hi,
          lo > min ? lo : nextUp(lo),
          hi <= max ? hi : nextDown(hi),
        ]);
      };
    case "softplus":
      return (_loop, args) => {
        const b = num(args, "beta");
        return {
          family: families.softplus!,
          params: [b, num(args, "threshold")],
          sumScale: 1 / (b * b),
        };
      };
    case "gelu": {
      const none = fixed("gelu");
      const tanh = fixed("geluTanh");
      return (_loop, args) => args.params.approximate === "tanh" ? tanh : none;
    }
    case "silu": {
      const plan = fixed("silu", [1]);
      return () => plan;
    }
    default: {
      const names = kernelDefs[op]!.params;
      if (names.length === 0) {
        const plan = fixed(op);
        return () => plan;
      }
      return (_loop, args) => fixed(op, names.map((name) => num(args, name)));
    }
  }
}

function opKernel(
  op: OpName,
  families: Record<string, Family>,
  exports: Record<string, Kernel>,
  heap: Heap,
): OpKernel {
  const js = jsKernels.ops[op];
  const planFor = planner(op, families);
  const one = new Float32Array(1);
  const oneDy = new Float32Array(1);
  const oneOut = new Float32Array(1);

  function elementwise(
    loop: "forward" | "derivative" | "secondDerivative",
    x: Float32Array,
    y: Float32Array,
    args: KernelArgs,
  ): void {
    const n = x.length;
    if (n === 0) return;
    if (op === "prelu" && !scalarAlpha(args) && loop !== "secondDerivative") {
      return preluGather(heap, exports, loop, x, null, y, null, args);
    }
    const plan = planFor(loop, args);
    const fn = plan.family.loops[loop];
    const buffer = heap.buffer;
    if (x.buffer === buffer && y.buffer === buffer) {
      // Resident: the loop runs on the tensors in place.
      const count = invoke(fn, [x.byteOffset, y.byteOffset], n, plan.params);
      if (count !== 0) {
        finishRecords(
          loop,
          fn,
          plan,
          x.byteOffset,
          y.byteOffset,
          n,
          count,
          args,
        );
      }
      return;
    }
    const xp = Placement.pointer(heap, x);
    const yp = Placement.pointer(heap, y);
    const place = new Placement(heap);
    const px = place.input(x, xp);
    const py = place.output(y, yp, xp < 0 ? px : -1);
    const count = invoke(fn, [px, py], n, plan.params);
    if (count !== 0) finishRecords(loop, fn, plan, px, py, n, count, args);
    place.finish();
  }

  /** Redoes recorded non-finite elements in JavaScript, resuming the loop after a full record. */
  function finishRecords(
    loop: "forward" | "derivative" | "secondDerivative",
    fn: Kernel,
    plan: Plan,
    px: number,
    py: number,
    n: number,
    count: number,
    args: KernelArgs,
  ): void {
    let from = 0;
    for (;;) {
      const last = patch(count, from, n, (e, xv) => {
        one[0] = xv;
        js[loop](one, oneOut, args);
        heap.f32[(py >>> 2) + e] = oneOut[0]!;
      });
      if (count < RECORD_CAPACITY || last + 4 >= n) return;
      from = last + 4;
      count = invoke(fn, [px + 4 * from, py + 4 * from], n - from, plan.params);
      if (count === 0) return;
    }
  }

  function vjp(
    x: Float32Array,
    dy: Float32Array,
    dx: Float32Array,
    dparams: ParamGradients,
    args: KernelArgs,
  ): void {
    const n = x.length;
    if (n === 0) return;
    if (op === "prelu" && !scalarAlpha(args)) {
      return preluGather(heap, exports, "vjp", x, dy, dx, dparams, args);
    }
    const plan = planFor("vjp", args);
    const fn = plan.family.loops.vjp;
    const grads = plan.family.def.grads;
    const buffer = heap.buffer;
    let place: Placement | undefined;
    let px = x.byteOffset;
    let pdy = dy.byteOffset;
    let pdx = dx.byteOffset;
    if (x.buffer !== buffer || dy.buffer !== buffer || dx.buffer !== buffer) {
      const xp = Placement.pointer(heap, x);
      const dyp = Placement.pointer(heap, dy);
      const dxp = Placement.pointer(heap, dx);
      place = new Placement(heap);
      px = place.input(x, xp);
      pdy = place.input(dy, dyp);
      pdx = place.output(dx, dxp, dyp < 0 ? pdy : -1);
    }
    let from = 0;
    for (;;) {
      const count = invoke(
        fn,
        [px + 4 * from, pdy + 4 * from, pdx + 4 * from],
        n - from,
        plan.params,
      );
      for (let j = 0; j < grads.length; j++) {
        dparams[grads[j]!]![0]! += heap.f64At(SUMS + 8 * j) * plan.sumScale;
      }
      if (count === 0) break;
      const last = patch(count, from, n, (e, xv, dyv) => {
        one[0] = xv;
        oneDy[0] = dyv;
        const sums: Record<string, Float64Array> = {};
        for (const g of grads) sums[g] = new Float64Array(1);
        js.vjp(one, oneDy, oneOut, sums, args);
        heap.f32[(pdx >>> 2) + e] = oneOut[0]!;
        for (const g of grads) dparams[g]![0]! += sums[g]![0]!;
      });
      if (count < RECORD_CAPACITY || last + 4 >= n) break;
      from = last + 4;
    }
    place?.finish();
  }

  return {
    forward(x, y, args) {
      elementwise("forward", x, y, args);
    },
    derivative(x, d, args) {
      elementwise("derivative", x, d, args);
    },
    secondDerivative(x, d2, args) {
      elementwise("secondDerivative", x, d2, args);
    },
    vjp,
  };

  /**
   * Calls `redo(element, x, dy)` for each non-finite element of the first
   * `count` records (indices relative to `from`), and returns the last
   * record's vector index (absolute).
   */
  function patch(
    count: number,
    from: number,
    n: number,
    redo: (e: number, x: number, dy: number) => void,
  ): number {
    const view = new DataView(heap.buffer);
    let last = from;
    for (let r = 0; r < count; r++) {
      const base = RECORDS + RECORD_SIZE * r;
      const start = from + view.getInt32(base, true);
      last = start;
      for (let j = 0; j < 4 && start + j < n; j++) {
        const xv = view.getFloat32(base + 16 + 4 * j, true);
        if (Number.isFinite(xv)) continue;
        redo(start + j, xv, view.getFloat32(base + 32 + 4 * j, true));
      }
    }
    return last;
  }
}

/** Whether prelu's α is one value for every element. */
function scalarAlpha(args: KernelArgs): boolean {
  const a = args.alpha!;
  return a.index === null && a.values.length === 1;
}

/** prelu with α per element or broadcast through an index map. */
function preluGather(
  heap: Heap,
  exports: Record<string, Kernel>,
  loop: "forward" | "derivative" | "vjp",
  x: Float32Array,
  dy: Float32Array | null,
  out: Float32Array,
  dparams: ParamGradients | null,
  args: KernelArgs,
): void {
  const n = x.length;
  const { values, index } = args.alpha!;
  const xp = Placement.pointer(heap, x);
  const dyp = dy === null ? -1 : Placement.pointer(heap, dy);
  const outp = Placement.pointer(heap, out);
  const place = new Placement(heap);
  const px = place.input(x, xp);
  const pdy = dy === null ? -1 : place.input(dy, dyp);
  const pout = place.output(
    out,
    outp,
    dy === null ? (xp < 0 ? px : -1) : (dyp < 0 ? pdy : -1),
  );
  // α as float64, index and sums padded to whole vectors (padding zeroed).
  const alphaLength = values.length;
  const alphaPtr = place.scratch(8 * (alphaLength + 4));
  new Float64Array(heap.memory.buffer, alphaPtr, alphaLength + 4).fill(0).set(
    values,
  );
  const call: number[] = loop === "vjp"
    ? [px, pdy, pout, n, alphaPtr]
    : [px, pout, n, alphaPtr];
  if (index !== null) {
    const indexPtr = place.scratch(4 * (n + 4));
    new Int32Array(heap.memory.buffer, indexPtr, n + 4).fill(0).set(index);
    call.push(indexPtr);
  }
  let sumsPtr = -1;
  if (loop === "vjp") {
    sumsPtr = place.scratch(8 * (alphaLength + 4));
    new Float64Array(heap.memory.buffer, sumsPtr, alphaLength + 4).fill(0);
    call.push(sumsPtr);
  }
  const family = index === null ? "preluEach" : "preluIndexed";
  exports[`${family}_${loop}`]!(...call);
  if (loop === "vjp") {
    const sums = new Float64Array(heap.memory.buffer, sumsPtr, alphaLength);
    const g = dparams!.alpha!;
    for (let k = 0; k < alphaLength; k++) g[k]! += sums[k]!;
  }
  place.finish();
}

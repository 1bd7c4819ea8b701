/**
 * Builds the kernel module: for every kernel family of `_ops.ts` the four
 * loops (forward, derivative, second derivative, fused VJP) and prelu's
 * loops with α gathered per element, over one imported linear memory.
 *
 * Memory below {@linkcode HEAP_BASE} is the module's own: the constant
 * pool, and for each instance (the main thread's, a worker's) a scratch area
 * at the address it imports as `env.scratch`, with the tail vectors, the
 * VJP sums and the record of vectors holding non-finite inputs. Every loop walks its arrays one v128 (four float32) at a
 * time; the last n mod 4 elements are copied into zeroed scratch vectors,
 * run through the same code and copied back, so arrays need no padding and
 * any Float32Array view of the memory can be passed directly.
 *
 * Calling convention (all pointers are byte offsets into the memory):
 * - `NAME_forward`, `NAME_derivative`, `NAME_secondDerivative`:
 *   `(x, y, n, ...params) → records`
 * - `NAME_vjp`: `(x, dy, dx, n, ...params) → records`; the sum of each
 *   learned-parameter term is stored as a float64 at `scratch + SUMS + 8·i`.
 * - `records`: for the loops a family delegates (see `_ops.ts`), how many
 *   vectors holding NaN or ±∞ were recorded at `scratch + RECORDS` (48 bytes
 *   each: the element index as i32, then x and dy as v128); the loop stops
 *   after {@linkcode RECORD_CAPACITY} of them and the caller resumes after
 *   the last recorded vector. Otherwise 0.
 * - `NAME_LOOP_finite`: the same loop without that check, for inputs that
 *   `scan(x, n) → 0|1` found finite (checking each vector inside a
 *   transcendental loop costs more than one separate read of x).
 *
 * @module
 */

import {
  demotePairF64x2,
  type Expr,
  F32x4,
  F64,
  F64x2,
  type Fn,
  globalI32,
  I32,
  i32,
  I32x4,
  I8x16,
  type Local,
  ModuleBuilder,
  promoteHighF32x4,
  V128,
  type ValType,
} from "./_asm.ts";
import {
  ConstPool,
  type Group,
  K,
  KGroup,
  POOL_BASE,
  POOL_BYTES,
  type V,
} from "./_vmath.ts";
import {
  type Float32Vjp,
  type KernelDef,
  kernelFamilies,
  type Loop,
  type Params,
  type Unary,
} from "./_ops.ts";

/** A float32 loop body: elementwise, or a VJP's. */
type Float32Body = Unary | Float32Vjp;

// Offsets in an instance's scratch area.
/** Scratch vectors for the tail: x, dy, y (or dx). */
export const TAIL_X = 0;
export const TAIL_DY = 16;
export const TAIL_OUT = 32;
/** The VJP's parameter-gradient sums, float64. */
export const SUMS = 64;
/** The record of vectors with non-finite inputs. */
export const RECORDS = 128;
/** Bytes per record. */
export const RECORD_SIZE = 48;
/** Records per call before the loop stops. */
export const RECORD_CAPACITY = 64;
/** Bytes of one instance's scratch area. */
export const SCRATCH_BYTES = 4096;
/** The main thread instance's scratch; workers' follow, one area each. */
export const SCRATCH_BASE = POOL_BASE + POOL_BYTES;
/** The first byte the allocator may hand out. */
export const HEAP_BASE = 65536;

/** The scratch address of instance `k` (0: the main thread's). */
export function scratchOf(k: number): number {
  return SCRATCH_BASE + SCRATCH_BYTES * k;
}

/** `scratch + offset`: an address in this instance's scratch area. */
function scratch(offset: number): Expr<"i32"> {
  return I32.add(globalI32(0), i32(offset));
}

export type { Loop } from "./_ops.ts";

/** The loops, in export order. */
export const loops: readonly Loop[] = [
  "forward",
  "derivative",
  "secondDerivative",
  "vjp",
];

/** What the module builder produces. */
export interface KernelModule {
  /** The binary module. */
  readonly bytes: Uint8Array<ArrayBuffer>;
  /** The constant pool, to be written at {@linkcode POOL_BASE}. */
  readonly pool: Uint8Array;
  /** The exported function names. */
  readonly names: readonly string[];
}

/** Options of {@linkcode buildKernelModule}. */
export interface BuildOptions {
  /**
   * Use relaxed SIMD's fused multiply–add for a·b + c.
   * @default false
   */
  readonly fma?: boolean;
  /**
   * Import the memory as shared, with this maximum in pages (for workers).
   * @default undefined (an ordinary memory)
   */
  readonly sharedMaximum?: number;
}

const LANE0 = [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3];
const EXPONENT = 0x7f800000;

/** Builds the module: every family's four loops and prelu's gathered loops. */
export function buildKernelModule(options: BuildOptions = {}): KernelModule {
  const m = new ModuleBuilder({
    initial: 2,
    globals: ["scratch"],
    ...(options.sharedMaximum === undefined
      ? {}
      : { sharedMaximum: options.sharedMaximum }),
  });
  const pool = new ConstPool();
  const fma = options.fma ?? false;
  for (const [name, def] of kernelFamilies) {
    for (const loop of loops) {
      const delegates = def.delegates.includes(loop);
      familyLoop(m, pool, fma, name, def, loop, delegates);
      // For inputs a scan found finite: no check in the loop.
      if (delegates) familyLoop(m, pool, fma, name, def, loop, false);
    }
  }
  scanLoop(m, pool, fma);
  for (const indexed of [false, true]) {
    for (const loop of ["forward", "derivative", "vjp"] as const) {
      preluLoop(m, pool, fma, indexed, loop);
    }
  }
  return { bytes: m.encode(), pool: pool.bytes(), names: m.names };
}

/**
 * The element loop: `each(o, tail, end, vectors)` per step from byte offset
 * o, the tail last (`tail` its byte count, null in the loop). A step is one
 * vector of four elements, or two (`vectors` 2) with `unroll` 2, where the
 * body computes both at once; the last whole vector of an odd count and the
 * tail are steps of one. The loop runs while o < end (bytes); setting `end`
 * to o + 16 in a step of one stops it after this vector (and skips the tail).
 */
function vectorLoop(
  f: Fn,
  n: Local<"i32">,
  each: (
    o: Local<"i32">,
    tail: Local<"i32"> | null,
    end: Local<"i32">,
    vectors: 1 | 2,
  ) => void,
  unroll: 1 | 2 = 1,
): void {
  const o = f.local("i32");
  const bytes4 = f.let(I32.shl(I32.and(n, i32(-4)), i32(2)));
  const end = f.let(bytes4);
  if (unroll === 2) {
    const bytes8 = f.let(I32.shl(I32.and(n, i32(-8)), i32(2)));
    f.when(I32.gtS(bytes8, i32(0)), () => {
      f.doWhile(
        () => {
          each(o, null, end, 2);
          f.set(o, I32.add(o, i32(32)));
        },
        () => I32.ltS(o, bytes8),
      );
    });
    f.when(I32.ltS(o, bytes4), () => {
      each(o, null, end, 1);
      f.set(o, I32.add(o, i32(16)));
    });
  } else {
    f.when(I32.gtS(bytes4, i32(0)), () => {
      f.doWhile(
        () => {
          each(o, null, end, 1);
          f.set(o, I32.add(o, i32(16)));
        },
        () => I32.ltS(o, end),
      );
    });
  }
  // The tail, only when the loop ran to its end.
  f.when(
    I32.and(I32.eq(o, bytes4), I32.ne(I32.and(n, i32(3)), i32(0))),
    () => {
      const bytes = f.let(I32.shl(I32.and(n, i32(3)), i32(2)));
      each(o, bytes, end, 1);
    },
  );
}

/** Address of byte offset `o` of the array at `base`. */
function at(base: Expr<"i32">, o: Expr<"i32">): Expr<"i32"> {
  return I32.add(base, o);
}

/**
 * Loads the vector at byte `i` (+ `step`) of `base`, or the tail into
 * `scratch`.
 */
function loadVector(
  f: Fn,
  base: Expr<"i32">,
  i: Local<"i32">,
  tail: Local<"i32"> | null,
  offset: number,
  step = 0,
): Local<"v128"> {
  if (tail === null) return f.let(V128.load(at(base, i), step));
  f.storeV128(scratch(offset), V128.bytes(new Uint8Array(16)));
  f.copy(scratch(offset), at(base, i), tail);
  return f.let(V128.load(scratch(offset)));
}

/**
 * Stores `value` at byte `i` (+ `step`) of `base` (through the scratch for
 * the tail).
 */
function storeVector(
  f: Fn,
  base: Expr<"i32">,
  i: Local<"i32">,
  tail: Local<"i32"> | null,
  value: V,
  step = 0,
): void {
  if (tail === null) {
    f.storeV128(at(base, i), value, step);
    return;
  }
  f.storeV128(scratch(TAIL_OUT), value);
  f.copy(at(base, i), scratch(TAIL_OUT), tail);
}

/**
 * If any lane of `x` is NaN or ±∞: records the vector (index, x, dy), counts
 * it, and zeroes those lanes of x and dy so the loop computes only finite
 * values (the caller's JavaScript kernels redo the recorded elements).
 */
function recordNonFinite(
  k: K,
  i: Local<"i32">,
  count: Local<"i32">,
  end: Local<"i32">,
  x: Local<"v128">,
  dy: Local<"v128"> | null,
): void {
  const f = k.f;
  const bad = f.let(I32x4.eq(V128.and(x, k.ci(EXPONENT)), k.ci(EXPONENT)));
  f.when(V128.anyTrue(bad), () => {
    const rec = f.let(
      I32.add(scratch(RECORDS), I32.mul(count, i32(RECORD_SIZE))),
    );
    f.storeI32(rec, I32.shrU(i, i32(2)));
    f.storeV128(rec, x, 16);
    if (dy !== null) f.storeV128(rec, dy, 32);
    f.set(count, I32.add(count, i32(1)));
    // A full record stops the loop after this vector.
    f.when(I32.geS(count, i32(RECORD_CAPACITY)), () => {
      f.set(end, I32.add(i, i32(16)));
    });
    f.set(x, V128.andnot(x, bad));
    if (dy !== null) f.set(dy, V128.andnot(dy, bad));
  });
}

/** The float64 arguments from `first` on, in both f64x2 lanes. */
function splatParams(f: Fn, def: KernelDef, first: number): Params {
  const p: Record<string, Local<"v128">> = {};
  def.params.forEach((name, j) => {
    p[name] = f.let(F64x2.splat(f.param(first + j, "f64")));
  });
  return p;
}

/**
 * A float32 loop's parameters, made from the float64 ones: its family's
 * `float32Params`, or each rounded to float32.
 */
function float32Params(k: K, def: KernelDef, p: Params): Params {
  if (def.float32Params !== undefined) return def.float32Params(k, p);
  const rounded: Record<string, Local<"v128">> = {};
  for (const name of def.params) {
    const d = F32x4.demoteF64x2Zero(p[name]!);
    rounded[name] = k.let(I8x16.shuffle(d, d, LANE0));
  }
  return rounded;
}

/**
 * `scan(x, n) → 1` if any of the n float32 at x is NaN or ±∞, else 0: one
 * read of x, which is cheaper than checking inside a transcendental loop.
 */
function scanLoop(m: ModuleBuilder, pool: ConstPool, fma: boolean): void {
  m.func("scan", ["i32", "i32"], ["i32"], (f) => {
    const k = new K(f, pool, fma);
    const x = f.param(0, "i32");
    const n = f.param(1, "i32");
    const any = f.local("v128");
    vectorLoop(f, n, (o, tail, _end, vectors) => {
      for (let v = 0; v < vectors; v++) {
        const xv = loadVector(f, x, o, tail, TAIL_X, 16 * v);
        f.set(
          any,
          V128.or(
            any,
            I32x4.eq(V128.and(xv, k.ci(EXPONENT)), k.ci(EXPONENT)),
          ),
        );
      }
    }, 2);
    f.ret(V128.anyTrue(any));
  });
}

/**
 * A loop of the family's `float32` over n elements, two vectors a step:
 * no records (a float32 loop delegates nothing); a VJP's parameter terms
 * summed as the float64 loop sums them (`sumTerm`).
 */
function float32Loop(
  k: K,
  def: KernelDef,
  body: Float32Body,
  x: Local<"i32">,
  dyPtr: Local<"i32"> | null,
  out: Local<"i32">,
  n: Local<"i32">,
  p: Params,
): void {
  const f = k.f;
  const sums = sumLocals(f, dyPtr === null ? 0 : def.grads.length);
  vectorLoop(f, n, (i, tail, _end, vectors) => {
    for (let v = 0; v < vectors; v++) {
      const xv = loadVector(f, x, i, tail, TAIL_X, 16 * v);
      let result: V;
      if (dyPtr === null) {
        result = (body as Unary)(k, xv, p);
      } else {
        const dyv = loadVector(f, dyPtr, i, tail, TAIL_DY, 16 * v);
        const r = (body as Float32Vjp)(k, xv, dyv, p);
        const grads = "dx" in r ? r.grads : [];
        if (grads.length !== sums.length) {
          throw new TypeError(`A float32 VJP gave ${grads.length} terms`);
        }
        result = "dx" in r ? r.dx : r;
        grads.forEach((halves, j) =>
          halves.forEach((term, h) => sumTerm(f, sums[j]![2 * v + h]!, term))
        );
      }
      storeVector(f, out, i, tail, result, 16 * v);
    }
  }, 2);
  storeSums(f, sums);
}

/**
 * Four f64x2 accumulators per learned parameter: one per member of a
 * two-vector step, in the order lanes 0–1, 2–3 of the first vector, then
 * of the second (a one-vector step adds into the first two).
 */
function sumLocals(f: Fn, grads: number): Local<"v128">[][] {
  return Array.from(
    { length: grads },
    () => [0, 1, 2, 3].map(() => f.local("v128")),
  );
}

function sumTerm(f: Fn, sum: Local<"v128">, term: V): void {
  f.set(sum, F64x2.add(sum, term));
}

/** Each parameter's four accumulators added, stored at `scratch + SUMS`. */
function storeSums(f: Fn, sums: readonly (readonly Local<"v128">[])[]): void {
  sums.forEach(([a, b, c, d], j) => {
    const total = F64.add(
      F64.add(
        F64.add(F64x2.extractLane(a!, 0), F64x2.extractLane(a!, 1)),
        F64.add(F64x2.extractLane(b!, 0), F64x2.extractLane(b!, 1)),
      ),
      F64.add(
        F64.add(F64x2.extractLane(c!, 0), F64x2.extractLane(c!, 1)),
        F64.add(F64x2.extractLane(d!, 0), F64x2.extractLane(d!, 1)),
      ),
    );
    f.storeF64(scratch(SUMS + 8 * j), total);
  });
}

/**
 * The loop `NAME_LOOP` of a family; with `delegates` false where the family
 * delegates that loop, `NAME_LOOP_finite`, for inputs known to be finite.
 */
function familyLoop(
  m: ModuleBuilder,
  pool: ConstPool,
  fma: boolean,
  name: string,
  def: KernelDef,
  loop: Loop,
  delegates: boolean,
): void {
  const vjp = loop === "vjp";
  const pointers: ValType[] = vjp
    ? ["i32", "i32", "i32", "i32"]
    : ["i32", "i32", "i32"];
  const args: ValType[] = [
    ...pointers,
    ...def.params.map(() => "f64" as const),
  ];
  const finite = !delegates && def.delegates.includes(loop);
  m.func(`${name}_${loop}${finite ? "_finite" : ""}`, args, ["i32"], (f) => {
    const k = new K(f, pool, fma);
    const x = f.param(0, "i32");
    const dyPtr = vjp ? f.param(1, "i32") : null;
    const out = f.param(vjp ? 2 : 1, "i32");
    const n = f.param(vjp ? 3 : 2, "i32");
    const p = splatParams(f, def, pointers.length);
    // On float32 lanes: for the call's parameters, or always.
    const float32 = (body: Float32Body) => {
      float32Loop(k, def, body, x, dyPtr, out, n, float32Params(k, def, p));
      f.ret(i32(0));
    };
    const guarded = loop === "vjp" ? undefined : def.float32When?.[loop];
    if (guarded !== undefined) {
      f.when(guarded.when(k, p), () => float32(guarded.body));
    }
    const body = def.float32[loop];
    if (body !== undefined) return float32(body);
    const count = f.local("i32");
    const sums = sumLocals(f, vjp ? def.grads.length : 0);
    vectorLoop(f, n, (i, tail, end, vectors) => {
      const xs: Local<"v128">[] = [];
      const dys: Local<"v128">[] = [];
      for (let v = 0; v < vectors; v++) {
        xs.push(loadVector(f, x, i, tail, TAIL_X, 16 * v));
        if (dyPtr !== null) {
          dys.push(loadVector(f, dyPtr, i, tail, TAIL_DY, 16 * v));
        }
      }
      if (delegates) {
        recordNonFinite(k, i, count, end, xs[0]!, dys[0] ?? null);
      }
      // The halves of every vector of the step, computed side by side.
      const g = new KGroup(k, 2 * vectors);
      const gp: Record<string, Group> = {};
      for (const name of def.params) gp[name] = g.splat(p[name]!);
      const halves = (vs: Local<"v128">[]) =>
        g.let(
          vs.flatMap((v) => [F64x2.promoteLowF32x4(v), promoteHighF32x4(v)]),
        );
      const xg = halves(xs);
      let result: Group;
      const slope = def.tuned.derivative;
      if (vjp && slope !== undefined && def.grads.length === 0) {
        // A tuned derivative gives the VJP: dx = dy·f′.
        result = g.let(g.mul(halves(dys), slope(g, xg, gp)));
      } else if (vjp) {
        const r = def.definition.vjp(g, xg, halves(dys), gp);
        result = g.let(r.dx);
        r.grads.forEach((terms, j) =>
          terms.forEach((term, m) => sumTerm(f, sums[j]![m]!, term))
        );
      } else {
        const tuned = def.tuned[loop];
        result = g.let(
          tuned === undefined
            ? def.definition[loop](g, xg, gp)
            : tuned(g, xg, gp),
        );
      }
      for (let v = 0; v < vectors; v++) {
        storeVector(
          f,
          out,
          i,
          tail,
          demotePairF64x2(result[2 * v]!, result[2 * v + 1]!),
          16 * v,
        );
      }
    }, delegates ? 1 : 2);
    storeSums(f, sums);
    f.ret(count);
  });
}

/**
 * prelu with α per element: `preluEach_*` (α has x's length) and
 * `preluIndexed_*` (α element `index[i]` for x element i). Arguments:
 * `(x, [dy, dx | y], n, alpha, [index], [sums])` where alpha is float64,
 * index int32 and sums the float64 dα accumulators (vjp), all padded by the
 * caller to a multiple of four elements (index padding zeroed).
 */
function preluLoop(
  m: ModuleBuilder,
  pool: ConstPool,
  fma: boolean,
  indexed: boolean,
  loop: "forward" | "derivative" | "vjp",
): void {
  const vjp = loop === "vjp";
  const args: ValType[] = [
    ...(vjp ? ["i32", "i32", "i32"] as const : ["i32", "i32"] as const),
    "i32",
    "i32",
    ...(indexed ? ["i32"] as const : []),
    ...(vjp ? ["i32"] as const : []),
  ];
  const family = indexed ? "preluIndexed" : "preluEach";
  m.func(`${family}_${loop}`, args, ["i32"], (f) => {
    const k = new K(f, pool, fma);
    let a = 0;
    const x = f.param(a++, "i32");
    const dyPtr = vjp ? f.param(a++, "i32") : null;
    const out = f.param(a++, "i32");
    const n = f.param(a++, "i32");
    const alpha = f.param(a++, "i32");
    const index = indexed ? f.param(a++, "i32") : null;
    const sums = vjp ? f.param(a++, "i32") : null;
    const count = f.local("i32");
    vectorLoop(f, n, (i, tail) => {
      const xv = loadVector(f, x, i, tail, TAIL_X);
      const dyv = dyPtr === null
        ? null
        : loadVector(f, dyPtr, i, tail, TAIL_DY);
      const slot = (j: number): Local<"i32"> =>
        f.let(
          index === null
            ? I32.add(I32.shrU(i, i32(2)), i32(j))
            : I32.load(at(index, i), 4 * j),
        );
      const slots = [0, 1, 2, 3].map(slot);
      const alphaAt = (s: Local<"i32">) =>
        F64.load(I32.add(alpha, I32.shl(s, i32(3))));
      const half = (h: 0 | 1) => {
        const xs = f.let(
          h === 0 ? F64x2.promoteLowF32x4(xv) : promoteHighF32x4(xv),
        );
        const av = f.let(
          F64x2.replaceLane(
            F64x2.splat(alphaAt(slots[2 * h]!)),
            1,
            alphaAt(slots[2 * h + 1]!),
          ),
        );
        const positive = f.let(k.gt(xs, k.c(0)));
        const slope = k.select(
          positive,
          k.c(1),
          k.select(k.eq(xs, xs), av, xs),
        );
        if (loop === "forward") {
          // x > 0 or NaN: x; α = 0: 0 (also at −∞); else αx.
          const keep = V128.or(positive, F64x2.ne(xs, xs));
          return f.let(
            k.select(
              keep,
              xs,
              k.select(k.eq(av, k.c(0)), k.c(0), k.mul(av, xs)),
            ),
          );
        }
        if (loop === "derivative") return f.let(slope);
        const dys = f.let(
          h === 0 ? F64x2.promoteLowF32x4(dyv!) : promoteHighF32x4(dyv!),
        );
        const term = f.let(k.mul(dys, k.select(positive, k.c(0), xs)));
        for (const lane of [0, 1]) {
          const addr = f.let(
            I32.add(sums!, I32.shl(slots[2 * h + lane]!, i32(3))),
          );
          f.storeF64(
            addr,
            F64.add(F64.load(addr), F64x2.extractLane(term, lane)),
          );
        }
        return f.let(k.mul(dys, slope));
      };
      const r0 = half(0);
      const r1 = half(1);
      storeVector(f, out, i, tail, demotePairF64x2(r0, r1));
    });
    f.ret(count);
  });
}

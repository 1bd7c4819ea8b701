// The WGSL programs of the WebGPU kernels, from the families of
// _wgsl_ops.ts: one compute shader per family and loop, a VJP shader that
// writes dx and reduces each workgroup's parameter terms, and the reductions
// that sum those partial sums in a fixed order (so the bits never depend on
// scheduling). Every buffer is bound as u32 words and loaded or stored as
// bits, so NaN payloads and subnormals travel untouched.

import type { KernelName } from "../_definitions.ts";
import { wgslMath } from "./_wgsl_math.ts";
import { type F32Path, f32Paths, wgslF32 } from "./_wgsl_f32.ts";
import { type DfFamily, families, type Family } from "./_wgsl_ops.ts";
import { bitsHelpers } from "./_wgsl_ops.ts";
import { type V, Wgsl } from "./_wgsl_emitter.ts";

/** Threads per workgroup of every shader. */
export const WORKGROUP = 256;

/**
 * Elements per thread of a VJP with a parameter sum: each thread sums its
 * elements' terms before the workgroup's tree, so there are 8× fewer
 * workgroups, partial sums and barrier trees (a barrier is costly on a
 * SIMD compiler such as llvmpipe, which runs a workgroup as coroutines).
 */
export const SUM_SPAN = 8;

/** The elementwise loops. */
export type Loop = "forward" | "derivative" | "secondDerivative";

/**
 * The uniform block every shader reads (128 bytes):
 * - `n`: elements in this dispatch; `nx`: workgroups along x;
 * - `pbase`: the first partial-sum slot of this dispatch; `count`: the
 *   number of partial sums (reduction), or in the loops with a plain-f32
 *   path the dispatch's first word in the `slow` buffer;
 * - `p`: up to four df parameters, `p[i >> 1]` `.xy` or `.zw`;
 * - `lim`: the results' bits at +∞, −∞, NaN, +0, −0 (slots 0–4) and, for
 *   the VJP, the parameter term's (slots 8–12);
 * - `scale`: the df factor applied to a parameter's sum (`.xy`); `.w` is 0,
 *   the opaque zero of _wgsl_math.ts.
 */
const UNIFORMS = `
struct U {
  n: u32,
  nx: u32,
  pbase: u32,
  count: u32,
  p: array<vec4<f32>, 2>,
  lim: array<vec4<u32>, 4>,
  scale: vec4<f32>,
}
@group(0) @binding(0) var<uniform> u: U;
fn opaque_zero() -> u32 { return bitcast<u32>(u.scale.w); }

fn index_of(wid: vec3<u32>, lid: u32) -> u32 {
  return (wid.y * u.nx + wid.x) * ${WORKGROUP}u + lid;
}
fn param(i: u32) -> df {
  let v = u.p[i >> 1u];
  return select(v.xy, v.zw, (i & 1u) == 1u);
}
/** 0 +∞, 1 −∞, 2 NaN, 3 +0, 4 −0, 5 any other (finite, nonzero). */
fn special_class(xb: u32) -> u32 {
  let a = xb & 0x7fffffffu;
  if (a > 0x7f800000u) { return 2u; }
  if (a == 0x7f800000u) { return select(0u, 1u, xb != a); }
  if (a == 0u) { return select(3u, 4u, xb != a); }
  return 5u;
}
fn lim(c: u32) -> u32 { return u.lim[c >> 2u][c & 3u]; }

/** dy·d for f32 d in {0, 1, NaN} as bits, exactly (no float operation). */
fn slope_mul(dyb: u32, db: u32) -> u32 {
  if ((db & 0x7fffffffu) > 0x7f800000u) { return db; }
  if (db == 0x3f800000u) { return dyb; }
  // d = ±0: dy·0 is a zero signed by dy (NaN for dy NaN or ±∞).
  if ((dyb & 0x7f800000u) == 0x7f800000u) { return 0x7fc00000u; }
  return (dyb ^ db) & 0x80000000u;
}

/** dy·d rounded once, d scaled; IEEE for special dy (from the bits). */
fn round_mul(dy: f32, d: sdf) -> f32 {
  if (is_special(dy)) { return ieee_mul(dy, sdf_round(d)); }
  let p = dy * d.v.x;
  if (is_zero(d.v.x) || (is_inf(p) && d.k >= 0)) { return p; }
  if (is_inf(p)) { return dy * sdf_round(d); }
  return sdf_round(sdf(df_mul_f(d.v, dy), d.k));
}

/** A parameter term and the special values met (bit 0 NaN, 1 +∞, 2 −∞). */
struct Term { s: df, flags: u32 }
fn term_of(v: f32) -> Term {
  if (is_nan(v)) { return Term(df(0.0f, 0.0f), 1u); }
  if (is_inf(v)) { return Term(df(0.0f, 0.0f), select(2u, 4u, sign_bit(v))); }
  return Term(df(v, 0.0f), 0u);
}
/** dy·g for a finite pair g (a plain-f32 path's ∂f/∂θ), as a term. */
fn f_term(dy: f32, g: df) -> Term {
  let p = dy * g.x;
  if (is_special(dy) || is_special(p)) { return term_of(ieee_mul(dy, f_round(g))); }
  let q = f_mul(dy, g);
  return Term(fast_two_sum(q.x, q.y), 0u);
}
`;

const BINDINGS_UNARY = `
@group(0) @binding(1) var<storage, read> x: array<u32>;
@group(0) @binding(2) var<storage, read_write> y: array<u32>;
`;

const BINDINGS_VJP = `
@group(0) @binding(1) var<storage, read> x: array<u32>;
@group(0) @binding(2) var<storage, read> dy: array<u32>;
@group(0) @binding(3) var<storage, read_write> dx: array<u32>;
`;

const PARTIALS = `
struct Partial { s: df, flags: u32, pad: u32 }
@group(0) @binding(4) var<storage, read_write> partials: array<Partial>;
var<workgroup> wsum: array<df, ${WORKGROUP}>;
var<workgroup> wflag: array<u32, ${WORKGROUP}>;

/** The workgroup's terms summed in a fixed tree order. */
fn reduce_workgroup(lid: u32, t: Term) -> Term {
  wsum[lid] = t.s;
  wflag[lid] = t.flags;
  workgroupBarrier();
  for (var s = ${WORKGROUP / 2}u; s > 0u; s >>= 1u) {
    if (lid < s) {
      wsum[lid] = df_add_exact(wsum[lid], wsum[lid + s]);
      wflag[lid] = wflag[lid] | wflag[lid + s];
    }
    workgroupBarrier();
  }
  return Term(wsum[0], wflag[0]);
}
`;

function header(fmaFused: boolean): string {
  return `${wgslMath(fmaFused)}\n${wgslF32()}\n${UNIFORMS}\n${bitsHelpers}\n`;
}

/**
 * A loop with a plain-f32 path runs as two dispatches. `fast` computes every
 * element in f32; where an element needs double-f32 it appends its
 * workgroup (once) to a list in the `slow` buffer, whose first four words
 * are the indirect dispatch size of `fallback` (the listed workgroups, at
 * most 65535, then 1, 1) and the list's length. `fallback`, dispatched
 * indirectly, recomputes the listed workgroups' elements that need it. Why
 * not a branch in one kernel: a SIMD compiler (llvmpipe) runs both sides of
 * a divergent branch under a mask, and a workgroup barrier to agree on a
 * flag costs it more than the f32 kernel itself; so the double-f32 code
 * runs only in the workgroups that need it, and not at all when none does.
 *
 * Layout of one chunk's region (from word `u.count`): [groups, 1, 1,
 * count], then one mark per workgroup, then the list.
 */
const SLOW_FAST = (binding: number) => `
@group(0) @binding(${binding}) var<storage, read_write> slow: array<atomic<u32>>;
/** Marks workgroup g (of G) as needing the fallback. */
fn mark_slow(g: u32, G: u32) {
  let b = u.count;
  if (atomicExchange(&slow[b + 4u + g], 1u) == 0u) {
    let j = atomicAdd(&slow[b + 3u], 1u);
    atomicStore(&slow[b + 4u + G + j], g);
    if (j < 65535u) { atomicAdd(&slow[b], 1u); }
    atomicStore(&slow[b + 1u], 1u);
    atomicStore(&slow[b + 2u], 1u);
  }
}
`;
const SLOW_FALLBACK = (binding: number, span = 1) => `
@group(0) @binding(${binding}) var<storage, read> slow: array<u32>;
/** The k-th listed workgroup's linear index. */
fn listed(k: u32) -> u32 {
  let groups = (u.n + ${WORKGROUP * span - 1}u) / ${WORKGROUP * span}u;
  let G = u.nx * ((groups + u.nx - 1u) / u.nx);
  return slow[u.count + 4u + G + k];
}
`;
/**
 * The fallback's loop over its listed workgroups (`body`, with the listed
 * workgroup `g`); `barriers`: the body has workgroup barriers, so the loop's
 * bound must be uniform (read once through workgroup memory).
 */
const FALLBACK_MAIN = (body: string, barriers = false) =>
  `${barriers ? "var<workgroup> listed_count: u32;" : ""}
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nwg: vec3<u32>) {
  ${
    barriers
      ? `if (lid == 0u) { listed_count = slow[u.count + 3u]; }
  let count = workgroupUniformLoad(&listed_count);`
      : "let count = slow[u.count + 3u];"
  }
  for (var k = wid.x; k < count; k += nwg.x) {
    let g = listed(k);
    ${body}
  }
}
`;

/** The words of the `slow` buffer for `chunks` dispatches of `groups` workgroups in all. */
export function slowWords(chunks: number, groups: number): number {
  return 4 * chunks + 2 * groups;
}

/** The plain-f32 path of a loop, if it has one. */
export function f32PathOf(
  name: KernelName,
  loop: Loop | "vjp",
): F32Path | undefined {
  if (families[name]!.kind !== "df") return undefined;
  return f32Paths[name]?.[loop];
}

/**
 * A loop's plain-f32 path (_wgsl_f32.ts) as WGSL functions: `fp_ok(x)`,
 * where it holds, `fp(x)`, the result as a pair, and for a VJP with a
 * learned parameter `fg(x)`, ∂f/∂θ as a pair. Empty without one.
 */
function f32Functions(path: F32Path | undefined): string {
  if (path === undefined) return "";
  const grad = path.grad === undefined
    ? ""
    : `fn fg(x: f32) -> df {\n  ${path.grad}\n}\n`;
  return `fn fp_ok(x: f32) -> bool { return ${path.guard}; }
fn fp_post(x: f32) -> f32 { return ${path.post ?? "1.0f"}; }
${
    path.postExp === undefined
      ? ""
      : `fn fp_k(x: f32) -> i32 { return ${path.postExp}; }\n`
  }fn fp(x: f32) -> df {
  ${path.body}
}
${grad}`;
}

/** A df body as a WGSL function of `xd` returning a df. */
function dfFunction(name: string, family: DfFamily, body: Body): string {
  const k = new Wgsl();
  const { x, p } = bodyInputs(k, family);
  const result = body(k, x, p);
  return `fn ${name}(xd: df) -> sdf {\n${k.statements}\n  return ${
    k.scaled(result)
  };\n}\n`;
}

/** The parameters, the unclamped x as `raw`, and x clamped as the family asks. */
function bodyInputs(
  k: Wgsl,
  family: DfFamily,
): { x: V; p: Record<string, V> } {
  const p: Record<string, V> = {};
  family.params.forEach((n, i) => (p[n] = k.let(`param(${i}u)`)));
  p.raw = "xd";
  const x = family.scaledInput
    ? k.letScaled(`sdf_split(xd)`)
    : family.clamp === undefined
    ? "xd"
    : k.let(`df(clamp(xd.x, ${-family.clamp}.0f, ${family.clamp}.0f), 0.0f)`);
  return { x, p };
}

type Body = (k: Wgsl, x: V, p: Record<string, V>) => V;

function bitsParams(family: Family): string {
  return family.params.map((_n, i) =>
    `  let p${i} = bitcast<u32>(param(${i}u).x);`
  ).join("\n");
}

/**
 * The elementwise shader of one family and loop: the double-f32 kernel, or
 * for a loop with a plain-f32 path (f32PathOf) one of its two dispatches
 * (`part`).
 */
export function unaryShader(
  name: KernelName,
  loop: Loop,
  fmaFused: boolean,
  part?: "fast" | "fallback",
): string {
  const family = families[name]!;
  if (family.kind === "bits") {
    const expr = loop === "forward"
      ? family.forward
      : loop === "derivative"
      ? family.derivative
      : "select(0u, xb, (xb & 0x7fffffffu) > 0x7f800000u)";
    return `${header(fmaFused)}${BINDINGS_UNARY}
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = index_of(wid, lid);
  if (i >= u.n) { return; }
  let xb = x[i];
${bitsParams(family)}
  y[i] = ${expr};
}
`;
  }
  const specials = `let c = special_class(xb);
  // ±0 keeps its sign through the JavaScript kernels' values in the
  // forward loop (odd functions); a derivative at ±0 is computed.
  if (c < ${loop === "forward" ? 5 : 3}u) { y[i] = lim(c); return; }
  let xv = bitcast<f32>(xb);`;
  const fast = f32PathOf(name, loop);
  if (fast === undefined || part === undefined) {
    return `${header(fmaFused)}${BINDINGS_UNARY}
${dfFunction("f", family, family[loop])}
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = index_of(wid, lid);
  if (i >= u.n) { return; }
  let xb = x[i];
  ${specials}
  y[i] = bitcast<u32>(sdf_round(f(df(xv, 0.0f))));
}
`;
  }
  if (part === "fast") {
    return `${header(fmaFused)}${BINDINGS_UNARY}${SLOW_FAST(3)}
${f32Functions(fast)}
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = index_of(wid, lid);
  if (i >= u.n) { return; }
  let xb = x[i];
  ${specials}
  y[i] = bitcast<u32>(${
      fast.postExp === undefined
        ? "f_round(fp(xv)) * fp_post(xv)"
        : "sdf_round(sdf(fp(xv), fp_k(xv)))"
    });
  if (!fp_ok(xv)) { mark_slow(wid.y * u.nx + wid.x, nwg.x * nwg.y); }
}
`;
  }
  return `${header(fmaFused)}${BINDINGS_UNARY}${SLOW_FALLBACK(3)}
${dfFunction("f", family, family[loop])}
${f32Functions(fast)}
fn fallback(i: u32) {
  if (i >= u.n) { return; }
  let xb = x[i];
  ${specials}
  if (fp_ok(xv)) { return; }
  y[i] = bitcast<u32>(sdf_round(f(df(xv, 0.0f))));
}
${FALLBACK_MAIN(`fallback(g * ${WORKGROUP}u + lid);`)}`;
}

/**
 * The VJP shader of one family: dx, and per workgroup the parameter's
 * partial sum; for a family with a plain-f32 VJP (f32PathOf), one of its two
 * dispatches (`part`): the fallback recomputes the listed workgroups' partial
 * sums whole (their other elements' terms in f32 again), so each partial is
 * written by one workgroup's fixed-order reduction either way.
 */
export function vjpShader(
  name: KernelName,
  fmaFused: boolean,
  part?: "fast" | "fallback",
): string {
  const family = families[name]!;
  const grads = family.grads.length > 0;
  const fast = part === undefined ? undefined : f32PathOf(name, "vjp");
  let compute: string;
  let fns = "";
  if (family.kind === "bits") {
    compute = `
${bitsParams(family)}
    dx[i] = slope_mul(dy[i], ${family.derivative});`;
  } else {
    const k = new Wgsl();
    const { x, p } = bodyInputs(k, family);
    const r = family.vjp(k, x, p);
    const slopes = `struct Slopes { d: sdf, g: sdf }
fn slopes(xd: df) -> Slopes {
${k.statements}
  return Slopes(${k.scaled(r.dx)}, ${
      grads ? k.scaled(r.grads[0]!) : "sdf(df(0.0f, 0.0f), 0)"
    });
}
`;
    fns = `${part === "fast" ? "" : slopes}${f32Functions(fast)}`;
    const specials = `let dyv = bitcast<f32>(dy[i]);
    let c = special_class(xb);
    if (c < 3u) {
      ${
      part === "fallback"
        ? ""
        : "dx[i] = bitcast<u32>(ieee_mul(dyv, bitcast<f32>(lim(c))));"
    }
      ${grads ? "t = term_of(ieee_mul(dyv, bitcast<f32>(lim(c + 8u))));" : ""}
    }`;
    const dfPath = `let sl = slopes(df(bitcast<f32>(xb), 0.0f));
      dx[i] = bitcast<u32>(round_mul(dyv, sl.d));
      ${
      grads
        // dy·g special (dy NaN or ±∞, g beyond float32, or their product
        // overflowing): its IEEE value, which the flags carry into the sum.
        ? `let m = ieee_mul(dyv, sdf_round(sl.g)); if (is_special(m)) { t = term_of(m); } else { t = Term(df_mul_f(sdf_norm(sl.g), dyv), 0u); }`
        : ""
    }`;
    if (fast === undefined) {
      compute = `${specials} else {
      ${dfPath}
    }`;
    } else if (part === "fast") {
      compute = `${specials} else {
      let xv = bitcast<f32>(xb);
      dx[i] = bitcast<u32>(${
        fast.postExp === undefined
          ? "f_scale_dy_post(dyv, fp(xv), fp_post(xv))"
          : "round_mul(dyv, sdf(fp(xv), fp_k(xv)))"
      });
      ${grads ? "t = f_term(dyv, fg(xv));" : ""}
      if (!fp_ok(xv)) { mark_slow(wid.y * u.nx + wid.x, nwg.x * nwg.y); }
    }`;
    } else {
      // The fallback: dx only where the f32 path does not hold.
      compute = `${specials} else if (fp_ok(bitcast<f32>(xb))) {
      ${grads ? "t = f_term(dyv, fg(bitcast<f32>(xb)));" : ""}
    } else {
      ${dfPath}
    }`;
    }
  }
  const slowBuffer = part === "fast"
    ? SLOW_FAST(5)
    : part === "fallback"
    ? SLOW_FALLBACK(5, grads ? SUM_SPAN : 1)
    : "";
  const builtins =
    "@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nwg: vec3<u32>";
  if (!grads) {
    const element = `fn element(i: u32, wid: vec3<u32>, nwg: vec3<u32>) {
  if (i >= u.n) { return; }
  let xb = x[i];
  ${compute}
}`;
    const main = part === "fallback"
      ? FALLBACK_MAIN(`element(g * ${WORKGROUP}u + lid, wid, nwg);`)
      : `@compute @workgroup_size(${WORKGROUP})
fn main(${builtins}) {
  element(index_of(wid, lid), wid, nwg);
}`;
    return `${header(fmaFused)}${BINDINGS_VJP}${slowBuffer}
${fns}
${element}
${main}
`;
  }
  // With a parameter sum: each thread sums SUM_SPAN elements' terms, then
  // the workgroup's in a fixed tree order.
  const element = `fn element(i: u32, wid: vec3<u32>, nwg: vec3<u32>) -> Term {
  var t = Term(df(0.0f, 0.0f), 0u);
  if (i < u.n) {
    let xb = x[i];
    ${compute}
  }
  return t;
}
/** Workgroup g's elements g·${
    WORKGROUP * SUM_SPAN
  } + j·${WORKGROUP} + lid, j < ${SUM_SPAN}, summed in order. */
fn span_terms(g: u32, lid: u32, wid: vec3<u32>, nwg: vec3<u32>) -> Term {
  let base = g * ${WORKGROUP * SUM_SPAN}u + lid;
  var t = element(base, wid, nwg);
  for (var j = 1u; j < ${SUM_SPAN}u; j++) {
    let e = element(base + j * ${WORKGROUP}u, wid, nwg);
    t = Term(df_add_exact(t.s, e.s), t.flags | e.flags);
  }
  return t;
}`;
  const write = (g: string) =>
    `let r = reduce_workgroup(lid, span_terms(${g}, lid, wid, nwg));
  if (lid == 0u) {
    partials[u.pbase + ${g}] = Partial(r.s, r.flags, 0u);
  }`;
  const main = part === "fallback"
    ? FALLBACK_MAIN(
      `${write("g")}
    workgroupBarrier();`,
      true,
    )
    : `@compute @workgroup_size(${WORKGROUP})
fn main(${builtins}) {
  ${write("wid.y * u.nx + wid.x")}
}`;
  return `${header(fmaFused)}${BINDINGS_VJP}${PARTIALS}${slowBuffer}
${fns}
${element}
${main}
`;
}

/**
 * The final sum of `count` partial sums: thread t adds partials t, t + 256,
 * … in order, then the workgroup's tree; times `scale`, rounded once, with
 * NaN and ±∞ from the flags (∞ − ∞ is NaN, as in float64).
 */
export function reduceShader(fmaFused: boolean): string {
  return `${header(fmaFused)}
struct Partial { s: df, flags: u32, pad: u32 }
@group(0) @binding(1) var<storage, read> partials: array<Partial>;
@group(0) @binding(2) var<storage, read_write> out: array<u32>;
var<workgroup> wsum: array<df, ${WORKGROUP}>;
var<workgroup> wflag: array<u32, ${WORKGROUP}>;

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  // Workgroup w sums the partials [w·count, (w + 1)·count) (one per α slot).
  let base = (wid.y * u.nx + wid.x) * u.count;
  var s = df(0.0f, 0.0f);
  var f = 0u;
  for (var j = lid; j < u.count; j += ${WORKGROUP}u) {
    let p = partials[base + j];
    s = df_add_exact(s, p.s);
    f = f | p.flags;
  }
  wsum[lid] = s;
  wflag[lid] = f;
  workgroupBarrier();
  for (var h = ${WORKGROUP / 2}u; h > 0u; h >>= 1u) {
    if (lid < h) {
      wsum[lid] = df_add_exact(wsum[lid], wsum[lid + h]);
      wflag[lid] = wflag[lid] | wflag[lid + h];
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    let flags = wflag[0];
    var r: u32;
    if ((flags & 1u) != 0u || (flags & 6u) == 6u) { r = 0x7fc00000u; }
    else if ((flags & 2u) != 0u) { r = 0x7f800000u; }
    else if ((flags & 4u) != 0u) { r = 0xff800000u; }
    else { r = bitcast<u32>(df_mul(wsum[0], u.scale.xy).x); }
    out[wid.y * u.nx + wid.x] = r;
  }
}
`;
}

/**
 * prelu with α per element or broadcast through an index map: forward,
 * derivative, second derivative and the VJP, arithmetic on the bits where
 * the value is exact. `index` maps each element to its α slot (the α buffer
 * itself when α has x's shape, `each`, or its one element, `one`). The VJP writes each
 * element's term dy·min(x, 0) as a Partial for the per-slot sum.
 */
export function preluShader(
  loop: Loop | "vjp",
  mode: "one" | "each" | "indexed",
  fmaFused: boolean,
): string {
  const indexed = mode === "indexed";
  const alphaAt = mode === "one"
    ? "alpha[0]"
    : indexed
    ? "alpha[index[i]]"
    : "alpha[i]";
  const bindings = loop === "vjp"
    ? `${BINDINGS_VJP}
@group(0) @binding(4) var<storage, read> alpha: array<u32>;
${indexed ? "@group(0) @binding(5) var<storage, read> index: array<u32>;" : ""}
struct Partial { s: df, flags: u32, pad: u32 }
@group(0) @binding(6) var<storage, read_write> terms: array<Partial>;`
    : `${BINDINGS_UNARY}
@group(0) @binding(3) var<storage, read> alpha: array<u32>;
${
      indexed
        ? "@group(0) @binding(4) var<storage, read> index: array<u32>;"
        : ""
    }`;
  const body = {
    // x > 0 ? x : α·x (IEEE product, so ±∞ and NaN follow).
    forward: `y[i] = select(bitcast<u32>(ieee_mul(a, xv)), xb, pos || nan);`,
    derivative:
      `y[i] = select(select(bitcast<u32>(a), 0x3f800000u, pos), xb, nan);`,
    secondDerivative: `y[i] = select(0u, xb, nan);`,
    vjp: `let d = select(select(bitcast<u32>(a), 0x3f800000u, pos), xb, nan);
  let dyv = bitcast<f32>(dy[i]);
  dx[i] = bitcast<u32>(ieee_mul(dyv, bitcast<f32>(d)));
  // ∂/∂α = x ≤ 0 ? x : 0, times dy (exact as a df).
  let g = select(xv, 0.0f, pos);
  var t: Term;
  if (is_special(dyv) || is_special(g)) { t = term_of(ieee_mul(dyv, g)); }
  else { t = Term(two_prod(dyv, g), 0u); }
  terms[i] = Partial(t.s, t.flags, 0u);`,
  }[loop];
  return `${header(fmaFused)}${bindings}
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = index_of(wid, lid);
  if (i >= u.n) { return; }
  let xb = x[i];
  let xv = bitcast<f32>(xb);
  let nan = (xb & 0x7fffffffu) > 0x7f800000u;
  let pos = (xb & 0x80000000u) == 0u && (xb & 0x7fffffffu) != 0u && !nan;
  let a = bitcast<f32>(${alphaAt});
  ${body}
}
`;
}

/**
 * The per-slot gather for prelu's dα: `order` lists the elements of each α
 * slot contiguously (slot j's at [j·count, (j + 1)·count), ascending), and
 * this copies their terms into that order for the reduction.
 */
export function gatherShader(fmaFused: boolean): string {
  return `${header(fmaFused)}
struct Partial { s: df, flags: u32, pad: u32 }
@group(0) @binding(1) var<storage, read> terms: array<Partial>;
@group(0) @binding(2) var<storage, read> order: array<u32>;
@group(0) @binding(3) var<storage, read_write> sorted: array<Partial>;
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = index_of(wid, lid);
  if (i >= u.n) { return; }
  sorted[i] = terms[order[i]];
}
`;
}

/** A probe of the device's arithmetic: fused fma, error-free sums and products. */
export function probeShader(): string {
  return `
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read_write> r: array<f32>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  let i = g.x;
  if (i >= arrayLength(&a) / 2u) { return; }
  let x = a[2u * i];
  let y = a[2u * i + 1u];
  let p = x * y;
  r[2u * i] = p;
  r[2u * i + 1u] = fma(x, y, -p);
}
`;
}

import assert from "node:assert";
import {
  bookGrid,
  ops,
  resolveParams,
  seededRandom,
  SELU_ALPHA,
  SELU_LAMBDA,
  ulpDistance,
  ulpOf,
} from "@nonlin/core";
import * as native from "./mod.ts";
import { grad, valueAndGrad, type Variable } from "./mod.ts";
import { logUniform, sumError } from "./_accuracy.ts";

/** |got − want| in float32 ULP, with the input for the message. */
function assertUlp(
  got: ArrayLike<number>,
  want: ArrayLike<number>,
  x: ArrayLike<number>,
  bound: number,
  what: string,
) {
  assert.strictEqual(got.length, want.length);
  for (let i = 0; i < got.length; i++) {
    const d = ulpDistance(got[i]!, want[i]!);
    assert.ok(
      d <= bound,
      `${what} at x = ${x[i]}: got ${got[i]}, want ${
        want[i]
      } (${d} ULP > ${bound})`,
    );
  }
}

Deno.test("grad()", async (t) => {
  await t.step("arithmetic primitives against their derivatives", () => {
    const xs = [0.25, 0.5, 1, 2.5, 7];
    const cases: [string, (v: Variable) => Variable, (x: number) => number][] =
      [
        ["neg", (v) => v.neg(), () => -1],
        ["exp", (v) => v.exp(), Math.exp],
        ["log", (v) => v.log(), (x) => 1 / x],
        ["log1p", (v) => v.log1p(), (x) => 1 / (1 + x)],
        ["expm1", (v) => v.expm1(), Math.exp],
        ["tanh", (v) => v.tanh(), (x) => 1 / Math.cosh(x) ** 2],
        [
          "sigmoid",
          (v) => v.sigmoid(),
          (x) => Math.exp(-x) / (1 + Math.exp(-x)) ** 2,
        ],
        [
          "erf",
          (v) => v.erf(),
          (x) => (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x),
        ],
        ["sqrt", (v) => v.sqrt(), (x) => 0.5 / Math.sqrt(x)],
        ["square", (v) => v.square(), (x) => 2 * x],
        ["abs", (v) => v.neg().abs(), () => 1],
        ["add", (v) => v.add(3), () => 1],
        ["sub", (v) => v.sub(3).neg(), () => -1],
        ["mul", (v) => v.mul(v), (x) => 2 * x],
        ["div", (v) => v.div(v.add(1)), (x) => 1 / (1 + x) ** 2],
        [
          "chain",
          (v) => v.square().exp().neg(),
          (x) => -2 * x * Math.exp(x * x),
        ],
      ];
    for (const [name, f, df] of cases) {
      const g = grad(f)(xs);
      assertUlp(g, xs.map((x) => Math.fround(df(Math.fround(x)))), xs, 1, name);
    }
    assert.deepStrictEqual(
      grad((v) => v.abs())([-2, -0, 0, 3]),
      new Float32Array([-1, 0, 0, 1]),
    );
  });
  await t.step("binary operations: both operands, broadcasting", async () => {
    const [da, db] = grad((a, b) => a.mul(b).sub(a.div(b)), {
      argnums: [0, 1],
    })([2, 3], [4, 5]);
    // d/da = b − 1/b, d/db = a + a/b².
    assert.deepStrictEqual(da, new Float32Array([4 - 1 / 4, 5 - 1 / 5]));
    assert.deepStrictEqual(db, new Float32Array([2 + 2 / 16, 3 + 3 / 25]));
    // x [2, 3] times w [3]: dw sums over the rows; a scalar b sums everything.
    const x = native.tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    const [dx, dw, dbias] = grad((x, w, b) => x.mul(w).add(b), {
      argnums: [0, 1, 2],
    })(
      x,
      native.tensor([10, 20, 30]),
      0.5,
    );
    assert.deepStrictEqual(dx.shape, [2, 3]);
    assert.deepStrictEqual(
      await dx.read(),
      new Float32Array([10, 20, 30, 10, 20, 30]),
    );
    assert.deepStrictEqual(await dw.read(), new Float32Array([5, 7, 9]));
    assert.strictEqual(dbias, 6);
    assert.throws(
      () => grad((a, b) => a.add(b), { argnums: [0, 1] })([1, 2], [1, 2, 3]),
      RangeError,
    );
  });
  await t.step("argument kinds", async () => {
    const g = grad((x) => x.square())(native.tensor([3], []));
    assert.deepStrictEqual([g.shape, await g.read()], [
      [],
      new Float32Array([6]),
    ]);
    assert.strictEqual(grad((x) => x.square())(1.5), 3);
    assert.deepStrictEqual(
      grad((x) => x.square())(new Float32Array([1, 2])),
      new Float32Array([2, 4]),
    );
    // An argument the output does not depend on gets a zero gradient.
    assert.deepStrictEqual(
      grad((_x, y) => y.exp(), { argnums: 0 })([1, 2], [0]),
      new Float32Array([0, 0]),
    );
    // The identity: the seed itself.
    assert.deepStrictEqual(grad((x) => x)([5, 6]), new Float32Array([1, 1]));
    assert.deepStrictEqual(grad((x) => x.mul(2))([]), new Float32Array(0));
  });
  await t.step("catalog ops run their fused VJPs", async () => {
    const xs = [...bookGrid()];
    assert.deepStrictEqual(
      grad((x) => x.op("gelu"))(xs),
      await native.derivative("gelu", xs),
    );
    const dy = xs.map((_, i) => (i % 7) - 3);
    const fused = await native.vjp("swish", xs, { dy, params: { beta: 1.5 } });
    const [dx, db] = grad((x, b) => x.op("swish", { beta: b }).mul(dy), {
      argnums: [0, 1],
    })(xs, 1.5);
    // Equal up to the sign of zero (the tape adds the VJP into +0).
    assertUlp(dx, fused.dx, xs, 0, "swish dx");
    assert.strictEqual(db, fused.dparams.beta[0]);
    // prelu α as a variable broadcast to x [2, 2].
    const x = native.tensor([-1, 2, -3, -4], [2, 2]);
    const da = grad((x, a) => x.op("prelu", { alpha: a }), { argnums: 1 })(
      x,
      native.tensor([0.5, 0.25]),
    );
    assert.deepStrictEqual(await da.read(), new Float32Array([-4, -4]));
    // elu with default parameters, then composed.
    const e = grad((x) => x.op("elu").mul(x))([-1]);
    assert.deepStrictEqual(
      e,
      new Float32Array([
        Math.fround(Math.fround(Math.expm1(-1)) - Math.exp(-1)),
      ]),
    );
  });
  await t.step("bad input", () => {
    assert.throws(() => grad(3 as never), /takes a function/);
    assert.throws(
      () => grad((() => 3) as never)([1]),
      /must return a variable/,
    );
    assert.throws(
      () => grad((x) => x, { argnums: 2 })([1]),
      /argnums must name arguments 0 to 0: got 2/,
    );
    assert.throws(() => grad((x) => x, { argnums: [0, -1] })([1]), RangeError);
    assert.throws(
      () => grad((x) => x)(new Float64Array(1) as never),
      TypeError,
    );
    assert.throws(() => grad((x) => x)(["a"] as never), TypeError);
    assert.throws(() => grad((x) => x.add("a" as never))([1]), TypeError);
    assert.throws(
      () => grad((x) => x.op("nope" as never))([1]),
      /Unknown op "nope"/,
    );
    assert.throws(
      () => grad((x) => x.op("softplus", { beta: 0 }))([1]),
      RangeError,
    );
    assert.throws(
      () =>
        grad((x, b) => x.op("swish", { beta: b }), { argnums: [0, 1] })([1], [
          1,
          2,
        ]),
      /one-element/,
    );
    let escaped: Variable | undefined;
    grad((x) => (escaped = x).exp())([1]);
    assert.throws(() => escaped!.exp(), /after its grad\(\) call has returned/);
    assert.throws(
      () => grad((x) => grad((y) => y.mul(x))([1]) && x)([1]),
      /nested grad\(\) is not supported/,
    );
    const foreign = {
      backend: "other",
      shape: [1],
      size: 1,
      disposed: false,
      read: () => Promise.resolve(new Float32Array(1)),
      dispose() {},
    };
    assert.throws(() => grad((x) => x)(foreign), /another backend/);
    const gone = native.tensor([1]);
    gone.dispose();
    assert.throws(() => grad((x) => x)(gone), /disposed/);
  });
});

Deno.test("valueAndGrad()", async (t) => {
  await t.step("value and gradient from one pass", () => {
    const { value, grad: g } = valueAndGrad((x) => x.mul(x.sigmoid()))([0, 1]);
    assert.deepStrictEqual(
      value,
      new Float32Array([0, 1 / (1 + Math.exp(-1))]),
    );
    assert.deepStrictEqual(
      g,
      new Float32Array([
        0.5,
        Math.fround(0.7310585786300049 + 0.19661193324148185),
      ]),
    );
  });
  await t.step("a tensor argument gives tensors", async () => {
    const { value, grad: [dx, db] } = valueAndGrad((x, b) => x.mul(b), {
      argnums: [0, 1],
    })(
      native.tensor([1, 2], [2, 1]),
      3,
    );
    assert.deepStrictEqual([value.shape, await value.read()], [
      [2, 1],
      new Float32Array([3, 6]),
    ]);
    assert.deepStrictEqual(await dx.read(), new Float32Array([3, 3]));
    assert.strictEqual(db, 3);
  });
  await t.step("bad input", () => {
    assert.throws(() => valueAndGrad(null as never), TypeError);
    assert.throws(
      () => valueAndGrad((x) => x, { argnums: 1 })([1]),
      RangeError,
    );
    assert.throws(
      () => valueAndGrad((x) => x.log(), { argnums: [0] })({} as never),
      TypeError,
    );
  });
});

// Each fused VJP against the autodiff of the op's defining composition. The
// composition runs in float64 and is rounded once, so where its formula is
// well conditioned it is within ½ ULP of the truth, as the kernel is: 2 ULP
// covers both roundings. Where a composition is ill-conditioned the inputs are
// restricted, each time with the reason.

const rand = seededRandom(20240601);
const RANDOM = logUniform(rand, 10_000);
const DY = Array.from(
  { length: 160 + RANDOM.length },
  () =>
    (rand() < 0.5 ? -1 : 1) * Math.exp(Math.log(1e-2) + rand() * Math.log(1e4)),
);

/** The grid and the random inputs satisfying `keep`, with their dy. */
function inputs(
  keep: (x: number) => boolean,
): { x: Float32Array; dy: Float32Array } {
  const all = [...bookGrid(), ...RANDOM];
  const idx = all.map((_, i) => i).filter((i) =>
    Number.isFinite(all[i]) && keep(all[i]!)
  );
  return {
    x: new Float32Array(idx.map((i) => all[i]!)),
    dy: new Float32Array(idx.map((i) => DY[i]!)),
  };
}

type Composition = (x: Variable, p: Variable) => Variable;
type CompositionOp =
  | "swish"
  | "gelu"
  | "mish"
  | "hardSwish"
  | "selu"
  | "silu"
  | "softplus"
  | "logSigmoid";

interface CompareOptions {
  /** The learned parameter whose gradient (a sum) is compared too. */
  readonly param?: string;
  /** Where the composition's ∂/∂θ is well conditioned. @default everywhere */
  readonly paramDomain?: (x: number) => boolean;
  /** An absolute bound instead of 2 ULP: (x, want, |dy|) → max |got − want|. */
  readonly tolerance?: (x: number, want: number, dy: number) => number;
}

/**
 * Checks value, derivative and dx (with a random dy) of `op` against the
 * autodiff of `comp` on the inputs in `domain`, and the sum of the learned
 * parameter's gradient when `opts.param` names one.
 */
async function compare(
  op: CompositionOp,
  params: Record<string, number | string>,
  comp: Composition,
  domain: (x: number) => boolean,
  opts: CompareOptions = {},
): Promise<void> {
  const { x, dy } = inputs(domain);
  const p = opts.param === undefined ? 0 : params[opts.param] as number;
  const check = (
    got: Float32Array,
    want: Float32Array,
    what: string,
    withDy: boolean,
  ) => {
    for (let i = 0; i < x.length; i++) {
      const d = ulpDistance(got[i]!, want[i]!);
      const ok = opts.tolerance === undefined
        ? d <= 2
        : Math.abs(got[i]! - want[i]!) <=
          opts.tolerance(x[i]!, want[i]!, withDy ? Math.abs(dy[i]!) : 1);
      assert.ok(
        ok,
        `${op} ${JSON.stringify(params)} ${what} at x = ${x[i]}: fused ${
          got[i]
        }, composition ${want[i]} (${d} ULP)`,
      );
    }
  };
  const { value, grad: d } = valueAndGrad((x, p) => comp(x, p))(x, p);
  const call = native[op] as (
    x: Float32Array,
    o?: unknown,
  ) => Promise<Float32Array>;
  check(await call(x, params), value, "value", false);
  const derivative = native.derivative as (
    op: string,
    x: Float32Array,
    o: unknown,
  ) => Promise<Float32Array>;
  check(await derivative(op, x, params), d, "derivative", false);
  const fused = await native.vjp(op as "swish", x, {
    dy,
    params: params as never,
  });
  const dx = grad((x, p) => comp(x, p).mul(dy))(x, p);
  check(fused.dx, dx, "dx", true);
  if (opts.param === undefined) return;
  // The parameter's gradient is a sum, compared as _accuracy.ts compares sums,
  // over the inputs where the composition's ∂/∂θ is well conditioned.
  const keep = opts.paramDomain ?? (() => true);
  const sel = [...x.keys()].filter((i) => keep(x[i]!));
  const xs = new Float32Array(sel.map((i) => x[i]!));
  const dys = new Float32Array(sel.map((i) => dy[i]!));
  const composed = grad((x, p) => comp(x, p).mul(dys), { argnums: 1 })(
    xs,
    p,
  ) as number;
  const fusedSel = await native.vjp(op as "swish", xs, {
    dy: dys,
    params: params as never,
  });
  const got =
    (fusedSel.dparams as Record<string, Float32Array>)[opts.param]![0]!;
  const resolved = resolveParams(op, params) as Record<string, number | string>;
  const ref =
    (ops[op].dfdp as Record<string, (x: number, p: typeof resolved) => number>)[
      opts.param
    ]!;
  let abs = 0;
  for (let i = 0; i < xs.length; i++) {
    abs += Math.abs(dys[i]! * ref(xs[i]!, resolved));
  }
  assert.ok(
    sumError(got, composed, abs, xs.length) <= 1,
    `${op} d${opts.param}: fused ${got}, composition ${composed} (Σ|terms| ${abs})`,
  );
}

Deno.test("vjp() against autodiff compositions", async (t) => {
  const all = () => true;
  for (const beta of [0.5, 1, 1.702, 10]) {
    await t.step(`swish = x·σ(βx), β = ${beta}: dx and dβ`, async () => {
      // Stable for every finite x: σ and σ' are taken without cancellation
      // and a decayed σ' makes x·σ' exactly 0.
      await compare(
        "swish",
        { beta },
        (x, b) => x.mul(x.mul(b).sigmoid()),
        all,
        { param: "beta" },
      );
    });
  }
  await t.step("silu = x·σ(x)", async () => {
    await compare("silu", {}, (x) => x.mul(x.sigmoid()), all);
  });
  for (const approximate of ["none", "tanh"]) {
    await t.step(
      `gelu = 0.5x(1 + erf(x/√2)), approximate = ${approximate}`,
      async () => {
        // 1 + erf(x/√2) (or 1 + tanh u) cancels as x → −∞: its relative error
        // is ε/Φ(x), under 2⁻³⁰ only for x ≥ −5. Below that the composition,
        // not the kernel, is wrong.
        const comp: Composition = approximate === "none"
          ? (x) => x.mul(0.5).mul(x.mul(Math.SQRT1_2).erf().add(1))
          : (x) =>
            x.mul(0.5).mul(
              x.add(x.mul(x).mul(x).mul(0.044715)).mul(Math.sqrt(2 / Math.PI))
                .tanh().add(1),
            );
        await compare("gelu", { approximate }, comp, (x) => x >= -5);
      },
    );
  }
  await t.step("mish = x·tanh(softplus x), softplus as log1p(eˣ)", async () => {
    // eˣ overflows above 709, and then log1p'·exp' is 0·∞: x ≤ 700.
    await compare(
      "mish",
      {},
      (x) => x.mul(x.exp().log1p().tanh()),
      (x) => x <= 700,
    );
  });
  await t.step("softplus = log1p(e^{βx})/β: dx and dβ", async () => {
    for (const beta of [0.5, 1, 2]) {
      // e^{βx} overflows for βx > 709. Above the threshold (20) the op is x
      // itself while the composition adds log1p(e^{−βx})/β < ULP/2, so values
      // and dx still agree; ∂/∂β there is 0 by the op's definition but not
      // the composition's, and the composition's ∂/∂β cancels (relative error
      // ε·e^{βx}) anyway: dβ is compared for βx ≤ 10.
      await compare(
        "softplus",
        { beta },
        (x, b) => x.mul(b).exp().log1p().div(b),
        (x) => beta * x <= 700,
        {
          param: "beta",
          paramDomain: (x) => beta * x <= 10,
        },
      );
    }
  });
  await t.step("logSigmoid = −log1p(e⁻ˣ)", async () => {
    // e⁻ˣ overflows for x < −709.
    await compare(
      "logSigmoid",
      {},
      (x) => x.neg().exp().log1p().neg(),
      (x) => x >= -700,
    );
  });
  await t.step("selu = λ·elu_α", async () => {
    // elu here is the float32 kernel: its output (and the upstream gradient
    // λ it receives) are rounded to float32 before the product with λ, two
    // roundings of ≤ ½ ULP each on top of the final one: 2 ULP.
    await compare(
      "selu",
      {},
      (x) => x.op("elu", { alpha: SELU_ALPHA }).mul(SELU_LAMBDA),
      all,
    );
  });
  await t.step("hardSwish = x·relu6(x + 3)/6", async () => {
    // relu6 is the float32 kernel, so x + 3 is rounded to float32 there
    // (error ≤ ½ ulp(x + 3)), which moves the value by |x|/6 and the
    // derivative by 1/6 times that; its upstream gradient x/6 (times dy) is
    // rounded too. Bound: 2 ULP of the result plus those propagated errors.
    // That upstream gradient must also fit in float32 (|x·dy/6| < 3.4e38, or
    // it reaches the kernel as ±∞ and ∞·0 is NaN): |x| ≤ 1e30.
    await compare(
      "hardSwish",
      {},
      (x) => x.mul(x.add(3).op("relu6")).div(6),
      (x) => Math.abs(x) <= 1e30,
      {
        tolerance: (x, want, dy) =>
          2 * ulpOf(want) +
          dy * ((Math.abs(x) + 1) / 6 * ulpOf(x + 3) + ulpOf(x / 6)),
      },
    );
  });
});

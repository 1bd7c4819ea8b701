import assert from "node:assert";
import {
  normalSamples,
  type OpName,
  ops,
  type OpSpec,
  resolveParams,
  seededRandom,
  ulpDistance,
} from "@nonlin/core";
import {
  type Definition,
  definitions,
  type KernelName,
  type Loop,
  LOOPS,
} from "./_definitions.ts";
import {
  generatedKernel,
  interpretedKernel,
  jsKernelOf,
  jsLoopSource,
} from "./_js_target.ts";
import { logUniform } from "./_accuracy.ts";
import type { OpKernel } from "./_kernels.ts";

/** The catalog op and parameter sets a kernel name is measured with. */
function casesOf(name: KernelName): [OpName, Params][] {
  const op: OpName = name === "geluTanh" ? "gelu" : name;
  const spec = ops[op] as unknown as OpSpec;
  const sets = [spec.example, ...spec.edges].filter((set) =>
    Object.values(set).every((v) => typeof v === "number")
  );
  if (name === "geluTanh") return [[op, { approximate: "tanh" }]];
  if (op === "gelu") return [[op, {}]];
  return sets.map((set) => {
    const p = resolveParams(op, { ...spec.example, ...set });
    return [op, p as Params];
  });
}

/** Inputs: the book's grid, Gaussian and log-uniform samples, and specials. */
function inputs(finite: boolean): Float32Array {
  const xs = [
    ...Array.from({ length: 161 }, (_, i) => (i - 80) / 10),
    ...normalSamples(500, 17, 4),
    ...logUniform(seededRandom(23), 500),
  ];
  if (!finite) xs.push(NaN, Infinity, -Infinity, 0, -0);
  return Float32Array.from(xs);
}

type Params = Record<string, number | string>;

interface Worst {
  ulp: number;
  x: number;
  got: number;
  want: number;
}

/** The worst ULP distance of one generated loop from the reference. */
function measure(
  def: Definition,
  op: OpName,
  p: Params,
  loop: Loop,
  build: (def: Definition) => OpKernel = generatedKernel,
): Worst {
  const spec = ops[op] as unknown as OpSpec;
  const kernel = build(def);
  const x = inputs(def.finiteOnly.includes(loop));
  const out = new Float32Array(x.length);
  const args = { params: p };
  const reference = loop === "forward"
    ? spec.f
    : loop === "secondDerivative"
    ? spec.d2fdx2
    : spec.dfdx;
  if (loop === "vjp") {
    const dp: Record<string, Float64Array> = {};
    for (const g of def.grads) dp[g] = new Float64Array(1);
    kernel.vjp(x, new Float32Array(x.length).fill(1), out, dp, args);
  } else {
    kernel[loop](x, out, args);
  }
  let worst: Worst = { ulp: 0, x: 0, got: 0, want: 0 };
  for (let i = 0; i < x.length; i++) {
    const want = Math.fround(reference(x[i]!, p));
    const ulp = ulpDistance(out[i]!, want);
    if (ulp > worst.ulp) worst = { ulp, x: x[i]!, got: out[i]!, want };
  }
  return worst;
}

Deno.test("jsKernelOf()", async (t) => {
  for (const name of Object.keys(definitions) as KernelName[]) {
    const def = definitions[name];
    await t.step(
      `${name}: the generated loops hold the engine's bounds`,
      () => {
        for (const [op, p] of casesOf(name)) {
          for (const loop of LOOPS) {
            // The targets run relu's forward for α = 0, whose limit at −∞ is
            // 0 rather than 0·∞.
            if (op === "leakyRelu" && p.alpha === 0 && loop === "forward") {
              continue;
            }
            const w = measure(def, op, p, loop);
            const bound = loop === "forward" ? 1 : 2;
            assert.ok(
              w.ulp <= bound,
              `${name} ${
                JSON.stringify(p)
              } ${loop}: ${w.ulp} ULP at x = ${w.x} (got ${w.got}, want ${w.want})`,
            );
          }
        }
      },
    );
  }
  await t.step("the interpreted loops (no new Function) hold them too", () => {
    for (const name of Object.keys(definitions) as KernelName[]) {
      for (const [op, p] of casesOf(name)) {
        for (const loop of LOOPS) {
          if (op === "leakyRelu" && p.alpha === 0 && loop === "forward") {
            continue;
          }
          const w = measure(definitions[name], op, p, loop, interpretedKernel);
          assert.ok(
            w.ulp <= (loop === "forward" ? 1 : 2),
            `${name} ${JSON.stringify(p)} ${loop}: ${w.ulp} ULP at x = ${w.x}`,
          );
        }
      }
    }
  });
  await t.step("a definition with finite-only loops needs an override", () => {
    assert.throws(
      () => jsKernelOf("sigmoid", definitions.sigmoid),
      /sigmoid need an override: its definition's derivative, secondDerivative, vjp hold for finite x only/,
    );
  });
  await t.step("the measure catches a wrong definition (fixture)", () => {
    const wrong: Definition = {
      ...definitions.relu,
      forward: (k, x) => k.max(x, k.c(1e-30)),
    };
    assert.ok(measure(wrong, "relu", {}, "forward").ulp > 1);
  });
  await t.step("the source reads as the definition", () => {
    const src = jsLoopSource(definitions.softplus, "vjp");
    assert.match(src, /dparams\["beta"\]\[0\] \+= s0 \* u0;/);
    assert.match(jsLoopSource(definitions.silu, "forward"), /const p0 = 1;/);
  });
});

// The vector math of _vmath.ts, measured in float64 before any rounding to
// float32: each function runs over dense samples of its domain and its
// relative error against a float64 reference must stay inside the bound the
// kernels' accuracy rests on (the module doc of _vmath.ts).

import assert from "node:assert";
import { erfc as referenceErfc } from "@nonlin/core";
import { I32, i32, ModuleBuilder, V128 } from "./_asm.ts";
import {
  type Accuracy,
  ConstPool,
  K,
  KGroup,
  POOL_BASE,
  type VectorMath,
} from "./_vmath.ts";

type Unary = <T>(k: VectorMath<T>, x: T) => T;

const functions: Record<string, Unary> = {
  expFast: (k, x) => k.exp(x, "fast"),
  expAccurate: (k, x) => k.exp(x, "accurate"),
  expm1Fast: (k, x) => k.expm1(x, "fast"),
  expm1Accurate: (k, x) => k.expm1(x, "accurate"),
  log1p: (k, x) => k.log1p(x),
  tanhFast: (k, x) => k.tanh(x, "fast"),
  tanhAccurate: (k, x) => k.tanh(x, "accurate"),
  erfc: (k, x) => k.erfc(x),
  erfcFast: (k, x) => k.erfcFast(x),
  erfcNearHalf: (k, x) => k.erfcNearHalf(x),
  normalCdf: (k, x) => k.normalCdf(x),
  normalGauss: (k, x) => k.normalParts(x).g,
  sigmoidFast: (k, x) => k.logistic(x, "fast").sigmoid,
  sigmoidAccurate: (k, x) => k.logistic(x, "accurate").sigmoid,
  sigmoidSlopeFast: (k, x) => k.logisticSlope(x, "fast"),
  // A correction under `when` (as the definitions' nearRoot): the fast
  // exponential, redone accurately where x < −1.
  expCorrected: (k, x) => {
    const value = k.let(k.exp(x, "fast"));
    const mask = k.let(k.lt(x, k.c(-1)));
    k.when(
      mask,
      () => k.set(value, k.select(mask, k.exp(x, "accurate"), value)),
    );
    return value;
  },
};

/**
 * Instantiates every function as a loop over float64 arrays: one f64x2
 * vector a step, or (`group`) three side by side with {@linkcode KGroup}.
 */
function load(
  fma: boolean,
  group = false,
  misplace = false,
): Record<string, (xs: Float64Array) => Float64Array> {
  const pool = new ConstPool();
  const m = new ModuleBuilder({ initial: 1 });
  for (const [name, fn] of Object.entries(functions)) {
    m.func(name, ["i32", "i32", "i32"], [], (f) => {
      const k = new K(f, pool, fma);
      const x = f.param(0, "i32");
      const y = f.param(1, "i32");
      const n = f.param(2, "i32");
      const i = f.local("i32");
      f.doWhile(() => {
        const off = f.let(I32.shl(i, i32(3)));
        if (group) {
          const g = new KGroup(k, 3);
          const xs = g.let(
            [0, 16, 32].map((o) => V128.load(I32.add(x, off), o)),
          );
          const ys = g.let(fn(g, xs));
          // `misplace`: a broken group that stores each member one slot on.
          ys.forEach((yv, j) =>
            f.storeV128(I32.add(y, off), yv, 16 * (misplace ? (j + 1) % 3 : j))
          );
          f.set(i, I32.add(i, i32(6)));
        } else {
          const xv = f.let(V128.load(I32.add(x, off)));
          f.storeV128(I32.add(y, off), fn(k, xv));
          f.set(i, I32.add(i, i32(2)));
        }
      }, () => I32.ltS(i, n));
    });
  }
  const memory = new WebAssembly.Memory({ initial: 256 });
  new Uint8Array(memory.buffer).set(pool.bytes(), POOL_BASE);
  const instance = new WebAssembly.Instance(
    new WebAssembly.Module(m.encode()),
    { env: { memory } },
  );
  const out: Record<string, (xs: Float64Array) => Float64Array> = {};
  for (const name of Object.keys(functions)) {
    const fn = instance.exports[name] as (
      a: number,
      b: number,
      n: number,
    ) => void;
    out[name] = (xs) => {
      const n = group
        ? 6 * Math.ceil(xs.length / 6)
        : xs.length + (xs.length & 1);
      const base = 65536;
      const f64 = new Float64Array(memory.buffer);
      f64.fill(0, base / 8, base / 8 + n);
      f64.set(xs, base / 8);
      fn(base, base + 8 * n, n);
      return f64.slice(base / 8 + n, base / 8 + n + xs.length);
    };
  }
  return out;
}

/** `count` points spread evenly over [a, b], both ends included. */
function linspace(a: number, b: number, count: number): Float64Array {
  return Float64Array.from(
    { length: count },
    (_, i) => a + ((b - a) * i) / (count - 1),
  );
}

/** Points log-spaced in magnitude from 1e-300 to `max`, with sign `sign`. */
function logspace(max: number, count: number, sign: 1 | -1): Float64Array {
  const lo = Math.log(1e-300);
  const hi = Math.log(max);
  return Float64Array.from(
    { length: count },
    (_, i) => sign * Math.exp(lo + ((hi - lo) * i) / (count - 1)),
  );
}

function concat(...parts: Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** The worst relative error of `got` against `want`, and where. */
function worst(
  xs: Float64Array,
  got: Float64Array,
  want: (x: number) => number,
): { error: number; x: number } {
  let error = 0;
  let at = NaN;
  for (let i = 0; i < xs.length; i++) {
    const w = want(xs[i]!);
    const e = w === 0 ? Math.abs(got[i]!) : Math.abs(got[i]! / w - 1);
    if (!(e <= error)) {
      error = e;
      at = xs[i]!;
    }
  }
  return { error, x: at };
}

function assertBound(
  name: string,
  r: { error: number; x: number },
  log2Bound: number,
): void {
  assert.ok(
    r.error <= 2 ** log2Bound,
    `${name}: relative error 2^${
      Math.log2(r.error).toFixed(2)
    } at x = ${r.x}, bound 2^${log2Bound}`,
  );
}

const nonPositive = concat(
  linspace(-708, 0, 200_001),
  logspace(1, 20_001, -1),
  new Float64Array([-0, 0]),
);

function tanhRef(x: number): number {
  return Math.tanh(x);
}

for (const fma of [false, true]) {
  const f = load(fma);
  const tag = fma ? " (fused multiply–add)" : "";
  const bounds: Record<Accuracy, { exp: number; expm1: number; tanh: number }> =
    {
      // Measured here: 2^-27.8 (exp), 2^-26.5 (expm1), 2^-26.3 (tanh); the
      // bounds leave a quarter bit.
      fast: { exp: -27.5, expm1: -26.25, tanh: -26 },
      // Measured 2^-52, 2^-52, 2^-51 against V8's Math functions (themselves
      // within a float64 ulp).
      accurate: { exp: -51, expm1: -51, tanh: -50.5 },
    };

  Deno.test(`exp${tag}`, async (t) => {
    for (const accuracy of ["fast", "accurate"] as const) {
      const name = accuracy === "fast" ? "expFast" : "expAccurate";
      await t.step(`${accuracy}: relative error on [−708, 0]`, () => {
        const r = worst(nonPositive, f[name]!(nonPositive), Math.exp);
        assertBound(name, r, bounds[accuracy].exp);
      });
      await t.step(
        `${accuracy}: exact at 0, tiny and positive below −708`,
        () => {
          const y = f[name]!(new Float64Array([0, -0, -708.5, -1e300]));
          assert.strictEqual(y[0], 1);
          assert.strictEqual(y[1], 1);
          assert.ok(y[2]! > 0 && y[2]! < 1e-307);
          assert.ok(y[3]! > 0 && y[3]! < 1e-307);
        },
      );
    }
  });

  Deno.test(`expm1${tag}`, async (t) => {
    for (const accuracy of ["fast", "accurate"] as const) {
      const name = accuracy === "fast" ? "expm1Fast" : "expm1Accurate";
      await t.step(
        `${accuracy}: relative error on [−708, 0], tiny values too`,
        () => {
          const r = worst(nonPositive, f[name]!(nonPositive), Math.expm1);
          assertBound(name, r, bounds[accuracy].expm1);
        },
      );
      await t.step(`${accuracy}: tiny and subnormal arguments`, () => {
        const xs = new Float64Array([-(2 ** -1074), -1e-310, -1e-200, 0]);
        const y = f[name]!(xs);
        // The accurate polynomial starts with r exactly; the fast one with
        // r·(1 + 2⁻²⁶·⁵), inside its bound.
        for (let i = 0; i < 3; i++) {
          if (accuracy === "accurate") assert.strictEqual(y[i], xs[i]);
          else {assert.ok(
              Math.abs(y[i]! / xs[i]! - 1) <= 2 ** bounds.fast.expm1 ||
                xs[i] === -(2 ** -1074) && y[i] === xs[i],
            );}
        }
        assert.strictEqual(y[3], 0);
      });
    }
  });

  Deno.test(`log1p${tag}`, async (t) => {
    await t.step("relative error on [0, 1]", () => {
      const xs = concat(linspace(0, 1, 200_001), logspace(1, 20_001, 1));
      const r = worst(xs, f.log1p!(xs), Math.log1p);
      // The series stops at 2⁻³⁴ of its sum; the rest is rounding (measured
      // 2^-34.2).
      assertBound("log1p", r, -33.75);
    });
    await t.step("exact at 0 and at 1", () => {
      const y = f.log1p!(new Float64Array([0, 1]));
      assert.strictEqual(y[0], 0);
      assert.strictEqual(y[1], Math.LN2);
    });
  });

  Deno.test(`tanh${tag}`, async (t) => {
    const xs = concat(
      linspace(-20, 20, 200_001),
      logspace(20, 10_001, 1),
      logspace(20, 10_001, -1),
    );
    for (const accuracy of ["fast", "accurate"] as const) {
      const name = accuracy === "fast" ? "tanhFast" : "tanhAccurate";
      await t.step(`${accuracy}: relative error on [−20, 20]`, () => {
        assertBound(
          name,
          worst(xs, f[name]!(xs), tanhRef),
          bounds[accuracy].tanh,
        );
      });
      await t.step(`${accuracy}: odd, −0 kept, ±1 far out`, () => {
        const y = f[name]!(new Float64Array([-0, 0, 1e300, -1e300]));
        assert.ok(Object.is(y[0], -0));
        assert.ok(Object.is(y[1], 0));
        assert.strictEqual(y[2], 1);
        assert.strictEqual(y[3], -1);
      });
    }
  });

  Deno.test(`erfc${tag}`, async (t) => {
    await t.step("relative error on [−6, 26], each of fdlibm's regions", () => {
      const xs = concat(
        linspace(-6, 26, 320_001),
        logspace(0.84, 10_001, 1),
        logspace(0.84, 10_001, -1),
      );
      const r = worst(xs, f.erfc!(xs), referenceErfc);
      // fdlibm's method with this module's exponential: a few float64 ulps
      // from @nonlin/core's erfc (the same method with Math.exp); measured
      // 2^-50.7.
      assertBound("erfc", r, -50);
    });
    await t.step(
      "below 1e-295 beyond 26 (where the exponential is held at e^−708)",
      () => {
        const xs = linspace(26, 40, 10_001);
        const y = f.erfc!(xs);
        for (let i = 0; i < xs.length; i++) {
          assert.ok(y[i]! >= 0 && y[i]! < 1e-295, `erfc(${xs[i]}) = ${y[i]}`);
        }
      },
    );
    await t.step("the limits", () => {
      const y = f.erfc!(new Float64Array([0, -30, 30, -0]));
      assert.strictEqual(y[0], 1);
      assert.strictEqual(y[1], 2);
      assert.ok(y[2]! >= 0 && y[2]! < 1e-300);
      assert.strictEqual(y[3], 1);
    });
  });

  Deno.test(`erfcFast${tag}`, async (t) => {
    await t.step("relative error on (−11, 11)", () => {
      const xs = concat(
        linspace(-11, 11 - 1e-9, 220_001),
        logspace(11 - 1e-9, 10_001, 1),
      );
      const r = worst(xs, f.erfcFast!(xs), referenceErfc);
      // The fit's 2^-31.8 and the fast exponential's 2^-27.8.
      assertBound("erfcFast", r, -27);
    });
    await t.step("0 from 11 on, 2 far below", () => {
      const y = f.erfcFast!(new Float64Array([11, 12, 1e30, -11, -1e30]));
      assert.deepStrictEqual([...y], [0, 0, 0, 2, 2]);
    });
  });

  Deno.test(`normalCdf${tag}`, async (t) => {
    const phi = (x: number) => referenceErfc(-x * Math.SQRT1_2) / 2;
    // float32 inputs (the loops' x², exact) and float64 ones on a grid.
    const grid = (a: number, b: number) =>
      concat(
        Float64Array.from(new Float32Array(linspace(a, b, 200_001))),
        linspace(a, b, 100_003),
      );
    await t.step("relative error on [−15.5, 10] (the fit's range)", () => {
      // The fit's 2^-31.8 and the fast exponential's 2^-27.8.
      const xs = grid(-15.5, 10);
      assertBound("normalCdf", worst(xs, f.normalCdf!(xs), phi), -27);
    });
    await t.step("extrapolated below −15.5, where x·Φ(x) < 2⁻¹⁷⁰", () => {
      const xs = grid(-37, -15.5);
      const y = f.normalCdf!(xs);
      assertBound("normalCdf extrapolated", worst(xs, y, phi), -20);
      assert.ok(y.every((v, i) => Math.abs(xs[i]! * v) < 2 ** -170));
    });
    await t.step("g = e^(−x²/2) within the fast exponential's error", () => {
      const xs = grid(-37, 37);
      const gauss = (x: number) => Math.exp(-x * x / 2);
      assertBound("normalParts g", worst(xs, f.normalGauss!(xs), gauss), -27.5);
    });
    await t.step("the tails: 0 far below, 1 far above, ½ at ±0", () => {
      const y = f.normalCdf!(new Float64Array([-1e30, -3e38, 1e30, -0, 0]));
      assert.deepStrictEqual([...y.slice(0, 3)], [0, 0, 1]);
      for (const v of y.slice(3)) assert.ok(Math.abs(v / 0.5 - 1) < 2 ** -27);
    });
  });

  Deno.test(`erfcNearHalf${tag}`, async (t) => {
    await t.step("relative error on [0.25, 0.84375)", () => {
      const xs = linspace(0.25, 0.84375 - 1e-12, 100_001);
      const r = worst(xs, f.erfcNearHalf!(xs), referenceErfc);
      assertBound("erfcNearHalf", r, -51);
    });
  });

  Deno.test(`logistic${tag}`, async (t) => {
    const sigmoid = (x: number) =>
      x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    const xs = concat(linspace(-700, 700, 200_001), linspace(-5, 5, 100_001));
    await t.step("fast: σ within the exponential's error", () => {
      assertBound("sigmoidFast", worst(xs, f.sigmoidFast!(xs), sigmoid), -27.5);
    });
    await t.step("fast: σ(x)σ(−x) within three times its error", () => {
      const slope = (x: number) => {
        const e = Math.exp(-Math.abs(x));
        return e / ((1 + e) * (1 + e));
      };
      assertBound(
        "sigmoidSlopeFast",
        worst(xs, f.sigmoidSlopeFast!(xs), slope),
        -26,
      );
    });
    await t.step("accurate: σ within a few float64 ulps", () => {
      assertBound(
        "sigmoidAccurate",
        worst(xs, f.sigmoidAccurate!(xs), sigmoid),
        -50.5,
      );
    });
  });
}

/** The first element where the grouped loops differ from the one-vector ones. */
function firstMismatch(
  one: Record<string, (xs: Float64Array) => Float64Array>,
  three: Record<string, (xs: Float64Array) => Float64Array>,
  xs: Float64Array,
): string | undefined {
  for (const name of Object.keys(functions)) {
    const a = one[name]!(xs);
    const b = three[name]!(xs);
    for (let i = 0; i < xs.length; i++) {
      if (!Object.is(a[i], b[i])) {
        return `${name} at ${xs[i]}: ${b[i]} in a group, ${a[i]} alone`;
      }
    }
  }
  return undefined;
}

Deno.test("KGroup", async (t) => {
  const xs = concat(
    linspace(-30, 30, 6_007),
    logspace(700, 1_001, -1),
    new Float64Array([-0, 0, 0.5, -0.75]),
  );
  await t.step("three vectors side by side give one vector's bits", () => {
    for (const fma of [false, true]) {
      assert.strictEqual(
        firstMismatch(load(fma), load(fma, true), xs),
        undefined,
      );
    }
  });
  await t.step("a group that misplaces its members is caught", () => {
    assert.notStrictEqual(
      firstMismatch(load(true), load(true, true, true), xs),
      undefined,
    );
  });
});

Deno.test("ConstPool", async (t) => {
  await t.step("one entry per value, −0 apart from 0", () => {
    const pool = new ConstPool();
    const a = pool.f64(1.5);
    assert.strictEqual(pool.f64(1.5), a);
    assert.notStrictEqual(pool.f64(-0), pool.f64(0));
    assert.strictEqual(pool.i32(7), pool.i32(7));
    const bytes = pool.bytes();
    const f64 = new Float64Array(bytes.buffer, bytes.byteOffset, 2);
    assert.deepStrictEqual([...f64], [1.5, 1.5]);
    assert.strictEqual(a, POOL_BASE);
  });
});

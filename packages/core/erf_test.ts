import assert from "node:assert";
import fc from "fast-check";
import { erf, erfc } from "./erf.ts";
import { nextFloat64, ulps } from "./testdata/float64.ts";

/**
 * erf and erfc at float64 points, to 25 significant digits.
 *
 * Made with mpmath 1.3.0 at 50 decimal digits of working precision, each x
 * taken as the float64 that the literal denotes:
 *
 * ```py
 * import mpmath
 * mpmath.mp.dps = 50
 * for s in XS:
 *     x = mpmath.mpf(float(s))
 *     print(s, mpmath.nstr(mpmath.erf(x), 25), mpmath.nstr(mpmath.erfc(x), 25))
 * ```
 *
 * `Number()` of a 25-digit string is the float64 nearest the true value
 * (barring a double rounding within 10⁻²⁵ of a midpoint), so a distance of
 * 0 ulps means correctly rounded.
 */
const TABLE: readonly (readonly [number, string, string])[] = [
  [5e-324, "5.574933819448522712675509e-324", "1.0"],
  [1e-310, "1.12837916709550912662192e-310", "1.0"],
  [1e-300, "1.128379167095512602172316e-300", "1.0"],
  [1e-20, "1.128379167095512512008253e-20", "0.9999999999999999999887162"],
  [1e-10, "1.12837916709551261500173e-10", "0.9999999998871620832904487"],
  [
    3.7252902984e-09,
    "4.203539964097585486435564e-9",
    "0.9999999957964600359024145",
  ],
  [1e-5, "1.128379167057900027298965e-5", "0.999988716208329420999727"],
  [0.001, "0.001128378790969236403437564", "0.9988716212090307635965624"],
  [0.1, "0.1124629160182848984047123", "0.8875370839817151015952877"],
  [0.2, "0.222702589210478466176453", "0.777297410789521533823547"],
  [0.25, "0.2763263901682369329850683", "0.7236736098317630670149317"],
  [0.3, "0.328626759459127416189618", "0.671373240540872583810382"],
  [0.5, "0.5204998778130465376827467", "0.4795001221869534623172533"],
  [0.6174, "0.6174107484113940743376623", "0.3825892515886059256623377"],
  [0.8, "0.7421009647076605125897874", "0.2578990352923394874102126"],
  [0.84375, "0.7672256612323416334589782", "0.2327743387676583665410218"],
  [0.9, "0.7969082124228321396646662", "0.2030917875771678603353338"],
  [1, "0.8427007929497148693412206", "0.1572992070502851306587794"],
  [1.1, "0.8802050695740817296572595", "0.1197949304259182703427405"],
  [1.25, "0.9229001282564582301365235", "0.07709987174354176986347652"],
  [1.5, "0.9661051464753107270669763", "0.03389485352468927293302374"],
  [2, "0.9953222650189527341620693", "0.004677734981047265837930744"],
  [2.5, "0.9995930479825550410604358", "0.0004069520174449589395642157"],
  [
    2.857142857142857,
    "0.9999466876886116772057293",
    "5.331231138832279427066585e-5",
  ],
  [3, "0.9999779095030014145586272", "2.209049699858544137277613e-5"],
  [3.5, "0.9999992569016276585872545", "7.430983723414127455236838e-7"],
  [4, "0.9999999845827420997199811", "1.541725790028001885215967e-8"],
  [5, "0.999999999998462540205572", "1.537459794428034850188343e-12"],
  [6, "0.9999999999999999784802633", "2.151973671249891311659335e-17"],
  [7.5, "1.0", "2.776649386030569100663966e-26"],
  [10, "1.0", "2.088487583762544757000786e-45"],
  [12, "1.0", "1.356261169205904212780306e-64"],
  [15, "1.0", "7.212994172451206666565067e-100"],
  [20, "1.0", "5.395865611607900928934999e-176"],
  [25, "1.0", "8.300172571196522752044013e-274"],
  [26, "1.0", "5.663192408856142846475728e-296"],
  [26.5, "1.0", "2.210907664263734275929239e-307"],
  [27, "1.0", "5.237048923789255685016068e-319"],
  [27.2, "1.0", "1.018904914270315539514234e-323"],
  [-0.1, "-0.1124629160182848984047123", "1.112462916018284898404712"],
  [-0.5, "-0.5204998778130465376827467", "1.520499877813046537682747"],
  [-0.84375, "-0.7672256612323416334589782", "1.767225661232341633458978"],
  [-1, "-0.8427007929497148693412206", "1.842700792949714869341221"],
  [-1.25, "-0.9229001282564582301365235", "1.922900128256458230136523"],
  [-2, "-0.9953222650189527341620693", "1.995322265018952734162069"],
  [-3, "-0.9999779095030014145586272", "1.999977909503001414558627"],
  [-5, "-0.999999999998462540205572", "1.999999999998462540205572"],
  [-5.9, "-0.9999999999999999280959022", "1.999999999999999928095902"],
  [-6, "-0.9999999999999999784802633", "1.999999999999999978480263"],
  [-10, "-1.0", "2.0"],
];

/** The float64 next to x in the direction of `toward`. */
function step(x: number, toward: number): number {
  return nextFloat64(x, toward > x);
}

/**
 * Whether f moves from x to its neighbour y by what its slope ±2e^(−x²)/√π
 * predicts, give or take 3 ulps: a branch of the method that disagrees with
 * the next one by more shows up here.
 */
function continuousAt(f: (x: number) => number, x: number, y: number): boolean {
  const slope = TWO_OVER_SQRT_PI * Math.exp(-x * x);
  const jump = Math.abs(f(y) - f(x)) - slope * Math.abs(y - x);
  const ulp = Math.abs(step(f(x), Infinity) - f(x));
  return jump <= 3 * ulp;
}

/** Seeded, so a failure reproduces; 2000 runs take a few milliseconds. */
const RUNS = { seed: 20240601, numRuns: 2000 } as const;

/** Doubles of every magnitude, both signs, no NaN or ∞. */
const anyDouble = fc.double({ noNaN: true, noDefaultInfinity: true });

/** 2/√π. */
const TWO_OVER_SQRT_PI = 1.1283791670955126;

Deno.test("erf()", async (t) => {
  await t.step("matches the high-precision table within 1 ulp", () => {
    let worst = 0;
    for (const [x, want] of TABLE) {
      const d = ulps(erf(x), Number(want));
      assert.ok(d <= 1, `erf(${x}) = ${erf(x)}, want ${want}: ${d} ulps`);
      worst = Math.max(worst, d);
    }
    // Most points are correctly rounded; a table where none is would hint at
    // a systematic bias hiding inside the tolerance.
    const exact = TABLE.filter(([x, want]) => erf(x) === Number(want)).length;
    assert.ok(
      exact >= TABLE.length - 5,
      `only ${exact} of ${TABLE.length} exact`,
    );
    assert.ok(worst <= 1);
  });

  await t.step("NaN, infinities and signed zero", () => {
    assert.ok(Number.isNaN(erf(NaN)));
    assert.strictEqual(erf(Infinity), 1);
    assert.strictEqual(erf(-Infinity), -1);
    assert.ok(Object.is(erf(0), 0));
    assert.ok(Object.is(erf(-0), -0));
  });

  await t.step("subnormal inputs give subnormal outputs, not zero", () => {
    assert.strictEqual(erf(5e-324), 5e-324); // 5.57e-324 rounds to the least subnormal
    assert.strictEqual(erf(-5e-324), -5e-324);
    for (const x of [1e-310, 2e-308, -3e-315, 2 ** -1022]) {
      const want = TWO_OVER_SQRT_PI * x;
      assert.ok(ulps(erf(x), want) <= 1, `erf(${x}) = ${erf(x)}, want ${want}`);
    }
  });

  await t.step("is odd, exactly", () => {
    fc.assert(
      fc.property(anyDouble, (x) => Object.is(erf(-x), -erf(x))),
      RUNS,
    );
  });

  await t.step("saturates at ±1 from |x| = 6 and stays within [-1, 1]", () => {
    assert.strictEqual(erf(6), 1);
    assert.strictEqual(erf(-1e300), -1);
    assert.ok(erf(5.9) < 1);
    fc.assert(fc.property(anyDouble, (x) => Math.abs(erf(x)) <= 1), RUNS);
  });

  await t.step("is continuous across each branch of the method", () => {
    for (const b of [2 ** -1022, 2 ** -28, 0.84375, 1.25, 1 / 0.35, 6]) {
      for (const x of [b, -b]) {
        assert.ok(continuousAt(erf, x, step(x, 0)), `erf jumps below ${x}`);
        assert.ok(continuousAt(erf, x, step(x, x * 2)), `erf jumps above ${x}`);
      }
    }
  });

  await t.step("its central difference is 2/√π·e^(−x²)", () => {
    // h = 2⁻¹⁷ ≈ 7.6e-6: truncation error erf'''·h²/6 ≤ 2.3·h²/6 ≈ 2e-11 and
    // rounding error 2·2⁻⁵³/(2h) ≈ 1.5e-11, both far below the 1e-9 allowed
    // (absolute, as erf' ≤ 1.13), while a wrong coefficient in any branch
    // moves the slope by far more.
    const h = 2 ** -17;
    fc.assert(
      fc.property(fc.double({ min: -6, max: 6, noNaN: true }), (x) => {
        const fd = (erf(x + h) - erf(x - h)) / (2 * h);
        return Math.abs(fd - TWO_OVER_SQRT_PI * Math.exp(-x * x)) <= 1e-9;
      }),
      RUNS,
    );
  });

  await t.step("erf(x) + erfc(x) = 1", () => {
    fc.assert(
      fc.property(anyDouble, (x) => Math.abs(erf(x) + erfc(x) - 1) <= 2 ** -51),
      RUNS,
    );
  });
});

Deno.test("erfc()", async (t) => {
  await t.step("matches the high-precision table within 2 ulp", () => {
    for (const [x, , want] of TABLE) {
      const d = ulps(erfc(x), Number(want));
      assert.ok(d <= 2, `erfc(${x}) = ${erfc(x)}, want ${want}: ${d} ulps`);
    }
  });

  await t.step("keeps its relative accuracy in the tail", () => {
    // Where 1 − erf(x) would be 0 (x ≥ 6) or lose every digit.
    const tail: readonly (readonly [number, number])[] = [
      [5, 1.537459794428034850188343e-12],
      [10, 2.088487583762544757000786e-45],
      [20, 5.395865611607900928934999e-176],
      [26, 5.663192408856142846475728e-296],
    ];
    for (const [x, want] of tail) {
      assert.ok(
        Math.abs(erfc(x) / want - 1) < 4 * 2 ** -53,
        `erfc(${x}) = ${erfc(x)}`,
      );
      assert.ok(ulps(erfc(x), want) <= 2);
    }
  });

  await t.step("NaN, infinities and zero", () => {
    assert.ok(Number.isNaN(erfc(NaN)));
    assert.strictEqual(erfc(Infinity), 0);
    assert.strictEqual(erfc(-Infinity), 2);
    assert.strictEqual(erfc(0), 1);
    assert.strictEqual(erfc(-0), 1);
    assert.strictEqual(erfc(5e-324), 1);
  });

  await t.step("underflows gradually, without flushing to zero", () => {
    const subnormal = erfc(27);
    assert.ok(subnormal > 0 && subnormal < 2 ** -1022);
    assert.ok(erfc(27.2) > 0); // about 2 units of 2⁻¹⁰⁷⁴
    assert.strictEqual(erfc(27.3), 0); // 3.6e-325 rounds to zero
    assert.strictEqual(erfc(28), 0);
    assert.strictEqual(erfc(1e300), 0);
  });

  await t.step("is 2 − erfc(−x) and stays within [0, 2]", () => {
    fc.assert(
      fc.property(anyDouble, (x) => {
        const c = erfc(x);
        return c >= 0 && c <= 2 && Math.abs(c + erfc(-x) - 2) <= 2 ** -51;
      }),
      RUNS,
    );
  });

  await t.step("is continuous across each branch of the method", () => {
    for (const b of [2 ** -56, 0.25, 0.84375, 1.25, 1 / 0.35, 6]) {
      for (const x of [b, -b]) {
        assert.ok(continuousAt(erfc, x, step(x, 0)), `erfc jumps below ${x}`);
        assert.ok(
          continuousAt(erfc, x, step(x, x * 2)),
          `erfc jumps above ${x}`,
        );
      }
    }
  });

  await t.step(
    "its logarithmic slope is −2e^(−x²)/(√π erfc x) in the tail",
    () => {
      // Relative, so the check means as much at x = 26 (erfc ≈ 1e-296) as at 1.
      // h = 2⁻¹⁶·x: the truncation error of a central difference of log erfc is
      // about (log erfc)'''·h²/6 ≈ 4x·h²/6 relative to the slope 2x, i.e. 1e-10;
      // each erfc's error (≤ 3 ulps) costs 2·3·2⁻⁵³/(2h·2x) ≤ 3e-11.
      fc.assert(
        fc.property(fc.double({ min: 0.5, max: 26, noNaN: true }), (x) => {
          const h = 2 ** -16 * x;
          const fd = (Math.log(erfc(x + h)) - Math.log(erfc(x - h))) / (2 * h);
          const want = -TWO_OVER_SQRT_PI * Math.exp(-x * x) / erfc(x);
          return Math.abs(fd / want - 1) <= 1e-8;
        }),
        RUNS,
      );
    },
  );
});

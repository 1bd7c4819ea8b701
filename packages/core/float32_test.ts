import assert from "node:assert";
import fc from "fast-check";
import {
  FLOAT32_MAX,
  FLOAT32_MIN_NORMAL,
  FLOAT32_MIN_SUBNORMAL,
  formatFloat32,
  jsonFloat32,
  nextFloat32,
  parseFloat32,
  parseFloat32List,
  parseNumber,
} from "./float32.ts";
// numpy's shortest round-trip strings (Dragon4) for 1234 float32 values.
import shortest from "./testdata/float32_shortest.json" with { type: "json" };

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

function fromBits(bits: number): number {
  u32[0] = bits;
  return f32[0]!;
}

const numpy = shortest as unknown as { values: [number, string][] };

Deno.test("formatFloat32()", async (t) => {
  await t.step("shortest decimal that reads back to the same float32", () => {
    assert.strictEqual(formatFloat32(0.1), "0.1");
    assert.strictEqual(formatFloat32(1 / 3), "0.33333334");
    assert.strictEqual(formatFloat32(2 / 3), "0.6666667");
    assert.strictEqual(formatFloat32(1), "1");
    assert.strictEqual(formatFloat32(-2.5), "-2.5");
    assert.strictEqual(formatFloat32(16777216), "16777216");
    assert.strictEqual(formatFloat32(123456789), "123456790");
    assert.strictEqual(formatFloat32(1e10), "10000000000");
    // From 10¹⁶ the exponent form, not JavaScript's 21 digits.
    assert.strictEqual(formatFloat32(9999999e9), "9999999000000000");
    assert.strictEqual(formatFloat32(1e16), "1e+16");
    assert.strictEqual(formatFloat32(-1e20), "-1e+20");
    assert.strictEqual(formatFloat32(2 ** 70), "1.1805916e+21");
    assert.strictEqual(formatFloat32(Math.fround(0.1) + 0), "0.1");
  });

  await t.step("extremes: largest, smallest normal, subnormals", () => {
    assert.strictEqual(formatFloat32(3.4028234663852886e38), "3.4028235e+38");
    assert.strictEqual(formatFloat32(-3.4028234663852886e38), "-3.4028235e+38");
    assert.strictEqual(formatFloat32(2 ** -126), "1.1754944e-38");
    assert.strictEqual(formatFloat32(2 ** -149), "1e-45");
    assert.strictEqual(formatFloat32(1e-45), "1e-45");
    assert.strictEqual(formatFloat32(-(2 ** -149)), "-1e-45");
    assert.strictEqual(formatFloat32(3 * 2 ** -149), "4e-45");
  });

  await t.step("special values as words", () => {
    assert.strictEqual(formatFloat32(NaN), "NaN");
    assert.strictEqual(formatFloat32(Infinity), "Infinity");
    assert.strictEqual(formatFloat32(-Infinity), "-Infinity");
    assert.strictEqual(formatFloat32(-0), "-0");
    assert.strictEqual(formatFloat32(0), "0");
    assert.strictEqual(formatFloat32(1e39), "Infinity"); // rounds to float32 first
    assert.strictEqual(formatFloat32(1e-46), "0");
  });

  await t.step("agrees with numpy's shortest repr on 1234 values", () => {
    assert.ok(numpy.values.length > 1000);
    for (const [bits, text] of numpy.values) {
      const x = fromBits(bits);
      const decimal = Number(text);
      assert.strictEqual(
        formatFloat32(x),
        Math.abs(decimal) >= 1e16 && Number.isFinite(decimal)
          ? decimal.toExponential()
          : String(decimal),
        `bits ${bits}`,
      );
    }
  });

  await t.step("exact ties go to the even digit", () => {
    // 2^-12 = 0.000244140625 lies exactly between two 8-digit decimals.
    assert.strictEqual(formatFloat32(2 ** -12), "0.00024414062");
    assert.strictEqual(formatFloat32(2097152.25), "2097152.2");
  });

  await t.step("reads back to the same float32 (random bit patterns)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (bits) => {
        const x = fromBits(bits);
        const text = formatFloat32(x);
        const back = Math.fround(Number(text));
        assert.ok(
          Object.is(back, x) || (x !== x && text === "NaN"),
          `${bits}: ${text}`,
        );
        // No decimal with one significant digit fewer reads back: the nearest
        // such decimal and its neighbours on either side all miss.
        const digits =
          text.replace(/^-/, "").replace(/e.*$/, "").replace(".", "")
            .replace(/^0+/, "").replace(/0+$/, "").length;
        if (digits > 1 && Number.isFinite(x)) {
          const [m = "", e = ""] = x.toExponential(digits - 2).split("e");
          const n = Number(m.replace(".", ""));
          const exponent = Number(e) - (digits - 2);
          for (const c of [n - 1, n, n + 1]) {
            assert.notStrictEqual(
              Math.fround(Number(`${c}e${exponent}`)),
              x,
              text,
            );
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  await t.step("bad input", () => {
    assert.throws(() => formatFloat32("1" as never), TypeError);
  });
});

Deno.test("jsonFloat32()", async (t) => {
  await t.step(
    "finite values are numbers whose JSON is the shortest decimal",
    () => {
      assert.strictEqual(jsonFloat32(Math.fround(0.1)), 0.1);
      assert.strictEqual(JSON.stringify(jsonFloat32(1 / 3)), "0.33333334");
      assert.strictEqual(
        JSON.stringify(jsonFloat32(3.4028234663852886e38)),
        "3.4028235e+38",
      );
      assert.strictEqual(JSON.stringify(jsonFloat32(2 ** -149)), "1e-45");
      assert.strictEqual(jsonFloat32(0), 0);
      assert.ok(Object.is(jsonFloat32(0), 0));
    },
  );

  await t.step("NaN, infinities and -0 are strings", () => {
    assert.strictEqual(jsonFloat32(NaN), "NaN");
    assert.strictEqual(jsonFloat32(Infinity), "Infinity");
    assert.strictEqual(jsonFloat32(-Infinity), "-Infinity");
    assert.strictEqual(jsonFloat32(-0), "-0");
  });
});

Deno.test("parseNumber()", async (t) => {
  await t.step("decimals, keeping float64", () => {
    assert.strictEqual(parseNumber("0.1", "x"), 0.1);
    assert.strictEqual(parseNumber(" -2.5e3 ", "x"), -2500);
    assert.strictEqual(parseNumber(".5", "x"), 0.5);
    assert.strictEqual(parseNumber("5.", "x"), 5);
    assert.strictEqual(parseNumber("+1E-45", "x"), 1e-45);
  });

  await t.step("special spellings, case-insensitive", () => {
    for (const s of ["NaN", "nan", "NAN"]) {
      assert.ok(Number.isNaN(parseNumber(s, "x")));
    }
    for (
      const s of ["Infinity", "infinity", "inf", "+inf", "INF", "+Infinity"]
    ) {
      assert.strictEqual(parseNumber(s, "x"), Infinity, s);
    }
    for (const s of ["-Infinity", "-inf", "-INF"]) {
      assert.strictEqual(parseNumber(s, "x"), -Infinity, s);
    }
    assert.ok(Object.is(parseNumber("-0", "x"), -0));
    assert.ok(Object.is(parseNumber("0", "x"), 0));
  });

  await t.step("bad input names the value", () => {
    for (
      const s of [
        "x",
        "",
        "1,2",
        "0x10",
        "1e",
        "--1",
        "1 2",
        "infinit",
        "Infinityy",
      ]
    ) {
      assert.throws(() => parseNumber(s, "--x item 2"), (e: Error) => {
        assert.ok(e instanceof TypeError);
        assert.match(
          e.message,
          /^--x item 2 must be a number, NaN, Infinity or -Infinity: got "/,
        );
        return true;
      }, s);
    }
  });
});

Deno.test("parseFloat32()", async (t) => {
  await t.step("rounds to the nearest float32", () => {
    assert.strictEqual(parseFloat32("0.1", "x"), Math.fround(0.1));
    assert.strictEqual(parseFloat32("1e39", "x"), Infinity);
    assert.strictEqual(parseFloat32("-1e39", "x"), -Infinity);
    assert.strictEqual(parseFloat32("1e-46", "x"), 0);
    assert.strictEqual(parseFloat32("1e-45", "x"), 2 ** -149);
  });

  await t.step("NaN, infinities and -0", () => {
    assert.ok(Number.isNaN(parseFloat32("nan", "x")));
    assert.strictEqual(parseFloat32("-inf", "x"), -Infinity);
    assert.ok(Object.is(parseFloat32("-0", "x"), -0));
  });

  await t.step("round trip with formatFloat32", () => {
    fc.assert(
      fc.property(fc.float(), (x) => {
        assert.ok(Object.is(parseFloat32(formatFloat32(x), "x"), x));
      }),
      { numRuns: 1000 },
    );
  });

  await t.step("bad input", () => {
    assert.throws(() => parseFloat32("one", "x"), TypeError);
  });
});

Deno.test("parseFloat32List()", async (t) => {
  await t.step("comma-separated values with spaces", () => {
    assert.deepStrictEqual(
      parseFloat32List("-1, 0,1 ,2.5", "--x"),
      new Float32Array([-1, 0, 1, 2.5]),
    );
  });

  await t.step("special values keep NaN and the sign of zero", () => {
    const v = parseFloat32List(
      "NaN,Infinity,-Infinity,-0,nan,inf,+inf,-inf",
      "--x",
    );
    assert.ok(Number.isNaN(v[0]!) && Number.isNaN(v[4]!));
    assert.deepStrictEqual(Array.from(v.subarray(1, 3)), [Infinity, -Infinity]);
    assert.ok(Object.is(v[3], -0));
    assert.deepStrictEqual(Array.from(v.subarray(5)), [
      Infinity,
      Infinity,
      -Infinity,
    ]);
  });

  await t.step("empty string is the empty list", () => {
    assert.deepStrictEqual(parseFloat32List("", "--x"), new Float32Array(0));
  });

  await t.step("bad items are named", () => {
    assert.throws(
      () => parseFloat32List("1,x", "--x"),
      {
        name: "TypeError",
        message:
          '--x item 2 must be a number, NaN, Infinity or -Infinity: got "x"',
      },
    );
    assert.throws(
      () => parseFloat32List("1,,2", "--x"),
      { name: "TypeError", message: '--x item 2 is empty: got "1,,2"' },
    );
    assert.throws(() => parseFloat32List("1,", "--dy"), /--dy item 2 is empty/);
  });
});

Deno.test("FLOAT32_MAX, FLOAT32_MIN_NORMAL, FLOAT32_MIN_SUBNORMAL", () => {
  assert.strictEqual(FLOAT32_MAX, fromBits(0x7f7fffff));
  assert.strictEqual(FLOAT32_MIN_NORMAL, fromBits(0x00800000));
  assert.strictEqual(FLOAT32_MIN_SUBNORMAL, fromBits(1));
});

Deno.test("nextFloat32()", async (t) => {
  await t.step("one step of the last bit, either way", () => {
    assert.strictEqual(nextFloat32(1, true), 1 + 2 ** -23);
    assert.strictEqual(nextFloat32(1, false), 1 - 2 ** -24);
    assert.strictEqual(nextFloat32(-1, true), -(1 - 2 ** -24));
    assert.strictEqual(nextFloat32(-1, false), -(1 + 2 ** -23));
    assert.strictEqual(
      nextFloat32(FLOAT32_MIN_NORMAL, false),
      fromBits(0x7fffff),
    );
  });
  await t.step("±0 step to the smallest subnormal", () => {
    assert.strictEqual(nextFloat32(0, true), FLOAT32_MIN_SUBNORMAL);
    assert.strictEqual(nextFloat32(-0, true), FLOAT32_MIN_SUBNORMAL);
    assert.strictEqual(nextFloat32(0, false), -FLOAT32_MIN_SUBNORMAL);
    assert.ok(Object.is(nextFloat32(FLOAT32_MIN_SUBNORMAL, false), 0));
  });
  await t.step("the largest finite steps to ∞; ∞ and NaN stay", () => {
    assert.strictEqual(nextFloat32(FLOAT32_MAX, true), Infinity);
    assert.strictEqual(nextFloat32(-FLOAT32_MAX, false), -Infinity);
    assert.strictEqual(nextFloat32(Infinity, true), Infinity);
    assert.strictEqual(nextFloat32(Infinity, false), FLOAT32_MAX);
    assert.strictEqual(nextFloat32(-Infinity, true), -FLOAT32_MAX);
    assert.ok(Number.isNaN(nextFloat32(NaN, true)));
  });
});

// The assembler's encodings against wabt's: for each instruction the kernels
// use, a one-function module built here must be byte for byte the module wabt
// assembles from the same WebAssembly text.

import assert from "node:assert";
import wabtInit from "wabt";
import {
  Bytes,
  type Expr,
  F32x4,
  F64,
  f64,
  F64x2,
  type Fn,
  globalI32,
  I32,
  i32,
  I32x4,
  I64x2,
  I8x16,
  ModuleBuilder,
  relaxedLaneselect32,
  relaxedLaneselect64,
  V128,
  type ValType,
} from "./_asm.ts";
import { buildKernelModule } from "./_module.ts";

const wabt = await wabtInit();

/** Assembles `(func (export "f") (param …) (result …) body)` with wabt. */
function wat(
  params: readonly ValType[],
  results: readonly ValType[],
  body: string,
  locals: readonly ValType[] = [],
): Uint8Array {
  const p = params.length ? `(param ${params.join(" ")})` : "";
  const r = results.length ? `(result ${results.join(" ")})` : "";
  const l = locals.length ? `(local ${locals.join(" ")})` : "";
  const text = `(module (memory (import "env" "memory") 1)
    (func (export "f") ${p} ${r} ${l} ${body}))`;
  const m = wabt.parseWat("case.wat", text, {
    simd: true,
    relaxed_simd: true,
    bulk_memory: true,
  });
  try {
    return new Uint8Array(m.toBinary({}).buffer);
  } finally {
    m.destroy();
  }
}

/** The same module from the assembler. */
function ours(
  params: readonly ValType[],
  results: readonly ValType[],
  build: (f: Fn) => void,
): Uint8Array {
  const m = new ModuleBuilder({ initial: 1 });
  m.func("f", params, results, build);
  return m.encode();
}

const V = ["v128", "v128", "v128"] as const;
type Case = {
  readonly name: string;
  readonly params: readonly ValType[];
  readonly result: ValType;
  readonly body: string;
  readonly expr: (f: Fn) => Expr;
};

/** A case of an instruction on the function's parameters (local.get 0, 1, 2). */
function op(
  name: string,
  params: readonly ValType[],
  result: ValType,
  text: string,
  expr: (...args: Expr[]) => Expr,
): Case {
  return {
    name,
    params,
    result,
    body: `${params.map((_, i) => `local.get ${i}`).join(" ")} ${text}`,
    expr: (f) => expr(...params.map((t, i) => f.param(i, t))),
  };
}

type E = Expr<"v128">;
const unary = (name: string, fn: (a: E) => E) =>
  op(name, ["v128"], "v128", name, (a) => fn(a as E));
const binary = (name: string, fn: (a: E, b: E) => E) =>
  op(name, ["v128", "v128"], "v128", name, (a, b) => fn(a as E, b as E));

const cases: Case[] = [
  unary("v128.not", V128.not),
  binary("v128.and", V128.and),
  binary("v128.andnot", V128.andnot),
  binary("v128.or", V128.or),
  binary("v128.xor", V128.xor),
  op(
    "v128.bitselect",
    V,
    "v128",
    "v128.bitselect",
    (a, b, c) => V128.bitselect(a as E, b as E, c as E),
  ),
  op(
    "v128.any_true",
    ["v128"],
    "i32",
    "v128.any_true",
    (a) => V128.anyTrue(a as E),
  ),
  op(
    "i8x16.shuffle",
    ["v128", "v128"],
    "v128",
    "i8x16.shuffle 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23",
    (a, b) =>
      I8x16.shuffle(a as E, b as E, [
        8,
        9,
        10,
        11,
        12,
        13,
        14,
        15,
        16,
        17,
        18,
        19,
        20,
        21,
        22,
        23,
      ]),
  ),
  op(
    "i32x4.splat",
    ["i32"],
    "v128",
    "i32x4.splat",
    (a) => I32x4.splat(a as Expr<"i32">),
  ),
  op(
    "i32x4.extract_lane",
    ["v128"],
    "i32",
    "i32x4.extract_lane 3",
    (a) => I32x4.extractLane(a as E, 3),
  ),
  binary("i32x4.eq", I32x4.eq),
  binary("i32x4.add", I32x4.add),
  op(
    "i32x4.shl",
    ["v128", "i32"],
    "v128",
    "i32x4.shl",
    (a, b) => I32x4.shl(a as E, b as Expr<"i32">),
  ),
  op(
    "i64x2.shl",
    ["v128", "i32"],
    "v128",
    "i64x2.shl",
    (a, b) => I64x2.shl(a as E, b as Expr<"i32">),
  ),
  binary("i64x2.add", I64x2.add),
  binary("i64x2.sub", I64x2.sub),
  op(
    "f32x4.splat",
    ["f32"],
    "v128",
    "f32x4.splat",
    (a) => F32x4.splat(a as Expr<"f32">),
  ),
  ...([
    "eq",
    "ne",
    "lt",
    "gt",
    "le",
    "ge",
    "add",
    "sub",
    "mul",
    "div",
    "pmin",
    "pmax",
  ] as const)
    .map((n) => binary(`f32x4.${n}`, F32x4[n])),
  unary("f32x4.abs", F32x4.abs),
  unary("f32x4.neg", F32x4.neg),
  unary("f32x4.demote_f64x2_zero", F32x4.demoteF64x2Zero),
  op(
    "f64x2.splat",
    ["f64"],
    "v128",
    "f64x2.splat",
    (a) => F64x2.splat(a as Expr<"f64">),
  ),
  op(
    "f64x2.extract_lane",
    ["v128"],
    "f64",
    "f64x2.extract_lane 1",
    (a) => F64x2.extractLane(a as E, 1),
  ),
  op(
    "f64x2.replace_lane",
    ["v128", "f64"],
    "v128",
    "f64x2.replace_lane 1",
    (a, b) => F64x2.replaceLane(a as E, 1, b as Expr<"f64">),
  ),
  ...([
    "eq",
    "ne",
    "lt",
    "gt",
    "le",
    "ge",
    "add",
    "sub",
    "mul",
    "div",
    "pmin",
    "pmax",
  ] as const)
    .map((n) => binary(`f64x2.${n}`, F64x2[n])),
  unary("f64x2.abs", F64x2.abs),
  unary("f64x2.neg", F64x2.neg),
  unary("f64x2.sqrt", F64x2.sqrt),
  unary("f64x2.nearest", F64x2.nearest),
  unary("f64x2.promote_low_f32x4", F64x2.promoteLowF32x4),
  op(
    "f64x2.relaxed_madd",
    V,
    "v128",
    "f64x2.relaxed_madd",
    (a, b, c) => F64x2.relaxedMadd(a as E, b as E, c as E),
  ),
  op(
    "i32x4.relaxed_laneselect",
    V,
    "v128",
    "i32x4.relaxed_laneselect",
    (a, b, c) => relaxedLaneselect32(a as E, b as E, c as E),
  ),
  op(
    "i64x2.relaxed_laneselect",
    V,
    "v128",
    "i64x2.relaxed_laneselect",
    (a, b, c) => relaxedLaneselect64(a as E, b as E, c as E),
  ),
  ...(["add", "sub", "mul", "and", "or", "shl", "ne", "eq"] as const).map((n) =>
    op(
      `i32.${n}`,
      ["i32", "i32"],
      "i32",
      `i32.${n}`,
      (a, b) => I32[n](a as Expr<"i32">, b as Expr<"i32">),
    )
  ),
  op(
    "i32.lt_s",
    ["i32", "i32"],
    "i32",
    "i32.lt_s",
    (a, b) => I32.ltS(a as Expr<"i32">, b as Expr<"i32">),
  ),
  op(
    "i32.gt_s",
    ["i32", "i32"],
    "i32",
    "i32.gt_s",
    (a, b) => I32.gtS(a as Expr<"i32">, b as Expr<"i32">),
  ),
  op(
    "i32.ge_s",
    ["i32", "i32"],
    "i32",
    "i32.ge_s",
    (a, b) => I32.geS(a as Expr<"i32">, b as Expr<"i32">),
  ),
  op("i32.eqz", ["i32"], "i32", "i32.eqz", (a) => I32.eqz(a as Expr<"i32">)),
  op(
    "i32.load",
    ["i32"],
    "i32",
    "i32.load offset=12",
    (a) => I32.load(a as Expr<"i32">, 12),
  ),
  op(
    "v128.load",
    ["i32"],
    "v128",
    "v128.load offset=32",
    (a) => V128.load(a as Expr<"i32">, 32),
  ),
  op(
    "f64.load",
    ["i32"],
    "f64",
    "f64.load offset=8",
    (a) => F64.load(a as Expr<"i32">, 8),
  ),
  op(
    "f64.add",
    ["f64", "f64"],
    "f64",
    "f64.add",
    (a, b) => F64.add(a as Expr<"f64">, b as Expr<"f64">),
  ),
  op(
    "f64.mul",
    ["f64", "f64"],
    "f64",
    "f64.mul",
    (a, b) => F64.mul(a as Expr<"f64">, b as Expr<"f64">),
  ),
  op(
    "f32.demote_f64",
    ["f64"],
    "f32",
    "f32.demote_f64",
    (a) => F64.demote(a as Expr<"f64">),
  ),
  {
    name: "constants",
    params: [],
    result: "f64",
    body: "i32.const -123456 drop i32.const 1048576 drop f64.const -0x1p-1074",
    expr: (f) => {
      f.code.bytes(encoded(i32(-123456))).byte(0x1a);
      f.code.bytes(encoded(i32(1048576))).byte(0x1a);
      return f64(-(2 ** -1074));
    },
  },
  {
    name: "v128.const",
    params: [],
    result: "v128",
    body: "v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 255",
    expr: () =>
      V128.bytes([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 255]),
  },
];

function encoded(e: Expr): Uint8Array {
  const b = new Bytes();
  e.emit(b);
  return b.toArray();
}

Deno.test("ModuleBuilder", async (t) => {
  for (const c of cases) {
    await t.step(`${c.name} encodes as wabt assembles it`, () => {
      const want = wat(c.params, [c.result], c.body);
      // The value is left on the stack for the function's end, as in the text.
      const got = ours(c.params, [c.result], (f) => c.expr(f).emit(f.code));
      assert.deepStrictEqual(hex(got), hex(want));
    });
  }

  await t.step("statements: locals, stores, memory.copy, loop, if", () => {
    const want = wat(
      ["i32", "v128"],
      ["i32"],
      `local.get 0 local.get 1 v128.store offset=16
       local.get 0 f64.const 1 f64.store offset=8
       local.get 0 i32.const 7 i32.store offset=4
       i32.const 0 local.get 0 i32.const 16 memory.copy
       loop
         local.get 2 i32.const 1 i32.add local.set 2
         local.get 2 i32.const 10 i32.lt_s br_if 0
       end
       local.get 2 if local.get 0 local.set 3 end
       local.get 2 return`,
      ["i32", "i32"],
    );
    const got = ours(["i32", "v128"], ["i32"], (f) => {
      const p = f.param(0, "i32");
      f.storeV128(p, f.param(1, "v128"), 16);
      f.storeF64(p, f64(1), 8);
      f.storeI32(p, i32(7), 4);
      f.copy(i32(0), p, i32(16));
      const n = f.local("i32");
      const m = f.local("i32");
      f.doWhile(
        () => f.set(n, I32.add(n, i32(1))),
        () => I32.ltS(n, i32(10)),
      );
      f.when(n, () => f.set(m, p));
      f.ret(n);
    });
    assert.deepStrictEqual(hex(got), hex(want));
  });

  await t.step("a shared memory import", () => {
    const m = new ModuleBuilder({ initial: 2, sharedMaximum: 100 });
    m.func("f", [], [], () => {});
    const text =
      `(module (memory (import "env" "memory") 2 100 shared) (func (export "f")))`;
    const w = wabt.parseWat("s.wat", text, { threads: true });
    assert.deepStrictEqual(
      hex(m.encode()),
      hex(new Uint8Array(w.toBinary({}).buffer)),
    );
    w.destroy();
  });

  await t.step("an imported global", () => {
    const m = new ModuleBuilder({ initial: 1, globals: ["base"] });
    m.func("f", [], ["i32"], (f) => globalI32(0).emit(f.code));
    const text = `(module (memory (import "env" "memory") 1)
      (global (import "env" "base") i32)
      (func (export "f") (result i32) global.get 0))`;
    const w = wabt.parseWat("g.wat", text, {});
    assert.deepStrictEqual(
      hex(m.encode()),
      hex(new Uint8Array(w.toBinary({}).buffer)),
    );
    w.destroy();
  });

  await t.step("duplicate names and parameter types are refused", () => {
    const m = new ModuleBuilder({ initial: 1 });
    m.func("f", [], [], () => {});
    assert.throws(() => m.func("f", [], [], () => {}), RangeError);
    assert.throws(
      () => m.func("g", ["i32"], [], (f) => f.param(0, "f64")),
      TypeError,
    );
  });
});

Deno.test("buildKernelModule()", async (t) => {
  for (const fma of [false, true]) {
    await t.step(`validates${fma ? " with relaxed SIMD" : ""}`, () => {
      const m = buildKernelModule({ fma });
      assert.ok(WebAssembly.validate(m.bytes));
      assert.ok(m.names.includes("sigmoid_vjp"));
      assert.ok(m.names.includes("preluIndexed_vjp"));
      // Relaxed SIMD opcodes (0xfd 0x87 0x02: f64x2.relaxed_madd) only when asked.
      assert.strictEqual(hex(m.bytes).includes("fd 87 02"), fma);
    });
  }
  await t.step("the same bytes every time", () => {
    assert.deepStrictEqual(
      buildKernelModule().bytes,
      buildKernelModule().bytes,
    );
  });
});

function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join(" ");
}

import assert from "node:assert";
import {
  type BackendModule,
  bookGrid,
  checkBackendModule,
  type OpName,
  opNames,
  ops,
  type OpSpec,
  type Tensor,
} from "@nonlin/core";
import * as native from "./mod.ts";
import { type CaseResult, paramCases, sweepCase } from "./_accuracy.ts";
import { activeKernels, useKernels } from "./_engine.ts";
import {
  availableKernelSets,
  type KernelSetName,
  loadSimd,
  unavailableKernelSets,
} from "./_kernel_sets.ts";
import { jsKernels } from "./_js_kernels.ts";
import type { KernelSet } from "./_kernels.ts";
import { simdSupport } from "./wasm/_simd_kernels.ts";

// The type system proves the module exports exactly the contract.
const contract: BackendModule = await import("./mod.ts");

type AnyOp = (x: unknown, options?: unknown) => unknown;
type AnyDerivative = (op: unknown, x: unknown, options?: unknown) => unknown;
type AnyVjp = (op: unknown, x: unknown, options?: unknown) => unknown;
const op = (name: OpName) => native[name] as AnyOp;
const anyVjp = native.vjp as AnyVjp;

// Every kernel set that runs here is swept: the WebAssembly SIMD loops and
// the JavaScript ones.
const kernelSets = availableKernelSets();

// Each case is swept once per kernel set; the per-feature tests below assert
// their part. Sweeps run one at a time, each under its set.
const results = new Map<string, CaseResult>();
async function sweep(label: string, set: KernelSetName): Promise<CaseResult> {
  const key = `${set}:${label}`;
  let r = results.get(key);
  if (r === undefined) {
    const c = paramCases().find((c) => c.label === label)!;
    const before = activeKernels();
    native.useKernelSet(set);
    try {
      r = await sweepCase(c);
    } finally {
      useKernels(before);
    }
    results.set(key, r);
  }
  return r;
}

function assertWithin(r: CaseResult, check: string, bound: number): void {
  const w = r.worst[check];
  assert.ok(w !== undefined, `${r.case.label}: no ${check} measured`);
  assert.ok(
    w.ulp <= bound,
    `${r.case.label} ${check}: ${w.ulp} ULP at x = ${w.x} (got ${w.got}, want ${w.want}), bound ${bound}`,
  );
}

function assertPinned(r: CaseResult, check: string): void {
  const misses = r.pinnedMisses.filter((m) =>
    m.includes(` ${check}(`) || check === "values" && m.includes("odd op")
  );
  assert.deepStrictEqual(
    misses,
    [],
    `${r.case.label}: pinned ${check} not exact`,
  );
}

/** A tensor of some other backend, to be refused. */
function foreignTensor(): Tensor {
  return {
    backend: "other",
    shape: [2],
    size: 2,
    disposed: false,
    read: () => Promise.resolve(new Float32Array(2)),
    dispose: () => {},
  };
}

/** Parameters each op accepts with x = [-1, 0, 1], for the shape and error checks. */
/** The catalog's example values for the parameters without a default. */
function validParams(name: OpName): Record<string, unknown> {
  return { ...ops[name].example };
}

Deno.test("backend", async (t) => {
  await t.step("implements the contract", () => {
    assert.strictEqual(checkBackendModule(native, "native"), native);
    assert.strictEqual(contract.backend.name, "native");
    for (const name of opNames) {
      assert.strictEqual(typeof contract[name], "function", name);
      assert.strictEqual(contract[name].name, name);
    }
    // Every export is a catalog op or a documented API name, nothing else.
    const api = [
      "backend",
      "tensor",
      "vjp",
      "derivative",
      "secondDerivative",
      "NativeTensor",
      "grad",
      "valueAndGrad",
      "Variable",
      "useKernelSet",
    ];
    assert.deepStrictEqual(
      Object.keys(native).sort(),
      [...opNames, ...api].sort(),
    );
  });
  await t.step("identity and capabilities", () => {
    assert.strictEqual(native.backend.available, true);
    assert.strictEqual(native.backend.reason, undefined);
    assert.strictEqual(native.backend.precision, "float32");
    assert.deepStrictEqual(native.backend.capabilities.unsupported, []);
    const p = native.backend.capabilities.properties;
    assert.strictEqual(p.kernels, activeKernels().name);
    assert.strictEqual(p.simd, p.kernels === "wasm-simd");
    assert.strictEqual(p.kernelSets, kernelSets.join(", "));
    assert.ok(p.threads === 1 || p.threads === 2);
    assert.match(String(p.engine), /V8/);
  });
});

/**
 * Why native would run on JavaScript although this runtime validates
 * WebAssembly SIMD, or undefined when it does not.
 */
function simdFallback(
  support: { simd: boolean },
  available: readonly string[],
  unavailable: Readonly<Record<string, string>>,
): string | undefined {
  if (!support.simd || available[0] === "wasm-simd") return undefined;
  return `native falls back to JavaScript with WebAssembly SIMD available: ${
    unavailable["wasm-simd"] ?? "no reason given"
  }`;
}

Deno.test("kernel sets", async (t) => {
  await t.step("SIMD is the default wherever the runtime has it", () => {
    const fallback = simdFallback(
      simdSupport(),
      availableKernelSets(),
      unavailableKernelSets(),
    );
    assert.strictEqual(fallback, undefined);
    assert.strictEqual(
      native.backend.capabilities.properties.kernelSetsUnavailable,
      undefined,
    );
  });
  await t.step("the check catches a fallback (broken fixture)", () => {
    assert.match(
      simdFallback({ simd: true }, ["js"], { "wasm-simd": "boom" }) ?? "",
      /falls back to JavaScript .*: boom/,
    );
  });
  await t.step("a set that fails to load says why", async () => {
    const into = new Map<KernelSetName, KernelSet>([["js", jsKernels]]);
    const why = await loadSimd(
      () => Promise.reject(new Error("no loop for op relu")),
      { simd: true, relaxed: false },
      into,
    );
    assert.strictEqual(
      why,
      "the WebAssembly SIMD kernels did not load: no loop for op relu",
    );
    assert.deepStrictEqual([...into.keys()], ["js"]);
    const none = await loadSimd(
      () => Promise.resolve(jsKernels),
      { simd: false, relaxed: false },
      into,
    );
    assert.match(none!, /does not validate WebAssembly SIMD/);
  });
});

Deno.test("useKernelSet()", async (t) => {
  await t.step("switches the loops, and new tensors' storage", async () => {
    const before = activeKernels();
    try {
      for (const set of kernelSets) {
        native.useKernelSet(set);
        const p = native.backend.capabilities.properties;
        assert.strictEqual(p.kernels, set);
        assert.strictEqual(
          p.storage,
          set === "js"
            ? "Float32Array, row-major"
            : "WebAssembly linear memory, row-major",
        );
        const x = native.tensor([-1, 0, 2]);
        assert.deepStrictEqual(
          await native.relu(x).read(),
          new Float32Array([0, 0, 2]),
        );
      }
    } finally {
      useKernels(before);
    }
  });
  await t.step("tensors made under one set work under the other", async () => {
    const before = activeKernels();
    try {
      native.useKernelSet(kernelSets[0]!);
      const x = native.tensor([-2, 3]);
      native.useKernelSet(kernelSets[kernelSets.length - 1]!);
      const { dx } = native.vjp("relu", x, { dy: native.tensor([5, 7]) });
      assert.deepStrictEqual(await dx.read(), new Float32Array([0, 7]));
    } finally {
      useKernels(before);
    }
  });
  await t.step("an unknown name is a RangeError", () => {
    assert.throws(
      () => native.useKernelSet("gpu" as KernelSetName),
      /Unknown kernel set: "gpu"/,
    );
  });
  await t.step("NONLIN_NATIVE_KERNELS picks the set at load time", async () => {
    for (const set of kernelSets) {
      const r = await loadWith({ NONLIN_NATIVE_KERNELS: set });
      assert.strictEqual(r.stdout.split(" ")[0], set);
    }
    const bad = await loadWith({ NONLIN_NATIVE_KERNELS: "cuda" });
    assert.notStrictEqual(bad.code, 0);
    assert.match(
      bad.stderr,
      /NONLIN_NATIVE_KERNELS must be "js" or "wasm-simd": got "cuda"/,
    );
  });
  await t.step(
    "NONLIN_NATIVE_THREADS=1 keeps the SIMD set to one thread",
    async () => {
      if (!kernelSets.includes("wasm-simd")) return;
      const r = await loadWith({ NONLIN_NATIVE_THREADS: "1" });
      assert.strictEqual(r.stdout, "wasm-simd 1");
    },
  );
});

/** `kernels threads` as @nonlin/native reports them in a process with `env`. */
async function loadWith(
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const code = `import { backend } from ${
    JSON.stringify(import.meta.resolve("./mod.ts"))
  }; const p = backend.capabilities.properties; console.log(p.kernels, p.threads);`;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--ext=ts", code],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout).trim(),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

Deno.test("tensor()", async (t) => {
  await t.step("shapes", async () => {
    assert.deepStrictEqual(native.tensor([1, 2, 3]).shape, [3]);
    const m = native.tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    assert.deepStrictEqual([m.shape, m.size], [[2, 3], 6]);
    const s = native.tensor([7], []);
    assert.deepStrictEqual([s.shape, s.size], [[], 1]);
    assert.deepStrictEqual(await s.read(), new Float32Array([7]));
    const e = native.tensor([], [2, 0]);
    assert.deepStrictEqual([e.shape, e.size], [[2, 0], 0]);
    assert.deepStrictEqual(await native.relu(e).read(), new Float32Array(0));
  });
  await t.step("copies the data and rounds numbers to float32", async () => {
    const data = new Float32Array([1, 2]);
    const x = native.tensor(data);
    data[0] = 99;
    assert.deepStrictEqual(await x.read(), new Float32Array([1, 2]));
    assert.strictEqual(
      (await native.tensor([0.1]).read())[0],
      Math.fround(0.1),
    );
  });
  await t.step("bad input", () => {
    assert.throws(() => native.tensor(new Float64Array(2) as never), TypeError);
    assert.throws(() => native.tensor([1, "2"] as never), /element 1/);
    assert.throws(() => native.tensor("12" as never), TypeError);
    assert.throws(() => native.tensor(null as never), TypeError);
    assert.throws(() => native.tensor([1, 2], [3]), RangeError);
    assert.throws(() => native.tensor([1, 2], [-2, -1]), RangeError);
    assert.throws(() => native.tensor([1, 2], [2.5]), RangeError);
    assert.throws(() => native.tensor([1, 2], 2 as never), TypeError);
  });
});

Deno.test("NativeTensor", async (t) => {
  await t.step("read returns a copy", async () => {
    const x = new native.NativeTensor([1, 2], [2]);
    assert.strictEqual(x.backend, "native");
    const a = await x.read();
    a[0] = 5;
    assert.deepStrictEqual(await x.read(), new Float32Array([1, 2]));
  });
  await t.step(
    "dispose is idempotent and later use is a TypeError",
    async () => {
      const x = native.tensor([1, -2]);
      assert.strictEqual(x.disposed, false);
      x.dispose();
      x.dispose();
      assert.strictEqual(x.disposed, true);
      await assert.rejects(x.read(), /disposed/);
      assert.throws(() => native.relu(x), TypeError);
      assert.throws(() => native.derivative("relu", x), TypeError);
      assert.throws(
        () => native.vjp("relu", x, { dy: native.tensor([1, 1]) }),
        TypeError,
      );
      assert.throws(
        () => native.vjp("relu", native.tensor([1, 1]), { dy: x }),
        /disposed tensor: dy/,
      );
      assert.throws(
        () => native.prelu(native.tensor([1, 1]), { alpha: x }),
        /disposed tensor: prelu alpha/,
      );
    },
  );
  await t.step("a tensor of another backend is a TypeError", () => {
    assert.throws(
      () => native.relu(foreignTensor()),
      /another backend: x belongs to "other"/,
    );
    assert.throws(
      () => native.vjp("relu", native.tensor([1, 1]), { dy: foreignTensor() }),
      TypeError,
    );
    assert.throws(
      () => native.prelu(native.tensor([1, 1]), { alpha: foreignTensor() }),
      TypeError,
    );
  });
});

for (const name of opNames) {
  const spec = ops[name] as unknown as OpSpec;
  Deno.test(`${name}()`, async (t) => {
    for (const c of paramCases().filter((c) => c.op === name)) {
      for (const set of kernelSets) {
        await t.step(
          `${c.label} [${set}]: within 1 ULP, pinned values exact`,
          async () => {
            const r = await sweep(c.label, set);
            assertWithin(r, "values", 1);
            assertPinned(r, "values");
          },
        );
      }
    }
    await t.step("resident and host forms agree, any shape", async () => {
      const params = validParams(name);
      const xs = [...bookGrid()];
      const host = await (op(name)(xs, params) as Promise<Float32Array>);
      const resident = op(name)(native.tensor(xs, [4, 5, 8]), params) as Tensor;
      assert.deepStrictEqual(resident.shape, [4, 5, 8]);
      assert.deepStrictEqual(await resident.read(), host);
      assert.deepStrictEqual(
        await (op(name)(new Float32Array(xs), params) as Promise<Float32Array>),
        host,
      );
      const scalar = op(name)(native.tensor([xs[3]!], []), params) as Tensor;
      assert.deepStrictEqual(scalar.shape, []);
      assert.deepStrictEqual(await scalar.read(), host.subarray(3, 4));
      assert.deepStrictEqual(
        await (op(name)([], params) as Promise<Float32Array>),
        new Float32Array(0),
      );
    });
    await t.step("the input is not modified", async () => {
      const x = new Float32Array([-2, -0.5, 0, 0.5, 2]);
      await op(name)(x, validParams(name));
      assert.deepStrictEqual(x, new Float32Array([-2, -0.5, 0, 0.5, 2]));
    });
    await t.step("bad data", async () => {
      const params = validParams(name);
      await assert.rejects(
        op(name)(new Float64Array(3), params) as Promise<unknown>,
        /Float64Array/,
      );
      await assert.rejects(
        op(name)([1, "x"], params) as Promise<unknown>,
        TypeError,
      );
      await assert.rejects(
        op(name)("1,2", params) as Promise<unknown>,
        TypeError,
      );
      await assert.rejects(
        op(name)(undefined, params) as Promise<unknown>,
        TypeError,
      );
      await assert.rejects(
        op(name)([1], { ...params, nope: 1 }) as Promise<unknown>,
        /Unknown parameter "nope"/,
      );
    });
    await t.step("bad parameters (from the catalog's ranges)", async () => {
      const base = validParams(name);
      for (const [key, p] of Object.entries(spec.params)) {
        if (p.kind === "choice") {
          await assert.rejects(
            op(name)([1], { ...base, [key]: "nope" }) as Promise<unknown>,
            RangeError,
          );
          await assert.rejects(
            op(name)([1], { ...base, [key]: 1 }) as Promise<unknown>,
            TypeError,
          );
          continue;
        }
        for (const bad of [NaN, Infinity, -Infinity]) {
          await assert.rejects(
            op(name)([1], { ...base, [key]: bad }) as Promise<unknown>,
            RangeError,
          );
          assert.throws(
            () => op(name)(native.tensor([1]), { ...base, [key]: bad }),
            RangeError,
          );
        }
        if (p.range.min !== -Infinity) {
          const below = p.range.minOpen ? p.range.min : p.range.min - 1;
          await assert.rejects(
            op(name)([1], { ...base, [key]: below }) as Promise<unknown>,
            new RegExp(`${name} ${key} must be`),
          );
        }
        await assert.rejects(
          op(name)([1], { ...base, [key]: "1" }) as Promise<unknown>,
          TypeError,
        );
      }
    });
  });
}

Deno.test("vjp()", async (t) => {
  for (const c of paramCases()) {
    for (const set of kernelSets) {
      await t.step(
        `${c.label} [${set}]: dx within 2 ULP, each dparam within 2 ULP, sums`,
        async () => {
          const r = await sweep(c.label, set);
          assertWithin(r, "dx", 2);
          assertPinned(r, "dx");
          for (const name of Object.keys(ops[c.op].dfdp)) {
            assertWithin(r, `dparam:${name}`, 2);
            assertPinned(r, `dparam:${name}`);
          }
          assert.deepStrictEqual(r.sumMisses, []);
        },
      );
    }
  }
  await t.step("gradient shapes", async () => {
    const x = native.tensor([-1, -2, -3, -4, 5, -6], [2, 3]);
    const dy = native.tensor([1, 1, 1, 1, 1, 1], [2, 3]);
    const s = native.vjp("swish", x, { dy });
    assert.deepStrictEqual(s.dx.shape, [2, 3]);
    assert.deepStrictEqual(s.dparams.beta.shape, []);
    assert.deepStrictEqual(
      Object.keys(native.vjp("relu", x, { dy }).dparams),
      [],
    );
    // prelu α as a number, per row ([2, 1]), per column ([3]), per element.
    const scalar =
      native.vjp("prelu", x, { dy, params: { alpha: 0.5 } }).dparams.alpha;
    assert.deepStrictEqual(scalar.shape, []);
    assert.deepStrictEqual(await scalar.read(), new Float32Array([-16]));
    const rows = native.vjp("prelu", x, {
      dy,
      params: { alpha: native.tensor([0.5, 2], [2, 1]) },
    });
    assert.deepStrictEqual(rows.dparams.alpha.shape, [2, 1]);
    assert.deepStrictEqual(
      await rows.dparams.alpha.read(),
      new Float32Array([-6, -10]),
    );
    assert.deepStrictEqual(
      await rows.dx.read(),
      new Float32Array([0.5, 0.5, 0.5, 2, 1, 2]),
    );
    const cols = native.vjp("prelu", x, {
      dy,
      params: { alpha: native.tensor([1, 2, 3]) },
    });
    assert.deepStrictEqual(
      await cols.dparams.alpha.read(),
      new Float32Array([-5, -2, -9]),
    );
    const host = await native.vjp("prelu", [-1, 2], {
      dy: [3, 3],
      params: { alpha: [0.5, 0.5] },
    });
    assert.deepStrictEqual(host.dparams.alpha, new Float32Array([-3, 0]));
    const lifted = native.vjp("prelu", native.tensor([-2, -3], [1, 2]), {
      dy: native.tensor([1, 1], [1, 2]),
      params: { alpha: native.tensor([0.5], [1, 1]) },
    });
    assert.deepStrictEqual(
      await lifted.dparams.alpha.read(),
      new Float32Array([-5]),
    );
  });
  await t.step("prelu broadcasting against a direct loop", async () => {
    const shape = [3, 4, 5];
    const xs = Array.from({ length: 60 }, (_, i) => ((i * 37) % 23) - 15);
    const dys = Array.from({ length: 60 }, (_, i) => ((i * 11) % 7) - 3);
    for (const aShape of [[4, 1], [3, 1, 5], [5], [1, 4, 1], [3, 4, 5]]) {
      const aSize = aShape.reduce((p, d) => p * d, 1);
      const alpha = Array.from({ length: aSize }, (_, i) => 0.25 * (i + 1));
      const padded = [
        ...Array(shape.length - aShape.length).fill(1),
        ...aShape,
      ];
      const wantY: number[] = [];
      const wantD: number[] = [];
      const wantDx: number[] = [];
      const wantDa = new Array(aSize).fill(0);
      for (let i = 0; i < 60; i++) {
        const c = [Math.floor(i / 20), Math.floor(i / 5) % 4, i % 5];
        let k = 0;
        for (let d = 0; d < 3; d++) {
          k = k * padded[d]! + (padded[d] === 1 ? 0 : c[d]!);
        }
        const v = xs[i]!;
        wantY.push(v > 0 ? v : alpha[k]! * v);
        wantD.push(v > 0 ? 1 : alpha[k]!);
        wantDx.push(dys[i]! * (v > 0 ? 1 : alpha[k]!));
        wantDa[k] += dys[i]! * (v > 0 ? 0 : v);
      }
      const x = native.tensor(xs, shape);
      const params = { alpha: native.tensor(alpha, aShape) };
      assert.deepStrictEqual(
        await native.prelu(x, params).read(),
        new Float32Array(wantY),
      );
      assert.deepStrictEqual(
        await native.derivative("prelu", x, params).read(),
        new Float32Array(wantD),
      );
      const g = native.vjp("prelu", x, {
        dy: native.tensor(dys, shape),
        params,
      });
      assert.deepStrictEqual(
        await g.dx.read(),
        new Float32Array(wantDx),
        `α ${aShape}`,
      );
      assert.deepStrictEqual(g.dparams.alpha.shape, aShape);
      assert.deepStrictEqual(
        await g.dparams.alpha.read(),
        new Float32Array(wantDa),
        `α ${aShape}`,
      );
    }
  });
  await t.step("empty and 0-d", async () => {
    const e = await native.vjp("swish", [], { dy: [] });
    assert.deepStrictEqual(e, {
      dx: new Float32Array(0),
      dparams: { beta: new Float32Array([0]) },
    });
    const s = native.vjp("elu", native.tensor([-1], []), {
      dy: native.tensor([2], []),
    });
    assert.deepStrictEqual(s.dx.shape, []);
    assert.deepStrictEqual(
      await s.dparams.alpha.read(),
      new Float32Array([Math.fround(2 * Math.expm1(-1))]),
    );
  });
  await t.step("unknown op", async () => {
    await assert.rejects(
      anyVjp("gelux", [1], { dy: [1] }) as Promise<unknown>,
      /Unknown op "gelux": expected one of relu, leakyRelu/,
    );
    assert.throws(
      () => anyVjp("gelux", native.tensor([1]), { dy: native.tensor([1]) }),
      RangeError,
    );
    await assert.rejects(
      anyVjp(3, [1], { dy: [1] }) as Promise<unknown>,
      TypeError,
    );
  });
  await t.step("x and dy", async () => {
    await assert.rejects(
      native.vjp("relu", [1, 2], { dy: [1] }),
      /x and dy must have the same shape/,
    );
    assert.throws(
      () =>
        native.vjp("relu", native.tensor([1, 2, 3, 4], [2, 2]), {
          dy: native.tensor([1, 2, 3, 4]),
        }),
      RangeError,
    );
    assert.throws(
      () => native.vjp("relu", native.tensor([1]), { dy: [1] } as never),
      /both be native tensors/,
    );
    await assert.rejects(
      native.vjp("relu", [1], { dy: native.tensor([1]) } as never),
      /both be native tensors/,
    );
    await assert.rejects(anyVjp("relu", [1], {}) as Promise<unknown>, /dy/);
    await assert.rejects(anyVjp("relu", [1]) as Promise<unknown>, TypeError);
    await assert.rejects(
      native.vjp("relu", [1], { dy: new Float64Array(1) as never }),
      TypeError,
    );
    await assert.rejects(
      native.vjp("relu", [1], { dy: ["a"] as never }),
      TypeError,
    );
  });
  await t.step("parameters", async () => {
    await assert.rejects(
      native.vjp("softplus", [1], { dy: [1], params: { beta: 0 } }),
      RangeError,
    );
    await assert.rejects(
      native.vjp("celu", [1], { dy: [1], params: { alpha: 0 } }),
      RangeError,
    );
    await assert.rejects(
      native.vjp("swish", [1], { dy: [1], params: { beta: NaN } }),
      RangeError,
    );
    await assert.rejects(
      native.vjp("hardTanh", [1], { dy: [1], params: { min: 1, max: 1 } }),
      RangeError,
    );
    await assert.rejects(
      native.vjp("prelu", [1], { dy: [1] } as never),
      /prelu alpha is required/,
    );
  });
  await t.step("prelu alpha not broadcastable", async () => {
    const x = native.tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    const dy = native.tensor([1, 1, 1, 1, 1, 1], [2, 3]);
    assert.throws(
      () =>
        native.vjp("prelu", x, {
          dy,
          params: { alpha: native.tensor([1, 2]) },
        }),
      /prelu alpha of shape \[2\] is not broadcastable to x of shape \[2, 3\]/,
    );
    assert.throws(() => native.prelu(x, { alpha: [1, 2] }), RangeError);
    assert.throws(
      () =>
        native.prelu(x, {
          alpha: native.tensor([1, 1, 1, 1, 1, 1], [1, 2, 3]),
        }),
      RangeError,
    );
    await assert.rejects(
      native.prelu([1, 2, 3], { alpha: [1, 2] }),
      RangeError,
    );
    await assert.rejects(
      native.prelu([1, 2], { alpha: [1, NaN] }),
      /element 1 is NaN/,
    );
    assert.throws(
      () =>
        native.prelu(native.tensor([1, 2]), {
          alpha: native.tensor([1, Infinity]),
        }),
      /element 1 is Infinity/,
    );
    await assert.rejects(
      native.prelu([1, 2], { alpha: new Float64Array(2) as never }),
      TypeError,
    );
  });
});

Deno.test("derivative()", async (t) => {
  for (const c of paramCases()) {
    for (const set of kernelSets) {
      await t.step(
        `${c.label} [${set}]: within 2 ULP, kinks left-hand`,
        async () => {
          const r = await sweep(c.label, set);
          assertWithin(r, "derivative", 2);
          assertPinned(r, "derivative");
        },
      );
    }
  }
  await t.step("the kink conventions", async () => {
    const d = (name: OpName, x: number, params?: unknown) =>
      (native.derivative as AnyDerivative)(name, [x], params) as Promise<
        Float32Array
      >;
    assert.strictEqual((await d("relu", 0))[0], 0);
    assert.strictEqual(
      (await d("leakyRelu", 0, { alpha: 0.2 }))[0],
      Math.fround(0.2),
    );
    assert.strictEqual((await d("elu", 0, { alpha: 2 }))[0], 2);
    assert.strictEqual((await d("relu6", 6))[0], 1);
    assert.strictEqual((await d("hardSigmoid", 3))[0], Math.fround(1 / 6));
    assert.strictEqual((await d("hardSigmoid", -3))[0], 0);
    assert.strictEqual((await d("hardSwish", -3))[0], 0);
    assert.strictEqual((await d("hardSwish", 3))[0], 1.5);
  });
  await t.step("resident form and bad input", async () => {
    const g = native.derivative("sigmoid", native.tensor([0, 0], [1, 2]));
    assert.deepStrictEqual(g.shape, [1, 2]);
    assert.deepStrictEqual(await g.read(), new Float32Array([0.25, 0.25]));
    await assert.rejects(
      (native.derivative as AnyDerivative)("nope", [1]) as Promise<unknown>,
      /expected one of relu/,
    );
    await assert.rejects(
      (native.derivative as AnyDerivative)(
        "relu",
        new Float64Array(1),
      ) as Promise<unknown>,
      TypeError,
    );
    assert.throws(() => native.derivative("relu", foreignTensor()), TypeError);
  });
});

Deno.test("secondDerivative()", async (t) => {
  for (const c of paramCases()) {
    for (const set of kernelSets) {
      await t.step(`${c.label} [${set}]: within 2 ULP`, async () => {
        const r = await sweep(c.label, set);
        assertWithin(r, "d2x", 2);
        assertPinned(r, "d2x");
      });
    }
  }
  await t.step("resident form and bad input", async () => {
    const g = native.secondDerivative("softsign", native.tensor([0], []));
    assert.deepStrictEqual(g.shape, []);
    assert.deepStrictEqual(await g.read(), new Float32Array([2])); // left-hand at 0
    await assert.rejects(
      native.secondDerivative("celu", [1], { alpha: -1 }),
      RangeError,
    );
    assert.throws(
      () =>
        (native.secondDerivative as AnyDerivative)("nope", native.tensor([1])),
      RangeError,
    );
  });
});

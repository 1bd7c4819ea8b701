// Runs the suite's calls on one backend module. It lives in a worker (see
// _worker.ts) so that a backend that throws, hangs or crashes takes only its
// own worker down; it knows nothing of references or tolerances.

import {
  type BackendModule,
  type OpName,
  ops,
  type Tensor,
} from "@nonlin/core";
import {
  backendNames,
  backendVariantNames,
  loadBackend,
  peerBackendNames,
} from "@nonlin/backends";
import { expansions, type Variable } from "./expansions.ts";

/** Tags the suite's own messages between the runner and a worker. */
export const WORKER_TAG = "nonlin-conformance/1";

/** A parameter as sent to the worker: a number, a choice, or tensor data. */
export type WireParam = number | string | {
  readonly data: Float32Array;
  readonly shape: readonly number[];
};

/**
 * What to compute: a function of the contract, or (`expandedVjp`) the VJP of
 * the op's expanded composition by the backend's own autodiff.
 */
export type CallKind =
  | "forward"
  | "vjp"
  | "derivative"
  | "secondDerivative"
  | "expandedVjp";

/** One call of the contract. */
export interface Call {
  readonly kind: CallKind;
  /**
   * Resident tensors in and out, the Float32Array convenience form, or the
   * same with plain `number[]` input (`numbers`).
   */
  readonly form: "resident" | "array" | "numbers";
  readonly op: OpName;
  readonly params: Readonly<Record<string, WireParam>>;
  readonly x: Float32Array;
  /** x's shape; the array form always passes x flat. */
  readonly shape: readonly number[];
  /** The upstream gradient of a VJP, x's shape. */
  readonly dy?: Float32Array;
  /**
   * Runs only on the built-in backend of this name, loaded by that name (a
   * module loaded by path is never taken for a built-in); the others return
   * nothing.
   */
  readonly only?: string;
}

/** Data and its shape, as a call returns it. */
export interface Returned {
  readonly data: Float32Array;
  /** The tensor's shape (resident form) or `[length]` (array form). */
  readonly shape: readonly number[];
}

/**
 * What a call gave back, or how it failed.
 *
 * @internal The runner's own plumbing, between the workers and checks.ts;
 * not part of the package's API.
 */
export interface Outcome {
  /** The output (forward, derivatives) or dx (VJP). */
  readonly out?: Returned;
  /** The parameter gradients of a VJP. */
  readonly dparams?: Readonly<Record<string, Returned>>;
  /** The error it threw. */
  readonly error?: { readonly name: string; readonly message: string };
}

/** The backend's identity as the worker reports it after loading. */
export interface LoadedInfo {
  name: string;
  readonly available: boolean;
  readonly reason?: string;
  readonly precision?: string;
  readonly capabilities?: unknown;
  /** The built-in name it was loaded by; absent for a module loaded by path. */
  readonly builtin?: string;
}

/**
 * Loads a backend for the suite, by built-in name or module path: the module,
 * the built-in name it was loaded by (none for a path, whatever the module
 * calls itself) and its identity as the runner sees it.
 */
export async function loadForSuite(spec: string): Promise<{
  backend: BackendModule;
  builtin: string | undefined;
  info: LoadedInfo;
}> {
  const backend = await loadBackend(spec);
  const builtin =
    [...backendNames, ...peerBackendNames, ...backendVariantNames].includes(
        spec,
      )
      ? spec
      : undefined;
  const b = backend.backend;
  const info: LoadedInfo = {
    name: b.name,
    available: b.available,
    ...(b.reason === undefined ? {} : { reason: String(b.reason) }),
    precision: String(b.precision),
    capabilities: JSON.parse(JSON.stringify(b.capabilities ?? null)),
    ...(builtin === undefined ? {} : { builtin }),
  };
  return { backend, builtin, info };
}

function isTensorLike(value: unknown): value is Tensor {
  return typeof value === "object" && value !== null &&
    typeof (value as Tensor).read === "function" &&
    typeof (value as Tensor).dispose === "function" &&
    Array.isArray((value as Tensor).shape);
}

async function readTensor(value: unknown, what: string): Promise<Returned> {
  if (!isTensorLike(value)) {
    throw new TypeError(
      `${what} of the resident form is not a tensor: got ${typeof value}`,
    );
  }
  const shape = [...value.shape];
  const data = await value.read();
  if (!(data instanceof Float32Array)) {
    throw new TypeError(`${what}.read() did not resolve to a Float32Array`);
  }
  // A copy of exactly the elements: the backend may hand out a view of its own
  // storage, which must not be transferred away from it.
  return { data: data.slice(), shape };
}

async function readHost(value: unknown, what: string): Promise<Returned> {
  const data = await value;
  if (!(data instanceof Float32Array)) {
    throw new TypeError(
      `${what} of the array form is not a Float32Array: got ${typeof data}`,
    );
  }
  return { data: data.slice(), shape: [data.length] };
}

/** The first element where two arrays differ in bits (any NaN matching any NaN), or -1. */
function firstChange(before: Float32Array, after: Float32Array): number {
  if (before.length !== after.length) return 0;
  const a = new Int32Array(before.buffer, before.byteOffset, before.length);
  const b = new Int32Array(after.buffer, after.byteOffset, after.length);
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i] && !(before[i] !== before[i] && after[i] !== after[i])) {
      return i;
    }
  }
  return -1;
}

/**
 * Runs one call and reads its results back, then checks that the backend
 * left its inputs as they were (x, dy and tensor parameters, read back
 * after the call in every form) and that `dispose()` disposed every tensor.
 * Errors are caught and returned.
 */
export async function execute(
  backend: BackendModule,
  call: Call,
  builtin?: string,
): Promise<Outcome> {
  const inputs: { what: string; data: Float32Array }[] = [];
  const made: Tensor[] = [];
  const outcome = await executeOnly(backend, call, builtin, inputs, made);
  const problems: string[] = [];
  for (const input of inputs) {
    const before = input.what === "x"
      ? call.x
      : input.what === "dy"
      ? call.dy!
      : (call.params[input.what] as { data: Float32Array }).data;
    const i = firstChange(before, input.data);
    if (i >= 0) {
      problems.push(
        `modified its input ${input.what} (${call.form} form): element ${i} was ${
          before[i]
        }, is ${input.data[i]}`,
      );
    }
  }
  const undisposed = made.filter((t) => t.disposed !== true).length;
  if (undisposed > 0) {
    problems.push(
      `dispose() left ${undisposed} of ${made.length} tensors not disposed`,
    );
  }
  if (problems.length === 0 || outcome.error) return outcome;
  return {
    error: { name: "ContractError", message: problems.join("; ") },
  };
}

async function executeOnly(
  backend: BackendModule,
  call: Call,
  builtin: string | undefined,
  inputs: { what: string; data: Float32Array }[],
  made: Tensor[],
): Promise<Outcome> {
  const keep = <T>(t: T): T => {
    if (isTensorLike(t)) made.push(t);
    return t;
  };
  try {
    if (call.only !== undefined && builtin !== call.only) {
      return {};
    }
    if (call.kind === "expandedVjp") {
      return await expandedVjp(backend, call, keep);
    }
    const resident = call.form === "resident";
    // Host inputs are handed over as copies, compared with the call's own
    // data afterwards; resident ones are read back after the call.
    const host = (data: Float32Array, what: string) => {
      const copy = data.slice();
      if (call.form !== "numbers") {
        inputs.push({ what, data: copy });
        return copy;
      }
      const numbers = Array.from(copy);
      inputs.push({
        what,
        get data() {
          return Float32Array.from(numbers);
        },
      });
      return numbers;
    };
    const residentInputs: { what: string; t: Tensor }[] = [];
    const upload = (
      data: Float32Array,
      shape: readonly number[],
      what: string,
    ) => {
      const t = keep(backend.tensor(data, shape));
      residentInputs.push({ what, t });
      return t;
    };
    const params: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(call.params)) {
      if (typeof value === "object") {
        params[name] = resident
          ? upload(value.data, value.shape, name)
          : host(value.data, name);
      } else {
        params[name] = value;
      }
    }
    const x = resident ? upload(call.x, call.shape, "x") : host(call.x, "x");
    const read = resident ? readTensor : readHost;
    const readInputs = async () => {
      for (const { what, t } of residentInputs) {
        inputs.push({ what, data: (await readTensor(t, what)).data });
      }
    };
    // deno-lint-ignore no-explicit-any
    const api = backend as any;
    switch (call.kind) {
      case "forward": {
        const out = await read(keep(api[call.op](x, params)), call.op);
        await readInputs();
        return { out };
      }
      case "derivative":
      case "secondDerivative": {
        const out = await read(
          keep(api[call.kind](call.op, x, params)),
          call.kind,
        );
        await readInputs();
        return { out };
      }
      case "vjp": {
        const dy = resident
          ? upload(call.dy!, call.shape, "dy")
          : host(call.dy!, "dy");
        const result = await api.vjp(call.op, x, { dy, params });
        if (typeof result !== "object" || result === null) {
          throw new TypeError(
            `vjp returned ${result === null ? "null" : typeof result}`,
          );
        }
        keep(result.dx);
        const dparams: Record<string, Returned> = {};
        for (const [name, value] of Object.entries(result.dparams ?? {})) {
          keep(value);
          dparams[name] = await read(value, `dparams.${name}`);
        }
        const out = await read(result.dx, "dx");
        await readInputs();
        return { out, dparams };
      }
    }
    throw new TypeError(`Unknown call kind: ${call.kind}`);
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    return { error: { name: e.name, message: e.message } };
  } finally {
    for (const t of made) {
      try {
        t.dispose();
      } catch {
        // A failing dispose must not hide the call's own result.
      }
    }
  }
}

/**
 * The VJP of the op's expanded composition (expansions.ts), taken by the
 * backend's `valueAndGrad` with respect to x and every learned parameter; dy
 * enters as a constant factor, since the autodiff seeds its output with ones.
 */
async function expandedVjp(
  backend: BackendModule,
  call: Call,
  keep: <T>(t: T) => T,
): Promise<Outcome> {
  // deno-lint-ignore no-explicit-any
  const valueAndGrad = (backend as any).valueAndGrad;
  if (typeof valueAndGrad !== "function") {
    throw new TypeError(
      `${backend.backend.name} exports no valueAndGrad to differentiate a composition`,
    );
  }
  const learned = Object.keys(ops[call.op].dfdp);
  const numbers: Record<string, number | string> = {};
  const args: unknown[] = [keep(backend.tensor(call.x, call.shape))];
  for (const [name, value] of Object.entries(call.params)) {
    if (typeof value === "object") {
      numbers[name] = value.data[0]!;
      if (learned.includes(name)) args.push(value.data);
    } else {
      numbers[name] = value;
      if (learned.includes(name)) args.push(value);
    }
  }
  const dy = keep(backend.tensor(call.dy!, call.shape));
  const where = (predicate: (x: number, i: number) => boolean) =>
    keep(
      backend.tensor(
        call.x.map((v, i) => (predicate(v, i) ? 1 : 0)),
        call.shape,
      ),
    );
  const value = (name: string) => numbers[name] as number;
  const f = (x: Variable, ...thetas: Variable[]) => {
    const p: Record<string, Variable | number | string> = { ...numbers };
    learned.forEach((name, k) => (p[name] = thetas[k]!));
    return expansions[call.op](x, p, where, value).mul(dy);
  };
  const argnums = args.map((_, k) => k);
  const { grad } = valueAndGrad(f, { argnums })(...args) as { grad: unknown[] };
  const dx = await readTensor(keep(grad[0]), "dx");
  const dparams: Record<string, Returned> = {};
  learned.forEach((name, k) => {
    const g = grad[k + 1];
    const data = typeof g === "number"
      ? new Float32Array([g])
      : (g as Float32Array).slice();
    dparams[name] = { data, shape: typeof g === "number" ? [] : [data.length] };
  });
  return { out: dx, dparams };
}

/** The buffers of outcomes, for transferring them out of the worker. */
export function transferables(outcomes: readonly Outcome[]): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const o of outcomes) {
    if (o.out) out.add(o.out.data.buffer as ArrayBuffer);
    for (const d of Object.values(o.dparams ?? {})) {
      out.add(d.data.buffer as ArrayBuffer);
    }
  }
  return [...out];
}

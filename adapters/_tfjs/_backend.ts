// One factory builds the whole contract for any tfjs backend: validation,
// backend switching, tidy scopes, resident and array forms. The adapters only
// initialise their tfjs backend and describe it.

import * as tf from "@tensorflow/tfjs";
import {
  type ArrayInput,
  backendInfo,
  type BackendModule,
  backendModule,
  BackendUnavailableError,
  checkAliasing,
  checkBroadcast,
  checkDparamsOut,
  checkDxOut,
  checkDyForm,
  checkOut,
  checkSameShape,
  checkShape,
  checkVjpOut,
  getOp,
  isTensor,
  NotSupportedError,
  type OpName,
  outOption,
  refuseResidentOut,
  type ResolvedOptions,
  resolveParams,
  type Tensor,
  toFloat32,
  unsupportedFor,
  vjpOptions,
  withoutOut,
} from "@nonlin/core";
import * as compute from "./_compute.ts";
import type { TfParams } from "./_ops.ts";
import { TfjsTensor, type TfReader } from "./_tensor.ts";
import { unsupported } from "./_unsupported.ts";

/** How an adapter describes its tfjs backend to {@linkcode createTfjsBackend}. */
export interface TfjsBackendConfig {
  /** The nonlin name, e.g. `"tfjs-wasm"`. */
  readonly name: string;
  /** tfjs's name for the backend, e.g. `"wasm"`; it must be initialised already. */
  readonly tfjsBackend: string;
  /**
   * Why the backend cannot run now, or `undefined` when it can. Asked on
   * every call, so a backend can stop being available (a lost WebGPU device).
   */
  readonly unavailable: () => string | undefined;
  /** Facts about the engine for `capabilities.properties`. */
  readonly properties: Readonly<Record<string, string | number | boolean>>;
  /**
   * The most elements one tensor may hold, and what sets that limit (named
   * in the `RangeError`). No limit when absent.
   */
  readonly maxElements?: { readonly count: number; readonly limit: string };
  /** Reads a tensor back; `tensor.data()` when absent. */
  readonly read?: TfReader;
}

/** Makes `tfjsBackend` tfjs's active backend; synchronous once it is initialised. */
export function activate(tfjsBackend: string): void {
  if (tf.getBackend() === tfjsBackend) return;
  if (!tf.findBackend(tfjsBackend)) {
    throw new Error(`tfjs's ${tfjsBackend} backend is not initialised`);
  }
  // For an initialised backend, setBackend does all its work before its
  // first await, so the switch is done when it returns; the promise only
  // says true. The cost: tfjs re-runs the backend's kernel set-up functions
  // (wasm binds its exports again) and makes a new profiler.
  tf.setBackend(tfjsBackend).catch(() => {});
  if (tf.getBackend() !== tfjsBackend) {
    throw new Error(`tfjs did not switch to its ${tfjsBackend} backend`);
  }
}

/**
 * Builds a complete nonlin backend module on one tfjs backend.
 *
 * @param config The backend's names, availability and limits.
 * @returns Every export of the {@linkcode BackendModule} contract.
 */
export function createTfjsBackend(config: TfjsBackendConfig): BackendModule {
  const { name, tfjsBackend } = config;
  const read: TfReader = config.read ??
    ((t) => t.data() as Promise<Float32Array>);
  const backend = backendInfo({ ...config, unsupported });

  function ready(): void {
    const reason = config.unavailable();
    if (reason !== undefined) throw new BackendUnavailableError(name, reason);
  }

  function checkSize(size: number, what: string): void {
    const max = config.maxElements;
    if (max !== undefined && size > max.count) {
      throw new RangeError(
        `${what} holds ${size} float32 elements (${
          size * 4
        } bytes), more than ${name} can bind: ${max.limit}`,
      );
    }
  }

  function refuse(
    op: OpName,
    feature: "secondDerivative",
    p: Record<string, unknown>,
  ): void {
    const params = p as ResolvedOptions;
    const entry = unsupportedFor(unsupported, { op, feature, params });
    if (entry) throw new NotSupportedError(name, op, feature, entry.reason);
  }

  function unwrap(t: Tensor, what: string): tf.Tensor {
    return TfjsTensor.unwrap(t, name, what);
  }

  function wrap(t: tf.Tensor): Tensor {
    return new TfjsTensor(name, t, read);
  }

  /** Uploads host data inside the caller's tidy scope. */
  function upload(data: Float32Array, shape: readonly number[]): tf.Tensor {
    return tf.tensor(data, [...shape], "float32");
  }

  /**
   * Turns resolved options into what the tfjs expressions take, inside the
   * caller's tidy scope: prelu's α becomes a tf tensor (checked against x's
   * shape), and with `learned` every learned parameter becomes one too.
   */
  function tfParams(
    op: OpName,
    options: unknown,
    xShape: readonly number[],
    learned: boolean,
  ): {
    p: TfParams;
    resolved: Record<string, unknown>;
    thetas: Record<string, tf.Tensor>;
  } {
    const resolved = resolveParams(op, options) as Record<string, unknown>;
    const p: Record<string, TfParams[string]> = {};
    const thetas: Record<string, tf.Tensor> = {};
    const learnedNames = compute.learnedParams(op);
    for (const [key, value] of Object.entries(resolved)) {
      let v: TfParams[string];
      if (value instanceof Float32Array) {
        checkBroadcast([value.length], xShape, `${op} ${key}`);
        v = tf.tensor1d(value, "float32");
      } else if (isTensor(value)) {
        const t = unwrap(value, `${op} ${key}`);
        checkBroadcast(t.shape, xShape, `${op} ${key}`);
        checkFinite(value, `${op} ${key}`);
        v = t;
      } else {
        v = value as number | string;
      }
      if (learned && learnedNames.includes(key)) {
        const t = typeof v === "number"
          ? tf.scalar(v, "float32")
          : v as tf.Tensor;
        thetas[key] = t;
        v = t;
      }
      p[key] = v;
    }
    return { p, resolved, thetas };
  }

  /**
   * Rejects a resident parameter holding NaN or ±∞, as resolveParams rejects
   * host data and the native engine a resident α (a parameter is a finite
   * number). Uploaded data was scanned by tensor(); a parameter computed on
   * the backend is read synchronously where tfjs can (cpu, wasm; tfjs-webgpu
   * cannot read synchronously in Deno, so there it is taken as it is).
   */
  function checkFinite(t: Tensor, what: string): void {
    const wrapper = t as TfjsTensor;
    let bad = wrapper.firstNonFinite;
    let value: number | undefined;
    if (bad === undefined && tfjsBackend !== "webgpu") {
      const data = unwrap(t, what).dataSync();
      bad = data.findIndex((v) => !Number.isFinite(v));
      value = data[bad];
    }
    if (bad !== undefined && bad >= 0) {
      throw new RangeError(
        `${what} must hold finite numbers in (-∞, ∞): element ${bad} is ${
          value ?? "not finite"
        }`,
      );
    }
  }

  /** Host data of x, checked and counted. */
  function hostData(x: unknown, what: string): Float32Array {
    const data = toFloat32(x, what);
    checkSize(data.length, what);
    return data;
  }

  /** Runs a resident computation on tfjs's backend in one tidy scope. */
  function run<T>(body: () => T): T {
    activate(tfjsBackend);
    return tf.tidy(body as () => tf.TensorContainer) as T;
  }

  /** Reads every tensor of a result back to the host and disposes them all. */
  async function readAll(
    tensors: readonly tf.Tensor[],
  ): Promise<Float32Array[]> {
    try {
      return await Promise.all(tensors.map((t) => read(t)));
    } finally {
      for (const t of tensors) t.dispose();
    }
  }

  /**
   * An elementwise function of x, resident or on host data; the host form
   * writes into the caller's `out` where given (tfjs reads back into an
   * array of its own, which is then copied: one copy more than the native
   * engine, none of it the caller's allocation).
   */
  function elementwise(
    op: OpName,
    x: unknown,
    options: unknown,
    fn: (x: tf.Tensor, p: TfParams) => tf.Tensor,
    feature?: "secondDerivative",
  ): Tensor | Promise<Float32Array> {
    ready();
    getOp(op);
    const given = outOption(options);
    if (isTensor(x)) {
      refuseResidentOut(given, op);
      const xt = unwrap(x, "x");
      return wrap(run(() => {
        const { p, resolved } = tfParams(op, options, xt.shape, false);
        if (feature) refuse(op, feature, resolved);
        return fn(xt, p);
      }));
    }
    return (async () => {
      const data = hostData(x, "x");
      let target: Float32Array | undefined;
      if (given !== undefined) {
        target = checkOut(given, data.length, "out");
        checkAliasing(target, data, "out and x", true);
        options = withoutOut(options);
      }
      const y = run(() => {
        const { p, resolved } = tfParams(op, options, [data.length], false);
        if (feature) refuse(op, feature, resolved);
        return fn(upload(data, [data.length]), p);
      });
      const [out] = await readAll([y]);
      if (target === undefined) return out!;
      target.set(out!);
      return target;
    })();
  }

  function tensor(data: ArrayInput, shape?: readonly number[]): Tensor {
    ready();
    const host = toFloat32(data, "data");
    const dims = checkShape(shape ?? [host.length], host.length);
    checkSize(host.length, "data");
    // Copy a caller's Float32Array: tfjs keeps what it is given.
    const owned = host === data ? host.slice() : host;
    return new TfjsTensor(name, run(() => upload(owned, dims)), read, owned);
  }

  function vjp(op: OpName, x: unknown, options: unknown): unknown {
    ready();
    getOp(op);
    const { dy, params, out } = vjpOptions(options);
    if (isTensor(x)) {
      refuseResidentOut(out, "vjp");
      const xt = unwrap(x, "x");
      checkDyForm(dy, { backend: name, resident: true });
      const dyt = unwrap(dy, "dy");
      checkSameShape(xt.shape, dyt.shape, "x and dy");
      const g = run(() => {
        const { p, thetas } = tfParams(op, params, xt.shape, true);
        return compute.vjp(op, xt, dyt, p, thetas);
      });
      const dparams: Record<string, Tensor> = {};
      for (const [key, t] of Object.entries(g.dparams)) dparams[key] = wrap(t);
      return { dx: wrap(g.dx), dparams };
    }
    return (async () => {
      const data = hostData(x, "x");
      checkDyForm(dy, { backend: name, resident: false });
      const dyData = hostData(dy, "dy");
      checkSameShape([data.length], [dyData.length], "x and dy");
      const given = checkVjpOut(op, out);
      const dxOut = checkDxOut(given.dx, { x: data, dy: dyData });
      let targets: Record<string, Float32Array> = {};
      const g = run(() => {
        const { p, thetas } = tfParams(op, params, [data.length], true);
        // Every out array is checked before anything is computed.
        const sizes = Object.fromEntries(
          Object.entries(thetas).map(([key, theta]) => [key, theta.size]),
        );
        targets = checkDparamsOut(given.dparams, sizes, {
          x: data,
          dy: dyData,
          dx: dxOut,
        });
        return compute.vjp(
          op,
          upload(data, [data.length]),
          upload(dyData, [dyData.length]),
          p,
          thetas,
        );
      });
      const keys = Object.keys(g.dparams);
      const [dx, ...rest] = await readAll([
        g.dx,
        ...keys.map((k) => g.dparams[k]!),
      ]);
      const dparams: Record<string, Float32Array> = {};
      keys.forEach((key, i) => {
        const target = targets[key];
        if (target === undefined) dparams[key] = rest[i]!;
        else {
          target.set(rest[i]!);
          dparams[key] = target;
        }
      });
      if (dxOut === undefined) return { dx: dx!, dparams };
      dxOut.set(dx!);
      return { dx: dxOut, dparams };
    })();
  }

  return backendModule({
    backend,
    tensor,
    vjp,
    elementwise: (feature, op, x, options) =>
      elementwise(
        op,
        x,
        options,
        (xt, p) => compute[feature](op, xt, p),
        feature === "secondDerivative" ? feature : undefined,
      ),
  });
}

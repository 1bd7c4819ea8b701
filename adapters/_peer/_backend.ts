// One factory builds the whole contract on a peer engine: validation, the
// resident and array forms, prelu's α, and the refusals a peer declares. The
// peer adapters describe their engine and nothing more.

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
  type ConditionalUnsupported,
  getOp,
  isTensor,
  NotSupportedError,
  type OpName,
  ops,
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
import { PeerTensor } from "./_tensor.ts";

/** An engine handle with its shape. */
export interface Operand<H> {
  /** The engine's handle. */
  readonly handle: H;
  /** Its shape. */
  readonly shape: readonly number[];
}

/** A parameter as an engine receives it: prelu's α as an operand, the rest as values. */
export type PeerParam<H> = number | string | Operand<H>;

/** The resolved parameters as an engine receives them. */
export type PeerParams<H> = Readonly<Record<string, PeerParam<H>>>;

/** A feature a peer cannot compute, and for which parameter values. */
export type PeerUnsupported = ConditionalUnsupported;

/** The computations a peer engine offers, on its own handles. */
export interface PeerEngine<H> {
  /** The nonlin backend name. */
  readonly name: string;
  /** Why the engine cannot run now, or `undefined` when it can. */
  readonly unavailable: () => string | undefined;
  /** Facts for `capabilities.properties`. */
  readonly properties: Readonly<Record<string, string | number | boolean>>;
  /** What it cannot compute. Only `secondDerivative` may be refused. */
  readonly unsupported: readonly PeerUnsupported[];
  /** Copies host data into a new handle; must not keep `data`. */
  readonly upload: (data: Float32Array, shape: readonly number[]) => H;
  /**
   * Copies a handle's data into `into` (of the handle's size) and returns
   * it, or into a new Float32Array when `into` is absent.
   */
  readonly read: (handle: H, into?: Float32Array) => Promise<Float32Array>;
  /** Frees a handle (the engine may defer it until queued work is done). */
  readonly free: (handle: H) => void;
  /** f(x). */
  readonly forward: (op: OpName, x: Operand<H>, p: PeerParams<H>) => H;
  /**
   * dy·f′(x) and Σ dy·∂f/∂θ for every learned parameter θ, each of θ's shape
   * (0-d for a number).
   */
  readonly vjp: (
    op: OpName,
    x: Operand<H>,
    dy: H,
    p: PeerParams<H>,
  ) => { readonly dx: H; readonly dparams: Readonly<Record<string, H>> };
  /** f′(x), bit for bit the dx of the VJP with dy = 1. */
  readonly derivative: (op: OpName, x: Operand<H>, p: PeerParams<H>) => H;
  /** f″(x). */
  readonly secondDerivative: (
    op: OpName,
    x: Operand<H>,
    p: PeerParams<H>,
  ) => H;
}

type Feature = "forward" | "derivative" | "secondDerivative";

/**
 * Builds a complete nonlin backend module on one peer engine.
 *
 * @param engine The engine's computations, names and limits.
 * @returns Every export of the {@linkcode BackendModule} contract.
 */
export function createPeerBackend<H>(engine: PeerEngine<H>): BackendModule {
  const { name } = engine;
  const backend = backendInfo(engine);
  const handleOps = { read: engine.read, free: engine.free };

  function ready(): void {
    const reason = engine.unavailable();
    if (reason !== undefined) throw new BackendUnavailableError(name, reason);
  }

  function refuse(op: OpName, feature: Feature, params: ResolvedOptions): void {
    const entry = unsupportedFor(engine.unsupported, { op, feature, params });
    if (entry) throw new NotSupportedError(name, op, feature, entry.reason);
  }

  function unwrap(t: Tensor, what: string): Operand<H> {
    return { handle: PeerTensor.unwrap<H>(t, name, what), shape: t.shape };
  }

  function wrap(handle: H, shape: readonly number[]): Tensor {
    return new PeerTensor(name, handle, shape, handleOps);
  }

  /**
   * Resolves the options for x's shape: prelu's α becomes an operand (host
   * data uploaded, freed by `release`).
   */
  function engineParams(
    op: OpName,
    options: unknown,
    xShape: readonly number[],
  ): { p: PeerParams<H>; resolved: ResolvedOptions; release: () => void } {
    const resolved = resolveParams(op, options);
    const p: Record<string, PeerParam<H>> = {};
    const temporary: H[] = [];
    for (const [key, value] of Object.entries(resolved)) {
      if (value instanceof Float32Array) {
        checkBroadcast([value.length], xShape, `${op} ${key}`);
        const handle = engine.upload(value, [value.length]);
        temporary.push(handle);
        p[key] = { handle, shape: [value.length] };
      } else if (isTensor(value)) {
        const operand = unwrap(value, `${op} ${key}`);
        checkBroadcast(operand.shape, xShape, `${op} ${key}`);
        p[key] = operand;
      } else {
        p[key] = value;
      }
    }
    return {
      p,
      resolved,
      release: () => temporary.forEach((h) => engine.free(h)),
    };
  }

  async function readAndFree(
    handle: H,
    into?: Float32Array,
  ): Promise<Float32Array> {
    try {
      return await engine.read(handle, into);
    } finally {
      engine.free(handle);
    }
  }

  /** An elementwise function of x, resident or on host data. */
  function elementwise(
    op: OpName,
    x: unknown,
    options: unknown,
    feature: Feature,
    fn: (x: Operand<H>, p: PeerParams<H>) => H,
  ): Tensor | Promise<Float32Array> {
    ready();
    getOp(op);
    const given = outOption(options);
    if (isTensor(x)) {
      refuseResidentOut(given, op);
      const xo = unwrap(x, "x");
      const { p, resolved, release } = engineParams(op, options, xo.shape);
      try {
        refuse(op, feature, resolved);
        return wrap(fn(xo, p), xo.shape);
      } finally {
        release();
      }
    }
    return (async () => {
      const data = toFloat32(x, "x");
      const shape = [data.length];
      let target: Float32Array | undefined;
      if (given !== undefined) {
        target = checkOut(given, data.length, "out");
        // The engine copies x before it computes, so out may be x.
        checkAliasing(target, data, "out and x", true);
        options = withoutOut(options);
      }
      const { p, resolved, release } = engineParams(op, options, shape);
      let handle: H | undefined;
      try {
        refuse(op, feature, resolved);
        handle = engine.upload(data, shape);
        return await readAndFree(fn({ handle, shape }, p), target);
      } finally {
        if (handle !== undefined) engine.free(handle);
        release();
      }
    })();
  }

  function tensor(data: ArrayInput, shape?: readonly number[]): Tensor {
    ready();
    const host = toFloat32(data, "data");
    const dims = checkShape(shape ?? [host.length], host.length);
    return wrap(engine.upload(host, dims), dims);
  }

  /** The shape of each learned parameter's gradient. */
  function dparamShapes(
    op: OpName,
    p: PeerParams<H>,
  ): Record<string, readonly number[]> {
    const shapes: Record<string, readonly number[]> = {};
    for (const [key, spec] of Object.entries(ops[op].params)) {
      if (!spec.learned) continue;
      const v = p[key];
      shapes[key] = typeof v === "object" ? v.shape : [];
    }
    return shapes;
  }

  function vjp(op: OpName, x: unknown, options: unknown): unknown {
    ready();
    getOp(op);
    const { dy, params, out } = vjpOptions(options);
    if (isTensor(x)) {
      refuseResidentOut(out, "vjp");
      const xo = unwrap(x, "x");
      checkDyForm(dy, { backend: name, resident: true });
      const dyo = unwrap(dy, "dy");
      checkSameShape(xo.shape, dyo.shape, "x and dy");
      const { p, release } = engineParams(op, params, xo.shape);
      try {
        const g = engine.vjp(op, xo, dyo.handle, p);
        const shapes = dparamShapes(op, p);
        const dparams: Record<string, Tensor> = {};
        for (const [key, h] of Object.entries(g.dparams)) {
          dparams[key] = wrap(h, shapes[key]!);
        }
        return { dx: wrap(g.dx, xo.shape), dparams };
      } finally {
        release();
      }
    }
    return (async () => {
      const data = toFloat32(x, "x");
      checkDyForm(dy, { backend: name, resident: false });
      const dyData = toFloat32(dy, "dy");
      checkSameShape([data.length], [dyData.length], "x and dy");
      const shape = [data.length];
      const given = checkVjpOut(op, out);
      const dxOut = checkDxOut(given.dx, { x: data, dy: dyData });
      const { p, release } = engineParams(op, params, shape);
      // Every out array is checked before anything is computed.
      let targets: Record<string, Float32Array>;
      try {
        const sizes = Object.fromEntries(
          Object.entries(dparamShapes(op, p)).map((
            [key, dims],
          ) => [key, dims.reduce((a, b) => a * b, 1)]),
        );
        targets = checkDparamsOut(given.dparams, sizes, {
          x: data,
          dy: dyData,
          dx: dxOut,
        });
      } catch (error) {
        release();
        throw error;
      }
      const xh = engine.upload(data, shape);
      const dyh = engine.upload(dyData, shape);
      try {
        const g = engine.vjp(op, { handle: xh, shape }, dyh, p);
        const keys = Object.keys(g.dparams);
        const [dx, ...rest] = await Promise.all([
          readAndFree(g.dx, dxOut),
          ...keys.map((k) => readAndFree(g.dparams[k]!, targets[k])),
        ]);
        const dparams: Record<string, Float32Array> = {};
        keys.forEach((key, i) => (dparams[key] = rest[i]!));
        return { dx: dx!, dparams };
      } finally {
        engine.free(xh);
        engine.free(dyh);
        release();
      }
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
        feature,
        (xo, p) => engine[feature](op, xo, p),
      ),
  });
}

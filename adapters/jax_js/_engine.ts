// The jax-js engine behind the adapter: one jit-compiled function per op,
// feature and parameter set, on jax-js's wasm device.

import * as jax from "@jax-js/jax";
import type { OpName } from "@nonlin/core";
import { ops } from "@nonlin/core";
import type { Operand, PeerParams } from "@nonlin/peer-glue";
import { jaxOps, type JaxParams } from "./_ops.ts";

type JaxArray = jax.Array;
const np = jax.numpy;

type Compiled = (...args: JaxArray[]) => JaxArray | JaxArray[];

/** The learned parameters of an op, in catalog order. */
function learnedOf(op: OpName): string[] {
  return Object.entries(ops[op].params).filter(([, s]) => s.learned).map((
    [k],
  ) => k);
}

/**
 * The cache key of a parameter set: values of numbers and choices, `T` for
 * an operand (its values are an argument of the compiled function).
 */
function keyOf(op: OpName, feature: string, p: PeerParams<JaxArray>): string {
  const parts = Object.entries(p).map(([k, v]) =>
    `${k}=${typeof v === "object" ? "T" : String(v)}`
  );
  return `${op}/${feature}/${parts.join(",")}`;
}

/**
 * Splits the parameters into constants (closed over by the compiled function)
 * and the names of those passed as arguments: every operand, and in a VJP
 * every learned parameter.
 */
function split(
  op: OpName,
  p: PeerParams<JaxArray>,
  traced: readonly string[],
): { constants: Record<string, number | string>; args: string[] } {
  const constants: Record<string, number | string> = {};
  const args: string[] = [];
  for (const [k, v] of Object.entries(p)) {
    if (typeof v === "object" || traced.includes(k)) args.push(k);
    else constants[k] = v;
  }
  void op;
  return { constants, args };
}

/** The jax-js engine: compiled functions cached by op, feature and parameters. */
export class JaxEngine {
  readonly #cache = new Map<string, Compiled>();

  #compiled(key: string, make: () => Compiled): Compiled {
    let fn = this.#cache.get(key);
    if (fn === undefined) {
      fn = make();
      this.#cache.set(key, fn);
    }
    return fn;
  }

  upload(data: Float32Array, shape: readonly number[]): JaxArray {
    // np.array refuses empty data (jax-js 0.1.25); zeros of the shape is it.
    if (data.length === 0) return np.zeros([...shape]);
    // np.array may keep the buffer it is given until the array is realised.
    return np.array(data.slice(), { shape: [...shape] });
  }

  async read(handle: JaxArray, into?: Float32Array): Promise<Float32Array> {
    const data = await handle.ref.data();
    if (into !== undefined) {
      into.set(data);
      return into;
    }
    return data instanceof Float32Array ? data : Float32Array.from(data);
  }

  free(handle: JaxArray): void {
    handle.dispose();
  }

  /** The argument list: x, then each traced parameter (a new reference). */
  #args(
    x: Operand<JaxArray>,
    p: PeerParams<JaxArray>,
    names: readonly string[],
  ): JaxArray[] {
    return [
      x.handle.ref,
      ...names.map((k) => {
        const v = p[k]!;
        return typeof v === "object" ? v.handle.ref : np.array(v as number);
      }),
    ];
  }

  /** f as a function of x and the traced parameters. */
  #f(
    op: OpName,
    constants: Record<string, number | string>,
    names: readonly string[],
  ): (x: JaxArray, ...thetas: JaxArray[]) => JaxArray {
    const f = jaxOps[op];
    return (x, ...thetas) => {
      const q: Record<string, number | string | JaxArray> = { ...constants };
      names.forEach((k, i) => (q[k] = thetas[i]!));
      return f(x, q as JaxParams);
    };
  }

  forward(op: OpName, x: Operand<JaxArray>, p: PeerParams<JaxArray>): JaxArray {
    const { constants, args } = split(op, p, []);
    const fn = this.#compiled(
      keyOf(op, "forward", p),
      () => jax.jit(this.#f(op, constants, args)) as Compiled,
    );
    return fn(...this.#args(x, p, args)) as JaxArray;
  }

  vjp(
    op: OpName,
    x: Operand<JaxArray>,
    dy: JaxArray,
    p: PeerParams<JaxArray>,
  ): { dx: JaxArray; dparams: Record<string, JaxArray> } {
    const learned = learnedOf(op);
    const { constants, args } = split(op, p, learned);
    if (x.shape.includes(0)) {
      // jax-js 0.1.25's vjp cannot unbroadcast a tensor parameter to an
      // empty x ("internal: unbroadcast shape mismatch"); every gradient of
      // an empty x is zeros of its shape.
      const dparams: Record<string, JaxArray> = {};
      for (const k of args) {
        const v = p[k]!;
        if (learned.includes(k)) {
          dparams[k] = np.zeros(typeof v === "object" ? [...v.shape] : []);
        }
      }
      return { dx: np.zeros([...x.shape]), dparams };
    }
    const fn = this.#compiled(keyOf(op, "vjp", p), () => {
      const f = this.#f(op, constants, args);
      return jax.jit((x: JaxArray, dy: JaxArray, ...thetas: JaxArray[]) => {
        const [y, back] = jax.vjp(f, [x, ...thetas]);
        y.dispose();
        const grads = back(dy) as unknown as JaxArray[];
        back.dispose();
        return grads;
      }) as Compiled;
    });
    const [xArg, ...thetaArgs] = this.#args(x, p, args);
    const grads = fn(xArg!, dy.ref, ...thetaArgs) as JaxArray[];
    const dparams: Record<string, JaxArray> = {};
    args.forEach((k, i) => {
      if (learned.includes(k)) dparams[k] = grads[i + 1]!;
      else grads[i + 1]!.dispose();
    });
    return { dx: grads[0]!, dparams };
  }

  derivative(
    op: OpName,
    x: Operand<JaxArray>,
    p: PeerParams<JaxArray>,
  ): JaxArray {
    // A learned parameter of 0 traced, as the VJP traces it: as a constant,
    // jax-js folds 0·exp(x) away, so elu′(NaN) at α = 0 came out 1 here and
    // NaN from the VJP. (Other values stay constants: traced, jax-js's jit of
    // softplus′ and swish′ did not finish within 200 s.)
    const zero = learnedOf(op).filter((k) => p[k] === 0);
    const { constants, args } = split(op, p, zero);
    const fn = this.#compiled(keyOf(op, "derivative", p), () => {
      const f = this.#f(op, constants, args);
      // f is elementwise, so the gradient of Σf is f′ element by element.
      return jax.jit(
        jax.grad((x: JaxArray, ...t: JaxArray[]) => f(x, ...t).sum()),
      ) as Compiled;
    });
    return fn(...this.#args(x, p, args)) as JaxArray;
  }

  secondDerivative(
    op: OpName,
    x: Operand<JaxArray>,
    p: PeerParams<JaxArray>,
  ): JaxArray {
    const { constants, args } = split(op, p, []);
    const fn = this.#compiled(keyOf(op, "secondDerivative", p), () => {
      const f = this.#f(op, constants, args);
      const df = jax.grad((x: JaxArray, ...t: JaxArray[]) => f(x, ...t).sum());
      return jax.jit(
        jax.grad((x: JaxArray, ...t: JaxArray[]) =>
          (df(x, ...t) as JaxArray).sum()
        ),
      ) as Compiled;
    });
    return fn(...this.#args(x, p, args)) as JaxArray;
  }
}

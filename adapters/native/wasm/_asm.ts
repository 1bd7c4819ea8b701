/**
 * A small WebAssembly assembler: the binary encoding of a module (types,
 * an imported memory, functions, exports) and a typed expression builder for
 * the instructions the kernels use, SIMD included. Expressions are trees that
 * emit themselves onto the operand stack when a statement consumes them; a
 * value used twice is bound to a local first (`Fn.let`), as in SSA form.
 * V8's optimising compiler does the register allocation and scheduling, so
 * the code here is written for clarity, not for the stack machine.
 *
 * Opcode numbers follow the WebAssembly 2.0 specification (§5.4) and the
 * relaxed SIMD proposal; `asm_test.ts` checks every one used here against
 * wabt's assembler.
 *
 * @module
 */

/** A value type. */
export type ValType = "i32" | "i64" | "f32" | "f64" | "v128";

const TYPE_CODE: Record<ValType, number> = {
  i32: 0x7f,
  i64: 0x7e,
  f32: 0x7d,
  f64: 0x7c,
  v128: 0x7b,
};

/** A growable byte buffer with the encodings the binary format uses. */
export class Bytes {
  #buf: Uint8Array<ArrayBuffer> = new Uint8Array(256);
  #len = 0;

  /** The number of bytes written. */
  get length(): number {
    return this.#len;
  }

  /** Appends one byte. */
  byte(b: number): this {
    if (this.#len === this.#buf.length) {
      const grown = new Uint8Array(this.#buf.length * 2);
      grown.set(this.#buf);
      this.#buf = grown;
    }
    this.#buf[this.#len++] = b & 0xff;
    return this;
  }

  /** Appends bytes. */
  bytes(bs: ArrayLike<number>): this {
    for (let i = 0; i < bs.length; i++) this.byte(bs[i]!);
    return this;
  }

  /** Unsigned LEB128. */
  u32(v: number): this {
    let x = v >>> 0;
    do {
      const b = x & 0x7f;
      x >>>= 7;
      this.byte(x === 0 ? b : b | 0x80);
    } while (x !== 0);
    return this;
  }

  /** Signed LEB128 of a 32-bit integer. */
  s32(v: number): this {
    let x = v | 0;
    for (;;) {
      const b = x & 0x7f;
      x >>= 7;
      const done = (x === 0 && (b & 0x40) === 0) ||
        (x === -1 && (b & 0x40) !== 0);
      this.byte(done ? b : b | 0x80);
      if (done) return this;
    }
  }

  /** A float64, little-endian. */
  f64(v: number): this {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, v, true);
    return this.bytes(new Uint8Array(view.buffer));
  }

  /** A length-prefixed UTF-8 name. */
  name(s: string): this {
    const utf8 = new TextEncoder().encode(s);
    return this.u32(utf8.length).bytes(utf8);
  }

  /** A length-prefixed copy of another buffer. */
  sized(b: Bytes): this {
    return this.u32(b.length).bytes(b.toArray());
  }

  /** The bytes written, copied. */
  toArray(): Uint8Array<ArrayBuffer> {
    return this.#buf.slice(0, this.#len);
  }
}

/** An expression of type `T`: code that leaves one value of `T` on the stack. */
export interface Expr<T extends ValType = ValType> {
  readonly type: T;
  emit(code: Bytes): void;
}

/** A local variable, readable as an expression. */
export interface Local<T extends ValType = ValType> extends Expr<T> {
  readonly index: number;
}

type V = Expr<"v128">;

function expr<T extends ValType>(
  type: T,
  args: readonly Expr[],
  op: (code: Bytes) => void,
): Expr<T> {
  return {
    type,
    emit(code) {
      for (const a of args) a.emit(code);
      op(code);
    },
  };
}

function simdOp(code: Bytes, n: number): Bytes {
  return code.byte(0xfd).u32(n);
}

/** A SIMD instruction with no immediates: `args` in, one value out. */
function simd<T extends ValType>(
  type: T,
  n: number,
  ...args: Expr[]
): Expr<T> {
  return expr(type, args, (c) => simdOp(c, n));
}

function v(n: number): (...args: V[]) => V {
  return (...args) => simd("v128", n, ...args);
}

// ---------------------------------------------------------------- scalars

/** An i32 constant. */
export function i32(value: number): Expr<"i32"> {
  return expr("i32", [], (c) => c.byte(0x41).s32(value));
}

/** An f64 constant. */
export function f64(value: number): Expr<"f64"> {
  return expr("f64", [], (c) => c.byte(0x44).f64(value));
}

function scalar<T extends ValType>(type: T, opcode: number) {
  return (...args: Expr[]): Expr<T> => expr(type, args, (c) => c.byte(opcode));
}

/** Scalar i32 instructions. */
export const I32 = {
  add: scalar("i32", 0x6a) as (a: Expr<"i32">, b: Expr<"i32">) => Expr<"i32">,
  sub: scalar("i32", 0x6b) as (a: Expr<"i32">, b: Expr<"i32">) => Expr<"i32">,
  mul: scalar("i32", 0x6c) as (a: Expr<"i32">, b: Expr<"i32">) => Expr<"i32">,
  and: scalar("i32", 0x71) as (a: Expr<"i32">, b: Expr<"i32">) => Expr<"i32">,
  shl: scalar("i32", 0x74) as (a: Expr<"i32">, b: Expr<"i32">) => Expr<"i32">,
  shrU: scalar("i32", 0x76) as (a: Expr<"i32">, b: Expr<"i32">) => Expr<"i32">,
  or: scalar("i32", 0x72) as (a: Expr<"i32">, b: Expr<"i32">) => Expr<"i32">,
  eqz: scalar("i32", 0x45) as (a: Expr<"i32">) => Expr<"i32">,
  eq: scalar("i32", 0x46) as (a: Expr<"i32">, b: Expr<"i32">) => Expr<"i32">,
  ne: scalar("i32", 0x47) as (a: Expr<"i32">, b: Expr<"i32">) => Expr<"i32">,
  ltS: scalar("i32", 0x48) as (a: Expr<"i32">, b: Expr<"i32">) => Expr<"i32">,
  gtS: scalar("i32", 0x4a) as (a: Expr<"i32">, b: Expr<"i32">) => Expr<"i32">,
  geS: scalar("i32", 0x4e) as (a: Expr<"i32">, b: Expr<"i32">) => Expr<"i32">,
  /** `i32.load offset=…` at `addr`. */
  load(addr: Expr<"i32">, offset = 0): Expr<"i32"> {
    return expr("i32", [addr], (c) => c.byte(0x28).u32(2).u32(offset));
  },
};

/** Scalar f64 instructions. */
export const F64 = {
  add: scalar("f64", 0xa0) as (a: Expr<"f64">, b: Expr<"f64">) => Expr<"f64">,
  mul: scalar("f64", 0xa2) as (a: Expr<"f64">, b: Expr<"f64">) => Expr<"f64">,
  /** `f64.load` at `addr + offset`. */
  load(addr: Expr<"i32">, offset = 0): Expr<"f64"> {
    return expr("f64", [addr], (c) => c.byte(0x2b).u32(3).u32(offset));
  },
  /** Rounds an f64 to f32 (`f32.demote_f64`). */
  demote: scalar("f32", 0xb6) as (a: Expr<"f64">) => Expr<"f32">,
};

// ------------------------------------------------------------------- SIMD

/** Bitwise and whole-vector v128 instructions. */
export const V128 = {
  /** A constant from 16 bytes. */
  bytes(bytes: ArrayLike<number>): V {
    return expr("v128", [], (c) => simdOp(c, 0x0c).bytes(bytes));
  },
  /** `v128.load` at `addr + offset` (alignment hint 16). */
  load(addr: Expr<"i32">, offset = 0): V {
    return expr("v128", [addr], (c) => simdOp(c, 0x00).u32(4).u32(offset));
  },
  not: v(0x4d),
  and: v(0x4e),
  /** `a & ~b`. */
  andnot: v(0x4f),
  or: v(0x50),
  xor: v(0x51),
  /** Bits of `a` where `mask` is 1, of `b` where it is 0. */
  bitselect: v(0x52) as (a: V, b: V, mask: V) => V,
  /** 1 if any bit is set. */
  anyTrue(a: V): Expr<"i32"> {
    return simd("i32", 0x53, a);
  },
};

/** Byte shuffles. */
export const I8x16 = {
  /** `i8x16.shuffle` with 16 lane indices into the 32 bytes of `a, b`. */
  shuffle(a: V, b: V, lanes: readonly number[]): V {
    return expr("v128", [a, b], (c) => simdOp(c, 0x0d).bytes(lanes));
  },
};

/** i32x4 instructions. */
export const I32x4 = {
  splat(a: Expr<"i32">): V {
    return simd("v128", 0x11, a);
  },
  extractLane(a: V, lane: number): Expr<"i32"> {
    return expr("i32", [a], (c) => simdOp(c, 0x1b).byte(lane));
  },
  eq: v(0x37),
  add: v(0xae),
  shl(a: V, by: Expr<"i32">): V {
    return simd("v128", 0xab, a, by);
  },
};

/** i64x2 instructions. */
export const I64x2 = {
  shl(a: V, by: Expr<"i32">): V {
    return simd("v128", 0xcb, a, by);
  },
  add: v(0xce),
  sub: v(0xd1),
};

/** f32x4 instructions. */
export const F32x4 = {
  splat(a: Expr<"f32">): V {
    return simd("v128", 0x13, a);
  },
  eq: v(0x41),
  ne: v(0x42),
  lt: v(0x43),
  gt: v(0x44),
  le: v(0x45),
  ge: v(0x46),
  abs: v(0xe0),
  neg: v(0xe1),
  add: v(0xe4),
  sub: v(0xe5),
  mul: v(0xe6),
  div: v(0xe7),
  /** `b < a ? b : a`: one instruction (minps); a NaN in `a` survives. */
  pmin: v(0xea),
  /** `a < b ? b : a`: one instruction (maxps); a NaN in `a` survives. */
  pmax: v(0xeb),
  /** Rounds both f64 lanes to f32 into lanes 0–1; lanes 2–3 become 0. */
  demoteF64x2Zero: v(0x5e),
};

/** f64x2 instructions. */
export const F64x2 = {
  splat(a: Expr<"f64">): V {
    return simd("v128", 0x14, a);
  },
  extractLane(a: V, lane: number): Expr<"f64"> {
    return expr("f64", [a], (c) => simdOp(c, 0x21).byte(lane));
  },
  replaceLane(a: V, lane: number, value: Expr<"f64">): V {
    return expr("v128", [a, value], (c) => simdOp(c, 0x22).byte(lane));
  },
  eq: v(0x47),
  ne: v(0x48),
  lt: v(0x49),
  gt: v(0x4a),
  le: v(0x4b),
  ge: v(0x4c),
  abs: v(0xec),
  neg: v(0xed),
  sqrt: v(0xef),
  add: v(0xf0),
  sub: v(0xf1),
  mul: v(0xf2),
  div: v(0xf3),
  /** `b < a ? b : a`: one instruction (minpd); a NaN in `a` survives. */
  pmin: v(0xf6),
  /** `a < b ? b : a`: one instruction (maxpd); a NaN in `a` survives. */
  pmax: v(0xf7),
  /** Round to nearest, ties to even. */
  nearest: v(0x94),
  /** Lanes 0–1 of an f32x4, widened exactly. */
  promoteLowF32x4: v(0x5f),
  /** `a·b + c`, fused or not as the hardware prefers (relaxed SIMD). */
  relaxedMadd: v(0x107) as (a: V, b: V, c: V) => V,
};

/** Lanes 2–3 of an f32x4, widened exactly (lanes 0–1: `F64x2.promoteLowF32x4`). */
export function promoteHighF32x4(a: V): V {
  return F64x2.promoteLowF32x4(
    I8x16.shuffle(a, a, [8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7]),
  );
}

/** Two f64x2 rounded to float32 into one f32x4: `a`'s lanes first. */
export function demotePairF64x2(a: V, b: V): V {
  return I8x16.shuffle(
    F32x4.demoteF64x2Zero(a),
    F32x4.demoteF64x2Zero(b),
    [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23],
  );
}

/** i64x2 lane select of relaxed SIMD: `mask ? a : b` for all-ones/all-zeros lanes. */
export function relaxedLaneselect64(a: V, b: V, mask: V): V {
  return simd("v128", 0x10c, a, b, mask);
}

/** i32x4 lane select of relaxed SIMD: `mask ? a : b` for all-ones/all-zeros lanes. */
export function relaxedLaneselect32(a: V, b: V, mask: V): V {
  return simd("v128", 0x10b, a, b, mask);
}

// ------------------------------------------------------------- functions

/** Builds the body of one function. */
export class Fn {
  readonly code: Bytes = new Bytes();
  readonly #params: ValType[];
  readonly #locals: ValType[] = [];

  constructor(params: readonly ValType[]) {
    this.#params = [...params];
  }

  /** Parameter `i` as a local. */
  param<T extends ValType>(i: number, type: T): Local<T> {
    if (this.#params[i] !== type) {
      throw new TypeError(`Parameter ${i} is ${this.#params[i]}, not ${type}`);
    }
    return localRef(i, type);
  }

  /** A new local of `type`, zero-initialised. */
  local<T extends ValType>(type: T): Local<T> {
    this.#locals.push(type);
    return localRef(this.#params.length + this.#locals.length - 1, type);
  }

  /** A new local holding `e`. */
  let<T extends ValType>(e: Expr<T>): Local<T> {
    const l = this.local(e.type);
    this.set(l, e);
    return l;
  }

  /** `local.set`. */
  set<T extends ValType>(l: Local<T>, e: Expr<T>): void {
    e.emit(this.code);
    this.code.byte(0x21).u32(l.index);
  }

  /** `v128.store` at `addr + offset`. */
  storeV128(addr: Expr<"i32">, value: V, offset = 0): void {
    addr.emit(this.code);
    value.emit(this.code);
    simdOp(this.code, 0x0b).u32(4).u32(offset);
  }

  /** `i32.store` at `addr + offset`. */
  storeI32(addr: Expr<"i32">, value: Expr<"i32">, offset = 0): void {
    addr.emit(this.code);
    value.emit(this.code);
    this.code.byte(0x36).u32(2).u32(offset);
  }

  /** `f64.store` at `addr + offset`. */
  storeF64(addr: Expr<"i32">, value: Expr<"f64">, offset = 0): void {
    addr.emit(this.code);
    value.emit(this.code);
    this.code.byte(0x39).u32(3).u32(offset);
  }

  /** `memory.copy` of `bytes` bytes from `src` to `dst`. */
  copy(dst: Expr<"i32">, src: Expr<"i32">, bytes: Expr<"i32">): void {
    dst.emit(this.code);
    src.emit(this.code);
    bytes.emit(this.code);
    this.code.byte(0xfc).u32(10).byte(0).byte(0);
  }

  /** `loop` … `br_if` while `cond` holds after the body (a do-while). */
  doWhile(body: () => void, cond: () => Expr<"i32">): void {
    this.code.byte(0x03).byte(0x40);
    body();
    cond().emit(this.code);
    this.code.byte(0x0d).u32(0);
    this.code.byte(0x0b);
  }

  /** `if cond then … end`. */
  when(cond: Expr<"i32">, then: () => void): void {
    cond.emit(this.code);
    this.code.byte(0x04).byte(0x40);
    then();
    this.code.byte(0x0b);
  }

  /** `return value`. */
  ret(value?: Expr): void {
    value?.emit(this.code);
    this.code.byte(0x0f);
  }

  /** The body with its local declarations, as the code section wants it. */
  encode(): Bytes {
    const body = new Bytes();
    // One declaration per run of equal types.
    const runs: [number, ValType][] = [];
    for (const t of this.#locals) {
      const last = runs[runs.length - 1];
      if (last !== undefined && last[1] === t) last[0]++;
      else runs.push([1, t]);
    }
    body.u32(runs.length);
    for (const [count, t] of runs) body.u32(count).byte(TYPE_CODE[t]);
    body.bytes(this.code.toArray()).byte(0x0b);
    return body;
  }
}

function localRef<T extends ValType>(index: number, type: T): Local<T> {
  return {
    type,
    index,
    emit(code) {
      code.byte(0x20).u32(index);
    },
  };
}

/** `global.get` of global `index` (an imported i32 here). */
export function globalI32(index: number): Expr<"i32"> {
  return expr("i32", [], (c) => c.byte(0x23).u32(index));
}

/** The memory a module imports. */
export interface MemoryImport {
  /** Pages of 64 KiB at instantiation, at least. */
  readonly initial: number;
  /** For a shared memory (worker threads): the most pages it may grow to. */
  readonly sharedMaximum?: number;
  /**
   * Immutable i32 globals imported from `env` after the memory, by name;
   * global `i` is the i-th ({@linkcode globalI32}).
   */
  readonly globals?: readonly string[];
}

interface FunctionEntry {
  readonly name: string;
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
  readonly fn: Fn;
}

/** A module: one imported memory `env.memory`, exported functions. */
export class ModuleBuilder {
  readonly #functions: FunctionEntry[] = [];
  readonly #names = new Set<string>();
  readonly #memory: MemoryImport;

  constructor(memory: MemoryImport) {
    this.#memory = memory;
  }

  /** Adds an exported function built by `build`. */
  func(
    name: string,
    params: readonly ValType[],
    results: readonly ValType[],
    build: (f: Fn) => void,
  ): void {
    if (this.#names.has(name)) {
      throw new RangeError(`Duplicate function name: ${name}`);
    }
    this.#names.add(name);
    const fn = new Fn(params);
    build(fn);
    this.#functions.push({ name, params, results, fn });
  }

  /** The names of the functions, in order. */
  get names(): readonly string[] {
    return this.#functions.map((f) => f.name);
  }

  /** The binary module. */
  encode(): Uint8Array<ArrayBuffer> {
    const out = new Bytes().bytes([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
    const section = (id: number, content: Bytes) => out.byte(id).sized(content);

    // Types: one per distinct signature.
    const signatures: string[] = [];
    const typeIndex = this.#functions.map((f) => {
      const key = `${f.params.join(",")}->${f.results.join(",")}`;
      let i = signatures.indexOf(key);
      if (i < 0) i = signatures.push(key) - 1;
      return i;
    });
    const types = new Bytes().u32(signatures.length);
    for (const key of signatures) {
      const [ps, rs] = key.split("->").map((s) =>
        s === "" ? [] : s.split(",") as ValType[]
      );
      types.byte(0x60).u32(ps!.length);
      for (const p of ps!) types.byte(TYPE_CODE[p]);
      types.u32(rs!.length);
      for (const r of rs!) types.byte(TYPE_CODE[r]);
    }
    section(1, types);

    const m = this.#memory;
    const globals = m.globals ?? [];
    const imports = new Bytes().u32(1 + globals.length).name("env").name(
      "memory",
    ).byte(0x02);
    if (m.sharedMaximum === undefined) imports.byte(0x00).u32(m.initial);
    else imports.byte(0x03).u32(m.initial).u32(m.sharedMaximum);
    for (const g of globals) {
      imports.name("env").name(g).byte(0x03).byte(TYPE_CODE.i32).byte(0x00);
    }
    section(2, imports);

    const funcs = new Bytes().u32(this.#functions.length);
    for (const t of typeIndex) funcs.u32(t);
    section(3, funcs);

    const exports = new Bytes().u32(this.#functions.length);
    this.#functions.forEach((f, i) => exports.name(f.name).byte(0x00).u32(i));
    section(7, exports);

    const code = new Bytes().u32(this.#functions.length);
    for (const f of this.#functions) code.sized(f.fn.encode());
    section(10, code);
    return out.toArray();
  }
}

// The engine behind @nonlin/native/webgpu: resident tensors in GPU buffers,
// validation and parameter resolution, pipelines compiled once per family
// and loop (parameters travel as uniforms), dispatches chunked under
// maxStorageBufferBindingSize, and the VJP's parameter sums reduced on the
// GPU. Nothing is read back unless a tensor is read.

import {
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
  describe,
  getOp,
  isTensor,
  nextFloat32,
  type OpName,
  type OpSpec,
  outOption,
  refuseResidentOut,
  resolveParams,
  type Tensor,
  toFloat32,
  vjpOptions,
  withoutOut,
} from "@nonlin/core";
import { jsKernels } from "../_js_kernels.ts";
import type { KernelArgs } from "../_kernels.ts";
import { broadcastIndex } from "../_broadcast.ts";
import { type Gpu, NAME } from "./_device.ts";
import {
  f32PathOf,
  gatherShader,
  type Loop,
  preluShader,
  reduceShader,
  slowWords,
  SUM_SPAN,
  unaryShader,
  vjpShader,
  WORKGROUP,
} from "./_shaders.ts";
import { families } from "./_wgsl_ops.ts";
import type { KernelName } from "../_definitions.ts";

const STORAGE = 0x80; // GPUBufferUsage.STORAGE
const COPY_SRC = 0x04;
const COPY_DST = 0x08;
const MAP_READ = 0x01;
const UNIFORM = 0x40;
const INDIRECT = 0x100;
const TENSOR_USAGE = STORAGE | COPY_SRC | COPY_DST;

/** Bytes of pooled (disposed, reusable) buffers kept at most. */
const POOL_BYTES = 1 << 30;
/** Uniform blocks kept, by content. */
const UNIFORM_CACHE = 256;
const UNIFORM_SIZE = 128;

/** A float32 tensor resident in a GPU buffer of native-webgpu. */
export class WebGpuTensor implements Tensor {
  readonly backend: string = NAME;
  readonly shape: readonly number[];
  readonly size: number;
  #buffer: GPUBuffer | undefined;
  readonly #engine: GpuEngine;

  /** Internal: made by the engine around a buffer it owns. */
  constructor(engine: GpuEngine, buffer: GPUBuffer, shape: readonly number[]) {
    this.#engine = engine;
    this.#buffer = buffer;
    this.shape = Object.freeze([...shape]);
    this.size = shape.reduce((a, b) => a * b, 1);
  }

  /** Whether {@linkcode WebGpuTensor.dispose} has been called. */
  get disposed(): boolean {
    return this.#buffer === undefined;
  }

  /** Internal: the buffer, or a TypeError naming the tensor. */
  buffer(name: string): GPUBuffer {
    if (this.#buffer === undefined) {
      throw new TypeError(
        `Cannot use a disposed tensor: ${name} of shape [${
          this.shape.join(", ")
        }]`,
      );
    }
    return this.#buffer;
  }

  /**
   * Copies the data back into a new Float32Array.
   *
   * @throws {TypeError} (as a rejection) once the tensor is disposed.
   * @throws {BackendUnavailableError} (as a rejection) when the device is
   * lost before the copy completes.
   */
  read(): Promise<Float32Array> {
    try {
      return this.#engine.read(this.buffer("tensor"), this.size);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Internal: reads into `target` (of this tensor's size). */
  readInto(target: Float32Array): Promise<Float32Array> {
    return this.#engine.read(this.buffer("tensor"), this.size, target);
  }

  /** Returns the buffer to the engine's pool. Idempotent. */
  dispose(): void {
    if (this.#buffer === undefined) return;
    this.#engine.release(this.#buffer);
    this.#buffer = undefined;
  }
}

/** What a family-based call runs: the family, its parameters, the sum's scale. */
interface Plan {
  readonly family: KernelName;
  readonly params: readonly number[];
  readonly sumScale: number;
}

/** prelu with α held in a buffer (not one known scalar). */
interface Gather {
  readonly alpha: GPUBuffer;
  readonly alphaShape: readonly number[];
  readonly xShape: readonly number[];
  readonly mode: "one" | "each" | "indexed";
  readonly index: Int32Array | null;
  /** A buffer made for this call (host α), destroyed after it. */
  readonly temporary: boolean;
}

type Prepared =
  | { readonly kind: "plan"; readonly plan: Plan; readonly args: KernelArgs }
  | { readonly kind: "gather"; readonly gather: Gather };

/** Float64 → float32 bits of the JavaScript kernels' results at the specials. */
const SPECIALS = new Float32Array([Infinity, -Infinity, NaN, 0, -0]);

/** The engine of one device. */
export class GpuEngine {
  readonly gpu: Gpu;
  readonly #pipelines = new Map<string, GPUComputePipeline>();
  readonly #pool = new Map<number, GPUBuffer[]>();
  #pooled = 0;
  readonly #uniforms = new Map<string, GPUBuffer>();
  readonly #limits = new Map<string, Uint32Array>();
  readonly #orders = new Map<string, GPUBuffer>();
  readonly #chunk: number;

  /**
   * @param gpu The device.
   * @param chunkElements Elements per binding (a multiple of 64, for
   * 256-byte offsets); default the most maxStorageBufferBindingSize allows.
   * Tests pass a small one to exercise the chunking.
   */
  constructor(gpu: Gpu, chunkElements?: number) {
    this.gpu = gpu;
    this.#chunk = chunkElements ?? Math.floor(
          gpu.device.limits.maxStorageBufferBindingSize / 4 / 64,
        ) * 64;
  }

  /** Pipelines compiled so far (each once per family and loop). */
  get pipelineCount(): number {
    return this.#pipelines.size;
  }

  /** Throws the device's loss as a BackendUnavailableError. */
  checkAlive(): void {
    const reason = this.gpu.lost();
    if (reason !== undefined) throw new BackendUnavailableError(NAME, reason);
  }

  // ------------------------------------------------------------- buffers

  #bytes(elements: number): number {
    const bytes = elements * 4;
    if (bytes > this.gpu.device.limits.maxBufferSize) {
      throw new RangeError(
        `A tensor of ${elements} elements needs ${bytes} bytes, over this device's maxBufferSize of ${this.gpu.device.limits.maxBufferSize} bytes`,
      );
    }
    return Math.max(16, Math.ceil(bytes / 16) * 16);
  }

  /** A tensor buffer of at least `elements` float32, from the pool or new. */
  acquire(elements: number): GPUBuffer {
    const size = this.#bytes(elements);
    const list = this.#pool.get(size);
    const reused = list?.pop();
    if (reused !== undefined) {
      this.#pooled -= size;
      return reused;
    }
    return this.gpu.createBuffer({ size, usage: TENSOR_USAGE });
  }

  /** Takes a tensor buffer back: pooled while the pool has room. */
  release(buffer: GPUBuffer): void {
    if (this.gpu.lost() !== undefined) return;
    if (this.#pooled + buffer.size > POOL_BYTES) {
      this.gpu.destroyBuffer(buffer);
      return;
    }
    let list = this.#pool.get(buffer.size);
    if (list === undefined) this.#pool.set(buffer.size, list = []);
    list.push(buffer);
    this.#pooled += buffer.size;
  }

  /** Destroys every pooled buffer and cached uniform block. */
  trim(): void {
    for (const list of this.#pool.values()) {
      for (const b of list) this.gpu.destroyBuffer(b);
    }
    this.#pool.clear();
    this.#pooled = 0;
    for (const b of this.#uniforms.values()) this.gpu.destroyBuffer(b);
    this.#uniforms.clear();
  }

  /** Uploads host data as a new tensor. */
  upload(data: Float32Array, shape: readonly number[]): WebGpuTensor {
    const buffer = this.acquire(data.length);
    if (data.length > 0) {
      this.gpu.device.queue.writeBuffer(buffer, 0, source(data));
    }
    return new WebGpuTensor(this, buffer, shape);
  }

  /** Copies `elements` float32 of a buffer back to the host. */
  async read(
    buffer: GPUBuffer,
    elements: number,
    target?: Float32Array,
  ): Promise<Float32Array> {
    this.checkAlive();
    if (elements === 0) return target ?? new Float32Array(0);
    const bytes = elements * 4;
    const staging = this.gpu.createBuffer({
      size: Math.ceil(bytes / 4) * 4,
      usage: MAP_READ | COPY_DST,
    });
    try {
      const encoder = this.gpu.device.createCommandEncoder();
      encoder.copyBufferToBuffer(buffer, 0, staging, 0, bytes);
      this.gpu.device.queue.submit([encoder.finish()]);
      await Promise.race([staging.mapAsync(MAP_READ), this.gpu.whenLost]);
      const mapped = new Float32Array(staging.getMappedRange(0, bytes));
      const out = target ?? new Float32Array(elements);
      out.set(mapped);
      staging.unmap();
      return out;
    } finally {
      this.gpu.destroyBuffer(staging);
    }
  }

  // ----------------------------------------------------------- pipelines

  #pipeline(key: string, code: () => string): GPUComputePipeline {
    let p = this.#pipelines.get(key);
    if (p === undefined) {
      const module = this.gpu.device.createShaderModule({ code: code() });
      p = this.gpu.device.createComputePipeline({
        layout: "auto",
        compute: { module, entryPoint: "main" },
      });
      this.#pipelines.set(key, p);
    }
    return p;
  }

  /** A uniform block with this content, cached (no write when seen before). */
  #uniform(words: Uint32Array): GPUBuffer {
    const key = words.join(",");
    let b = this.#uniforms.get(key);
    if (b !== undefined) {
      // Most recently used last.
      this.#uniforms.delete(key);
      this.#uniforms.set(key, b);
      return b;
    }
    if (this.#uniforms.size >= UNIFORM_CACHE) {
      const [oldKey, old] = this.#uniforms.entries().next().value!;
      this.#uniforms.delete(oldKey);
      this.gpu.destroyBuffer(old);
    }
    b = this.gpu.createBuffer({
      size: UNIFORM_SIZE,
      usage: UNIFORM | COPY_DST,
    });
    this.gpu.device.queue.writeBuffer(b, 0, source(words));
    this.#uniforms.set(key, b);
    return b;
  }

  #words(
    n: number,
    nx: number,
    pbase: number,
    count: number,
    params: readonly number[],
    limits: Uint32Array | undefined,
    scale: number,
  ): Uint32Array {
    const words = new Uint32Array(UNIFORM_SIZE / 4);
    const f = new Float32Array(words.buffer);
    words[0] = n;
    words[1] = nx;
    words[2] = pbase;
    words[3] = count;
    params.forEach((v, i) => {
      const hi = Math.fround(v);
      f[4 + 2 * i] = hi;
      f[5 + 2 * i] = Math.fround(v - hi);
    });
    if (limits !== undefined) words.set(limits, 12);
    const hi = Math.fround(scale);
    f[28] = hi;
    f[29] = Math.fround(scale - hi);
    return words;
  }

  // ----------------------------------------------------------- preparing

  /** The JavaScript kernels' results at ±∞, NaN, ±0 (and the VJP's terms). */
  #specialLimits(
    op: OpName,
    loop: Loop | "vjp",
    args: KernelArgs,
    sumScale = 1,
  ): Uint32Array {
    const key = `${op}|${loop}|${JSON.stringify(args.params)}|${
      args.alpha?.values[0] ?? ""
    }`;
    let lim = this.#limits.get(key);
    if (lim !== undefined) return lim;
    lim = new Uint32Array(16);
    const f = new Float32Array(lim.buffer);
    const kernel = jsKernels.ops[op];
    const spec = getOp(op);
    for (let c = 0; c < SPECIALS.length; c++) {
      const x = SPECIALS.subarray(c, c + 1);
      const out = new Float32Array(1);
      if (loop === "vjp") {
        const sums: Record<string, Float64Array> = {};
        for (const [name, p] of Object.entries(spec.params)) {
          if (p.learned) sums[name] = new Float64Array(1);
        }
        kernel.vjp(x, new Float32Array([1]), out, sums, args);
        f[c] = out[0]!;
        const g = Object.values(sums)[0];
        // The shader's terms are scaled by 1/sumScale (the sum is scaled back once).
        f[8 + c] = g === undefined ? 0 : g[0]! / sumScale;
      } else {
        kernel[loop](x, out, args);
        f[c] = out[0]!;
      }
    }
    if (this.#limits.size > 256) this.#limits.clear();
    this.#limits.set(key, lim);
    return lim;
  }

  /** Validates the op and options, and chooses what runs. */
  prepare(
    op: unknown,
    options: unknown,
    xShape: readonly number[],
    loop: Loop | "vjp",
  ): { spec: OpSpec; prepared: Prepared } {
    const spec = getOp(op);
    const name = spec.name as OpName;
    const resolved = resolveParams(name, options);
    const params: Record<string, number | string> = {};
    for (const [pname, p] of Object.entries(spec.params)) {
      if (p.kind !== "tensor") params[pname] = resolved[pname] as number;
    }
    const num = (n: string) => params[n] as number;
    const fixed = (family: KernelName, values: readonly number[] = []) => ({
      kind: "plan" as const,
      plan: { family, params: values, sumScale: 1 },
      args: { params } as KernelArgs,
    });
    switch (name) {
      case "prelu": {
        const gather = this.#preluAlpha(resolved.alpha, xShape);
        if ("scalar" in gather) {
          const a = gather.scalar;
          const args: KernelArgs = {
            params,
            alpha: { values: new Float64Array([a]), index: null },
          };
          if (a === 0 && loop === "forward") {
            return { spec, prepared: { ...fixed("relu"), args } };
          }
          return {
            spec,
            prepared: {
              kind: "plan",
              plan: { family: "leakyRelu", params: [a], sumScale: 1 },
              args,
            },
          };
        }
        return { spec, prepared: { kind: "gather", gather } };
      }
      case "leakyRelu": {
        const a = num("alpha");
        if (a === 0 && loop === "forward") {
          return { spec, prepared: fixed("relu") };
        }
        return { spec, prepared: fixed("leakyRelu", [a]) };
      }
      case "hardTanh": {
        const min = num("min");
        const max = num("max");
        const lo = Math.fround(min);
        const hi = Math.fround(max);
        return {
          spec,
          prepared: fixed("hardTanh", [
            lo,
            hi,
            lo > min ? lo : nextFloat32(lo, true),
            hi <= max ? hi : nextFloat32(hi, false),
            lo >= min ? lo : nextFloat32(lo, true),
          ]),
        };
      }
      case "softplus": {
        const b = num("beta");
        return {
          spec,
          prepared: {
            kind: "plan",
            plan: {
              family: "softplus",
              params: [b, num("threshold")],
              sumScale: 1 / (b * b),
            },
            args: { params },
          },
        };
      }
      case "gelu":
        return {
          spec,
          prepared: fixed(params.approximate === "tanh" ? "geluTanh" : "gelu"),
        };
      case "silu":
        return { spec, prepared: fixed("silu", [1]) };
      default: {
        const family = families[name];
        return {
          spec,
          prepared: fixed(name, family.params.map((n) => num(n))),
        };
      }
    }
  }

  #preluAlpha(
    value: unknown,
    xShape: readonly number[],
  ): { scalar: number } | Gather {
    if (typeof value === "number") return { scalar: value };
    if (value instanceof Float32Array) {
      checkBroadcast([value.length], xShape, "prelu alpha");
      if (value.length === 1) return { scalar: value[0]! };
      const buffer = this.acquire(value.length);
      this.gpu.device.queue.writeBuffer(buffer, 0, source(value));
      return this.#gather(buffer, [value.length], xShape, true);
    }
    const t = this.tensorOf(value, "prelu alpha");
    checkBroadcast(t.shape, xShape, "prelu alpha");
    return this.#gather(t.buffer("prelu alpha"), t.shape, xShape, false);
  }

  #gather(
    alpha: GPUBuffer,
    alphaShape: readonly number[],
    xShape: readonly number[],
    temporary: boolean,
  ): Gather {
    const m = alphaShape.reduce((a, b) => a * b, 1);
    const n = xShape.reduce((a, b) => a * b, 1);
    const mode = m === 1 ? "one" : m === n ? "each" : "indexed";
    const index = mode === "indexed"
      ? broadcastIndex(alphaShape, xShape)
      : null;
    return { alpha, alphaShape, xShape, mode, index, temporary };
  }

  /** A live tensor of this backend, or a TypeError. */
  tensorOf(value: unknown, name: string): WebGpuTensor {
    if (!(value instanceof WebGpuTensor)) {
      throw new TypeError(
        isTensor(value)
          ? `Cannot use a tensor of another backend: ${name} belongs to "${value.backend}", not "${NAME}" (read it and upload it with tensor())`
          : `Expected a ${NAME} tensor: ${name} is ${describe(value)}`,
      );
    }
    value.buffer(name);
    return value;
  }

  // ------------------------------------------------------------ running

  /** Chunks of at most one binding's elements: [start, count]. */
  #chunks(n: number): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    for (let s = 0; s < n; s += this.#chunk) {
      out.push([s, Math.min(this.#chunk, n - s)]);
    }
    return out;
  }

  /**
   * The `slow` buffer of a plain-f32 loop's dispatches over `chunks`
   * (_shaders.ts), cleared.
   */
  #slowBuffer(
    encoder: GPUCommandEncoder,
    chunks: ReadonlyArray<[number, number]>,
    span = 1,
  ): GPUBuffer {
    const groups = chunks.reduce((s, [, c]) => {
      const { nx, ny } = this.#grid(Math.ceil(c / span));
      return s + nx * ny;
    }, 0);
    const size = Math.max(16, slowWords(chunks.length, groups) * 4);
    const b = this.gpu.createBuffer({
      size,
      usage: STORAGE | INDIRECT | COPY_DST,
    });
    encoder.clearBuffer(b, 0, size);
    return b;
  }

  /**
   * One chunk of a loop: its double-f32 kernel alone, or for a loop with a
   * plain-f32 path (`slow` given) its two dispatches, the f32 one over the
   * chunk, then the double-f32 fallback over the workgroups it listed
   * (indirect: none when none did), the chunk's list at word `slow.base` of
   * `slow.buffer`, bound at `slow.binding`. Returns the words of the slow
   * buffer the chunk used (0 without).
   */
  #dispatchLoop(
    pass: GPUComputePassEncoder,
    pipelines: readonly GPUComputePipeline[],
    entries: GPUBindGroupEntry[],
    nx: number,
    ny: number,
    slow?: { buffer: GPUBuffer; binding: number; base: number },
  ): number {
    if (slow === undefined) {
      this.#dispatch(pass, pipelines[0]!, entries, ny, nx);
      return 0;
    }
    entries.push({ binding: slow.binding, resource: { buffer: slow.buffer } });
    this.#dispatch(pass, pipelines[0]!, entries, ny, nx);
    const fallback = pipelines[1]!;
    pass.setPipeline(fallback);
    pass.setBindGroup(
      0,
      this.gpu.device.createBindGroup({
        layout: fallback.getBindGroupLayout(0),
        entries,
      }),
    );
    pass.dispatchWorkgroupsIndirect(slow.buffer, slow.base * 4);
    return slowWords(1, nx * ny);
  }

  #grid(elements: number): { nx: number; ny: number; groups: number } {
    const groups = Math.max(1, Math.ceil(elements / WORKGROUP));
    const nx = Math.min(groups, 65535);
    return { nx, ny: Math.ceil(groups / nx), groups };
  }

  #dispatch(
    pass: GPUComputePassEncoder,
    pipeline: GPUComputePipeline,
    entries: GPUBindGroupEntry[],
    ny: number,
    nx: number,
  ): void {
    pass.setPipeline(pipeline);
    pass.setBindGroup(
      0,
      this.gpu.device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries,
      }),
    );
    pass.dispatchWorkgroups(nx, ny);
  }

  /** One elementwise loop over a resident tensor: a new resident tensor. */
  elementwise(
    loop: Loop,
    op: unknown,
    x: WebGpuTensor,
    options: unknown,
  ): WebGpuTensor {
    this.checkAlive();
    const xb = x.buffer("x");
    const { spec, prepared } = this.prepare(op, options, x.shape, loop);
    const n = x.size;
    const out = this.acquire(n);
    if (n === 0) return new WebGpuTensor(this, out, x.shape);
    const device = this.gpu.device;
    const encoder = device.createCommandEncoder();
    let slow: GPUBuffer | undefined;
    if (prepared.kind === "plan") {
      const { plan, args } = prepared;
      const lim = families[plan.family]!.kind === "df"
        ? this.#specialLimits(spec.name as OpName, loop, args)
        : undefined;
      const chunks = this.#chunks(n);
      const f32 = f32PathOf(plan.family, loop) !== undefined;
      if (f32) slow = this.#slowBuffer(encoder, chunks);
      const parts = f32 ? ["fast", "fallback"] as const : [undefined];
      const pipelines = parts.map((part) =>
        this.#pipeline(
          `unary:${plan.family}:${loop}:${part ?? "df"}`,
          () => unaryShader(plan.family, loop, this.gpu.fmaFused, part),
        )
      );
      const pass = encoder.beginComputePass();
      let sbase = 0;
      for (const [start, count] of chunks) {
        const { nx, ny } = this.#grid(count);
        const u = this.#uniform(
          this.#words(count, nx, 0, sbase, plan.params, lim, 1),
        );
        const entries: GPUBindGroupEntry[] = [
          { binding: 0, resource: { buffer: u } },
          {
            binding: 1,
            resource: { buffer: xb, offset: start * 4, size: count * 4 },
          },
          {
            binding: 2,
            resource: { buffer: out, offset: start * 4, size: count * 4 },
          },
        ];
        sbase += this.#dispatchLoop(
          pass,
          pipelines,
          entries,
          nx,
          ny,
          slow && { buffer: slow, binding: 3, base: sbase },
        );
      }
      pass.end();
    } else {
      const pass = encoder.beginComputePass();
      this.#preluPass(pass, loop, prepared.gather, n, xb, out);
      pass.end();
    }
    device.queue.submit([encoder.finish()]);
    if (slow !== undefined) this.gpu.destroyBuffer(slow);
    if (prepared.kind === "gather" && prepared.gather.temporary) {
      this.release(prepared.gather.alpha);
    }
    return new WebGpuTensor(this, out, x.shape);
  }

  #preluPass(
    pass: GPUComputePassEncoder,
    loop: Loop,
    g: Gather,
    n: number,
    xb: GPUBuffer,
    out: GPUBuffer,
  ): void {
    this.#checkWhole(n, 4, "prelu with a tensor α");
    const mode = g.mode;
    const pipeline = this.#pipeline(
      `prelu:${loop}:${mode}`,
      () => preluShader(loop, mode, this.gpu.fmaFused),
    );
    const { nx, ny } = this.#grid(n);
    const u = this.#uniform(this.#words(n, nx, 0, 0, [], undefined, 1));
    const entries: GPUBindGroupEntry[] = [
      { binding: 0, resource: { buffer: u } },
      { binding: 1, resource: { buffer: xb, offset: 0, size: n * 4 } },
      { binding: 2, resource: { buffer: out, offset: 0, size: n * 4 } },
      { binding: 3, resource: { buffer: g.alpha } },
    ];
    if (mode === "indexed") {
      entries.push({ binding: 4, resource: { buffer: this.#index(g) } });
    }
    this.#dispatch(pass, pipeline, entries, ny, nx);
  }

  /** A RangeError when one binding cannot hold n items of `bytes` bytes. */
  #checkWhole(n: number, bytes: number, what: string): void {
    const limit = this.gpu.device.limits.maxStorageBufferBindingSize;
    if (n * bytes > limit) {
      throw new RangeError(
        `${what} over ${n} elements needs ${
          n * bytes
        } bytes in one binding, over this device's maxStorageBufferBindingSize of ${limit} bytes`,
      );
    }
  }

  /** The α index map of a gather, uploaded once per shape pair. */
  #index(g: Gather): GPUBuffer {
    return this.#cachedIndexBuffer(g, "index", () => g.index!);
  }

  /** Element order grouped by α slot (ascending within a slot). */
  #order(g: Gather): GPUBuffer {
    return this.#cachedIndexBuffer(g, "order", () => {
      const index = g.index!;
      const m = g.alphaShape.reduce((a, b) => a * b, 1);
      const per = index.length / m;
      const fill = new Int32Array(m);
      const order = new Int32Array(index.length);
      for (let i = 0; i < index.length; i++) {
        const j = index[i]!;
        order[j * per + fill[j]!++] = i;
      }
      return order;
    });
  }

  #cachedIndexBuffer(
    g: Gather,
    kind: string,
    make: () => Int32Array,
  ): GPUBuffer {
    const key = `${kind}|${g.alphaShape.join(",")}|${g.xShape.join(",")}`;
    let b = this.#orders.get(key);
    if (b === undefined) {
      const data = make();
      b = this.gpu.createBuffer({
        size: Math.max(16, data.byteLength),
        usage: STORAGE | COPY_DST,
      });
      this.gpu.device.queue.writeBuffer(b, 0, source(data));
      if (this.#orders.size >= 16) {
        const [k, old] = this.#orders.entries().next().value!;
        this.#orders.delete(k);
        this.gpu.destroyBuffer(old);
      }
      this.#orders.set(key, b);
    }
    return b;
  }

  /** The fused VJP over resident tensors. */
  vjp(
    op: unknown,
    x: WebGpuTensor,
    dy: WebGpuTensor,
    params: unknown,
  ): { dx: WebGpuTensor; dparams: Record<string, WebGpuTensor> } {
    this.checkAlive();
    const xb = x.buffer("x");
    const dyb = dy.buffer("dy");
    checkSameShape(x.shape, dy.shape, "x and dy");
    const { spec, prepared } = this.prepare(op, params, x.shape, "vjp");
    const learned = Object.entries(spec.params).filter(([, p]) => p.learned)
      .map(([name]) => name);
    const n = x.size;
    const device = this.gpu.device;
    const dx = this.acquire(n);
    const dparams: Record<string, WebGpuTensor> = {};
    const encoder = device.createCommandEncoder();
    const temporaries: GPUBuffer[] = [];
    if (prepared.kind === "plan") {
      const { plan, args } = prepared;
      const family = families[plan.family]!;
      const f32 = f32PathOf(plan.family, "vjp") !== undefined;
      const parts = f32 ? ["fast", "fallback"] as const : [undefined];
      const pipelines = parts.map((part) =>
        this.#pipeline(
          `vjp:${plan.family}:${part ?? "df"}`,
          () => vjpShader(plan.family, this.gpu.fmaFused, part),
        )
      );
      const lim = family.kind === "df"
        ? this.#specialLimits(spec.name as OpName, "vjp", args, plan.sumScale)
        : undefined;
      const grads = family.grads.length > 0;
      // With a parameter sum, a workgroup covers SUM_SPAN·WORKGROUP elements.
      const span = grads ? SUM_SPAN : 1;
      const chunks = this.#chunks(n);
      const slow = f32 ? this.#slowBuffer(encoder, chunks, span) : undefined;
      if (slow !== undefined) temporaries.push(slow);
      let sbase = 0;
      const totalGroups = chunks.reduce((s, [, c]) => {
        const { nx, ny } = this.#grid(Math.ceil(c / span));
        return s + nx * ny;
      }, 0);
      const partials = grads
        ? this.gpu.createBuffer({
          size: Math.max(16, totalGroups * 16),
          usage: STORAGE,
        })
        : undefined;
      if (partials !== undefined) temporaries.push(partials);
      const pass = encoder.beginComputePass();
      let pbase = 0;
      for (const [start, count] of chunks) {
        const { nx, ny } = this.#grid(Math.ceil(count / span));
        const u = this.#uniform(
          this.#words(count, nx, pbase, sbase, plan.params, lim, 1),
        );
        const entries: GPUBindGroupEntry[] = [
          { binding: 0, resource: { buffer: u } },
          {
            binding: 1,
            resource: { buffer: xb, offset: start * 4, size: count * 4 },
          },
          {
            binding: 2,
            resource: { buffer: dyb, offset: start * 4, size: count * 4 },
          },
          {
            binding: 3,
            resource: { buffer: dx, offset: start * 4, size: count * 4 },
          },
        ];
        if (partials !== undefined) {
          entries.push({ binding: 4, resource: { buffer: partials } });
        }
        sbase += this.#dispatchLoop(
          pass,
          pipelines,
          entries,
          nx,
          ny,
          slow && { buffer: slow, binding: 5, base: sbase },
        );
        pbase += nx * ny;
      }
      if (partials !== undefined) {
        const out = this.acquire(1);
        this.#reduce(pass, partials, pbase, 1, out, plan.sumScale);
        dparams[learned[0]!] = new WebGpuTensor(this, out, []);
      } else if (learned.length > 0 && n === 0) {
        // No element: the sum is 0 (written below).
      }
      pass.end();
      // Learned parameters without a family term (α = 0 runs relu): zeros.
      for (const name of learned) {
        if (dparams[name] === undefined) {
          const out = this.acquire(1);
          encoder.clearBuffer(out, 0, 16);
          dparams[name] = new WebGpuTensor(this, out, []);
        }
      }
    } else {
      const g = prepared.gather;
      const m = g.alphaShape.reduce((a, b) => a * b, 1);
      const out = this.acquire(m);
      if (n === 0) {
        encoder.clearBuffer(out, 0, out.size);
      } else {
        this.#checkWhole(n, 16, "prelu's dα");
        const mode = g.mode;
        const terms = this.gpu.createBuffer({
          size: Math.max(16, n * 16),
          usage: STORAGE,
        });
        temporaries.push(terms);
        const pass = encoder.beginComputePass();
        const pipeline = this.#pipeline(
          `prelu:vjp:${mode}`,
          () => preluShader("vjp", mode, this.gpu.fmaFused),
        );
        const { nx, ny } = this.#grid(n);
        const u = this.#uniform(this.#words(n, nx, 0, 0, [], undefined, 1));
        const entries: GPUBindGroupEntry[] = [
          { binding: 0, resource: { buffer: u } },
          { binding: 1, resource: { buffer: xb, offset: 0, size: n * 4 } },
          { binding: 2, resource: { buffer: dyb, offset: 0, size: n * 4 } },
          { binding: 3, resource: { buffer: dx, offset: 0, size: n * 4 } },
          { binding: 4, resource: { buffer: g.alpha } },
          { binding: 6, resource: { buffer: terms } },
        ];
        if (mode === "indexed") {
          entries.push({ binding: 5, resource: { buffer: this.#index(g) } });
        }
        this.#dispatch(pass, pipeline, entries, ny, nx);
        let sorted = terms;
        if (mode === "indexed") {
          sorted = this.gpu.createBuffer({
            size: Math.max(16, n * 16),
            usage: STORAGE,
          });
          temporaries.push(sorted);
          const gp = this.#pipeline(
            "prelu:gather",
            () => gatherShader(this.gpu.fmaFused),
          );
          this.#dispatch(
            pass,
            gp,
            [
              { binding: 0, resource: { buffer: u } },
              { binding: 1, resource: { buffer: terms } },
              { binding: 2, resource: { buffer: this.#order(g) } },
              { binding: 3, resource: { buffer: sorted } },
            ],
            ny,
            nx,
          );
        }
        this.#reduce(pass, sorted, n / m, m, out, 1);
        pass.end();
      }
      dparams[learned[0]!] = new WebGpuTensor(this, out, g.alphaShape);
      if (g.temporary) temporaries.push(g.alpha);
    }
    device.queue.submit([encoder.finish()]);
    for (const t of temporaries) {
      if (t === (prepared.kind === "gather" ? prepared.gather.alpha : null)) {
        this.release(t);
      } else this.gpu.destroyBuffer(t);
    }
    return { dx: new WebGpuTensor(this, dx, x.shape), dparams };
  }

  /** Sums `slots` runs of `count` partials each into `out[0 … slots)`. */
  #reduce(
    pass: GPUComputePassEncoder,
    partials: GPUBuffer,
    count: number,
    slots: number,
    out: GPUBuffer,
    scale: number,
  ): void {
    const pipeline = this.#pipeline(
      "reduce",
      () => reduceShader(this.gpu.fmaFused),
    );
    const nx = Math.min(slots, 65535);
    const ny = Math.ceil(slots / nx);
    const u = this.#uniform(
      this.#words(slots, nx, 0, count, [], undefined, scale),
    );
    this.#dispatch(
      pass,
      pipeline,
      [
        { binding: 0, resource: { buffer: u } },
        { binding: 1, resource: { buffer: partials } },
        { binding: 2, resource: { buffer: out } },
      ],
      ny,
      nx,
    );
  }

  // ---------------------------------------------------- the public forms

  /** The exported op, derivative and second derivative. */
  call(loop: Loop, op: unknown, x: unknown, options: unknown): unknown {
    const given = outOption(options);
    if (isTensor(x)) {
      refuseResidentOut(given, String(op));
      return this.elementwise(loop, op, this.tensorOf(x, "x"), options);
    }
    return this.#host(async () => {
      getOp(op);
      const data = toFloat32(x, "x");
      let target: Float32Array | undefined;
      if (given !== undefined) {
        target = checkOut(given, data.length, "out");
        checkAliasing(target, data, "out and x", true);
        options = withoutOut(options);
      }
      const xt = this.upload(data, [data.length]);
      let y: WebGpuTensor | undefined;
      try {
        y = this.elementwise(loop, op, xt, options);
        return await (target === undefined ? y.read() : y.readInto(target));
      } finally {
        xt.dispose();
        y?.dispose();
      }
    });
  }

  /** The exported vjp. */
  vjpCall(op: unknown, x: unknown, options: unknown): unknown {
    if (isTensor(x)) {
      const o = vjpOptions(options);
      refuseResidentOut(o.out, "vjp");
      this.checkAlive();
      getOp(op);
      const xt = this.tensorOf(x, "x");
      checkDyForm(o.dy, { backend: NAME, resident: true });
      return this.vjp(op, xt, this.tensorOf(o.dy, "dy"), o.params);
    }
    return this.#host(async () => {
      getOp(op);
      const o = vjpOptions(options);
      const xs = toFloat32(x, "x");
      checkDyForm(o.dy, { backend: NAME, resident: false });
      const dys = toFloat32(o.dy, "dy");
      checkSameShape([xs.length], [dys.length], "x and dy");
      const given = checkVjpOut(String(op), o.out);
      const dxOut = checkDxOut(given.dx, { x: xs, dy: dys });
      const xt = this.upload(xs, [xs.length]);
      const dyt = this.upload(dys, [dys.length]);
      let r: ReturnType<GpuEngine["vjp"]> | undefined;
      try {
        r = this.vjp(op, xt, dyt, o.params);
        // Every out array is checked before anything is read.
        const sizes = Object.fromEntries(
          Object.entries(r.dparams).map(([name, t]) => [name, t.size]),
        );
        const targets = checkDparamsOut(given.dparams, sizes, {
          x: xs,
          dy: dys,
          dx: dxOut,
        });
        const dparams: Record<string, Float32Array> = {};
        const dx =
          await (dxOut === undefined ? r.dx.read() : r.dx.readInto(dxOut));
        for (const [name, t] of Object.entries(r.dparams)) {
          const target = targets[name];
          dparams[name] =
            await (target === undefined ? t.read() : t.readInto(target));
        }
        return { dx, dparams };
      } finally {
        xt.dispose();
        dyt.dispose();
        if (r !== undefined) {
          r.dx.dispose();
          for (const t of Object.values(r.dparams)) t.dispose();
        }
      }
    });
  }

  /** The exported tensor. */
  tensor(data: unknown, shape?: readonly number[]): WebGpuTensor {
    this.checkAlive();
    const f32 = toFloat32(data, "Tensor data");
    const checked = checkShape(shape ?? [f32.length], f32.length);
    return this.upload(f32, checked);
  }

  #host<T>(run: () => Promise<T>): Promise<T> {
    try {
      this.checkAlive();
    } catch (error) {
      return Promise.reject(error);
    }
    return run();
  }
}

/** A typed array as the data of a write (shared memory included). */
function source(view: Float32Array | Uint32Array | Int32Array): BufferSource {
  return view as unknown as BufferSource;
}

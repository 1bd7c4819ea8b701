/**
 * The allocator of the kernels' linear memory: resident tensors live here,
 * so the SIMD loops read and write them in place. Blocks are 64-byte aligned
 * and sized in 64-byte units. Freed blocks go to a bin of their exact size
 * and are handed out again first (the usual pattern: outputs of one size
 * made and freed over and over); when neither a bin nor the space above the
 * highest block fits, the free blocks are merged with their neighbours and
 * searched for the best fit before the memory grows.
 *
 * `memory.grow` replaces the memory's ArrayBuffer and detaches every view
 * of the old one, so views are made on demand ({@linkcode Heap.f32}) and
 * never kept across an allocation.
 *
 * @module
 */

const ALIGN = 64;
const PAGE = 65536;

/** A free block. */
interface Span {
  ptr: number;
  size: number;
}

/** The allocator over one WebAssembly memory, from `base` up. */
export class Heap {
  /** The memory. */
  readonly memory: WebAssembly.Memory;
  #top: number;
  /** Live blocks: pointer → size in bytes. */
  readonly #live = new Map<number, number>();
  /** Free blocks by exact size. */
  readonly #bins = new Map<number, number[]>();
  #freeBytes = 0;
  #buffer: ArrayBuffer | SharedArrayBuffer;
  #f32: Float32Array;
  #f64: Float64Array;

  /**
   * @param memory The memory the kernels import.
   * @param base The first byte it may hand out (a multiple of 64).
   */
  constructor(memory: WebAssembly.Memory, base: number) {
    this.memory = memory;
    this.#top = base;
    this.#buffer = memory.buffer;
    this.#f32 = new Float32Array(this.#buffer);
    this.#f64 = new Float64Array(this.#buffer);
  }

  /**
   * The memory's current buffer. Only this allocator grows the memory, so
   * the buffer is cached and replaced when it does.
   */
  get buffer(): ArrayBuffer | SharedArrayBuffer {
    return this.#buffer;
  }

  /** A Float32Array over the whole memory, current after any growth. */
  get f32(): Float32Array {
    return this.#f32;
  }

  /** The float64 at byte `ptr` (8-aligned). */
  f64At(ptr: number): number {
    if (this.#f64.buffer !== this.#buffer) {
      this.#f64 = new Float64Array(this.#buffer);
    }
    return this.#f64[ptr >>> 3]!;
  }

  /** Stores `value` as the float64 at byte `ptr` (8-aligned). */
  setF64At(ptr: number, value: number): void {
    if (this.#f64.buffer !== this.#buffer) {
      this.#f64 = new Float64Array(this.#buffer);
    }
    this.#f64[ptr >>> 3] = value;
  }

  /** Whether `a` is a view of this memory (so its byteOffset is a pointer). */
  owns(a: ArrayBufferView): boolean {
    return a.buffer === this.#buffer;
  }

  /** Bytes in live blocks. */
  get liveBytes(): number {
    let total = 0;
    for (const size of this.#live.values()) total += size;
    return total;
  }

  /** Live blocks. */
  get liveCount(): number {
    return this.#live.size;
  }

  /** The memory's size in bytes. */
  get capacity(): number {
    return this.#buffer.byteLength;
  }

  /**
   * Allocates `bytes` bytes (at least 64), 64-byte aligned; the contents are
   * whatever was there before.
   *
   * @returns The pointer (byte offset).
   * @throws {RangeError} When the memory cannot grow that far.
   */
  alloc(bytes: number): number {
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    const bin = this.#bins.get(size);
    let ptr = bin?.pop();
    if (ptr !== undefined) {
      this.#freeBytes -= size;
    } else if (this.#top + size <= this.#buffer.byteLength) {
      ptr = this.#top;
      this.#top += size;
    } else {
      ptr = this.#fromMerged(size) ?? this.#grow(size);
    }
    this.#live.set(ptr, size);
    return ptr;
  }

  /** Frees a block from {@linkcode Heap.alloc}; freeing twice throws. */
  free(ptr: number): void {
    const size = this.#live.get(ptr);
    if (size === undefined) {
      throw new RangeError(`Not a live block: ${ptr}`);
    }
    this.#live.delete(ptr);
    if (ptr + size === this.#top) {
      this.#top = ptr;
      return;
    }
    let bin = this.#bins.get(size);
    if (bin === undefined) this.#bins.set(size, bin = []);
    bin.push(ptr);
    this.#freeBytes += size;
  }

  /** The size of a live block, or undefined. */
  sizeOf(ptr: number): number | undefined {
    return this.#live.get(ptr);
  }

  /** Merges adjacent free blocks, lowers the top, then takes the best fit. */
  #fromMerged(size: number): number | undefined {
    if (this.#freeBytes < size) return undefined;
    const spans: Span[] = [];
    for (const [s, ptrs] of this.#bins) {
      for (const p of ptrs) spans.push({ ptr: p, size: s });
    }
    this.#bins.clear();
    spans.sort((a, b) => a.ptr - b.ptr);
    const merged: Span[] = [];
    for (const s of spans) {
      const last = merged[merged.length - 1];
      if (last !== undefined && last.ptr + last.size === s.ptr) {
        last.size += s.size;
      } else merged.push({ ...s });
    }
    const last = merged[merged.length - 1];
    if (last !== undefined && last.ptr + last.size === this.#top) {
      this.#top = last.ptr;
      merged.pop();
    }
    let best: Span | undefined;
    for (const s of merged) {
      if (s.size >= size && (best === undefined || s.size < best.size)) {
        best = s;
      }
    }
    this.#freeBytes = 0;
    let ptr: number | undefined;
    if (best !== undefined) {
      ptr = best.ptr;
      best.ptr += size;
      best.size -= size;
    } else if (this.#top + size <= this.#buffer.byteLength) {
      ptr = this.#top;
      this.#top += size;
    }
    for (const s of merged) {
      if (s.size === 0) continue;
      let bin = this.#bins.get(s.size);
      if (bin === undefined) this.#bins.set(s.size, bin = []);
      bin.push(s.ptr);
      this.#freeBytes += s.size;
    }
    return ptr;
  }

  #grow(size: number): number {
    const need = this.#top + size - this.#buffer.byteLength;
    // Grow by at least an eighth, so that a sequence of growing tensors
    // does not grow (and copy) the memory every time.
    const pages = Math.max(
      Math.ceil(need / PAGE),
      Math.ceil(this.#buffer.byteLength / PAGE / 8),
    );
    try {
      this.memory.grow(pages);
    } catch {
      try {
        this.memory.grow(Math.ceil(need / PAGE));
      } catch (error) {
        throw new RangeError(
          `Cannot allocate ${size} bytes: the WebAssembly memory cannot grow to ${
            this.#top + size
          } bytes (${(error as Error).message})`,
        );
      }
    }
    this.#buffer = this.memory.buffer;
    this.#f32 = new Float32Array(this.#buffer);
    const ptr = this.#top;
    this.#top += size;
    return ptr;
  }
}

/** One heap block holding a tensor's float32 elements (the engine's `Storage`). */
export class Block {
  readonly #heap: Heap;
  #ptr: number;
  /** The number of float32 elements. */
  readonly length: number;
  #view: Float32Array | undefined;

  constructor(heap: Heap, length: number) {
    this.#heap = heap;
    this.length = length;
    this.#ptr = heap.alloc(4 * length);
  }

  /** The byte offset in the memory; −1 once freed. */
  get ptr(): number {
    return this.#ptr;
  }

  /** A view of the elements in the memory's current buffer. */
  view(): Float32Array {
    const buffer = this.#heap.buffer;
    if (this.#view === undefined || this.#view.buffer !== buffer) {
      if (this.#ptr < 0) throw new RangeError("The block has been freed");
      this.#view = new Float32Array(buffer, this.#ptr, this.length);
    }
    return this.#view;
  }

  /** Returns the block to the heap; calling it again does nothing. */
  free(): void {
    if (this.#ptr < 0) return;
    this.#heap.free(this.#ptr);
    this.#ptr = -1;
    this.#view = undefined;
  }
}

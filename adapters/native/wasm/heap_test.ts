import assert from "node:assert";
import { Block, Heap } from "./_heap.ts";

const PAGE = 65536;

function heap(pages = 2): Heap {
  return new Heap(new WebAssembly.Memory({ initial: pages }), PAGE);
}

Deno.test("Heap", async (t) => {
  await t.step("aligned blocks above the base, sized in 64-byte units", () => {
    const h = heap();
    const a = h.alloc(1);
    const b = h.alloc(100);
    const c = h.alloc(0);
    assert.strictEqual(a, PAGE);
    assert.strictEqual(b, PAGE + 64);
    assert.strictEqual(c, PAGE + 64 + 128);
    assert.strictEqual(h.sizeOf(b), 128);
    assert.strictEqual(h.liveCount, 3);
    assert.strictEqual(h.liveBytes, 64 + 128 + 64);
  });

  await t.step("a freed block of the same size is handed out again", () => {
    const h = heap();
    const a = h.alloc(4000);
    h.alloc(64);
    h.free(a);
    assert.strictEqual(h.alloc(4000), a);
    assert.strictEqual(h.alloc(4000), PAGE + 4032 + 64);
  });

  await t.step("freeing the highest block lowers the top", () => {
    const h = heap();
    h.alloc(64);
    const b = h.alloc(64);
    h.free(b);
    assert.strictEqual(h.alloc(64), b);
  });

  await t.step("free neighbours merge before the memory grows", () => {
    const h = heap(2);
    // Fill the one page above the base with four blocks, free the middle
    // two: a request for their joint size fits without growing.
    const q = PAGE / 4;
    const blocks = [h.alloc(q), h.alloc(q), h.alloc(q), h.alloc(q)];
    h.free(blocks[1]!);
    h.free(blocks[2]!);
    const capacity = h.capacity;
    assert.strictEqual(h.alloc(2 * q), blocks[1]);
    assert.strictEqual(h.capacity, capacity);
  });

  await t.step("the memory grows, and the buffer and views follow", () => {
    const h = heap(2);
    const before = h.buffer;
    const f32 = h.f32;
    const p = h.alloc(3 * PAGE);
    assert.ok(h.capacity >= PAGE + 3 * PAGE);
    assert.notStrictEqual(h.buffer, before);
    assert.strictEqual(h.buffer, h.memory.buffer);
    assert.strictEqual(f32.length, 0, "the old view is detached");
    h.f32[p >>> 2] = 1.5;
    assert.strictEqual(new Float32Array(h.memory.buffer, p, 1)[0], 1.5);
    assert.ok(h.owns(h.f32));
    assert.ok(!h.owns(new Float32Array(4)));
  });

  await t.step("bad frees throw", () => {
    const h = heap();
    const a = h.alloc(64);
    h.free(a);
    assert.throws(() => h.free(a), RangeError);
    assert.throws(() => h.free(12345), RangeError);
  });

  await t.step("a memory that cannot grow: RangeError", () => {
    const memory = new WebAssembly.Memory({ initial: 2, maximum: 3 });
    const h = new Heap(memory, PAGE);
    assert.throws(() => h.alloc(5 * PAGE), /cannot grow/);
  });
});

Deno.test("Block", async (t) => {
  await t.step("a view of its elements, remade after the memory grows", () => {
    const h = heap();
    const b = new Block(h, 3);
    b.view().set([1, 2, 3]);
    const first = b.view();
    assert.strictEqual(b.view(), first, "cached while the buffer lasts");
    h.alloc(4 * PAGE);
    assert.strictEqual(first.length, 0);
    assert.deepStrictEqual([...b.view()], [1, 2, 3]);
    assert.strictEqual(b.length, 3);
  });

  await t.step("free returns the memory once", () => {
    const h = heap();
    const b = new Block(h, 16);
    const live = h.liveCount;
    b.free();
    b.free();
    assert.strictEqual(h.liveCount, live - 1);
    assert.strictEqual(b.ptr, -1);
    assert.throws(() => b.view(), RangeError);
  });
});

import assert from "node:assert";
import { bookGrid, FLOAT32_MAX, nextFloat32 } from "@nonlin/core";
import { casesOf } from "./cases.ts";
import {
  caseInput,
  fullSizes,
  isSubnormal,
  quickSizes,
  Tag,
} from "./inputs.ts";

Deno.test("caseInput()", async (t) => {
  const input = caseInput(casesOf("relu6")[0]!, fullSizes);
  const of = (tag: number) =>
    [...input.x].filter((_, i) => input.tags[i] === tag);

  await t.step(
    "over 10⁵ log-uniform random inputs over the whole float32 range",
    () => {
      const random = [...input.x].filter((_, i) =>
        input.tags[i] === Tag.random || input.tags[i] === Tag.subnormal
      );
      assert.ok(random.length >= 1e5);
      assert.ok(
        random.some((v) => Math.abs(v) > 1e37) &&
          random.some((v) => isSubnormal(v)),
      );
      assert.ok(random.some((v) => v < 0) && random.some((v) => v > 0));
    },
  );
  await t.step("the book's grid first", () => {
    assert.deepStrictEqual(input.x.subarray(0, 160), bookGrid());
    assert.deepStrictEqual(of(Tag.grid), [...bookGrid()]);
  });
  await t.step("the special values, zeros and subnormals", () => {
    const special = of(Tag.special);
    assert.ok(
      special.some((v) => v !== v) && special.includes(Infinity) &&
        special.includes(-Infinity),
    );
    assert.ok(
      of(Tag.zero).some((v) => Object.is(v, -0)) &&
        of(Tag.zero).some((v) => Object.is(v, 0)),
    );
    assert.ok(of(Tag.subnormal).includes(Math.fround(2 ** -149)));
  });
  await t.step("every kink, and its float32 neighbours", () => {
    assert.deepStrictEqual(of(Tag.kink), [0, 6]);
    const notable = of(Tag.notable);
    assert.ok(
      notable.includes(nextFloat32(6, true)) &&
        notable.includes(nextFloat32(6, false)),
    );
  });
  await t.step("no infinity among the random inputs", () => {
    assert.ok(of(Tag.random).every((v) => Math.abs(v) <= FLOAT32_MAX));
  });
  await t.step("the same op gets the same inputs every time", () => {
    assert.deepStrictEqual(
      caseInput(casesOf("relu6")[0]!, quickSizes).x,
      caseInput(casesOf("relu6")[0]!, quickSizes).x,
    );
  });
  await t.step("dy at the kinks is the same in --quick and full runs", () => {
    const atKinks = (sizes: typeof quickSizes) => {
      const input = caseInput(casesOf("hardSigmoid")[0]!, sizes);
      return [...input.dy].filter((_, i) => input.tags[i] === Tag.kink);
    };
    const quick = atKinks(quickSizes);
    assert.ok(quick.length >= 2);
    assert.deepStrictEqual(quick, atKinks(fullSizes));
  });
  await t.step("a per-channel parameter lays x out in whole rows", () => {
    const perChannel = caseInput(
      casesOf("prelu").find((c) => c.channels !== undefined)!,
      quickSizes,
    );
    assert.strictEqual(perChannel.shape[1], 4);
    assert.strictEqual(perChannel.shape[0]! * 4, perChannel.x.length);
  });
  await t.step("witnesses of moderate size join the gradient subset", () => {
    const plain = caseInput(casesOf("relu6")[0]!, quickSizes);
    const more = caseInput(casesOf("relu6")[0]!, quickSizes, [3.5, 1e30]);
    assert.strictEqual(more.moderateEnd, plain.moderateEnd + 1);
    assert.strictEqual(more.x[160], 3.5);
    assert.ok(
      more.x.includes(1e30 as number) || more.x.includes(Math.fround(1e30)),
    );
  });
});

import assert from "node:assert";
import type {
  HostOptionsArg,
  HostParamsOf,
  LearnedParamName,
  OptionsArg,
  ParamsOf,
  VjpOut,
} from "./contract.ts";

/** Compiles only when A and B are the same type. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends
  (<T>() => T extends B ? 1 : 2) ? true
  : false;
function typeIs<_ extends true>(): boolean {
  return true;
}

Deno.test("ParamsOf", async (t) => {
  await t.step(
    "fields follow the catalog: optional where a default exists",
    () => {
      const softplus: ParamsOf<"softplus"> = {};
      const sharp: ParamsOf<"softplus"> = { beta: 2, threshold: 10 };
      const gelu: ParamsOf<"gelu"> = { approximate: "tanh" };
      const prelu: ParamsOf<"prelu"> = { alpha: [0.1, 0.2] };
      // @ts-expect-error prelu's α has no default
      const noAlpha: ParamsOf<"prelu"> = {};
      // @ts-expect-error approximate is "none" or "tanh"
      const badChoice: ParamsOf<"gelu"> = { approximate: "erf" };
      // @ts-expect-error beta is a number
      const badType: ParamsOf<"swish"> = { beta: "2" };
      assert.strictEqual(
        [softplus, sharp, gelu, prelu, noAlpha, badChoice, badType].length,
        7,
      );
    },
  );
});

Deno.test("LearnedParamName", async (t) => {
  await t.step("names the parameters gradients are taken for", () => {
    assert.ok(typeIs<Equal<LearnedParamName<"softplus">, "beta">>());
    assert.ok(typeIs<Equal<LearnedParamName<"prelu">, "alpha">>());
    assert.ok(typeIs<Equal<LearnedParamName<"hardTanh">, never>>());
    assert.ok(typeIs<Equal<LearnedParamName<"gelu">, never>>());
  });
});

Deno.test("OptionsArg", async (t) => {
  await t.step(
    "the options argument is required only where a parameter has no default",
    () => {
      assert.ok(
        typeIs<Equal<OptionsArg<"relu">, [options?: ParamsOf<"relu">]>>(),
      );
      assert.ok(
        typeIs<Equal<OptionsArg<"prelu">, [options: ParamsOf<"prelu">]>>(),
      );
    },
  );
});

Deno.test("HostOptionsArg", async (t) => {
  await t.step("the host form's options add out to the parameters", () => {
    assert.ok(
      typeIs<
        Equal<HostOptionsArg<"relu">, [options?: HostParamsOf<"relu">]>
      >(),
    );
    assert.ok(
      typeIs<
        Equal<HostOptionsArg<"prelu">, [options: HostParamsOf<"prelu">]>
      >(),
    );
    const withOut: HostParamsOf<"softplus"> = {
      beta: 2,
      out: new Float32Array(1),
    };
    // @ts-expect-error out is a Float32Array
    const badOut: HostParamsOf<"gelu"> = { out: new Float64Array(1) };
    // @ts-expect-error prelu's α stays required
    const noAlpha: HostParamsOf<"prelu"> = { out: new Float32Array(1) };
    const grads: VjpOut<"swish"> = { dparams: { beta: new Float32Array(1) } };
    assert.strictEqual([withOut, badOut, noAlpha, grads].length, 4);
  });
});

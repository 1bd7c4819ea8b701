import assert from "node:assert";
import { opNames } from "@nonlin/core";
import { backendNames } from "@nonlin/backends";
import {
  arithmeticOps,
  backendProfiles,
  profileOf,
  profiles,
  type Quantity,
  toleranceOf,
} from "./tolerances.ts";

const quantities: Quantity[] = [
  "values",
  "vjp",
  "derivative",
  "secondDerivative",
  "dparams",
];

Deno.test("profiles", async (t) => {
  await t.step("every built-in backend has its profile", () => {
    for (const name of backendNames) {
      assert.ok(profiles[backendProfiles[name]!], name);
    }
  });
  await t.step("every tolerance says why, and none is negative", () => {
    for (const [name, profile] of Object.entries(profiles)) {
      assert.ok(profile.description.length > 20, name);
      for (const op of opNames) {
        for (const q of quantities) {
          const tol = toleranceOf(name, op, q);
          assert.ok(
            tol.ulp >= 0 && tol.reason.length > 20,
            `${name} ${op} ${q}`,
          );
        }
      }
    }
  });
});

Deno.test("profileOf()", () => {
  assert.strictEqual(profileOf("native"), "native");
  assert.strictEqual(profileOf("tfjs-webgpu"), "tfjs-webgpu");
  assert.strictEqual(profileOf("my-onnx-backend"), "float32");
});

Deno.test("toleranceOf()", async (t) => {
  await t.step("per-op tolerances replace the defaults", () => {
    assert.strictEqual(toleranceOf("tfjs-webgpu", "relu", "values").ulp, 0);
    assert.strictEqual(toleranceOf("tfjs-webgpu", "sigmoid", "values").ulp, 64);
  });
  await t.step("arithmetic-only ops are exact in every profile", () => {
    for (const profile of Object.keys(profiles)) {
      for (const op of arithmeticOps) {
        for (const q of ["values", "vjp", "derivative"] as const) {
          assert.strictEqual(
            toleranceOf(profile, op, q).ulp,
            0,
            `${profile} ${op}`,
          );
        }
      }
    }
  });
  await t.step("an unknown profile is a RangeError", () => {
    assert.throws(() => toleranceOf("nope", "relu", "values"), RangeError);
  });
});

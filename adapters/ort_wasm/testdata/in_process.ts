// A deliberately broken fixture: onnxruntime-web started in the main realm,
// as a plain user would. Prints the global Worker's name afterwards.
import * as ort from "onnxruntime-web";
import { buildModel } from "../_graphs.ts";

const before = globalThis.Worker.name;
const session = await ort.InferenceSession.create(
  buildModel("relu", "forward", {}, 1).bytes,
  { executionProviders: ["wasm"] },
);
await session.release();
// deno-lint-ignore no-console -- the parent test reads this line
console.log(JSON.stringify({ before, after: globalThis.Worker.name }));

// What switching tfjs's global backend costs: the same small op on one
// adapter, then alternating between two (each call switches).
//   deno bench -A adapters/_tfjs/switch_bench.ts

import { activate } from "@nonlin/tfjs-glue";
import * as cpu from "@nonlin/tfjs-cpu";
import * as wasm from "@nonlin/tfjs-wasm";
import * as webgpu from "@nonlin/tfjs-webgpu";

const running = [cpu, wasm, webgpu].filter((m) => m.backend.available);
const names = running.map((m) =>
  m.backend.capabilities.properties.tfjsBackend as string
);

for (const name of names) {
  const other = names.find((n) => n !== name)!;
  Deno.bench({
    name: `activate ${name} (already active)`,
    group: name,
    baseline: true,
  }, () => {
    activate(name);
  });
  Deno.bench({ name: `activate ${name} from ${other}`, group: name }, () => {
    activate(other);
    activate(name);
  });
}

for (const m of running) {
  const x = m.tensor([-1, 0.5, 2, 3]);
  const other = running.find((o) => o !== m)!;
  const y = other.tensor([1]);
  Deno.bench({
    name: `${m.backend.name} relu, no switch`,
    group: `relu ${m.backend.name}`,
    baseline: true,
  }, () => {
    m.relu(x).dispose();
  });
  Deno.bench({
    name: `${m.backend.name} relu after ${other.backend.name} relu`,
    group: `relu ${m.backend.name}`,
  }, () => {
    other.relu(y).dispose();
    m.relu(x).dispose();
  });
}

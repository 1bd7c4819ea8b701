// The conformance suite in a browser page, bundled by the book's test
// (conformance_test.ts) and opened in Chromium: every WebGPU backend named in
// the page's query (?backend=tfjs-webgpu&backend=native-webgpu), on the
// page's thread, quick, every op. The report, as JSON, and the matrix land
// on globalThis.nonlinConformance.

import {
  renderMatrix,
  reportToJson,
  runConformance,
} from "@nonlin/conformance/browser";

const query = new URLSearchParams(location.search);
const state: { report?: unknown; matrix?: string; error?: string } = {};
(globalThis as { nonlinConformance?: unknown }).nonlinConformance = state;
try {
  const report = await runConformance({
    backends: query.getAll("backend"),
    quick: true,
    inProcess: true,
  });
  state.report = JSON.parse(reportToJson(report));
  state.matrix = renderMatrix(report);
} catch (error) {
  state.error = error instanceof Error
    ? `${error.name}: ${error.message}\n${error.stack}`
    : String(error);
}
document.body.dataset.state = "done";

// One place that asks the runtime for a WebGPU adapter, with a timeout: a
// broken driver must not hang the bench.

/** An adapter, or why there is none. */
export type AdapterResult =
  | { readonly adapter: GPUAdapter }
  | { readonly adapter?: undefined; readonly reason: string };

/** Requests the high-performance adapter, as tfjs's WebGPU backend does. */
export async function requestAdapter(
  timeoutMs = 10_000,
): Promise<AdapterResult> {
  const gpu = (globalThis.navigator as { gpu?: GPU } | undefined)?.gpu;
  if (gpu === undefined) {
    return { reason: "navigator.gpu is undefined in this runtime" };
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  try {
    const adapter = await Promise.race([
      gpu.requestAdapter({ powerPreference: "high-performance" }),
      timeout,
    ]);
    if (adapter === "timeout") {
      return {
        reason:
          `navigator.gpu.requestAdapter() did not answer in ${timeoutMs} ms`,
      };
    }
    if (adapter === null) {
      return { reason: "navigator.gpu.requestAdapter() returned null" };
    }
    return { adapter };
  } catch (error) {
    return { reason: `navigator.gpu.requestAdapter() threw: ${String(error)}` };
  } finally {
    clearTimeout(timer);
  }
}

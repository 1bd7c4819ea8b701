/** The URL folder the server serves the tfjs-wasm binaries from, and the page fetches them from. */
export const WASM_PREFIX = "/wasm/";

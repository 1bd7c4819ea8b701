// A module that implements only part of the contract, for the isolation tests.
export const backend = {
  name: "incomplete",
  available: true,
  precision: "float32",
};
export function relu(): never {
  throw new Error("unreachable");
}

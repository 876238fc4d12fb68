// Placeholder: replaced by the PayPal fake.
import type { PspFactory } from "../core/server"
export const createPayPalFake: PspFactory = () => {
  throw new Error("not yet")
}

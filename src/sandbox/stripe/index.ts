// Placeholder: replaced by the Stripe fake.
import type { PspFactory } from "../core/server"
export const createStripeFake: PspFactory = () => {
  throw new Error("not yet")
}

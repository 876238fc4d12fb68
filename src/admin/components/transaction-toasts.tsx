/**
 * The widget's toasts, through the dashboard's own toaster (@medusajs/ui `toast`). The description carries a stable
 * `data-testid` (the ui toast itself takes none), so a browser test can read what a person read.
 */
import { toast } from "@medusajs/ui"
import { errorToToast } from "../lib/api-error-detail"

export const TOAST_TEST_IDS = {
  error: "order-transactions-toast-error",
  success: "order-transactions-toast-success",
} as const

/** Shows the API's `detail` (or the network error) under the API's `title`. */
export function showErrorToast(error: unknown): void {
  const { title, detail } = errorToToast(error)
  toast.error(title, { description: <span data-testid={TOAST_TEST_IDS.error}>{detail}</span> })
}

export function showSuccessToast(title: string, detail: string): void {
  toast.success(title, { description: <span data-testid={TOAST_TEST_IDS.success}>{detail}</span> })
}

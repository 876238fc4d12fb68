import { MedusaError } from "@medusajs/framework/utils"

/**
 * A refusal of the transaction API, with the Elastic Path error title (`"Error while refunding"`, …) beside Medusa's
 * error type (which gives the HTTP status). Workflows serialise thrown errors by copying their own properties, so the
 * title survives the trip out of a step.
 */
export class TransactionError extends MedusaError {
  constructor(
    type: "not_found" | "invalid_data" | "not_allowed",
    message: string,
    readonly title: string = TITLES[type]
  ) {
    super(type, message)
  }
}

const TITLES = {
  not_found: "Not found",
  invalid_data: "Invalid request",
  not_allowed: "Not allowed",
}

export const notFound = (detail: string) => new TransactionError("not_found", detail)
export const invalid = (detail: string) => new TransactionError("invalid_data", detail)
export const notAllowed = (detail: string, title?: string) => new TransactionError("not_allowed", detail, title)

import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { sendErrors, type ApiError } from "./transaction-api-errors"

/** The largest body the transaction routes read (Medusa's own JSON parser allows the same by default). */
export const JSON_BODY_LIMIT_BYTES = 100 * 1024

class BodyRefused extends Error {
  constructor(readonly error: ApiError) {
    super(error.detail)
  }
}

const refuse = (status: number, title: string, detail: string) => new BodyRefused({ status, title, detail })

/**
 * The body parser of the transaction routes, in place of Medusa's (which they opt out of in `src/api/middlewares.ts`).
 * Medusa's parsers also accept `text/plain` and form bodies, and leave any other content type unread as `{}`, so a
 * body the route never saw would count as "no body" (a full capture, a mark-as-refunded). Here a body is JSON or it
 * is refused with a 4xx in the routes' own error shape, before anything happens:
 * - no body (or only whitespace): `req.body` stays undefined, which the routes read as `{}`;
 * - a body that is not `application/json` (or `+json`, UTF-8): 415;
 * - compressed, larger than {@link JSON_BODY_LIMIT_BYTES}, not UTF-8 or not JSON: 413 or 400.
 */
export function jsonBodyOnly(limit: number = JSON_BODY_LIMIT_BYTES) {
  return async function transactionJsonBody(
    req: MedusaRequest,
    res: MedusaResponse,
    next: MedusaNextFunction
  ): Promise<void> {
    try {
      req.body = await readJsonBody(req, limit)
    } catch (e) {
      if (e instanceof BodyRefused) {
        sendErrors(res, [e.error])
        return
      }
      return next(e)
    }
    next()
  }
}

async function readJsonBody(req: MedusaRequest, limit: number): Promise<unknown> {
  const parsed = req as MedusaRequest & { _body?: boolean }
  if (parsed._body) {
    // Already read by another parser: keep what it made of it.
    return req.body
  }
  const encoding = String(req.headers["content-encoding"] ?? "identity").toLowerCase()
  if (encoding !== "identity") {
    throw refuse(415, "Unsupported media type", "Send the body uncompressed (no Content-Encoding).")
  }
  const declared = Number(req.headers["content-length"])
  if (Number.isFinite(declared) && declared > limit) {
    req.resume()
    throw tooLarge(limit)
  }
  const raw = await readRaw(req, limit)
  const text = decodeUtf8(raw)
  if (text.trim() === "") {
    return undefined
  }
  const type = String(req.headers["content-type"] ?? "")
  const [mediaType, ...params] = type.split(";").map((p) => p.trim().toLowerCase())
  if (mediaType !== "application/json" && !/^application\/[a-z0-9.+-]+\+json$/.test(mediaType)) {
    throw refuse(
      415,
      "Unsupported media type",
      "Send the body as JSON with the header Content-Type: application/json (or no body at all)."
    )
  }
  const charset = params
    .find((p) => p.startsWith("charset="))
    ?.slice("charset=".length)
    .replace(/"/g, "")
  if (charset && charset !== "utf-8" && charset !== "utf8") {
    throw refuse(415, "Unsupported media type", "Send the JSON body in UTF-8 (charset=utf-8).")
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ""))
  } catch {
    throw refuse(400, "Invalid request", 'The request body is not valid JSON: send {"data": {...}}.')
  }
}

function tooLarge(limit: number): BodyRefused {
  return refuse(413, "Payload too large", `The request body is larger than ${Math.floor(limit / 1024)} KB.`)
}

function decodeUtf8(raw: Buffer): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(raw)
  } catch {
    throw refuse(400, "Invalid request", "The request body is not valid UTF-8: send JSON in UTF-8.")
  }
}

function readRaw(req: MedusaRequest, limit: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let done = false
    const finish = (error: BodyRefused | null) => {
      if (done) {
        return
      }
      done = true
      req.off("data", onData)
      req.off("end", onEnd)
      req.off("error", onError)
      req.off("aborted", onAborted)
      if (error) {
        // Let the rest of the body drain so the answer still reaches the client.
        req.resume()
        reject(error)
      } else {
        resolve(Buffer.concat(chunks))
      }
    }
    const onData = (chunk: Buffer | string) => {
      const buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk
      size += buffer.length
      if (size > limit) {
        finish(tooLarge(limit))
        return
      }
      chunks.push(buffer)
    }
    const onEnd = () => finish(null)
    const onError = () => finish(refuse(400, "Invalid request", "The request body could not be read."))
    const onAborted = () => finish(refuse(400, "Invalid request", "The request was aborted before its body was read."))
    req.on("data", onData)
    req.on("end", onEnd)
    req.on("error", onError)
    req.on("aborted", onAborted)
    if (req.readableEnded) {
      finish(null)
    }
  })
}

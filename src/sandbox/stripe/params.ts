/** Reading Stripe request parameters (form-encoded strings or JSON) and shaping list answers. */
import type { ParsedBody } from "../core/body"
import type { SandboxRequest, SandboxResponse } from "../core/router"
import { invalidRequest } from "./errors"
import type { Json, Metadata, RequestMeta } from "./state"

/** Fails with Stripe's "Received unknown parameter" for anything not in `allowed` (plus `expand`). */
export function allowParams(body: ParsedBody, allowed: string[]): void {
  for (const key of Object.keys(body)) {
    if (key !== "expand" && !allowed.includes(key)) {
      throw invalidRequest(`Received unknown parameter: ${key}`, { code: "parameter_unknown", param: key })
    }
  }
}

export function str(body: ParsedBody, key: string): string | undefined {
  const value = body[key]
  if (value === undefined || value === null || value === "") {
    return undefined
  }
  if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
    throw invalidRequest(`Invalid string: ${key} must be a string.`, { param: key })
  }
  return String(value)
}

export function requireStr(body: ParsedBody, key: string): string {
  const value = str(body, key)
  if (value === undefined) {
    throw invalidRequest(`Missing required param: ${key}.`, { code: "parameter_missing", param: key })
  }
  return value
}

export function int(body: ParsedBody, key: string): number | undefined {
  const raw = body[key]
  if (raw === undefined || raw === null || raw === "") {
    return undefined
  }
  const value = typeof raw === "number" ? raw : /^-?\d+$/.test(String(raw)) ? Number(raw) : NaN
  if (!Number.isInteger(value)) {
    throw invalidRequest(`Invalid integer: ${String(raw)}`, { code: "parameter_invalid_integer", param: key })
  }
  return value
}

export function bool(body: ParsedBody, key: string): boolean | undefined {
  const raw = body[key]
  if (raw === undefined || raw === null || raw === "") {
    return undefined
  }
  if (raw === true || raw === "true") {
    return true
  }
  if (raw === false || raw === "false") {
    return false
  }
  throw invalidRequest(`Invalid boolean: ${String(raw)}`, { param: key })
}

export function oneOf<T extends string>(body: ParsedBody, key: string, values: readonly T[]): T | undefined {
  const value = str(body, key)
  if (value === undefined) {
    return undefined
  }
  if (!values.includes(value as T)) {
    throw invalidRequest(`Invalid ${key}: must be one of ${values.join(", ")}`, { param: key })
  }
  return value as T
}

export function obj(body: ParsedBody, key: string): Json | undefined {
  const value = body[key]
  if (value === undefined || value === "") {
    return undefined
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalidRequest(`Invalid object: ${key} must be a hash.`, { param: key })
  }
  return value as Json
}

/** Stripe's metadata update: keys are merged, an empty value unsets a key, `metadata=""` clears all. */
export function mergeMetadata(existing: Metadata, body: ParsedBody, key = "metadata"): Metadata {
  if (!(key in body)) {
    return existing
  }
  const value = body[key]
  if (value === "" || value === null) {
    return {}
  }
  if (typeof value !== "object" || Array.isArray(value)) {
    throw invalidRequest(`Invalid object: ${key} must be a hash of strings.`, { param: key })
  }
  const out: Metadata = { ...existing }
  for (const [k, v] of Object.entries(value as Json)) {
    if (v === "" || v === null) {
      delete out[k]
    } else {
      out[k] = String(v)
    }
  }
  return out
}

/** Paths to expand, from `?expand[]=a` / `?expand[0]=a` or a body `expand` list. */
export function expansions(req: SandboxRequest): string[] {
  const out: string[] = []
  for (const [key, value] of req.query) {
    if (key === "expand" || key.startsWith("expand[")) {
      out.push(value)
    }
  }
  const fromBody = req.body.expand
  if (Array.isArray(fromBody)) {
    out.push(...fromBody.map(String))
  }
  return out
}

export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T
}

/** A 200 answer: a snapshot of the object (the idempotency store keeps it; later changes must not leak into replays). */
export function ok(body: unknown, meta: RequestMeta): SandboxResponse {
  return { status: 200, body: clone(body), headers: meta.requestId ? { "request-id": meta.requestId } : {} }
}

/** A Stripe list (`{object:"list", data, has_more, url}`), newest first, with `limit`, `starting_after`, `ending_before`. */
export function list<T extends { id: string }>(req: SandboxRequest, items: T[], url: string): Json {
  const limitRaw = req.query.get("limit")
  const limit = limitRaw === null ? 10 : Number(limitRaw)
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw invalidRequest("Invalid limit: must be an integer between 1 and 100.", { param: "limit" })
  }
  let start = 0
  let end = items.length
  const after = req.query.get("starting_after")
  const before = req.query.get("ending_before")
  if (after) {
    start = items.findIndex((i) => i.id === after) + 1
  } else if (before) {
    end = Math.max(
      0,
      items.findIndex((i) => i.id === before)
    )
    start = Math.max(0, end - limit)
  }
  const data = items.slice(start, Math.min(end, start + limit))
  return { object: "list", data, has_more: start + data.length < end, url }
}

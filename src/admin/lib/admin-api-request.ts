/**
 * How the widget calls the admin API: the js-sdk configured as the dashboard configures its own (backend URL, session
 * or JWT auth from the globals the admin bundler defines), plus `adminApiRequest`, which keeps the error body.
 *
 * Why not `sdk.client.fetch` alone: in @medusajs/js-sdk 2.21 a non-2xx answer throws `FetchError(body.message ??
 * statusText)`, and the transactions API answers errors as `{"errors": [{"title", "detail"}]}` with no top-level
 * `message`, so the detail a person needs ("Unable to automatically refund a manually captured transaction") would be
 * lost. `adminApiRequest` sends the same request the SDK would (same base URL, `credentials: "include"` for session
 * auth, the SDK's stored token for JWT auth) and turns an error body into an `AdminApiError` whose message is the
 * detail.
 */
import Medusa from "@medusajs/js-sdk"
import { AdminApiError, summarizeApiError } from "./api-error-detail"

// Defined by @medusajs/admin-bundler when the store's admin is built; guarded with typeof for tests and tools.
declare const __BACKEND_URL__: string | undefined
declare const __AUTH_TYPE__: "session" | "jwt" | undefined
declare const __JWT_TOKEN_STORAGE_KEY__: string | undefined

export const backendUrl: string = (typeof __BACKEND_URL__ !== "undefined" && __BACKEND_URL__) || "/"
const authType: "session" | "jwt" = (typeof __AUTH_TYPE__ !== "undefined" && __AUTH_TYPE__) || "session"
const jwtTokenStorageKey = (typeof __JWT_TOKEN_STORAGE_KEY__ !== "undefined" && __JWT_TOKEN_STORAGE_KEY__) || undefined

export const sdk = new Medusa({
  baseUrl: backendUrl,
  auth: { type: authType, jwtTokenStorageKey },
})

/** `base` ("/", "", "https://shop.example/api") joined with an API path, resolved against the page's origin. */
export function resolveApiUrl(base: string, path: string, origin: string): string {
  const root = !base || base === "/" ? origin : base
  const url = new URL(root.endsWith("/") ? root : `${root}/`, origin)
  return new URL(path.replace(/^\/+/, ""), url).toString()
}

function parseBody(text: string): unknown {
  if (!text) {
    return null
  }
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

export interface AdminApiRequestInit {
  method?: "GET" | "POST" | "DELETE"
  body?: unknown
}

/** Calls an admin route; resolves with the parsed JSON body, rejects with an `AdminApiError` (message = detail). */
export async function adminApiRequest<T>(path: string, init: AdminApiRequestInit = {}): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" }
  if (init.body !== undefined) {
    headers["content-type"] = "application/json"
  }
  if (authType === "jwt") {
    const token = await sdk.client.getToken()
    if (token) {
      headers.authorization = `Bearer ${token}`
    }
  }
  const origin = typeof window !== "undefined" ? window.location.origin : "http://localhost"
  let response: Response
  try {
    response = await fetch(resolveApiUrl(backendUrl, path, origin), {
      method: init.method ?? "GET",
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      credentials: authType === "session" ? "include" : "omit",
    })
  } catch {
    throw new AdminApiError(
      { status: 0, title: "Network error", detail: "The server could not be reached. Check your connection." },
      null
    )
  }
  const body = parseBody(await response.text())
  if (!response.ok) {
    throw new AdminApiError(summarizeApiError(body, response.status, response.statusText), body)
  }
  return body as T
}

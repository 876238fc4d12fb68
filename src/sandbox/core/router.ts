import type { IncomingMessage, ServerResponse } from "node:http"
import { parseBody, type ParsedBody } from "./body"

/** What a route handler receives: the parsed request and helpers to answer it. */
export interface SandboxRequest {
  method: string
  path: string
  params: Record<string, string>
  query: URLSearchParams
  headers: IncomingMessage["headers"]
  /** The exact bytes received. */
  rawBody: Buffer
  /** JSON or form-encoded body, parsed (form keys with brackets become nested objects and arrays). */
  body: ParsedBody
}

export interface SandboxResponse {
  status: number
  body?: unknown
  headers?: Record<string, string>
}

export type RouteHandler = (req: SandboxRequest) => SandboxResponse | Promise<SandboxResponse>

interface Route {
  method: string
  pattern: RegExp
  keys: string[]
  handler: RouteHandler
}

/** A minimal method + path router with `:param` segments. No framework, on purpose. */
export class Router {
  private readonly routes: Route[] = []

  on(method: string, path: string, handler: RouteHandler): this {
    const keys: string[] = []
    const source = path
      .split("/")
      .map((segment) => {
        if (segment.startsWith(":")) {
          keys.push(segment.slice(1))
          return "([^/]+)"
        }
        return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
      })
      .join("/")
    this.routes.push({ method: method.toUpperCase(), pattern: new RegExp(`^${source}/?$`), keys, handler })
    return this
  }

  get(path: string, handler: RouteHandler): this {
    return this.on("GET", path, handler)
  }

  post(path: string, handler: RouteHandler): this {
    return this.on("POST", path, handler)
  }

  delete(path: string, handler: RouteHandler): this {
    return this.on("DELETE", path, handler)
  }

  patch(path: string, handler: RouteHandler): this {
    return this.on("PATCH", path, handler)
  }

  /** Finds the route for a method and path; `undefined` when none matches. */
  match(method: string, path: string): { handler: RouteHandler; params: Record<string, string> } | undefined {
    for (const route of this.routes) {
      if (route.method !== method.toUpperCase()) {
        continue
      }
      const found = route.pattern.exec(path)
      if (found) {
        const params: Record<string, string> = {}
        route.keys.forEach((key, i) => (params[key] = decodeURIComponent(found[i + 1])))
        return { handler: route.handler, params }
      }
    }
    return undefined
  }
}

export async function readRequest(
  req: IncomingMessage,
  path: string,
  query: URLSearchParams
): Promise<Omit<SandboxRequest, "params">> {
  const chunks: Buffer[] = []
  for await (const chunk of req) {
    chunks.push(chunk as Buffer)
  }
  const rawBody = Buffer.concat(chunks)
  return {
    method: (req.method ?? "GET").toUpperCase(),
    path,
    query,
    headers: req.headers,
    rawBody,
    body: parseBody(rawBody, req.headers["content-type"]),
  }
}

export function send(res: ServerResponse, response: SandboxResponse): void {
  const headers: Record<string, string> = { ...response.headers }
  let payload: string | undefined
  if (typeof response.body === "string" && headers["content-type"] && !headers["content-type"].includes("json")) {
    payload = response.body
  } else if (response.body !== undefined && response.body !== null) {
    payload = JSON.stringify(response.body)
    headers["content-type"] ??= "application/json"
  }
  res.writeHead(response.status, headers)
  res.end(payload)
}

export function header(req: Pick<SandboxRequest, "headers">, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()]
  return Array.isArray(value) ? value[0] : value
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import type { AddressInfo, Socket } from "node:net"
import { BodyParseError } from "./body"
import { SandboxClock } from "./clock"
import { FaultInjector, type ActiveFault, type FaultRule, type Psp } from "./faults"
import { IdempotencyStore } from "./idempotency"
import { SandboxHttpError, type PspFake, type ResolvedSandboxOptions, type SandboxContext } from "./psp-fake"
import { Router, readRequest, send, type SandboxRequest, type SandboxResponse } from "./router"
import { WebhookDispatcher, type ReleaseOptions } from "./webhooks"

export interface LoggedRequest {
  psp: Psp
  method: string
  path: string
  idempotency_key: string | null
  status: number | null
  replayed: boolean
  fault: string | null
  at: string
}

export type PspFactory = (ctx: SandboxContext) => PspFake

/**
 * The sandbox HTTP server: one port, Stripe's API at the root (`/v1/...`), PayPal's under `/paypal`, and the control
 * API under `/_sandbox`. Every PSP call runs the same pipeline: log, injected faults, authentication, idempotency
 * replay, the PSP's handler.
 */
export class SandboxServer {
  readonly clock = new SandboxClock()
  readonly webhooks = new WebhookDispatcher()
  readonly faults = new FaultInjector()
  readonly idempotency = new IdempotencyStore()
  readonly requests: LoggedRequest[] = []
  readonly fakes: PspFake[]
  private readonly control = new Router()
  private readonly server: Server
  private readonly sockets = new Set<Socket>()
  private url = ""

  constructor(
    readonly options: ResolvedSandboxOptions,
    factories: PspFactory[]
  ) {
    const ctx: SandboxContext = {
      clock: this.clock,
      webhooks: this.webhooks,
      options,
      baseUrl: () => this.url,
    }
    this.fakes = factories.map((factory) => factory(ctx))
    if (options.stripe.webhookUrl) {
      this.webhooks.configure("stripe", { url: options.stripe.webhookUrl })
    }
    if (options.paypal.webhookUrl) {
      this.webhooks.configure("paypal", { url: options.paypal.webhookUrl })
    }
    this.registerControlRoutes()
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e: Error) => {
        if (!res.headersSent) {
          send(res, { status: 500, body: { error: { message: `Sandbox failure: ${e.message}` } } })
        }
      })
    })
    this.server.on("connection", (socket) => {
      this.sockets.add(socket)
      socket.on("close", () => this.sockets.delete(socket))
    })
  }

  get baseUrl(): string {
    return this.url
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject)
      this.server.listen(this.options.port, this.options.host, () => resolve())
    })
    const address = this.server.address() as AddressInfo
    this.url = `http://${this.options.host}:${address.port}`
    return this.url
  }

  async close(): Promise<void> {
    await this.webhooks.idle()
    for (const socket of this.sockets) {
      socket.destroy()
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  /** Forgets all PSP state, faults, events and logs; keeps the configured webhook URLs. */
  reset(): void {
    this.fakes.forEach((fake) => fake.reset())
    this.faults.clear()
    this.idempotency.clear()
    this.webhooks.reset()
    this.clock.reset()
    this.requests.length = 0
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://sandbox")
    const path = url.pathname
    let request: Omit<SandboxRequest, "params">
    try {
      request = await readRequest(req, path, url.searchParams)
    } catch (e) {
      if (!(e instanceof BodyParseError)) {
        throw e
      }
      send(res, { status: 400, body: { error: { message: e.message } } })
      return
    }

    if (path === "/_sandbox" || path.startsWith("/_sandbox/")) {
      send(res, await this.runControl(request))
      return
    }
    const fake =
      this.fakes.find((f) => f.prefix && (path === f.prefix || path.startsWith(`${f.prefix}/`))) ??
      this.fakes.find((f) => !f.prefix)
    if (!fake) {
      send(res, { status: 404, body: { error: { message: `No route for ${path}` } } })
      return
    }
    const sub = path.slice(fake.prefix.length) || "/"
    if (request.method === "OPTIONS") {
      // A browser's preflight before a cross-origin call with a key (Stripe.js from the shop's origin): allowed, as
      // the PSPs' APIs allow it; the call itself is then authenticated as any other.
      send(res, {
        status: 204,
        headers: {
          "access-control-allow-origin": "*",
          "access-control-allow-methods": "GET, POST, PATCH, DELETE",
          "access-control-allow-headers": "authorization, content-type, idempotency-key, stripe-version",
          "access-control-max-age": "600",
        },
      })
      return
    }
    const browserRoute = fake.browser?.match(request.method, sub)
    if (browserRoute) {
      send(res, await runHandler(() => browserRoute.handler({ ...request, path: sub, params: browserRoute.params })))
      return
    }
    if (request.headers.origin) {
      res.setHeader("access-control-allow-origin", "*")
    }
    await this.runPsp(fake, { ...request, path: sub, params: {} }, res)
  }

  private async runPsp(fake: PspFake, req: SandboxRequest, res: ServerResponse): Promise<void> {
    const key = req.method === "POST" ? fake.idempotencyKey(req) : undefined
    const entry: LoggedRequest = {
      psp: fake.psp,
      method: req.method,
      path: req.path,
      idempotency_key: key ?? null,
      status: null,
      replayed: false,
      fault: null,
      at: new Date().toISOString(),
    }
    this.requests.push(entry)

    const fault = this.faults.take(fake.psp, req.method, req.path)
    if (fault) {
      entry.fault = `${fault.kind}:${fault.phase}`
    }
    if (fault?.kind === "latency") {
      await sleep(fault.rule.delay_ms ?? 1000)
    } else if (fault && fault.phase === "before") {
      entry.status = await this.applyFault(fault, fake, res)
      return
    }

    const response = await this.respond(fake, req, key, entry)
    if (fault && fault.kind !== "latency") {
      entry.status = await this.applyFault(fault, fake, res)
      return
    }
    entry.status = response.status
    send(res, response)
  }

  private async respond(
    fake: PspFake,
    req: SandboxRequest,
    key: string | undefined,
    entry: LoggedRequest
  ): Promise<SandboxResponse> {
    const denied = fake.authenticate(req)
    if (denied) {
      return denied
    }
    const route = fake.api.match(req.method, req.path)
    if (!route) {
      return fake.error(404, `Unrecognized request URL (${req.method}: ${req.path}).`)
    }
    const routed = { ...req, params: route.params }
    if (!key) {
      return runHandler(() => route.handler(routed))
    }
    const fingerprint = IdempotencyStore.fingerprint(req.method, req.path, req.rawBody)
    const outcome = this.idempotency.begin(fake.psp, key, fingerprint)
    switch (outcome.kind) {
      case "replay":
        entry.replayed = true
        return { ...outcome.response, headers: { ...outcome.response.headers, "idempotent-replayed": "true" } }
      case "mismatch":
        return fake.idempotencyMismatch(routed, outcome.original)
      case "in_progress":
        return fake.idempotencyInProgress(routed)
      case "new": {
        const response = await runHandler(() => route.handler(routed))
        outcome.complete(response)
        return response
      }
    }
  }

  /** Answers (or fails to answer) as the fault says; returns the status sent, or null when none was. */
  private async applyFault(fault: ActiveFault, fake: PspFake, res: ServerResponse): Promise<number | null> {
    switch (fault.kind) {
      case "status": {
        const status = fault.rule.status ?? 500
        const body = fault.rule.body ?? fake.error(status, "An injected sandbox fault.").body
        send(res, { status, body })
        return status
      }
      case "reset":
        res.socket?.destroy()
        return null
      case "timeout":
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, fault.rule.delay_ms ?? 60_000)
          res.socket?.once("close", () => {
            clearTimeout(timer)
            resolve()
          })
        })
        res.socket?.destroy()
        return null
      default:
        return null
    }
  }

  private async runControl(req: Omit<SandboxRequest, "params">): Promise<SandboxResponse> {
    const sub = req.path.slice("/_sandbox".length) || "/"
    for (const fake of this.fakes) {
      const prefix = `/${fake.psp}`
      if (sub.startsWith(`${prefix}/`)) {
        const route = fake.control.match(req.method, sub.slice(prefix.length))
        if (route) {
          return runHandler(() => route.handler({ ...req, params: route.params }), true)
        }
      }
    }
    const route = this.control.match(req.method, sub)
    if (!route) {
      return { status: 404, body: { error: { message: `No sandbox control route ${req.method} ${req.path}` } } }
    }
    return runHandler(() => route.handler({ ...req, params: route.params }), true)
  }

  private registerControlRoutes(): void {
    const c = this.control
    c.get("/", () => ({ status: 200, body: this.describe() }))
    c.post("/reset", () => {
      this.reset()
      return { status: 200, body: { reset: true } }
    })
    c.get("/requests", (req) => {
      const psp = req.query.get("psp")
      const method = req.query.get("method")
      const path = req.query.get("path")
      const data = this.requests.filter(
        (r) =>
          (!psp || r.psp === psp) && (!method || r.method === method.toUpperCase()) && (!path || r.path.includes(path))
      )
      return { status: 200, body: { data } }
    })
    c.get("/faults", () => ({ status: 200, body: { data: this.faults.list() } }))
    c.post("/faults", (req) => ({ status: 201, body: this.faults.add(req.body as unknown as FaultRule) }))
    c.delete("/faults", () => {
      this.faults.clear()
      return { status: 200, body: { data: [] } }
    })
    c.post("/clock/advance", (req) => {
      const seconds = Number(req.body.seconds)
      if (!Number.isFinite(seconds)) {
        return badControl("Body needs `seconds`, a number of seconds to move the sandbox clock forward.")
      }
      this.clock.advance(seconds * 1000)
      return { status: 200, body: { now: this.clock.iso() } }
    })
    c.post("/webhooks/config", (req) => {
      const psp = req.body.psp as Psp
      if (psp !== "stripe" && psp !== "paypal") {
        return badControl('Body needs `psp`: "stripe" or "paypal".')
      }
      const url = req.body.url as string | null | undefined
      const hold = req.body.hold as boolean | undefined
      this.webhooks.configure(psp, { url, hold })
      return { status: 200, body: { psp, ...this.webhooks.target(psp) } }
    })
    c.get("/webhooks/events", (req) => ({
      status: 200,
      body: { data: this.webhooks.events((req.query.get("psp") as Psp | null) ?? undefined) },
    }))
    c.get("/webhooks/held", (req) => ({
      status: 200,
      body: { data: this.webhooks.heldEvents((req.query.get("psp") as Psp | null) ?? undefined) },
    }))
    c.get("/webhooks/deliveries", () => ({ status: 200, body: { data: this.webhooks.deliveryLog() } }))
    c.post("/webhooks/idle", async () => {
      await this.webhooks.idle()
      return { status: 200, body: { idle: true } }
    })
    c.post("/webhooks/release", async (req) => ({
      status: 200,
      body: { data: await this.webhooks.release(releaseOptions(req.body)) },
    }))
    c.post("/webhooks/redeliver", async (req) => {
      const ids = req.body.event_ids
      if (!Array.isArray(ids) || ids.length === 0) {
        return badControl("Body needs `event_ids`, a non-empty list of event ids.")
      }
      return {
        status: 200,
        body: { data: await this.webhooks.redeliver(ids.map(String), releaseOptions(req.body)) },
      }
    })
  }

  describe(): Record<string, unknown> {
    const o = this.options
    return {
      url: this.url,
      stripe: {
        api_base_url: this.url,
        secret_key: o.stripe.apiKey,
        publishable_key: o.stripe.publishableKey,
        webhook_secret: o.stripe.webhookSecret,
        webhook_url: this.webhooks.target("stripe").url ?? null,
      },
      paypal: {
        api_base_url: `${this.url}/paypal`,
        client_id: o.paypal.clientId,
        client_secret: o.paypal.clientSecret,
        webhook_id: o.paypal.webhookId,
        webhook_url: this.webhooks.target("paypal").url ?? null,
      },
      control_url: `${this.url}/_sandbox`,
    }
  }
}

function releaseOptions(body: Record<string, unknown>): ReleaseOptions {
  return {
    psp: body.psp as Psp | undefined,
    duplicates: body.duplicates === undefined ? undefined : Number(body.duplicates),
    order: body.order as ReleaseOptions["order"],
    concurrent: body.concurrent === true || body.concurrent === "true",
    timestampOffsetSeconds:
      body.timestamp_offset_seconds === undefined ? undefined : Number(body.timestamp_offset_seconds),
  }
}

async function runHandler(handler: () => SandboxResponse | Promise<SandboxResponse>, control = false) {
  try {
    return await handler()
  } catch (e) {
    if (e instanceof SandboxHttpError) {
      return e.response
    }
    if (control) {
      return badControl((e as Error).message)
    }
    throw e
  }
}

function badControl(message: string): SandboxResponse {
  return { status: 400, body: { error: { message } } }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** `POST /v1/oauth2/token` and the Bearer-token check every other PayPal call goes through. */
import { randomBytes } from "node:crypto"
import { header, type Router, type SandboxRequest, type SandboxResponse } from "../core/router"
import type { PayPalFakeContext } from "./context"
import { authenticationFailure } from "./errors"

export const TOKEN_TTL_SECONDS = 32400

const PUBLIC_PATHS = [/^\/v1\/notifications\/certs\/[^/]+\/?$/]

function oauthError(status: number, error: string, description: string): SandboxResponse {
  return { status, body: { error, error_description: description } }
}

function basicCredentials(req: SandboxRequest): { id: string; secret: string } | undefined {
  const auth = header(req, "authorization")
  const match = auth && /^Basic\s+(.+)$/i.exec(auth)
  if (!match) {
    return undefined
  }
  const decoded = Buffer.from(match[1], "base64").toString("utf8")
  const colon = decoded.indexOf(":")
  return colon < 0 ? undefined : { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) }
}

/**
 * The token endpoint takes Basic `client_id:client_secret`; every other call needs a Bearer token it issued (tokens
 * live for `expires_in` seconds of wall-clock time, so advancing the sandbox clock does not log SDK clients out).
 */
export function authenticate(pp: PayPalFakeContext, req: SandboxRequest): SandboxResponse | undefined {
  if (req.path === "/v1/oauth2/token" || req.path === "/v1/oauth2/token/") {
    const creds = basicCredentials(req)
    const expected = pp.sandbox.options.paypal
    if (!creds || creds.id !== expected.clientId || creds.secret !== expected.clientSecret) {
      return oauthError(401, "invalid_client", "Client Authentication failed")
    }
    return undefined
  }
  if (PUBLIC_PATHS.some((p) => p.test(req.path))) {
    return undefined
  }
  const auth = header(req, "authorization")
  const match = auth && /^Bearer\s+(\S+)$/i.exec(auth)
  const expiry = match ? pp.state.tokens.get(match[1]) : undefined
  if (expiry === undefined || expiry < Date.now()) {
    return authenticationFailure()
  }
  return undefined
}

export function registerOAuthRoutes(api: Router, pp: PayPalFakeContext): void {
  api.post("/v1/oauth2/token", (req) => {
    const grant = req.body.grant_type
    if (grant !== "client_credentials") {
      return oauthError(
        400,
        "unsupported_grant_type",
        `Grant Type is NULL or not supported: ${String(grant ?? "")}`.trim()
      )
    }
    const token = `A21AA${randomBytes(48).toString("base64url")}`
    pp.state.tokens.set(token, Date.now() + TOKEN_TTL_SECONDS * 1000)
    return {
      status: 200,
      body: {
        scope:
          "https://uri.paypal.com/services/payments/payment/authcapture https://uri.paypal.com/services/payments/refund https://uri.paypal.com/services/disputes/read-seller https://uri.paypal.com/services/applications/webhooks openid",
        access_token: token,
        token_type: "Bearer",
        app_id: "APP-80W284485P519543T",
        expires_in: TOKEN_TTL_SECONDS,
        nonce: `${new Date().toISOString().replace(/\.\d{3}Z$/, "Z")}${randomBytes(16).toString("base64url")}`,
      },
    }
  })
}

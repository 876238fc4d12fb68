/**
 * The key and certificates with which the fake signs webhooks, as PayPal does with the cert at `paypal-cert-url`.
 * The leaf's RSA key pair is made synchronously (signing must not wait); the X.509 certificates (a sandbox CA and a
 * leaf `CN=messageverificationcerts.sandbox.paypal.com` it signs) are made with `selfsigned`, asynchronously, once per
 * process, and awaited by the routes that serve them.
 */
import { generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto"
import { generate } from "selfsigned"

export const LEAF_COMMON_NAME = "messageverificationcerts.sandbox.paypal.com"

export interface PayPalCertificates {
  /** The leaf certificate (PEM) that verifies webhook signatures. */
  cert: string
  /** The sandbox CA certificate (PEM) that signed the leaf: a consumer's trust anchor in tests. */
  caCert: string
}

interface KeyMaterial {
  certId: string
  privateKey: KeyObject
  publicKey: KeyObject
  privatePem: string
  publicPem: string
}

let material: KeyMaterial | undefined
let certificates: Promise<PayPalCertificates> | undefined

function keys(): KeyMaterial {
  if (!material) {
    const pair = generateKeyPairSync("rsa", { modulusLength: 2048 })
    material = {
      certId: `CERT-360caa42-fca2a594-${randomBytes(4).toString("hex")}`,
      privateKey: pair.privateKey,
      publicKey: pair.publicKey,
      privatePem: pair.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      publicPem: pair.publicKey.export({ type: "spki", format: "pem" }).toString(),
    }
  }
  return material
}

async function makeCertificates(m: KeyMaterial): Promise<PayPalCertificates> {
  const notBeforeDate = new Date(Date.now() - 24 * 3600 * 1000)
  const notAfterDate = new Date(Date.now() + 365 * 24 * 3600 * 1000)
  const ca = await generate(
    [
      { name: "commonName", value: "PSP Sandbox PayPal Test CA" },
      { name: "organizationName", value: "medusa-payment-orchestrator sandbox" },
    ],
    {
      keyType: "rsa",
      keySize: 2048,
      algorithm: "sha256",
      notBeforeDate,
      notAfterDate,
      extensions: [
        { name: "basicConstraints", cA: true, critical: true },
        { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
      ],
    }
  )
  const leaf = await generate(
    [
      { name: "commonName", value: LEAF_COMMON_NAME },
      { name: "organizationName", value: "PayPal, Inc." },
      { name: "countryName", value: "US" },
    ],
    {
      keyType: "rsa",
      algorithm: "sha256",
      notBeforeDate,
      notAfterDate,
      keyPair: { privateKey: m.privatePem, publicKey: m.publicPem },
      ca: { key: ca.private, cert: ca.cert },
      extensions: [
        { name: "basicConstraints", cA: false },
        { name: "keyUsage", digitalSignature: true, critical: true },
      ],
    }
  )
  return { cert: leaf.cert, caCert: ca.cert }
}

/** The process-wide PayPal signing identity of the sandbox. */
export const paypalSigningIdentity = {
  certId(): string {
    return keys().certId
  },
  privateKey(): KeyObject {
    return keys().privateKey
  },
  publicKey(): KeyObject {
    return keys().publicKey
  },
  /** Starts making the certificates if needed; resolves once they exist. */
  certificates(): Promise<PayPalCertificates> {
    if (!certificates) {
      certificates = makeCertificates(keys())
      certificates.catch(() => (certificates = undefined))
    }
    return certificates
  },
}

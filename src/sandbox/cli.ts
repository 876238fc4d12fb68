#!/usr/bin/env node
import { parseArgs } from "node:util"
import { SANDBOX_DEFAULTS, startSandbox } from "./index"

const usage = `Usage: medusa-payment-orchestrator-sandbox [options]

Runs local, stateful fakes of the Stripe and PayPal APIs.

Options:
  --port <n>                 port to listen on (default ${SANDBOX_DEFAULTS.port}; 0 picks a free one)
  --host <host>              address to bind (default ${SANDBOX_DEFAULTS.host})
  --stripe-webhook-url <url> where Stripe events are POSTed (e.g. http://localhost:9000/hooks/payment/stripe_stripe)
  --paypal-webhook-url <url> where PayPal events are POSTed (e.g. http://localhost:9000/hooks/payment/paypal_paypal)
  -h, --help                 show this help`

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      host: { type: "string" },
      "stripe-webhook-url": { type: "string" },
      "paypal-webhook-url": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  })
  if (values.help) {
    console.log(usage)
    return
  }
  const port = values.port === undefined ? SANDBOX_DEFAULTS.port : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a whole number from 0 to 65535, not "${values.port}".`)
    process.exitCode = 2
    return
  }
  const sandbox = await startSandbox({
    port,
    host: values.host,
    stripe: { webhookUrl: values["stripe-webhook-url"] },
    paypal: { webhookUrl: values["paypal-webhook-url"] },
  })
  console.log(`PSP sandbox listening on ${sandbox.url} (sandbox keys only: not secrets)

Stripe   apiBaseUrl:    ${sandbox.stripe.apiBaseUrl}
         apiKey:        ${sandbox.stripe.apiKey}
         webhookSecret: ${sandbox.stripe.webhookSecret}
PayPal   apiBaseUrl:    ${sandbox.paypal.apiBaseUrl}
         clientId:      ${sandbox.paypal.clientId}
         clientSecret:  ${sandbox.paypal.clientSecret}
         webhookId:     ${sandbox.paypal.webhookId}
Control  ${sandbox.url}/_sandbox`)
  const stop = (): void => {
    void sandbox.close().then(() => process.exit(0))
  }
  process.on("SIGINT", stop)
  process.on("SIGTERM", stop)
}

main().catch((e: Error) => {
  console.error(`The sandbox could not start: ${e.message}`)
  process.exitCode = 1
})

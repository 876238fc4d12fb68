/** Disputes v1, read-only: `GET /v1/customer/disputes` and `GET /v1/customer/disputes/:id`. */
import type { Router } from "../core/router"
import type { PayPalFakeContext } from "./context"
import { notFound } from "./errors"
import { isoTime } from "./objects"

export function registerDisputeRoutes(api: Router, pp: PayPalFakeContext): void {
  api.get("/v1/customer/disputes", (req) => {
    const txn = req.query.get("disputed_transaction_id")
    const state = req.query.get("dispute_state")
    const items = [...pp.state.disputes.values()]
      .filter((d) => !txn || d.captureId === txn)
      .filter((d) => !state || (state === "RESOLVED" ? d.status === "RESOLVED" : d.status !== "RESOLVED"))
      .sort((a, b) => b.createTime - a.createTime)
      .map((d) => {
        const json = pp.render.dispute(d)
        return {
          dispute_id: json.dispute_id,
          create_time: json.create_time,
          update_time: isoTime(d.updateTime),
          reason: json.reason,
          status: json.status,
          dispute_amount: json.dispute_amount,
          ...(json.dispute_outcome ? { dispute_outcome: json.dispute_outcome } : {}),
          dispute_life_cycle_stage: json.dispute_life_cycle_stage,
          dispute_channel: json.dispute_channel,
          links: json.links,
        }
      })
    return { status: 200, body: { items, links: [pp.render.link("/v1/customer/disputes", "self")] } }
  })

  api.get("/v1/customer/disputes/:id", (req) => {
    const d = pp.state.disputes.get(req.params.id)
    if (!d) {
      throw notFound("Specified resource ID does not exist. Please check the resource ID and try again.")
    }
    return { status: 200, body: pp.render.dispute(d) }
  })
}

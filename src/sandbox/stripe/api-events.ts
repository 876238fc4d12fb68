/** `/v1/events`: retrieve and list (`?type=`, wildcards like `charge.*`, `types[]=`). */
import type { StripeFakeContext } from "./context"
import { resourceMissing } from "./errors"
import type { ApiRoutes } from "./http"
import { list, ok } from "./params"

function typeMatches(pattern: string, type: string): boolean {
  return pattern.endsWith(".*") ? type.startsWith(pattern.slice(0, -1)) : pattern === type
}

export function registerEventRoutes(f: StripeFakeContext, api: ApiRoutes): void {
  api.get("/events", (req, meta) => {
    const patterns = [...req.query].filter(([k]) => k === "type" || k.startsWith("types")).map(([, v]) => v)
    const items = f.state.events.filter((e) => patterns.length === 0 || patterns.some((p) => typeMatches(p, e.type)))
    return ok(list(req, [...items].reverse(), "/v1/events"), meta)
  })

  api.get("/events/:id", (req, meta) => {
    const event = f.state.events.find((e) => e.id === req.params.id)
    if (!event) {
      throw resourceMissing("event", req.params.id)
    }
    return ok(event, meta)
  })
}

/** A parsed request body: JSON as is, form-encoded bodies as nested objects. */
export type ParsedBody = Record<string, unknown>

/**
 * Parses `application/x-www-form-urlencoded` the way Stripe does: `metadata[order]=1` becomes
 * `{ metadata: { order: "1" } }`, `expand[0]=a&expand[1]=b` and `expand[]=a` become arrays.
 */
export function parseForm(raw: string): ParsedBody {
  const out: ParsedBody = {}
  for (const [fullKey, value] of new URLSearchParams(raw)) {
    const head = fullKey.split("[", 1)[0]
    const rest = [...fullKey.slice(head.length).matchAll(/\[([^\]]*)\]/g)].map((m) => m[1])
    const path = [head, ...rest]
    let node: Record<string, unknown> | unknown[] = out
    path.forEach((segment, i) => {
      const last = i === path.length - 1
      const nextIsIndex = !last && /^\d*$/.test(path[i + 1])
      if (Array.isArray(node)) {
        const index = segment === "" ? node.length : Number(segment)
        if (last) {
          node[index] = value
        } else {
          node[index] ??= nextIsIndex ? [] : {}
          node = node[index] as Record<string, unknown> | unknown[]
        }
        return
      }
      if (last) {
        node[segment] = value
      } else {
        node[segment] ??= nextIsIndex ? [] : {}
        node = node[segment] as Record<string, unknown> | unknown[]
      }
    })
  }
  return out
}

export function parseBody(raw: Buffer, contentType: string | undefined): ParsedBody {
  if (raw.length === 0) {
    return {}
  }
  const text = raw.toString("utf8")
  if (contentType?.includes("application/json")) {
    try {
      const parsed: unknown = JSON.parse(text)
      return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as ParsedBody) : {}
    } catch {
      throw new BodyParseError("Request body is not valid JSON.")
    }
  }
  return parseForm(text)
}

export class BodyParseError extends Error {}

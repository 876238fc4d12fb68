/**
 * The browser stand-ins as scripts: the install function's own source (TypeScript already compiled by whatever loaded
 * the sandbox: tsc for the package, swc under ts-node and jest), called with its configuration. The stand-ins import
 * nothing but types, so their source is the whole script: no bundler, and the package serves exactly what it tested.
 */
export function browserScript<C>(install: (w: never, config: C) => void, config: C): string {
  return `;(${install.toString()})(window, ${JSON.stringify(config)});\n`
}

export const JAVASCRIPT = { "content-type": "application/javascript; charset=utf-8", "cache-control": "no-store" }
export const HTML = { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }

/** Text for an HTML page (the pages show ids and amounts the sandbox holds, escaped all the same). */
export function escapeHtml(value: unknown): string {
  return String(value).replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!
  )
}

const STYLE =
  "body{font:15px system-ui,sans-serif;margin:0;padding:24px;color:#1a1a1a}" +
  "h1{font-size:18px;margin:0 0 8px}p{margin:8px 0}.row{display:flex;gap:12px;margin-top:20px}" +
  "button{flex:1;padding:12px;border-radius:6px;border:1px solid #ccc;font:inherit;cursor:pointer}" +
  "button.primary{background:#0070ba;color:#fff;border-color:#0070ba}.note{color:#666;font-size:13px}" +
  ".error{color:#b00020}"

/** A page of the sandbox: its title, body and inline script. */
export function page(title: string, body: string, script = ""): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
    `<style>${STYLE}</style></head><body>${body}<script>${script}</script></body></html>`
  )
}

/**
 * The store's PostgreSQL URL: DATABASE_URL when set, otherwise built from DB_HOST, DB_PORT, DB_USERNAME, DB_PASSWORD
 * and DB_NAME, with defaults that work on a machine with a local PostgreSQL and trust auth.
 */
function resolveDatabaseUrl(env = process.env) {
  if (env.DATABASE_URL) {
    return env.DATABASE_URL
  }
  const host = env.DB_HOST || "127.0.0.1"
  const port = env.DB_PORT || "5432"
  const user = encodeURIComponent(env.DB_USERNAME || "postgres")
  const password = env.DB_PASSWORD ? `:${encodeURIComponent(env.DB_PASSWORD)}` : ""
  const name = env.DB_NAME || "medusa_payment_orchestrator"
  return `postgres://${user}${password}@${host}:${port}/${name}`
}

/** The URL with any password masked, for messages. */
function redactDatabaseUrl(url) {
  try {
    const parsed = new URL(url)
    if (parsed.password) {
      parsed.password = "****"
    }
    return parsed.toString()
  } catch {
    return "(unparseable DATABASE_URL)"
  }
}

module.exports = { resolveDatabaseUrl, redactDatabaseUrl }

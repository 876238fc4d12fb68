const { Client } = require("pg")
const { redactDatabaseUrl } = require("./database-url")

/**
 * Connects once to PostgreSQL and, when that fails, exits with a sentence that says which URL was tried and how to
 * point the project at another database, instead of a stack trace from deep inside Medusa.
 */
async function checkDatabase(url, { purpose = "the store" } = {}) {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 })
  try {
    await client.connect()
    await client.query("select 1")
  } catch (e) {
    const reason = e && e.code === "3D000" ? "the database does not exist yet" : (e && e.message) || String(e)
    console.error(
      [
        `Cannot reach PostgreSQL for ${purpose} at ${redactDatabaseUrl(url)}: ${reason}.`,
        "Start PostgreSQL (e.g. `pg_ctlcluster 15 main start`), or point the project at yours with DATABASE_URL",
        "(postgres://user:password@host:5432/name) or DB_HOST, DB_PORT, DB_USERNAME, DB_PASSWORD and DB_NAME.",
      ].join("\n")
    )
    return false
  } finally {
    await client.end().catch(() => undefined)
  }
  return true
}

module.exports = { checkDatabase }

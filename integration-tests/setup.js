const { MetadataStorage } = require("@medusajs/framework/mikro-orm/core")

MetadataStorage.clear()

// Medusa's test runner names its database after JEST_WORKER_ID. Two test runs at once on one machine (two terminals,
// two worktrees) would share it; TEST_DB_SLOT gives each run its own database.
if (process.env.TEST_DB_SLOT) {
  process.env.JEST_WORKER_ID = process.env.TEST_DB_SLOT
}

// HTTP files: each file's database is a copy of the run's migrated template (template-db.js).
require("./template-db").useTemplate()

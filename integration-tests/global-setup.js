/** Jest global setup/teardown: the HTTP phase's migrated template database (see template-db.js). */
const { buildTemplate } = require("./template-db")

module.exports = async () => {
  await buildTemplate()
}

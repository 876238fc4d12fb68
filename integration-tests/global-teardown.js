/** Jest global teardown: drops the HTTP phase's template database (see template-db.js). */
const { dropTemplate } = require("./template-db")

module.exports = async () => {
  await dropTemplate()
}

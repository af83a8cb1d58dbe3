const cds = require("@sap/cds");

// Loaded by `cds-serve` before it boots. DB_FILE puts the SQLite database in a file, as in the Java sample (whose
// pool has one connection to one file); without it the database is in memory. A file gets the schema at start.
const file = process.env.DB_FILE;
if (file) {
  cds.env.requires.db.credentials = { url: file };
  cds.on("served", () => cds.deploy("*").to(cds.db));
}

module.exports = cds.server;

/**
 * One migrated database per HTTP test run instead of one migration per test file.
 *
 * Medusa's test runner (@medusajs/test-utils medusaIntegrationTestRunner) creates an empty database for every file and
 * runs every module's migrations into it (~300 tables), which costs each file as much as its slowest test. Here Jest's
 * global setup migrates one template database once, with `medusa db:migrate` on this repository's medusa-config.ts (the
 * same modules, migrations and links the runner would apply), and each file's database is then created from it with
 * `CREATE DATABASE … TEMPLATE …` (a file copy). The runner still syncs the links and boots the app as before; only the
 * module migrations, already applied in the copy, are skipped. The template is dropped by the global teardown.
 *
 * The runner's snapshot/restore between tests is replaced too (see useTemplate). Set MEDUSA_TEST_NO_DB_TEMPLATE=1 to
 * fall back to the runner's own per-file migrations and per-test database copies.
 */
const { spawnSync } = require("node:child_process")
const path = require("node:path")
const { Client } = require("pg")

const root = path.resolve(__dirname, "..")
/** Only the HTTP files use this repository's store; the package test migrates its own fixture store. */
const PHASES = ["integration:http"]

function enabled() {
  return PHASES.includes(process.env.TEST_TYPE) && !process.env.MEDUSA_TEST_NO_DB_TEMPLATE
}

/** Per run slot (TEST_DB_SLOT), like the runner's own database names, so two runs on one machine do not collide. */
function templateName() {
  return `medusa-po-template-${process.env.TEST_DB_SLOT || process.env.JEST_WORKER_ID || "1"}`
}

function serverUrl(database) {
  const user = encodeURIComponent(process.env.DB_USERNAME || "postgres")
  const password = process.env.DB_PASSWORD ? `:${encodeURIComponent(process.env.DB_PASSWORD)}` : ""
  const host = process.env.DB_HOST || "localhost"
  return `postgres://${user}${password}@${host}:${process.env.DB_PORT || 5432}/${encodeURIComponent(database)}`
}

const quote = (name) => `"${name.replace(/"/g, '""')}"`

async function withClient(fn) {
  const client = new Client({ connectionString: serverUrl("postgres") })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end().catch(() => undefined)
  }
}

async function dropTemplate() {
  if (!enabled()) {
    return
  }
  await withClient((c) => c.query(`drop database if exists ${quote(templateName())} with (force)`))
}

/** Jest global setup: a fresh template, migrated by Medusa's CLI (no migration scripts: the runner runs none). */
async function buildTemplate() {
  if (!enabled()) {
    return
  }
  await dropTemplate()
  await withClient((c) => c.query(`create database ${quote(templateName())}`))
  const env = { ...process.env, DATABASE_URL: serverUrl(templateName()), MEDUSA_DISABLE_TELEMETRY: "true" }
  delete env.NODE_OPTIONS
  delete env.TEST_TYPE
  const run = spawnSync(
    path.join(root, "node_modules", ".bin", "medusa"),
    ["db:migrate", "--skip-scripts", "--execute-all-links"],
    { cwd: root, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }
  )
  if (run.status !== 0) {
    await dropTemplate().catch(() => undefined)
    throw new Error(
      `Migrating the test template database failed (exit ${run.status ?? run.signal}):\n${`${run.stdout}${run.stderr}`
        .split("\n")
        .slice(-40)
        .join("\n")}`
    )
  }
}

/**
 * In each test file (Jest setupFiles): the runner's "create database" copies the template when it exists, and its
 * module migrations are skipped for a database made that way.
 */
function useTemplate() {
  if (!enabled()) {
    return
  }
  const pgTemplate = require("@medusajs/test-utils/dist/medusa-test-runner-utils/postgres-template")
  const useDb = require("@medusajs/test-utils/dist/medusa-test-runner-utils/use-db")
  const template = templateName()
  const copied = new Set()
  const createDatabase = pgTemplate.createDatabase
  pgTemplate.createDatabase = async (options, credentials) => {
    const exists = await withClient(
      async (c) => (await c.query("select 1 from pg_database where datname = $1", [template])).rowCount > 0
    )
    if (!exists) {
      return createDatabase(options, credentials)
    }
    await withClient(async (c) => {
      await c.query(`drop database if exists ${quote(options.databaseName)} with (force)`)
      await c.query(`create database ${quote(options.databaseName)} template ${quote(template)}`)
    })
    copied.add(options.databaseName)
  }
  const migrateDatabase = useDb.migrateDatabase
  // One runner per test file (each file has its own module registry), so one database.
  useDb.migrateDatabase = async (appLoader) => (copied.size ? undefined : migrateDatabase(appLoader))

  // The runner snapshots the file's database after its beforeAll hooks and restores it before every test by dropping
  // it and copying it back from a snapshot database: ~8 s a test on a loaded machine (DROP DATABASE waits for a
  // checkpoint), and the app's connections are cut each time. The same snapshot and restore in place: the rows of
  // every table (and every sequence's position) are saved in a schema of the database itself, and a restore empties
  // the tables and puts those rows back, in one transaction.
  pgTemplate.createPostgresDatabaseTemplate = ({ databaseName }) => inDatabase(databaseName, SNAPSHOT_SQL)
  pgTemplate.restorePostgresDatabaseFromTemplate = ({ databaseName }) => inDatabase(databaseName, RESTORE_SQL)
  // The snapshot lives in the file's database, which the runner drops at the end.
  pgTemplate.dropPostgresDatabaseTemplate = async () => undefined
}

const SNAPSHOT_SCHEMA = "test_snapshot"

/** The plugin's and Medusa's tables (partitions are saved and restored through their parent). */
const TABLES = `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition`

const SNAPSHOT_SQL = `
drop schema if exists ${SNAPSHOT_SCHEMA} cascade;
create schema ${SNAPSHOT_SCHEMA};
create table ${SNAPSHOT_SCHEMA}."__sequences" as
  select sequencename as name, last_value, start_value from pg_sequences where schemaname = 'public';
do $$
declare t record; has_rows boolean;
begin
  for t in ${TABLES} loop
    execute format('select exists (select 1 from public.%I)', t.name) into has_rows;
    if has_rows then
      execute format('create table ${SNAPSHOT_SCHEMA}.%I as select * from public.%I', t.name, t.name);
    end if;
  end loop;
end $$;`

const RESTORE_SQL = `
begin;
set local session_replication_role = replica;
do $$
declare t record; cols text;
begin
  for t in ${TABLES} loop
    execute format('delete from public.%I', t.name);
  end loop;
  for t in select table_name as name from information_schema.tables
      where table_schema = '${SNAPSHOT_SCHEMA}' and table_name <> '__sequences' loop
    select string_agg(quote_ident(column_name), ', ' order by ordinal_position) into cols
      from information_schema.columns
      where table_schema = 'public' and table_name = t.name and is_generated = 'NEVER';
    execute format('insert into public.%I (%s) overriding system value select %s from ${SNAPSHOT_SCHEMA}.%I',
      t.name, cols, cols, t.name);
  end loop;
  for t in select * from ${SNAPSHOT_SCHEMA}."__sequences" loop
    perform setval(format('public.%I', t.name), coalesce(t.last_value, t.start_value), t.last_value is not null);
  end loop;
end $$;
commit;`

async function inDatabase(databaseName, sql) {
  const client = new Client({ connectionString: serverUrl(databaseName) })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end().catch(() => undefined)
  }
}

module.exports = { buildTemplate, dropTemplate, useTemplate, templateName }

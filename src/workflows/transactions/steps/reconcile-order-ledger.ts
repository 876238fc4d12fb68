/**
 * The ledger is no longer reconciled on reads: `readOrderLedgerStep` reads it, `recordLedgerStep` writes the rows of
 * the records that moved money (`src/workflows/ledger`). Re-exported here for the files that import this path.
 */
export type { OrderLedger } from "../../ledger/order-ledger"
export { readOrderLedger } from "../../ledger/order-ledger"
export { readOrderLedgerStep, recordLedgerStep } from "../../ledger/steps"

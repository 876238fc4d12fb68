export {
  ledgerEntryOf,
  readOrderLedger,
  recordOrderLedger,
  type LedgerWriteTarget,
  type OrderLedger,
} from "./order-ledger"
export { readOrderLedgerStep, recordLedgerStep } from "./steps"
export { recordOrderLedgerWorkflow } from "./record-order-ledger"

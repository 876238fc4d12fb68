export * from "./sync-psp-event"
export * from "./sync-payment-refunds"
export * from "./sync-dispute"
export { SYNC_EVENTS, CHARGEBACK_REASON_CODE } from "./payment-sync"

export * from "./transactions"
export * from "./webhook-sync"
export * from "./payments/grant-off-session-payment"
export * from "./reconcile"

export * from "./transactions"
export * from "./webhook-sync"

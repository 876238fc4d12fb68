export * from "./transactions"

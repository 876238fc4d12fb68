import type { ChildProcess } from "node:child_process"

export interface MedusaServer {
  pid: number | undefined
  child: ChildProcess
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  isRunning(): boolean
  stop(graceMs?: number): Promise<void>
}

export interface SeededStoreFile {
  region_id: string
  sales_channel_id: string
  publishable_key: string
  shipping_option_id: string
  product_id: string
  variant_id: string
  created: boolean
  admin_created: boolean | null
}

export declare const root: string
export declare function freePort(): Promise<number>
export declare function withDatabaseName(url: string, name: string): string
export declare function databaseName(url: string): string
export declare function ensureDatabase(url: string, options?: { fresh?: boolean }): Promise<boolean>
export declare function dropDatabase(url: string): Promise<void>
export declare function storeEnv(options: {
  databaseUrl: string
  port: number
  sandboxUrl: string
  extra?: Record<string, string>
}): NodeJS.ProcessEnv
export declare function runMedusa(
  args: string[],
  options?: { env?: NodeJS.ProcessEnv; output?: "inherit" | string }
): unknown
export declare function prepareStore(options: {
  env: NodeJS.ProcessEnv
  admin: { email: string; password: string }
  seedOutput: string
  output?: "inherit" | string
  onStep?: (message: string) => void
}): SeededStoreFile
export declare function startMedusa(options: {
  command?: "develop" | "start"
  env: NodeJS.ProcessEnv
  output?: "inherit" | string
}): MedusaServer
export declare function waitForHealth(
  baseUrl: string,
  options?: { timeoutMs?: number; server?: MedusaServer }
): Promise<boolean>

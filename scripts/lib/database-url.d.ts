export declare function resolveDatabaseUrl(env?: NodeJS.ProcessEnv): string
export declare function redactDatabaseUrl(url: string): string

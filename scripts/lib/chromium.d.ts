import type { Browser, LaunchOptions } from "playwright-core"

export declare const CHROMIUM_ARGS: string[]
export declare function chromiumPath(env?: NodeJS.ProcessEnv): string
export declare function launchChromium(options?: LaunchOptions): Promise<Browser>

import { useEffect, useState } from "react"

/** The current time, refreshed every `intervalMs`, so time-based warnings (authorization expiry) stay current. */
export function useCurrentTime(intervalMs = 60_000): Date {
  const [now, setNow] = useState(() => new Date())
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), intervalMs)
    return () => clearInterval(timer)
  }, [intervalMs])
  return now
}

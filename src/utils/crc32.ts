import * as zlib from "node:zlib"

/**
 * CRC-32 (IEEE) of the bytes, unsigned: the checksum in PayPal's webhook transmission signature. Node has `zlib.crc32`
 * from 20.15 on (the package's engines ask for 20.19 or later); its type is missing from older `@types/node`.
 */
export function crc32(data: Buffer | string): number {
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data
  return (zlib as unknown as { crc32(data: Buffer): number }).crc32(bytes) >>> 0
}

import { createHash } from "node:crypto"

/** Crockford's base32, the alphabet of the ULIDs in Medusa's ids. */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

/**
 * The ledger id of the line behind a Medusa record (`pay_…`, `capt_…`, `ref_…`, `ref_…~1` for the second part of a
 * refund split over captures): `potx_` and 26 characters, like Medusa's own ids, derived from the source id alone. So a
 * line has its id before its row is written, and the same id after: a read that writes nothing and the write that
 * follows the money agree. Rows written with random ids by earlier versions keep theirs (the row wins).
 */
export function ledgerTransactionId(sourceId: string): string {
  const digest = createHash("sha256").update(`orchestrator_transaction:${sourceId}`).digest()
  let out = ""
  let buffer = 0
  let bits = 0
  for (const byte of digest) {
    buffer = (buffer << 8) | byte
    bits += 8
    while (bits >= 5 && out.length < 26) {
      out += ALPHABET[(buffer >> (bits - 5)) & 31]
      bits -= 5
    }
    buffer &= (1 << bits) - 1
    if (out.length === 26) {
      break
    }
  }
  return `potx_${out}`
}

import { statements } from './statements.js'

/**
 * Data-sharing extracts: the secret key each force holds for each sharing agreement. Pseudonymous ids in an extract
 * are HMAC-SHA-256 of the record's id under that key, so one recipient's ids are stable from extract to extract and
 * cannot be matched with another recipient's. The key never leaves the database; it is made on the first extract.
 * Each extract itself is recorded in the audit ledger (who, agreement, period, rows, sha-256 of the file).
 */
const up = [
  `create table data_sharing_keys (
    force_id uuid not null references forces (id),
    agreement text not null,
    secret bytea not null check (length(secret) >= 32),
    created_at timestamptz not null,
    primary key (force_id, agreement)
  )`,
]

const down = ['drop table data_sharing_keys']

export const dataSharing = statements(up, down)

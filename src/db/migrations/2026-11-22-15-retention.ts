import { statements } from './statements.js'

/**
 * Each force's retention periods for working records (src/domain/retention/): a row only where the force has set
 * its own period; otherwise the default applies. Changes are audited.
 */
const up = [
  `create table retention_policies (
    force_id uuid not null references forces (id),
    record_type text not null,
    keep_days integer not null check (keep_days > 0),
    updated_at timestamptz not null,
    updated_by uuid references users (id),
    primary key (force_id, record_type)
  )`,
]

const down = ['drop table retention_policies']

export const retention = statements(up, down)

import { statements } from './statements.js'

/**
 * Deployment authorisations and the threat and risk assessment.
 *
 * An authorising officer holds an accreditation with a first and last valid day; each authorisation names the one it
 * relied on. An authorisation is recorded against an incident reference and linked to the incident (and so to its
 * reports) when one exists: often the authorisation comes first. Incident counts are the control room's immediate
 * and prompt incidents per month, imported from CSV, for the funnel's first stage.
 *
 * An approved threat and risk assessment is immutable, enforced here as well as in the service: the trigger refuses
 * any change to an approved row except recording, once, the day the PCC and the community were told.
 */
const up = [
  `create table authorising_accreditations (
    id uuid primary key default gen_random_uuid(),
    force_id uuid not null references forces (id),
    person_id uuid not null references personnel (id),
    valid_from date not null,
    expires_on date not null,
    granted_by_user_id uuid references users (id),
    created_at timestamptz not null default now(),
    check (expires_on >= valid_from)
  )`,
  `create index authorising_accreditations_person_idx on authorising_accreditations (person_id, valid_from)`,
  `create table deployment_authorisations (
    id uuid primary key default gen_random_uuid(),
    force_id uuid not null references forces (id),
    authorised_at timestamptz not null,
    authoriser_person_id uuid not null references personnel (id),
    recorded_by_user_id uuid not null references users (id),
    accreditation_id uuid not null references authorising_accreditations (id),
    incident_reference text not null,
    incident_id uuid references incidents (id),
    grade text not null check (grade in ('immediate', 'prompt', 'planned')),
    rationale text not null,
    created_at timestamptz not null default now()
  )`,
  `create index deployment_authorisations_time_idx on deployment_authorisations (force_id, authorised_at)`,
  `create index deployment_authorisations_incident_idx on deployment_authorisations (incident_id)`,
  `create index deployment_authorisations_reference_idx on deployment_authorisations (force_id, incident_reference)`,
  `create table deployment_authorisation_officers (
    authorisation_id uuid not null references deployment_authorisations (id) on delete cascade,
    person_id uuid not null references personnel (id),
    primary key (authorisation_id, person_id)
  )`,
  `create table incident_counts (
    force_id uuid not null references forces (id),
    month date not null check (extract(day from month) = 1),
    immediate integer not null check (immediate >= 0),
    prompt integer not null check (prompt >= 0),
    imported_by_user_id uuid references users (id),
    imported_at timestamptz not null,
    primary key (force_id, month)
  )`,
  `create table threat_assessments (
    id uuid primary key default gen_random_uuid(),
    force_id uuid not null references forces (id),
    version integer not null check (version >= 1),
    status text not null check (status in ('draft', 'approved')),
    period_from date not null,
    period_to date not null,
    evidence jsonb,
    evidence_generated_at timestamptz,
    decision text not null default '',
    targets jsonb not null default '[]',
    created_by_user_id uuid references users (id),
    created_at timestamptz not null,
    updated_at timestamptz not null,
    approved_by_user_id uuid references users (id),
    approved_at timestamptz,
    pcc_informed_on date,
    community_informed_on date,
    unique (force_id, version),
    check (period_to >= period_from),
    check (status = 'draft' or (approved_by_user_id is not null and approved_at is not null and evidence is not null))
  )`,
  `create unique index threat_assessments_one_draft on threat_assessments (force_id) where status = 'draft'`,
  `create function threat_assessment_is_immutable_once_approved() returns trigger language plpgsql as $$
    declare
      informed constant text[] := array['pcc_informed_on', 'community_informed_on'];
    begin
      if old.status <> 'approved' then
        return case when tg_op = 'DELETE' then old else new end;
      end if;
      if tg_op = 'DELETE'
        or (to_jsonb(new) - informed) <> (to_jsonb(old) - informed)
        or (old.pcc_informed_on is not null and new.pcc_informed_on is distinct from old.pcc_informed_on)
        or (old.community_informed_on is not null and new.community_informed_on is distinct from old.community_informed_on)
      then
        raise exception 'threat assessment version % is approved and cannot be changed', old.version
          using errcode = 'insufficient_privilege';
      end if;
      return new;
    end
  $$`,
  `create trigger threat_assessments_immutable before update or delete on threat_assessments
    for each row execute function threat_assessment_is_immutable_once_approved()`,
]

const down = [
  'drop table threat_assessments',
  'drop function threat_assessment_is_immutable_once_approved',
  'drop table incident_counts',
  'drop table deployment_authorisation_officers',
  'drop table deployment_authorisations',
  'drop table authorising_accreditations',
]

export const authorisations = statements(up, down)

import { statements } from './statements.js'

/**
 * The audit chain's head moves into a row per chain, so an append needs no explicit lock, no separate read of the
 * head and no transaction of its own: a report submission becomes one statement (see "The audit chain" in the
 * README's Design notes).
 *
 * audit_chain_heads holds, per chain ("<force id or national>:<lane>"), the id and hash of its last entry.
 * audit_chain_advance(...) appends one link: it locks the chain's head row (at READ COMMITTED a waiter then reads
 * the head its predecessor committed, as every statement in a PL/pgSQL function takes a fresh snapshot), takes the
 * entry's id from the sequence only once it holds the lock (so ids follow chain order), hashes the canonical text
 * Node sent with the id and previous hash spliced in, and moves the head on. The caller inserts the entry in the
 * same statement or transaction; verification checks that every head matches its chain's last entry.
 */
const up = [
  `create table audit_chain_heads (
    chain text primary key,
    last_id bigint,
    hash text
  )`,
  // Chains already in the ledger start from their last entry.
  `insert into audit_chain_heads (chain, last_id, hash)
    select distinct on (force_id, lane) coalesce(force_id::text, 'national') || ':' || lane, id, hash
    from audit_log order by force_id, lane, id desc`,
  `create function audit_chain_advance(
      p_force_id uuid, p_lane smallint, p_text_before_id text, p_text_before_prev text, p_text_after_prev text,
      out entry_id bigint, out entry_prev_hash text, out entry_hash text)
    language plpgsql as $$
    declare
      v_chain text := coalesce(p_force_id::text, 'national') || ':' || p_lane;
    begin
      select h.hash into entry_prev_hash from audit_chain_heads h where h.chain = v_chain for update;
      if not found then
        insert into audit_chain_heads (chain) values (v_chain) on conflict do nothing;
        select h.hash into entry_prev_hash from audit_chain_heads h where h.chain = v_chain for update;
      end if;
      entry_id := nextval('audit_log_id_seq');
      entry_hash := encode(sha256(convert_to(
        p_text_before_id || entry_id || p_text_before_prev || coalesce('"' || entry_prev_hash || '"', 'null')
          || p_text_after_prev, 'UTF8')), 'hex');
      update audit_chain_heads h set last_id = entry_id, hash = entry_hash where h.chain = v_chain;
    end
  $$`,
]

const down = [`drop function audit_chain_advance(uuid, smallint, text, text, text)`, 'drop table audit_chain_heads']

export const submissionPath = statements(up, down)

-- The worker's claim wants unfinished jobs that are due and not leased: next_run_at <= now AND
-- lease_expires_at <= now, i.e. GREATEST(next_run_at, lease_expires_at) <= now. Indexed on next_run_at alone, every
-- claim stepped over all the jobs in flight (leased, but still due) before reaching one it could take; indexed on the
-- GREATEST, a leased job sits at its lease's expiry and a claim reads only the rows it takes.
DROP INDEX jobs_due_idx;
CREATE INDEX jobs_claimable_idx ON jobs (GREATEST(next_run_at, lease_expires_at))
    WHERE status IN ('queued', 'in_progress');

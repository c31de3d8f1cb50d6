-- Jobs whose worker died: a running job's worker stamps heartbeat_at every few seconds
-- (src/jobs/heartbeat.ts); a sweep fails running jobs whose heartbeat is too old, so a killed
-- `gengbao worker` no longer leaves its job "running" for ever.
ALTER TABLE jobs ADD COLUMN heartbeat_at timestamptz;
CREATE INDEX jobs_running ON jobs (heartbeat_at) WHERE status = 'running';

-- The record becomes a hash chain (src/cases/record.ts): `seq` is assigned by the appender as
-- head + 1 under a lock, never by a sequence, because a sequence leaves gaps on rollback and a
-- gap reads as a deleted event. Every event has its predecessor's hash and its own.
ALTER TABLE events ALTER COLUMN seq DROP DEFAULT;
DROP SEQUENCE IF EXISTS events_seq_seq;
ALTER TABLE events ALTER COLUMN prev_hash SET NOT NULL;
ALTER TABLE events ALTER COLUMN hash SET NOT NULL;
CREATE UNIQUE INDEX events_hash ON events (hash);

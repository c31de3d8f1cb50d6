-- Hardening of the HTTP edge (SECURITY.md).

-- API tokens: an id to list and revoke them by (the secret's hash is never shown), and an
-- expiry on every token. Tokens issued without one now expire 90 days after this upgrade, so
-- scripts keep working while their owners replace them.
ALTER TABLE auth_tokens ADD COLUMN id bigserial;
ALTER TABLE auth_tokens ADD CONSTRAINT auth_tokens_id_key UNIQUE (id);
UPDATE auth_tokens SET expires_at = now() + interval '90 days' WHERE expires_at IS NULL;
ALTER TABLE auth_tokens ALTER COLUMN expires_at SET NOT NULL;

-- Login attempts refused without checking the password are kept for the security officer but
-- do not count as failures: the limits count passwords tried, not requests.
ALTER TABLE login_attempts ADD COLUMN refused boolean NOT NULL DEFAULT false;
CREATE INDEX login_attempts_ip ON login_attempts (ip, at);

-- Public tips: the bytes of photos each kept (for the storage quotas) and when the photos of a
-- tip never taken up were deleted (the retention sweep).
ALTER TABLE public_tips ADD COLUMN photo_bytes bigint NOT NULL DEFAULT 0;
ALTER TABLE public_tips ADD COLUMN photos_purged_at timestamptz;
UPDATE public_tips t SET photo_bytes = coalesce(
  (SELECT sum(f.bytes) FROM evidence_files f WHERE t.photos ? f.sha256), 0);
CREATE INDEX public_tips_created ON public_tips (created_at);

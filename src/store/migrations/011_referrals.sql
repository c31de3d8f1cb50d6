-- 移交纪检监察机关: a region whose illegal-occupation ratio is over the line (or whose
-- enforcement is weak) is handed over to the discipline bodies for its leaders'
-- accountability (《违反土地管理规定行为处分办法》 art. 3) — a measure like 约谈 and 通报批评.
ALTER TABLE accountability_records DROP CONSTRAINT accountability_records_kind_check;
ALTER TABLE accountability_records
  ADD CONSTRAINT accountability_records_kind_check
  CHECK (kind IN ('summons', 'criticism', 'referral', 'reward', 'penalty'));

-- Resident lists are ordered by reading (name_kana, then id). Measured with 50,000 residents
-- in 20 regions: the scoped list uses (region_id, name_kana, id); the admin's list across all
-- regions uses (name_kana, id).
DROP INDEX residents_region_kana;
CREATE INDEX residents_region_kana_id ON residents (region_id, name_kana, id);
CREATE INDEX residents_kana_id ON residents (name_kana, id);

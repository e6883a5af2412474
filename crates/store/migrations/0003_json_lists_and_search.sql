-- One encoding for every list: JSON text. Policy issues were JSON already; time windows and work
-- styles were comma-separated codes ("weekday_morning,weekend" becomes
-- ["weekday_morning","weekend"]). Codes never contain commas or quotes.
UPDATE residents SET time_windows = CASE WHEN time_windows = '' THEN '[]'
    ELSE '["' || REPLACE(time_windows, ',', '","') || '"]' END;
UPDATE residents SET work_styles = CASE WHEN work_styles = '' THEN '[]'
    ELSE '["' || REPLACE(work_styles, ',', '","') || '"]' END;

-- The search index (see crates/store/src/search.rs): per record its folded text, and per term
-- (a character or a pair of characters) the records that contain it, by region, so that a
-- query within a coordinator's regions reads only their postings.
CREATE TABLE search_docs (
    kind BIGINT NOT NULL,
    entity_id BIGINT NOT NULL,
    region_id BIGINT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (kind, entity_id)
);

CREATE TABLE search_terms (
    kind BIGINT NOT NULL,
    term TEXT NOT NULL,
    region_id BIGINT NOT NULL,
    entity_id BIGINT NOT NULL,
    PRIMARY KEY (kind, term, region_id, entity_id)
);

-- Organisation lists are ordered by name within a region; users by login (unique already).
CREATE INDEX organisations_name_id ON organisations (name, id);

-- One encoding for every list: JSON text. Policy issues were JSON already; time windows and work
-- styles were comma-separated codes ("weekday_morning,weekend" becomes
-- ["weekday_morning","weekend"]). Codes never contain commas or quotes.
UPDATE residents SET time_windows = CASE WHEN time_windows = '' THEN '[]'
    ELSE '["' || REPLACE(time_windows, ',', '","') || '"]' END;
UPDATE residents SET work_styles = CASE WHEN work_styles = '' THEN '[]'
    ELSE '["' || REPLACE(work_styles, ',', '","') || '"]' END;

-- The search index (see crates/store/src/search.rs). Per record: its folded text and the key
-- its list is sorted by. Per term (one to three characters of that text): the records holding
-- it, by region and in their list's order, so that a list filtered by a common word reads its
-- first page straight from the postings. A region-scoped list uses the primary key; a list of
-- every region (administrators) uses search_terms_all, which leaves out one-character terms.
CREATE TABLE search_docs (
    kind BIGINT NOT NULL,
    entity_id BIGINT NOT NULL,
    region_id BIGINT NOT NULL,
    sort_key TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (kind, entity_id)
){{WITHOUT_ROWID}};

CREATE TABLE search_terms (
    kind BIGINT NOT NULL,
    term TEXT NOT NULL,
    region_id BIGINT NOT NULL,
    sort_key TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    PRIMARY KEY (kind, term, region_id, sort_key, entity_id)
){{WITHOUT_ROWID}};
CREATE INDEX search_terms_all ON search_terms (kind, term, sort_key, entity_id) WHERE length(term) > 1;

-- Organisation lists are ordered by name within a region; users by login (unique already).
CREATE INDEX organisations_name_id ON organisations (name, id);

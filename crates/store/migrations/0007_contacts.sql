-- Contacts with residents (a call, a visit, a message), recorded by their coordinators: the
-- coordinator's home lists who has not been contacted for a while.
CREATE TABLE resident_contacts (
    id {{ID}},
    resident_id BIGINT NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
    region_id BIGINT NOT NULL REFERENCES regions (id),
    contacted_on TEXT NOT NULL,
    kind TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    by_user_id BIGINT REFERENCES users (id),
    by_name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX resident_contacts_resident_on ON resident_contacts (resident_id, contacted_on);

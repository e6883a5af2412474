# The audit capability (src/audit/, templates/audit/).
audit-title = Audit log
audit-entity = Record
audit-at = When
audit-who = Who
audit-what = Record and action
audit-changes = Changes
audit-changed = (changed; value hidden)
audit-action-create = created
audit-action-update = updated
entity-resident = Resident
entity-organisation = Organisation
entity-region = Region
entity-user = Account

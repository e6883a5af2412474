# The accounts capability (src/accounts/, templates/accounts/).
users-title = Accounts
users-new = Create an account
users-regions = Regions (coordinators, municipal staff)
users-organisation = Organisation (company members)
users-resident = Resident id (residents)
role-admin = Administrator
role-coordinator = Coordinator
role-municipal = Municipal staff
role-company_member = Company member
role-resident = Resident teleworker
users-status = Status
users-active = Active
users-disabled = Disabled
users-disable = Disable
users-enable = Enable

# The organisations capability (src/organisations/, templates/organisations/).
orgs-title = Organisations
orgs-new = Register an organisation
orgs-edit = Edit organisation
orgs-members = Members
kind-municipality = Municipality
kind-urban_company = Urban company
kind-local_company = Local company
kind-school = School
kind-coordinator_body = Coordinator body
orgs-add-member = Add a member account
orgs-add-member-help = A temporary password is shown once issued: hand it over with the login ID.
orgs-kind-locked = The kind of organisation is changed by its coordinator.
orgs-prefecture-of-region = Same prefecture as its region
orgs-prefecture-hint = Leave it for local companies and municipalities; for urban companies choose the prefecture of the head office.
orgs-location = Location

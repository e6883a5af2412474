app-name = Jimoto
footer = Jimoto — a platform for local telework
nav-label = Main menu
nav-home = Home
nav-regions = Regions
nav-organisations = Organisations
nav-residents = Residents
nav-users = Accounts
nav-audit = Audit log
nav-me = My page
nav-logout = Log out

error-title = Error
error-back = Back to home
error-csrf = The form has expired or was not sent from this site. Reload the page and submit it again.
error-unauthenticated = Please log in.
error-invalid_credentials = The login or password is incorrect.
error-too_many_attempts = Too many failed logins: login is locked for now. Try again in { $minutes } minutes.
error-forbidden = You are not allowed to do this.
error-not_found = Not found.
error-validation = Some of the input is not valid.
error-internal = Something went wrong on our side. Please try again later.
error-invalid_json = The request body could not be read
error-invalid_query = The query parameters could not be read
error-content_type = Send Content-Type: application/json
error-body_too_large = The request is too large. Please shorten the input.

login-title = Log in
login-intro = Log in to Jimoto.
login-submit = Log in

home-title = Home
home-role-admin = Manage the platform's regions, organisations and accounts.
home-role-coordinator = Connect residents and companies in your regions and follow each person's path.
home-role-municipal = Set out your region's vision and policy issues, and follow the program.
home-role-company_member = Manage your organisation and connect with local talent.
home-role-resident = Keep your profile up to date: skills, spare hours and how you want to work.
home-my-profile = My profile
home-edit-profile = Edit my profile
home-my-organisation = My organisation
home-regions = Regions
home-residents-count = { $count } residents

regions-title = Regions
regions-new = Register a region
regions-edit = Edit region
orgs-title = Organisations
orgs-new = Register an organisation
orgs-edit = Edit organisation
orgs-members = Members
residents-title = Residents
residents-new = Register a resident
residents-edit = Edit resident
me-title = My page
audit-title = Audit log
users-title = Accounts
users-new = Create an account
users-regions = Regions (coordinators, municipal staff)
users-organisation = Organisation (company members)
users-resident = Resident id (residents)

pager-label = Pages
pager-total = { $count } in all
pager-prev = Previous
pager-next = Next
form-has-errors = Please check the form.
filter-q = Keywords
filter-all = All
filter-apply = Filter
list-empty = Nothing to show.

action-edit = Edit
action-save = Save
action-create = Create

help-lg_code = The 6-digit local government code with its check digit, e.g. Hagi 352047
help-one-per-line = One per line.
help-kana = In full-width katakana.
help-skills = Skill and level (1 = beginner … 5 = expert). Empty rows are ignored.
placeholder-skill = e.g. Excel

field-login = Login
field-password = Password
field-display_name = Display name
field-role = Role
field-lang = Language
field-scope = Scope
field-regions = Regions
field-organisation_id = Organisation
field-resident_id = Resident id
field-user_id = Login
field-lg_code = Local government code
field-name = Name
field-name_kana = Reading (furigana)
field-prefecture = Prefecture
field-policy_issues = Policy issues
field-vision = Vision
field-updated_at = Last updated
field-kind = Kind
field-region_id = Region
field-hq_prefecture = Headquarters
field-industry = Industry
field-telework_share_percent = Telework share (%)
field-email = E-mail
field-phone = Phone
field-circumstances = Circumstances (childcare, care, treatment)
field-childcare = Raising children
field-care = Caring for a relative
field-treatment = Under medical treatment
field-note = Note
field-skills = Skills
field-level = Level
field-spare_hours_per_week = Spare hours per week
field-time_windows = When they can work
field-work_styles = Preferred work styles
field-office_visits = Office visits
field-max_travel_minutes = Longest trip to an office (minutes)

skill-level = level { $level }
hours-per-week = { $hours } h/week
travel-minutes = up to { $minutes } min one way

kind-municipality = Municipality
kind-urban_company = Urban company
kind-local_company = Local company
kind-school = School
kind-coordinator_body = Coordinator body

role-admin = Administrator
role-coordinator = Coordinator
role-municipal = Municipal staff
role-company_member = Company member
role-resident = Resident teleworker

work_style-telework_employment = Telework employment
work_style-spare_time = Spare-time telework
work_style-telework_migration = Telework migration

time_window-weekday_morning = Weekday mornings
time_window-weekday_afternoon = Weekday afternoons
time_window-weekday_evening = Weekday evenings
time_window-weekend = Weekends and holidays

office_visits-never = Never
office_visits-monthly = About monthly
office_visits-weekly = About weekly

circumstances-notice = Only the resident and the coordinators of their region can see this.
circumstances-none = None
circumstances-hidden = Private (visible to the resident and their coordinators only)

tokens-title = API tokens
tokens-intro = Personal tokens for the JSON API (/api/v1). A token acts with your permissions.
tokens-created = Token created. It will not be shown again once you leave this page: store it somewhere safe.
tokens-revoke = Revoke
tokens-name = Token name
tokens-create = Create token

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

err-required = is required
err-too_long = must be at most { $max } characters
err-too_short = must be at least { $min } characters
err-too_many = at most { $max } entries
err-out_of_range = must be between { $min } and { $max }
err-number = must be a number
err-invalid_choice = choose one of the options
err-lg_code_format = must be six digits
err-lg_code_check_digit = the check digit (6th digit) does not match; check the code
err-kana = must be written in full-width katakana
err-email = is not a valid e-mail address
err-phone = is not a valid phone number
err-prefecture = choose a prefecture
err-item_too_long = each entry must be at most { $max } characters
err-taken = is already registered
err-unknown = does not exist
err-login_format = use 3–64 letters, digits and . _ - @
err-scope_mismatch = give the scope that fits the role
err-unknown_or_linked = does not exist or already has an account
err-region_not_allowed = cannot be moved to that region
error-invalid_form = The form could not be read. Reload the page and submit it again.

password-title = Change password
password-changed = Your password was changed. Your other sessions have been logged out.
password-submit = Change password
field-current_password = Current password
field-new_password = New password
field-new_password_confirm = New password (again)
err-wrong_password = is not correct
err-mismatch = does not match the new password
err-self = cannot be done to your own account
users-status = Status
users-active = Active
users-disabled = Disabled
users-disable = Disable
users-enable = Enable
home-today = { $date } ({ $fy })
resident-has-login = This resident has a login.
resident-give-login = Give a login
resident-give-login-help = The resident can then keep their own profile up to date (skills, spare hours, work styles). Hand over the initial password in person.
resident-initial-password = Initial password (10 characters or more)
orgs-add-member = Add a member account

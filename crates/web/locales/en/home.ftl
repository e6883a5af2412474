# The home capability (src/home/, templates/home/).
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
home-today = { $date } ({ $fy })
home-residents-count-at-least = { $count } or more residents
home-regions-count = Regions registered: { $count }

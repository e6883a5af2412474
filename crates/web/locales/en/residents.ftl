# The residents capability (src/residents/, templates/residents/).
residents-title = Residents
residents-new = Register a resident
residents-edit = Edit resident
help-kana = In full-width katakana.
help-skills = Skill and level (1 = beginner … 5 = expert). Empty rows are ignored.
placeholder-skill = e.g. Excel
skill-level = level { $level }
hours-per-week = { $hours } h/week
travel-minutes = up to { $minutes } min one way
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
resident-has-login = This resident has a login.
resident-give-login = Give a login
resident-give-login-help = The resident can then keep their own profile up to date (skills, spare hours, work styles). Hand over the initial password in person.
resident-initial-password = Initial password (10 characters or more)

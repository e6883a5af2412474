-- Residents who moved out of their region: the day they left (none while they live there). The
-- "residents who stayed in the region" KPI counts the people a program served who had not left
-- by a period's last day.
ALTER TABLE residents ADD COLUMN moved_away_on TEXT;

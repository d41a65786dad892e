-- 0008: an office lists the points it holds records of without reading every record (issue 14).
-- The form's point columns come from the distinct origins of clients, contacts, outreach and
-- groups; these indexes let SQLite step from one origin to the next. contacts' index also serves a
-- single point's month (origin, then date). Clients, outreach and groups are small tables.
CREATE INDEX clients_origin ON clients (origin);
CREATE INDEX contacts_origin ON contacts (origin, contact_date);
CREATE INDEX outreach_origin ON outreach (origin);
CREATE INDEX groups_origin ON groups (origin);

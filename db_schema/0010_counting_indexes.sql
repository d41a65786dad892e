-- 0010: a month's form reads indexes, not records (issue 14). Each index below holds every column
-- the form's counting reads from its table (sources.py), so SQLite never fetches the wide records
-- (names, addresses, notes) that share their pages: at an office of 40 busy points a month's
-- referrals took 230 ms to fetch and take 15 ms from these indexes. The referrals indexes replace
-- narrower ones with the same leading columns (every other query keeps its plan, and an import
-- writes no more index entries than before); clients and client_groups gain one each (few rows).
-- contacts_date stays narrow: a covering one saved 20 ms of a 1 s statement at 40 points and made
-- every import write 50 % more pages (the province's import, 300 bundles, took half as long again).
DROP INDEX referrals_date;
CREATE INDEX referrals_date ON referrals (referred_date, deleted, outcome, outcome_date, service, client_id, origin,
                                          amount, id);
DROP INDEX referrals_pending;
CREATE INDEX referrals_pending ON referrals (outcome, referred_date, deleted, outcome_date, service, client_id, origin,
                                             amount, id);
DROP INDEX referrals_outcome_date;
CREATE INDEX referrals_outcome_date ON referrals (outcome_date, outcome, referred_date, deleted, service, client_id,
                                                  origin, amount, id) WHERE outcome_date IS NOT NULL;
-- The client's sex, group and case state, looked up once per client counted (engine.py joins on it).
CREATE INDEX clients_counted ON clients (id, deleted, sex, main_group, origin, intake_date, status, closed_date,
                                         closing_reason, legal_status, legal_start, legal_end);
-- The client's group at a month's end: the newest entry on or before the last day, from the index.
CREATE INDEX client_groups_at ON client_groups (client_id, deleted, start_date, seq, group_code);

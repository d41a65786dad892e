-- 0009: a month's referrals settled in the month are found by their outcome date (issue 14): an
-- office's form no longer reads every referral ever made to find the few settled this month.
CREATE INDEX referrals_outcome_date ON referrals (outcome_date) WHERE outcome_date IS NOT NULL;

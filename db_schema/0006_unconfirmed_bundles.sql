-- 0006: a bundle written during a power cut is recognised instead of raising a false fork alarm
-- (docs/bundle-format.md §9). A point now commits a bundle's number as 'writing' before the file is
-- written and as 'sent' after; a number still 'writing' at the next export may or may not have
-- reached a USB stick, so it is never given to another file: the next bundle names it in its
-- header's "supersedes" and carries its changes again.
ALTER TABLE bundles_sent ADD COLUMN state TEXT NOT NULL DEFAULT 'sent'
    CHECK (state IN ('writing', 'sent', 'superseded'));

-- At an office: the numbers a bundle declared superseded are not reported missing.
ALTER TABLE bundles_received ADD COLUMN supersedes TEXT NOT NULL DEFAULT '[]';

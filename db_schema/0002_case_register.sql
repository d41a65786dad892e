-- 0002: the case register (DOMAIN.md): staff, clients, contacts, referrals, treatment,
-- self-help groups, outreach; catalogs; the change log that sync bundles are cut from.
-- Every synced table has the sync columns (DESIGN.md section 3) and an integer `seq` so that
-- the search index can refer to rows by a rowid that VACUUM never renumbers.

CREATE TABLE change_log (
    change_no  INTEGER PRIMARY KEY AUTOINCREMENT,
    table_name TEXT NOT NULL,
    row_id     TEXT NOT NULL,
    version    INTEGER NOT NULL
);
CREATE INDEX change_log_row ON change_log (table_name, row_id);

CREATE TABLE catalog_items (
    kind       TEXT NOT NULL CHECK (kind IN ('substance', 'service', 'topic', 'hamlet')),
    code       TEXT NOT NULL,
    label_vi   TEXT NOT NULL,
    label_en   TEXT NOT NULL DEFAULT '',
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    sort_order INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (kind, code)
) WITHOUT ROWID;

CREATE TABLE staff (
    seq        INTEGER PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,       -- UUIDv7
    origin     TEXT NOT NULL,              -- unit code of the point that created it
    version    INTEGER NOT NULL,           -- hybrid logical clock, grows on every change
    updated_at TEXT NOT NULL,
    updated_by TEXT,
    deleted    INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    full_name  TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('board', 'counsellor', 'volunteer')),
    position   TEXT NOT NULL DEFAULT '',
    phone      TEXT NOT NULL DEFAULT '',
    hamlets    TEXT NOT NULL DEFAULT '[]',  -- JSON list of hamlet names covered
    user_id    TEXT,                        -- the local login of this person, if any
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

CREATE TRIGGER staff_log_insert AFTER INSERT ON staff
BEGIN
    INSERT INTO change_log (table_name, row_id, version) VALUES ('staff', NEW.id, NEW.version);
END;
CREATE TRIGGER staff_log_update AFTER UPDATE ON staff WHEN NEW.version != OLD.version
BEGIN
    INSERT INTO change_log (table_name, row_id, version) VALUES ('staff', NEW.id, NEW.version);
END;
CREATE TRIGGER staff_no_delete BEFORE DELETE ON staff
BEGIN
    SELECT RAISE(ABORT, 'records are never deleted: set deleted = 1');
END;

CREATE TABLE clients (
    seq        INTEGER PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,       -- UUIDv7
    origin     TEXT NOT NULL,              -- unit code of the point that created it
    version    INTEGER NOT NULL,           -- hybrid logical clock, grows on every change
    updated_at TEXT NOT NULL,
    updated_by TEXT,
    deleted    INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    code            TEXT NOT NULL,
    full_name       TEXT NOT NULL DEFAULT '',
    alias           TEXT NOT NULL DEFAULT '',
    sex             TEXT NOT NULL CHECK (sex IN ('male', 'female', 'other')),
    birth_year      INTEGER NOT NULL,
    birth_date      TEXT,
    citizen_id      TEXT NOT NULL DEFAULT '',
    phone           TEXT NOT NULL DEFAULT '',
    hamlet          TEXT NOT NULL DEFAULT '',
    commune         TEXT NOT NULL DEFAULT '',
    province        TEXT NOT NULL DEFAULT '',
    old_district    TEXT NOT NULL DEFAULT '',  -- district before the 2025 reorganisation
    address         TEXT NOT NULL DEFAULT '',
    intake_date     TEXT NOT NULL,
    main_group      TEXT NOT NULL,
    related_client_id TEXT,                   -- for family members: the client they relate to
    relationship    TEXT NOT NULL DEFAULT '',
    substances      TEXT NOT NULL DEFAULT '[]',
    years_of_use    INTEGER,
    injecting       INTEGER CHECK (injecting IN (0, 1)),
    previous_treatments TEXT NOT NULL DEFAULT '[]',
    determination_date     TEXT,
    determination_facility TEXT NOT NULL DEFAULT '',
    determination_result   TEXT NOT NULL DEFAULT '',
    legal_status     TEXT NOT NULL DEFAULT 'none',
    legal_decision_no TEXT NOT NULL DEFAULT '',
    legal_start      TEXT,
    legal_end        TEXT,
    hiv              TEXT NOT NULL DEFAULT 'unknown',
    hepatitis        TEXT NOT NULL DEFAULT 'unknown',
    mental_health    TEXT NOT NULL DEFAULT 'unknown',
    education        TEXT NOT NULL DEFAULT '',
    occupation       TEXT NOT NULL DEFAULT '',
    income           TEXT NOT NULL DEFAULT '',
    poor_household   INTEGER NOT NULL DEFAULT 0 CHECK (poor_household IN (0, 1)),
    family_support   TEXT NOT NULL DEFAULT '',
    consent_date     TEXT,
    consent_scope    TEXT NOT NULL DEFAULT '',
    consent_withdrawn TEXT,
    counsellor_id    TEXT,
    volunteer_id     TEXT,
    status           TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed')),
    closed_date      TEXT,
    closing_reason   TEXT NOT NULL DEFAULT '',
    notes            TEXT NOT NULL DEFAULT '',
    sort_key         TEXT NOT NULL DEFAULT '',  -- Vietnamese order: given name, then the rest
    search_terms     TEXT NOT NULL DEFAULT ''   -- folded words, ' '-prefixed, as in client_search
);

CREATE TRIGGER clients_log_insert AFTER INSERT ON clients
BEGIN
    INSERT INTO change_log (table_name, row_id, version) VALUES ('clients', NEW.id, NEW.version);
END;
CREATE TRIGGER clients_log_update AFTER UPDATE ON clients WHEN NEW.version != OLD.version
BEGIN
    INSERT INTO change_log (table_name, row_id, version) VALUES ('clients', NEW.id, NEW.version);
END;
CREATE TRIGGER clients_no_delete BEFORE DELETE ON clients
BEGIN
    SELECT RAISE(ABORT, 'records are never deleted: set deleted = 1');
END;

CREATE TABLE client_groups (
    seq        INTEGER PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,       -- UUIDv7
    origin     TEXT NOT NULL,              -- unit code of the point that created it
    version    INTEGER NOT NULL,           -- hybrid logical clock, grows on every change
    updated_at TEXT NOT NULL,
    updated_by TEXT,
    deleted    INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    client_id  TEXT NOT NULL,
    group_code TEXT NOT NULL,
    start_date TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT ''
);

CREATE TRIGGER client_groups_log_insert AFTER INSERT ON client_groups
BEGIN
    INSERT INTO change_log (table_name, row_id, version) VALUES ('client_groups', NEW.id, NEW.version);
END;
CREATE TRIGGER client_groups_log_update AFTER UPDATE ON client_groups WHEN NEW.version != OLD.version
BEGIN
    INSERT INTO change_log (table_name, row_id, version) VALUES ('client_groups', NEW.id, NEW.version);
END;
CREATE TRIGGER client_groups_no_delete BEFORE DELETE ON client_groups
BEGIN
    SELECT RAISE(ABORT, 'records are never deleted: set deleted = 1');
END;

CREATE TABLE contacts (
    seq        INTEGER PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,       -- UUIDv7
    origin     TEXT NOT NULL,              -- unit code of the point that created it
    version    INTEGER NOT NULL,           -- hybrid logical clock, grows on every change
    updated_at TEXT NOT NULL,
    updated_by TEXT,
    deleted    INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    client_id        TEXT,                 -- individual kinds; NULL for group/community sessions
    kind             TEXT NOT NULL CHECK (kind IN ('office', 'home', 'group', 'community', 'phone', 'online')),
    contact_date     TEXT NOT NULL,
    duration_minutes INTEGER,
    counsellor_id    TEXT,
    topics           TEXT NOT NULL DEFAULT '[]',
    attendee_count   INTEGER,              -- community sessions: people present (mostly anonymous)
    location         TEXT NOT NULL DEFAULT '',
    notes            TEXT NOT NULL DEFAULT '',
    next_follow_up   TEXT
);

CREATE TRIGGER contacts_log_insert AFTER INSERT ON contacts
BEGIN
    INSERT INTO change_log (table_name, row_id, version) VALUES ('contacts', NEW.id, NEW.version);
END;
CREATE TRIGGER contacts_log_update AFTER UPDATE ON contacts WHEN NEW.version != OLD.version
BEGIN
    INSERT INTO change_log (table_name, row_id, version) VALUES ('contacts', NEW.id, NEW.version);
END;
CREATE TRIGGER contacts_no_delete BEFORE DELETE ON contacts
BEGIN
    SELECT RAISE(ABORT, 'records are never deleted: set deleted = 1');
END;

CREATE TABLE contact_participants (
    seq        INTEGER PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,       -- UUIDv7
    origin     TEXT NOT NULL,              -- unit code of the point that created it
    version    INTEGER NOT NULL,           -- hybrid logical clock, grows on every change
    updated_at TEXT NOT NULL,
    updated_by TEXT,
    deleted    INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    contact_id TEXT NOT NULL,
    client_id  TEXT NOT NULL
);

CREATE TRIGGER contact_participants_log_insert AFTER INSERT ON contact_participants
BEGIN
    INSERT INTO change_log (table_name, row_id, version) VALUES ('contact_participants', NEW.id, NEW.version);
END;
CREATE TRIGGER contact_participants_log_update AFTER UPDATE ON contact_participants WHEN NEW.version != OLD.version
BEGIN
    INSERT INTO change_log (table_name, row_id, version) VALUES ('contact_participants', NEW.id, NEW.version);
END;
CREATE TRIGGER contact_participants_no_delete BEFORE DELETE ON contact_participants
BEGIN
    SELECT RAISE(ABORT, 'records are never deleted: set deleted = 1');
END;

CREATE TABLE referrals (
    seq        INTEGER PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,       -- UUIDv7
    origin     TEXT NOT NULL,              -- unit code of the point that created it
    version    INTEGER NOT NULL,           -- hybrid logical clock, grows on every change
    updated_at TEXT NOT NULL,
    updated_by TEXT,
    deleted    INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    client_id     TEXT NOT NULL,
    service       TEXT NOT NULL,
    referred_date TEXT NOT NULL,
    referred_to   TEXT NOT NULL DEFAULT '',
    outcome       TEXT NOT NULL DEFAULT 'pending' CHECK (outcome IN ('pending', 'completed', 'refused', 'failed')),
    outcome_date  TEXT,
    amount        INTEGER,               -- loans, in đồng
    counsellor_id TEXT,
    notes         TEXT NOT NULL DEFAULT ''
);

CREATE TRIGGER referrals_log_insert AFTER INSERT ON referrals
BEGIN
    INSERT INTO change_log (table_name, row_id, version) VALUES ('referrals', NEW.id, NEW.version);
END;
CREATE TRIGGER referrals_log_update AFTER UPDATE ON referrals WHEN NEW.version != OLD.version
BEGIN
    INSERT INTO change_log (table_name, row_id, version) VALUES ('referrals', NEW.id, NEW.version);
END;
CREATE TRIGGER referrals_no_delete BEFORE DELETE ON referrals
BEGIN
    SELECT RAISE(ABORT, 'records are never deleted: set deleted = 1');
END;

CREATE TABLE rehab_registrations (
    seq        INTEGER PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,       -- UUIDv7
    origin     TEXT NOT NULL,              -- unit code of the point that created it
    version    INTEGER NOT NULL,           -- hybrid logical clock, grows on every change
    updated_at TEXT NOT NULL,
    updated_by TEXT,
    deleted    INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    client_id         TEXT NOT NULL,
    registration_date TEXT NOT NULL,
    decision_no       TEXT NOT NULL DEFAULT '',
    decision_date     TEXT,
    start_date        TEXT,
    term_months       INTEGER NOT NULL CHECK (term_months BETWEEN 6 AND 12),
    end_date          TEXT,
    provider          TEXT NOT NULL DEFAULT '',
    outcome           TEXT NOT NULL DEFAULT 'ongoing',
    outcome_date      TEXT,                 -- when it was completed, dropped out or moved
    certificate_no    TEXT NOT NULL DEFAULT '',
    certificate_date  TEXT,
    notes             TEXT NOT NULL DEFAULT ''
);

CREATE TRIGGER rehab_registrations_log_insert AFTER INSERT ON rehab_registrations
BEGIN
    INSERT INTO change_log (table_name, row_id, version) VALUES ('rehab_registrations', NEW.id, NEW.version);
END;
CREATE TRIGGER rehab_registrations_log_update AFTER UPDATE ON rehab_registrations WHEN NEW.version != OLD.version
BEGIN
    INSERT INTO change_log (table_name, row_id, version) VALUES ('rehab_registrations', NEW.id, NEW.version);
END;
CREATE TRIGGER rehab_registrations_no_delete BEFORE DELETE ON rehab_registrations
BEGIN
    SELECT RAISE(ABORT, 'records are never deleted: set deleted = 1');
END;

CREATE TABLE methadone_episodes (
    seq        INTEGER PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,       -- UUIDv7
    origin     TEXT NOT NULL,              -- unit code of the point that created it
    version    INTEGER NOT NULL,           -- hybrid logical clock, grows on every change
    updated_at TEXT NOT NULL,
    updated_by TEXT,
    deleted    INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    client_id  TEXT NOT NULL,
    site       TEXT NOT NULL DEFAULT '',
    start_date TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'on_treatment',
    end_date   TEXT,
    notes      TEXT NOT NULL DEFAULT ''
);

CREATE TRIGGER methadone_episodes_log_insert AFTER INSERT ON methadone_episodes
BEGIN
    INSERT INTO change_log (table_name, row_id, version) VALUES ('methadone_episodes', NEW.id, NEW.version);
END;
CREATE TRIGGER methadone_episodes_log_update AFTER UPDATE ON methadone_episodes WHEN NEW.version != OLD.version
BEGIN
    INSERT INTO change_log (table_name, row_id, version) VALUES ('methadone_episodes', NEW.id, NEW.version);
END;
CREATE TRIGGER methadone_episodes_no_delete BEFORE DELETE ON methadone_episodes
BEGIN
    SELECT RAISE(ABORT, 'records are never deleted: set deleted = 1');
END;

CREATE TABLE groups (
    seq        INTEGER PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,       -- UUIDv7
    origin     TEXT NOT NULL,              -- unit code of the point that created it
    version    INTEGER NOT NULL,           -- hybrid logical clock, grows on every change
    updated_at TEXT NOT NULL,
    updated_by TEXT,
    deleted    INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    name         TEXT NOT NULL,
    founded_date TEXT,
    rules        TEXT NOT NULL DEFAULT '',
    meets        TEXT NOT NULL DEFAULT '',
    active       INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    notes        TEXT NOT NULL DEFAULT ''
);

CREATE TRIGGER groups_log_insert AFTER INSERT ON groups
BEGIN
    INSERT INTO change_log (table_name, row_id, version) VALUES ('groups', NEW.id, NEW.version);
END;
CREATE TRIGGER groups_log_update AFTER UPDATE ON groups WHEN NEW.version != OLD.version
BEGIN
    INSERT INTO change_log (table_name, row_id, version) VALUES ('groups', NEW.id, NEW.version);
END;
CREATE TRIGGER groups_no_delete BEFORE DELETE ON groups
BEGIN
    SELECT RAISE(ABORT, 'records are never deleted: set deleted = 1');
END;

CREATE TABLE group_members (
    seq        INTEGER PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,       -- UUIDv7
    origin     TEXT NOT NULL,              -- unit code of the point that created it
    version    INTEGER NOT NULL,           -- hybrid logical clock, grows on every change
    updated_at TEXT NOT NULL,
    updated_by TEXT,
    deleted    INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    group_id    TEXT NOT NULL,
    client_id   TEXT NOT NULL,
    joined_date TEXT NOT NULL,
    left_date   TEXT
);

CREATE TRIGGER group_members_log_insert AFTER INSERT ON group_members
BEGIN
    INSERT INTO change_log (table_name, row_id, version) VALUES ('group_members', NEW.id, NEW.version);
END;
CREATE TRIGGER group_members_log_update AFTER UPDATE ON group_members WHEN NEW.version != OLD.version
BEGIN
    INSERT INTO change_log (table_name, row_id, version) VALUES ('group_members', NEW.id, NEW.version);
END;
CREATE TRIGGER group_members_no_delete BEFORE DELETE ON group_members
BEGIN
    SELECT RAISE(ABORT, 'records are never deleted: set deleted = 1');
END;

CREATE TABLE group_meetings (
    seq        INTEGER PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,       -- UUIDv7
    origin     TEXT NOT NULL,              -- unit code of the point that created it
    version    INTEGER NOT NULL,           -- hybrid logical clock, grows on every change
    updated_at TEXT NOT NULL,
    updated_by TEXT,
    deleted    INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    group_id       TEXT NOT NULL,
    meeting_date   TEXT NOT NULL,
    topic          TEXT NOT NULL DEFAULT '',
    facilitator_id TEXT,
    notes          TEXT NOT NULL DEFAULT ''
);

CREATE TRIGGER group_meetings_log_insert AFTER INSERT ON group_meetings
BEGIN
    INSERT INTO change_log (table_name, row_id, version) VALUES ('group_meetings', NEW.id, NEW.version);
END;
CREATE TRIGGER group_meetings_log_update AFTER UPDATE ON group_meetings WHEN NEW.version != OLD.version
BEGIN
    INSERT INTO change_log (table_name, row_id, version) VALUES ('group_meetings', NEW.id, NEW.version);
END;
CREATE TRIGGER group_meetings_no_delete BEFORE DELETE ON group_meetings
BEGIN
    SELECT RAISE(ABORT, 'records are never deleted: set deleted = 1');
END;

CREATE TABLE meeting_attendance (
    seq        INTEGER PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,       -- UUIDv7
    origin     TEXT NOT NULL,              -- unit code of the point that created it
    version    INTEGER NOT NULL,           -- hybrid logical clock, grows on every change
    updated_at TEXT NOT NULL,
    updated_by TEXT,
    deleted    INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    meeting_id TEXT NOT NULL,
    client_id  TEXT NOT NULL
);

CREATE TRIGGER meeting_attendance_log_insert AFTER INSERT ON meeting_attendance
BEGIN
    INSERT INTO change_log (table_name, row_id, version) VALUES ('meeting_attendance', NEW.id, NEW.version);
END;
CREATE TRIGGER meeting_attendance_log_update AFTER UPDATE ON meeting_attendance WHEN NEW.version != OLD.version
BEGIN
    INSERT INTO change_log (table_name, row_id, version) VALUES ('meeting_attendance', NEW.id, NEW.version);
END;
CREATE TRIGGER meeting_attendance_no_delete BEFORE DELETE ON meeting_attendance
BEGIN
    SELECT RAISE(ABORT, 'records are never deleted: set deleted = 1');
END;

CREATE TABLE outreach (
    seq        INTEGER PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,       -- UUIDv7
    origin     TEXT NOT NULL,              -- unit code of the point that created it
    version    INTEGER NOT NULL,           -- hybrid logical clock, grows on every change
    updated_at TEXT NOT NULL,
    updated_by TEXT,
    deleted    INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    kind          TEXT NOT NULL CHECK (kind IN ('broadcast', 'leaflets', 'board', 'loudspeaker', 'school', 'community_meeting', 'team_meeting', 'training')),
    activity_date TEXT NOT NULL,
    quantity      INTEGER NOT NULL DEFAULT 1,   -- broadcasts, leaflets, boards, sessions
    minutes       INTEGER,                      -- broadcast length each
    attendees     INTEGER,                      -- people reached or present
    location      TEXT NOT NULL DEFAULT '',
    staff_id      TEXT,
    notes         TEXT NOT NULL DEFAULT ''
);

CREATE TRIGGER outreach_log_insert AFTER INSERT ON outreach
BEGIN
    INSERT INTO change_log (table_name, row_id, version) VALUES ('outreach', NEW.id, NEW.version);
END;
CREATE TRIGGER outreach_log_update AFTER UPDATE ON outreach WHEN NEW.version != OLD.version
BEGIN
    INSERT INTO change_log (table_name, row_id, version) VALUES ('outreach', NEW.id, NEW.version);
END;
CREATE TRIGGER outreach_no_delete BEFORE DELETE ON outreach
BEGIN
    SELECT RAISE(ABORT, 'records are never deleted: set deleted = 1');
END;


-- Covering index: a broad search walks it in Vietnamese order and stops after one page.
CREATE INDEX clients_sort ON clients (deleted, sort_key, search_terms, status);
CREATE INDEX clients_code ON clients (code);
CREATE INDEX clients_citizen ON clients (citizen_id) WHERE citizen_id != '';
CREATE INDEX clients_hamlet ON clients (hamlet, birth_year);
CREATE INDEX clients_related ON clients (related_client_id) WHERE related_client_id IS NOT NULL;
CREATE INDEX client_groups_client ON client_groups (client_id, start_date);
CREATE INDEX contacts_client ON contacts (client_id, contact_date);
CREATE INDEX contacts_date ON contacts (contact_date, kind);
CREATE INDEX contacts_follow_up ON contacts (next_follow_up) WHERE next_follow_up IS NOT NULL AND deleted = 0;
CREATE INDEX contact_participants_contact ON contact_participants (contact_id);
CREATE INDEX contact_participants_client ON contact_participants (client_id);
CREATE INDEX referrals_client ON referrals (client_id, referred_date);
CREATE INDEX referrals_pending ON referrals (outcome, referred_date);
CREATE INDEX referrals_date ON referrals (referred_date);
CREATE INDEX rehab_client ON rehab_registrations (client_id);
CREATE INDEX rehab_end ON rehab_registrations (end_date);
CREATE INDEX methadone_client ON methadone_episodes (client_id);
CREATE INDEX group_members_group ON group_members (group_id);
CREATE INDEX group_members_client ON group_members (client_id);
CREATE INDEX group_meetings_group ON group_meetings (group_id, meeting_date);
CREATE INDEX meeting_attendance_meeting ON meeting_attendance (meeting_id);
CREATE INDEX outreach_date ON outreach (activity_date, kind);
CREATE INDEX audit_log_entity ON audit_log (entity_id);

-- Search: folded names, aliases, codes, phones and citizen ids; rowid = clients.seq.
CREATE VIRTUAL TABLE client_search USING fts5 (
    terms, content = '', contentless_delete = 1, tokenize = 'unicode61', prefix = '1 2 3'
);

INSERT INTO catalog_items (kind, code, label_vi, label_en, sort_order) VALUES
    ('substance', 'heroin', 'Heroin', 'Heroin', 1),
    ('substance', 'meth', 'Ma túy đá (methamphetamine)', 'Crystal meth (methamphetamine)', 2),
    ('substance', 'cannabis', 'Cần sa', 'Cannabis', 3),
    ('substance', 'ecstasy', 'Thuốc lắc (ecstasy)', 'Ecstasy', 4),
    ('substance', 'ketamine', 'Ketamine', 'Ketamine', 5),
    ('substance', 'opium', 'Thuốc phiện', 'Opium', 6),
    ('substance', 'other', 'Chất khác', 'Other substance', 9),
    ('service', 'determination', 'Xác định tình trạng nghiện', 'Addiction determination', 1),
    ('service', 'methadone', 'Điều trị thay thế bằng methadone', 'Methadone treatment', 2),
    ('service', 'health', 'Khám, chữa bệnh', 'Health care', 3),
    ('service', 'hiv_test', 'Xét nghiệm HIV', 'HIV testing', 4),
    ('service', 'mental_health', 'Chăm sóc sức khỏe tâm thần', 'Mental health care', 5),
    ('service', 'vocational', 'Dạy nghề', 'Vocational training', 6),
    ('service', 'job', 'Giới thiệu việc làm', 'Job placement', 7),
    ('service', 'loan', 'Vay vốn', 'Loan', 8),
    ('service', 'legal_aid', 'Trợ giúp pháp lý', 'Legal aid', 9),
    ('service', 'social_protection', 'Trợ giúp xã hội', 'Social protection', 10),
    ('service', 'voluntary_rehab', 'Cai nghiện tự nguyện', 'Voluntary rehabilitation', 11),
    ('topic', 'drugs_harms', 'Ma túy và tác hại của ma túy', 'Drugs and their harms', 1),
    ('topic', 'addiction_signs', 'Dấu hiệu, triệu chứng nghiện', 'Signs of addiction', 2),
    ('topic', 'voluntary_rehab', 'Đăng ký cai nghiện tự nguyện', 'Voluntary rehab registration', 3),
    ('topic', 'methadone', 'Điều trị thay thế bằng methadone', 'Methadone substitution', 4),
    ('topic', 'relapse_prevention', 'Tạo động lực, phòng chống tái nghiện', 'Motivation and relapse prevention', 5),
    ('topic', 'support_policies', 'Chính sách hỗ trợ của Nhà nước', 'State support policies', 6),
    ('topic', 'health', 'Sức khỏe, HIV, viêm gan', 'Health, HIV, hepatitis', 7),
    ('topic', 'family', 'Gia đình hỗ trợ người nghiện', 'Family support', 8),
    ('topic', 'covid', 'Phòng chống dịch COVID-19', 'COVID-19 prevention', 9);

//! Every redb table of a rollcall database, in one place, with what its keys and values mean.
//!
//! The table names and key types are part of the file format: renaming one or changing
//! its key type needs a schema version bump and a migration in `schema.rs`. Values are
//! serde_json bytes (see `codec.rs`) so that adding a field never breaks redb's decoding.

use redb::TableDefinition;

/// Small named values: the schema version, the Telegram poll offset and the id counters.
/// Values are JSON (a number for all of those).
pub(crate) const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");

/// Telegram updates stored before they are acknowledged: update id to the raw JSON.
pub(crate) const INBOX: TableDefinition<i64, &str> = TableDefinition::new("inbox");

/// Dialog state per chat: chat id to a JSON `ChatState`.
pub(crate) const CHATS: TableDefinition<i64, &[u8]> = TableDefinition::new("chats");

/// Centres: centre id to a JSON `CentreRecord`.
pub(crate) const CENTRES: TableDefinition<u64, &[u8]> = TableDefinition::new("centres");

/// Index of centres by exact name, so `ensure_centre` finds a centre without a scan.
pub(crate) const CENTRE_NAMES: TableDefinition<&str, u64> = TableDefinition::new("centre_names");

/// Classes: class id to a JSON `ClassRecord`.
pub(crate) const CLASSES: TableDefinition<u64, &[u8]> = TableDefinition::new("classes");

/// Index of classes by (centre, group, matching key), so one class is never created twice.
pub(crate) const CLASS_KEYS: TableDefinition<(u64, &str, &str), u64> =
    TableDefinition::new("class_keys");

/// Index of classes by recency: (centre, group, day number of the last session, class id).
/// Classes without sessions use `NO_SESSION_DAY`, which sorts before every real date, so a
/// reverse scan yields the most recent first, classes without sessions last, and newer
/// classes (higher ids) first among equals.
pub(crate) const CLASS_RECENCY: TableDefinition<(u64, &str, i32, u64), ()> =
    TableDefinition::new("class_recency");

/// Sessions: session id to a JSON `SessionRecord`.
pub(crate) const SESSIONS: TableDefinition<u64, &[u8]> = TableDefinition::new("sessions");

/// Index of sessions for reports: (centre, day number of the session date, session id).
/// A period of one centre is one contiguous range of this table.
pub(crate) const SESSIONS_BY_DATE: TableDefinition<(u64, i32, u64), ()> =
    TableDefinition::new("sessions_by_date");

/// Index of live sessions by who logged them, for `/mine` and `/undo`: (organiser,
/// centre, day number of the session date, session id). One person's recent sessions in
/// a centre are the end of one contiguous range, however large the centre's history.
/// Kept with `SESSIONS_BY_DATE` by `put_live_session` and `take_live_session`.
pub(crate) const SESSIONS_BY_ORGANISER: TableDefinition<(i64, u64, i32, u64), ()> =
    TableDefinition::new("sessions_by_organiser");

/// Index of live sessions by class and day (schema 6): (class, day number of the session
/// date, session id). The entry checks ("the same session is stored already", "more than
/// three times the class's usual") and a class merge read one class's sessions of a day as
/// one short range, instead of every session its centre logged that day. Kept with
/// `SESSIONS_BY_DATE` by `put_live_session` and `take_live_session`.
pub(crate) const SESSIONS_BY_CLASS: TableDefinition<(u64, i32, u64), ()> =
    TableDefinition::new("sessions_by_class");

/// Messages waiting to be sent: sequence number to a JSON `Outgoing`.
pub(crate) const OUTBOX: TableDefinition<u64, &[u8]> = TableDefinition::new("outbox");

/// People of a centre: (centre, user) to a JSON `MemberRecord`.
pub(crate) const MEMBERS: TableDefinition<(u64, i64), &[u8]> = TableDefinition::new("members");

/// Index of the centres of a user: (user, centre), so a user's access is one range scan.
pub(crate) const USER_CENTRES: TableDefinition<(i64, u64), ()> =
    TableDefinition::new("user_centres");

/// Supervisors of the education office: user to a JSON `SupervisorRecord`.
pub(crate) const SUPERVISORS: TableDefinition<i64, &[u8]> = TableDefinition::new("supervisors");

/// Invitations: code to a JSON `InviteRecord`.
pub(crate) const INVITES: TableDefinition<&str, &[u8]> = TableDefinition::new("invites");

/// Group chats linked to a centre: chat id to centre id.
pub(crate) const GROUP_LINKS: TableDefinition<i64, u64> = TableDefinition::new("group_links");

/// The audit log: sequence number to a JSON `AuditEntry`.
pub(crate) const AUDIT: TableDefinition<u64, &[u8]> = TableDefinition::new("audit");

/// Index of the audit log by centre: (centre, sequence number).
pub(crate) const AUDIT_BY_CENTRE: TableDefinition<(u64, u64), ()> =
    TableDefinition::new("audit_by_centre");

/// Reminders of group chats: (chat, reminder id) to a JSON `ReminderRecord`.
pub(crate) const REMINDERS: TableDefinition<(i64, u64), &[u8]> = TableDefinition::new("reminders");

/// The deadline reminder of each centre: centre id to a JSON `DeadlineRecord`. Added
/// without a migration: `create_all` makes it at every open, and an older binary ignores
/// it.
pub(crate) const DEADLINES: TableDefinition<u64, &[u8]> = TableDefinition::new("deadlines");

/// Organisers who turned their private nudges off: user id to nothing.
pub(crate) const MUTED: TableDefinition<i64, ()> = TableDefinition::new("muted");
/// Counters of live sessions per (centre, group, day number): (sessions, attendance, female).
/// Kept in step by every change of a session, in the same transaction, so that the
/// report's sums read a few hundred counters instead of every session. A key whose
/// session count drops to zero is removed.
pub(crate) const GROUP_DAY_COUNTERS: TableDefinition<(u64, &str, i32), (u64, u64, u64)> =
    TableDefinition::new("group_day_counters");

/// Live sessions per (centre, group, month number, class): which classes met in a month
/// (see `counters.rs` for why months). A key whose count drops to zero is removed.
pub(crate) const CLASS_MONTHS: TableDefinition<(u64, &str, i32, u64), u64> =
    TableDefinition::new("class_months");

/// Live sessions per (class, day number): the days a class met, for the edges of a period
/// cut inside a month and for a class's latest session after an edit or a deletion.
pub(crate) const CLASS_DAYS: TableDefinition<(u64, i32), u64> = TableDefinition::new("class_days");

/// Live sessions per (class, year): whether a class met in a year, so that the first
/// session of a class in a year and the removal of its last one are known with one read.
/// A key whose count drops to zero is removed.
pub(crate) const CLASS_YEARS: TableDefinition<(u64, i32), u64> =
    TableDefinition::new("class_years");

/// Distinct classes with at least one live session per (centre, group, year): "Số lớp"
/// of a year-to-date or whole-year report in one read (see `counters.rs` for when it
/// applies). A key whose count drops to zero is removed.
pub(crate) const GROUP_YEAR_CLASSES: TableDefinition<(u64, &str, i32), u64> =
    TableDefinition::new("group_year_classes");

/// The roll-up's counters (schema 5, `roll_up_counters.rs`): the same sums as
/// `GROUP_DAY_COUNTERS` and classes as `CLASS_MONTHS`, keyed by time first, so that one
/// period over every centre is a few contiguous ranges instead of one range (and one
/// B-tree descent) per centre and group. Kept in step with the live sessions by
/// `count_session`; a key whose count drops to zero is removed.
///
/// (month number, centre, group) → (sessions, attendance, female).
pub(crate) const MONTH_CENTRE_TOTALS: TableDefinition<(i32, u64, &str), (u64, u64, u64)> =
    TableDefinition::new("month_centre_totals");
/// (day number, centre, group) → (sessions, attendance, female): the days of the months a
/// period cuts.
pub(crate) const DAY_CENTRE_TOTALS: TableDefinition<(i32, u64, &str), (u64, u64, u64)> =
    TableDefinition::new("day_centre_totals");
/// (month number, centre, group, class) → sessions: the classes of whole months.
pub(crate) const MONTH_CENTRE_CLASSES: TableDefinition<(i32, u64, &str, u64), u64> =
    TableDefinition::new("month_centre_classes");
/// (counted year, day number of the class's first live session that year, centre, group,
/// class): the classes of a period that starts on a counted year's first day are the
/// entries of that year up to the period's last day, one range over every centre.
pub(crate) const YEAR_FIRST_DAYS: TableDefinition<(i32, i32, u64, &str, u64), ()> =
    TableDefinition::new("year_first_days");

/// Soft-deleted sessions: session id to a JSON `DeletedSession` (the record and when it
/// was deleted). They are in no other table, so reports, listings and counters never see
/// them; they are purged 30 days after deletion.
pub(crate) const DELETED_SESSIONS: TableDefinition<u64, &[u8]> =
    TableDefinition::new("deleted_sessions");

/// Drafts due for their one "not saved yet" nudge: (due instant in Unix milliseconds,
/// private chat id) to the person's Telegram language code ("" when unknown). The
/// scheduler feeds each due row to the engine, which decides whether the draft still
/// waits at its summary, and removes it in the same transaction.
pub(crate) const DRAFT_NUDGES: TableDefinition<(i64, i64), &str> =
    TableDefinition::new("draft_nudges");
/// Days a member of a centre said they held no session (the button under a group
/// reminder that names who has not reported): (centre, user, day number of the local
/// date) to when they said it, in Unix seconds. Those reminders leave them out for that
/// day. A new table needs no migration: `create_all` runs at every open, and an older
/// binary ignores a table it does not know.
pub(crate) const NO_SESSION_DAYS: TableDefinition<(u64, i64, i32), i64> =
    TableDefinition::new("no_session_days");
/// The written parts of each centre's report document: centre id to a JSON
/// `DocumentTexts` (part id to text; parts never written are absent and show their default).
pub(crate) const DOCUMENT_TEXTS: TableDefinition<u64, &[u8]> =
    TableDefinition::new("document_texts");

/// Period reports handed in by directors: (centre, day number of the period's first day,
/// of its last day, hand-in id) to a JSON `submission::HandIn`. The latest hand-in of a
/// (centre, period) is the last key of its range and supersedes the others, which stay as
/// the history of what was handed in.
pub(crate) const HANDINS: TableDefinition<(u64, i32, i32, u64), &[u8]> =
    TableDefinition::new("handins");

/// Hand-ins that became "changed since handed in" and whose director has not been told
/// yet: the `HANDINS` key to nothing. Marked by the store in the transaction that changes
/// the session, told by the runtime (`runtime/handin.rs`) in the transaction of the
/// step, so the director hears of it once.
pub(crate) const HANDIN_NOTICES: TableDefinition<(u64, i32, i32, u64), ()> =
    TableDefinition::new("handin_notices");

/// Report files waiting to be built: job id to a JSON `ReportJob`. The step that shows a
/// report stores its job in its own transaction; the worker removes it in the transaction
/// that queues the files (`report_jobs.rs`).
pub(crate) const REPORT_JOBS: TableDefinition<u64, &[u8]> = TableDefinition::new("report_jobs");

/// The day number stored in `CLASS_RECENCY` for a class that has no session yet.
pub(crate) const NO_SESSION_DAY: i32 = i32::MIN;

/// Keys of the `META` table.
pub(crate) mod meta_keys {
    /// The schema version of the file (a JSON number).
    pub(crate) const SCHEMA_VERSION: &str = "schema_version";
    /// The `offset` for the next `getUpdates`.
    pub(crate) const POLL_OFFSET: &str = "poll_offset";
    /// The next centre id to hand out.
    pub(crate) const NEXT_CENTRE: &str = "next_centre_id";
    /// The next class id to hand out.
    pub(crate) const NEXT_CLASS: &str = "next_class_id";
    /// The next session id to hand out.
    pub(crate) const NEXT_SESSION: &str = "next_session_id";
    /// The next outbox sequence number to hand out.
    pub(crate) const NEXT_OUTBOX: &str = "next_outbox_seq";
    /// The next audit sequence number to hand out.
    pub(crate) const NEXT_AUDIT: &str = "next_audit_seq";
    /// The next reminder id to hand out.
    pub(crate) const NEXT_REMINDER: &str = "next_reminder_id";
    /// The next report job id to hand out.
    pub(crate) const NEXT_REPORT_JOB: &str = "next_report_job_id";
    /// The first day of the years that `CLASS_YEARS` and `GROUP_YEAR_CLASSES` count, as
    /// `[month, day]` (missing: 1 January). See `Tx::set_counter_year_start`.
    pub(crate) const COUNTER_YEAR_START: &str = "counter_year_start";
    /// The next hand-in id to hand out.
    pub(crate) const NEXT_HANDIN: &str = "next_handin_id";
}

/// Opens every table once inside `txn`, which creates the missing ones, so that later
/// reads never fail with "table does not exist" (a read snapshot cannot create a table).
/// A new table must be listed here.
pub(crate) fn create_all(txn: &redb::WriteTransaction) -> Result<(), redb::TableError> {
    txn.open_table(META)?;
    txn.open_table(INBOX)?;
    txn.open_table(CHATS)?;
    txn.open_table(CENTRES)?;
    txn.open_table(CENTRE_NAMES)?;
    txn.open_table(CLASSES)?;
    txn.open_table(CLASS_KEYS)?;
    txn.open_table(CLASS_RECENCY)?;
    txn.open_table(SESSIONS)?;
    txn.open_table(SESSIONS_BY_DATE)?;
    txn.open_table(SESSIONS_BY_ORGANISER)?;
    txn.open_table(SESSIONS_BY_CLASS)?;
    txn.open_table(OUTBOX)?;
    txn.open_table(MEMBERS)?;
    txn.open_table(USER_CENTRES)?;
    txn.open_table(SUPERVISORS)?;
    txn.open_table(INVITES)?;
    txn.open_table(GROUP_LINKS)?;
    txn.open_table(AUDIT)?;
    txn.open_table(AUDIT_BY_CENTRE)?;
    txn.open_table(REMINDERS)?;
    txn.open_table(DEADLINES)?;
    txn.open_table(MUTED)?;
    txn.open_table(GROUP_DAY_COUNTERS)?;
    txn.open_table(CLASS_MONTHS)?;
    txn.open_table(CLASS_DAYS)?;
    txn.open_table(CLASS_YEARS)?;
    txn.open_table(GROUP_YEAR_CLASSES)?;
    txn.open_table(MONTH_CENTRE_TOTALS)?;
    txn.open_table(DAY_CENTRE_TOTALS)?;
    txn.open_table(MONTH_CENTRE_CLASSES)?;
    txn.open_table(YEAR_FIRST_DAYS)?;
    txn.open_table(DELETED_SESSIONS)?;
    txn.open_table(DRAFT_NUDGES)?;
    txn.open_table(NO_SESSION_DAYS)?;
    txn.open_table(DOCUMENT_TEXTS)?;
    txn.open_table(HANDINS)?;
    txn.open_table(HANDIN_NOTICES)?;
    txn.open_table(REPORT_JOBS)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use redb::{ReadableDatabase, TableHandle};

    /// Every table named in this file is created at open: a read snapshot cannot create
    /// one, so a table left out would fail the reads of a snapshot until something wrote it.
    #[test]
    fn create_all_creates_every_table_of_this_file() {
        let source = include_str!("tables.rs");
        let marker = concat!("TableDefinition::", "new(\"");
        let mut named: Vec<&str> = source
            .match_indices(marker)
            .filter_map(|(at, _)| source[at + marker.len()..].split('"').next())
            .collect();
        named.sort_unstable();
        assert!(named.len() > 20, "{named:?}");

        let dir = tempfile::tempdir().expect("temporary directory");
        let db = redb::Database::create(dir.path().join("t.redb")).expect("creates");
        let txn = db.begin_write().expect("write");
        super::create_all(&txn).expect("tables");
        txn.commit().expect("commit");
        let read = db.begin_read().expect("read");
        let mut created: Vec<String> = read
            .list_tables()
            .expect("tables")
            .map(|table| table.name().to_owned())
            .collect();
        created.sort_unstable();
        assert_eq!(created, named);
    }
}

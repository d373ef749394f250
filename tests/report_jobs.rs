//! Reports off the writer: the step that answers `/report` commits a report job and
//! nothing else of the report; the report worker reads the figures on a snapshot, queues
//! the table, builds the files and queues them with the job's removal, each once, across
//! restarts.

#![allow(clippy::unwrap_used)]

use chrono::{NaiveDate, TimeZone, Utc};
use rollcall::dialog::{load_dir, Input, Sender};
use rollcall::domain::{ClassChoice, EntryRules, NewSession, Now, Period, YearStart};
use rollcall::outgoing::{FileBody, OutOp, Outgoing};
use rollcall::report;
use rollcall::roles::Role;
use rollcall::runtime::{Event, ReportWorker, Runtime};
use rollcall::store::{EncodedOutgoing, ReportJobKind, Store, StoreError, Tx};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

const DIRECTOR: i64 = 50;
const ZONE: chrono_tz::Tz = chrono_tz::Asia::Ho_Chi_Minh;

fn runtime() -> Runtime {
    Runtime {
        catalog: Arc::new(
            load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("dialogs")).expect("dialogs"),
        ),
        bot_username: Some("rollcall_bot".to_owned()),
        zone: ZONE,
        year_start: YearStart::default(),
        entry: EntryRules::default(),
    }
}

fn now() -> Now {
    Now::in_zone(Utc.with_ymd_and_hms(2026, 11, 26, 3, 0, 0).unwrap(), ZONE)
}

/// A centre with its director and a few sessions of 2020.
fn filled(path: &Path) -> (Store, u64) {
    let store = Store::open(path).expect("opens");
    let centre = store
        .write(|tx| {
            let centre = tx.ensure_centre("Tràng An")?;
            tx.add_member(centre, DIRECTOR, Role::Director, "Tuấn", 0, now().at)?;
            for (day, group, class, total, female) in [
                (3, "health", "Sức khỏe A", 20, 12),
                (4, "law", "Pháp luật B", 15, 9),
                (9, "health", "Sức khỏe A", 22, 13),
            ] {
                tx.save_session(&NewSession {
                    centre,
                    organiser: DIRECTOR,
                    group: group.to_owned(),
                    class: ClassChoice::New {
                        name: class.to_owned(),
                        key: class.to_lowercase(),
                    },
                    date: NaiveDate::from_ymd_opt(2020, 3, day).unwrap(),
                    total,
                    female,
                    extra: BTreeMap::new(),
                    created_at: now().at,
                })?;
            }
            Ok(centre)
        })
        .expect("filled");
    (store, centre)
}

/// The director's `/report 2020`, as the processor hands it to the runtime.
fn report_2020(runtime: &Runtime, tx: &mut Tx<'_>) -> Result<(), StoreError> {
    let event = Event {
        chat: DIRECTOR,
        sender: Sender {
            user: DIRECTOR,
            chat: DIRECTOR,
            name: "Tuấn".to_owned(),
            language_hint: Some("vi".to_owned()),
            private: true,
        },
        input: Input::Command {
            name: "report".to_owned(),
            args: "2020".to_owned(),
        },
        callback: None,
        sent_at: None,
    };
    runtime.handle(tx, &event, now())
}

/// A filled database at `path` with the director's 2020 report asked for (its job
/// committed, nothing built yet), and the runtime that asked.
fn with_report_queued(path: &Path) -> (Store, Runtime) {
    let (store, _) = filled(path);
    let runtime = runtime();
    store
        .write(|tx| report_2020(&runtime, tx))
        .expect("the step");
    (store, runtime)
}

fn is_file(message: &Outgoing) -> bool {
    matches!(message.op, OutOp::Document { .. } | OutOp::Photo { .. })
}

fn file_names(outbox: &[(u64, Outgoing)]) -> Vec<String> {
    outbox
        .iter()
        .filter_map(|(_, m)| match &m.op {
            OutOp::Document { file_name, .. } | OutOp::Photo { file_name, .. } => {
                Some(file_name.clone())
            }
            _ => None,
        })
        .collect()
}

fn tables(outbox: &[(u64, Outgoing)]) -> Vec<String> {
    outbox
        .iter()
        .filter_map(|(_, m)| match &m.op {
            OutOp::Message { html, .. } => Some(html.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn the_step_commits_a_job_and_no_file_rows_and_the_table_comes_first() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let (store, centre) = filled(&dir.path().join("db.redb"));
    let runtime = runtime();
    let mut announced = store.report_jobs_queued();
    announced.borrow_and_update();

    let (outbox, jobs) = store
        .write(|tx| {
            report_2020(&runtime, tx)?;
            // What the step's own transaction holds, before it commits.
            Ok((tx.outbox(100)?, tx.report_jobs(10)?))
        })
        .expect("the step");
    assert!(outbox.is_empty(), "no table and no file rows: {outbox:?}");
    assert_eq!(jobs.len(), 1);
    let job = jobs[0].1.clone().expect("a readable job");
    assert_eq!((job.chat, job.centre), (DIRECTOR, Some(centre)));
    assert!(
        matches!(
            job.kind,
            ReportJobKind::Report {
                keyboard: Some(_),
                ..
            }
        ),
        "the engine's buttons go with the job: {:?}",
        job.kind
    );
    assert!(
        announced.has_changed().expect("the store is open"),
        "the commit told the worker"
    );

    // The worker: the table, then the files, and the job is gone.
    let mut worker = ReportWorker::new(store.clone(), runtime.catalog.clone());
    assert_eq!(
        worker.run_pending().expect("built"),
        2,
        "a table and its files"
    );
    let outbox = store.read(|view| view.outbox(100)).expect("outbox");
    assert!(
        matches!(&outbox[0].1.op, OutOp::Message { html, keyboard: Some(_) } if html.contains("Tràng An")),
        "{outbox:?}"
    );
    assert_eq!(tables(&outbox).len(), 1);
    assert_eq!(
        file_names(&outbox),
        [
            "bieu-do-trang-an-2020.png",
            "bao-cao-trang-an-2020.xlsx",
            "bao-cao-trang-an-2020.csv"
        ]
    );
    assert!(store
        .read(|view| view.report_jobs(10))
        .expect("jobs")
        .is_empty());

    // The CSV is the one the report module makes of the same sessions.
    let period = Period::new(
        NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
        NaiveDate::from_ymd_opt(2020, 12, 31).unwrap(),
    )
    .expect("a period");
    let expected = store
        .read(|view| {
            let sessions = view.sessions(Some(centre), period)?;
            let classes = view.classes_of(&sessions)?;
            Ok(report::sessions_csv(
                &runtime.catalog,
                &sessions,
                &classes,
                rollcall::domain::Lang::Vi,
            ))
        })
        .expect("read");
    let csv = outbox
        .iter()
        .find_map(|(_, m)| match &m.op {
            OutOp::Document {
                file_name, body, ..
            } if file_name.ends_with(".csv") => Some(body.clone()),
            _ => None,
        })
        .expect("the CSV");
    assert!(
        matches!(csv, FileBody::Spooled(_)),
        "a report's file waits in the spool, not in the row: {csv:?}"
    );
    assert_eq!(store.file_bytes(&csv).expect("the spooled CSV"), expected);
    assert_eq!(
        store.spool().names().expect("the spool").len(),
        3,
        "the chart, the workbook and the CSV"
    );
}

#[test]
fn a_job_left_by_a_crash_is_built_once_after_a_restart() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("db.redb");
    let (store, runtime) = with_report_queued(&path);
    // The process dies before its worker ran: the job is in the file, no file is queued.
    drop(store);

    let store = Store::open(&path).expect("reopens");
    let pending = store.read(|view| view.report_jobs(10)).expect("jobs");
    assert_eq!(pending.len(), 1, "the job survived the restart");
    let mut worker = ReportWorker::new(store.clone(), runtime.catalog.clone());
    assert_eq!(
        worker.run_pending().expect("built"),
        2,
        "a table and its files"
    );
    // A second round (another wake-up, or the worker of a later start) finds nothing.
    assert_eq!(worker.run_pending().expect("nothing left"), 0);
    drop(worker);
    drop(store);

    let store = Store::open(&path).expect("reopens");
    assert_eq!(
        ReportWorker::new(store.clone(), runtime.catalog.clone())
            .run_pending()
            .expect("nothing left"),
        0
    );
    let outbox = store.read(|view| view.outbox(100)).expect("outbox");
    assert_eq!(tables(&outbox).len(), 1, "one table");
    assert_eq!(
        file_names(&outbox),
        [
            "bieu-do-trang-an-2020.png",
            "bao-cao-trang-an-2020.xlsx",
            "bao-cao-trang-an-2020.csv"
        ],
        "exactly one set of files"
    );
}

#[test]
fn a_crash_after_the_table_leaves_only_the_files_to_build() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("db.redb");
    let (store, runtime) = with_report_queued(&path);
    // The worker committed the table, then the process died while building the files.
    let id = store.read(|view| view.report_jobs(10)).expect("jobs")[0].0;
    let table = Outgoing::reply(
        DIRECTOR,
        rollcall::dialog::Reply {
            html: "the table".to_owned(),
            keyboard: None,
        },
    );
    assert!(store
        .write(|tx| tx.queue_report_table(id, std::slice::from_ref(&table)))
        .expect("the table"));
    drop(store);

    let store = Store::open(&path).expect("reopens");
    let job = store.read(|view| view.report_jobs(10)).expect("jobs")[0]
        .1
        .clone()
        .expect("readable");
    assert!(job.table_sent);
    let mut worker = ReportWorker::new(store.clone(), runtime.catalog.clone());
    assert_eq!(worker.run_pending().expect("built"), 1);
    let outbox = store.read(|view| view.outbox(100)).expect("outbox");
    assert_eq!(
        tables(&outbox),
        ["the table"],
        "the table is not queued again"
    );
    assert_eq!(file_names(&outbox).len(), 3, "the files follow");
}

#[test]
fn a_finished_job_queues_nothing_a_second_time() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let (store, _) = with_report_queued(&dir.path().join("db.redb"));
    let id = store.read(|view| view.report_jobs(10)).expect("jobs")[0].0;
    let file = EncodedOutgoing::new(&Outgoing {
        chat: DIRECTOR,
        op: OutOp::Document {
            file_name: "a.csv".to_owned(),
            caption: None,
            body: FileBody::inline(b"x".to_vec()),
        },
    })
    .expect("encoded");
    let finish = |store: &Store| {
        store
            .write(|tx| tx.finish_report_job(id, std::slice::from_ref(&file)))
            .expect("finish")
    };
    let table = Outgoing::reply(
        DIRECTOR,
        rollcall::dialog::Reply {
            html: "the table".to_owned(),
            keyboard: None,
        },
    );
    let queue_table = |store: &Store| {
        store
            .write(|tx| tx.queue_report_table(id, std::slice::from_ref(&table)))
            .expect("table")
    };
    assert!(queue_table(&store), "the table is queued");
    assert!(!queue_table(&store), "and only once");
    assert!(finish(&store), "the job's files are queued");
    assert!(!queue_table(&store), "a finished job queues no table");
    assert!(!finish(&store), "a job finished already queues nothing");
    let outbox = store.read(|view| view.outbox(100)).expect("outbox");
    assert_eq!(outbox.iter().filter(|(_, m)| is_file(m)).count(), 1);
    assert_eq!(tables(&outbox).len(), 1);
}

#[test]
fn forgetting_a_person_drops_the_reports_waiting_for_their_chat() {
    let dir = tempfile::tempdir().unwrap();
    let (store, runtime) = with_report_queued(&dir.path().join("db.redb"));
    assert_eq!(
        store.read(|view| view.report_jobs(10)).unwrap().len(),
        1,
        "the director's report waits"
    );
    let done = store
        .write(|tx| tx.forget_user(DIRECTOR, now().at))
        .unwrap();
    assert_eq!(done.report_jobs, 1);
    assert!(store.read(|view| view.report_jobs(10)).unwrap().is_empty());
    // Nothing is built or sent to the forgotten person's chat afterwards.
    let mut worker = ReportWorker::new(store.clone(), runtime.catalog.clone());
    assert_eq!(worker.run_pending().unwrap(), 0);
    let outbox = store.read(|view| view.outbox(100)).unwrap();
    assert!(file_names(&outbox).is_empty() && tables(&outbox).is_empty());
}

/// A supervisor's command, as the processor hands it to the runtime.
fn supervisor_command(
    runtime: &Runtime,
    tx: &mut Tx<'_>,
    name: &str,
    args: &str,
) -> Result<(), StoreError> {
    let event = Event {
        chat: SUPERVISOR,
        sender: Sender {
            user: SUPERVISOR,
            chat: SUPERVISOR,
            name: "Phòng GD".to_owned(),
            language_hint: Some("vi".to_owned()),
            private: true,
        },
        input: Input::Command {
            name: name.to_owned(),
            args: args.to_owned(),
        },
        callback: None,
        sent_at: None,
    };
    runtime.handle(tx, &event, now())
}

const SUPERVISOR: i64 = 60;

#[test]
fn the_roll_up_s_centres_and_silent_go_out_with_the_tables_before_any_file() {
    use rollcall::runtime::report_jobs::Part;
    let dir = tempfile::tempdir().expect("temporary directory");
    let (store, _) = filled(&dir.path().join("db.redb"));
    let runtime = runtime();
    let jobs = store
        .write(|tx| {
            tx.add_supervisor(SUPERVISOR, "Phòng GD", 0, now().at)?;
            // A member-less centre, for the silent list.
            tx.ensure_centre("Ninh Nhất")?;
            supervisor_command(&runtime, tx, "report", "2020")?;
            supervisor_command(&runtime, tx, "silent", "")?;
            Ok((tx.outbox(100)?, tx.report_jobs(10)?))
        })
        .expect("the steps");
    let (outbox, jobs) = jobs;
    assert!(outbox.is_empty(), "the steps queue jobs only: {outbox:?}");
    assert!(matches!(
        jobs.iter()
            .map(|(_, j)| j.clone().expect("readable").kind)
            .collect::<Vec<_>>()[..],
        [
            ReportJobKind::Report {
                centres_keyboard: Some(_),
                today: Some(_),
                ..
            },
            ReportJobKind::Silent { days: 30, .. }
        ]
    ));

    // The tables' loop alone: the roll-up's table, its centres with the button, and the
    // silent centres; no file yet, and the silent job is done.
    let mut worker = ReportWorker::new(store.clone(), runtime.catalog.clone());
    assert_eq!(
        worker
            .run_pending_while(Part::Tables, &|| true)
            .expect("tables"),
        2
    );
    let outbox = store.read(|view| view.outbox(100)).expect("outbox");
    assert!(!outbox.iter().any(|(_, m)| is_file(m)), "{outbox:?}");
    let messages = tables(&outbox);
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert!(messages[0].contains("Tất cả trung tâm"), "{}", messages[0]);
    assert!(messages[1].contains("Tràng An"), "{}", messages[1]);
    assert!(
        matches!(
            &outbox[1].1.op,
            OutOp::Message {
                keyboard: Some(_),
                ..
            }
        ),
        "the button for the centre × group table"
    );
    assert!(messages[2].contains("Ninh Nhất"), "{}", messages[2]);
    assert_eq!(
        store.read(|view| view.report_jobs(10)).expect("jobs").len(),
        1
    );

    // Then the roll-up's files, named after every centre.
    assert_eq!(worker.run_pending().expect("files"), 1);
    let outbox = store.read(|view| view.outbox(100)).expect("outbox");
    assert_eq!(
        file_names(&outbox),
        [
            "bieu-do-tat-ca-trung-tam-2020.png",
            "bao-cao-tat-ca-trung-tam-2020.xlsx",
            "bao-cao-tat-ca-trung-tam-2020.csv"
        ]
    );
    assert!(store
        .read(|view| view.report_jobs(10))
        .expect("jobs")
        .is_empty());
}

#[test]
fn a_files_build_stopped_before_its_commit_leaves_the_job_and_no_file_in_the_spool() {
    use rollcall::runtime::report_jobs::Part;
    use std::cell::Cell;
    let dir = tempfile::tempdir().expect("temporary directory");
    let (store, runtime) = with_report_queued(&dir.path().join("db.redb"));
    let mut worker = ReportWorker::new(store.clone(), runtime.catalog.clone());
    assert_eq!(
        worker
            .run_pending_while(Part::Tables, &|| true)
            .expect("the table"),
        1
    );
    // The bot stops while the files are built: asked before the loop, before the job and
    // before the commit, it says stop the third time.
    let asked = Cell::new(0);
    let go_on = || {
        asked.set(asked.get() + 1);
        asked.get() < 3
    };
    assert_eq!(
        worker
            .run_pending_while(Part::Files, &go_on)
            .expect("stopped"),
        0
    );
    assert_eq!(
        asked.get(),
        4,
        "stopped right before the commit, then the loop asked once more"
    );
    assert!(
        store.spool().names().expect("the spool").is_empty(),
        "the files written for the commit that did not come are removed"
    );
    assert_eq!(
        store.read(|view| view.report_jobs(10)).expect("jobs").len(),
        1
    );
    // The next start builds them again, once.
    assert_eq!(worker.run_pending().expect("built"), 1);
    let outbox = store.read(|view| view.outbox(100)).expect("outbox");
    assert_eq!(file_names(&outbox).len(), 3);
    assert_eq!(store.spool().names().expect("the spool").len(), 3);
}

#[test]
fn the_sweep_removes_only_files_no_queued_row_refers_to() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("db.redb");
    let (store, runtime) = with_report_queued(&path);
    ReportWorker::new(store.clone(), runtime.catalog.clone())
        .run_pending()
        .expect("built");
    let queued = store.spool().names().expect("the spool");
    assert_eq!(queued.len(), 3, "{queued:?}");
    // An orphan (a worker stopped between writing and committing) and a partial file.
    store.spool().put("999-0", b"orphan").expect("orphan");
    std::fs::write(store.spool().dir().join("999-1.partial"), b"half").expect("partial");
    drop(store);

    let store = Store::open(&path).expect("reopens");
    assert_eq!(store.sweep_spool().expect("swept"), 2);
    assert_eq!(store.spool().names().expect("the spool"), queued);
    // Every queued file is still readable.
    let outbox = store.read(|view| view.outbox(100)).expect("outbox");
    for (_, message) in &outbox {
        if let Some((name, body)) = message.op.file() {
            let bytes = store.file_bytes(body).expect(name);
            assert_eq!(bytes.len() as u64, body.len(), "{name}");
        }
    }
}

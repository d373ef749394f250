//! Store tests of people and access on a real redb file: memberships, supervisors,
//! invitations (single use, expiry, revocation), group links and the audit log.

use chrono::{Duration, TimeZone, Utc};
use rollcall::roles::{InviteProblem, Role};
use rollcall::store::invites::InviteRecord;
use rollcall::store::Store;

fn invite(role: Role, centre: Option<u64>, created: chrono::DateTime<Utc>) -> InviteRecord {
    InviteRecord {
        role,
        centre,
        created_by: 1,
        created_at: created,
        expires_at: created + Duration::days(7),
        uses_left: 1,
        revoked: false,
        used_by: Vec::new(),
    }
}

#[test]
fn invitations_work_once_expire_and_can_be_revoked_and_everything_is_audited() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("people.redb");
    let now = Utc
        .with_ymd_and_hms(2026, 11, 26, 8, 0, 0)
        .single()
        .expect("time");
    let store = Store::open(&path).expect("open");
    let centre = store
        .write(|tx| {
            let centre = tx.ensure_centre("Tràng An")?;
            tx.create_invite(
                "CODEAAAAAAAAAAAAAAAAAA",
                &invite(Role::Organiser, Some(centre), now),
            )?;
            tx.create_invite(
                "CODEBBBBBBBBBBBBBBBBBB",
                &invite(Role::Director, Some(centre), now),
            )?;
            tx.create_invite(
                "CODECCCCCCCCCCCCCCCCCC",
                &invite(Role::Supervisor, None, now),
            )?;
            Ok(centre)
        })
        .expect("write");

    let later = now + Duration::hours(1);
    let results = store
        .write(|tx| {
            Ok(vec![
                tx.redeem_invite("CODEAAAAAAAAAAAAAAAAAA", 10, "Lan", later)?,
                tx.redeem_invite("CODEAAAAAAAAAAAAAAAAAA", 11, "Hoa", later)?,
                tx.redeem_invite("NOSUCHCODEXXXXXXXXXXXX", 11, "Hoa", later)?,
                tx.redeem_invite("CODEBBBBBBBBBBBBBBBBBB", 11, "Hoa", now + Duration::days(8))?,
            ])
        })
        .expect("write");
    assert_eq!(results[0], Ok((Role::Organiser, Some(centre))));
    assert_eq!(results[1], Err(InviteProblem::Used));
    assert_eq!(results[2], Err(InviteProblem::Unknown));
    assert_eq!(results[3], Err(InviteProblem::Expired));

    store
        .write(|tx| {
            tx.revoke_invite("CODECCCCCCCCCCCCCCCCCC", 1, later)
                .map(drop)
        })
        .expect("revoke");
    let revoked = store
        .write(|tx| tx.redeem_invite("CODECCCCCCCCCCCCCCCCCC", 12, "Minh", later))
        .expect("write");
    assert_eq!(revoked, Err(InviteProblem::Revoked));
    drop(store);

    // After reopening: the roles, the link and the audit trail are all there.
    let store = Store::open(&path).expect("reopen");
    let (lan, hoa, members, audit) = store
        .write(|tx| {
            tx.link_group(-100, centre, 10, later)?;
            tx.fill_member_name(10, "Lan Nguyễn")?;
            Ok((
                tx.access(10)?,
                tx.access(11)?,
                tx.members(centre)?,
                tx.audit_log(None, 50)?,
            ))
        })
        .expect("read");
    assert!(!lan.is_stranger());
    assert_eq!(lan.role_in(centre), Some(Role::Organiser));
    assert_eq!(lan.centres[0].centre_name, "Tràng An");
    assert!(hoa.is_stranger(), "a used or expired code gives nothing");
    assert_eq!(members.len(), 1);
    assert_eq!(members[0].name, "Lan", "a name already known is kept");
    // The whole log: the supervisor invitation belongs to no centre.
    let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
    for action in [
        "invite_created",
        "invite_used",
        "member_added",
        "invite_revoked",
        "group_linked",
    ] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
    assert_eq!(
        store.read(|tx| tx.group_centre(-100)).expect("read"),
        Some(centre)
    );

    // Removing someone keeps them out of access and the list, and is audited.
    let removed = store
        .write(|tx| tx.remove_member(centre, 10, 1, later))
        .expect("remove");
    assert_eq!(removed, Some(Role::Organiser));
    let again = store
        .write(|tx| tx.remove_member(centre, 10, 1, later))
        .expect("remove twice");
    assert_eq!(again, None, "removing twice changes nothing");
    let (access, audit) = store
        .read(|tx| Ok((tx.access(10)?, tx.audit_log(Some(centre), 1)?)))
        .expect("read");
    assert!(access.is_stranger());
    assert_eq!(audit[0].action, "member_removed");
    assert_eq!(audit[0].actor, 1);
}

#[test]
fn an_invite_is_not_used_up_when_redeeming_it_fails() {
    // Regression (issue 16): an organiser invitation without a centre was refused as
    // unknown, but only after its one use had been written, in a transaction that commits.
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("invite.redb")).expect("open");
    let now = Utc
        .with_ymd_and_hms(2026, 11, 26, 8, 0, 0)
        .single()
        .expect("time");
    let code = "CODEDDDDDDDDDDDDDDDDDD";
    store
        .write(|tx| tx.create_invite(code, &invite(Role::Organiser, None, now)))
        .expect("create");
    let result = store
        .write(|tx| tx.redeem_invite(code, 10, "Lan", now + Duration::hours(1)))
        .expect("redeem");
    assert_eq!(result, Err(InviteProblem::Unknown));
    let stored = store
        .read(|tx| tx.invite(code))
        .expect("read")
        .expect("the invitation is still there");
    assert_eq!(stored.uses_left, 1, "the refused redemption used nothing");
    assert!(stored.used_by.is_empty(), "{:?}", stored.used_by);
    assert!(store
        .read(|tx| tx.access(10))
        .expect("access")
        .is_stranger());
}

//! People and their roles: members of centres, supervisors, and group chats linked to a
//! centre. Every change is audited in the same transaction.

use super::codec::{decode, encode};
use super::tables::{GROUP_LINKS, MEMBERS, SUPERVISORS, USER_CENTRES};
use super::view::{Source, View};
use super::{StoreError, Tx};
use crate::domain::{CentreId, ChatId, UserId};
use crate::roles::{Access, Member, Membership, Role};
use chrono::{DateTime, Utc};
use redb::ReadableTable;
use serde::{Deserialize, Serialize};

/// A member of a centre as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct MemberRecord {
    role: Role,
    #[serde(default)]
    name: String,
    added_at: DateTime<Utc>,
    added_by: UserId,
}

/// A supervisor as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct SupervisorRecord {
    #[serde(default)]
    name: String,
    added_at: DateTime<Utc>,
    added_by: UserId,
}

impl<S: Source> View<S> {
    /// What `user` may do: supervisor or not, and the centres they belong to.
    pub fn access(&self, user: UserId) -> Result<Access, StoreError> {
        let supervisor = self.table(SUPERVISORS)?.get(user)?.is_some();
        let index = self.table(USER_CENTRES)?;
        let members = self.table(MEMBERS)?;
        let mut centres = Vec::new();
        for key in index.range((user, 0)..=(user, u64::MAX))? {
            let (key, _) = key?;
            let centre = key.value().1;
            if let Some(bytes) = members.get((centre, user))? {
                let record: MemberRecord = decode(bytes.value())?;
                centres.push(Membership {
                    centre,
                    centre_name: self.centre_name(centre)?.unwrap_or_default(),
                    role: record.role,
                });
            }
        }
        Ok(Access {
            supervisor,
            centres,
        })
    }

    /// The role of `user` in `centre`, if a member.
    pub fn member_role(&self, centre: CentreId, user: UserId) -> Result<Option<Role>, StoreError> {
        let members = self.table(MEMBERS)?;
        let value = members.get((centre, user))?;
        let record: Option<MemberRecord> = value.map(|b| decode(b.value())).transpose()?;
        Ok(record.map(|r| r.role))
    }

    /// The people of `centre`, directors first, then by user id.
    pub fn members(&self, centre: CentreId) -> Result<Vec<Member>, StoreError> {
        let members = self.table(MEMBERS)?;
        let mut all = Vec::new();
        for entry in members.range((centre, i64::MIN)..=(centre, i64::MAX))? {
            let (key, bytes) = entry?;
            let record: MemberRecord = decode(bytes.value())?;
            all.push(Member {
                user: key.value().1,
                role: record.role,
                name: record.name,
            });
        }
        all.sort_by_key(|m| (std::cmp::Reverse(m.role), m.user));
        Ok(all)
    }

    /// Every supervisor: user id and name.
    pub fn supervisors(&self) -> Result<Vec<(UserId, String)>, StoreError> {
        let table = self.table(SUPERVISORS)?;
        let mut all = Vec::new();
        for entry in table.iter()? {
            let (user, bytes) = entry?;
            let record: SupervisorRecord = decode(bytes.value())?;
            all.push((user.value(), record.name));
        }
        Ok(all)
    }

    /// The centre a group chat is linked to.
    pub fn group_centre(&self, chat: ChatId) -> Result<Option<CentreId>, StoreError> {
        let links = self.table(GROUP_LINKS)?;
        let value = links.get(chat)?;
        Ok(value.map(|v| v.value()))
    }
}

impl Tx<'_> {
    /// Gives `user` `role` in `centre` (replacing an earlier role there). Returns the
    /// previous role, if any.
    pub fn add_member(
        &mut self,
        centre: CentreId,
        user: UserId,
        role: Role,
        name: &str,
        by: UserId,
        at: DateTime<Utc>,
    ) -> Result<Option<Role>, StoreError> {
        if role == Role::Supervisor {
            return Err(StoreError::Db(
                "a supervisor is not a member of a centre".to_owned(),
            ));
        }
        let previous = self.member_role(centre, user)?;
        let record = MemberRecord {
            role,
            name: name.to_owned(),
            added_at: at,
            added_by: by,
        };
        let bytes = encode(&record)?;
        self.txn
            .open_table(MEMBERS)?
            .insert((centre, user), bytes.as_slice())?;
        self.txn
            .open_table(USER_CENTRES)?
            .insert((user, centre), ())?;
        self.audit(
            at,
            by,
            Some(centre),
            "member_added",
            previous.map(|role| (user, role)).as_ref(),
            Some(&(user, role)),
        )?;
        Ok(previous)
    }

    /// Removes `user` from `centre`; their past sessions stay in the reports. Returns the
    /// role they had, or `None` when they were not a member (nothing changes then).
    pub fn remove_member(
        &mut self,
        centre: CentreId,
        user: UserId,
        by: UserId,
        at: DateTime<Utc>,
    ) -> Result<Option<Role>, StoreError> {
        let Some(role) = self.member_role(centre, user)? else {
            return Ok(None);
        };
        self.txn.open_table(MEMBERS)?.remove((centre, user))?;
        self.txn.open_table(USER_CENTRES)?.remove((user, centre))?;
        self.audit::<_, ()>(
            at,
            by,
            Some(centre),
            "member_removed",
            Some(&(user, role)),
            None,
        )?;
        Ok(Some(role))
    }

    /// Records `name` for `user` wherever they are a member without a name yet (people
    /// added from the command line are known only by id until they write to the bot).
    pub fn fill_member_name(&mut self, user: UserId, name: &str) -> Result<(), StoreError> {
        if name.trim().is_empty() {
            return Ok(());
        }
        let centres: Vec<CentreId> = {
            let index = self.txn.open_table(USER_CENTRES)?;
            let mut centres = Vec::new();
            for key in index.range((user, 0)..=(user, u64::MAX))? {
                centres.push(key?.0.value().1);
            }
            centres
        };
        let mut members = self.txn.open_table(MEMBERS)?;
        for centre in centres {
            let record: Option<MemberRecord> = members
                .get((centre, user))?
                .map(|bytes| decode(bytes.value()))
                .transpose()?;
            if let Some(mut record) = record.filter(|r| r.name.is_empty()) {
                record.name = name.trim().to_owned();
                let bytes = encode(&record)?;
                members.insert((centre, user), bytes.as_slice())?;
            }
        }
        Ok(())
    }

    /// Moves every member of `from` to `into` (a centre merge): a person in both keeps
    /// the higher of their two roles. Returns the people moved. The caller audits the
    /// merge as a whole.
    pub(super) fn move_members(
        &mut self,
        from: CentreId,
        into: CentreId,
    ) -> Result<Vec<UserId>, StoreError> {
        let moving: Vec<(UserId, MemberRecord)> = {
            let members = self.txn.open_table(MEMBERS)?;
            let mut moving = Vec::new();
            for entry in members.range((from, i64::MIN)..=(from, i64::MAX))? {
                let (key, bytes) = entry?;
                moving.push((key.value().1, decode(bytes.value())?));
            }
            moving
        };
        let mut members = self.txn.open_table(MEMBERS)?;
        let mut index = self.txn.open_table(USER_CENTRES)?;
        for (user, record) in &moving {
            let existing: Option<MemberRecord> = members
                .get((into, *user))?
                .map(|bytes| decode(bytes.value()))
                .transpose()?;
            let kept = match existing {
                Some(there) if there.role >= record.role => there,
                _ => record.clone(),
            };
            members.remove((from, *user))?;
            index.remove((*user, from))?;
            members.insert((into, *user), encode(&kept)?.as_slice())?;
            index.insert((*user, into), ())?;
        }
        Ok(moving.into_iter().map(|(user, _)| user).collect())
    }

    /// Makes `user` a supervisor. Returns false when they already were one.
    pub fn add_supervisor(
        &mut self,
        user: UserId,
        name: &str,
        by: UserId,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        if self.txn.open_table(SUPERVISORS)?.get(user)?.is_some() {
            return Ok(false);
        }
        let record = SupervisorRecord {
            name: name.to_owned(),
            added_at: at,
            added_by: by,
        };
        let bytes = encode(&record)?;
        self.txn
            .open_table(SUPERVISORS)?
            .insert(user, bytes.as_slice())?;
        self.audit::<(), _>(at, by, None, "supervisor_added", None, Some(&user))?;
        Ok(true)
    }

    /// Links a group chat to a centre (replacing an earlier link of that chat).
    pub fn link_group(
        &mut self,
        chat: ChatId,
        centre: CentreId,
        by: UserId,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let previous = self
            .txn
            .open_table(GROUP_LINKS)?
            .insert(chat, centre)?
            .map(|v| v.value());
        self.audit(
            at,
            by,
            Some(centre),
            "group_linked",
            previous.as_ref(),
            Some(&chat),
        )?;
        Ok(())
    }

    /// Forgets a group chat the bot can no longer write to (removed from the group, chat
    /// deleted): its link and its reminders. Returns whether it was linked.
    pub fn unlink_group(&mut self, chat: ChatId, at: DateTime<Utc>) -> Result<bool, StoreError> {
        let centre = self
            .txn
            .open_table(GROUP_LINKS)?
            .remove(chat)?
            .map(|v| v.value());
        self.remove_reminders(chat, 0, at)?;
        if let Some(centre) = centre {
            self.audit::<_, ()>(at, 0, Some(centre), "group_unlinked", Some(&chat), None)?;
        }
        Ok(centre.is_some())
    }

    /// Follows a group that became a supergroup: its link and reminders move to the new id.
    pub fn move_group(
        &mut self,
        from: ChatId,
        to: ChatId,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let centre = self
            .txn
            .open_table(GROUP_LINKS)?
            .remove(from)?
            .map(|v| v.value());
        if let Some(centre) = centre {
            self.txn.open_table(GROUP_LINKS)?.insert(to, centre)?;
            self.audit(at, 0, Some(centre), "group_moved", Some(&from), Some(&to))?;
        }
        self.move_reminders(from, to)
    }
}

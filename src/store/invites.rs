//! Invitations: single-use (by default), expiring codes that give a role in a centre, or
//! the supervisor role, to whoever opens the `t.me/<bot>?start=<code>` link.

use super::codec::{decode, encode};
use super::tables::INVITES;
use super::view::{Source, View};
use super::{StoreError, Tx};
use crate::domain::{CentreId, UserId};
use crate::roles::{InviteProblem, Role};
use chrono::{DateTime, Utc};
use redb::ReadableTable;
use serde::{Deserialize, Serialize};

/// An invitation as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteRecord {
    pub role: Role,
    /// The centre it joins; `None` for a supervisor invitation.
    pub centre: Option<CentreId>,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// How many more times it can be used.
    pub uses_left: u32,
    #[serde(default)]
    pub revoked: bool,
    /// Who used it, in order.
    #[serde(default)]
    pub used_by: Vec<UserId>,
}

impl<S: Source> View<S> {
    /// The invitation stored under `code`.
    pub fn invite(&self, code: &str) -> Result<Option<InviteRecord>, StoreError> {
        let invites = self.table(INVITES)?;
        let value = invites.get(code)?;
        value.map(|b| decode(b.value())).transpose()
    }
}

impl Tx<'_> {
    /// Stores a new invitation under `code` (made by the caller from a secure random source).
    pub fn create_invite(&mut self, code: &str, invite: &InviteRecord) -> Result<(), StoreError> {
        if self.txn.open_table(INVITES)?.get(code)?.is_some() {
            return Err(StoreError::Db("invitation code already exists".to_owned()));
        }
        let bytes = encode(invite)?;
        self.txn
            .open_table(INVITES)?
            .insert(code, bytes.as_slice())?;
        self.audit::<(), _>(
            invite.created_at,
            invite.created_by,
            invite.centre,
            "invite_created",
            None,
            Some(&(invite.role, invite.expires_at, invite.uses_left)),
        )?;
        Ok(())
    }

    /// Uses an invitation for `user`: gives the role and returns it with its centre, or
    /// says why the code cannot be used (nothing changes then).
    pub fn redeem_invite(
        &mut self,
        code: &str,
        user: UserId,
        name: &str,
        at: DateTime<Utc>,
    ) -> Result<Result<(Role, Option<CentreId>), InviteProblem>, StoreError> {
        let Some(mut invite) = self.invite(code)? else {
            return Ok(Err(InviteProblem::Unknown));
        };
        if invite.revoked {
            return Ok(Err(InviteProblem::Revoked));
        }
        if invite.uses_left == 0 {
            return Ok(Err(InviteProblem::Used));
        }
        if at > invite.expires_at {
            return Ok(Err(InviteProblem::Expired));
        }
        // Every refusal comes before the use is written: a code that cannot give its role
        // (a centre role without a centre) stays as it was instead of being used up.
        match (invite.role, invite.centre) {
            (Role::Supervisor, _) => {
                self.add_supervisor(user, name, invite.created_by, at)?;
            }
            (role, Some(centre)) => {
                self.add_member(centre, user, role, name, invite.created_by, at)?;
            }
            (_, None) => return Ok(Err(InviteProblem::Unknown)),
        }
        invite.uses_left -= 1;
        invite.used_by.push(user);
        let bytes = encode(&invite)?;
        self.txn
            .open_table(INVITES)?
            .insert(code, bytes.as_slice())?;
        self.audit::<(), _>(
            at,
            user,
            invite.centre,
            "invite_used",
            None,
            Some(&invite.role),
        )?;
        Ok(Ok((invite.role, invite.centre)))
    }

    /// Revokes an invitation. Returns the invitation as it was, or `None` for an unknown code.
    pub fn revoke_invite(
        &mut self,
        code: &str,
        by: UserId,
        at: DateTime<Utc>,
    ) -> Result<Option<InviteRecord>, StoreError> {
        let Some(mut invite) = self.invite(code)? else {
            return Ok(None);
        };
        let before = invite.clone();
        invite.revoked = true;
        let bytes = encode(&invite)?;
        self.txn
            .open_table(INVITES)?
            .insert(code, bytes.as_slice())?;
        self.audit::<(), _>(
            at,
            by,
            invite.centre,
            "invite_revoked",
            None,
            Some(&invite.role),
        )?;
        Ok(Some(before))
    }
}

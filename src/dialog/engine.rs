//! The session dialog state machine.

use super::{Catalog, ChatState, Effect, Facts, Input, Sender};
use crate::domain::{CentreId, Now};

/// Advances one chat's dialog by one input.
pub fn step(
    catalog: &Catalog,
    facts: &dyn Facts,
    centre: CentreId,
    state: ChatState,
    sender: &Sender,
    input: Input,
    now: Now,
) -> (ChatState, Vec<Effect>) {
    let _ = (catalog, facts, centre, sender, input, now);
    (state, Vec::new())
}

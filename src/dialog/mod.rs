//! The dialog engine: pure functions from (chat state, input, now) to (chat state, effects).
//!
//! No teloxide, no redb, no tokio, no clock reads here: time comes in as `Now`, the
//! little the engine needs to know about stored classes comes through the `Facts` trait.
//! The questions and every text come from the `Catalog` compiled from `dialogs/`.

pub mod callback;
pub mod catalog;
pub mod engine;
pub mod import;
pub mod io;
pub mod load;
pub mod parse;
pub mod quick;
pub mod similar;
pub mod state;

pub use catalog::{Catalog, Group, LangText, Question, QuestionKind};
pub use engine::step;
pub use io::ClassSummary;
pub use io::{
    Button, ClassRef, Effect, Facts, Input, Keyboard, LinkButton, Reply, SavedInfo, Sender,
};
pub use load::{load_dir, load_embedded, DialogError};
pub use state::{Answer, ChatState, Draft, Step};

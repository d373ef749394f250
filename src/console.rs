//! The same dialogs in a terminal.

//! The only code that knows teloxide.

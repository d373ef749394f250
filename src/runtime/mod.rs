//! Runs one engine step inside one store transaction.

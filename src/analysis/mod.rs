//! What several rules share: local types and call resolution (`types`).

pub mod types;

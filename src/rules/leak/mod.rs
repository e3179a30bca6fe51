//! Resource leak rules: `unclosed-resource` (a handle left open on some path), `defer-in-loop`
//! (releases deferred until the function returns, once per iteration) and `rows-err-unchecked`
//! (a `rows.Next` loop whose error is never read). They share the table of acquiring calls
//! (`resources`) and the dataflow over a function's control-flow graph (`flow`).

// One module per rule whose engine file is in this folder, named as its id (build.rs).
include!(concat!(env!("OUT_DIR"), "/rules_leak.rs"));

pub mod flow;
pub mod rare;
pub mod resources;

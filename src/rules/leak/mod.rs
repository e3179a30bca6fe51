//! Resource leak rules: `unclosed-resource` (a handle left open on some path), `defer-in-loop`
//! (releases deferred until the function returns, once per iteration) and `rows-err-unchecked`
//! (a `rows.Next` loop whose error is never read). They share the table of acquiring calls
//! (`resources`) and the dataflow over a function's control-flow graph (`flow`).

pub mod defer_in_loop;
pub mod flow;
pub mod resources;
pub mod rows_err_unchecked;
pub mod unclosed_resource;

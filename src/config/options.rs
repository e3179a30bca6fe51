//! Each rule's options, typed. `build.rs` generates them from the catalogue's `[options.<name>]`
//! tables: a struct per rule with options (serde, unknown options refused, defaults from the
//! catalogue), an enum for an option declared with `values = [...]`, and `RuleOptions`, the
//! variant a rule's settings carry. A bad value is an error at load, naming the rule and option.

use crate::catalogue::RuleId;
use serde::Deserialize;

include!(concat!(env!("OUT_DIR"), "/rule_options.rs"));

//! `ssrf`: outside input as the URL or address of an outgoing request (`http.Get`,
//! `http.NewRequest`, `client.Get`, `net.Dial`) without a host check.
//!
//! Why it matters: the service can be made to call internal addresses (cloud metadata,
//! localhost admin ports) on the attacker's behalf. A URL whose scheme and host are fixed by a
//! literal prefix, or parsed and checked against allowed hosts, is not reported.

use super::report_flows;
use crate::analysis::taint::URL;
use crate::config::RuleSettings;
use crate::rules::{PackageContext, PackageDiagnostic, Rule};

pub struct Ssrf;

impl Rule for Ssrf {
    fn id(&self) -> &'static str {
        "ssrf"
    }

    fn needs_taint(&self) -> bool {
        true
    }

    fn check_package(
        &self,
        cx: &PackageContext,
        settings: &RuleSettings,
        out: &mut Vec<PackageDiagnostic>,
    ) {
        report_flows(cx, settings, URL, out);
    }
}

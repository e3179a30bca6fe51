//! `ssrf`: outside input as the URL or address of an outgoing request (`http.Get`,
//! `http.NewRequest`, `client.Get`, `net.Dial`) without a host check.
//!
//! Why it matters: the service can be made to call internal addresses (cloud metadata,
//! localhost admin ports) on the attacker's behalf. A URL whose scheme and host are fixed by a
//! literal prefix, or parsed and checked against allowed hosts, is not reported.

use super::{report_flows, Origins};
use crate::analysis::taint::URL;
use crate::config::RuleSettings;
use crate::rules::{PackageContext, PackageDiagnostic, Rule};

pub struct Ssrf;

impl Rule for Ssrf {
    fn needs_taint(&self) -> bool {
        true
    }

    fn check_package(
        &self,
        cx: &PackageContext,
        settings: &RuleSettings,
        out: &mut Vec<PackageDiagnostic>,
    ) {
        let o = settings.options.ssrf();
        let origins = Origins {
            exported_params: o.exported_params,
            local_sources: o.local_sources,
        };
        report_flows(cx, origins, URL, out);
    }
}

//! `ssrf`: outside input as the URL or address of an outgoing request (`http.Get`,
//! `http.NewRequest`, `client.Get`, `net.Dial`) without a host check.
//!
//! Why it matters: the service can be made to call internal addresses (cloud metadata,
//! localhost admin ports) on the attacker's behalf. Only a tainted host is reported: a URL whose
//! scheme and host are fixed by a literal prefix, whose input only lands in the path or query
//! after a base the program chose (`cfg.BaseURL + "/users/" + id`, `url.JoinPath(base, id)`),
//! or that is parsed and checked against allowed hosts, is not.

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

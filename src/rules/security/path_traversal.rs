//! `path-traversal`: outside input in a path opened, created, removed, served or set as
//! `cmd.Dir` without a containment check, including archive entry names joined to a
//! destination (zip slip).
//!
//! Why it matters: `../` in the input reads or overwrites files outside the intended folder.
//! Containment checks that count: `filepath.IsLocal`, `os.Root`, `filepath.Rel` with a `..`
//! check, `strings.HasPrefix` on the base with its trailing separator, `filepath.Base`.

use super::{report_flows, Origins};
use crate::analysis::taint::PATH;
use crate::config::RuleSettings;
use crate::rules::{PackageContext, PackageDiagnostic, Rule};

pub struct PathTraversal;

impl Rule for PathTraversal {
    fn needs_taint(&self) -> bool {
        true
    }

    fn check_package(
        &self,
        cx: &PackageContext,
        settings: &RuleSettings,
        out: &mut Vec<PackageDiagnostic>,
    ) {
        let o = settings.options.path_traversal();
        let origins = Origins {
            exported_params: o.exported_params,
            local_sources: o.local_sources,
        };
        report_flows(cx, origins, PATH, out);
    }
}

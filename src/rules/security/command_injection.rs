//! `command-injection`: outside input in the command of `exec.Command`: as the program name,
//! or as the script of a shell (`sh -c`, `bash -c`, `cmd /c`).
//!
//! Why it matters: whoever controls the text runs any command with the service's rights. A
//! model's tool call decoded from JSON is as untrusted as a request. Arguments passed to a fixed
//! program without a shell are not reported: the shell is what parses them as code.

use super::{report_flows, Origins};
use crate::analysis::taint::COMMAND;
use crate::config::RuleSettings;
use crate::rules::{PackageContext, PackageDiagnostic, Rule};

pub struct CommandInjection;

impl Rule for CommandInjection {
    fn needs_taint(&self) -> bool {
        true
    }

    fn check_package(
        &self,
        cx: &PackageContext,
        settings: &RuleSettings,
        out: &mut Vec<PackageDiagnostic>,
    ) {
        let o = settings.options.command_injection();
        let origins = Origins {
            exported_params: o.exported_params,
            local_sources: o.local_sources,
        };
        report_flows(cx, origins, COMMAND, out);
    }
}

//! What a run produced: the findings, the counts and timings a report prints beside them, and
//! what the result cache keeps of each package's audit. The engine (`audit`) fills these; the
//! cache, the reports and `goaudit merge` read them.

use crate::external::RunStatus;
use crate::finding::{Category, Finding, Severity};
use crate::fxhash::HashMap;
use crate::source::SourceFile;
use crate::suppress::Suppressions;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Wall times of the stages, and the thread time spent parsing and in rules.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Timings {
    pub discover_ms: f64,
    /// Wall time of parsing and rules together (they interleave, package by package).
    pub analyse_ms: f64,
    /// Thread time spent reading and parsing, summed over threads.
    pub parse_cpu_ms: f64,
    /// Thread time spent in rules, summed over threads.
    pub rules_cpu_ms: f64,
    /// Thread time spent extracting package facts (the index), summed over threads.
    pub index_cpu_ms: f64,
    /// Thread time spent on the packages a shard reads for their facts only (reading, parsing
    /// their skeletons, their facts and taint summaries), summed over threads.
    #[serde(skip_serializing_if = "is_zero_ms")]
    pub facts_only_cpu_ms: f64,
    /// Wall time spent loading dependencies' facts (cache or module cache).
    pub deps_ms: f64,
    pub report_ms: f64,
    /// Packages whose results came from the result cache, and those audited afresh while it
    /// was on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cache: Option<CacheStats>,
    /// Each external tool's wall time, from its start (before the built-in audit) to its end.
    pub tools: Vec<(String, f64)>,
    /// How long the audit waited for the tools after its own work was done.
    pub tools_wait_ms: f64,
}

/// The result cache's part in a run.
#[derive(Debug, Default, Clone, Serialize)]
pub struct CacheStats {
    pub hits: usize,
    pub misses: usize,
}

/// What a report says about one external tool's run.
#[derive(Debug, Clone, Serialize)]
pub struct ToolSummary {
    pub name: String,
    #[serde(flatten)]
    pub status: RunStatus,
    pub findings: usize,
    pub wall_ms: f64,
}

/// Counts a report prints beside the findings.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Summary {
    pub root: String,
    pub packages: usize,
    pub files: usize,
    pub lines: usize,
    pub bytes: usize,
    pub generated_files: usize,
    pub rules: Vec<String>,
    pub suppressed: usize,
    pub by_severity: BTreeMap<Severity, usize>,
    pub by_category: BTreeMap<Category, usize>,
    pub duration_ms: f64,
    /// The external tools that were asked for, and how their runs ended.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tools: Vec<ToolSummary>,
    #[serde(skip)]
    pub timings: Timings,
    /// Problems of the run itself (a tool that failed, a rule that crashed).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notifications: Vec<Notification>,
    /// Where `root` sits inside its git repository (`svc/api/`; empty at the top or outside
    /// git), so CI formats can name files relative to the repository.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub repo_prefix: String,
    /// Findings hidden because their fingerprint is in the `--baseline` file.
    #[serde(skip_serializing_if = "is_zero")]
    pub baselined: usize,
    /// Findings hidden because their code did not change since `--new-from-rev`.
    #[serde(skip_serializing_if = "is_zero")]
    pub unchanged: usize,
    /// Folders the patterns reach that could not be read (relative to `root`): their files were
    /// not audited. `--strict` makes the run exit 3.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unreadable: Vec<Unreadable>,
    /// The shard this report covers (`--shard I/N`); absent for a full run, which is 1/1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shard: Option<crate::shard::Shard>,
    /// Which run made this report: `goaudit merge` joins only reports of one run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity: Option<crate::shard::RunIdentity>,
    /// The LLM review's counts, tokens and cost, when `--llm` ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub llm: Option<crate::llm::LlmSummary>,
    /// Call sites seen and resolved to a signature (only with `--stats`).
    #[serde(skip)]
    pub calls: CallStats,
}

fn is_zero_ms(ms: &f64) -> bool {
    *ms == 0.0
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Summary {
    /// Counts the findings by severity and category again, after filters removed some.
    pub fn recount(&mut self, findings: &[Finding]) {
        self.by_severity.clear();
        self.by_category.clear();
        for f in findings {
            *self.by_severity.entry(f.severity).or_insert(0) += 1;
            *self.by_category.entry(f.category).or_insert(0) += 1;
        }
    }
}

/// A folder the patterns reach that could not be listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unreadable {
    /// Relative to the summary's `root`.
    pub folder: String,
    /// Why, as the system says it: `permission denied`.
    pub reason: String,
}

/// How bad a problem of the run itself is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NotificationLevel {
    Error,
    Warning,
    Note,
}

/// A problem of the run itself, such as an external tool that failed.
#[derive(Debug, Clone, Serialize)]
pub struct Notification {
    /// Who reports it: `goaudit`, `staticcheck`, `llm`, ...
    pub tool: String,
    pub level: NotificationLevel,
    pub message: String,
}

/// How many call sites the index resolved (`--stats`).
#[derive(Debug, Default, Clone, Serialize)]
pub struct CallStats {
    pub total: usize,
    /// Resolved to a declared signature, a builtin or a conversion.
    pub exact: usize,
    /// Resolved by a vote over method sets (receiver type unknown).
    pub voted: usize,
    /// Dependency packages indexed.
    pub dep_packages: usize,
}

pub struct Outcome {
    pub findings: Vec<Finding>,
    /// Findings silenced by `//nolint` or `//goaudit:ignore`, for `--include-suppressed`.
    pub suppressed: Vec<Finding>,
    pub summary: Summary,
}

/// What is kept of each audited file once its tree is dropped: enough to place and filter the
/// findings of other sources (the external tools) after the built-in audit.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AuditedFile {
    pub generated: bool,
    pub suppressions: Suppressions,
}

/// Every audited file by its report path.
pub type FileTable = HashMap<String, AuditedFile>;

/// Everything auditing one package produced: what the result cache keeps.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct PackageAudit {
    pub findings: Vec<Finding>,
    /// Findings silenced by `//nolint` or `//goaudit:ignore`.
    pub suppressed: Vec<Finding>,
    /// What is kept of each file, by report path.
    pub files: Vec<(String, AuditedFile)>,
    pub counts: FileCounts,
}

/// The size of what a package's audit read.
#[derive(Debug, Default, Clone, Copy, Serialize, Deserialize)]
pub struct FileCounts {
    pub files: usize,
    pub lines: usize,
    pub bytes: usize,
    pub generated: usize,
}

impl FileCounts {
    /// The counts of a package's files.
    pub fn of(files: &[SourceFile]) -> FileCounts {
        FileCounts {
            files: files.len(),
            lines: files.iter().map(SourceFile::line_count).sum(),
            bytes: files.iter().map(|f| f.text.len()).sum(),
            generated: files.iter().filter(|f| f.generated).count(),
        }
    }
}

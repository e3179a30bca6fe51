//! `goaudit sessions` (past runs with their tokens and cost) and `goaudit sessions show ID` (a
//! run's units with their status, tokens, cost and findings).

use super::store::{self, SessionRow};
use crate::finding::Finding;
use anyhow::{bail, Result};
use std::fmt::Write;
use std::path::Path;

/// The list of runs, newest first.
pub fn list(db: &Path) -> Result<String> {
    if !db.exists() {
        return Ok(format!(
            "no sessions yet ({} does not exist)\n",
            db.display()
        ));
    }
    let conn = store::open(db)?;
    let runs = store::runs(&conn)?;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:8}  {:19}  {:>5}  {:>9}  {:>10}  {:>9}  {:10}  title",
        "id", "created (UTC)", "units", "prompt", "completion", "cost", "status"
    );
    for r in &runs {
        let _ = writeln!(
            s,
            "{:8}  {:19}  {:>5}  {:>9}  {:>10}  {:>9}  {:10}  {} ({})",
            &r.id[..8.min(r.id.len())],
            date(r.created_at),
            r.units,
            r.prompt_tokens,
            r.completion_tokens,
            format!("${:.4}", r.cost),
            r.status,
            r.title,
            r.model
        );
    }
    Ok(s)
}

/// One run and its units.
pub fn show(db: &Path, id: &str) -> Result<String> {
    if !db.exists() {
        bail!("no sessions database at {}", db.display());
    }
    let conn = store::open(db)?;
    let (run, units) = store::show(&conn, id)?;
    let mut s = String::new();
    let _ = writeln!(s, "session {}\n{} ({})", run.id, run.title, run.model);
    let _ = writeln!(
        s,
        "created {} UTC, {}; {} units, {} messages, {} prompt + {} completion tokens, ${:.4}\n",
        date(run.created_at),
        run.status,
        run.units,
        run.message_count,
        run.prompt_tokens,
        run.completion_tokens,
        run.cost
    );
    for u in &units {
        unit(&mut s, u);
    }
    Ok(s)
}

fn unit(s: &mut String, u: &SessionRow) {
    let findings: Vec<Finding> = serde_json::from_str(&u.findings).unwrap_or_default();
    let _ = writeln!(
        s,
        "{}  {}  {} prompt + {} completion tokens, ${:.4}, {} finding{}{}",
        u.title,
        u.status,
        u.prompt_tokens,
        u.completion_tokens,
        u.cost,
        findings.len(),
        if findings.len() == 1 { "" } else { "s" },
        if u.detail.is_empty() {
            String::new()
        } else {
            format!(" ({})", u.detail)
        }
    );
    for f in findings {
        let _ = writeln!(
            s,
            "    {}:{}: {} {}: {}",
            f.location.file, f.location.start.line, f.severity, f.rule, f.message
        );
    }
}

/// `YYYY-MM-DD HH:MM:SS` (UTC) of a Unix time in milliseconds.
pub fn date(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_are_civil() {
        assert_eq!(super::date(0), "1970-01-01 00:00:00");
        assert_eq!(super::date(1_766_979_579_000), "2025-12-29 03:39:39");
    }
}

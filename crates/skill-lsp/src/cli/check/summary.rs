//! `--summary`: a repository's figures instead of its findings — counts per
//! rule, counts per skill, and a grade an owner can track from run to run.

use std::io::{self, Write};

use serde::Serialize;
use skill_core::Severity;

use super::report::Report;
use super::statistics::{self, Count};

/// One skill's findings by severity.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct SkillCount {
    pub path: String,
    pub errors: usize,
    pub warnings: usize,
    pub information: usize,
}

/// The figures of one run.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Summary {
    /// `A` to `F`, from `score`.
    pub grade: char,
    /// 0 to 100: a skill with no error and no warning counts fully, one with
    /// warnings only half, one with an error not at all.
    pub score: u32,
    pub skills: usize,
    pub clean: usize,
    pub warnings_only: usize,
    pub with_errors: usize,
    /// Per rule, the most frequent first (as `--statistics`).
    pub rules: Vec<Count>,
    /// Per skill with findings, the most errors first, then warnings, then path.
    pub files: Vec<SkillCount>,
}

/// The grade of a score: A from 90, B from 75, C from 60, D from 40, else F.
fn grade(score: u32) -> char {
    match score {
        90.. => 'A',
        75..=89 => 'B',
        60..=74 => 'C',
        40..=59 => 'D',
        _ => 'F',
    }
}

pub fn summarize(report: &Report) -> Summary {
    let mut files: Vec<SkillCount> = report
        .checked
        .iter()
        .map(|c| {
            let of = |s: Severity| c.diagnostics.iter().filter(|d| d.severity == s).count();
            SkillCount {
                path: report.display(&c.path),
                errors: of(Severity::Error),
                warnings: of(Severity::Warning),
                information: of(Severity::Information),
            }
        })
        .collect();
    let skills = files.len();
    let with_errors = files.iter().filter(|f| f.errors > 0).count();
    let warnings_only = files.iter().filter(|f| f.errors == 0 && f.warnings > 0).count();
    let clean = skills - with_errors - warnings_only;
    // Half points for a skill with warnings only, in whole points of 100:
    // (2·clean + warnings_only) / (2·skills), rounded down. No skill, no defect.
    let score = if skills == 0 {
        100
    } else {
        ((2 * clean + warnings_only) * 100 / (2 * skills)) as u32
    };
    files.retain(|f| f.errors + f.warnings + f.information > 0);
    files.sort_by(|a, b| {
        (b.errors, b.warnings, b.information)
            .cmp(&(a.errors, a.warnings, a.information))
            .then_with(|| a.path.cmp(&b.path))
    });
    Summary {
        grade: grade(score),
        score,
        skills,
        clean,
        warnings_only,
        with_errors,
        rules: statistics::counts(report),
        files,
    }
}

pub fn write_text(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    let s = summarize(report);
    if !s.rules.is_empty() {
        writeln!(out, "Findings per rule:")?;
        statistics::write_counts(out, &s.rules)?;
        writeln!(out)?;
        writeln!(out, "Findings per skill (errors, warnings, information):")?;
        for f in &s.files {
            writeln!(
                out,
                "{:>4} {:>4} {:>4}  {}",
                f.errors, f.warnings, f.information, f.path
            )?;
        }
        writeln!(out)?;
    }
    writeln!(
        out,
        "Grade {} ({}/100): {} skills, {} clean, {} with warnings only, {} with errors",
        s.grade, s.score, s.skills, s.clean, s.warnings_only, s.with_errors
    )
}

pub fn write_json(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &summarize(report))?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::grade;

    #[test]
    fn grades_follow_the_score_bands() {
        let got: Vec<char> = [100, 90, 89, 75, 74, 60, 59, 40, 39, 0].map(grade).to_vec();
        assert_eq!(got, ['A', 'A', 'B', 'B', 'C', 'C', 'D', 'D', 'F', 'F']);
    }
}

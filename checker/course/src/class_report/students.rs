//! The report's sections about each student: the late submissions and the table of every
//! student (see [`super`]).

use super::{Extras, head, lab_of};
use crate::html::esc;
use crate::outputs::{StudentResult, flag_list};
use crate::t;
use model::course::Lab;
use model::{LabStatus, StudentStatus};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// One student's lateness, `lab1: +1d -10%; lab3: date unknown`; `every lab: date unknown`
/// when all `of` labs say the same.
fn late_text(late: &[(String, String)], of: usize) -> String {
    match late {
        [(_, first), rest @ ..]
            if of > 1 && late.len() == of && rest.iter().all(|(_, t)| t == first) =>
        {
            t!("class-every-lab", late = first)
        }
        _ => late
            .iter()
            .map(|(lab, t)| format!("{lab}: {t}"))
            .collect::<Vec<_>>()
            .join("; "),
    }
}

/// Late submissions, when results.json records lateness (see [`super::lateness`]).
pub(super) fn late_section(
    b: &mut String,
    labs: &[&Lab],
    all: &BTreeMap<String, StudentResult>,
    x: &Extras,
) {
    let mut rows = String::new();
    for (id, r) in all {
        let late: Vec<(String, String)> = labs
            .iter()
            .filter_map(|l| lab_of(r, &l.id))
            .filter_map(|g| (x.late)(g).map(|t| (g.lab.clone(), t)))
            .collect();
        if !late.is_empty() {
            let _ = writeln!(
                rows,
                "<tr><td>{}</td><td>{}</td></tr>",
                esc(id),
                esc(&late_text(&late, labs.len()))
            );
        }
    }
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(
        b,
        "<h2 id=\"late\">{}</h2>\n<div class=\"scroll\"><table><thead><tr>{}</tr></thead>\
         <tbody>\n{rows}</tbody></table></div>",
        t!("class-late"),
        head(&[t!("class-col-student"), t!("class-col-late-by")])
    );
}

/// One row per student.
pub(super) fn students(
    b: &mut String,
    labs: &[&Lab],
    all: &BTreeMap<String, StudentResult>,
    x: &Extras,
    max: u32,
) {
    let any_late = all
        .values()
        .any(|r| r.extra_data.labs.iter().any(|l| (x.late)(l).is_some()));
    let _ = write!(
        b,
        "<h2 id=\"students\">{}</h2>\n<div class=\"scroll\"><table><thead><tr><th>{}</th>",
        t!("class-students"),
        t!("class-col-student")
    );
    for l in labs {
        let _ = write!(b, "<th>{}<br>/{}</th>", esc(&l.id), l.max_points());
    }
    let _ = writeln!(
        b,
        "<th>{}<br>/{max}</th><th>{}</th><th>{}</th>{}</tr></thead><tbody>",
        t!("class-col-total"),
        t!("class-col-status"),
        t!("class-col-flags"),
        if any_late {
            format!("<th>{}</th>", t!("class-col-late"))
        } else {
            String::new()
        }
    );
    for (id, r) in all {
        let _ = write!(b, "<tr><td>{}</td>", esc(id));
        let mut total = 0;
        let mut late = Vec::new();
        for l in labs {
            match lab_of(r, &l.id) {
                Some(g) => {
                    total += g.score;
                    let note = if g.status == LabStatus::Graded {
                        String::new()
                    } else {
                        let status = crate::i18n::spoken(crate::i18n::lang(), g.status.as_str());
                        format!(" <span class=\"note\">{}</span>", esc(&status))
                    };
                    let _ = write!(b, "<td class=\"n\">{}{note}</td>", g.score);
                    if let Some(t) = (x.late)(g) {
                        late.push((g.lab.clone(), t));
                    }
                }
                None => b.push_str("<td class=\"n\">–</td>"),
            }
        }
        let status = r.extra_data.status;
        let _ = write!(
            b,
            "<td class=\"n\">{total}</td><td><span class=\"st {c}\">{s}</span></td><td>{}</td>",
            esc(&flag_list(r).join(" ")),
            c = esc(status.as_str()),
            s = esc(&spoken_status(status))
        );
        if any_late {
            let _ = write!(b, "<td>{}</td>", esc(&late_text(&late, labs.len())));
        }
        b.push_str("</tr>\n");
    }
    let _ = writeln!(b, "</tbody></table></div>");
}

/// A submission's status in words (`grader error`).
fn spoken_status(status: StudentStatus) -> String {
    match status {
        StudentStatus::Rejected => t!("class-rejected"),
        StudentStatus::GraderError => t!("class-grader-error"),
        StudentStatus::Graded => crate::i18n::spoken(crate::i18n::lang(), status.as_str()),
    }
}

//! Flags: what a submission's task files use that its lab does not need, for the
//! instructor to read. A flag is information, never a penalty: it changes no point.
//!
//! Some things no sandbox can fully stop inside a check's own process: code that reads its
//! process's memory (`unsafe`), runs before `main` (a `link_section` constructor), ends the
//! process in the middle of a check (`process::exit`), prints libtest's words, reads the
//! grader's environment or compiles in a file (`include_str!`). The grade does not trust
//! any of them (see `model::seal`), and these flags make them visible.
//!
//! What each [`KINDS`] entry looks for is matched in the code and string literals of the
//! student's task files (comments are ignored), and counted against the same file of the
//! skeleton: only what the student added counts. A lab that needs a kind says so in
//! `course.toml` (`may_use = ["unsafe", "libc", …]`: Lab 3 forks and execs).

use model::course::Lab;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// One kind of flag: its id (as in `course.toml`'s `may_use`), what it means, and the text
/// that shows it.
#[derive(Debug)]
pub struct Kind {
    /// `unsafe`.
    pub id: &'static str,
    /// For the instructor.
    pub what: &'static str,
    /// Any of these in the code or a string literal.
    pub patterns: &'static [&'static str],
}

/// Every kind of flag.
pub const KINDS: &[Kind] = &[
    Kind {
        id: "unsafe",
        what: "unsafe code (can read or write any memory of the check's process)",
        patterns: &["unsafe", "asm!", "global_asm!", "transmute", "static mut"],
    },
    Kind {
        id: "exit",
        what: "ends the process itself (process::exit / abort / _exit)",
        patterns: &[
            "process::exit",
            "process::abort",
            "_exit",
            "exit(",
            "abort(",
        ],
    },
    Kind {
        id: "proc",
        what: "reads /proc, /sys or /dev (the process's own memory, other processes)",
        patterns: &["/proc", "/sys/", "/dev/"],
    },
    Kind {
        id: "libc",
        what: "raw system calls (libc, nix, extern \"C\", syscall)",
        patterns: &["libc", "nix::", "extern \"C\"", "extern crate", "syscall"],
    },
    Kind {
        id: "include",
        what: "compiles a file in (include_str! / include_bytes! / include!)",
        patterns: &["include_str!", "include_bytes!", "include!"],
    },
    Kind {
        id: "env",
        what: "reads the environment or the command line (the grader's variables, the check's name)",
        patterns: &[
            "env::var",
            "env::args",
            "env::current_exe",
            "set_var",
            "remove_var",
            "env!",
            "COURSE_",
            "CARGO_",
        ],
    },
    Kind {
        id: "before-main",
        what: "code that runs before main or under another name (link_section, no_mangle, #[used])",
        patterns: &[
            "link_section",
            "no_mangle",
            "export_name",
            "#[used]",
            ".init_array",
            "ctor",
        ],
    },
    Kind {
        id: "libtest-text",
        what: "prints libtest's or the grader's words (a forged pass?)",
        patterns: &[
            "test result",
            "passed;",
            "filtered out",
            "running 1 test",
            "... ok",
            "check passed",
        ],
    },
    Kind {
        id: "panic-hook",
        what: "replaces the panic hook (hides or rewrites failures)",
        patterns: &["set_hook", "take_hook", "always_abort"],
    },
    Kind {
        id: "spawn",
        what: "starts other programs (Command, exec)",
        patterns: &["Command", "execv", "execl", "posix_spawn"],
    },
    Kind {
        id: "files",
        what: "opens files or folders",
        patterns: &["std::fs", "fs::", "File::", "OpenOptions", "read_dir"],
    },
    Kind {
        id: "network",
        what: "opens sockets of its own",
        patterns: &[
            "std::net",
            "TcpStream",
            "TcpListener",
            "UdpSocket",
            "UnixStream",
            "socket(",
        ],
    },
];

/// One flag of a submission.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Flag {
    /// The kind's id.
    pub kind: String,
    /// The student file, from the workspace root.
    pub file: String,
    /// Lines (1-based) where it shows, the first few.
    pub lines: Vec<usize>,
    /// What it means.
    pub what: String,
}

impl Flag {
    /// `unsafe in labs/lab1-sync/src/workloads.rs:12,30`.
    pub fn short(&self) -> String {
        let lines: Vec<String> = self.lines.iter().map(ToString::to_string).collect();
        format!("{} in {}:{}", self.kind, self.file, lines.join(","))
    }
}

/// `src` with its comments blanked out (newlines kept, so line numbers hold); string and
/// character literals are kept.
pub fn code_of(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    let blank = |out: &mut Vec<u8>, c: u8| out.push(if c == b'\n' { b'\n' } else { b' ' });
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    out.push(b' ');
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let mut depth = 0usize;
                while i < b.len() {
                    if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                        depth += 1;
                        out.extend_from_slice(b"  ");
                        i += 2;
                    } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                        depth -= 1;
                        out.extend_from_slice(b"  ");
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        blank(&mut out, b[i]);
                        i += 1;
                    }
                }
            }
            b'r' if matches!(b.get(i + 1), Some(b'"' | b'#'))
                && (i == 0 || !is_ident(b[i - 1])) =>
            {
                // A raw string r#"…"#: copied whole.
                let start = i;
                i += 1;
                let mut hashes = 0;
                while b.get(i) == Some(&b'#') {
                    hashes += 1;
                    i += 1;
                }
                if b.get(i) != Some(&b'"') {
                    out.extend_from_slice(&b[start..i]);
                    continue;
                }
                i += 1;
                let close: Vec<u8> = std::iter::once(b'"')
                    .chain(std::iter::repeat_n(b'#', hashes))
                    .collect();
                while i < b.len() && !b[i..].starts_with(&close) {
                    i += 1;
                }
                i = (i + close.len()).min(b.len());
                out.extend_from_slice(&b[start..i]);
            }
            b'"' => {
                let start = i;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(b.len());
                out.extend_from_slice(&b[start..i]);
            }
            b'\'' => {
                // A char literal ('x', '\n', '"') is copied; a lifetime ('a) is one byte.
                let end = if b.get(i + 1) == Some(&b'\\') {
                    b[i + 2..]
                        .iter()
                        .position(|c| *c == b'\'')
                        .map(|p| i + 3 + p)
                } else if b.get(i + 2) == Some(&b'\'') {
                    Some(i + 3)
                } else {
                    None
                };
                let end = end.unwrap_or(i + 1).min(b.len());
                out.extend_from_slice(&b[i..end]);
                i = end;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Lines (1-based) of `code` where `pattern` stands as a whole (an identifier is not cut:
/// `unsafe` is not found in `unsafe_op`, `exit(` not in `exit_child(` nor `h.exit(`).
fn find(code: &str, pattern: &str) -> Vec<usize> {
    let p = pattern.as_bytes();
    let b = code.as_bytes();
    let mut lines = Vec::new();
    let mut from = 0;
    while let Some(at) = code[from..].find(pattern).map(|i| i + from) {
        // A method of the same name (`handle.abort()`) is not the function.
        let before_ok = !is_ident(p[0]) || at == 0 || !(is_ident(b[at - 1]) || b[at - 1] == b'.');
        let end = at + p.len();
        let after_ok = !is_ident(p[p.len() - 1]) || end >= b.len() || !is_ident(b[end]);
        if before_ok && after_ok {
            lines.push(code[..at].matches('\n').count() + 1);
        }
        from = at + 1;
    }
    lines
}

/// The flags of one file: for each kind, the lines where it shows, when it shows more
/// often than in `skeleton`.
pub fn file_flags(file: &str, student: &str, skeleton: &str, allowed: &[String]) -> Vec<Flag> {
    let (code, base) = (code_of(student), code_of(skeleton));
    let mut flags = Vec::new();
    for kind in KINDS {
        if allowed.iter().any(|a| a == kind.id) {
            continue;
        }
        let mut lines: Vec<usize> = kind.patterns.iter().flat_map(|p| find(&code, p)).collect();
        let before: usize = kind.patterns.iter().map(|p| find(&base, p).len()).sum();
        if lines.len() <= before {
            continue;
        }
        lines.sort_unstable();
        lines.dedup();
        lines.truncate(5);
        flags.push(Flag {
            kind: kind.id.to_owned(),
            file: file.to_owned(),
            lines,
            what: kind.what.to_owned(),
        });
    }
    flags
}

/// The flags of `lab` in a submission: `files` are the student's (path from the workspace
/// root → content), compared with the skeleton under `skeleton_root` (a workspace).
pub fn scan(lab: &Lab, files: &BTreeMap<String, Vec<u8>>, skeleton_root: &Path) -> Vec<Flag> {
    let mut flags = Vec::new();
    for f in lab.student_files() {
        let key = format!("{}/{f}", lab.dir);
        let Some(bytes) = files.get(&key) else {
            continue;
        };
        let skeleton = std::fs::read(skeleton_root.join(&key)).unwrap_or_default();
        flags.extend(file_flags(
            &key,
            &String::from_utf8_lossy(bytes),
            &String::from_utf8_lossy(&skeleton),
            &lab.may_use,
        ));
    }
    flags
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(student: &str, skeleton: &str, allowed: &[&str]) -> Vec<String> {
        let allowed: Vec<String> = allowed.iter().map(|s| s.to_string()).collect();
        file_flags("f.rs", student, skeleton, &allowed)
            .into_iter()
            .map(|f| f.kind)
            .collect()
    }

    #[test]
    fn what_the_student_added_is_flagged_not_comments_nor_the_skeleton() {
        let skeleton = "pub fn f() -> u64 {\n    todo!()\n}\n";
        assert_eq!(kinds(skeleton, skeleton, &[]), Vec::<String>::new());
        let forger = "pub fn f() -> u64 {\n    println!(\"test result: ok. 1 passed; 0 failed\");\n    \
                      std::process::exit(0)\n}\n";
        assert_eq!(kinds(forger, skeleton, &[]), ["exit", "libtest-text"]);
        let sneaky = "fn f() { let p = std::fs::read(\"/proc/self/mem\"); unsafe { x() } }";
        assert_eq!(kinds(sneaky, skeleton, &[]), ["unsafe", "proc", "files"]);
        assert_eq!(kinds(sneaky, skeleton, &["unsafe", "proc"]), ["files"]);
        // Comments and names that merely contain a word are not flagged.
        let clean = "// do not call std::process::exit here\n/* unsafe */ fn exit_child() {}\n\
                     fn g(h: &tokio::task::JoinHandle<()>) { h.abort(); }";
        assert_eq!(kinds(clean, skeleton, &[]), Vec::<String>::new());
        // Already in the skeleton: not the student's doing.
        let given = "fn f() { unsafe { x() } }";
        assert_eq!(kinds(given, given, &[]), Vec::<String>::new());
        let ctor = "#[unsafe(link_section = \".init_array\")] #[used] static F: fn() = f;";
        assert!(kinds(ctor, "", &[]).contains(&"before-main".to_owned()));
        assert_eq!(
            file_flags("f.rs", "\n\nfn f() { include_str!(\"/x\"); }", "", &[])[0].lines,
            [3]
        );
    }

    #[test]
    fn literals_are_code_comments_are_not() {
        assert_eq!(code_of("a // b\nc"), "a     \nc");
        assert_eq!(code_of("\"//x\" y"), "\"//x\" y");
        assert_eq!(code_of("r#\"/*\"# z"), "r#\"/*\"# z");
        assert_eq!(code_of("'\"' /* q \n */ w"), "'\"'      \n    w");
        assert_eq!(code_of("fn f<'a>(x: &'a str)"), "fn f<'a>(x: &'a str)");
    }
}

#[cfg(test)]
mod calibration {
    use super::*;

    /// The reference solutions are what a lab needs: none of them may be flagged, so
    /// `course.toml`'s `may_use` is exactly wide enough (each kind a lab allows is used
    /// by its solution).
    #[test]
    fn the_solutions_are_never_flagged_and_may_use_is_no_wider_than_needed() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let course = model::course::Course::load(&root).unwrap();
        let mut problems = Vec::new();
        for lab in &course.labs {
            let mut files = BTreeMap::new();
            for f in lab.student_files() {
                let bytes = std::fs::read(root.join(&lab.solution).join(f)).unwrap();
                files.insert(format!("{}/{f}", lab.dir), bytes);
            }
            for flag in scan(lab, &files, &root) {
                problems.push(format!("{}: solution flagged: {}", lab.id, flag.short()));
            }
            let mut bare = lab.clone();
            bare.may_use.clear();
            let needed: Vec<String> = scan(&bare, &files, &root)
                .into_iter()
                .map(|f| f.kind)
                .collect();
            for allowed in &lab.may_use {
                if !needed.contains(allowed) {
                    problems.push(format!(
                        "{}: may_use lists {allowed}, which its solution does not need",
                        lab.id
                    ));
                }
                if !KINDS.iter().any(|k| k.id == allowed) {
                    problems.push(format!("{}: may_use lists {allowed}, no such flag", lab.id));
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}

//! A Gradescope autograder bundle: `cargo course gradescope OUT/`.
//!
//! Gradescope runs every submission in a fresh container: `setup.sh` once when the image is
//! built, `run_autograder` per submission, with the submission in `/autograder/submission`
//! and the result expected in `/autograder/results/results.json`. The bundle is:
//!
//! ```text
//! OUT/setup.sh         installs Rust, builds the course tool, warms the build cache by
//!                      grading the untouched skeleton once, makes the hidden checks root-only
//! OUT/run_autograder   grades /autograder/submission (`grade --one submission`) and copies
//!                      its results.json (Gradescope's format) into /autograder/results/
//! OUT/source/          the course: the student edition plus the hidden checks (never the
//!                      solutions: a container may not allow the sandbox's mount namespace)
//! OUT.zip              the same three, zipped: upload it as the autograder
//! ```
//!
//! `run_autograder` honours `AUTOGRADER_ROOT` (default `/autograder`), `COURSE_BIN` and
//! `GRADE_SCRATCH`, so it can be tried outside Gradescope.

use anyhow::Context;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The Rust toolchain the bundle installs (the workspace's `rust-version` or newer works).
pub const TOOLCHAIN: &str = "1.95.0";

fn setup_sh() -> String {
    format!(
        r#"#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends ca-certificates curl build-essential git python3
if ! command -v cargo >/dev/null; then
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal --default-toolchain {TOOLCHAIN}
fi
source "$HOME/.cargo/env"
cd /autograder/source
# This machine's crates only (the grader builds offline; no Windows or wasm crate is needed).
cargo fetch --locked --target "$(rustc -vV | sed -n 's/^host: //p')"
cargo build --locked -p course
# Warm the shared build cache: dependencies are compiled here, once, not per submission.
./target/debug/course grade labs --one warmup --root . --out /tmp/warmup --plain || true
rm -rf /tmp/warmup
# Student code runs as an unprivileged uid: the hidden checks are root's only.
chmod -R go-rwx checker/hidden
"#
    )
}

fn run_autograder(labs: &[String]) -> String {
    let labs = if labs.is_empty() {
        String::new()
    } else {
        format!(" --labs {}", labs.join(","))
    };
    format!(
        r#"#!/usr/bin/env bash
# Gradescope runs this for each submission: grade /autograder/submission, write
# /autograder/results/results.json.
set -uo pipefail
AUTOGRADER="${{AUTOGRADER_ROOT:-/autograder}}"
[ -f "$HOME/.cargo/env" ] && source "$HOME/.cargo/env"
SRC="$AUTOGRADER/source"
BIN="${{COURSE_BIN:-$SRC/target/debug/course}}"
SCRATCH="${{GRADE_SCRATCH:-$SRC/target/grade}}"
OUT="$(mktemp -d)"
mkdir -p "$AUTOGRADER/results"
"$BIN" grade "$AUTOGRADER/submission" --one submission --root "$SRC" --scratch "$SCRATCH" \
  --out "$OUT" --plain{labs}
status=$?
if [ -f "$OUT/students/submission/results.json" ]; then
  cp "$OUT/students/submission/results.json" "$AUTOGRADER/results/results.json"
else
  # Never a silent zero: say that grading failed.
  printf '{{"score": 0, "output": "The autograder failed (exit %s): please tell your instructor.", "tests": []}}\n' "$status" \
    > "$AUTOGRADER/results/results.json"
fi
"#
    )
}

/// Writes the bundle into `out` and `out.zip`; returns the zip's path.
pub fn write_bundle(root: &Path, out: &Path, labs: &[String]) -> anyhow::Result<PathBuf> {
    if out.exists() && std::fs::read_dir(out)?.next().is_some() {
        anyhow::bail!(
            "{} is not empty: the bundle goes into a new folder",
            out.display()
        );
    }
    let course = model::course::Course::load(root).map_err(anyhow::Error::msg)?;
    crate::run::select(&course, labs)?;
    let out_abs = std::path::absolute(out)?;
    let mut files = crate::handout::student_files(root, &[out_abs])?;
    for (lab, src) in crate::handout::hidden_checks(root) {
        files.insert(PathBuf::from(format!("checker/hidden/{lab}.rs")), src);
    }
    files.insert(
        PathBuf::from("Cargo.lock"),
        std::fs::read(root.join("Cargo.lock"))?,
    );
    let source = out.join("source");
    crate::handout::write_tree(&source, &files)?;
    crate::handout::prune_lock(&source)?;
    let scripts = [
        ("setup.sh", setup_sh()),
        ("run_autograder", run_autograder(labs)),
    ];
    for (name, text) in &scripts {
        let path = out.join(name);
        std::fs::write(&path, text)?;
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))?;
    }
    let zip_path = out.with_extension("zip");
    let file = std::fs::File::create(&zip_path)
        .with_context(|| format!("cannot create {}", zip_path.display()))?;
    let mut zip = zip::ZipWriter::new(file);
    let exec = zip::write::SimpleFileOptions::default().unix_permissions(0o755);
    let plain = zip::write::SimpleFileOptions::default().unix_permissions(0o644);
    for (name, text) in &scripts {
        zip.start_file(*name, exec)?;
        zip.write_all(text.as_bytes())?;
    }
    for rel in crate::tree::files(&source)? {
        zip.start_file(format!("source/{}", rel.to_string_lossy()), plain)?;
        zip.write_all(&std::fs::read(source.join(&rel))?)?;
    }
    zip.finish()?;
    Ok(zip_path)
}

//! The handout's manifests: the workspace's and the checker's `Cargo.toml` without the
//! solutions and the hidden checks.

/// The workspace manifest without the `solutions/*` members.
pub fn root_manifest(text: &str) -> String {
    drop_member(text, "solutions/*")
}

/// `text` (a workspace manifest) without its `[profile.*.package.<package>]` tables.
pub fn drop_profiles_of(text: &str, package: &str) -> String {
    let mut out = Vec::new();
    let mut skipping = false;
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            skipping = t.starts_with("[profile.") && t.ends_with(&format!(".package.{package}]"));
        }
        if !skipping {
            out.push(line);
        }
    }
    let mut text = out.join("\n");
    text.push('\n');
    text
}

/// `text` without the workspace member `member` (in `members` and `default-members`).
pub fn drop_member(text: &str, member: &str) -> String {
    let quoted = format!("\"{member}\"");
    text.replace(&format!("{quoted}, "), "")
        .replace(&format!(", {quoted}"), "")
        .replace(&quoted, "")
}

/// The checker's manifest without solution crates, without the `solutions` and `hidden`
/// features, and without the hidden check targets (the block between `# BEGIN hidden checks`
/// and `# END hidden checks`).
pub fn checker_manifest(text: &str) -> String {
    let mut out = String::new();
    let mut in_hidden_block = false;
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with("# BEGIN hidden checks") {
            in_hidden_block = true;
        }
        let skip = in_hidden_block
            || t.starts_with("solutions-lab")
            || t.starts_with("solutions =")
            || t.starts_with("solutions=")
            || t.starts_with("hidden =")
            || t.starts_with("hidden=");
        if t.starts_with("# END hidden checks") {
            in_hidden_block = false;
        }
        if skip {
            continue;
        }
        let mut l = line.to_owned();
        for n in 1..=20 {
            for pat in [
                format!(", \"dep:solutions-lab{n}\""),
                format!("\"dep:solutions-lab{n}\", "),
                format!("\"dep:solutions-lab{n}\""),
            ] {
                l = l.replace(&pat, "");
            }
        }
        out.push_str(&l);
        out.push('\n');
    }
    out
}

/// The package names of the reference solutions (`solutions/*/Cargo.toml`): the handout has
/// none of them, nor their profile settings.
pub fn solution_packages(root: &std::path::Path) -> Vec<String> {
    let Ok(dirs) = std::fs::read_dir(root.join("solutions")) else {
        return Vec::new();
    };
    let mut names: Vec<String> = dirs
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| std::fs::read_to_string(entry.path().join("Cargo.toml")).ok())
        .filter_map(|text| text.parse::<toml::Table>().ok())
        .filter_map(|manifest| Some(manifest.get("package")?.get("name")?.as_str()?.to_owned()))
        .collect();
    names.sort();
    names
}

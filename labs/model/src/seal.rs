//! A check's pass, sealed: what the course tool accepts as "this check passed".
//!
//! Anything a check's process prints can be printed by the code under test too: libtest's
//! "test result: ok" lines followed by `exit(0)` look exactly like a pass. So the course
//! tool gives each check process a fresh random secret on a pipe (descriptor number in
//! [`SECRET_FD_ENV`]; the secret itself is never in the environment or on the command line).
//! The check harness reads it and closes the pipe *before* the check's body runs, and prints
//! [`pass_line`] — a keyed hash of the secret, the check's name and the word "pass" — only
//! after the body returned without a failure. The course tool counts a check as passed only
//! with that line. Code under test never sees the secret through any channel it can read by
//! ordinary means; code that reads its own process's memory (`unsafe`), or runs before
//! `main` (a static constructor) and reads the pipe first, could. The grader flags such
//! code for the instructor to read.
//!
//! Without the variable (plain `cargo test`), nothing of this happens.

/// The environment variable that names the descriptor the secret arrives on.
pub const SECRET_FD_ENV: &str = "COURSE_CHECK_SECRET_FD";
/// Bytes of secret.
pub const SECRET_LEN: usize = 32;
/// Starts the line that seals a pass.
pub const PASS_MARK: &str = "[course: check passed, sealed]";

/// The keyed hash of `secret`, `check` and "pass": two SipHash-2-4 runs keyed by the two
/// halves of the secret (a keyed PRF: without the key, its output cannot be computed).
pub fn pass_token(secret: &[u8; SECRET_LEN], check: &str) -> String {
    #[allow(deprecated)] // SipHasher is SipHash-2-4 with explicit keys: exactly what is needed.
    fn keyed(k: &[u8], msg: &[u8]) -> u64 {
        use std::hash::Hasher;
        let word = |b: &[u8]| u64::from_le_bytes(b.try_into().expect("8 bytes"));
        let mut h = std::hash::SipHasher::new_with_keys(word(&k[..8]), word(&k[8..16]));
        h.write(msg);
        h.finish()
    }
    let mut msg = b"pass\0".to_vec();
    msg.extend_from_slice(check.as_bytes());
    format!(
        "{:016x}{:016x}",
        keyed(&secret[..16], &msg),
        keyed(&secret[16..], &msg)
    )
}

/// The whole line (without newline) that seals the pass of `check`.
pub fn pass_line(secret: &[u8; SECRET_LEN], check: &str) -> String {
    format!("{PASS_MARK} {}", pass_token(secret, check))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_depends_on_the_secret_and_the_check() {
        let a = [7u8; SECRET_LEN];
        let mut b = a;
        b[31] ^= 1;
        let t = pass_token(&a, "task_1_3::fib");
        assert_eq!(t.len(), 32);
        assert_eq!(t, pass_token(&a, "task_1_3::fib"), "deterministic");
        assert_ne!(t, pass_token(&b, "task_1_3::fib"), "one bit of secret");
        assert_ne!(t, pass_token(&a, "task_1_3::fic"), "another check");
    }
}

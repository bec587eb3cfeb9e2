//! The plan of a confined process: everything it does between fork and exec, in order.

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::Command;

use nix::libc;

use super::cgroups::join_cgroups;
use super::network::unsafe_net_namespace;
use super::view::View;

pub(super) fn cstrings(paths: &[PathBuf]) -> Vec<CString> {
    paths
        .iter()
        .filter_map(|p| CString::new(p.as_os_str().as_bytes()).ok())
        .collect()
}
fn set_limit(resource: libc::__rlimit_resource_t, soft: u64, hard: u64) -> Result<(), i32> {
    let r = libc::rlimit {
        rlim_cur: soft,
        rlim_max: hard,
    };
    // SAFETY: setrlimit with a valid pointer.
    if unsafe { libc::setrlimit(resource, &r) } != 0 {
        // SAFETY: reading errno.
        return Err(unsafe { *libc::__errno_location() });
    }
    Ok(())
}
/// The uid and supplementary groups a confined process runs as.
#[derive(Debug, Clone)]
pub(super) struct Ids {
    pub(super) uid: u32,
    pub(super) groups: Vec<libc::gid_t>,
}

/// Everything a confined process does between fork and exec, prepared before the fork (no
/// allocation may happen after it).
pub(super) struct Plan {
    pub(super) join: Vec<CString>,
    pub(super) net: bool,
    pub(super) view: Option<View>,
    pub(super) limits: Vec<(libc::__rlimit_resource_t, u64, u64)>,
    pub(super) ids: Option<Ids>,
    pub(super) parent: libc::pid_t,
}

impl Plan {
    pub(super) fn install(self, cmd: &mut Command) {
        // SAFETY: the closure runs between fork and exec and makes only async-signal-safe
        // system calls on data prepared before the fork (no allocation, no locks).
        unsafe {
            cmd.pre_exec(move || {
                let err = std::io::Error::from_raw_os_error;
                // First of all: die with the grader, even while still being set up (a new
                // network namespace can take a while to make).
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL, 0, 0, 0);
                // The grader's locks are its own: a child slow to set up (or the relay,
                // which never calls exec) must not hold them after the grader is gone.
                super::held::close_in_child();
                if libc::getppid() != self.parent {
                    return Err(err(libc::ESRCH));
                }
                join_cgroups(&self.join).map_err(err)?;
                if self.net {
                    unsafe_net_namespace().map_err(err)?;
                }
                if let Some(view) = &self.view {
                    // Returns in the confined process only (pid 2 of a new pid namespace);
                    // the processes above it never return.
                    view.enter().map_err(err)?;
                }
                for &(resource, soft, hard) in &self.limits {
                    set_limit(resource, soft, hard).map_err(err)?;
                }
                if let Some(ids) = &self.ids {
                    let uid = ids.uid;
                    if libc::setgroups(ids.groups.len(), ids.groups.as_ptr()) != 0
                        || libc::setresgid(uid, uid, uid) != 0
                        || libc::setresuid(uid, uid, uid) != 0
                    {
                        return Err(std::io::Error::last_os_error());
                    }
                }
                libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
                // After the uid change (which clears it): die with the process above.
                let above = libc::getppid();
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL, 0, 0, 0);
                if libc::getppid() != above {
                    return Err(err(libc::ESRCH));
                }
                Ok(())
            });
        }
    }
}

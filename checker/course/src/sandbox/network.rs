//! The network namespace of a check (loopback only), and the probe that finds out whether
//! this machine allows one.

use nix::libc;

/// Runs `f` in a forked child and reports whether it succeeded (used to probe namespaces
/// without touching the grader itself).
pub(super) fn probe(f: impl Fn() -> Result<(), i32>) -> bool {
    // SAFETY: the child only makes system calls and exits with _exit; the grader is still
    // single-threaded here apart from nothing that holds a lock the child needs.
    match unsafe { nix::unistd::fork() } {
        Ok(nix::unistd::ForkResult::Child) => {
            let code = if f().is_ok() { 0 } else { 1 };
            // SAFETY: _exit is async-signal-safe.
            unsafe { libc::_exit(code) }
        }
        Ok(nix::unistd::ForkResult::Parent { child }) => matches!(
            nix::sys::wait::waitpid(child, None),
            Ok(nix::sys::wait::WaitStatus::Exited(_, 0))
        ),
        Err(_) => false,
    }
}

/// A new network namespace with loopback up. Only system calls: safe between fork and exec.
pub(super) fn unsafe_net_namespace() -> Result<(), i32> {
    // SAFETY: plain system calls with valid pointers to stack memory.
    unsafe {
        if libc::unshare(libc::CLONE_NEWNET) != 0 {
            return Err(*libc::__errno_location());
        }
        let fd = libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0);
        if fd < 0 {
            return Err(*libc::__errno_location());
        }
        #[repr(C)]
        struct IfReq {
            name: [u8; 16],
            flags: libc::c_short,
            _pad: [u8; 22],
        }
        let mut req = IfReq {
            name: [0; 16],
            flags: 0,
            _pad: [0; 22],
        };
        req.name[..2].copy_from_slice(b"lo");
        let mut rc = libc::ioctl(fd, libc::SIOCGIFFLAGS as _, &mut req as *mut IfReq);
        if rc == 0 {
            req.flags |= libc::IFF_UP as libc::c_short;
            rc = libc::ioctl(fd, libc::SIOCSIFFLAGS as _, &mut req as *mut IfReq);
        }
        libc::close(fd);
        if rc != 0 {
            return Err(*libc::__errno_location());
        }
    }
    Ok(())
}

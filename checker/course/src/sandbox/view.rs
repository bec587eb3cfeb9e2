//! The allow-list view: an empty root with only what a process may see bound into it, in
//! new mount and pid namespaces, entered between fork and exec.

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use nix::libc;

use super::Sandbox;

/// What a confined process sees: an allow-list of paths bound into an empty root.
#[derive(Debug)]
pub(super) struct ViewSpec {
    /// (host path, writable).
    binds: Vec<(PathBuf, bool)>,
    /// Size of each private tmpfs (/tmp, /var/tmp, /dev/shm), MiB.
    pub(super) tmp_mib: u64,
    mountpoint: PathBuf,
}

/// The system folders every view holds, read-only (the ones that exist; symbolic links
/// such as /bin → usr/bin are kept as links).
const SYSTEM: &[&str] = &[
    "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc",
];

/// Device nodes a view holds.
const DEVICES: &[&str] = &[
    "/dev/null",
    "/dev/zero",
    "/dev/full",
    "/dev/random",
    "/dev/urandom",
];

impl ViewSpec {
    pub(super) fn new(sb: &Sandbox) -> ViewSpec {
        let mut v = ViewSpec {
            binds: Vec::new(),
            tmp_mib: sb.limits.tmp_mib,
            mountpoint: sb.view_root.clone(),
        };
        for p in SYSTEM {
            v.binds.push((PathBuf::from(p), false));
        }
        for p in &sb.toolchain.dirs {
            v.binds.push((p.clone(), false));
        }
        v
    }

    pub(super) fn ro(&mut self, p: &Path) {
        self.binds.push((p.to_path_buf(), false));
    }

    pub(super) fn rw(&mut self, p: &Path) {
        self.binds.push((p.to_path_buf(), true));
    }

    /// The system calls' arguments, ready for the child.
    pub(super) fn build(&self, cwd: &Path) -> View {
        let root = &self.mountpoint;
        let inside = |p: &Path| root.join(p.strip_prefix("/").unwrap_or(p));
        let c = |p: &Path| CString::new(p.as_os_str().as_bytes()).unwrap_or_default();
        let mut dirs = std::collections::BTreeSet::new();
        let add_dirs = |p: &Path, dirs: &mut std::collections::BTreeSet<PathBuf>| {
            for a in p.ancestors() {
                if a != Path::new("/") && a != Path::new("") {
                    dirs.insert(a.to_path_buf());
                }
            }
        };
        let mut binds = Vec::new();
        let mut links = Vec::new();
        let mut files = Vec::new();
        for (p, rw) in &self.binds {
            let Ok(meta) = std::fs::symlink_metadata(p) else {
                continue;
            };
            if meta.file_type().is_symlink() {
                if let (Ok(target), Some(parent)) = (std::fs::read_link(p), p.parent()) {
                    add_dirs(parent, &mut dirs);
                    links.push((c(&target), c(&inside(p))));
                }
                continue;
            }
            if meta.is_dir() {
                add_dirs(p, &mut dirs);
            } else {
                if let Some(parent) = p.parent() {
                    add_dirs(parent, &mut dirs);
                }
                files.push(c(&inside(p)));
            }
            binds.push((c(p), c(&inside(p)), *rw));
        }
        for d in ["/tmp", "/var/tmp", "/dev/shm", "/proc", "/.old"] {
            add_dirs(Path::new(d), &mut dirs);
        }
        for d in DEVICES {
            if Path::new(d).exists() {
                files.push(c(&inside(Path::new(d))));
                binds.push((c(Path::new(d)), c(&inside(Path::new(d))), true));
            }
        }
        for (target, link) in [
            ("/proc/self/fd", "/dev/fd"),
            ("/proc/self/fd/0", "/dev/stdin"),
            ("/proc/self/fd/1", "/dev/stdout"),
            ("/proc/self/fd/2", "/dev/stderr"),
        ] {
            links.push((c(Path::new(target)), c(&inside(Path::new(link)))));
        }
        // /tmp gets the size asked for, /var/tmp and /dev/shm a quarter of it each.
        let opts = |mib: u64| {
            c(Path::new(&format!(
                "size={}m,mode=1777,nr_inodes=65536",
                mib.max(1)
            )))
        };
        let small = opts(self.tmp_mib / 4);
        View {
            root: c(root),
            dirs: dirs.iter().map(|d| c(&inside(d))).collect(),
            files,
            links,
            binds,
            tmpfs: vec![
                (c(&inside(Path::new("/tmp"))), opts(self.tmp_mib)),
                (c(&inside(Path::new("/var/tmp"))), small.clone()),
                (c(&inside(Path::new("/dev/shm"))), small),
            ],
            proc_dir: c(&inside(Path::new("/proc"))),
            old: c(&inside(Path::new("/.old"))),
            cwd: c(cwd),
        }
    }
}

/// A [`ViewSpec`] as C strings.
#[derive(Debug)]
pub(super) struct View {
    root: CString,
    dirs: Vec<CString>,
    files: Vec<CString>,
    links: Vec<(CString, CString)>,
    binds: Vec<(CString, CString, bool)>,
    /// (mount point, options).
    tmpfs: Vec<(CString, CString)>,
    proc_dir: CString,
    old: CString,
    cwd: CString,
}

fn errno() -> i32 {
    // SAFETY: reading errno.
    unsafe { *libc::__errno_location() }
}

fn check(rc: libc::c_int) -> Result<(), i32> {
    if rc != 0 { Err(errno()) } else { Ok(()) }
}

/// `fork` without glibc's fork handlers: we are already in a child forked from a threaded
/// grader, where a lock (malloc's) may be held by a thread that no longer exists; glibc's
/// `fork` takes those locks and would wait forever.
fn raw_fork() -> libc::pid_t {
    // SAFETY: clone with only SIGCHLD and no new stack is fork; the child continues on a copy
    // of our stack.
    unsafe {
        libc::syscall(
            libc::SYS_clone,
            libc::SIGCHLD as libc::c_ulong,
            0usize,
            0usize,
            0usize,
            0usize,
        ) as libc::pid_t
    }
}

/// Closes every descriptor but `keep` (a relay and an init hold nothing of the child's:
/// not its pipes, not std's exec-error pipe, which must close when the check execs).
fn close_all_but(keep: libc::c_int) {
    // SAFETY: close_range and close on integers only.
    unsafe {
        if keep > 0 {
            libc::syscall(libc::SYS_close_range, 0u32, (keep - 1) as u32, 0u32);
        }
        if libc::syscall(libc::SYS_close_range, (keep + 1) as u32, u32::MAX, 0u32) != 0 {
            for fd in (keep + 1)..4096 {
                libc::close(fd);
            }
        }
    }
}

impl View {
    /// Enters the view. The calling process (std's child) becomes a *relay*: it stays in
    /// the grader's pid namespace, waits, and ends as the check ended (same exit code, same
    /// signal), so killing it (its process group) kills everything. Below it, *init* is pid
    /// 1 of a new pid namespace: it mounts the view, forks the confined process (pid 2),
    /// reaps whatever is orphaned, reports pid 2's status to the relay and exits, and the
    /// kernel kills every process left in the namespace. Returns `Ok` in pid 2 only.
    ///
    /// Only async-signal-safe system calls: it runs between fork and exec.
    pub(super) fn enter(&self) -> Result<(), i32> {
        // SAFETY: plain system calls with pointers to C strings prepared before the fork.
        unsafe {
            check(libc::unshare(
                libc::CLONE_NEWNS | libc::CLONE_NEWPID | libc::CLONE_NEWIPC | libc::CLONE_NEWUTS,
            ))?;
            check(libc::mount(
                c"none".as_ptr(),
                c"/".as_ptr(),
                std::ptr::null(),
                libc::MS_REC | libc::MS_PRIVATE,
                std::ptr::null(),
            ))?;
            let mut status_pipe = [0 as libc::c_int; 2];
            check(libc::pipe2(status_pipe.as_mut_ptr(), libc::O_CLOEXEC))?;
            let [rd, wr] = status_pipe;
            let init = raw_fork();
            if init < 0 {
                return Err(errno());
            }
            if init > 0 {
                relay(init, rd, wr);
            }
            // Init: pid 1 of the new namespace.
            libc::close(rd);
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL, 0, 0, 0);
            libc::prctl(libc::PR_SET_NAME, c"sandbox-init".as_ptr());
            // A failure here reaches the grader as spawn's error (std's pipe is still open in
            // init): the check does not run, the grader says why.
            self.mount()?;
            let child = raw_fork();
            if child < 0 {
                return Err(errno());
            }
            if child == 0 {
                libc::close(wr);
                return Ok(());
            }
            close_all_but(wr);
            let mut status = 0;
            loop {
                let pid = libc::waitpid(-1, &mut status, 0);
                if pid == child {
                    break;
                }
                if pid < 0 && errno() != libc::EINTR {
                    status = 127 << 8;
                    break;
                }
            }
            let word = status as u32;
            libc::write(wr, (&word as *const u32).cast(), 4);
            libc::_exit(0);
        }
    }

    /// Builds the root and moves into it (in init, pid 1 of the new namespaces).
    fn mount(&self) -> Result<(), i32> {
        // SAFETY: plain system calls with pointers to C strings prepared before the fork.
        unsafe {
            let flags = libc::MS_NOSUID | libc::MS_NODEV;
            check(libc::mount(
                c"tmpfs".as_ptr(),
                self.root.as_ptr(),
                c"tmpfs".as_ptr(),
                flags,
                c"size=1m,mode=0755".as_ptr().cast(),
            ))?;
            for d in &self.dirs {
                if libc::mkdir(d.as_ptr(), 0o755) != 0 && errno() != libc::EEXIST {
                    return Err(errno());
                }
            }
            for f in &self.files {
                let fd = libc::open(
                    f.as_ptr(),
                    libc::O_CREAT | libc::O_WRONLY | libc::O_CLOEXEC,
                    0o644,
                );
                if fd >= 0 {
                    libc::close(fd);
                }
            }
            for (target, link) in &self.links {
                libc::symlink(target.as_ptr(), link.as_ptr());
            }
            for (src, dst, rw) in &self.binds {
                check(libc::mount(
                    src.as_ptr(),
                    dst.as_ptr(),
                    std::ptr::null(),
                    libc::MS_BIND | libc::MS_REC,
                    std::ptr::null(),
                ))?;
                if !rw {
                    check(libc::mount(
                        std::ptr::null(),
                        dst.as_ptr(),
                        std::ptr::null(),
                        libc::MS_REMOUNT | libc::MS_BIND | libc::MS_RDONLY | flags,
                        std::ptr::null(),
                    ))?;
                }
            }
            for (t, opts) in &self.tmpfs {
                check(libc::mount(
                    c"tmpfs".as_ptr(),
                    t.as_ptr(),
                    c"tmpfs".as_ptr(),
                    flags,
                    opts.as_ptr().cast(),
                ))?;
            }
            check(libc::mount(
                c"proc".as_ptr(),
                self.proc_dir.as_ptr(),
                c"proc".as_ptr(),
                flags | libc::MS_NOEXEC,
                std::ptr::null(),
            ))?;
            check(
                libc::syscall(libc::SYS_pivot_root, self.root.as_ptr(), self.old.as_ptr()) as i32,
            )?;
            check(libc::chdir(c"/".as_ptr()))?;
            check(libc::umount2(c"/.old".as_ptr(), libc::MNT_DETACH))?;
            libc::rmdir(c"/.old".as_ptr());
            // The root itself (empty folders and mount points) is read-only.
            check(libc::mount(
                std::ptr::null(),
                c"/".as_ptr(),
                std::ptr::null(),
                libc::MS_REMOUNT | libc::MS_RDONLY | flags,
                std::ptr::null(),
            ))?;
            check(libc::chdir(self.cwd.as_ptr()))?;
        }
        Ok(())
    }
}

/// The relay (std's child, in the grader's pid namespace): waits for init's report of the
/// confined process, then ends the same way. Never returns.
///
/// # Safety
/// Between fork and exec: system calls only.
unsafe fn relay(init: libc::pid_t, rd: libc::c_int, wr: libc::c_int) -> ! {
    // SAFETY: plain system calls on our own descriptors and stack memory.
    unsafe {
        libc::close(wr);
        // The relay keeps the grader's name: it is the grader's own child, which std waits
        // for (`reap_strays` leaves processes of that name alone).
        close_all_but(rd);
        let mut word = 0u32;
        let mut got = 0usize;
        while got < 4 {
            let n = libc::read(
                rd,
                (&mut word as *mut u32).cast::<u8>().add(got).cast(),
                4 - got,
            );
            if n > 0 {
                got += n as usize;
            } else if n == 0 || errno() != libc::EINTR {
                break;
            }
        }
        let mut st = 0;
        while libc::waitpid(init, &mut st, 0) < 0 && errno() == libc::EINTR {}
        let status = if got == 4 { word as libc::c_int } else { st };
        if libc::WIFSIGNALED(status) {
            let sig = libc::WTERMSIG(status);
            let mut set: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            libc::sigaddset(&mut set, sig);
            libc::sigprocmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
            libc::signal(sig, libc::SIG_DFL);
            let no_core = libc::rlimit {
                rlim_cur: 0,
                rlim_max: 0,
            };
            libc::setrlimit(libc::RLIMIT_CORE, &no_core);
            libc::kill(libc::getpid(), sig);
            libc::_exit(128 + sig);
        }
        libc::_exit(libc::WEXITSTATUS(status));
    }
}

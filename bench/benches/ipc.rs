//! Talking between two units of concurrency: a round trip, and a stream of bytes.
//!
//! `cargo bench -p bench --bench ipc`.
//! - `round_trip`: one byte there and one byte back, between two *processes* over a pair of
//!   pipes, and between two *threads* over a pair of crossbeam rendezvous channels
//!   (`bounded(0)`: a send waits for the receiver, like a pipe read waits for a write). Both
//!   cost two wake-ups of a sleeping peer, which is most of the price.
//! - `pipe_throughput`: a parent writes 64 KiB at a time into a pipe, a child reads and
//!   discards (Lab 3's target: at least 1 GiB/s).
//!
//! # Why forking from a benchmark is sound here
//! `fork` is only safe from a single-threaded process (the child gets a copy of one thread,
//! and of every lock another thread may hold at that moment). This file is its own benchmark
//! binary; every benchmark runs with `threads = [1]` (divan then runs it on the main thread
//! and starts no helper thread); the channel benchmark joins its echo thread before it
//! returns; and each benchmark that forks checks `/proc/self/status` first.

use crossbeam::channel;
use divan::Bencher;
use divan::counter::BytesCount;
use lab3_solution::sys::{assert_single_threaded, exit_child, write_all};
use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, fork, pipe, read};
use std::os::fd::OwnedFd;

fn main() {
    divan::main();
}

/// Reads exactly one byte; `None` at end of file.
fn read_byte(fd: &OwnedFd) -> Option<u8> {
    let mut byte = [0u8; 1];
    loop {
        match read(fd, &mut byte) {
            Ok(1) => return Some(byte[0]),
            Ok(_) => return None,
            Err(nix::errno::Errno::EINTR) => {}
            Err(e) => panic!("read: {e}"),
        }
    }
}

mod round_trip {
    use super::*;

    /// Parent → child → parent, one byte each way, over two pipes.
    #[divan::bench(threads = [1])]
    fn pipe_between_processes(bencher: Bencher) {
        assert_single_threaded();
        let (to_child_r, to_child_w) = pipe().expect("pipe");
        let (to_parent_r, to_parent_w) = pipe().expect("pipe");
        // SAFETY: single-threaded process (asserted above). The child only reads, writes
        // and `_exit`s: no allocation, no lock.
        match unsafe { fork() }.expect("fork") {
            ForkResult::Child => {
                // Each side closes the ends it does not use, or EOF never comes.
                drop(to_child_w);
                drop(to_parent_r);
                while let Some(b) = read_byte(&to_child_r) {
                    if write_all(&to_parent_w, &[b]).is_err() {
                        break;
                    }
                }
                exit_child(0)
            }
            ForkResult::Parent { child } => {
                drop(to_child_r);
                drop(to_parent_w);
                bencher.bench_local(|| {
                    write_all(&to_child_w, &[7]).expect("write");
                    read_byte(&to_parent_r).expect("the echo child answered")
                });
                // EOF on its input ends the child's loop.
                drop(to_child_w);
                let status = waitpid(child, None).expect("waitpid");
                assert_eq!(status, WaitStatus::Exited(child, 0));
            }
        }
    }

    /// Main thread → echo thread → main thread, one byte each way, over two rendezvous channels.
    #[divan::bench(threads = [1])]
    fn channel_between_threads(bencher: Bencher) {
        let (to_echo, echo_in) = channel::bounded::<u8>(0);
        let (echo_out, from_echo) = channel::bounded::<u8>(0);
        let echo = std::thread::spawn(move || {
            // Ends when the sender is dropped (the channel's EOF).
            for b in echo_in {
                if echo_out.send(b).is_err() {
                    break;
                }
            }
        });
        bencher.bench_local(|| {
            to_echo.send(7).expect("the echo thread is alive");
            from_echo.recv().expect("the echo thread answered")
        });
        drop(to_echo);
        echo.join().expect("the echo thread cannot panic");
    }
}

/// Bytes written per call: 64 KiB, the size of a Linux pipe's buffer.
const CHUNK: usize = 64 * 1024;

/// Reads `fd` to end of file and throws the bytes away (not `read_to_end`: it would keep
/// gigabytes). The exit code for the child: 0, or 1 after a read error.
fn discard(fd: &OwnedFd) -> i32 {
    let mut buf = [0u8; CHUNK];
    loop {
        match read(fd, &mut buf) {
            Ok(0) => return 0,
            Ok(_) | Err(nix::errno::Errno::EINTR) => {}
            Err(_) => return 1,
        }
    }
}

/// Parent writes 64 KiB per call into a pipe; a child reads everything and discards it.
#[divan::bench(threads = [1])]
fn pipe_throughput(bencher: Bencher) {
    assert_single_threaded();
    let (reader, writer) = pipe().expect("pipe");
    // SAFETY: single-threaded process (asserted above). The child reads into a buffer on
    // its stack and `_exit`s: no allocation, no lock.
    match unsafe { fork() }.expect("fork") {
        ForkResult::Child => {
            drop(writer);
            exit_child(discard(&reader))
        }
        ForkResult::Parent { child } => {
            drop(reader);
            let buf = vec![0x5a_u8; CHUNK];
            bencher
                .counter(BytesCount::new(CHUNK))
                .bench_local(|| write_all(&writer, &buf).expect("write"));
            drop(writer);
            let status = waitpid(child, None).expect("waitpid");
            assert_eq!(status, WaitStatus::Exited(child, 0));
        }
    }
}

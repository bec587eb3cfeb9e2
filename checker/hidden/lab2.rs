//! Hidden checks of Lab 2 — the instructor's edition only.
//!
//! The same tasks as `checker/tests/lab2.rs`, with sizes, counts and durations the students
//! never see: more threads, uneven job durations, a slow item elsewhere than first, panics in
//! other places, rings of accounts. A correct solution passes both; one tuned to the public
//! numbers does not.
//!
//! Rules (same as the public checks): structural evidence only (thread ids, exact counts,
//! gates that make calls wait for each other, the accounts' lock events), no upper bound on
//! real time; each check belongs to one `mod task_N_K`.

use checker::{check, lab2};
use model::tr;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::thread::ThreadId;
use std::time::Duration;

#[path = "../tests/support/lab2.rs"]
mod shared;
use shared::{Gate, SlowItem, assert_money_kept, join_all, stress};

fn me() -> ThreadId {
    std::thread::current().id()
}

mod task_2_1 {
    use super::*;
    use lab2::spawn::{scoped_map, spawn_all};

    #[test]
    fn eleven_uneven_jobs_at_once() {
        check!(|| {
            let gate = Gate::new(11);
            let ids = Arc::new(Mutex::new(HashSet::new()));
            let jobs: Vec<_> = (0..11u64)
                .map(|i| {
                    let (gate, ids) = (Arc::clone(&gate), Arc::clone(&ids));
                    move || {
                        ids.lock().unwrap().insert(me());
                        gate.pass();
                        std::thread::sleep(Duration::from_millis((i * 7) % 11));
                        format!("job {i}")
                    }
                })
                .collect();
            let out = spawn_all(jobs);
            assert_eq!(
                out,
                (0..11).map(|i| format!("job {i}")).collect::<Vec<_>>(),
                "{}",
                tr!(en: "results in input order", ru: "результаты в порядке входных данных")
            );
            assert_eq!(
                ids.lock().unwrap().len(),
                11,
                "{}",
                tr!(en: "one thread per job", ru: "по одному потоку на работу")
            );
            assert_eq!(
                gate.max(),
                11,
                "{}",
                tr!(
                    en: "all 11 jobs running at once",
                    ru: "все 11 работ выполняются одновременно"
                )
            );
        })
    }

    #[test]
    fn the_last_job_panics() {
        check!(|| {
            let jobs: Vec<Box<dyn FnOnce() -> u8 + Send>> = vec![
                Box::new(|| 1),
                Box::new(|| {
                    std::thread::sleep(Duration::from_millis(20));
                    2
                }),
                Box::new(|| {
                    panic!(
                        "{}",
                        tr!(
                            en: "the last job fails on purpose",
                            ru: "последняя работа намеренно завершается ошибкой"
                        )
                    )
                }),
            ];
            let outcome =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| spawn_all(jobs)));
            assert!(
                outcome.is_err(),
                "{}",
                tr!(
                    en: "the last job panicked: spawn_all must panic too, not return {:?}",
                    ru: "последняя работа завершилась паникой: spawn_all тоже должна завершиться \
                         паникой, а не вернуть {:?}",
                    outcome.ok()
                )
            );
        })
    }

    #[test]
    fn scoped_map_with_a_panic_first_and_many_items() {
        check!(|| {
            let items: Vec<usize> = (0..9).collect();
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                scoped_map(&items, |&i| {
                    if i == 0 {
                        panic!(
                            "{}",
                            tr!(
                                en: "item 0 fails on purpose",
                                ru: "элемент 0 намеренно завершается ошибкой"
                            )
                        )
                    } else {
                        i
                    }
                })
            }));
            assert!(
                outcome.is_err(),
                "{}",
                tr!(
                    en: "item 0 panicked: scoped_map must panic too, not return {:?}",
                    ru: "элемент 0 завершился паникой: scoped_map тоже должна завершиться \
                         паникой, а не вернуть {:?}",
                    outcome.ok()
                )
            );
            let gate = Gate::new(9);
            let out = scoped_map(&items, |&i| {
                gate.pass();
                i * 10
            });
            assert_eq!(out, (0..9).map(|i| i * 10).collect::<Vec<_>>());
            assert_eq!(
                gate.max(),
                9,
                "{}",
                tr!(en: "all 9 items at once", ru: "все 9 элементов одновременно")
            );
        })
    }
}

mod task_2_2 {
    use super::*;
    use lab2::counters::{AtomicCounter, MutexCounter};
    use lab2::race::Counter;

    /// `threads` threads, started together by a barrier, increment for `run_for`: the
    /// counter must show every call.
    fn exact<C: Counter>(name: &str, counter: C, threads: usize, run_for: Duration) {
        let (calls, _) = stress(&counter, threads, run_for);
        assert_eq!(
            counter.get(),
            calls,
            "{}",
            tr!(
                en: "{name}: {threads} threads made {calls} increments",
                ru: "{name}: {threads} потоков сделали {calls} увеличений"
            )
        );
    }

    #[test]
    fn six_and_sixteen_threads() {
        check!(|| {
            for threads in [6, 16] {
                exact(
                    "MutexCounter",
                    MutexCounter::new(),
                    threads,
                    Duration::from_millis(150),
                );
                exact(
                    "AtomicCounter",
                    AtomicCounter::new(),
                    threads,
                    Duration::from_millis(150),
                );
            }
        })
    }
}

mod task_2_3 {
    use super::*;
    use lab2::parallel::{parallel_sum, split};

    #[test]
    fn other_ranges_and_thread_counts() {
        check!(|| {
            assert_eq!(
                split(1_000..1_001, 5),
                [
                    1_000..1_001,
                    1_001..1_001,
                    1_001..1_001,
                    1_001..1_001,
                    1_001..1_001
                ]
            );
            assert_eq!(split(3..17, 4), [3..7, 7..11, 11..14, 14..17]);
            let chunks = split(0..1_000_003, 7);
            assert_eq!(
                chunks.iter().map(|c| c.end - c.start).collect::<Vec<_>>(),
                [
                    142_858, 142_858, 142_858, 142_858, 142_857, 142_857, 142_857
                ]
            );
            for threads in [5, 6] {
                let gate = Gate::new(threads);
                let ids = Mutex::new(HashSet::new());
                let total = parallel_sum(10..1_010, threads, |r: Range<u64>| {
                    ids.lock().unwrap().insert(me());
                    gate.pass();
                    r.sum::<u64>()
                });
                assert_eq!(
                    total,
                    (10..1_010).sum::<u64>(),
                    "{}",
                    tr!(
                        en: "{threads} threads: the chunks cover the range once",
                        ru: "{threads} потоков: части покрывают диапазон один раз"
                    )
                );
                assert_eq!(
                    ids.lock().unwrap().len(),
                    threads,
                    "{}",
                    tr!(
                        en: "{threads} chunks on {threads} threads",
                        ru: "{threads} частей в {threads} потоках"
                    )
                );
                assert_eq!(
                    gate.max(),
                    threads,
                    "{}",
                    tr!(
                        en: "{threads} chunks computed at once",
                        ru: "{threads} частей вычисляются одновременно"
                    )
                );
            }
        })
    }
}

mod task_2_4 {
    use super::*;
    use lab2::gil::{GIL, gil_sum};

    #[test]
    fn four_threads_odd_chunks_round_robin() {
        check!(|| {
            let (range, chunk_len, threads) = (5..777u64, 13u64, 4usize);
            let inside = AtomicUsize::new(0);
            let most = AtomicUsize::new(0);
            let free = AtomicUsize::new(0);
            let owners = Mutex::new(Vec::new());
            let total = gil_sum(range.clone(), threads, chunk_len, |c: Range<u64>| {
                let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                if GIL.try_lock().is_ok() {
                    free.fetch_add(1, Ordering::SeqCst);
                }
                owners
                    .lock()
                    .unwrap()
                    .push((me(), (c.start - 5) / chunk_len, c.clone()));
                std::thread::sleep(Duration::from_micros(100));
                inside.fetch_sub(1, Ordering::SeqCst);
                c.end - c.start
            });
            assert_eq!(
                total,
                772,
                "{}",
                tr!(en: "the chunks cover the range once", ru: "части покрывают диапазон один раз")
            );
            assert_eq!(
                free.load(Ordering::SeqCst),
                0,
                "{}",
                tr!(
                    en: "work ran while the GIL was free",
                    ru: "work выполнялась, пока GIL был свободен"
                )
            );
            assert_eq!(
                most.load(Ordering::SeqCst),
                1,
                "{}",
                tr!(en: "chunks computed at the same time", ru: "части, вычислявшиеся одновременно")
            );
            let owners = owners.into_inner().unwrap();
            let mut by_thread: HashMap<ThreadId, Vec<u64>> = HashMap::new();
            for (id, i, c) in &owners {
                assert_eq!(
                    *c,
                    5 + i * chunk_len..(5 + (i + 1) * chunk_len).min(777),
                    "chunk {i}"
                );
                by_thread.entry(*id).or_default().push(*i);
            }
            assert_eq!(
                by_thread.len(),
                threads,
                "{}",
                tr!(en: "every thread gets chunks", ru: "каждый поток получает части")
            );
            let mut residues = HashSet::new();
            for dealt in by_thread.values() {
                let r = dealt[0] % threads as u64;
                assert!(
                    dealt.iter().all(|i| i % threads as u64 == r) && residues.insert(r),
                    "{}",
                    tr!(
                        en: "one thread computed chunks {dealt:?}: chunk i goes to thread i % \
                             {threads}",
                        ru: "один поток вычислил части {dealt:?}: часть i отдаётся потоку i % \
                             {threads}"
                    )
                );
            }
            assert!(
                GIL.try_lock().is_ok(),
                "{}",
                tr!(
                    en: "the GIL is still locked after gil_sum returned",
                    ru: "GIL всё ещё захвачен после возврата из gil_sum"
                )
            );
        })
    }
}

mod task_2_5 {
    use super::*;
    use lab2::pipeline::pipeline;

    #[test]
    fn uneven_jobs_five_workers() {
        check!(|| {
            let gate = Gate::new(5);
            let ids = Mutex::new(HashSet::new());
            let mut out = pipeline((0..45u64).rev(), 5, 3, |j| {
                ids.lock().unwrap().insert(me());
                gate.pass();
                std::thread::sleep(Duration::from_millis(j % 4));
                j + 1
            });
            out.sort_unstable();
            assert_eq!(
                out,
                (1..=45).collect::<Vec<_>>(),
                "{}",
                tr!(en: "each job exactly once", ru: "каждая работа ровно один раз")
            );
            assert!(
                ids.lock().unwrap().len() <= 5,
                "{}",
                tr!(en: "at most 5 worker threads", ru: "не больше 5 рабочих потоков")
            );
            assert!(
                !ids.lock().unwrap().contains(&me()),
                "{}",
                tr!(en: "the caller only collects", ru: "вызывающий только собирает результаты")
            );
            assert_eq!(
                gate.max(),
                5,
                "{}",
                tr!(en: "all 5 workers busy at once", ru: "все 5 рабочих заняты одновременно")
            );
            let empty = pipeline(std::iter::empty::<u8>(), 3, 0, |j| j);
            assert!(
                empty.is_empty(),
                "{}",
                tr!(
                    en: "no jobs, no results, and the pipeline ends",
                    ru: "нет работ — нет результатов, и конвейер завершается"
                )
            );
        })
    }
}

mod task_2_6 {
    use super::*;
    use checker::kit::server::{SlowServer, body_of};
    use lab2::pool::{download_all, pool_map};

    #[test]
    fn a_slow_item_in_the_middle() {
        check!(|| {
            for (n, p, slow) in [(15usize, 5usize, 7usize), (11, 3, 10), (6, 2, 3)] {
                let slow_item = SlowItem::new(n);
                let items: Vec<usize> = (0..n).collect();
                let out = pool_map(&items, p, |&i| {
                    slow_item.work(i == slow);
                    i * 2
                });
                assert_eq!(
                    out,
                    items.iter().map(|i| i * 2).collect::<Vec<_>>(),
                    "{}",
                    tr!(en: "results in input order", ru: "результаты в порядке входных данных")
                );
                assert!(
                    slow_item.held_up().is_none(),
                    "{}",
                    tr!(
                        en: "{n} items on {p} threads: item {slow} was slow and items behind it \
                             on its worker waited: take items from one shared queue",
                        ru: "{n} элементов в {p} потоках: элемент {slow} был медленным, и \
                             элементы за ним у того же рабочего ждали: берите элементы из одной \
                             общей очереди"
                    )
                );
            }
        })
    }

    #[test]
    fn more_threads_than_items_and_many_items() {
        check!(|| {
            let ids = Mutex::new(HashSet::new());
            let out = pool_map(&[3u8, 1, 2], 16, |&x| {
                ids.lock().unwrap().insert(me());
                x
            });
            assert_eq!(out, [3, 1, 2]);
            assert!(
                ids.lock().unwrap().len() <= 3,
                "{}",
                tr!(en: "no more workers than items", ru: "рабочих не больше, чем элементов")
            );
            let items: Vec<u32> = (0..50_000).collect();
            for _ in 0..10 {
                let calls: Vec<AtomicUsize> =
                    (0..items.len()).map(|_| AtomicUsize::new(0)).collect();
                let out = pool_map(&items, 6, |&i| {
                    calls[i as usize].fetch_add(1, Ordering::Relaxed);
                    i
                });
                assert_eq!(
                    out,
                    items,
                    "{}",
                    tr!(en: "results in input order", ru: "результаты в порядке входных данных")
                );
                assert!(
                    calls.iter().all(|c| c.load(Ordering::Relaxed) == 1),
                    "{}",
                    tr!(en: "every item exactly once", ru: "каждый элемент ровно один раз")
                );
            }
        })
    }

    #[test]
    fn two_threads_six_downloads() {
        check!(|| {
            let server = SlowServer::start(Duration::from_millis(15), 6).unwrap();
            let mut urls = server.urls();
            urls.insert(2, server.url(99));
            let out = download_all(&urls, 2);
            assert_eq!(
                out.len(),
                7,
                "{}",
                tr!(en: "one result per URL", ru: "по одному результату на URL")
            );
            assert!(
                out[2].is_err(),
                "{}",
                tr!(
                    en: "a missing resource is an Err in its place",
                    ru: "отсутствующий ресурс — это Err на своём месте"
                )
            );
            let bodies: Vec<String> = out
                .into_iter()
                .enumerate()
                .filter(|(i, _)| *i != 2)
                .map(|(_, r)| r.unwrap())
                .collect();
            assert_eq!(bodies, (0..6).map(body_of).collect::<Vec<_>>());
            assert!(
                server.max_in_flight() <= 2,
                "{}",
                tr!(en: "at most 2 requests in flight", ru: "не больше 2 запросов одновременно")
            );
        })
    }
}

mod task_2_7 {
    use super::*;
    use lab2::account::{Account, LockEvent, observe_locks};
    use lab2::bank::transfer;

    /// A ring of accounts, each thread sending money to the next one, all started together:
    /// with `from` locked first, every thread holds one lock and waits for the next.
    #[test]
    fn a_ring_of_transfers() {
        check!(|| {
            let accounts: Vec<Account> = [50u64, 40, 30, 20, 10]
                .iter()
                .map(|&id| Account::new(id, 1_000))
                .collect();
            let start = Barrier::new(5);
            std::thread::scope(|s| {
                let handles: Vec<_> = (0..5)
                    .map(|k| {
                        let (accounts, start) = (&accounts, &start);
                        s.spawn(move || {
                            start.wait();
                            for i in 0..20_000 {
                                transfer(&accounts[k], &accounts[(k + 1) % 5], (i % 7) as i64);
                            }
                        })
                    })
                    .collect();
                join_all(handles);
            });
            assert_money_kept(&accounts, 5_000, "");
        })
    }

    /// One fixed order for every pair of five accounts, whatever the direction and balances.
    #[test]
    fn one_order_among_five_accounts() {
        check!(|| {
            let mut order: HashMap<(u64, u64), (u64, u64)> = HashMap::new();
            for balances in [[1i64, 2, 3, 4, 5], [5, 4, 3, 2, 1], [3, 5, 1, 4, 2]] {
                let accounts = Arc::new(
                    [11u64, 5, 23, 2, 17]
                        .iter()
                        .zip(balances)
                        .map(|(&id, b)| Account::new(id, b * 100))
                        .collect::<Vec<_>>(),
                );
                for i in 0..5 {
                    for j in 0..5 {
                        if i == j {
                            continue;
                        }
                        let pairs = Arc::new(Mutex::new(Vec::new()));
                        let (seen, view) = (Arc::clone(&pairs), Arc::clone(&accounts));
                        observe_locks(Some(Box::new(move |event| {
                            if let LockEvent::Wanted(w) = event {
                                for a in view.iter() {
                                    if a.id() != w && a.is_locked() {
                                        seen.lock().unwrap().push((a.id(), w));
                                    }
                                }
                            }
                        })));
                        transfer(&accounts[i], &accounts[j], 50);
                        observe_locks(None);
                        for (held, wanted) in pairs.lock().unwrap().iter().copied() {
                            let key = (held.min(wanted), held.max(wanted));
                            let first = *order.entry(key).or_insert((held, wanted));
                            assert_eq!(
                                first,
                                (held, wanted),
                                "{}",
                                tr!(
                                    en: "accounts {} and {} were locked in both orders: one fixed \
                                         order for every pair",
                                    ru: "счета {} и {} блокировались в обоих порядках: один \
                                         фиксированный порядок для каждой пары",
                                    key.0, key.1
                                )
                            );
                        }
                    }
                }
            }
        })
    }

    #[test]
    fn exact_amounts_and_zero() {
        check!(|| {
            let a = Account::new(8, 30);
            let b = Account::new(9, 0);
            assert!(
                transfer(&a, &b, 30),
                "{}",
                tr!(en: "exactly the balance may be sent", ru: "можно отправить ровно весь баланс")
            );
            assert!(
                !transfer(&a, &b, 1),
                "{}",
                tr!(en: "an empty account cannot send 1", ru: "пустой счёт не может отправить 1")
            );
            assert!(
                transfer(&b, &a, 0),
                "{}",
                tr!(en: "0 may always be sent", ru: "0 можно отправить всегда")
            );
            assert!(
                !transfer(&b, &b, 31) || b.balance() == 30,
                "{}",
                tr!(
                    en: "a self-transfer moves nothing",
                    ru: "перевод самому себе ничего не перемещает"
                )
            );
            assert_eq!((a.balance(), b.balance()), (0, 30));
        })
    }
}

//! Soak and load benchmark of the RUNNING local stack, over HTTP as an outside client:
//! registers and logs in, imports a generated 3,000-element feature (timed), then N writers
//! (each with an account, invited to the feature as editors, and with a small script of
//! their own) loop over a writer's mix for a fixed time: edits (GET, PATCH with If-Match),
//! moves, reorders of small sections, creates and deletes of elements, story reads, pages
//! of elements, characters, working sessions, and a generation job about once a minute.
//! Another account keeps adding characters to a script of its own, so its count grows
//! (target: p99 of a create under 100 ms at 500 and at 5,000 characters).
//!
//! Prints a line a minute and, at the end, markdown tables: per minute (requests, errors,
//! 5xx, CPU ms per request and RSS of the runner and the emulator from /proc), p50/p99 per
//! operation per minute, the whole run, and whether the targets held.
//!
//! `./infra/soak.sh [--minutes N] [--clients N]` builds, starts and stops the stack around
//! it. By hand: `bench_soak --url http://127.0.0.1:3000 --minutes 30 --clients 4
//! --runner-pid PID --emulator-pid PID`.

#[path = "../soak/mod.rs"]
mod soak;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use soak::api::{Api, Body, Result, must};
use soak::background::grow;
use soak::mix::{Shared, Writer};
use soak::report::{Minute, Processes, Summary, progress, render};
use soak::setup;
use soak::stats::Stats;

struct Args {
    url: String,
    minutes: u64,
    clients: usize,
    runner_pid: Option<u32>,
    emulator_pid: Option<u32>,
}

const USAGE: &str = "usage: bench_soak [--url URL] [--minutes N] [--clients N] \
                     [--runner-pid PID] [--emulator-pid PID]";

fn args() -> Result<Args> {
    let mut args = Args {
        url: "http://127.0.0.1:3000".into(),
        minutes: 30,
        clients: 4,
        runner_pid: None,
        emulator_pid: None,
    };
    let mut given = std::env::args().skip(1);
    while let Some(flag) = given.next() {
        let (name, inline) = match flag.split_once('=') {
            Some((name, value)) => (name.to_owned(), Some(value.to_owned())),
            None => (flag.clone(), None),
        };
        if name == "--help" || name == "-h" {
            println!("{USAGE}");
            std::process::exit(0);
        }
        let value = match inline {
            Some(value) => value,
            None => given
                .next()
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))?,
        };
        match name.as_str() {
            "--url" => args.url = value,
            "--minutes" => args.minutes = value.parse()?,
            "--clients" => args.clients = value.parse()?,
            "--runner-pid" => args.runner_pid = Some(value.parse()?),
            "--emulator-pid" => args.emulator_pid = Some(value.parse()?),
            _ => return Err(format!("unknown argument {name}\n{USAGE}").into()),
        }
    }
    if args.minutes == 0 || args.clients == 0 {
        return Err("--minutes and --clients must be at least 1".into());
    }
    Ok(args)
}

#[tokio::main]
async fn main() {
    if let Err(error) = run().await {
        eprintln!("bench_soak: {error}");
        std::process::exit(1);
    }
}

async fn run() -> Result<()> {
    let args = args()?;
    let stats = Arc::new(Stats::new());
    let api = Arc::new(Api::new(&args.url, stats.clone())?);
    let health = api
        .send(
            "health",
            reqwest::Method::GET,
            "/health",
            None,
            &[],
            Body::Empty,
        )
        .await;
    must(&health, 200)?;

    println!(
        "# Soak of the local stack ({} minutes, {} writers, {})\n",
        args.minutes, args.clients, args.url
    );
    let nonce = SystemTime::now().duration_since(UNIX_EPOCH)?.as_millis();
    let owner = api
        .account(&format!("soak-owner-{nonce}@example.org"))
        .await?;
    let (text, scenes) = setup::screenplay();
    let kilobytes = text.len() / 1024;
    let (imported, import_took) = setup::import(&api, &owner, text).await?;
    let mut processes = Processes::new(args.runner_pid, args.emulator_pid);
    let emulator_rss_after_import_mb = processes.emulator_rss_mb();
    println!(
        "- import of a generated feature ({} elements, {scenes} scenes, {kilobytes} KB of \
         Fountain): {:.2} s; {} sections, {} elements, {} characters; emulator RSS after it: {} MB",
        setup::ELEMENTS,
        import_took.as_secs_f64(),
        imported["sections"],
        imported["elements"],
        imported["characters"],
        emulator_rss_after_import_mb.map_or("-".to_owned(), |mb| format!("{mb:.0}")),
    );
    let script_id = imported["scriptId"]
        .as_str()
        .ok_or("the import answered no scriptId")?
        .to_owned();
    let feature = Arc::new(setup::read_script(&api, &owner, &script_id).await?);
    println!(
        "- writers work together on {} busy sections; reorders in {} small ones",
        feature.hot.len(),
        feature.small.len()
    );

    let mut writers = Vec::new();
    for index in 1..=args.clients {
        let account = Arc::new(
            api.account(&format!("soak-writer{index}-{nonce}@example.org"))
                .await?,
        );
        setup::join(&api, &owner, &account, &script_id).await?;
        let title = format!("Writer {index}'s notebook");
        let own = Arc::new(setup::small_script(&api, &account, &title, 3, 8).await?);
        writers.push(Writer::new(index, account, own));
    }
    let casting = Arc::new(
        api.account(&format!("soak-casting-{nonce}@example.org"))
            .await?,
    );
    let crowd = setup::script(&api, &casting, "Cast of thousands").await?;
    println!(
        "- {} writers set up (accounts, invitations, own scripts of 3 scenes of 8 elements)",
        args.clients
    );

    // The run: the set-up's requests are not part of it.
    let run = Duration::from_secs(args.minutes * 60);
    stats.reset();
    processes.restart();
    let start = Instant::now();
    let deadline = start + run;
    // To pass 5,000 characters at 85 % of the run, at most 8 a second (the rate limit is
    // 600 requests a minute per user).
    let interval = Duration::from_secs_f64((run.as_secs_f64() * 0.85 / 5_500.0).max(0.125));
    let shared = Arc::new(Shared {
        api: api.clone(),
        feature,
        deadline,
        next_generation: Mutex::new(start + Duration::from_secs(30)),
        generation_every: Duration::from_secs(60),
    });
    println!(
        "\n## As it goes (one line a minute; p50/p99 ms per operation)\n\nstarted; the growing \
         script gets a character every {} ms\n",
        interval.as_millis()
    );

    let (done, mut finished) = tokio::sync::oneshot::channel::<()>();
    let reporter = {
        let stats = stats.clone();
        let minutes = args.minutes as usize;
        tokio::spawn(async move {
            let mut rows: Vec<Minute> = Vec::new();
            let mut from = start;
            for index in 1..=minutes {
                if index < minutes {
                    tokio::time::sleep_until(
                        (start + Duration::from_secs(60 * index as u64)).into(),
                    )
                    .await;
                } else {
                    let _ = (&mut finished).await;
                }
                let now = Instant::now();
                let window = stats.take_window();
                let characters = stats.lock().character_creates.len();
                let row = processes.minute(index, (now - from).as_secs_f64(), window, characters);
                from = now;
                println!("{}", progress(&row));
                rows.push(row);
            }
            rows
        })
    };

    let mut tasks = Vec::new();
    for writer in writers {
        let shared = shared.clone();
        tasks.push(tokio::spawn(async move { writer.run(shared).await }));
    }
    let grower = tokio::spawn(grow(api.clone(), casting, crowd, deadline, interval));
    let mut jobs = Vec::new();
    for task in tasks {
        jobs.extend(task.await?);
    }
    let grown = grower.await?;
    // The last minute ends with the writers; polls of unfinished jobs come after it.
    let _ = done.send(());
    let minutes = reporter.await?;
    for job in jobs {
        job.await?;
    }
    println!("\nthe growing script holds {grown} characters");

    let inner = stats.lock();
    let summary = Summary {
        import: import_took,
        emulator_rss_after_import_mb,
    };
    println!("{}", render(&minutes, &inner, &summary));
    Ok(())
}

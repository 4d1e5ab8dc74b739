//! Measures sequential append throughput: small upserts (one claim each) appended one after
//! another to a store seeded with the built-in scenario. Run with
//! `cargo run --release -p parley-store --example append_throughput [DATABASE] [N]`; the
//! database defaults to a new SQLite file in a temporary folder.

#![allow(clippy::print_stdout, reason = "an example prints its measurement")]

use std::time::Instant;

use parley_model::builtin::TALKS_2025_TOML;
use parley_model::change::Change;
use parley_model::scenario_file::{read_fragment, read_scenario};
use parley_store::Store;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = tempfile::tempdir()?;
    let database =
        args.next().unwrap_or_else(|| dir.path().join("throughput.db").display().to_string());
    let n_events: u64 = args.next().map_or(Ok(2000), |text| text.parse())?;
    let seed = read_scenario(TALKS_2025_TOML).scenario.ok_or("the built-in scenario is valid")?;
    let store = Store::open_or_seed(&database, seed.scenario(), "bench").await?;
    let changes: Vec<Change> = (0..n_events)
        .map(|index| {
            let text = format!(
                "[[claims]]\nid = \"bench-{index}\"\nclaimant = \"russia\"\nstatement = \"Claim {index}\"\nstatus = \"unverified\"\n"
            );
            read_fragment(&text).map(Change::Upsert).expect("the claim is well formed")
        })
        .collect();
    let start = Instant::now();
    for change in &changes {
        store.append("bench", change).await?;
    }
    let elapsed = start.elapsed();
    println!(
        "{} ({}): {n_events} sequential appends in {:.2} s: {:.0} events/s",
        store.database(),
        store.backend_name(),
        elapsed.as_secs_f64(),
        n_events as f64 / elapsed.as_secs_f64()
    );
    let verify_start = Instant::now();
    let report = store.verify().await?;
    println!("{report} (verified in {:.2} s)", verify_start.elapsed().as_secs_f64());
    Ok(())
}

//! Project automation. `cargo run -p xtask -- tidy` checks the code base's conventions; the
//! same checks run as this crate's tests, so `cargo test --workspace` enforces them.

mod tidy;

use std::process::ExitCode;

fn main() -> ExitCode {
    let task = std::env::args().nth(1);
    match task.as_deref() {
        Some("tidy") => {
            let problems = tidy::problems(&tidy::workspace_root());
            for problem in &problems {
                say(problem);
            }
            if problems.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
        }
        _ => {
            say("usage: cargo run -p xtask -- tidy");
            ExitCode::from(2)
        }
    }
}

#[allow(clippy::print_stdout, reason = "xtask is a command-line tool")]
fn say(line: &str) {
    println!("{line}");
}

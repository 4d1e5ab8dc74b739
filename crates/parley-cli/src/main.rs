//! The `parley` command line: parses the arguments and hands over to [`parley_cli::run`].

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = parley_cli::args::Args::parse();
    match parley_cli::run(args) {
        Ok(code) => code,
        Err(error) => {
            anstream::eprintln!("error: {}", parley_cli::error_text(&error));
            ExitCode::from(2)
        }
    }
}

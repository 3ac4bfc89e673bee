//! The `wincompat` binary: parse flags, run, map the result to an exit code.

use std::process::ExitCode;

fn main() -> ExitCode {
    match wincompat::app::run(wincompat::cli::parse()) {
        Ok(exit) => ExitCode::from(exit.code()),
        Err(err) => {
            // A closed pipe (`wincompat … | head`) is not an error.
            if let Some(io) = err.downcast_ref::<std::io::Error>() {
                if io.kind() == std::io::ErrorKind::BrokenPipe {
                    return ExitCode::SUCCESS;
                }
            }
            eprintln!("wincompat: {err:#}");
            ExitCode::from(wincompat::app::Exit::Error.code())
        }
    }
}

//! `jimoto`: the whole platform in one binary. `main` only parses the command line and
//! hands over to [`cli::run`].

mod allocate;
mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}

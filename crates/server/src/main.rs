//! `lejek`: serve the API and client, fill a demo, or migrate.

mod commands;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "lejek", version, about = "Lejek — the sales funnel of a CRM")]
struct Cli {
    /// A TOML configuration file (default: ./lejek.toml when present).
    #[arg(long, global = true, env = "LEJEK_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the API and serve the client (the default).
    Serve {
        /// On an empty database, first fill a demo team with this many cases.
        #[arg(long)]
        demo_cases: Option<u64>,
    },
    /// Fill the configured database with a deterministic demo team and cases.
    Demo {
        #[arg(long, default_value_t = 2_000)]
        cases: u64,
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
    /// Apply the migrations and exit.
    Migrate,
    /// File one e-mail read from standard input as a lead or a note (a
    /// Postfix pipe). Exits 65 when it can never be filed, 75 when it should
    /// be delivered again later.
    IntakeMail,
    /// Copy the SQLite database to PATH, consistently, while it serves
    /// (PostgreSQL: use pg_dump, see the README).
    Backup {
        /// A new file for the copy.
        path: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Err(error) = commands::init_logging() {
        eprintln!("lejek: {error}");
        return ExitCode::FAILURE;
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("lejek: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let config = cli.config.as_deref();
    let result = match cli.command.unwrap_or(Command::Serve { demo_cases: None }) {
        Command::Serve { demo_cases } => runtime.block_on(commands::serve(config, demo_cases)),
        Command::Demo { cases, seed } => runtime.block_on(commands::demo(config, cases, seed)),
        Command::Migrate => runtime.block_on(commands::migrate(config)),
        Command::Backup { path } => runtime.block_on(commands::backup(config, &path)),
        Command::IntakeMail => return runtime.block_on(commands::intake_mail(config)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("lejek: {error}");
            ExitCode::FAILURE
        }
    }
}

//! `lejek-bench`: seeds N demo cases into SQLite or PostgreSQL, starts the
//! API on a random port, and measures the pipeline queries through real
//! HTTP against the same SQL run directly on the database.

mod figures;
mod intake;
mod mail;
mod measure;
mod production;
mod queries;
mod random;
mod writers;

use std::path::PathBuf;
use std::time::Instant;

use clap::{Parser, ValueEnum};
use lejek_api::{Application, Settings};
use lejek_demo::{DEMO_PASSWORD, DemoOptions};
use lejek_store::Store;
use sea_orm::ConnectionTrait;
use secrecy::SecretString;

use crate::measure::{Client, Stats};

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum, Debug)]
enum Db {
    Sqlite,
    Postgres,
}

#[derive(Parser, Debug)]
#[command(about = "Measure the pipeline list at scale")]
struct Args {
    /// Cases to seed.
    #[arg(long, default_value_t = 1_000_000)]
    cases: u64,
    #[arg(long, value_enum, default_value_t = Db::Sqlite)]
    db: Db,
    /// Timed requests per query.
    #[arg(long, default_value_t = 200)]
    iterations: usize,
    /// PostgreSQL server (a database `lejek_bench_<cases>` is created on it).
    #[arg(
        long,
        env = "LEJEK_BENCH_POSTGRES_URL",
        default_value = "postgres://postgres@127.0.0.1:5432/postgres"
    )]
    postgres_url: String,
    /// Where the SQLite file goes.
    #[arg(long, default_value = "target/bench")]
    dir: PathBuf,
    /// Seed again even when a database of this size is already there.
    #[arg(long)]
    fresh: bool,
    /// Random requests of each kind (list, counts, search, contacts);
    /// 0 skips them.
    #[arg(long, default_value_t = 300)]
    random: usize,
    /// Seed of the random requests.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Skip the fixed set of queries.
    #[arg(long)]
    random_only: bool,
    /// How many of the slowest random requests to list.
    #[arg(long, default_value_t = 10)]
    slowest: usize,
    /// Concurrent writers moving cases (GET + transition); 0 skips them.
    #[arg(long, default_value_t = 16)]
    writers: usize,
    /// How long the writers run, in seconds.
    #[arg(long, default_value_t = 20)]
    writer_seconds: u64,
    /// Timed requests of each figure over the last 12 months, no filter;
    /// 0 skips the figures.
    #[arg(long, default_value_t = 20)]
    figures: usize,
    /// Random figure requests (filters, periods, zones).
    #[arg(long, default_value_t = 150)]
    random_figures: usize,
    /// Only the figures (no list, counts, search or writers).
    #[arg(long)]
    figures_only: bool,
    /// Instead of everything above: the production layout on PostgreSQL,
    /// `lejek serve` processes behind the repository's Caddyfile (proxy
    /// latency and throughput, the cost of metrics).
    #[arg(long)]
    production: bool,
    /// Instead of everything above: file import through a release
    /// `lejek serve` (`cargo xtask bench-intake`).
    #[arg(long)]
    intake: bool,
    /// Rows of the timed import.
    #[arg(long, default_value_t = 100_000)]
    intake_rows: usize,
    /// Rows of the large import whose memory is watched.
    #[arg(long, default_value_t = 500_000)]
    intake_large_rows: usize,
    /// E-mail messages the intake benchmark delivers.
    #[arg(long, default_value_t = 1_000)]
    intake_mails: u32,
    /// The release `lejek` binary the production benchmark runs.
    #[arg(long, default_value = "target/release/lejek")]
    lejek_binary: PathBuf,
    /// The Caddyfile it runs (default: the repository's deploy/Caddyfile).
    #[arg(long)]
    caddyfile: Option<PathBuf>,
    /// Timed requests of each latency comparison there.
    #[arg(long, default_value_t = 3000)]
    samples: usize,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let url = database_url(&args).await?;
    let seeding = Store::open(&url, 8).await?;
    seed(&seeding, &args).await?;
    // SQLite connections load the planner statistics when they open: the
    // measured server gets a pool opened after ANALYZE, as a restarted
    // production server has (measured with the old pool, a few connections
    // planned without statistics and put 100 ms in the p95).
    seeding.close().await?;
    if args.intake {
        return intake::run(intake::Setup {
            database_url: &url,
            label: match args.db {
                Db::Sqlite => "SQLite",
                Db::Postgres => "PostgreSQL",
            },
            lejek: &args.lejek_binary,
            work_dir: &args.dir.join("intake"),
            rows: args.intake_rows,
            large_rows: args.intake_large_rows,
            mails: args.intake_mails,
            seed: args.seed,
        })
        .await;
    }
    if args.production {
        if args.db != Db::Postgres {
            return Err("--production runs on PostgreSQL: add --db postgres".into());
        }
        let caddyfile = args
            .caddyfile
            .clone()
            .unwrap_or_else(production::default_caddyfile);
        let work_dir = args.dir.join("production");
        println!("\nLejek production benchmark: {} cases on PostgreSQL", args.cases);
        return production::run(production::Setup {
            database_url: &url,
            lejek: &args.lejek_binary,
            caddyfile: &caddyfile,
            work_dir: &work_dir,
            writers: args.writers,
            writer_seconds: args.writer_seconds,
            samples: args.samples,
        })
        .await;
    }
    let store = Store::open(&url, 8).await?;

    let settings = Settings {
        listen: "127.0.0.1:0".to_owned(),
        database_url: Some(url),
        jwt_secret: Some(SecretString::from(
            "bench-secret-bench-secret-bench-secret-0123".to_owned(),
        )),
        data_dir: args.dir.clone(),
        ..Settings::default()
    };
    let application = Application::build(settings, store.clone()).await?;
    let address = format!("http://127.0.0.1:{}/api/v1", application.port());
    tokio::spawn(application.run_until_stopped());

    let manager = Client::login(&address, "dyrektor@lejek.demo", DEMO_PASSWORD).await?;
    let agent = Client::login(&address, "anna.nowak@lejek.demo", DEMO_PASSWORD).await?;
    println!(
        "\nLejek benchmark: {} cases on {:?}, {} timed requests per query (after warm-up)\n",
        args.cases, args.db, args.iterations
    );
    if args.figures > 0 {
        figures::run(
            &manager,
            &agent,
            args.cases,
            args.figures,
            args.random_figures,
            args.seed,
        )
        .await?;
    }
    if args.figures_only {
        return Ok(());
    }
    if !args.random_only {
        println!("{}", Stats::header());
        queries::run_all(&store, &manager, &agent, args.iterations).await?;
    }
    if args.random > 0 {
        random::run(&manager, &agent, args.cases, args.random, args.seed, args.slowest).await?;
    }
    if args.writers > 0 {
        writers::run(&manager, args.writers, args.writer_seconds).await?;
    }
    Ok(())
}

async fn database_url(args: &Args) -> Result<String, Box<dyn std::error::Error>> {
    match args.db {
        Db::Sqlite => {
            std::fs::create_dir_all(&args.dir)?;
            let file = args.dir.join(format!("lejek-{}.db", args.cases));
            if args.fresh {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
                }
            }
            Ok(format!("sqlite://{}?mode=rwc", file.display()))
        }
        Db::Postgres => {
            let name = format!("lejek_bench_{}", args.cases);
            let admin = sea_orm::Database::connect(args.postgres_url.clone()).await?;
            if args.fresh {
                admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await?;
            }
            let exists = admin
                .query_one_raw(sea_orm::Statement::from_string(
                    sea_orm::DbBackend::Postgres,
                    format!("SELECT 1 AS one FROM pg_database WHERE datname = '{name}'"),
                ))
                .await?
                .is_some();
            if !exists {
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await?;
            }
            admin.close().await?;
            let base = args
                .postgres_url
                .rsplit_once('/')
                .map_or(args.postgres_url.as_str(), |(base, _)| base);
            Ok(format!("{base}/{name}"))
        }
    }
}

async fn seed(store: &Store, args: &Args) -> Result<(), Box<dyn std::error::Error>> {
    let existing = store.count_users().await?;
    if existing > 0 {
        println!("using the existing data set ({existing} users); --fresh seeds again");
        return analyze(store, args.db).await;
    }
    let started = Instant::now();
    let options = DemoOptions {
        cases: args.cases,
        seed: 42,
        today: chrono::Utc::now().date_naive(),
        password_hash: lejek_api::hash_password(DEMO_PASSWORD.to_owned()).await?,
    };
    let summary = lejek_demo::generate(store, &options).await?;
    println!(
        "seeded {} cases, {} contacts, {} events in {:.1} s",
        summary.cases,
        summary.contacts,
        summary.events,
        started.elapsed().as_secs_f64()
    );
    analyze(store, args.db).await
}

/// Fresh planner statistics, as a maintained production database has.
async fn analyze(store: &Store, db: Db) -> Result<(), Box<dyn std::error::Error>> {
    let statement = match db {
        Db::Sqlite => "ANALYZE",
        Db::Postgres => "VACUUM ANALYZE",
    };
    let started = Instant::now();
    store.connection().execute_unprepared(statement).await?;
    println!("{statement} in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

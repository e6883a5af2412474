//! Subcommands. Each builds settings (defaults → file → `JIMOTO_*` → flags) and calls the
//! app or the services; nothing here knows SQL or HTML.

use std::io::Read as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use clap::{Args, Parser, Subcommand};
use jimoto_domain::{AccountScope, Lang, Role};
use jimoto_services::{NewAccount, ServiceError, Services};
use jimoto_web::{App, Settings};

/// 地元 Jimoto — local telework platform.
#[derive(Debug, Parser)]
#[command(name = "jimoto", version, about)]
struct Cli {
    /// Settings file (TOML); values are overridden by JIMOTO_* variables and flags.
    #[arg(long, global = true, env = "JIMOTO_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the web app and the JSON API.
    Serve(ServeArgs),
    /// Serve with the demo regions loaded (its own SQLite file by default).
    Demo(ServeArgs),
    /// Apply database migrations and exit.
    Migrate(DbArgs),
    /// Create the first administrator (or reset its password).
    CreateAdmin {
        #[command(flatten)]
        db: DbArgs,
        /// Login name.
        #[arg(long)]
        login: String,
        /// Display name (defaults to the login).
        #[arg(long)]
        name: Option<String>,
        /// Read the password from standard input instead of prompting.
        #[arg(long)]
        password_stdin: bool,
    },
    /// The exact allocation of people to places on a MATCH1 file (or a generated instance);
    /// prints key=value lines. Needs no database.
    Allocate(crate::allocate::AllocateArgs),
    /// Personal access tokens for the JSON API.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
}

#[derive(Debug, Subcommand)]
enum TokenCommand {
    /// Make a token for a login; it acts with that user's role. Prints the token once.
    Create {
        #[command(flatten)]
        db: DbArgs,
        /// Login name.
        #[arg(long)]
        login: String,
        /// A label to recognise the token by.
        #[arg(long, default_value = "cli")]
        name: String,
    },
}

#[derive(Debug, Args)]
struct DbArgs {
    /// sqlite://FILE or postgres://USER:PASS@HOST/DB (default: settings, else sqlite://jimoto.db).
    #[arg(long)]
    database_url: Option<String>,
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// Address and port to listen on (default 127.0.0.1:8080).
    #[arg(long)]
    bind: Option<String>,
    #[command(flatten)]
    db: DbArgs,
}

/// Parses the command line, runs the command, and turns errors into a message and exit code 1.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    // Allocation is pure computation: no settings, no runtime, no database.
    if let Command::Allocate(args) = &cli.command {
        return match crate::allocate::run(args) {
            Ok(lines) => {
                for l in lines {
                    say(&l);
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                report(&e);
                ExitCode::FAILURE
            }
        };
    }
    let settings = match Settings::load(cli.config.as_deref()) {
        Ok(s) => s,
        Err(e) => {
            report(&anyhow::anyhow!("settings: {e}"));
            return ExitCode::FAILURE;
        }
    };
    init_tracing(&settings);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            report(&e.into());
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(execute(cli.command, settings)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            report(&e);
            ExitCode::FAILURE
        }
    }
}

#[allow(clippy::print_stderr)]
fn report(e: &anyhow::Error) {
    eprintln!("jimoto: {e:#}");
}

fn init_tracing(settings: &Settings) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("JIMOTO_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if settings.log_format == "json" {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

async fn execute(command: Command, mut settings: Settings) -> anyhow::Result<()> {
    match command {
        Command::Serve(args) => {
            apply(&mut settings, &args);
            serve(settings, None).await
        }
        Command::Demo(args) => {
            if args.db.database_url.is_none() && std::env::var_os("JIMOTO_DATABASE_URL").is_none() {
                settings.database_url = "sqlite://jimoto-demo.db".into();
            }
            apply(&mut settings, &args);
            serve(settings, Some(())).await
        }
        Command::Migrate(db) => {
            override_db(&mut settings, &db);
            let app = App::build(settings.clone()).await?;
            app.services().db().close().await;
            say(&format!(
                "migrations applied to {}",
                settings.redacted_database_url()
            ));
            Ok(())
        }
        Command::CreateAdmin {
            db,
            login,
            name,
            password_stdin,
        } => {
            override_db(&mut settings, &db);
            let password = read_password(password_stdin)?;
            let app = App::build(settings).await?;
            let services = app.services().clone();
            let result = create_admin(&services, &login, name, password).await;
            services.db().close().await;
            result
        }
        // Run by `run` before a runtime or settings exist; never reaches here.
        Command::Allocate(_) => bail!("allocate needs no runtime"),
        Command::Token {
            command: TokenCommand::Create { db, login, name },
        } => {
            override_db(&mut settings, &db);
            let app = App::build(settings).await?;
            let services = app.services().clone();
            let token = services
                .create_token_for_login(&login, &name)
                .await
                .map_err(|e| match e {
                    ServiceError::NotFound => {
                        anyhow::anyhow!("no active account with login {login:?}")
                    }
                    e => anyhow::anyhow!("{e}"),
                });
            services.db().close().await;
            say(&token?);
            Ok(())
        }
    }
}

fn override_db(settings: &mut Settings, db: &DbArgs) {
    if let Some(url) = &db.database_url {
        settings.database_url = url.clone();
    }
}

fn apply(settings: &mut Settings, args: &ServeArgs) {
    override_db(settings, &args.db);
    if let Some(bind) = &args.bind {
        settings.bind = bind.clone();
    }
}

#[allow(clippy::print_stdout)]
fn say(line: &str) {
    println!("{line}");
}

fn read_password(from_stdin: bool) -> anyhow::Result<String> {
    if !from_stdin {
        bail!(
            "pass --password-stdin and give the password on standard input (it is never taken as an argument)"
        );
    }
    let mut s = String::new();
    std::io::stdin()
        .read_to_string(&mut s)
        .context("reading the password from standard input")?;
    let password = s.trim_end_matches(['\r', '\n']).to_owned();
    if password.is_empty() {
        bail!("the password on standard input is empty");
    }
    Ok(password)
}

async fn create_admin(
    services: &Services,
    login: &str,
    name: Option<String>,
    password: String,
) -> anyhow::Result<()> {
    if services.login_exists(login).await? {
        services
            .reset_password_as_operator(login, &password)
            .await
            .map_err(explain)?;
        say(&format!("password of {login} reset"));
        return Ok(());
    }
    let account = NewAccount {
        login: login.to_owned(),
        display_name: name.unwrap_or_else(|| login.to_owned()),
        password,
        role: Role::Admin,
        scope: AccountScope::Platform,
        lang: Lang::Ja,
    };
    services
        .create_account_as_operator(account)
        .await
        .map_err(explain)?;
    say(&format!("administrator {login} created"));
    Ok(())
}

/// Validation failures as "field: code" lines for the terminal.
fn explain(e: ServiceError) -> anyhow::Error {
    match e {
        ServiceError::Validation(v) => {
            let tr = jimoto_web::Tr::new(Lang::En);
            anyhow::anyhow!(
                v.0.iter()
                    .map(|f| tr.field_error(f))
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        }
        e => anyhow::anyhow!("{e}"),
    }
}

async fn serve(settings: Settings, demo: Option<()>) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(&settings.bind)
        .await
        .with_context(|| format!("cannot listen on {}", settings.bind))?;
    let addr = listener.local_addr()?;
    tracing::info!(?settings, "starting");
    let app = App::build(settings.clone()).await?;
    if demo.is_some() {
        let loaded = jimoto_demo::load(app.services()).await?;
        print_demo(&addr.to_string(), &settings, loaded);
    } else {
        say(&format!("Jimoto listening on http://{addr}/"));
    }
    app.serve(listener, shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(())
}

fn print_demo(addr: &str, settings: &Settings, loaded: bool) {
    let state = if loaded {
        "loaded"
    } else {
        "already present, reused"
    };
    say(&format!(
        "Jimoto demo — data {state} in {}",
        settings.redacted_database_url()
    ));
    say(&format!(
        "Open http://{addr}/login and log in with one of these (password: {}):",
        jimoto_demo::DEMO_PASSWORD
    ));
    for l in jimoto_demo::logins() {
        say(&format!(
            "  {:<22} {:<15} {}",
            l.login,
            l.role.as_str(),
            l.description
        ));
    }
    say("Press Ctrl+C to stop.");
}

/// Ctrl+C or SIGTERM: stop accepting, finish in-flight requests, close the pool.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}

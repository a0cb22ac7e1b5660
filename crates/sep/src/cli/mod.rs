//! The `sep` command line: the server and the operator's commands.

mod applications;
mod documents;

use crate::app::{self, App};
use clap::{Parser, Subcommand};
use sep_audit::Verdict;
use sep_identity::{model::AssuranceLevel, model::Role};
use sep_identity::{service, store};
use sep_platform::Platform;
use sep_platform::client::Client;
use sep_platform::config::Config;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "sep", version, about = "СЭП: e-government services platform")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP server (the default).
    Serve {
        /// Load demo data first and turn on demo pages (SMS inbox).
        #[arg(long)]
        demo: bool,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Create the demo accounts (idempotent).
    Demo,
    /// The audit journal.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Accounts and roles.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// The personal-account ledger.
    Ledger {
        #[command(subcommand)]
        command: LedgerCommand,
    },
    /// Payments: reconciliation with the acquirer.
    Payments {
        #[command(subcommand)]
        command: PaymentsCommand,
    },
    /// Applications: the state graph, lists, exports, the deadline check.
    Applications {
        #[command(subcommand)]
        command: applications::ApplicationsCommand,
    },
    /// Documents: issue pending ones, revoke, check a file.
    Documents {
        #[command(subcommand)]
        command: documents::DocumentsCommand,
    },
    /// The trust list of certification authorities.
    TrustList {
        #[command(subcommand)]
        command: documents::TrustListCommand,
    },
}

#[derive(Subcommand)]
enum LedgerCommand {
    /// Re-check the books: every movement sums to zero, no personal account below zero.
    /// Exit 0 if balanced, 1 naming the first broken movement.
    Verify,
}

#[derive(Subcommand)]
enum PaymentsCommand {
    /// Ask the acquirer about every payment still waiting for its word and
    /// record the answers. Exit 0 when every one was asked, 2 when the
    /// acquirer could not be reached for some.
    Reconcile {
        /// Only payments untouched for at least this many seconds.
        #[arg(long, default_value_t = 0)]
        older_than_secs: i64,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Recompute the hash chain; exit 0 if intact, 1 naming the first bad record.
    Verify,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an active account.
    Create {
        #[arg(long)]
        phone: String,
        #[arg(long)]
        email: String,
        /// Read from SEP_USER_PASSWORD if not given, to keep it out of shell history.
        #[arg(long, env = "SEP_USER_PASSWORD", hide_env_values = true)]
        password: String,
        /// Comma-separated: citizen, representative, officer, support, admin, integrator.
        #[arg(long, default_value = "citizen", value_delimiter = ',')]
        role: Vec<String>,
        #[arg(long, default_value = "simplified")]
        level: String,
    },
    /// Replace an account's roles.
    SetRole {
        /// Phone or email of the account.
        login: String,
        #[arg(long, value_delimiter = ',', required = true)]
        role: Vec<String>,
    },
    /// Make an officer or integrator act for an agency (by its catalogue code).
    SetAgency {
        login: String,
        /// The agency's code; leave out with --none.
        #[arg(long, required_unless_present = "none")]
        agency: Option<String>,
        /// Belong to no agency.
        #[arg(long, conflicts_with = "agency")]
        none: bool,
    },
    /// Lift a lockout.
    Unlock { login: String },
    /// List accounts (newest first), optionally filtered by phone or email.
    List { query: Option<String> },
}

pub fn main() -> ExitCode {
    init_tracing();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("SEP_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if std::env::var("SEP_LOG_FORMAT").as_deref() == Ok("json") {
        builder.json().init()
    } else {
        builder.init()
    }
}

async fn platform(config: Config) -> anyhow::Result<Platform> {
    let clock = sep_platform::clock::from_config(config.clock_start);
    app::platform(config, clock).await
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let mut config = Config::load()?;
    match cli.command.unwrap_or(Command::Serve { demo: false }) {
        Command::Serve { demo } => {
            config.demo |= demo;
            config.check_production_outboxes()?;
            let clock = sep_platform::clock::from_config(config.clock_start);
            let app = App::build(config, clock).await?;
            if app.platform.config.demo {
                let created = crate::demo::seed(&app.platform).await?;
                tracing::info!(created, "demo data ready");
            }
            tracing::info!(addr = %app.addr, "СЭП listening on http://{}", app.addr);
            app.run(app::shutdown_signal()).await?;
        }
        Command::Migrate => {
            platform(config).await?;
            println!("migrations applied");
        }
        Command::Demo => {
            let p = platform(config).await?;
            let created = crate::demo::seed(&p).await?;
            println!(
                "demo data ready: {created} account(s) created, password {}",
                crate::demo::DEMO_PASSWORD
            );
            for a in crate::demo::ACCOUNTS {
                println!("  {:<15} {}  {}", a.role.as_str(), a.phone, a.email);
            }
        }
        Command::Audit {
            command: AuditCommand::Verify,
        } => {
            let p = platform(config).await?;
            return Ok(match sep_audit::verify(&p.db).await? {
                Verdict::Intact { records } => {
                    println!("audit journal intact: {records} records");
                    ExitCode::SUCCESS
                }
                Verdict::Broken { seq, reason } => {
                    eprintln!("audit journal BROKEN at record {seq}: {reason}");
                    ExitCode::from(1)
                }
            });
        }
        Command::User { command } => return user_command(platform(config).await?, command).await,
        Command::Applications { command } => applications::run(config, command).await?,
        Command::Documents { command } => return documents::documents(config, command).await,
        Command::TrustList { command } => return documents::trust_list(config, command).await,
        Command::Payments {
            command: PaymentsCommand::Reconcile { older_than_secs },
        } => {
            let p = platform(config).await?;
            let r =
                sep_payments::service::reconcile(&p, chrono::Duration::seconds(older_than_secs))
                    .await?;
            println!(
                "reconciled: asked {}, moved {}, unreachable {}",
                r.asked, r.moved, r.unreachable
            );
            return Ok(if r.unreachable > 0 {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            });
        }
        Command::Ledger {
            command: LedgerCommand::Verify,
        } => {
            let p = platform(config).await?;
            return Ok(match sep_payments::ledger::verify(&*p.db).await? {
                sep_payments::ledger::Books::Balanced {
                    movements,
                    postings,
                } => {
                    println!("ledger balanced: {movements} movements, {postings} postings");
                    ExitCode::SUCCESS
                }
                sep_payments::ledger::Books::Broken { movement, reason } => {
                    eprintln!("ledger BROKEN at movement {movement}: {reason}");
                    ExitCode::from(1)
                }
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn parse_roles(names: &[String]) -> anyhow::Result<Vec<Role>> {
    names.iter().map(|n| Role::parse(n.trim()).ok_or_else(|| anyhow::anyhow!("unknown role {n:?}; known: citizen, representative, officer, support, admin, integrator"))).collect()
}

async fn find(p: &Platform, login: &str) -> anyhow::Result<store::user::Model> {
    let by_phone = match sep_kernel::Phone::parse(login) {
        Ok(ph) => store::user_by_phone(&*p.db, ph.as_e164()).await?,
        Err(_) => None,
    };
    let found = match by_phone {
        Some(u) => Some(u),
        None => store::user_by_email(&*p.db, &login.trim().to_lowercase()).await?,
    };
    found.ok_or_else(|| anyhow::anyhow!("no account with phone or email {login:?}"))
}

/// Prints field errors one per line, in Russian, naming the field and the rule.
fn explain(e: sep_platform::error::AppError) -> anyhow::Error {
    let lang = sep_kernel::i18n::Lang::Ru;
    if let Some(message) = e.refusal_message(lang) {
        return anyhow::anyhow!("{message}");
    }
    if e.field_errors().is_empty() {
        return anyhow::anyhow!("{}", lang.t(&format!("problem-{}", e.code())));
    }
    anyhow::anyhow!(
        "{}",
        e.field_errors()
            .iter()
            .map(|fe| format!("{}: {}", fe.field, lang.field_error(fe)))
            .collect::<Vec<_>>()
            .join("\n")
    )
}

async fn user_command(p: Platform, command: UserCommand) -> anyhow::Result<ExitCode> {
    let client = Client::system();
    match command {
        UserCommand::Create {
            phone,
            email,
            password,
            role,
            level,
        } => {
            let roles = parse_roles(&role)?;
            let level = AssuranceLevel::parse(&level).ok_or_else(|| {
                anyhow::anyhow!("level must be simplified, standard or confirmed")
            })?;
            let account = service::NewAccount {
                phone: &phone,
                email: &email,
                password: &password,
                roles: &roles,
                level,
            };
            let u = service::create_user(&p, &client, None, account)
                .await
                .map_err(explain)?;
            println!("created {} {} {}", u.id, u.phone, u.email);
        }
        UserCommand::SetRole { login, role } => {
            let roles = parse_roles(&role)?;
            let u = find(&p, &login).await?;
            let u = service::set_roles(&p, &client, None, u.id, &roles)
                .await
                .map_err(explain)?;
            println!(
                "{} roles: {}",
                u.phone,
                u.roles
                    .iter()
                    .map(|r| r.as_str())
                    .collect::<Vec<_>>()
                    .join(",")
            );
        }
        UserCommand::SetAgency { login, agency, .. } => {
            let u = find(&p, &login).await?;
            sep_catalog::service::set_staff_agency(&p, &client, None, u.id, agency.as_deref())
                .await
                .map_err(explain)?;
            println!(
                "{} agency: {}",
                u.phone,
                agency.as_deref().unwrap_or("none")
            );
        }
        UserCommand::Unlock { login } => {
            let u = find(&p, &login).await?;
            service::unlock(&p, &client, None, u.id)
                .await
                .map_err(explain)?;
            println!("{} unlocked", u.phone);
        }
        UserCommand::List { query } => {
            for u in service::list_users(&p, None, query.as_deref())
                .await
                .map_err(explain)?
            {
                let roles = u
                    .roles
                    .iter()
                    .map(|r| r.as_str())
                    .collect::<Vec<_>>()
                    .join(",");
                let locked = u
                    .locked_until
                    .map(|t| format!(" locked until {t}"))
                    .unwrap_or_default();
                let agency = u.agency.map(|a| format!(" agency {a}")).unwrap_or_default();
                println!(
                    "{}  {}  {}  {}  {}  {}{}{}",
                    u.id, u.phone, u.email, u.status, u.level, roles, agency, locked
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

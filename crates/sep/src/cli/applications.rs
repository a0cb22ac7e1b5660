//! `sep applications …`: the state graph, lists and exports for operators.

use clap::{Subcommand, ValueEnum};
use sep_applications::model::state;
use sep_applications::{service, service::ApplicationSummary, service::ListQuery};
use sep_platform::clock::show;
use sep_platform::config::Config;
use std::io::Write;

#[derive(Subcommand)]
pub enum ApplicationsCommand {
    /// Print the state machine as Graphviz DOT (`sep applications graph | dot -Tsvg`).
    Graph,
    /// List applications, urgent and nearest deadline first.
    List {
        #[command(flatten)]
        filter: Filter,
    },
    /// Export applications as CSV or JSON.
    Export {
        #[command(flatten)]
        filter: Filter,
        #[arg(long, value_enum, default_value = "csv")]
        format: Format,
        /// Write here instead of standard output.
        #[arg(long)]
        output: Option<std::path::PathBuf>,
    },
    /// Escalate applications whose deadline has passed (the server also does this every few seconds).
    CheckDeadlines,
}

#[derive(clap::Args)]
pub struct Filter {
    /// Comma-separated states (accepted, routed, in_review, needs_info, approved, …).
    #[arg(long)]
    state: Option<String>,
    #[arg(long)]
    service: Option<String>,
    /// Only overdue ones.
    #[arg(long)]
    overdue: bool,
    #[arg(long, default_value_t = 200)]
    limit: u64,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Csv,
    Json,
}

impl Filter {
    fn query(&self) -> ListQuery {
        ListQuery {
            service: self.service.clone(),
            state: self.state.clone(),
            overdue: self.overdue.then_some(true),
            limit: Some(self.limit),
            ..ListQuery::default()
        }
    }
}

const HEADER: [&str; 9] = [
    "number",
    "service",
    "state",
    "priority",
    "department",
    "submitted_at",
    "due_on",
    "overdue",
    "id",
];

fn row(a: &ApplicationSummary) -> [String; 9] {
    [
        a.number.clone(),
        a.service.clone(),
        a.state.as_str().into(),
        a.priority.clone(),
        a.department.clone().unwrap_or_default(),
        a.submitted_at.to_rfc3339(),
        a.due_on.to_string(),
        a.overdue.to_string(),
        a.id.to_string(),
    ]
}

pub async fn run(config: Config, command: ApplicationsCommand) -> anyhow::Result<()> {
    if let ApplicationsCommand::Graph = command {
        // The graph is code: no database needed.
        print!("{}", state::dot());
        return Ok(());
    }
    let p = super::platform(config).await?;
    match command {
        ApplicationsCommand::Graph => {}
        ApplicationsCommand::List { filter } => {
            let list = service::all(&p, &filter.query())
                .await
                .map_err(super::explain)?;
            for a in &list {
                println!(
                    "{}  {:<10} {:<7} {:<32} до {}{}  {}",
                    a.number,
                    a.state.as_str(),
                    a.priority,
                    a.service,
                    a.due_on.format("%d.%m.%Y"),
                    if a.overdue {
                        " ПРОСРОЧЕНО"
                    } else {
                        ""
                    },
                    show(a.submitted_at),
                );
            }
            eprintln!("{} application(s)", list.len());
        }
        ApplicationsCommand::Export {
            filter,
            format,
            output,
        } => {
            let list = service::all(&p, &filter.query())
                .await
                .map_err(super::explain)?;
            let mut out: Box<dyn Write> = match &output {
                Some(path) => Box::new(std::fs::File::create(path)?),
                None => Box::new(std::io::stdout()),
            };
            match format {
                Format::Json => {
                    serde_json::to_writer_pretty(&mut out, &list)?;
                    writeln!(out)?;
                }
                Format::Csv => {
                    let mut w = csv::Writer::from_writer(out);
                    w.write_record(HEADER)?;
                    for a in &list {
                        w.write_record(row(a))?;
                    }
                    w.flush()?;
                }
            }
            eprintln!("{} application(s) exported", list.len());
        }
        ApplicationsCommand::CheckDeadlines => {
            let n = service::check_deadlines(&p).await.map_err(super::explain)?;
            println!("{n} application(s) escalated");
        }
    }
    Ok(())
}

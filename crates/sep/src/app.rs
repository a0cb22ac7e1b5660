//! The one boot path: `App::build` connects, migrates, binds (port 0 in tests)
//! and returns the address; `run` serves until shutdown, with the background
//! sweeps as sibling tasks.
use axum::Router;
use axum::http::HeaderName;
use sep_platform::clock::Clock;
use sep_platform::config::Config;
use sep_platform::db::Db;
use sep_platform::error::AppError;
use sep_platform::secrets::Secrets;
use sep_platform::{Platform, negotiate};
use sep_platform::{messages::AttachmentSource, messages::MailTransport, messages::Messenger};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

/// Largest request body accepted (uploads have their own, larger limit).
const BODY_LIMIT: usize = 1024 * 1024;
const SWEEP_EVERY: Duration = Duration::from_secs(10);

pub struct App {
    pub addr: SocketAddr,
    pub platform: Platform,
    listener: TcpListener,
    /// The shipped sandbox acquirer, when no outside acquirer is configured.
    sandbox: Option<(TcpListener, sep_peers::acquirer::Sandbox)>,
}

/// Connects to the database, migrates it, loads keys and transports.
pub async fn platform(config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<Platform> {
    std::fs::create_dir_all(&config.data_dir)?;
    let db = Db::connect(&config.database_url, config.db_pool).await?;
    crate::migrations::run(&db).await?;
    let secrets = Secrets::load(&config.data_dir)?;
    let outbox = config.outbox_dir();
    let mail = MailTransport::from_config(
        config.smtp_url.as_deref(),
        &config.mail_from,
        outbox.join("mail"),
    )?;
    let messenger = Messenger::new(
        config.sms_transport()?,
        mail,
        vec![
            (
                sep_payments::service::RECEIPT_SOURCE,
                Arc::new(sep_payments::service::ReceiptMail) as Arc<dyn AttachmentSource>,
            ),
            (
                sep_documents::service::ATTACHMENT_SOURCE,
                Arc::new(sep_documents::service::DocumentMail) as Arc<dyn AttachmentSource>,
            ),
        ],
    );
    let blobs = sep_platform::blobs::Blobs::new(config.data_dir.join("blobs"), secrets.clone());
    let mut adapters = axum::http::Extensions::new();
    adapters.insert(sep_payments::acquirer::Acquirer::new(
        &config
            .acquirer_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", config.acquirer_addr)),
        &config.acquirer_shop_id,
        &sep_payments::acquirer::sandbox::secret(&config, &secrets),
        &config
            .acquirer_callback_url
            .clone()
            .unwrap_or_else(|| format!("http://{}/api/v1/payments/callback", config.addr)),
        Duration::from_millis(config.acquirer_timeout_ms),
    )?);
    adapters.insert(sep_identity::visit::HeaderCounter(Arc::new(
        sep_notifications::service::UnreadNotices,
    )));
    crate::ports::install(&mut adapters);
    Ok(Platform::new(sep_platform::PlatformParts {
        db,
        clock,
        secrets,
        messenger,
        blobs,
        bus: sep_platform::events::Bus::new(vec![
            Arc::new(sep_notifications::service::Notifier),
            Arc::new(sep_applications::service::FeeWatcher),
            Arc::new(sep_applications::service::SubmissionWatcher),
            Arc::new(sep_documents::service::DecisionWatcher),
        ]),
        throttles: Arc::new(sep_platform::throttle::Throttles::from_config(&config)),
        workers: sep_platform::workers::Workers::new(config.heavy_workers),
        config: Arc::new(config),
        adapters: Arc::new(adapters),
    }))
}

/// Every API table, for the OpenAPI document.
pub fn api_entries() -> Vec<sep_platform::openapi::Entry> {
    let mut all = vec![sep_platform::openapi::Entry::get(
        "meta",
        "/api/v1/openapi.json",
        "This document",
        sep_platform::openapi::Access::Public,
        openapi_json,
    )];
    all.extend(sep_identity::http::auth_api());
    all.extend(sep_identity::http::api());
    all.extend(sep_identity::http_audit::api());
    all.extend(sep_catalog::http::api());
    all.extend(sep_applications::http::api());
    all.extend(sep_applications::http::upload_api());
    all.extend(sep_notifications::http::api());
    all.extend(sep_payments::http::api());
    all.extend(sep_signatures::http::api());
    all.extend(sep_signatures::http::upload_api());
    all.extend(sep_documents::http::api());
    all.extend(sep_documents::http::upload_api());
    all
}

async fn openapi_json() -> axum::Json<serde_json::Value> {
    static DOC: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    axum::Json(
        DOC.get_or_init(|| {
            let entries = api_entries();
            let refs: Vec<&sep_platform::openapi::Entry> = entries.iter().collect();
            sep_platform::openapi::document(&refs, env!("CARGO_PKG_VERSION"))
        })
        .clone(),
    )
}

pub fn router(p: Platform) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    Router::new()
        .merge(sep_identity::http::auth_routes())
        .merge(sep_identity::pages::auth_routes())
        .merge(sep_identity::http::routes())
        .merge(sep_identity::pages::routes())
        .merge(sep_identity::http_audit::routes())
        .merge(sep_catalog::http::routes())
        .merge(sep_web::routes())
        .merge(sep_applications::http::routes())
        .merge(sep_notifications::http::routes())
        .merge(sep_payments::http::routes())
        .merge(sep_payments::pages::routes())
        .merge(sep_signatures::http::routes())
        .merge(sep_documents::http::routes())
        .merge(sep_documents::pages::routes())
        .merge(sep_signatures::pages::routes())
        .route("/api/v1/openapi.json", axum::routing::get(openapi_json))
        .merge(sep_catalog::pages::routes())
        .merge(sep_catalog::admin_pages::routes())
        .merge(sep_applications::pages::routes())
        .merge(sep_notifications::pages::routes())
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .merge(sep_applications::http::upload_routes())
        .merge(sep_applications::pages::upload_routes())
        .merge(sep_documents::http::upload_routes())
        .merge(sep_signatures::http::upload_routes())
        .merge(sep_signatures::pages::upload_routes())
        .merge(sep_documents::pages::upload_routes())
        .fallback(|| async { AppError::NotFound })
        .layer(axum::middleware::from_fn_with_state(
            p.clone(),
            sep_web::csrf::ensure,
        ))
        .layer(axum::middleware::from_fn_with_state(
            p.clone(),
            sep_platform::throttle::http::identify,
        ))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(panicked))
        .layer(axum::middleware::from_fn(|r, n| {
            negotiate::render(sep_web::error_page, r, n)
        }))
        .layer(axum::middleware::from_fn_with_state(
            p.clone(),
            sep_web::security_headers,
        ))
        .layer(TraceLayer::new_for_http())
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .with_state(p)
}

/// A panic in a handler is a bug, not a reason to drop the connection: the
/// client gets the 500 problem document with its request id, the log the message.
fn panicked(panic: Box<dyn std::any::Any + Send + 'static>) -> axum::response::Response {
    let message = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    axum::response::IntoResponse::into_response(AppError::Internal(anyhow::anyhow!(
        "handler panicked: {message}"
    )))
}

impl App {
    pub async fn build(mut config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        use anyhow::Context;
        let listener = TcpListener::bind(config.addr)
            .await
            .with_context(|| format!("cannot listen on {} (SEP_ADDR)", config.addr))?;
        let addr = listener.local_addr()?;
        config.addr = addr;
        let sandbox_listener = match config.acquirer_url {
            Some(_) => None,
            None => {
                let l = TcpListener::bind(config.acquirer_addr)
                    .await
                    .with_context(|| {
                        format!(
                            "cannot start the sandbox acquirer on {} (SEP_ACQUIRER_ADDR; \
                         or name an outside acquirer with SEP_ACQUIRER_URL)",
                            config.acquirer_addr
                        )
                    })?;
                config.acquirer_url = Some(format!("http://{}", l.local_addr()?));
                Some(l)
            }
        };
        let platform = platform(config, clock).await?;
        let sandbox = match sandbox_listener {
            Some(l) => Some((
                l,
                sep_payments::acquirer::sandbox::open(&platform.config, &platform.secrets).await?,
            )),
            None => None,
        };
        Ok(Self {
            addr,
            platform,
            listener,
            sandbox,
        })
    }

    /// Serves until `shutdown` resolves, then finishes the requests in flight.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let sweeper = tokio::spawn(sweep_messages(self.platform.clone()));
        let follower = {
            let p = self.platform.clone();
            tokio::spawn(async move { p.follow_up_forever().await })
        };
        let sandbox = self.sandbox.map(|(listener, sandbox)| {
            tokio::spawn(sandbox.serve(listener, std::future::pending()))
        });
        let app = router(self.platform.clone());
        let served = axum::serve(
            self.listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await;
        sweeper.abort();
        follower.abort();
        if let Some(s) = sandbox {
            s.abort();
        }
        served?;
        Ok(())
    }
}

/// Retries messages that a transport refused or that a crash left unsent.
async fn sweep_messages(p: Platform) {
    let mut tick = tokio::time::interval(SWEEP_EVERY);
    loop {
        tick.tick().await;
        resume_applications(&p).await;
        if let Err(e) = sep_applications::service::check_deadlines(&p).await {
            tracing::warn!(error = %e, "deadline check failed");
        }
        if let Err(e) =
            sep_payments::service::reconcile(&p, sep_payments::service::RECONCILE_AFTER).await
        {
            tracing::warn!(error = %e, "payment reconciliation failed");
        }
        if let Err(e) = sep_payments::service::retry_refunds(&p).await {
            tracing::warn!(error = %e, "refund retry failed");
        }
        if let Err(e) =
            sep_documents::service::issue_pending(&p, chrono::Duration::seconds(5)).await
        {
            tracing::warn!(error = %e, "issuing pending documents failed");
        }
        p.throttles.forget_idle();
        let forgotten = {
            let _gate = p.db.gate().await;
            sep_platform::throttle::durable::forget_spent(&*p.db, p.now()).await
        };
        if let Err(e) = forgotten {
            tracing::warn!(error = %e, "forgetting spent limits failed");
        }
        p.after_commit().await;
    }
}

/// Moves on applications that a crash left between submission and routing.
async fn resume_applications(p: &Platform) {
    let ids = match sep_applications::service::unfinished(p).await {
        Ok(ids) => ids,
        Err(e) => {
            tracing::warn!(error = %e, "cannot list unfinished applications");
            return;
        }
    };
    sep_applications::service::advance_all(p, ids).await;
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
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
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}

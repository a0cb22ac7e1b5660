//! «Безопасность»: sessions, the login journal, the own audit trail, logout.

use super::*;

// --- security: sessions, login journal, own audit trail ---

pub(super) struct Row {
    cells: Vec<String>,
    id: Option<Uuid>,
    current: bool,
}

#[derive(Template)]
#[template(path = "identity/security.html")]
pub(super) struct SecurityPage {
    chrome: Chrome,
    sessions: Vec<Row>,
    logins: Vec<Row>,
    trail: Vec<Row>,
}

pub(super) async fn security_page(
    Visit {
        p,
        client,
        user,
        csrf,
    }: Visit,
) -> Result<Response> {
    let Some(who) = &user.0 else {
        return Ok(login_redirect());
    };
    let lang = client.lang;
    let sessions = service::list_sessions(&p, who)
        .await?
        .into_iter()
        .map(|s| Row {
            cells: vec![
                show(s.created_at),
                show(s.last_seen_at),
                s.ip,
                s.user_agent,
                s.methods,
            ],
            id: Some(s.id),
            current: s.current,
        })
        .collect();
    let logins = service::login_journal(&p, who.user_id)
        .await?
        .into_iter()
        .map(|e| Row {
            cells: vec![
                show(e.at),
                e.ip,
                e.user_agent,
                e.methods,
                lang.t(&format!("login-result-{}", e.result)),
            ],
            id: None,
            current: false,
        })
        .collect();
    let trail = sep_audit::list_for_actor(&*p.db, who.user_id, None, 50)
        .await?
        .into_iter()
        .map(|r| Row {
            cells: vec![
                show(r.at),
                lang.t(&format!("action-{}", r.action.replace('.', "-"))),
                r.result,
                r.ip,
            ],
            id: None,
            current: false,
        })
        .collect();
    Ok(render(&SecurityPage {
        chrome: chrome(&p, &client, &user, &csrf),
        sessions,
        logins,
        trail,
    }))
}

pub(super) async fn end_session_submit(
    Visit {
        p, client, user, ..
    }: Visit,
    Path(id): Path<Uuid>,
    _: CheckedForm<sep_web::csrf::CsrfForm>,
) -> Result<Response> {
    let Some(who) = &user.0 else {
        return Ok(login_redirect());
    };
    service::end_session(&p, &client, who, id).await?;
    Ok(Redirect::to(if id == who.session_id {
        "/login"
    } else {
        "/security"
    })
    .into_response())
}

pub(super) async fn logout_submit(
    Visit {
        p, client, user, ..
    }: Visit,
    jar: CookieJar,
    _: CheckedForm<sep_web::csrf::CsrfForm>,
) -> Result<Response> {
    if let Some(who) = &user.0 {
        service::end_session(&p, &client, who, who.session_id).await?;
    }
    Ok((
        jar.remove(Cookie::build(SESSION_COOKIE).path("/")),
        Redirect::to("/"),
    )
        .into_response())
}

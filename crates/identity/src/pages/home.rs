//! The home page.

use super::*;

// --- home ---

#[derive(Template)]
#[template(path = "home.html")]
pub(super) struct Home {
    chrome: Chrome,
}

pub(super) async fn home(
    Visit {
        p,
        client,
        user,
        csrf,
    }: Visit,
) -> Response {
    render(&Home {
        chrome: chrome(&p, &client, &user, &csrf),
    })
}

//! The client's address (behind a trusted proxy, from its header) and the
//! per-route limit that uses it.

use super::{Cost, Key, Throttles};
use crate::Platform;
use crate::error::AppError;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::MethodRouter;
use ipnet::IpNet;
use sha2::{Digest, Sha256};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// The address a request came from, as far as this server can trust it.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub IpAddr);

/// The client behind `peer`: the peer itself, unless it is a trusted proxy,
/// in which case the proxy's header is read from the right (the end the proxy
/// wrote) past every trusted hop. A client cannot spoof it by sending the
/// header itself: the trusted proxy appends, and the left is never read.
pub fn client_addr(peer: IpAddr, headers: &HeaderMap, header: &str, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|n| n.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let hops = headers
        .get_all(header)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect::<Vec<_>>();
    for hop in hops.iter().rev() {
        match hop.parse::<IpAddr>() {
            Ok(ip) if is_trusted(&ip) => continue,
            Ok(ip) => return ip,
            // Garbage in the chain: stop at the last hop that was sound.
            Err(_) => break,
        }
    }
    peer
}

/// Puts the client's address and the limiters where every route finds them.
pub async fn identify(State(p): State<Platform>, mut req: Request, next: Next) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .unwrap_or(IpAddr::from([127, 0, 0, 1]));
    let ip = client_addr(
        peer,
        req.headers(),
        &p.config.client_ip_header,
        &p.config.trusted_proxies,
    );
    req.extensions_mut().insert(ClientAddr(ip));
    req.extensions_mut().insert(p.throttles.clone());
    next.run(req).await
}

/// The session a request carries (bearer token or cookie), as a key: heavy
/// work is limited per session as well as per address.
fn session_key(headers: &HeaderMap) -> Option<Key> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let cookie = || {
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|kv| kv.trim().strip_prefix("sep_session="))
            .next()
    };
    let token = bearer.or_else(cookie)?;
    let digest = Sha256::digest(token.as_bytes());
    Some(Key::Session(digest[..16].try_into().expect("16 bytes")))
}

async fn limit(cost: Cost, req: Request, next: Next) -> Response {
    let (Some(throttles), Some(ClientAddr(ip))) = (
        req.extensions().get::<Arc<Throttles>>().cloned(),
        req.extensions().get::<ClientAddr>().copied(),
    ) else {
        return next.run(req).await;
    };
    let mut keys = vec![Key::address(ip)];
    if cost == Cost::Heavy {
        keys.extend(session_key(req.headers()));
    }
    for key in &keys {
        if let Err(wait) = throttles.take(cost, key) {
            return AppError::TooMany {
                rule: sep_kernel::Rule("rate-limited"),
                retry_after_secs: wait,
            }
            .into_response();
        }
    }
    next.run(req).await
}

/// `route` limited at `cost` per client.
pub fn limited(cost: Cost, route: MethodRouter<Platform>) -> MethodRouter<Platform> {
    route.layer(axum::middleware::from_fn(
        move |req: Request, next: Next| limit(cost, req, next),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in xff {
            h.append("x-forwarded-for", v.parse().unwrap());
        }
        h
    }

    #[test]
    fn the_forwarded_address_counts_only_from_a_trusted_proxy() {
        let proxy: IpAddr = "10.0.0.5".parse().unwrap();
        let trusted: Vec<IpNet> = vec!["10.0.0.0/24".parse().unwrap()];
        let h = headers(&["6.6.6.6, 203.0.113.9"]);
        assert_eq!(
            client_addr(proxy, &h, "x-forwarded-for", &trusted),
            "203.0.113.9".parse::<IpAddr>().unwrap(),
            "the hop the proxy appended, not what the client wrote"
        );
        let stranger: IpAddr = "198.51.100.1".parse().unwrap();
        assert_eq!(
            client_addr(stranger, &h, "x-forwarded-for", &trusted),
            stranger,
            "an untrusted peer's header is ignored"
        );
        let chained = headers(&["203.0.113.9", "10.0.0.7"]);
        assert_eq!(
            client_addr(proxy, &chained, "x-forwarded-for", &trusted),
            "203.0.113.9".parse::<IpAddr>().unwrap(),
            "trusted hops are skipped"
        );
        let garbage = headers(&["<script>"]);
        assert_eq!(
            client_addr(proxy, &garbage, "x-forwarded-for", &trusted),
            proxy
        );
        assert_eq!(
            client_addr(proxy, &HeaderMap::new(), "x-forwarded-for", &[]),
            proxy
        );
    }
}

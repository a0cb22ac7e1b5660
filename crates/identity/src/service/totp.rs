//! Authenticator apps (TOTP: SHA-1, 6 digits, 30 s — what every app understands).

use super::codes::{self, Check};
use super::record;
use super::sessions::Principal;
use crate::{store, store::code, store::user};
use sea_orm::{ConnectionTrait, DbErr};
use sep_kernel::Rule;
use sep_platform::Platform;
use sep_platform::client::Client;
use sep_platform::messages::Channel;
use sep_platform::{error::AppError, error::Result};
use serde::Serialize;
use serde_json::json;
use totp_rs::{Builder, Secret, Totp};

const ISSUER: &str = "СЭП";

#[derive(Debug, Serialize)]
pub struct TotpEnrolment {
    /// Base32, for typing into an app by hand.
    pub secret: String,
    pub otpauth_uri: String,
    /// The same URI as a PNG QR code, base64-encoded.
    pub qr_png_base64: String,
}

fn totp_of(secret_b32: &str, account: &str) -> anyhow::Result<Totp> {
    let secret =
        Secret::try_from_base32(secret_b32).map_err(|e| anyhow::anyhow!("totp secret: {e:?}"))?;
    Builder::new()
        .with_secret(secret)
        .with_issuer(Some(ISSUER))
        .with_account_name(account.to_string())
        .build()
        .map_err(|e| anyhow::anyhow!("totp: {e:?}"))
}

fn unix(p: &Platform) -> u64 {
    p.now().timestamp().max(0) as u64
}

/// Starts enrolment: a new secret is kept aside until the user proves the app
/// has it by typing one code.
/// Needs the password: a session alone must not be able to replace the
/// second factor and lock its owner out.
pub async fn start_totp(
    p: &Platform,
    client: &Client,
    who: &Principal,
    password: &str,
) -> Result<TotpEnrolment> {
    super::confirm_password(p, client, who.user_id, password, "identity.totp.start").await?;
    let u = store::user_by_id(&*p.db, who.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let secret = Secret::generate().to_base32();
    let totp = totp_of(&secret, &u.phone)?;
    let txn = p.db.begin().await?;
    let sealed = store::seal_totp_secret(&p.secrets, u.id, &secret);
    store::accounts::start_totp(&*txn, &u, sealed).await?;
    record(
        p,
        &*txn,
        client,
        Some(u.id),
        "identity.totp.start",
        ("user", u.id.to_string()),
        "ok",
        json!({}),
    )
    .await?;
    txn.commit().await?;
    let otpauth_uri = totp.to_url().map_err(|e| anyhow::anyhow!("{e:?}"))?;
    Ok(TotpEnrolment {
        qr_png_base64: qr_png_base64(&otpauth_uri)?,
        otpauth_uri,
        secret,
    })
}

pub async fn confirm_totp(
    p: &Platform,
    client: &Client,
    who: &Principal,
    typed: &str,
) -> Result<()> {
    if typed.trim().is_empty() {
        return Err(AppError::field("code", "required"));
    }
    let u = store::user_by_id(&*p.db, who.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let Some(secret) = store::totp_secret(&p.secrets, &u)?.filter(|_| !u.totp_enabled) else {
        return Err(AppError::BadRequest(Rule("totp-not-started")));
    };
    let Some(step) = totp_of(&secret, &u.phone)?.check(typed.trim(), unix(p)) else {
        return Err(AppError::field("code", "code-wrong"));
    };
    let txn = p.db.begin().await?;
    store::accounts::enable_totp(&*txn, &u, step as i64).await?;
    record(
        p,
        &*txn,
        client,
        Some(u.id),
        "identity.totp.enable",
        ("user", u.id.to_string()),
        "ok",
        json!({}),
    )
    .await?;
    tell_owner(p, &*txn, client, &u, "notice-totp-enabled").await?;
    txn.commit().await?;
    p.flush_messages().await;
    Ok(())
}

pub async fn disable_totp(
    p: &Platform,
    client: &Client,
    who: &Principal,
    password: &str,
) -> Result<()> {
    super::confirm_password(p, client, who.user_id, password, "identity.totp.disable").await?;
    let u = store::user_by_id(&*p.db, who.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let txn = p.db.begin().await?;
    store::accounts::disable_totp(&*txn, &u).await?;
    record(
        p,
        &*txn,
        client,
        Some(u.id),
        "identity.totp.disable",
        ("user", u.id.to_string()),
        "ok",
        json!({}),
    )
    .await?;
    tell_owner(p, &*txn, client, &u, "notice-totp-disabled").await?;
    txn.commit().await?;
    p.flush_messages().await;
    Ok(())
}

/// A change of the second factor is told to the owner by SMS and email, so
/// that one they did not make does not go unnoticed.
pub(super) async fn tell_owner(
    p: &Platform,
    txn: &impl ConnectionTrait,
    client: &Client,
    u: &user::Model,
    key: &str,
) -> std::result::Result<(), DbErr> {
    let text = client.lang.t(key);
    let subject = client.lang.t("notice-second-factor-subject");
    super::notify_sms(p, txn, &u.phone, &text).await?;
    super::send(p, txn, Channel::Email, &u.email, Some(&subject), &text).await
}

/// Answers a login challenge with an app code. A code is accepted once: the step
/// it belongs to is remembered, and an equal or older step is refused.
pub(super) async fn check_login(
    p: &Platform,
    txn: &impl ConnectionTrait,
    u: &user::Model,
    row: &code::Model,
    typed: &str,
) -> Result<Check, DbErr> {
    let step = store::totp_secret(&p.secrets, u)?
        .filter(|_| u.totp_enabled)
        .and_then(|s| totp_of(&s, &u.phone).ok())
        .and_then(|t| t.check(typed.trim(), unix(p)));
    // The step is claimed first, conditionally: two challenges answered at
    // once with one app code cannot both pass.
    let right = match step {
        Some(step) => store::claim_totp_step(txn, u.id, step as i64).await?,
        None => false,
    };
    codes::settle(p, txn, row, right).await
}

/// The enrolment link as a PNG QR code for an authenticator app to scan:
/// black modules on white, 8 pixels each, with the 4-module quiet zone.
/// (Drawn here with `qrcode` and `png` rather than through totp-rs's `qr`
/// feature, which pulls the whole `image` crate in for this one picture.)
fn qr_png_base64(uri: &str) -> anyhow::Result<String> {
    use base64::Engine;
    const SCALE: usize = 8;
    const QUIET: usize = 4;
    let code = qrcode::QrCode::new(uri.as_bytes())?;
    let width = code.width();
    let colors = code.to_colors();
    let side = (width + 2 * QUIET) * SCALE;
    let mut pixels = vec![255u8; side * side];
    for (i, c) in colors.iter().enumerate() {
        if *c == qrcode::Color::Dark {
            let (x, y) = ((i % width + QUIET) * SCALE, (i / width + QUIET) * SCALE);
            for row in y..y + SCALE {
                pixels[row * side + x..row * side + x + SCALE].fill(0);
            }
        }
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, side as u32, side as u32);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.write_header()?.write_image_data(&pixels)?;
    Ok(base64::engine::general_purpose::STANDARD.encode(out))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_qr_code_is_a_square_black_and_white_png() {
        use base64::Engine;
        let png = base64::engine::general_purpose::STANDARD
            .decode(
                super::qr_png_base64("otpauth://totp/SEP:demo?secret=JBSWY3DPEHPK3PXP").unwrap(),
            )
            .unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let mut reader = decoder.read_info().unwrap();
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        let frame = reader.next_frame(&mut pixels).unwrap();
        assert_eq!(frame.width, frame.height);
        assert_eq!(frame.width % 8, 0, "whole modules of 8 pixels");
        let pixels = &pixels[..frame.buffer_size()];
        assert!(pixels.iter().all(|&p| p == 0 || p == 255));
        // The quiet zone is white; the finder pattern's corner is black.
        assert_eq!(pixels[0], 255);
        let corner = 4 * 8 * frame.width as usize + 4 * 8;
        assert_eq!(pixels[corner], 0);
    }
}

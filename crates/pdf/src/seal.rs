//! The foot of a signed document: the QR code that leads to its public
//! check, and the visible electronic-signature stamp — the framed block
//! «Документ подписан электронной подписью» with the certificate's serial
//! number, owner and validity, as Russian agencies print it.

use super::{Composer, Ink, LEADING, MARGIN, Op, PAGE_W, Weight, wrap};
use krilla::geom::Rect;

/// What the stamp says about the signing certificate.
pub struct Stamp {
    pub serial: String,
    pub owner: String,
    pub valid_from: String,
    pub valid_to: String,
}

const QR_SIDE: f32 = 96.0;
const STAMP_W: f32 = 236.0;
const STAMP_PAD: f32 = 7.0;

impl Composer {
    /// The QR code (clickable, to `url`) with `caption` beside it, and the
    /// stamp at the right; kept together on one page.
    pub fn seal(&mut self, url: &str, caption: &[&str], stamp: &Stamp) {
        self.room_for(QR_SIDE + 12.0);
        self.y += 8.0;
        let top = self.y;
        self.qr_only(url, MARGIN, top, QR_SIDE);
        let qr_rect = Rect::from_xywh(MARGIN, top, QR_SIDE, QR_SIDE).expect("positive size");
        self.ops().push(Op::Link(qr_rect, url.to_string()));

        let stamp_x = PAGE_W - MARGIN - STAMP_W;
        let caption_x = MARGIN + QR_SIDE + 10.0;
        let caption_w = stamp_x - caption_x - 10.0;
        self.y = top + 2.0;
        for line in caption {
            for l in wrap(Weight::Regular, 8.0, line, caption_w) {
                self.line_at(caption_x, 8.0, Weight::Regular, &l, Ink::Grey);
                self.y += 8.0 * LEADING;
            }
        }

        self.y = top + STAMP_PAD;
        let inner = STAMP_W - 2.0 * STAMP_PAD;
        let x = stamp_x + STAMP_PAD;
        for heading in ["ДОКУМЕНТ ПОДПИСАН", "ЭЛЕКТРОННОЙ ПОДПИСЬЮ"]
        {
            let w = super::width(Weight::Bold, 9.0, heading);
            self.line_at(
                stamp_x + (STAMP_W - w) / 2.0,
                9.0,
                Weight::Bold,
                heading,
                Ink::Blue,
            );
            self.y += 9.0 * LEADING;
        }
        self.y += 3.0;
        let rows = [
            format!("Сертификат: {}", stamp.serial),
            format!("Владелец: {}", stamp.owner),
            format!("Действителен: с {} по {}", stamp.valid_from, stamp.valid_to),
        ];
        for row in &rows {
            for l in wrap(Weight::Regular, 7.5, row, inner) {
                self.line_at(x, 7.5, Weight::Regular, &l, Ink::Blue);
                self.y += 7.5 * LEADING;
            }
        }
        let bottom = self.y + STAMP_PAD - 2.0;
        let frame = Rect::from_xywh(stamp_x, top, STAMP_W, bottom - top).expect("positive size");
        self.ops().push(Op::Frame(frame, Ink::Blue));
        self.y = bottom.max(top + QR_SIDE) + 6.0;
    }
}

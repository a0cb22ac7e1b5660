//! QR codes as vector squares, so they stay sharp at any zoom and scan from
//! a printout.

use qrcode::{Color, EcLevel, QrCode};

/// The dark modules of `payload`'s code as runs `(column, row, length)`
/// on a grid of `side` modules (the quiet zone included).
pub struct Modules {
    pub side: usize,
    pub runs: Vec<(usize, usize, usize)>,
}

/// Four modules of white around the code: scanners need the quiet zone.
const QUIET: usize = 4;

pub fn modules(payload: &str) -> Modules {
    // M (15 %) survives a fold or a stamp over the corner; H would make
    // payment requisites too dense for phone cameras.
    let code = QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M)
        .expect("a payload of a few hundred bytes fits a QR code");
    let width = code.width();
    let colors = code.to_colors();
    let mut runs = Vec::new();
    for y in 0..width {
        let mut x = 0;
        while x < width {
            if colors[y * width + x] == Color::Dark {
                let start = x;
                while x < width && colors[y * width + x] == Color::Dark {
                    x += 1;
                }
                runs.push((start + QUIET, y + QUIET, x - start));
            } else {
                x += 1;
            }
        }
    }
    Modules {
        side: width + 2 * QUIET,
        runs,
    }
}

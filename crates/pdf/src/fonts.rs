//! The fonts every document embeds. DejaVu Sans covers Cyrillic, «», №, ₽
//! and the typographic dashes; PDF's standard fonts cover none of them.

use krilla::text::Font;
use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};
use std::sync::OnceLock;

const REGULAR: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../assets/fonts/DejaVuSans-Bold.ttf");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Bold,
}

fn bytes(weight: Weight) -> &'static [u8] {
    match weight {
        Weight::Regular => REGULAR,
        Weight::Bold => BOLD,
    }
}

/// The font as krilla embeds it (subset to the glyphs used).
pub(super) fn font(weight: Weight) -> Font {
    static FONTS: OnceLock<(Font, Font)> = OnceLock::new();
    let (regular, bold) = FONTS.get_or_init(|| {
        let load = |w| Font::new(bytes(w).into(), 0).expect("the bundled font parses");
        (load(Weight::Regular), load(Weight::Bold))
    });
    match weight {
        Weight::Regular => regular.clone(),
        Weight::Bold => bold.clone(),
    }
}

/// How wide `text` is at `size` points. Kerning is ignored: lines are
/// broken with a margin to spare, never laid out to the last point.
pub fn width(weight: Weight, size: f32, text: &str) -> f32 {
    let font = FontRef::new(bytes(weight)).expect("the bundled font parses");
    let charmap = font.charmap();
    let metrics = font.glyph_metrics(Size::new(size), LocationRef::default());
    text.chars()
        .map(|c| {
            charmap
                .map(c)
                .and_then(|g| metrics.advance_width(g))
                .unwrap_or(size * 0.6)
        })
        .sum()
}

/// Breaks `text` into lines no wider than `max` points: at spaces, and inside
/// a word only when the word alone is wider than a line (long УИН, accounts).
pub fn wrap(weight: Weight, size: f32, text: &str, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if width(weight, size, &candidate) <= max {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            for c in word.chars() {
                line.push(c);
                if width(weight, size, &line) > max {
                    line.pop();
                    lines.push(std::mem::take(&mut line));
                    line.push(c);
                }
            }
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cyrillic_has_real_widths() {
        let w = width(Weight::Regular, 10.0, "Квитанция");
        assert!(w > 30.0 && w < 70.0, "{w}");
        assert!(width(Weight::Bold, 10.0, "Ш") > width(Weight::Regular, 10.0, "Ш"));
    }

    #[test]
    fn wraps_at_spaces_and_splits_words_longer_than_a_line() {
        let lines = wrap(
            Weight::Regular,
            10.0,
            "Оплата штрафа по постановлению ГИБДД",
            120.0,
        );
        assert!(lines.len() >= 3, "{lines:?}");
        assert!(
            lines
                .iter()
                .all(|l| width(Weight::Regular, 10.0, l) <= 120.0)
        );
        assert_eq!(lines.join(" "), "Оплата штрафа по постановлению ГИБДД");
        let long = wrap(Weight::Regular, 10.0, "18810177260000000019", 40.0);
        assert!(long.len() > 1);
        assert_eq!(long.concat(), "18810177260000000019");
        assert_eq!(wrap(Weight::Regular, 10.0, "a\nb", 100.0), vec!["a", "b"]);
    }
}

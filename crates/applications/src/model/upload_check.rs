//! What an uploaded file asks of whoever opens it. A 5 MB PDF can inflate to
//! gigabytes, a 100 kB PNG can declare a picture of ten billion pixels: an
//! officer's viewer (or any later processing) would choke on them. Such
//! files are refused at the door. Only the headers and the compressed
//! streams are read, each within a cap, so the check itself stays cheap.

use std::io::Read;

/// What all of a PDF's compressed streams may inflate to.
pub const MAX_PDF_INFLATED: u64 = 64 * 1024 * 1024;
/// The largest picture accepted: 50 megapixels (a 600 dpi A3 scan is 70 MP
/// in colour; phones take 12–50 MP).
pub const MAX_PIXELS: u64 = 50_000_000;
/// Streams read in one PDF before it is called too complex.
const MAX_STREAMS: usize = 10_000;

#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Inflates past the cap.
    PdfBomb,
    /// More pixels than any scan.
    ImageTooLarge,
}

pub fn check(media_type: &str, bytes: &[u8]) -> Result<(), Refusal> {
    match media_type {
        "application/pdf" => check_pdf(bytes),
        "image/png" => check_pixels(png_size(bytes)),
        "image/jpeg" => check_pixels(jpeg_size(bytes)),
        _ => Ok(()),
    }
}

fn check_pixels(size: Option<(u32, u32)>) -> Result<(), Refusal> {
    match size {
        Some((w, h)) if u64::from(w) * u64::from(h) > MAX_PIXELS => Err(Refusal::ImageTooLarge),
        _ => Ok(()),
    }
}

/// Width and height from the IHDR chunk, which the format puts first.
fn png_size(b: &[u8]) -> Option<(u32, u32)> {
    if b.len() < 24 || &b[12..16] != b"IHDR" {
        return None;
    }
    let be = |i: usize| u32::from_be_bytes(b[i..i + 4].try_into().expect("4 bytes"));
    Some((be(16), be(20)))
}

/// Width and height from the first start-of-frame marker.
fn jpeg_size(b: &[u8]) -> Option<(u32, u32)> {
    let mut i = 2;
    while i + 9 < b.len() {
        if b[i] != 0xFF {
            return None;
        }
        let marker = b[i + 1];
        let len = usize::from(u16::from_be_bytes([b[i + 2], b[i + 3]]));
        // SOF0–SOF15, except DHT (C4), JPG (C8) and DAC (CC).
        if (0xC0..=0xCF).contains(&marker) && ![0xC4, 0xC8, 0xCC].contains(&marker) {
            let h = u16::from_be_bytes([b[i + 5], b[i + 6]]);
            let w = u16::from_be_bytes([b[i + 7], b[i + 8]]);
            return Some((u32::from(w), u32::from(h)));
        }
        if len < 2 {
            return None;
        }
        i += 2 + len;
    }
    None
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// Inflates every `/FlateDecode` stream, counting what comes out, and stops
/// at the cap: a bomb is found after reading no more than the cap.
fn check_pdf(b: &[u8]) -> Result<(), Refusal> {
    let mut inflated: u64 = 0;
    let mut at = 0;
    let mut streams = 0;
    while let Some(s) = find(b, b"stream", at) {
        at = s + 6;
        // `endstream` contains `stream`; a stream keyword ends a dictionary.
        if s >= 3 && &b[s - 3..s] == b"end" {
            continue;
        }
        streams += 1;
        if streams > MAX_STREAMS {
            return Err(Refusal::PdfBomb);
        }
        let dict_start = b[..s]
            .windows(2)
            .rposition(|w| w == b"<<")
            .unwrap_or(s.saturating_sub(1024));
        let flate = find(&b[dict_start..s], b"/FlateDecode", 0).is_some();
        let mut data = at;
        while data < b.len() && (b[data] == b'\r' || b[data] == b'\n') {
            data += 1;
        }
        let end = find(b, b"endstream", data).unwrap_or(b.len());
        if flate {
            let budget = MAX_PDF_INFLATED - inflated;
            let mut z = flate2::read::ZlibDecoder::new(&b[data..end]).take(budget + 1);
            let n = std::io::copy(&mut z, &mut std::io::sink()).unwrap_or(0);
            inflated += n;
            if inflated > MAX_PDF_INFLATED {
                return Err(Refusal::PdfBomb);
            }
        }
        at = end;
    }
    Ok(())
}

/// PDF-shaped files for tests (here and black-box).
#[doc(hidden)]
pub mod samples {
    use std::io::Write;

    /// A PDF-shaped file with one stream of `inflated` zero bytes.
    pub fn pdf_with_stream(inflated: usize) -> Vec<u8> {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        let chunk = vec![0u8; 1 << 20];
        let mut left = inflated;
        while left > 0 {
            let n = left.min(chunk.len());
            z.write_all(&chunk[..n]).unwrap();
            left -= n;
        }
        let data = z.finish().unwrap();
        let mut pdf = format!(
            "%PDF-1.7\n1 0 obj\n<< /Length {} /Filter /FlateDecode >>\nstream\n",
            data.len()
        )
        .into_bytes();
        pdf.extend(data);
        pdf.extend(b"\nendstream\nendobj\n%%EOF\n");
        pdf
    }
}

#[cfg(test)]
mod tests {
    use super::samples::pdf_with_stream;
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_pdf_that_inflates_past_the_cap_is_refused_and_a_usual_one_passes() {
        assert_eq!(check("application/pdf", &pdf_with_stream(100_000)), Ok(()));
        let bomb = pdf_with_stream(80 * 1024 * 1024);
        assert!(
            bomb.len() < 1024 * 1024,
            "small on the wire: {}",
            bomb.len()
        );
        assert_eq!(check("application/pdf", &bomb), Err(Refusal::PdfBomb));
    }

    #[test]
    fn pictures_larger_than_any_scan_are_refused() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend(100_000u32.to_be_bytes());
        png.extend(100_000u32.to_be_bytes());
        png.extend([8, 2, 0, 0, 0]);
        assert_eq!(check("image/png", &png), Err(Refusal::ImageTooLarge));
        let mut small = png.clone();
        small[16..24].copy_from_slice(&[0, 0, 4, 0, 0, 0, 3, 0]);
        assert_eq!(check("image/png", &small), Ok(()));
        // A baseline JPEG's SOF0 after an APP0 segment: 65535 × 65535.
        let jpeg = [
            0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0xFF,
            0xFF, 0xFF, 0xFF, 0x03,
        ];
        assert_eq!(check("image/jpeg", &jpeg), Err(Refusal::ImageTooLarge));
    }

    proptest! {
        #[test]
        fn no_byte_string_panics_the_checks(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            for t in ["application/pdf", "image/png", "image/jpeg"] {
                let _ = check(t, &bytes);
            }
        }
    }
}

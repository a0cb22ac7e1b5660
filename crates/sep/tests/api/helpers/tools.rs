//! The outside programs tests read results with: poppler, zbar, openssl.

/// Whether the outside programs a test drives are installed. Outside CI a
/// missing one skips the test with a reason; with CI=true it fails it.
pub fn tools_present(paths: &[&str]) -> bool {
    let missing: Vec<_> = paths
        .iter()
        .filter(|p| !std::path::Path::new(p).exists())
        .collect();
    if missing.is_empty() {
        return true;
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "CI=true but {missing:?} are missing: scripts/test.sh installs them"
    );
    eprintln!("SKIPPED: {missing:?} not installed (scripts/test.sh installs them)");
    false
}

/// Runs a program and returns its standard output, failing the test on an error.
pub fn run_tool(program: &str, args: &[&str]) -> Vec<u8> {
    let out = std::process::Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// The text of a PDF as `pdftotext -layout` extracts it, with no-break
/// spaces made plain so that sums compare as people read them.
pub fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    // For a person to look at: SEP_TEST_KEEP_PDF=dir keeps every PDF read.
    if let Ok(keep) = std::env::var("SEP_TEST_KEEP_PDF") {
        std::fs::create_dir_all(&keep).unwrap();
        let name = format!("{}.pdf", &sha_hex(pdf)[..12]);
        std::fs::write(std::path::Path::new(&keep).join(name), pdf).unwrap();
    }
    let text = run_tool(
        "/usr/bin/pdftotext",
        &["-layout", path.to_str().unwrap(), "-"],
    );
    String::from_utf8(text).unwrap().replace('\u{a0}', " ")
}

/// The QR codes on a PDF's first page, rendered at 200 dpi and read by zbar.
pub fn pdf_qr_codes(pdf: &[u8]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    let prefix = dir.path().join("page");
    run_tool(
        "/usr/bin/pdftoppm",
        &[
            "-r",
            "200",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            path.to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
    );
    let png = dir.path().join("page.png");
    let raw = run_tool("/usr/bin/zbarimg", &["-q", "--raw", png.to_str().unwrap()]);
    String::from_utf8(raw)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

pub const PDF_TOOLS: [&str; 3] = [
    "/usr/bin/pdftotext",
    "/usr/bin/pdftoppm",
    "/usr/bin/zbarimg",
];

fn sha_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// Whether `openssl cms -verify` accepts `sig` (detached, DER) over `doc`
/// under the CA in `ca` (PEM).
/// `openssl cms -verify` as of `at` (the app's clock, never the wall clock:
/// certificates are made on the app's clock and must be judged on it).
pub fn openssl_verifies(
    dir: &std::path::Path,
    at: chrono::DateTime<chrono::Utc>,
    doc: &[u8],
    sig: &[u8],
    ca: &str,
) -> bool {
    std::fs::write(dir.join("doc.pdf"), doc).unwrap();
    std::fs::write(dir.join("doc.sig"), sig).unwrap();
    std::fs::write(dir.join("ca.pem"), ca).unwrap();
    std::process::Command::new("/usr/bin/openssl")
        .current_dir(dir)
        .args([
            "cms",
            "-verify",
            "-binary",
            "-inform",
            "DER",
            "-in",
            "doc.sig",
            "-content",
            "doc.pdf",
            "-CAfile",
            "ca.pem",
            "-purpose",
            "any",
            "-attime",
            &at.timestamp().to_string(),
            "-out",
            "/dev/null",
        ])
        .output()
        .unwrap()
        .status
        .success()
}

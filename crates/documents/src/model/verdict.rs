/// What a check of a document says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The exact bytes СЭП issued, and the document stands.
    Authentic,
    /// A document СЭП issued, but these are not its bytes.
    Altered,
    /// The exact bytes, but the issuer has withdrawn the document.
    Revoked,
    /// Nothing СЭП issued.
    Unknown,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Authentic => "authentic",
            Verdict::Altered => "altered",
            Verdict::Revoked => "revoked",
            Verdict::Unknown => "unknown",
        }
    }
}

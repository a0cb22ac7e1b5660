use serde::{Deserialize, Serialize};

/// The six roles of SPEC; a person may hold several (a citizen who is also an officer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Citizen,
    Representative,
    Officer,
    Support,
    Admin,
    Integrator,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Self::Citizen,
        Self::Representative,
        Self::Officer,
        Self::Support,
        Self::Admin,
        Self::Integrator,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Citizen => "citizen",
            Self::Representative => "representative",
            Self::Officer => "officer",
            Self::Support => "support",
            Self::Admin => "admin",
            Self::Integrator => "integrator",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Уровень учётной записи: what has been proven about the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssuranceLevel {
    /// Contacts confirmed by a code.
    Simplified,
    /// СНИЛС and passport checked against the registries.
    Standard,
    /// Identity confirmed in person, by a qualified signature or a bank.
    Confirmed,
}

impl AssuranceLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Simplified => "simplified",
            Self::Standard => "standard",
            Self::Confirmed => "confirmed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Simplified, Self::Standard, Self::Confirmed]
            .into_iter()
            .find(|l| l.as_str() == s)
    }
}

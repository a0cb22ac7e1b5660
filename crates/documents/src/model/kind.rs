//! The kinds of documents СЭП issues: the certificates (справки) a person
//! orders, filled from an agency's registry, and the decisions on
//! applications. Each kind names its issuing agency, what the registry needs
//! to find the person, and the account level that may order it.

use sep_identity::model::AssuranceLevel;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Income,
    Pension,
    TaxStatus,
    Registration,
    MedicalInsurance,
    Debts,
    NoCriminalRecord,
    RepresentativePowers,
    Subsidies,
    /// A decision on an application; issued, never ordered.
    Decision,
}

/// What a registry needs from the person's profile to find them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Inn,
    Snils,
    BirthDate,
    Passport,
    Address,
}

impl Need {
    /// The profile field a missing need is reported on.
    pub fn field(self) -> &'static str {
        match self {
            Need::Inn => "inn",
            Need::Snils => "snils",
            Need::BirthDate => "birth_date",
            Need::Passport => "passport",
            Need::Address => "address",
        }
    }
}

impl Kind {
    /// What a person may order, in the order the cabinet lists them.
    pub const ORDERABLE: [Kind; 9] = [
        Kind::Income,
        Kind::Pension,
        Kind::TaxStatus,
        Kind::Registration,
        Kind::MedicalInsurance,
        Kind::Debts,
        Kind::NoCriminalRecord,
        Kind::RepresentativePowers,
        Kind::Subsidies,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Income => "income",
            Kind::Pension => "pension",
            Kind::TaxStatus => "tax-status",
            Kind::Registration => "registration",
            Kind::MedicalInsurance => "medical-insurance",
            Kind::Debts => "debts",
            Kind::NoCriminalRecord => "no-criminal-record",
            Kind::RepresentativePowers => "representative-powers",
            Kind::Subsidies => "subsidies",
            Kind::Decision => "decision",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ORDERABLE
            .into_iter()
            .chain([Kind::Decision])
            .find(|k| k.code() == code)
    }

    pub fn orderable(self) -> bool {
        self != Kind::Decision
    }

    /// The agency whose registry holds the facts and whose key signs.
    /// (A decision is signed by the agency that decided.)
    pub fn agency(self) -> Option<&'static str> {
        Some(match self {
            Kind::Income | Kind::TaxStatus | Kind::RepresentativePowers => "fns",
            Kind::Pension | Kind::Subsidies => "sfr",
            Kind::Registration | Kind::NoCriminalRecord => "mvd",
            Kind::MedicalInsurance => "foms",
            Kind::Debts => "fssp",
            Kind::Decision => return None,
        })
    }

    pub fn needs(self) -> &'static [Need] {
        match self {
            Kind::Income | Kind::TaxStatus | Kind::RepresentativePowers => &[Need::Inn],
            Kind::Pension | Kind::MedicalInsurance | Kind::Subsidies => &[Need::Snils],
            Kind::Registration => &[Need::Passport, Need::Address],
            Kind::Debts => &[Need::BirthDate],
            Kind::NoCriminalRecord => &[Need::BirthDate, Need::Passport],
            Kind::Decision => &[],
        }
    }

    /// Facts about criminal records and about whom one may represent are
    /// given only to a person whose identity was confirmed; the rest to
    /// anyone whose СНИЛС and passport were checked.
    pub fn level(self) -> AssuranceLevel {
        match self {
            Kind::NoCriminalRecord | Kind::RepresentativePowers => AssuranceLevel::Confirmed,
            _ => AssuranceLevel::Standard,
        }
    }

    /// The official title, printed on the document (always Russian).
    pub fn title(self) -> &'static str {
        match self {
            Kind::Income => "Справка о доходах и суммах налога физического лица",
            Kind::Pension => {
                "Сведения о состоянии индивидуального лицевого счёта застрахованного лица"
            }
            Kind::TaxStatus => "Справка о статусе налогоплательщика",
            Kind::Registration => "Справка о регистрации по месту жительства",
            Kind::MedicalInsurance => "Выписка из единого регистра застрахованных лиц (полис ОМС)",
            Kind::Debts => {
                "Справка о наличии (отсутствии) задолженности по исполнительным производствам"
            }
            Kind::NoCriminalRecord => {
                "Справка о наличии (отсутствии) судимости и (или) факта уголовного преследования"
            }
            Kind::RepresentativePowers => "Выписка о полномочиях представителя",
            Kind::Subsidies => "Справка о получении (неполучении) мер социальной поддержки",
            Kind::Decision => "Решение по заявлению",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_from_its_code_and_orderable_ones_have_an_agency() {
        for k in Kind::ORDERABLE.into_iter().chain([Kind::Decision]) {
            assert_eq!(Kind::parse(k.code()), Some(k));
            assert_eq!(k.orderable(), k.agency().is_some(), "{k:?}");
        }
        assert_eq!(Kind::parse("passport"), None);
    }
}

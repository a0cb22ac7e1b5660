//! ФНС's taxpayer record, МВД's registration record and ФОМС's register of
//! the insured.

use super::{Person, Seed, as_of, birth, date, or_dash};
use crate::model::Sheet;
use chrono::{Datelike, NaiveDate};

fn region(person: &Person) -> String {
    person.region_code.clone().unwrap_or_else(|| "77".into())
}

pub fn tax_status(person: &Person, seed: &Seed, today: NaiveDate) -> Sheet {
    let registered = seed.day_in("tax.registered", 1995 + seed.pick("tax.year", 20) as i32);
    let office = seed.between("tax.office", 1, 36);
    let self_employed = seed.pick("tax.npd", 4) == 0;
    let npd = if self_employed {
        format!(
            "применяет с {}",
            date(seed.day_in("tax.npd.from", today.year() - 2))
        )
    } else {
        "не применяет".to_string()
    };
    as_of(today)
        .fields(&[
            ("Налогоплательщик", person.full_name.clone()),
            ("ИНН", or_dash(&person.inn)),
            ("Дата рождения", birth(person)),
            ("Дата постановки на учёт", date(registered)),
            (
                "Налоговый орган",
                format!(
                    "Инспекция ФНС России № {office} (код {}{office:02})",
                    region(person)
                ),
            ),
        ])
        .heading("Статус")
        .fields(&[
            ("Физическое лицо", "состоит на учёте".to_string()),
            (
                "Индивидуальный предприниматель",
                "не зарегистрирован".to_string(),
            ),
            ("Налог на профессиональный доход", npd),
        ])
}

pub fn registration(person: &Person, seed: &Seed, today: NaiveDate) -> Sheet {
    let since = seed.day_in(
        "registration.since",
        today.year() - 1 - seed.pick("registration.years", 15) as i32,
    );
    as_of(today)
        .fields(&[
            ("Фамилия, имя, отчество", person.full_name.clone()),
            ("Дата рождения", birth(person)),
            ("Паспорт гражданина РФ", or_dash(&person.passport)),
            ("Адрес места жительства", or_dash(&person.address)),
            ("Зарегистрирован(а) с", date(since)),
            (
                "Орган регистрационного учёта",
                format!(
                    "Отдел по вопросам миграции МВД России (регион {})",
                    region(person)
                ),
            ),
        ])
        .paragraph("Справка выдана для предъявления по месту требования.")
}

const INSURERS: [&str; 3] = [
    "АО «Страховая медицинская организация „Здоровье“»",
    "ООО «Медицинское страхование — Регион»",
    "АО «Страховая компания „Полис“»",
];

pub fn medical_insurance(person: &Person, seed: &Seed, today: NaiveDate) -> Sheet {
    let policy = format!(
        "{:04} {:04} {:04} {:04}",
        seed.between("oms.1", 1000, 9999),
        seed.pick("oms.2", 10_000),
        seed.pick("oms.3", 10_000),
        seed.pick("oms.4", 10_000)
    );
    let since = seed.day_in(
        "oms.since",
        today.year() - 1 - seed.pick("oms.years", 8) as i32,
    );
    as_of(today).fields(&[
        ("Застрахованное лицо", person.full_name.clone()),
        ("Дата рождения", birth(person)),
        ("СНИЛС", or_dash(&person.snils)),
        ("Единый номер полиса ОМС", policy),
        (
            "Форма полиса",
            "электронный полис (выписка из регистра)".to_string(),
        ),
        (
            "Страховая медицинская организация",
            INSURERS[seed.pick("oms.insurer", 3) as usize].to_string(),
        ),
        ("Регион страхования", region(person)),
        ("Застрахован(а) с", date(since)),
        ("Статус полиса", "действующий".to_string()),
    ])
}

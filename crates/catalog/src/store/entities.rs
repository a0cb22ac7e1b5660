//! The catalogue's tables. No other context reads them.

use sep_platform::db::entity;

entity!(agency, "agencies", {
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    pub name_ru: String,
    pub name_en: String,
    pub created_at: DateTimeUtc,
    pub payee_name: Option<String>,
    pub payee_inn: Option<String>,
    pub payee_kpp: Option<String>,
    pub payee_bik: Option<String>,
    pub payee_account: Option<String>,
});

entity!(department, "departments", {
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    pub agency_code: String,
    pub name_ru: String,
    pub name_en: String,
    pub region_code: String,
    pub created_at: DateTimeUtc,
});

entity!(department_officer, "department_officers", {
    #[sea_orm(primary_key, auto_increment = false)]
    pub department_code: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
    pub since: DateTimeUtc,
});

entity!(category, "categories", {
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    pub name_ru: String,
    pub name_en: String,
    pub position: i32,
});

entity!(service, "services", {
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    pub category_code: String,
    pub agency_code: String,
    pub title_ru: String,
    pub title_en: String,
    pub summary_ru: String,
    pub summary_en: String,
    pub keywords: String,
    pub fee_kopecks: i64,
    pub deadline_days: i32,
    pub level: String,
    pub kind: String,
    pub form_version: i32,
    pub active: bool,
    pub search_text: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
});

entity!(service_form, "service_forms", {
    #[sea_orm(primary_key, auto_increment = false)]
    pub service_code: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub version: i32,
    pub definition: String,
    pub created_at: DateTimeUtc,
});

entity!(routing_rule, "routing_rules", {
    #[sea_orm(primary_key, auto_increment = false)]
    pub service_code: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub region_code: String,
    pub department_code: String,
});

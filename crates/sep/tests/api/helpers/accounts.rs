//! People of a test: registered, logged in, with a role, an agency, a
//! department or a filled profile.

use super::*;
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};

/// A logged-in person of a test.
pub struct Person {
    pub id: uuid::Uuid,
    pub token: String,
    pub phone: String,
}

impl TestApp {
    pub async fn register(&self, phone: &str, email: &str) -> Value {
        let r = self
            .post(
                "/api/v1/auth/register",
                json!({ "phone": phone, "email": email, "password": PASSWORD }),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
        r.json().await.unwrap()
    }

    /// Registers and confirms an account; returns its E.164 phone.
    pub async fn citizen(&self, phone: &str, email: &str) -> String {
        let reg = self.register(phone, email).await;
        let e164 = reg["phone"].as_str().unwrap().to_string();
        let r = self
            .post(
                "/api/v1/auth/register/confirm",
                json!({ "phone": e164, "code": self.last_code(&e164) }),
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        e164
    }

    /// The first login step, as the client sends it.
    pub async fn login_attempt(
        &self,
        login: impl serde::Serialize,
        password: impl serde::Serialize,
    ) -> Response {
        self.post(
            "/api/v1/auth/login",
            json!({ "login": login, "password": password }),
        )
        .await
    }

    /// The second login step: the challenge and a code.
    pub async fn confirm_login_code(
        &self,
        challenge_id: impl serde::Serialize,
        code: impl serde::Serialize,
    ) -> Response {
        self.post(
            "/api/v1/auth/login/confirm",
            json!({ "challenge_id": challenge_id, "code": code }),
        )
        .await
    }

    /// Password, then the SMS code: returns the bearer token.
    pub async fn login(&self, login: &str, phone: &str, password: &str) -> String {
        let r = self.login_attempt(&login, password).await;
        assert_eq!(r.status(), StatusCode::OK, "{:?}", r.text().await);
        let ch: Value = r.json().await.unwrap();
        let r = self
            .confirm_login_code(&ch["challenge_id"], self.last_code(phone))
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        let s: Value = r.json().await.unwrap();
        s["access_token"].as_str().unwrap().to_string()
    }

    /// An account with the given role, made the operator's way, logged in.
    pub async fn user_with_role(
        &self,
        role: sep_identity::model::Role,
        phone: &str,
    ) -> (uuid::Uuid, String) {
        let client = sep_platform::client::Client::system();
        let email = format!(
            "{}-{}@example.ru",
            role.as_str(),
            phone.trim_start_matches('+')
        );
        let account = sep_identity::service::NewAccount {
            phone,
            email: &email,
            password: PASSWORD,
            roles: &[role],
            level: sep_identity::model::AssuranceLevel::Simplified,
        };
        let u = sep_identity::service::create_user(&self.platform, &client, None, account)
            .await
            .expect("create user");
        let token = self.login(&u.phone, &u.phone, PASSWORD).await;
        (u.id, token)
    }

    /// An officer or integrator acting for `agency`, logged in. An agency
    /// the catalogue lacks is made with the payee of the tests' fines.
    pub async fn agency_staff(
        &self,
        role: sep_identity::model::Role,
        phone: &str,
        agency: &str,
    ) -> (uuid::Uuid, String) {
        let client = sep_platform::client::Client::system();
        let input = sep_catalog::service::AgencyInput {
            code: agency.into(),
            name: sep_kernel::i18n::Text::new(format!("Ведомство {agency}"), agency),
            payee: sep_payments::model::PayeeInput {
                name: "УФК по г. Москве (ГУ МВД России по г. Москве)".into(),
                inn: "7707083893".into(),
                kpp: "773601001".into(),
                bik: "044525225".into(),
                account: "30101810400000000225".into(),
            },
        };
        match sep_catalog::service::create_agency(&self.platform, &client, None, input).await {
            Ok(_) | Err(sep_platform::error::AppError::Conflict(_)) => {}
            Err(e) => panic!("agency {agency}: {e:?}"),
        }
        let (id, token) = self.user_with_role(role, phone).await;
        sep_catalog::service::set_staff_agency(&self.platform, &client, None, id, Some(agency))
            .await
            .expect("staff joins the agency");
        (id, token)
    }

    /// A citizen of account `level` with a Moscow profile (and `snils`, when given).
    pub async fn applicant(
        &self,
        phone: &str,
        level: sep_identity::model::AssuranceLevel,
        snils: &str,
    ) -> Person {
        let client = sep_platform::client::Client::system();
        let email = format!("{}@example.ru", phone.trim_start_matches('+'));
        let account = sep_identity::service::NewAccount {
            phone,
            email: &email,
            password: PASSWORD,
            roles: &[sep_identity::model::Role::Citizen],
            level,
        };
        let u = sep_identity::service::create_user(&self.platform, &client, None, account)
            .await
            .expect("create user");
        let token = self.login(&u.phone, &u.phone, PASSWORD).await;
        let r = self
            .put_auth(
                "/api/v1/profile",
                &token,
                json!({
                    "last_name": "Петрова", "first_name": "Анна", "patronymic": "Сергеевна",
                    "birth_date": "05.03.1985", "snils": snils,
                    "postcode": "101000", "region_code": "77",
                    "address": "г. Москва, ул. Тверская, д. 1"
                }),
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK, "{:?}", r.text().await);
        Person {
            id: u.id,
            token,
            phone: u.phone,
        }
    }

    /// An officer working in `department`.
    pub async fn officer_in(&self, phone: &str, department: &str) -> Person {
        let (id, token) = self
            .user_with_role(sep_identity::model::Role::Officer, phone)
            .await;
        sep_catalog::service::add_officer(
            &self.platform,
            &sep_platform::client::Client::system(),
            None,
            department,
            id,
        )
        .await
        .expect("officer joins the department");
        Person {
            id,
            token,
            phone: phone.to_string(),
        }
    }
}

impl TestApp {
    /// The id of the account a token belongs to, as its own profile tells it.
    pub async fn user_id(&self, token: &str) -> String {
        let me: Value = self
            .get_auth("/api/v1/profile", token)
            .await
            .json()
            .await
            .unwrap();
        me["user_id"]
            .as_str()
            .expect("profile has user_id")
            .to_string()
    }
}

//! Identity rules: what a valid name, birth date, passport, address and password
//! are, the roles and assurance levels, the account's lockout rules. No I/O here.

mod birth_date;
mod lockout;
mod name;
mod passport;
pub mod password;
mod profile;
mod role;

pub use birth_date::BirthDate;
pub use lockout::{LOCK_MINUTES, LockReason, Lockout};
pub use name::{NamePart, masked_full_name};
pub use passport::Passport;
pub use password::Password;
pub use profile::{Holder, Profile, ProfileInput, identity_changes};
pub use role::{AssuranceLevel, Role};

//! Payment use cases. Charges so far: agencies post and cancel them, a person
//! sees theirs (found by the ИНН and СНИЛС of their profile), anyone looks one
//! up by УИН.

mod charges;

pub use charges::{ChargeView, cancel_charge, charge, my_charges, post_charge};

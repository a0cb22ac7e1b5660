//! The service catalogue (SPEC M2): categories, services, agencies,
//! departments, regions, and search in Russian.

pub mod model;

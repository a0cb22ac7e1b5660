pub mod api;
pub mod browser;
pub mod state_fee;

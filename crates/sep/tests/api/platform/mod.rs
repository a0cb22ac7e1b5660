pub mod architecture;
pub mod cli;
pub mod hardening;
pub mod openapi;
pub mod outbox;
pub mod throttle;

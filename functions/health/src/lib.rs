//! The dependencies' health. A scheduled checker probes the table, the bus, the queues, the
//! outputs bucket and the text generator; a dependency is down after a configured number of
//! failed checks in a row and up again after a number of successes. Each transition is
//! stored with ServiceDown or ServiceRecovered in one transaction, whoever observed it (the
//! checker, or the generation worker's circuit breaker through [`state::record`]).
//! Dependents react to those events; `GET /health` reports the states.

pub mod checker;
pub mod dependency;
pub mod functions;
pub mod routes;
pub mod scaling;
pub mod state;

pub use dependency::Dependency;
pub use functions::FUNCTIONS;

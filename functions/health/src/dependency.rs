//! What the product depends on, by the names its health reports use.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum Dependency {
    /// The application table.
    Table,
    /// The event bus (a probe event no rule matches).
    EventBus,
    /// The generation and event-store queues.
    Queues,
    /// The bucket of generation outputs.
    Outputs,
    /// The configured text generator (the offline writer is always up).
    Generator,
}

impl Dependency {
    pub const ALL: [Dependency; 5] = [
        Dependency::Table,
        Dependency::EventBus,
        Dependency::Queues,
        Dependency::Outputs,
        Dependency::Generator,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Dependency::Table => "table",
            Dependency::EventBus => "eventBus",
            Dependency::Queues => "queues",
            Dependency::Outputs => "outputs",
            Dependency::Generator => "generator",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.name() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_the_serde_names() {
        for dependency in Dependency::ALL {
            assert_eq!(
                serde_json::to_value(dependency).unwrap(),
                serde_json::json!(dependency.name())
            );
            assert_eq!(Dependency::parse(dependency.name()), Some(dependency));
        }
    }
}

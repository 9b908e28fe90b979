use aws_config::SdkConfig;
use fountain_runtime::{ConfigError, Env};
use fountain_store::Table;

/// The relay: the bus it publishes to, and the table whose outbox items it marks published.
#[derive(Debug, Clone)]
pub struct RelayDeps {
    pub events: aws_sdk_eventbridge::Client,
    pub bus_name: String,
    pub table: Table,
}

impl RelayDeps {
    pub fn load(env: &Env, sdk: &SdkConfig) -> Result<Self, ConfigError> {
        Ok(Self {
            events: aws_sdk_eventbridge::Client::new(sdk),
            bus_name: env.required("EVENT_BUS_NAME")?,
            table: Table::new(
                aws_sdk_dynamodb::Client::new(sdk),
                env.required("TABLE_NAME")?,
            ),
        })
    }
}

/// The event store consumer: the event store table. It keeps no claims: the event is put
/// only if its id is not stored yet, so a duplicate delivery writes nothing.
#[derive(Debug, Clone)]
pub struct StoreDeps {
    pub table: Table,
}

impl fountain_runtime::consumer::Deduplication for StoreDeps {
    fn claims(&self) -> Option<&fountain_runtime::Idempotency> {
        None
    }
}

impl StoreDeps {
    pub fn load(env: &Env, sdk: &SdkConfig) -> Result<Self, ConfigError> {
        let table = Table::new(
            aws_sdk_dynamodb::Client::new(sdk),
            env.required("EVENT_STORE_TABLE_NAME")?,
        );
        Ok(Self { table })
    }
}

/// The events query.
#[derive(Debug, Clone)]
pub struct QueryDeps {
    pub table: Table,
}

impl QueryDeps {
    pub fn load(env: &Env, sdk: &SdkConfig) -> Result<Self, ConfigError> {
        Ok(Self {
            table: Table::new(
                aws_sdk_dynamodb::Client::new(sdk),
                env.required("EVENT_STORE_TABLE_NAME")?,
            ),
        })
    }
}

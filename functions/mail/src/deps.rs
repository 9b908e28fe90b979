use fountain_runtime::consumer::Deduplication;
use fountain_runtime::{ConfigError, Env, Idempotency};
use fountain_store::Table;

/// The consumer's name in its idempotency claims.
pub const CONSUMER: &str = "send_email";

/// What the mailer needs, built once per process.
#[derive(Debug, Clone)]
pub struct MailDeps {
    pub table: Table,
    /// Claims by event id: a redelivered event sends no second email.
    pub idempotency: Idempotency,
    pub ses: aws_sdk_sesv2::Client,
    /// `MAIL_FROM`: the sender, an SES identity of the account.
    pub from: String,
    /// `APP_URL`: where the links of the messages lead (without a trailing slash).
    pub app_url: String,
}

impl Deduplication for MailDeps {
    fn claims(&self) -> Option<&Idempotency> {
        Some(&self.idempotency)
    }
}

pub fn load(env: &Env, sdk: &aws_config::SdkConfig) -> Result<MailDeps, ConfigError> {
    let table = Table::new(
        aws_sdk_dynamodb::Client::new(sdk),
        env.required("TABLE_NAME")?,
    );
    Ok(MailDeps {
        idempotency: Idempotency::new(table.clone(), CONSUMER, chrono::Duration::minutes(2)),
        table,
        ses: aws_sdk_sesv2::Client::new(sdk),
        from: env.required("MAIL_FROM")?,
        app_url: env.required("APP_URL")?.trim_end_matches('/').to_owned(),
    })
}

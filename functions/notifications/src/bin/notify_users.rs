//! Lambda function `notify_users`, generated from `FUNCTIONS` by `cargo run -p fountain-registry`.

fountain_runtime::lambda_main!(fountain_notifications::FUNCTIONS);

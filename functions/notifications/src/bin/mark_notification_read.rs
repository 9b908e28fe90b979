//! Lambda function `mark_notification_read`, generated from `FUNCTIONS` by `cargo run -p fountain-registry`.

fountain_runtime::lambda_main!(fountain_notifications::FUNCTIONS);

//! Lambda function `list_notifications`, generated from `FUNCTIONS` by `cargo run -p fountain-registry`.

fountain_runtime::lambda_main!(fountain_notifications::FUNCTIONS);

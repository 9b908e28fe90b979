//! Lambda function `erase_user_addresses`, generated from `FUNCTIONS` by `cargo run -p fountain-registry`.

fountain_runtime::lambda_main!(fountain_event_store::FUNCTIONS);

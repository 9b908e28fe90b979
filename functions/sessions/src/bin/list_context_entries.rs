//! Lambda function `list_context_entries`, generated from `FUNCTIONS` by `cargo run -p fountain-registry`.

fountain_runtime::lambda_main!(fountain_sessions::FUNCTIONS);

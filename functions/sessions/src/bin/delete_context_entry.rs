//! Lambda function `delete_context_entry`, generated from `FUNCTIONS` by `cargo run -p fountain-registry`.

fountain_runtime::lambda_main!(fountain_sessions::FUNCTIONS);

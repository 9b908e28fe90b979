//! Lambda function `start_session`, generated from `FUNCTIONS` by `cargo run -p fountain-registry`.

fountain_runtime::lambda_main!(fountain_sessions::FUNCTIONS);

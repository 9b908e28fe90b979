//! Lambda function `health_history`, generated from `FUNCTIONS` by `cargo run -p fountain-registry`.

fountain_runtime::lambda_main!(fountain_health::FUNCTIONS);

//! Lambda function `scale_workers`, generated from `FUNCTIONS` by `cargo run -p fountain-registry`.

fountain_runtime::lambda_main!(fountain_health::FUNCTIONS);

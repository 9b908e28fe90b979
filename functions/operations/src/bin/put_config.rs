//! Lambda function `put_config`, generated from `FUNCTIONS` by `cargo run -p fountain-registry`.

fountain_runtime::lambda_main!(fountain_operations::FUNCTIONS);

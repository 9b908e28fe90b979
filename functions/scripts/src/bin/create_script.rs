//! Lambda function `create_script`, generated from `FUNCTIONS` by `cargo run -p fountain-registry`.

fountain_runtime::lambda_main!(fountain_scripts::FUNCTIONS);

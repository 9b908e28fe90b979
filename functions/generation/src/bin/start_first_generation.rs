//! Lambda function `start_first_generation`, generated from `FUNCTIONS` by `cargo run -p fountain-registry`.

fountain_runtime::lambda_main!(fountain_generation::FUNCTIONS);

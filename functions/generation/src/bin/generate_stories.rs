//! Lambda function `generate_stories`, generated from `FUNCTIONS` by `cargo run -p fountain-registry`.

fountain_runtime::lambda_main!(fountain_generation::FUNCTIONS);

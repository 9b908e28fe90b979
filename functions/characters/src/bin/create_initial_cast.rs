//! Lambda function `create_initial_cast`, generated from `FUNCTIONS` by `cargo run -p fountain-registry`.

fountain_runtime::lambda_main!(fountain_characters::FUNCTIONS);

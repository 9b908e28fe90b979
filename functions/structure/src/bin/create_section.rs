//! Lambda function `create_section`, generated from `FUNCTIONS` by `cargo run -p fountain-registry`.

fountain_runtime::lambda_main!(fountain_structure::FUNCTIONS);

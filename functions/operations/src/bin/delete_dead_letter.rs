//! Lambda function `delete_dead_letter`, generated from `FUNCTIONS` by `cargo run -p fountain-registry`.

fountain_runtime::lambda_main!(fountain_operations::FUNCTIONS);

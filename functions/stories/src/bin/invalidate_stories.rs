//! Lambda function `invalidate_stories`, generated from `FUNCTIONS` by `cargo run -p fountain-registry`.

fountain_runtime::lambda_main!(fountain_stories::FUNCTIONS);

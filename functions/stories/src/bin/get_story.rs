//! Lambda function `get_story`, generated from `FUNCTIONS` by `cargo run -p fountain-registry`.

fountain_runtime::lambda_main!(fountain_stories::FUNCTIONS);

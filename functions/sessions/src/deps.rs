/// The sessions functions need the application table and the body size limit.
pub type Deps = fountain_http::TableDeps;

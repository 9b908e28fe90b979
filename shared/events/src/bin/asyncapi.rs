//! Writes the AsyncAPI document of the event catalog to the given path, or to stdout.

fn main() -> std::io::Result<()> {
    let document = fountain_events::asyncapi::render();
    match std::env::args().nth(1) {
        Some(path) => std::fs::write(path, document),
        None => {
            print!("{document}");
            Ok(())
        }
    }
}

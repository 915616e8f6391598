//! The main app: the pipeline, cards, search.

fn main() {
    lejek_frontend::start(lejek_frontend::app::App);
}

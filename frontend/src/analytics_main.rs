//! The Analytics page, a bundle of its own.

fn main() {
    lejek_frontend::start(lejek_frontend::app::AnalyticsApp);
}

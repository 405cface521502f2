//! Writes one bundle: `cargo run -p apitriage-sim --example bundle -- <scenario> <seed> <dir> [volume]`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 4 {
        for s in apitriage_sim::scenarios() {
            println!("{:32} {:11} {}", s.name, s.bucket, s.summary);
        }
        return Ok(());
    }
    let seed: u64 = args[2].parse()?;
    let volume: f64 = args.get(4).map(|v| v.parse()).transpose()?.unwrap_or(1.0);
    let truth = apitriage_sim::generate_sized(
        &args[1],
        seed,
        &apitriage_sim::SimOptions::default(),
        volume,
        std::path::Path::new(&args[3]),
    )?;
    println!("{}", serde_json::to_string(&truth)?);
    Ok(())
}

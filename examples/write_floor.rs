//! The write floor: what it costs only to store a site's files, computed by nobody. Reads every
//! file of a finished build (SITE, e.g. a planport output folder) into memory, then — timed —
//! creates the same folders under OUTPUT and writes the same bytes into the same files, in
//! parallel with rayon, as a generator's last step would. No generator writes its site for less.
//!
//!     cargo run --release --example write_floor -- SITE OUTPUT
//!
//! Prints the files and bytes, then one line `write: WALL s wall, CPU s CPU` for the timed part
//! only (CPU is the process's user + system time across threads, from getrusage). bench/run.sh
//! runs it on planport's own output beside planport and Hugo; see bench/README.md.
use rayon::prelude::*;
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [site, output] = args.as_slice() else {
        eprintln!("usage: write_floor SITE OUTPUT");
        std::process::exit(2);
    };
    let mut folders = Vec::new();
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(site).sort_by_file_name() {
        let entry = entry.expect("walk SITE");
        let relative = entry.path().strip_prefix(site).expect("under SITE").to_path_buf();
        if entry.file_type().is_dir() {
            folders.push(relative);
        } else if entry.file_type().is_file() {
            files.push(relative);
        }
    }
    let files: Vec<(PathBuf, Vec<u8>)> = files
        .into_par_iter()
        .map(|f| {
            let data = std::fs::read(site.join(&f)).unwrap_or_else(|e| panic!("read {}: {e}", f.display()));
            (f, data)
        })
        .collect();
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();

    let (wall, cpu) = (Instant::now(), cpu_time());
    for folder in &folders {
        std::fs::create_dir_all(output.join(folder)).expect("create a folder");
    }
    files.par_iter().for_each(|(path, data)| std::fs::write(output.join(path), data).unwrap_or_else(|e| panic!("write {}: {e}", path.display())));
    let (wall, cpu) = (wall.elapsed(), cpu_time() - cpu);

    println!("{} files, {} bytes", files.len(), bytes);
    println!("write: {:.2} s wall, {:.2} s CPU", wall.as_secs_f64(), cpu.as_secs_f64());
}

/// User + system time of the whole process so far.
fn cpu_time() -> Duration {
    // SAFETY: getrusage writes the struct it is given and reads nothing else.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let time = |t: libc::timeval| Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64);
    time(usage.ru_utime) + time(usage.ru_stime)
}

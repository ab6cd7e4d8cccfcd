//! `cargo bench --bench hashing`: what hashing an upload costs. A Box upload computes SHA-1,
//! BLAKE3 and QuickXorHash in one pass (the target is 300 MB/s or more on one core), a Graph
//! upload BLAKE3 and QuickXorHash; each hash alone shows which one dominates, and SHA-256 what
//! the store's key cost before BLAKE3.

use std::hint::black_box;
use std::time::Duration;

use bytes::Bytes;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use quickxorhash::QuickXorHash;
use restore_mock::content::{Content, Hashes};
use sha1::{Digest, Sha1};
use sha2::Sha256;

fn hashing(c: &mut Criterion) {
    let mut group = c.benchmark_group("hashing");
    for size in [4 * 1024, 1024 * 1024] {
        let body: Bytes = (0..size)
            .map(|i: usize| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect::<Vec<u8>>()
            .into();
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_with_input(
            BenchmarkId::new("all_three_one_pass", size),
            &body,
            |b, body| {
                b.iter(|| black_box(Content::with(body.clone(), Hashes::WithSha1)));
            },
        );
        group.bench_with_input(BenchmarkId::new("graph_upload", size), &body, |b, body| {
            b.iter(|| black_box(Content::with(body.clone(), Hashes::Graph)));
        });
        group.bench_with_input(BenchmarkId::new("sha1", size), &body, |b, body| {
            b.iter(|| black_box(Sha1::digest(body)));
        });
        group.bench_with_input(BenchmarkId::new("blake3", size), &body, |b, body| {
            b.iter(|| black_box(blake3::hash(body)));
        });
        group.bench_with_input(BenchmarkId::new("sha256", size), &body, |b, body| {
            b.iter(|| black_box(Sha256::digest(body)));
        });
        group.bench_with_input(BenchmarkId::new("quick_xor", size), &body, |b, body| {
            b.iter(|| {
                let mut hash = QuickXorHash::new();
                hash.update(body);
                black_box(hash.finalize())
            });
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(20);
    targets = hashing
}
criterion_main!(benches);

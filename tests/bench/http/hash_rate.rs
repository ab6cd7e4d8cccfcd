//! How fast an upload is hashed on one core: all three hashes in one pass (a Box upload), what a
//! Graph upload computes (BLAKE3 and QuickXorHash), and each hash alone, on a 1 MiB body. The criterion benchmark `hashing` measures the
//! same with more statistics; this puts the figure in the report next to its target.

use std::hint::black_box;
use std::time::{Duration, Instant};

use bytes::Bytes;
use quickxorhash::QuickXorHash;
use restore_mock::content::{Content, Hashes};
use sha1::{Digest, Sha1};

use crate::report::HashRate;
use crate::rounds::median;

const BODY: usize = 1024 * 1024;

pub fn measure(rounds: usize, round: Duration) -> HashRate {
    let body: Bytes = (0..BODY)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect::<Vec<u8>>()
        .into();
    let rate = |hash: &dyn Fn(&Bytes)| {
        median(
            (0..rounds)
                .map(|_| {
                    let started = Instant::now();
                    let mut bytes = 0usize;
                    while started.elapsed() < round {
                        hash(black_box(&body));
                        bytes += BODY;
                    }
                    bytes as f64 / started.elapsed().as_secs_f64() / 1e6
                })
                .collect(),
        )
    };
    HashRate {
        body_bytes: BODY,
        all_three_mb_per_s: rate(&|b| {
            black_box(Content::with(b.clone(), Hashes::WithSha1));
        }),
        sha1_mb_per_s: rate(&|b| {
            black_box(Sha1::digest(b));
        }),
        blake3_mb_per_s: rate(&|b| {
            black_box(blake3::hash(b));
        }),
        quick_xor_mb_per_s: rate(&|b| {
            let mut h = QuickXorHash::new();
            h.update(b);
            black_box(h.finalize());
        }),
        graph_upload_mb_per_s: rate(&|b| {
            black_box(Content::with(b.clone(), Hashes::Graph));
        }),
    }
}

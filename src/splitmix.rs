//! SplitMix64's finalizer: the one integer scrambler behind request ids and seeded fault draws.

/// A bijection on `u64` whose outputs look unrelated for consecutive inputs.
pub(crate) fn splitmix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The inverse of `splitmix64`: `unsplitmix64(splitmix64(z)) == z` for every `z`.
pub(crate) fn unsplitmix64(mut z: u64) -> u64 {
    z ^= (z >> 31) ^ (z >> 62);
    z = z.wrapping_mul(inverse(0x94d0_49bb_1331_11eb));
    z ^= (z >> 27) ^ (z >> 54);
    z = z.wrapping_mul(inverse(0xbf58_476d_1ce4_e5b9));
    z ^= (z >> 30) ^ (z >> 60);
    z.wrapping_sub(0x9e37_79b9_7f4a_7c15)
}

/// The multiplicative inverse of an odd number modulo 2⁶⁴, by Newton's iteration (each step
/// doubles the correct low bits: 3, 6, 12, 24, 48, 96).
const fn inverse(a: u64) -> u64 {
    let mut x = a;
    let mut i = 0;
    while i < 5 {
        x = x.wrapping_mul(2u64.wrapping_sub(a.wrapping_mul(x)));
        i += 1;
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsplitmix64_undoes_splitmix64() {
        for z in [0, 1, 42, 1_000_000_001, u64::MAX, 0x0123_4567_89ab_cdef] {
            assert_eq!(unsplitmix64(splitmix64(z)), z, "{z}");
        }
    }
}

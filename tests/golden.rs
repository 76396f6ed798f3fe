//! Golden digests of seeded batches: the same seed must give bit-identical batches natively and
//! in the browser. The digests were computed once natively by this very code and pasted in;
//! the wasm run (`cargo test --target wasm32-unknown-unknown --test golden`) must match them.

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use molap_lab::batch::Batch;
use molap_lab::tasks::{Task, generate_seeded};

/// Seed, trials and step of the golden batches.
const SEED: u64 = 20_260_101;
const BATCH: usize = 8;
const DT: f64 = 20.0;

/// FNV-1a, 64 bits.
struct Fnv(u64);

impl Fnv {
    fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    fn bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn int(&mut self, x: usize) {
        self.bytes(&(x as u64).to_le_bytes());
    }

    fn floats(&mut self, xs: &[f32]) {
        for x in xs {
            self.bytes(&x.to_bits().to_le_bytes());
        }
    }
}

/// Digest of everything in a batch: shape, epochs, go step, arrays and trial infos.
fn digest(b: &Batch) -> u64 {
    let mut h = Fnv::new();
    for x in [b.n_steps, b.batch_size, b.n_in, b.n_out, b.go_step] {
        h.int(x);
    }
    h.bytes(&b.dt_ms.to_bits().to_le_bytes());
    for e in &b.epochs {
        h.bytes(e.name.as_bytes());
        h.int(e.start);
        h.int(e.end);
    }
    h.floats(&b.inputs);
    h.floats(&b.targets);
    h.floats(&b.mask);
    for t in &b.trials {
        h.floats(&[t.response, t.theta1, t.theta2]);
    }
    h.0
}

/// Digests of `generate_seeded(task, BATCH, DT, SEED)`, in the order of `Task::ALL`.
const GOLDEN: [u64; 9] = [
    0x3e77c32a38a2a314,
    0xf8c1d263e9e0e8cb,
    0x6028945f575861a7,
    0x522f66b962837057,
    0x9f27baf3a190c978,
    0x38e0f3b57caa7b38,
    0x73c6c2f8c8944b8c,
    0xa463eda6b6c5398e,
    0x426a2c089bba5ec2,
];

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn seeded_batches_match_golden_digests() {
    let got: Vec<u64> = Task::ALL
        .iter()
        .map(|&t| digest(&generate_seeded(t, BATCH, DT, SEED).unwrap()))
        .collect();
    let shown: Vec<String> = got.iter().map(|d| format!("0x{d:016x}")).collect();
    assert_eq!(got, GOLDEN, "digests now: [{}]", shown.join(", "));
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn same_seed_same_batch_other_seed_other_batch() {
    for task in Task::ALL {
        let a = generate_seeded(task, BATCH, DT, 1).unwrap();
        let b = generate_seeded(task, BATCH, DT, 1).unwrap();
        let c = generate_seeded(task, BATCH, DT, 2).unwrap();
        assert_eq!(a, b, "{task}");
        assert_eq!(digest(&a), digest(&b));
        assert_ne!(digest(&a), digest(&c), "{task}");
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn digest_sees_a_one_bit_change() {
    let a = generate_seeded(Task::MemoryPro, BATCH, DT, SEED).unwrap();
    let mut b = a.clone();
    let i = b.inputs.len() / 2;
    b.inputs[i] = f32::from_bits(b.inputs[i].to_bits() ^ 1);
    assert_ne!(digest(&a), digest(&b));
}

//! Exercises the DWARF frontend with Rust: every FFI-safe type it maps, and a
//! few it must reject with this file's line. `no_std`, so the staticlib holds
//! only core and compiler_builtins, which the packer drops as unreachable.
#![no_std]
#![allow(improper_ctypes_definitions)]

use core::ptr::NonNull;
use gotramp_go::{GoSlice, GoString};

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    loop {}
}

#[repr(C)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

#[repr(u8)]
pub enum Shape {
    Circle = 1,
    Square = 2,
}

#[no_mangle]
pub extern "C" fn rs_add_u64(a: u64, b: u64) -> u64 {
    a.wrapping_add(b)
}

#[no_mangle]
pub extern "C" fn rs_widen(a: i8, b: u8, c: i16, d: u16, e: i32, f: u32) -> i64 {
    a as i64 + b as i64 + c as i64 + d as i64 + e as i64 + f as i64
}

#[no_mangle]
pub extern "C" fn rs_mix(n: isize, len: usize, x: f32, y: f64, neg: bool) -> f64 {
    let s = n as f64 + len as f64 + x as f64 + y;
    if neg { -s } else { s }
}

/// Sum of n bytes at p (a thin pointer and a length: FFI-safe).
#[no_mangle]
pub unsafe extern "C" fn rs_sum_bytes(p: *const u8, n: usize) -> u64 {
    let mut s = 0u64;
    for i in 0..n {
        s += *p.add(i) as u64;
    }
    s
}

/// Doubles every element in place.
#[no_mangle]
pub extern "C" fn rs_double_all(xs: &mut [i32; 4]) {
    for x in xs.iter_mut() {
        *x *= 2;
    }
}

/// Length of the point's vector, or -1 for a null pointer (None).
#[no_mangle]
pub extern "C" fn rs_norm(p: Option<&Point>) -> f64 {
    match p {
        Some(p) => {
            let q = p.x * p.x + p.y * p.y;
            // Newton's method: no libm in no_std.
            let mut r = if q > 1.0 { q } else { 1.0 };
            for _ in 0..64 {
                r = 0.5 * (r + q / r);
            }
            r
        }
        None => -1.0,
    }
}

/// Writes 42 through p unless it is null.
#[no_mangle]
pub extern "C" fn rs_store(p: Option<NonNull<u32>>) -> bool {
    match p {
        Some(mut p) => {
            unsafe { *p.as_mut() = 42 };
            true
        }
        None => false,
    }
}

#[no_mangle]
pub extern "C" fn rs_sides(s: Shape) -> u32 {
    match s {
        Shape::Circle => 0,
        Shape::Square => 4,
    }
}

#[no_mangle]
pub extern "C" fn rs_ident(p: *mut core::ffi::c_void) -> *mut core::ffi::c_void {
    p
}

/// Sum of a Go []int64 passed as gotramp's GoSlice.
#[no_mangle]
pub unsafe extern "C" fn rs_sum_go_slice(s: GoSlice<i64>) -> i64 {
    s.as_slice().iter().fold(0i64, |a, b| a.wrapping_add(*b))
}

/// Length of a Go string.
#[no_mangle]
pub unsafe extern "C" fn rs_go_string_len(s: GoString) -> isize {
    s.as_bytes().len() as isize
}

// Not FFI-safe: the generator must skip these, naming this file and line.

#[no_mangle]
pub extern "C" fn rs_bad_slice(s: &[u8]) -> usize {
    s.len()
}

#[no_mangle]
pub extern "C" fn rs_bad_char(c: char) -> u32 {
    c as u32
}

#[no_mangle]
pub extern "C" fn rs_bad_tuple(t: (u32, u32)) -> u32 {
    t.0 + t.1
}

pub enum Either {
    Left(u32),
    Right(f32),
}

#[no_mangle]
pub extern "C" fn rs_bad_enum(e: Either) -> u32 {
    match e {
        Either::Left(x) => x,
        Either::Right(f) => f as u32,
    }
}

#[no_mangle]
pub extern "C" fn rs_bad_u128(x: u128) -> u64 {
    x as u64
}

// Go slices and strings by value (runtime-shims/rust's GoSlice and GoString):
// Go passes []T and string headers; the tests check the results against Go.

/// Sum of a Go []byte.
#[no_mangle]
pub unsafe extern "C" fn rs_sum_u8s(s: GoSlice<u8>) -> u64 {
    s.as_slice().iter().map(|b| *b as u64).sum()
}

/// Wrapping sum of a Go []uint64, plus its length and capacity packed as
/// len | cap << 32 through `shape`, so all three header words are checked.
#[no_mangle]
pub unsafe extern "C" fn rs_sum_u64s(s: GoSlice<u64>, shape: *mut u64) -> u64 {
    *shape = s.len as u64 | (s.cap as u64) << 32;
    s.as_slice().iter().fold(0u64, |a, b| a.wrapping_add(*b))
}

/// Writes start, start+step, ... into the Go slice; returns how many.
#[no_mangle]
pub unsafe extern "C" fn rs_fill_u64s(mut s: GoSlice<u64>, start: u64, step: u64) -> usize {
    let xs = s.as_mut_slice();
    for (i, x) in xs.iter_mut().enumerate() {
        *x = start.wrapping_add(step.wrapping_mul(i as u64));
    }
    xs.len()
}

/// FNV-1a (64-bit) of a Go string's bytes from `seed`, times `mul`, plus the
/// length: scalars on both sides of the string.
#[no_mangle]
pub unsafe extern "C" fn rs_string_check(seed: u64, s: GoString, mul: u64) -> u64 {
    let mut h = seed;
    for b in s.as_bytes() {
        h = (h ^ *b as u64).wrapping_mul(0x100000001b3);
    }
    h.wrapping_mul(mul).wrapping_add(s.len as u64)
}

/// Four strings: more register pairs than System V has left for the last.
#[no_mangle]
pub unsafe extern "C" fn rs_four_strings(
    a: GoString,
    b: GoString,
    c: GoString,
    d: GoString,
) -> u64 {
    let w = |s: &GoString, k: u64| s.as_bytes().iter().map(|x| *x as u64).sum::<u64>() * k;
    w(&a, 1) + w(&b, 1000) + w(&c, 1_000_000) + w(&d, 1_000_000_000) + d.len as u64
}

/// Total length of a Go []string.
#[no_mangle]
pub unsafe extern "C" fn rs_total_len(s: GoSlice<GoString>) -> isize {
    s.as_slice().iter().map(|x| x.len).sum()
}

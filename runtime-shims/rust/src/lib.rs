//! Go's slice and string headers as `#[repr(C)]` Rust types, so a
//! `#[no_mangle] extern "C"` function can take a Go `[]T` or `string` the way
//! Go lays them out (runtime/slice.go, runtime/string.go): a data pointer and
//! `int` lengths. `no_std`: nothing here allocates or panics.
//!
//! The memory belongs to Go. It is valid for the duration of the call only:
//! do not keep the pointer after returning (gotramp declares the Go function
//! `//go:noescape`, so Go may have put the backing array on its stack).
#![no_std]

use core::marker::PhantomData;

/// A Go `[]T`: `{data *T, len int, cap int}`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct GoSlice<T> {
    pub data: *mut T,
    pub len: isize,
    pub cap: isize,
    _elem: PhantomData<T>,
}

impl<T> GoSlice<T> {
    /// The elements Go passed, or an empty slice for a nil or empty Go slice.
    ///
    /// # Safety
    /// The value must come from Go (through gotramp) during this call, and the
    /// elements must be valid `T`s.
    pub unsafe fn as_slice<'a>(&self) -> &'a [T] {
        if self.data.is_null() || self.len <= 0 {
            return &[];
        }
        core::slice::from_raw_parts(self.data, self.len as usize)
    }

    /// Mutable access to the elements, as for [`GoSlice::as_slice`]; Go sees
    /// the writes.
    ///
    /// # Safety
    /// As for [`GoSlice::as_slice`], and nothing else may access the elements
    /// during the call.
    pub unsafe fn as_mut_slice<'a>(&mut self) -> &'a mut [T] {
        if self.data.is_null() || self.len <= 0 {
            return &mut [];
        }
        core::slice::from_raw_parts_mut(self.data, self.len as usize)
    }
}

/// A Go `string`: `{data *byte, len int}`. Go strings are usually, not
/// always, UTF-8: [`GoString::as_bytes`] is always valid, [`GoString::to_str`]
/// checks.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct GoString {
    pub data: *const u8,
    pub len: isize,
}

impl GoString {
    /// The string's bytes.
    ///
    /// # Safety
    /// The value must come from Go (through gotramp) during this call.
    pub unsafe fn as_bytes<'a>(&self) -> &'a [u8] {
        if self.data.is_null() || self.len <= 0 {
            return &[];
        }
        core::slice::from_raw_parts(self.data, self.len as usize)
    }

    /// The string as `&str`, or `None` when it is not valid UTF-8.
    ///
    /// # Safety
    /// As for [`GoString::as_bytes`].
    pub unsafe fn to_str<'a>(&self) -> Option<&'a str> {
        core::str::from_utf8(self.as_bytes()).ok()
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;

    #[test]
    fn layouts_match_go() {
        assert_eq!(core::mem::size_of::<GoSlice<u8>>(), 3 * core::mem::size_of::<usize>());
        assert_eq!(core::mem::size_of::<GoString>(), 2 * core::mem::size_of::<usize>());
        let v = [1u32, 2, 3];
        let s = GoSlice { data: v.as_ptr() as *mut u32, len: 3, cap: 3, _elem: PhantomData };
        assert_eq!(unsafe { s.as_slice() }, &[1, 2, 3]);
        let g = GoString { data: b"hi".as_ptr(), len: 2 };
        assert_eq!(unsafe { g.to_str() }, Some("hi"));
        let nil = GoString { data: core::ptr::null(), len: 0 };
        assert_eq!(unsafe { nil.as_bytes() }, b"");
    }
}
